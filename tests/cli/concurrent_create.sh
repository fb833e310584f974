#!/usr/bin/env bash
# Two indexers creating the same new index: the second one waits for the
# first (--wait) or fails at once with a clear message, and never takes the
# first one's half-made shards for the leftovers of a crash. The bad
# interleaving is forced: the first indexer is held by a fault point after
# it has created one shard of two, while the others run.
# Usage: concurrent_create.sh INDEXER SEARCHER
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

write_articles 3000 "$work/all.jsonl"
head -n 1500 "$work/all.jsonl" >"$work/a.jsonl"
tail -n 1500 "$work/all.jsonl" >"$work/b.jsonl"
sync_dir="$work/sync"
mkdir "$sync_dir"
index="$work/idx"
add=("$indexer" add --quiet --no-entities --shards 2)

# The first indexer stops once it has created its first shard.
PUNDIT_FAULT="create-after-shard:pause=$sync_dir" "${add[@]}" --index "$index" "$work/a.jsonl" >"$work/first.out" 2>&1 &
first=$!
pids+=("$first")
wait_reached "$sync_dir" create-after-shard

# A second one without --wait fails at once, saying why, and changes nothing.
status=0
"${add[@]}" --index "$index" "$work/b.jsonl" >"$work/second.out" 2>&1 || status=$?
[ "$status" = 2 ] || fail "a second indexer during creation: exit $status, expected 2"
grep -qx "indexer: error: the index at '$index' is locked by another indexer (use --wait to wait for it)" "$work/second.out" ||
  fail "a second indexer during creation: unexpected message"
[ -d "$index/shard-00" ] || fail "the second indexer removed the first one's shard"

# A third one with --wait blocks until the first is done, then adds its articles.
"${add[@]}" --wait --index "$index" "$work/b.jsonl" >"$work/third.out" 2>&1 &
third=$!
pids+=("$third")
# It is blocked on the lock (not done, nothing written), however long we look.
sleep 0.5
kill -0 "$third" 2>/dev/null || fail "the waiting indexer did not wait"
[ ! -e "$index/XAPIANDB" ] || fail "the stub was written while the first indexer was held"

release "$sync_dir" create-after-shard
status=0; wait "$first" || status=$?
[ "$status" = 0 ] || fail "the first indexer: exit $status"
status=0; wait "$third" || status=$?
[ "$status" = 0 ] || fail "the waiting indexer: exit $status"
grep -q "^indexer: 1,500 added, 0 replaced, 0 unchanged, 0 rejected from 1 file in" "$work/first.out" || fail "first summary"
grep -q "^indexer: 1,500 added, 0 replaced, 0 unchanged, 0 rejected from 1 file in" "$work/third.out" || fail "third summary"
found=$(check_index_sound "$index" "$work/ids")
[ "$found" = 3000 ] || fail "the index holds $found articles, expected 3000"

# And without a fault point, several times over: two at once, with and
# without --wait. Each either adds all of its articles or is refused
# whole (exit 2 and nothing of its input in the index); never lost articles,
# never a damaged index.
for round in 1 2 3 4 5 6; do
  rm -rf "$index"
  wait_flag=()
  [ $((round % 2)) = 0 ] && wait_flag=(--wait)
  "${add[@]}" "${wait_flag[@]}" --index "$index" "$work/a.jsonl" >"$work/ra.out" 2>&1 &
  pa=$!
  "${add[@]}" "${wait_flag[@]}" --index "$index" "$work/b.jsonl" >"$work/rb.out" 2>&1 &
  pb=$!
  pids=("$pa" "$pb")
  sa=0; wait "$pa" || sa=$?
  sb=0; wait "$pb" || sb=$?
  expected=0
  for side in a:$sa b:$sb; do
    status="${side#*:}"
    case "$status" in
      0) expected=$((expected + 1500)) ;;
      2) [ ${#wait_flag[@]} = 0 ] || fail "round $round: an indexer with --wait was refused"
         grep -q "is locked by another indexer" "$work/r${side%%:*}.out" || fail "round $round: refused without saying why" ;;
      *) fail "round $round: indexer ${side%%:*} exited $status" ;;
    esac
  done
  found=$(check_index_sound "$index" "$work/ids-$round")
  [ "$found" = "$expected" ] || fail "round $round: $found articles in the index, expected $expected"
done
echo "concurrent creation: refused or serialised, never corrupted"
