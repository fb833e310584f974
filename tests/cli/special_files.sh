#!/usr/bin/env bash
# Files that are not regular files. Met in an input directory and named like
# an article (a FIFO, a link to /dev/zero with --follow), each is refused
# with a diagnostic naming its kind, never opened (no blocking) and counted;
# named as a PATH (a pipe from process substitution, /dev/zero), it is read
# as a stream like standard input: endless zeros are refused as binary at
# once. Every run must end well within its time limit.
# Usage: special_files.sh INDEXER
set -euo pipefail
indexer="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { { echo "$1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; } >&2; exit 1; }
# Seconds any one run may take: a blocked open or an endless read fails the test.
limit=60

in="$work/in"
mkdir -p "$in"
printf 'Readable\n\nMinisters met in Geneva.\n' >"$in/good.txt"
mkfifo "$in/pipe.txt"
ln -s /dev/zero "$in/zero.txt"

run() { # EXPECTED-STATUS COMMAND...
  local want="$1" status=0; shift
  timeout "$limit" "$@" >"$work/out" 2>"$work/err" || status=$?
  [ "$status" != 124 ] || fail "$*: still running after $limit s"
  [ "$status" = "$want" ] || fail "$*: exit status $status, expected $want"
}
summary() { grep -q "^indexer: $1 in " "$work/out" || fail "expected the summary '$1'"; }
expect_err() { diff -u <(printf '%s\n' "$@") "$work/err" || fail "unexpected diagnostics"; }

run 1 "$indexer" add --index "$work/idx" "$in"
expect_err "$in/pipe.txt: error: not a regular file (a FIFO); skipped" \
  "$in/zero.txt: warning: symbolic link not followed (use --follow to follow it)"
summary "1 added, 0 replaced, 0 unchanged, 1 rejected (1 warning) from 1 file"

run 1 "$indexer" tag --follow "$in"
expect_err "$in/pipe.txt: error: not a regular file (a FIFO); skipped" \
  "$in/zero.txt: error: not a regular file (a character device); skipped"
[ "$(grep -c '"id":"good"' "$work/out")" = 1 ] || fail "tag --follow: good.txt was not tagged"

record() { printf '{"id":"%s","title":"Piped %s","body":"Ministers met in Geneva."}\n' "$1" "$1"; }
run 0 "$indexer" add --index "$work/idx-piped" <(record p1; record p2)
[ ! -s "$work/err" ] || fail "a pipe named as a PATH: unexpected diagnostics"
summary "2 added, 0 replaced, 0 unchanged, 0 rejected from 1 file"

run 1 "$indexer" add --index "$work/idx-zero" /dev/zero
expect_err "/dev/zero: error: binary file (contains NUL bytes); not indexed"
run 1 "$indexer" tag --format jsonl /dev/zero
expect_err "/dev/zero: error: binary file (contains NUL bytes); not indexed"
echo "a FIFO and a device in a directory refused by kind; a pipe and /dev/zero named as PATHs read as streams"
