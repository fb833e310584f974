#!/usr/bin/env bash
# A full disk during an ingest: a clear error naming the index and saying the
# disk is full, exit 2, and the index keeps whole commits and stays sound.
# Once there is room again, the same command finishes the job.
# Needs to mount a small tmpfs (root); exits 77 (skipped) when it cannot.
# Usage: disk_full.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=index_checks.sh
. "$here/index_checks.sh"

work="$(mktemp -d)"
mounted=""
cleanup() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { { echo "$1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; } >&2; exit 1; }

disk="$work/disk"
mkdir "$disk"
if ! mount -t tmpfs -o size=2m tmpfs "$disk" 2>/dev/null; then
  echo "cannot mount a tmpfs here (not root?): skipped"
  exit 77
fi
mounted="$disk"

total=5000
commit_every=100
per_shard=$((commit_every / 2))
input="$work/articles.jsonl"
write_articles "$total" "$input"
index="$disk/idx"

status=0
"$indexer" add --quiet --shards 2 --commit-every $commit_every --index "$index" "$input" >"$work/out" 2>"$work/err" ||
  status=$?
[ "$status" = 2 ] || fail "exit status $status, expected 2 (the 2 MB disk should fill up)"
[ ! -s "$work/out" ] || fail "a summary was printed after a fatal error"
[ "$(wc -l <"$work/err")" = 1 ] || fail "expected one line on stderr"
grep -Eq "^indexer: error: cannot (commit to|write article 'a[0-9]+' to) '$index/shard-0[01]': the disk is full \(.*No space left on device.*\); the index keeps the articles of its last commit$" \
  "$work/err" || fail "unexpected message"
message=$(cat "$work/err")

# Whole commits of each shard, every article sound and searchable.
committed=$(check_index_sound "$index" "$work/ids")
[ "$committed" -gt 0 ] && [ "$committed" -lt "$total" ] || fail "$committed of $total articles committed"
for k in 0 1; do
  n=$(wc -l <"$work/ids.$k")
  [ $((n % per_shard)) = 0 ] || fail "shard $k holds $n articles, not whole commits of $per_shard"
done

# Room again: the same command finishes the job.
mount -o remount,size=64m "$disk"
"$indexer" add --quiet --commit-every $commit_every --index "$index" "$input" >"$work/out" 2>"$work/err" ||
  fail "the re-run failed"
grep -q "^indexer: $(format_count $((total - committed))) added, 0 replaced, $(format_count "$committed") unchanged, 0 rejected" "$work/out" ||
  fail "re-run after $committed committed"
[ "$(check_index_sound "$index" "$work/ids")" = "$total" ] || fail "the re-run did not complete the index"
echo "disk full after $committed of $total articles: $message"
echo "re-run with room completed $total"
