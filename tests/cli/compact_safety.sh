#!/usr/bin/env bash
# indexer compact loses nothing and touches nothing but its own:
#  - an `add --wait` queued behind a compaction writes into the compacted
#    index, and its articles are there afterwards;
#  - killed (SIGKILL) at each of its steps, it leaves an index that opens,
#    passes xapian-check and holds every article, and that the next add and
#    compact take on (the next one to take the lock undoes or finishes it);
#  - a search that read the old stub just before the switch still answers;
#    searches run in a loop through compactions never fail;
#  - siblings (DIR.replaced, DIR.compacting), other files in the index
#    (NOTES.txt) and a symbolic link to the index are left as they were, and
#    --index DIR/ and --index . work.
# The moments are forced with fault points. Usage: compact_safety.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=index_checks.sh
. "$here/index_checks.sh"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { { echo "$1"; for f in "$work"/*.out; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done; } >&2; exit 1; }

write_articles 1500 "$work/all.jsonl"
head -n 1000 "$work/all.jsonl" >"$work/first.jsonl"
tail -n 500 "$work/all.jsonl" >"$work/more.jsonl"
add=("$indexer" add --quiet --no-entities)
"${add[@]}" --shards 3 --index "$work/sharded" "$work/first.jsonl" >/dev/null
"${add[@]}" --shards 1 --index "$work/plain" "$work/first.jsonl" >/dev/null
sync_dir="$work/sync"
mkdir "$sync_dir"

# The entries of an index directory that are neither Pundit's nor Xapian's
# own (there must be none after any compaction), and that no stub names.
strays() {
  local dir="$1" name
  for name in $(ls -A "$dir"); do
    case "$name" in
      XAPIANDB|pundit.lock|facets.cache|NOTES.txt) ;;
      compact-*) grep -q "^auto $name/" "$dir/XAPIANDB" || echo "$name" ;;
      shard-*) grep -qx "auto $name" "$dir/XAPIANDB" 2>/dev/null || echo "$name" ;;
      *) echo "$name" ;;
    esac
  done
}

# 1. An add --wait queued behind a compaction.
cp -a "$work/sharded" "$work/queued"
PUNDIT_FAULT="compact-before-switch:pause=$sync_dir" "$indexer" compact --index "$work/queued" >"$work/c1.out" 2>&1 &
compactor=$!
pids+=("$compactor")
wait_reached "$sync_dir" compact-before-switch
"${add[@]}" --wait --index "$work/queued" "$work/more.jsonl" >"$work/queued.out" 2>&1 &
adder=$!
pids+=("$adder")
sleep 0.3
kill -0 "$adder" 2>/dev/null || fail "the queued add did not wait for the compaction"
release "$sync_dir" compact-before-switch
status=0; wait "$compactor" || status=$?
[ "$status" = 0 ] || fail "compaction with a queued add: exit $status"
status=0; wait "$adder" || status=$?
[ "$status" = 0 ] || fail "queued add: exit $status"
grep -q "^indexer: 500 added, 0 replaced, 0 unchanged, 0 rejected" "$work/queued.out" || fail "queued add summary"
[ "$(check_index_sound "$work/queued" "$work/ids")" = 1500 ] || fail "the queued add's articles are not all there"
rm -f "$sync_dir"/*

# 2. Killed at each step, both layouts.
for layout in sharded plain; do
  for point in lock-taken compact-after-journal compact-after-shard compact-before-switch compact-after-switch \
               compact-after-cleanup; do
    index="$work/kill-$layout-$point"
    cp -a "$work/$layout" "$index"
    status=0
    PUNDIT_FAULT="$point:kill" "$indexer" compact --index "$index" >"$work/kill.out" 2>&1 || status=$?
    [ "$status" = 137 ] || fail "$layout, killed at $point: exit $status, expected 137 (SIGKILL)"
    # Readers see a whole index at once: all 1000 articles.
    [ "$(check_index_sound "$index" "$work/ids")" = 1000 ] || fail "$layout, killed at $point: articles lost"
    # The next writer finishes or undoes the compaction, then does its job.
    "${add[@]}" --index "$index" "$work/all.jsonl" >"$work/after.out" 2>&1 || fail "$layout, $point: add after the kill"
    grep -q "^indexer: 500 added, 0 replaced, 1,000 unchanged" "$work/after.out" || fail "$layout, $point: add summary"
    "$indexer" compact --index "$index" >"$work/again.out" 2>&1 || fail "$layout, $point: compact after the kill"
    [ "$(check_index_sound "$index" "$work/ids")" = 1500 ] || fail "$layout, $point: articles after compacting again"
    [ ! -e "$index/compact.journal" ] || fail "$layout, $point: the journal is left"
    left=$(strays "$index")
    [ -z "$left" ] || fail "$layout, $point: left behind: $left"
  done
done

# 3a. A search that read the stub just before the switch (and whose old
# shards the compaction then removed) still answers, from the new ones.
cp -a "$work/sharded" "$work/reading"
PUNDIT_FAULT="open-after-stub:pause=$sync_dir" "$searcher" --index "$work/reading" --json --limit 0 geneva \
  >"$work/held.out" 2>&1 &
reader=$!
pids+=("$reader")
wait_reached "$sync_dir" open-after-stub
"$indexer" compact --index "$work/reading" >/dev/null || fail "compaction under a held reader"
[ ! -e "$work/reading/shard-00" ] || fail "the old shards were not removed"
release "$sync_dir" open-after-stub
status=0; wait "$reader" || status=$?
[ "$status" = 0 ] || fail "a search that read the old stub failed (exit $status)"
grep -q '"total":1000' "$work/held.out" || fail "a search that read the old stub: wrong answer"
rm -f "$sync_dir"/*

# 3b. Searches in a loop while the index is compacted over and over.
cp -a "$work/sharded" "$work/busy"
( for round in 1 2 3 4 5 6; do "$indexer" compact --index "$work/busy" >/dev/null || exit 1; done ) &
compactions=$!
pids+=("$compactions")
searches=0
while kill -0 "$compactions" 2>/dev/null; do
  answer=$("$searcher" --index "$work/busy" --json --limit 0 --facet year geneva 2>"$work/search.err") ||
    fail "a search during compaction failed: $(cat "$work/search.err")"
  [[ "$answer" == *'"total":1000'* ]] || fail "a search during compaction answered: $answer"
  searches=$((searches + 1))
done
wait "$compactions" || fail "the compactions failed"
[ "$searches" -gt 0 ] || fail "no search ran during the compactions"

# 4. Nothing but its own: siblings, notes, links, trailing slashes, '.'.
cp -a "$work/sharded" "$work/own"
mkdir -p "$work/own.replaced" "$work/own.compacting/shard-00"
echo mine >"$work/own.replaced/keep"
echo mine >"$work/own.compacting/shard-00/keep"
echo mine >"$work/own/NOTES.txt"
"$indexer" compact --index "$work/own/" >/dev/null || fail "compact --index DIR/"
[ "$(cat "$work/own.replaced/keep")" = mine ] && [ "$(cat "$work/own.compacting/shard-00/keep")" = mine ] ||
  fail "a sibling of the index was touched"
[ "$(cat "$work/own/NOTES.txt")" = mine ] || fail "a file in the index was touched"
( cd "$work/own" && "$indexer" compact --index . >/dev/null ) || fail "compact --index ."
ln -s own "$work/link"
"$indexer" compact --index "$work/link" >/dev/null || fail "compact through a symbolic link"
[ -L "$work/link" ] || fail "the symbolic link to the index was replaced"
[ "$(check_index_sound "$work/link" "$work/ids")" = 1000 ] || fail "after compacting through the link"
[ "$(check_index_sound "$work/own" "$work/ids")" = 1000 ] || fail "the link's target"
[ -z "$(strays "$work/own")" ] || fail "left behind: $(strays "$work/own")"
echo "compaction: atomic for readers, safe to kill at every step, and it touches nothing else ($searches searches during 6 compactions)"
