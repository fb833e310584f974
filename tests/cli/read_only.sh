#!/usr/bin/env bash
# An index the user may not write (another user's, or on a read-only file
# system) is reported as not writable, not as "locked by another indexer";
# searching it still works. Root writes everything, so as root the commands
# run as nobody (setpriv); exits 77 (skipped) when that is not possible.
# Usage: read_only.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
work="$(mktemp -d)"
trap 'chmod -R u+rwX "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { { echo "$1"; echo "--- output"; cat "$work/out"; } >&2; exit 1; }

as_user=()
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  chmod 755 "$work"
  if ! "${as_user[@]}" "$indexer" --version >/dev/null 2>&1; then
    echo "cannot run the indexer as nobody here: skipped"
    exit 77
  fi
fi
printf '{"id":"a","title":"Geneva","body":"Ministers met in Geneva."}\n' >"$work/a.jsonl"
printf '{"id":"b","title":"Geneva again","body":"Ministers met in Geneva again."}\n' >"$work/b.jsonl"
chmod 644 "$work"/*.jsonl

for layout in "--shards 2" "--shards 1"; do
  index="$work/idx-${layout##* }"
  # shellcheck disable=SC2086
  "$indexer" add --quiet --no-entities $layout --index "$index" "$work/a.jsonl" >/dev/null
  # Not ours to write: as nobody, or our own made read-only.
  [ ${#as_user[@]} = 0 ] && chmod -R a-w "$index"
  for cmd in "add $work/b.jsonl" "remove a" "compact" "repair"; do
    status=0
    # shellcheck disable=SC2086
    "${as_user[@]}" "$indexer" $cmd --index "$index" >"$work/out" 2>&1 || status=$?
    [ "$status" = 2 ] || fail "indexer $cmd ($layout): exit $status, expected 2"
    grep -qxF "indexer: error: the index at '$index' is not writable (Permission denied: it belongs to another user, or its permissions forbid writing); searching it needs no write access" \
      "$work/out" || fail "indexer $cmd ($layout): unexpected message"
  done
  "${as_user[@]}" "$searcher" --index "$index" --limit 0 geneva >"$work/out" 2>&1 || fail "searching it ($layout)"
  grep -qx "1 result" "$work/out" || fail "searching it ($layout): wrong answer"
done

# A new index where the user may not create one.
mkdir "$work/locked"
chmod 555 "$work/locked"
status=0
"${as_user[@]}" "$indexer" add --quiet --index "$work/locked/idx" "$work/a.jsonl" >"$work/out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "a new index in a read-only directory: exit $status"
grep -qxF "indexer: error: cannot create the index directory '$work/locked/idx' (Permission denied: the directory it would go in may not be written)" \
  "$work/out" || fail "a new index in a read-only directory: unexpected message"
echo "an index that may not be written says so"
