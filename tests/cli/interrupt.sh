#!/usr/bin/env bash
# SIGINT during a large ingest: the indexer commits what it read, says where
# it stopped, exits with 130; the index is sound (xapian-check) and running
# the same command again finishes the job without duplicates.
# Usage: interrupt.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/index_checks.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
total=100000
awk -v n=$total 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"id\":\"a%06d\",\"title\":\"Headline %d\",\"body\":\"Ministers met in Geneva for talks number %d.\"}\n", i, i, i }' \
  >"$work/articles.jsonl"

"$indexer" add --quiet --index "$work/idx" "$work/articles.jsonl" >"$work/out" 2>"$work/err" &
pid=$!
# Interrupt once it has read a good part of the input (whatever the machine's
# speed, sanitizers included): /proc/PID/io counts the bytes it has read.
for wait in $(seq 1 600); do
  read_bytes=$(awk '/^rchar/ { print $2 }' "/proc/$pid/io" 2>/dev/null || echo 0)
  [ "${read_bytes:-0}" -gt 3000000 ] && break
  sleep 0.05
done
kill -INT "$pid"
status=0
wait "$pid" || status=$?
fail() { echo "$1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; exit 1; }
[ "$status" = 130 ] || fail "exit status $status, expected 130"
grep -q "; interrupted before .*articles.jsonl:[0-9]* (what was read is committed: run the same command again to finish)$" \
  "$work/out" || fail "no interruption summary"

for shard in "$work"/idx/shard-*; do
  xapian-check "$shard" >/dev/null || fail "xapian-check failed on $shard"
done
committed=$("$searcher" --index "$work/idx" --limit 0 | cut -d' ' -f1 | tr -d ,)
[ "$committed" -gt 0 ] && [ "$committed" -lt "$total" ] || fail "committed $committed of $total"

"$indexer" add --quiet --index "$work/idx" "$work/articles.jsonl" >"$work/out2"
grep -q "^indexer: $(format_count $((total - committed))) added, 0 replaced, $(format_count "$committed") unchanged, 0 rejected" "$work/out2" ||
  fail "re-run: $(cat "$work/out2")"
final=$("$searcher" --index "$work/idx" --limit 0 | cut -d' ' -f1 | tr -d ,)
[ "$final" = "$total" ] || fail "after the re-run: $final articles, expected $total"
echo "interrupted after $committed of $total articles; re-run completed"
