#!/usr/bin/env bash
# An index by year over 150 years (151 shards of a few open files each) is
# searched even when the soft limit on open files is low: the searcher
# raises it to the hard limit, as the indexer does. When even the hard limit
# is too low, the error says so (too many open files, and how to raise the
# limit) instead of blaming the shard. Skipped (77) when the hard limit
# itself is too low here. Usage: many_shards.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { { echo "$1"; [ -f "$work/out" ] && cat "$work/out"; } >&2; exit 1; }

if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 4096 ]; then
  echo "the hard limit on open files is $(ulimit -Hn) here: skipped"
  exit 77
fi
for year in $(seq 1800 1949); do
  printf '{"id":"y%d","title":"Year %d","date":"%d-05-01","body":"Ministers met in Geneva in %d."}\n' \
    "$year" "$year" "$year" "$year"
done >"$work/years.jsonl"
"$indexer" add --quiet --no-entities --shard-by year --index "$work/idx" "$work/years.jsonl" >/dev/null
[ "$(grep -c '^auto ' "$work/idx/XAPIANDB")" = 151 ] || fail "expected 151 shards"

# A soft limit far below what the shards need: raised, and the search answers.
status=0
(ulimit -Sn 128 && exec "$searcher" --index "$work/idx" --limit 0 --facet year --facet-limit 1 geneva) >"$work/out" 2>&1 ||
  status=$?
[ "$status" = 0 ] || fail "with a soft limit of 128 open files: exit $status"
head -1 "$work/out" | grep -qx "150 results" || fail "with a soft limit of 128 open files: wrong answer"

# A hard limit as low: a clear error naming the cause. The process starts
# with 0 to 7 descriptors already open (as when a parent leaves some open), so
# the shard that fails, and the number of descriptors left at that moment,
# vary: the error must not need any of them.
for extra in 0 1 2 3 4 5 6 7; do
  status=0
  (
    ulimit -n 128
    for fd in $(seq 10 $((9 + extra))); do eval "exec $fd</dev/null"; done
    exec "$searcher" --index "$work/idx" --limit 0 geneva
  ) >"$work/out" 2>&1 || status=$?
  [ "$status" = 2 ] || fail "with a hard limit of 128 open files and $extra more open: exit $status, expected 2"
  grep -q "^searcher: error: shard '$work/idx/year-[0-9]*' of the index at '$work/idx' cannot be opened: too many open files (the index has 151 databases of a few files each, and this process may open 128; raise the limit with ulimit -n)$" \
    "$work/out" || fail "with a hard limit of 128 open files and $extra more open: unexpected message"
done
echo "151 shards searched under a low soft limit; a low hard limit is named"
