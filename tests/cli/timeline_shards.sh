#!/usr/bin/env bash
# Timelines count the whole match set exactly, however the index is split:
# one database, three shards with the facet cache, and the same three shards
# without it (stock match spies, the path remote shards take) give the same
# series, and the series adds up to the total.
#   timeline_shards.sh INDEXER SEARCHER CORPUS
set -euo pipefail
indexer="$1"; searcher="$2"; corpus="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$indexer" add --shards 1 --index "$work/single" "$corpus" >/dev/null
"$indexer" add --shards 3 --index "$work/sharded" "$corpus" >/dev/null
cp -r "$work/sharded" "$work/uncached"
rm "$work/uncached/facets.cache"

status=0
for args in "--timeline year" "--timeline month" "--timeline year --leader putin" \
            "--timeline month --since 2014-01-01 --until 2019-12-31 --any russia china" \
            "--timeline year --limit 3 president" "--timeline year --facet leader --leader xi"; do
  for index in single sharded uncached; do
    # shellcheck disable=SC2086
    "$searcher" --index "$work/$index" --json $args >"$work/$index.out"
  done
  for index in sharded uncached; do
    if ! diff -u "$work/single.out" "$work/$index.out"; then echo "$index differs for: $args"; status=1; fi
  done
  # The periods and the undated add up to the total.
  sum=$(grep -o '"timeline":.*' "$work/single.out" | grep -o '"count":[0-9]*' | sed 's/.*://' | paste -sd+ | bc)
  undated=$(grep -o '"undated":[0-9]*' "$work/single.out" | sed 's/.*://')
  total=$(grep -o '"total":[0-9]*' "$work/single.out" | sed 's/.*://')
  if [ "$((sum + undated))" != "$total" ]; then echo "$sum dated + $undated undated != $total for: $args"; status=1; fi
  if [ "$total" = 0 ]; then echo "nothing matched: $args"; status=1; fi
done
[ $status = 0 ] && echo "timelines agree"
exit $status
