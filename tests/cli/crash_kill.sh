#!/usr/bin/env bash
# SIGKILL at random moments during a large ingest, many times. After every
# kill the index opens and passes xapian-check, its articles are complete,
# searchable and unique, and each shard holds exactly whole commits: the
# first n articles, in input order, of those the shard receives, n a
# multiple of the shard's commit size (or all of them). Re-running the same
# ingest completes the index with no duplicates.
# Usage: crash_kill.sh INDEXER SEARCHER [SEED]
# The seed is printed; passing it again repeats the same kill moments.
set -euo pipefail
indexer="$1"; searcher="$2"
seed="${3:-$(( $(date +%s%N) % 1000000 ))}"
echo "seed $seed (to repeat: crash_kill.sh INDEXER SEARCHER $seed)"
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

total=10000
shards=2
commit_every=100                          # over all shards
per_shard=$((commit_every / shards))      # what one shard commits at a time
rounds=12
fresh_every=4                             # a new index every few rounds: kills during creation too
input="$work/articles.jsonl"
write_articles "$total" "$input"
size=$(stat -c %s "$input")
index="$work/idx"

# Without entity tagging, which only slows each run down: what matters here
# is how articles are written and committed.
add=("$indexer" add --quiet --no-entities --shards $shards --commit-every $commit_every --index "$index" "$input")
for round in $(seq 1 $rounds); do
  if [ $(( (round - 1) % fresh_every )) = 0 ]; then
    # A new index, killed after a random time: perhaps while it is created.
    rm -rf "$index"
    "${add[@]}" >"$work/out" 2>&1 &
    pid=$!
    delay=$(printf '0.%03d' $((RANDOM % 300)))
    sleep "$delay"
    moment="after $delay s"
  else
    "${add[@]}" >"$work/out" 2>&1 &
    pid=$!
    # Once reading has begun, at a random point of the input, or after a
    # random time (the two kinds of moment fall differently on commits).
    while kill -0 "$pid" 2>/dev/null && [ "$(input_offset "$pid" "$input")" = 0 ]; do sleep 0.005; done
    if [ $((round % 2)) = 1 ]; then
      target=$(( (RANDOM * 32768 + RANDOM) % size ))
      while kill -0 "$pid" 2>/dev/null && [ "$(input_offset "$pid" "$input")" -lt "$target" ]; do sleep 0.005; done
      moment="at byte $target"
    else
      delay=$(printf '0.%03d' $((RANDOM % 500)))
      sleep "$delay"
      moment="$delay s into reading"
    fi
  fi
  kill -KILL "$pid" 2>/dev/null || true
  status=0
  wait "$pid" 2>/dev/null || status=$?
  pid=""
  [ "$status" = 137 ] || [ "$status" = 0 ] || fail "round $round: exit status $status"
  if [ -d "$index" ] && [ -f "$index/XAPIANDB" ]; then
    found=$(check_index_sound "$index" "$work/ids-$round")
    echo "round $round: killed $moment; $found articles committed"
  else
    # Killed before the index was complete: the next run creates it.
    echo "round $round: killed $moment, before the index was created"
  fi
done

# The same command, left to finish, completes the job.
committed=0
[ -f "$index/XAPIANDB" ] && committed=$(check_index_sound "$index" "$work/ids-before")
"${add[@]}" >"$work/out" 2>&1 || fail "the re-run failed"
grep -q "^indexer: $(format_count $((total - committed))) added, 0 replaced, $(format_count "$committed") unchanged, 0 rejected from 1 file in" "$work/out" ||
  fail "re-run after $committed committed"
final=$(check_index_sound "$index" "$work/ids-final")
[ "$final" = "$total" ] || fail "after the re-run: $final articles, expected $total"

# Every state seen after a kill was whole commits of each shard, in order.
for snapshot in "$work"/ids-*.[0-9]*; do
  case "$snapshot" in *ids-final.*|*.check|*.terms) continue ;; esac
  k="${snapshot##*.}"
  n=$(wc -l <"$snapshot")
  all=$(wc -l <"$work/ids-final.$k")
  head -n "$n" "$work/ids-final.$k" | cmp -s - "$snapshot" ||
    fail "$(basename "$snapshot"): shard $k holds articles that are not the first $n it receives"
  [ $((n % per_shard)) = 0 ] || [ "$n" = "$all" ] ||
    fail "$(basename "$snapshot"): shard $k holds $n articles, not whole commits of $per_shard"
done
echo "$rounds kills; every state was whole commits; the re-run completed $total articles"
