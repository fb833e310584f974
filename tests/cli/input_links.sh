#!/usr/bin/env bash
# Symbolic links in an input directory: not followed by `indexer add` or
# `indexer tag` unless --follow, each one said with a warning (exit status 0:
# nothing was rejected); with --follow, linked files and directories are
# read and a loop is said and not followed. A link named as a PATH is
# followed either way.
# Usage: input_links.sh INDEXER
set -euo pipefail
indexer="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { { echo "$1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; } >&2; exit 1; }

in="$work/in"
mkdir -p "$in/sub" "$work/outside/dir"
printf 'Readable\n\nMinisters met in Geneva.\n' >"$in/good.txt"
printf 'Secret\n\nOutside the tree.\n' >"$work/outside/secret.txt"
printf 'Linked\n\nIn a linked directory.\n' >"$work/outside/dir/x.txt"
ln -s "$work/outside/secret.txt" "$in/passwd.txt"
ln -s "$work/outside/dir" "$in/linked"
ln -s .. "$in/sub/up"

run() { # EXPECTED-STATUS COMMAND...
  local want="$1" status=0; shift
  "$@" >"$work/out" 2>"$work/err" || status=$?
  [ "$status" = "$want" ] || fail "$*: exit status $status, expected $want"
}
summary() { grep -q "^indexer: $1 in " "$work/out" || fail "expected the summary '$1'"; }
tagged() { [ "$(grep -o '"id":"[^"]*"' "$work/out" | tr '\n' ' ')" = "$1" ] || fail "expected the articles $1"; }

not_followed="warning: symbolic link not followed (use --follow to follow it)"
without=$(printf '%s\n' "$in/linked: $not_followed" "$in/passwd.txt: $not_followed" "$in/sub/up: $not_followed")

run 0 "$indexer" add --index "$work/idx" "$in"
diff -u <(echo "$without") "$work/err" || fail "add: unexpected diagnostics"
summary "1 added, 0 replaced, 0 unchanged, 0 rejected (3 warnings) from 1 file"

run 0 "$indexer" tag "$in"
diff -u <(echo "$without") "$work/err" || fail "tag: unexpected diagnostics"
tagged '"id":"good" '

loop="$in/sub/up: warning: symbolic link loop: leads back to '$in'; not followed"
run 0 "$indexer" add --follow --index "$work/idx-follow" "$in"
diff -u <(echo "$loop") "$work/err" || fail "add --follow: unexpected diagnostics"
summary "3 added, 0 replaced, 0 unchanged, 0 rejected (1 warning) from 3 files"

run 0 "$indexer" tag -L "$in"
diff -u <(echo "$loop") "$work/err" || fail "tag -L: unexpected diagnostics"
tagged '"id":"good" "id":"linked/x" "id":"passwd" '

run 0 "$indexer" add --index "$work/idx-named" "$in/passwd.txt" "$in/linked"
[ ! -s "$work/err" ] || fail "a link named as a PATH: unexpected diagnostics"
summary "2 added, 0 replaced, 0 unchanged, 0 rejected from 2 files"
echo "links not followed without --follow (each said), followed with it, a loop said"
