#!/usr/bin/env bash
# Files and directories the indexer may not read: each gets a diagnostic, the
# rest of the batch is indexed and the exit status is 1. Root reads
# everything, so as root the indexer runs as nobody (setpriv); exits 77
# (skipped) when that is not possible.
# Usage: unreadable_input.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
work="$(mktemp -d)"
trap 'chmod -R u+rwX "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { { echo "$1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; } >&2; exit 1; }

as_user=()
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  chmod 755 "$work"
  if ! "${as_user[@]}" test -x "$indexer" 2>/dev/null || ! "${as_user[@]}" "$indexer" --version >/dev/null 2>&1; then
    echo "cannot run the indexer as nobody here: skipped"
    exit 77
  fi
fi

in="$work/in"
mkdir -p "$in/locked"
printf 'Readable\n\nMinisters met in Geneva.\n' >"$in/a.txt"
printf 'Secret\n\nNobody may read this.\n' >"$in/secret.txt"
printf 'Locked\n\nIn a locked directory.\n' >"$in/locked/l.txt"
printf '{"id":"j","title":"Feed","body":"Ministers met in Geneva."}\n' >"$in/feed.jsonl"
chmod -R a+rX "$in"
chmod 000 "$in/secret.txt" "$in/locked"
mkdir "$work/idx"
chmod 777 "$work/idx"

status=0
"${as_user[@]}" "$indexer" add --index "$work/idx" "$in" >"$work/out" 2>"$work/err" || status=$?
[ "$status" = 1 ] || fail "exit status $status, expected 1"
printf '%s\n' "$in/locked: error: cannot read directory: Permission denied" \
  "$in/secret.txt: error: cannot open file: Permission denied" | diff -u - "$work/err" || fail "unexpected diagnostics"
grep -q "^indexer: 2 added, 0 replaced, 0 unchanged, 2 rejected from 3 files in " "$work/out" || fail "unexpected summary"
found=$("$searcher" --index "$work/idx" --limit 0 geneva)
[ "$found" = "2 results" ] || fail "the readable articles were not indexed: $found"
echo "unreadable file and directory reported; the rest indexed"
