#!/usr/bin/env bash
# Searchers keep answering while an indexer commits. Searches run in a loop
# during a large ingest; none may fail, and each answer must be one some
# commit made: with one shard, the first n articles of the input with n a
# multiple of the commit size (or all of them), down to the year facet over
# the whole match set; with two shards, a total made of whole commits of
# each shard, and a facet that agrees with it. Totals never go down.
# Usage: search_while_indexing.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=index_checks.sh
. "$here/index_checks.sh"

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { { echo "$1"; [ -f "$work/out" ] && { echo "--- indexer output"; cat "$work/out"; }; } >&2; exit 1; }

total=10000
commit_every=100
input="$work/articles.jsonl"
write_articles "$total" "$input"

# The year counts of the first N articles of the input ("2000:c0 2001:c1 ...").
expected_years() {
  awk -v n="$1" 'BEGIN { for (y = 0; y < 10; y++) { c = n > y ? int((n - y + 9) / 10) : 0; if (c) printf "%d:%d ", 2000 + y, c } }'
}

# search_during SHARDS: runs searches until the indexer is done; writes
# every answer's total to $work/totals.SHARDS.
search_during() {
  local shards="$1" index="$work/idx$1" json found years previous=0 answers=0 status
  # The index exists (empty) before the first search.
  "$indexer" add --quiet --shards "$shards" --index "$index" /dev/null >/dev/null 2>&1 || true
  # Each writer sleeps after each commit (fault point ingest-after-commit),
  # so that the commits are spread over seconds and the searches land
  # between them however loaded the machine: unslowed, 10,000 small articles
  # could be in before three searches had answered.
  PUNDIT_FAULT="ingest-after-commit:sleep=0.05" \
    "$indexer" add --quiet --commit-every $commit_every --index "$index" "$input" >"$work/out" 2>&1 &
  pid=$!
  : >"$work/totals.$shards"
  while kill -0 "$pid" 2>/dev/null; do
    status=0
    json=$("$searcher" --index "$index" --json --limit 0 --facet year --facet-limit 0 geneva 2>"$work/search.err") ||
      status=$?
    [ "$status" = 0 ] || fail "a search failed during the ingest (exit $status): $(cat "$work/search.err")"
    [ ! -s "$work/search.err" ] || fail "a search warned during the ingest: $(cat "$work/search.err")"
    found=$(printf '%s' "$json" | sed 's/.*"total":\([0-9]*\).*/\1/')
    [ "$found" -ge "$previous" ] || fail "$shards shard(s): a search found $found articles after one found $previous"
    previous=$found
    years=$(printf '%s' "$json" | { grep -o '"value":"[0-9]*","count":[0-9]*' || true; } | sed 's/"value":"\([0-9]*\)","count":/\1:/' |
            sort | tr '\n' ' ')
    if [ "$shards" = 1 ]; then
      [ $((found % commit_every)) = 0 ] || [ "$found" = "$total" ] ||
        fail "1 shard: a search found $found articles, not whole commits of $commit_every"
      [ "$years" = "$(expected_years "$found")" ] ||
        fail "1 shard: $found articles found, but the year facet says $years: not the first $found articles"
    else
      sum=$(printf '%s' "$years" | tr ' ' '\n' | awk -F: '{ s += $2 } END { print s + 0 }')
      [ "$sum" = "$found" ] || fail "$shards shards: $found articles found, but the year facet counts $sum"
    fi
    echo "$found" >>"$work/totals.$shards"
    answers=$((answers + 1))
  done
  status=0
  wait "$pid" || status=$?
  pid=""
  [ "$status" = 0 ] || fail "the indexer failed (exit $status)"
  # Enough answers fell between commits to mean something.
  local between
  between=$(awk -v n=$total '$1 > 0 && $1 < n' "$work/totals.$shards" | sort -u | wc -l)
  [ "$between" -ge 3 ] || fail "$shards shard(s): only $between distinct answers during the ingest ($answers searches)"
  [ "$(check_index_sound "$index" "$work/ids$shards")" = "$total" ] || fail "$shards shard(s): the final index is incomplete"
  echo "$shards shard(s): $answers searches during the ingest, $between distinct totals, none failed"
}

search_during 1

search_during 2
# Every total seen is n0 + n1, each shard's count whole commits or all it holds.
per_shard=$((commit_every / 2))
all0=$(wc -l <"$work/ids2.0"); all1=$(wc -l <"$work/ids2.1")
while read -r found; do
  ok=0
  for n0 in $(seq 0 $per_shard "$all0") "$all0"; do
    n1=$((found - n0))
    if [ "$n1" -ge 0 ] && { [ $((n1 % per_shard)) = 0 ] && [ "$n1" -le "$all1" ] || [ "$n1" = "$all1" ]; }; then ok=1; break; fi
  done
  [ $ok = 1 ] || fail "2 shards: a search found $found articles, not whole commits of each shard ($all0 + $all1 in all)"
done < <(sort -un "$work/totals.2")
echo "every answer matched a committed state"
