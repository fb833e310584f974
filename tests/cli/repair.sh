#!/usr/bin/env bash
# A shard the stub lists that is missing or damaged is never recreated
# empty behind the user's back: `indexer add` and `searcher` fail naming it,
# nothing is written, and only `indexer repair` recreates it, saying how many
# articles were lost with it; adding the articles again brings them back.
# repair also lists the shards in a new stub when the stub is gone, and
# moves a damaged shard aside instead of deleting it.
# Usage: repair.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
# shellcheck source=sharded_index.sh
. "$(dirname "$0")/sharded_index.sh"

index="$work/idx"
sharded_index 600 3 "$index"
lost=$(shard_doccount "$index/shard-01")
kept=$((600 - lost))
rm -rf "$index/shard-01"

# The indexer refuses to write, naming the shard; nothing is created.
status=0
"$indexer" add --quiet --no-entities --index "$index" "$work/articles.jsonl" >"$work/add.out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "add with a missing shard: exit $status, expected 2"
grep -qxF "indexer: error: shard '$index/shard-01' of the index at '$index' is missing (listed in '$index/XAPIANDB'); nothing was written: restore it, or run indexer repair --index '$index' to recreate it empty, without its articles" \
  "$work/add.out" || fail "add with a missing shard: unexpected message"
[ ! -e "$index/shard-01" ] || fail "add recreated the missing shard"
for cmd in "remove a000001" "compact"; do
  status=0
  # shellcheck disable=SC2086
  "$indexer" $cmd --index "$index" >"$work/cmd.out" 2>&1 || status=$?
  [ "$status" = 2 ] || fail "indexer $cmd with a missing shard: exit $status"
  grep -q "shard '$index/shard-01' of the index at '$index' is missing" "$work/cmd.out" || fail "indexer $cmd: message"
  [ ! -e "$index/shard-01" ] || fail "indexer $cmd recreated the missing shard"
done

# The searcher refuses too, naming it (and says what --allow-partial does).
status=0
"$searcher" --index "$index" --limit 0 geneva >"$work/search.out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "search with a missing shard: exit $status"
grep -qxF "searcher: error: shard '$index/shard-01' of the index at '$index' is missing (listed in '$index/XAPIANDB'): restore it, or run indexer repair --index '$index' to recreate it empty, without its articles (--allow-partial searches the other shards)" \
  "$work/search.out" || fail "search with a missing shard: unexpected message"
[ "$(search_count "$index" --allow-partial geneva 2>/dev/null)" = "$kept" ] || fail "--allow-partial"

# repair recreates it, saying how many articles were lost.
"$indexer" repair --index "$index" >"$work/repair.out" 2>&1 || fail "repair failed"
grep -qxF "indexer: shard '$index/shard-01' was missing: recreated empty; the $lost articles it held when the facet cache was last written are lost: add them again (indexer add skips those the index still has)" \
  "$work/repair.out" || fail "repair: unexpected report"
[ "$(search_count "$index" geneva)" = "$kept" ] || fail "after repair"
"$indexer" repair --index "$index" >"$work/again.out" 2>&1 || fail "a second repair failed"
grep -qx "indexer: nothing to repair in '$index' (3 shards checked)" "$work/again.out" || fail "second repair"
"$indexer" add --quiet --no-entities --index "$index" "$work/articles.jsonl" >"$work/readd.out" 2>&1 || fail "re-add"
grep -q "^indexer: $(format_count "$lost") added, 0 replaced, $(format_count "$kept") unchanged, 0 rejected" "$work/readd.out" || fail "re-add summary"
[ "$(check_index_sound "$index" "$work/ids")" = 600 ] || fail "after re-adding"

# A damaged shard: the searcher and indexer name it; repair moves it aside
# (never deletes it) and recreates it.
lost=$(shard_doccount "$index/shard-02")
truncate -s 100 "$index/shard-02/postlist.glass"
status=0
"$indexer" add --quiet --no-entities --index "$index" "$work/articles.jsonl" >"$work/damaged.out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "add with a damaged shard: exit $status"
"$indexer" repair --index "$index" >"$work/repair2.out" 2>&1 || fail "repair of a damaged shard failed"
grep -q "^indexer: shard '$index/shard-02' failed Xapian's consistency check\|^indexer: shard '$index/shard-02' could not be read" \
  "$work/repair2.out" || fail "repair of a damaged shard: report"
grep -qF "recreated empty (the damaged copy is kept as '$index/shard-02.damaged'); the $lost articles it held" "$work/repair2.out" ||
  fail "repair of a damaged shard: aside"
[ -f "$index/shard-02.damaged/postlist.glass" ] || fail "the damaged shard was not kept"
"$indexer" add --quiet --no-entities --index "$index" "$work/articles.jsonl" >/dev/null || fail "re-add after damage"
[ "$(check_index_sound "$index" "$work/ids")" = 600 ] || fail "after re-adding the damaged shard's articles"

# A lost stub: the shards are listed again, in order.
cp "$index/XAPIANDB" "$work/stub"
rm "$index/XAPIANDB"
"$indexer" repair --index "$index" >"$work/repair3.out" 2>&1 || fail "repair of a lost stub failed"
grep -qxF "indexer: listed the 3 shards of '$index' in a new stub, as it had none" "$work/repair3.out" || fail "stub report"
cmp -s "$index/XAPIANDB" "$work/stub" || fail "the new stub differs: $(cat "$index/XAPIANDB")"
[ "$(check_index_sound "$index" "$work/ids")" = 600 ] || fail "after listing the shards again"
echo "missing and damaged shards are refused, and repaired only when asked, with what was lost"
