#!/usr/bin/env bash
# End-to-end: an index sharded by year (the corpus plus JSON Lines over
# several years and an undated article) gives the same hits, order and
# facet counts as a single database with the same articles, after every
# step: the first ingest, a second one that changes an article's date and
# adds a year, a removal and a compaction. Each article is held by exactly
# one shard, that of its year. Usage: year_shards.sh INDEXER SEARCHER CORPUS
set -euo pipefail
indexer="$1"; searcher="$2"; corpus="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "year_shards: $1" >&2; exit 1; }

cat >"$work/wire.jsonl" <<'JSONL'
{"id":"wire-1","title":"Ministers meet in Geneva","body":"Ministers met in Geneva to talk about sanctions.","date":"2011-03-04","author":"A. Writer"}
{"id":"wire-2","title":"Geneva talks resume","body":"The Geneva talks on sanctions resumed after a pause.","date":"2012-09-10"}
{"id":"wire-3","title":"An undated note on Geneva","body":"A note on the talks, with no date."}
{"id":"wire-4","title":"Sanctions, again","body":"Sanctions were on the table in Geneva again.","date":"2012-01-02"}
JSONL
# The second run: wire-2 moves from 2012 to 2013 (a new year), wire-5 is new.
cat >"$work/wire2.jsonl" <<'JSONL'
{"id":"wire-2","title":"Geneva talks resume","body":"The Geneva talks on sanctions resumed after a pause.","date":"2013-02-11"}
{"id":"wire-5","title":"Geneva, a decade on","body":"Ten years of sanctions talks in Geneva.","date":"2021-06-30"}
JSONL

single="$work/single"; years="$work/years"
add() { "$indexer" add --quiet "$@" >"$work/out" 2>&1 || fail "indexer add $*: $(cat "$work/out")"; }

# The same searches of both indexes must print the same.
compare() {
  local step="$1" q
  for q in "" putin geneva sanctions "president OR minister" "leader:putin"; do
    for sort in relevance newest oldest; do
      "$searcher" --index "$single" --color never --sort "$sort" --limit 100 --facet leader --facet year \
        --facet author --facet-limit 0 "$q" >"$work/a" 2>&1 || true
      "$searcher" --index "$years" --color never --sort "$sort" --limit 100 --facet leader --facet year \
        --facet author --facet-limit 0 "$q" >"$work/b" 2>&1 || true
      cmp -s "$work/a" "$work/b" || fail "$step: '$q' (--sort $sort) differs: $(diff "$work/a" "$work/b" | head -20)"
    done
  done
  "$searcher" --index "$single" --json --since 2012-01-01 --until 2013-12-31 --limit 50 --facet year geneva >"$work/a"
  "$searcher" --index "$years" --json --since 2012-01-01 --until 2013-12-31 --limit 50 --facet year geneva >"$work/b"
  cmp -s "$work/a" "$work/b" || fail "$step: a date range differs: $(diff "$work/a" "$work/b" | head -20)"
}

# holds SHARD ID: the shard holds the article (xapian-delve lists its id term).
holds() { xapian-delve -A Q -1 "$years/$1" | grep -qx "Q$2"; }
# Every id is in exactly one shard of the year index.
check_unique() {
  local shard
  : >"$work/ids"
  while read -r _ shard; do
    xapian-delve -A Q -1 "$years/$shard" | sed 1d >>"$work/ids"
  done <"$years/XAPIANDB"
  [ -z "$(sort "$work/ids" | uniq -d)" ] || fail "$1: ids in two shards: $(sort "$work/ids" | uniq -d)"
}

add --shards 1 --index "$single" "$corpus" "$work/wire.jsonl"
add --shard-by year --index "$years" "$corpus" "$work/wire.jsonl"
[ "$(tail -1 "$years/XAPIANDB")" = "auto undated" ] || fail "the stub does not end with the undated shard"
holds year-2011 wire-1 && holds year-2012 wire-2 && holds undated wire-3 || fail "articles are not in their year's shard"
check_unique "first ingest"
compare "first ingest"

add --index "$single" "$work/wire2.jsonl"
add --index "$years" "$work/wire2.jsonl"
grep -q "^indexer: 1 added, 1 replaced, 0 unchanged, 0 rejected" "$work/out" || fail "second ingest: $(cat "$work/out")"
holds year-2013 wire-2 || fail "wire-2 is not in year-2013"
! holds year-2012 wire-2 || fail "wire-2 was left in year-2012"
grep -qx "auto year-2021" "$years/XAPIANDB" || fail "no year-2021 in the stub"
check_unique "date changed"
compare "date changed"

# The same again: nothing changes, wherever each article lives.
add --index "$years" "$corpus" "$work/wire.jsonl"
grep -q "^indexer: 0 added, 1 replaced, 53 unchanged" "$work/out" || fail "re-ingest: $(cat "$work/out")"
add --index "$single" "$corpus" "$work/wire.jsonl"
check_unique "re-ingest"
compare "re-ingest"

"$indexer" remove --index "$single" wire-2 wire-5 >/dev/null
"$indexer" remove --index "$years" wire-2 wire-5 >"$work/out" || fail "remove: $(cat "$work/out")"
grep -qx "indexer: 2 removed, 0 not found" "$work/out" || fail "remove: $(cat "$work/out")"
compare "removal"

# A conflicting sharding is refused, and says what the index uses.
status=0
"$indexer" add --shards 4 --index "$years" "$work/wire2.jsonl" >"$work/out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "--shards on an index by year: exit $status"
grep -qF "is sharded by year, chosen when it was created; leave out --shards 4" "$work/out" || fail "$(cat "$work/out")"

# Compaction keeps the year layout: the same shards, by name, in the same
# order (in the directory of the compacted copies).
shard_names() { sed 's#^auto ##; s#.*/##' "$1/XAPIANDB"; }
shard_names "$years" >"$work/shards-before"
"$indexer" compact --index "$years" >/dev/null
shard_names "$years" | cmp -s - "$work/shards-before" || fail "compaction changed the shards: $(cat "$years/XAPIANDB")"
grep -q '^auto compact-1/year-2011$' "$years/XAPIANDB" || fail "compacted shards: $(cat "$years/XAPIANDB")"
compare "compaction"

# After it, an article whose date changes still leaves its old year's
# (compacted) shard, and a new year gets a shard beside the compacted ones.
cat >"$work/wire3.jsonl" <<'JSONL'
{"id":"wire-1","title":"Ministers meet in Geneva","body":"Ministers met in Geneva to talk about sanctions.","date":"2030-03-04","author":"A. Writer"}
JSONL
add --index "$single" "$work/wire3.jsonl"
add --index "$years" "$work/wire3.jsonl"
grep -q "^indexer: 0 added, 1 replaced, 0 unchanged, 0 rejected" "$work/out" || fail "after compaction: $(cat "$work/out")"
holds year-2030 wire-1 || fail "wire-1 is not in year-2030"
! holds compact-1/year-2011 wire-1 || fail "wire-1 was left in the compacted year-2011"
check_unique "after compaction"
compare "after compaction"
echo "an index by year answers like a single database after ingest, a date change, re-ingest, removal, compaction and a date change after it"
