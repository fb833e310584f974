#!/usr/bin/env bash
# Segments (indexer add --segment-size) under SIGKILL. A large run writes a
# shard's further new articles into segments and merges them in at its end.
# Killed while writing them, or at each step of the merge, the index opens,
# passes xapian-check and holds whole commits; the next indexer to open it
# merges what the segments committed (nothing committed is lost), and the
# same command run again completes the index.
# Usage: segments_kill.sh INDEXER SEARCHER [SEED]
set -euo pipefail
indexer="$1"; searcher="$2"
seed="${3:-$(( $(date +%s%N) % 1000000 ))}"
echo "seed $seed (to repeat: segments_kill.sh INDEXER SEARCHER $seed)"
RANDOM=$seed
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
fail() { { echo "seed $seed: $1"; [ -f "$work/out" ] && { echo "--- last indexer output"; cat "$work/out"; }; } >&2; exit 1; }

total=3000
per_shard=50     # --commit-every 100 over 2 shards
segment=200      # each shard's own share, then segments of 200
input="$work/articles.jsonl"
write_articles "$total" "$input"
index="$work/idx"
: >"$work/empty.jsonl"
add=("$indexer" add --quiet --no-entities --shards 2 --commit-every 100 --segment-size $segment --index "$index" "$input")
# Opening the index for writing merges what a killed run left; it adds nothing.
reopen=("$indexer" add --quiet --no-entities --index "$index" "$work/empty.jsonl")

# The full index, built without a kill, gives each shard's ids in input order.
"${add[@]}" >"$work/out" 2>&1 || fail "the run without a kill failed"
[ "$(check_index_sound "$index" "$work/ids-final")" = "$total" ] || fail "the run without a kill lost articles"
grep -q '^auto compact-1/shard-0[01]$' "$index/XAPIANDB" || fail "no segments were merged: $(cat "$index/XAPIANDB")"
[ ! -e "$index/segments" ] || fail "the segments are still there after the merge"

# check_whole LABEL: every shard of the index holds the first n articles it
# receives, n a multiple of its commit size (or all of them).
check_whole() {
  local snapshot k n all
  for snapshot in "$work/ids-$1".[0-9]*; do
    k="${snapshot##*.}"
    n=$(wc -l <"$snapshot")
    all=$(wc -l <"$work/ids-final.$k")
    head -n "$n" "$work/ids-final.$k" | cmp -s - "$snapshot" ||
      fail "$1: shard $k holds articles that are not the first $n it receives"
    [ $((n % per_shard)) = 0 ] || [ "$n" = "$all" ] || fail "$1: shard $k holds $n articles, not whole commits"
  done
}

# 1. Killed while segments are written: once a shard's second segment
# exists, and at random moments after that.
for round in 1 2 3 4; do
  rm -rf "$index"
  "${add[@]}" >"$work/out" 2>&1 &
  pid=$!
  for _ in $(seq 1 6000); do
    [ -f "$index/segments/shard-00.0002/iamglass" ] || [ -f "$index/segments/shard-01.0002/iamglass" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.005
  done
  [ "$round" = 1 ] || sleep "$(printf '0.%03d' $((RANDOM % 400)))"
  kill -KILL "$pid" 2>/dev/null || true
  status=0
  wait "$pid" 2>/dev/null || status=$?
  pid=""
  [ "$status" = 137 ] || [ "$status" = 0 ] || fail "round $round: exit status $status"
  killed=$(check_index_sound "$index" "$work/ids-killed$round")
  check_whole "killed$round"
  left=$( (find "$index/segments" -maxdepth 2 -name iamglass 2>/dev/null || true) | wc -l)
  "${reopen[@]}" >"$work/out" 2>&1 || fail "round $round: opening after the kill failed"
  if [ "$left" -gt 0 ]; then
    # Merged now, or already (the kill came after the merge's switch: the next writer finishes it).
    grep -q -e "merged $left segments of an earlier indexer add" -e "finished the compaction" "$work/out" ||
      fail "round $round: no note of the $left segments merged"
  fi
  [ ! -e "$index/segments" ] || fail "round $round: segments left after opening: $(ls -R "$index/segments")"
  merged=$(check_index_sound "$index" "$work/ids-merged$round")
  check_whole "merged$round"
  already=0
  grep -q "finished the compaction" "$work/out" && already=1
  [ "$status" = 0 ] || [ "$left" = 0 ] || [ "$already" = 1 ] || [ "$merged" -gt "$killed" ] ||
    fail "round $round: $left segments merged, but $merged articles against $killed"
  echo "round $round: killed with $killed articles in the shards and $left segments; $merged after opening"
  "${add[@]}" >"$work/out" 2>&1 || fail "round $round: the re-run failed"
  grep -q "^indexer: $(format_count $((total - merged))) added, 0 replaced, $(format_count "$merged") unchanged, 0 rejected from 1 file in" "$work/out" ||
    fail "round $round: re-run after $merged merged"
  [ "$(check_index_sound "$index" "$work/ids-rerun")" = "$total" ] || fail "round $round: the re-run did not complete the index"
done

# 2. Killed at each step of the merge at the end of the run.
for point in merge-after-journal merge-after-shard merge-before-switch merge-after-switch; do
  rm -rf "$index"
  status=0
  PUNDIT_FAULT="$point:kill" "${add[@]}" >"$work/out" 2>&1 || status=$?
  [ "$status" = 137 ] || fail "$point: exit status $status, expected 137"
  found=$(check_index_sound "$index" "$work/ids-$point")
  check_whole "$point"
  if [ "$point" = merge-after-switch ]; then
    [ "$found" = "$total" ] || fail "$point: readers see $found articles, expected all $total"
  else
    # Readers see the shards as they were: each shard's own share.
    [ "$found" = $((2 * segment)) ] || fail "$point: readers see $found articles, expected $((2 * segment))"
  fi
  "${reopen[@]}" >"$work/out" 2>&1 || fail "$point: opening after the kill failed"
  [ "$(check_index_sound "$index" "$work/ids-$point-open")" = "$total" ] || fail "$point: articles lost"
  [ -z "$(find "$index" -maxdepth 1 -name 'compact-*' ! -name compact-1 ! -name compact-2)" ] || fail "$point: compactions left behind: $(ls "$index")"
  [ ! -e "$index/compact.journal" ] || fail "$point: the journal is still there"
  "${add[@]}" >"$work/out" 2>&1 || fail "$point: the re-run failed"
  grep -q "^indexer: 0 added, 0 replaced, $(format_count "$total") unchanged" "$work/out" || fail "$point: re-run"
  echo "$point: killed there with $found articles visible; all $total after opening"
done
# 3. After a kill, `remove` and `compact` merge the segments first: an id
# committed to a segment is removed, not brought back by a later merge.
kill_with_segments() {
  rm -rf "$index"
  "${add[@]}" >"$work/out" 2>&1 &
  pid=$!
  for _ in $(seq 1 6000); do
    [ -f "$index/segments/shard-00.0002/iamglass" ] && break
    kill -0 "$pid" 2>/dev/null || fail "the run ended before shard-00 had two segments"
    sleep 0.005
  done
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}
kill_with_segments
# Shard 0's 300th article: past its own share of 200, in its first segment, which is full.
victim=$(sed -n 300p "$work/ids-final.0")
"$indexer" remove --index "$index" "$victim" >"$work/out" 2>&1 || fail "remove after the kill failed"
grep -q "merged .* segments of an earlier indexer add" "$work/out" || fail "remove: no note of the merge"
after=$(check_index_sound "$index" "$work/ids-removed")
! grep -qx "$victim" "$work"/ids-removed.[0-9]* || fail "remove: $victim is still there"
"${add[@]}" >"$work/out" 2>&1 || fail "the re-run after remove failed"
grep -q "^indexer: $(format_count $((total - after))) added, 0 replaced, $(format_count "$after") unchanged" "$work/out" ||
  fail "the re-run after remove: $after were there"
kill_with_segments
"$indexer" compact --index "$index" >"$work/out" 2>&1 || fail "compact after the kill failed"
grep -q "merged .* segments of an earlier indexer add" "$work/out" || fail "compact: no note of the merge"
[ ! -e "$index/segments" ] || fail "compact left the segments: $(ls -R "$index/segments")"
compacted=$(check_index_sound "$index" "$work/ids-compacted")
check_whole compacted
[ "$compacted" -gt $((2 * segment)) ] || fail "compact: $compacted articles, the segments' were lost"
echo "remove and compact after a kill merged the segments first"
echo "every kill left whole commits; every segment committed was merged"
