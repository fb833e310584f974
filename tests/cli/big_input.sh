#!/usr/bin/env bash
# Huge input is streamed with bounded memory: a 2 GB JSON Lines file (two
# 1 GB records, refused, between valid ones) and a single 100 MB text
# article (refused). Each refusal is a diagnostic, the valid records are
# indexed, the exit status is 1, and the indexer's peak memory stays under
# a bound (/usr/bin/time). The big files are sparse: cheap to make and read.
# Usage: big_input.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { { echo "$1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; } >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "no /usr/bin/time (Debian package time): skipped"; exit 77; }

# Peak resident memory allowed, in MB. AddressSanitizer keeps freed memory
# in quarantine and shadows the rest, so its builds get more room.
limit_mb=300
if grep -q __asan_init "$indexer"; then limit_mb=900; fi

in="$work/in"
mkdir "$in"
record() { printf '{"id":"%s","title":"Record %s","body":"Ministers met in Geneva."}\n' "$1" "$1"; }
feed="$in/feed.jsonl"
record v1 >"$feed"
printf '{"id":"huge1","title":"Huge","body":"' >>"$feed"
truncate -s +1G "$feed"
printf '"}\n' >>"$feed"
record v2 >>"$feed"
printf '{"id":"huge2","title":"Huge","body":"' >>"$feed"
truncate -s +1G "$feed"
printf '"}\n' >>"$feed"
record v3 >>"$feed"
[ "$(stat -c %s "$feed")" -gt 2147483648 ] || fail "the feed is not over 2 GB"

article="$in/article.txt"
printf 'A Very Long Article\n\n' >"$article"
truncate -s 100M "$article"
printf 'Readable\n\nMinisters met in Geneva.\n' >"$in/small.txt"

status=0
/usr/bin/time -f %M -o "$work/rss" "$indexer" add --index "$work/idx" "$in" >"$work/out" 2>"$work/err" || status=$?
[ "$status" = 1 ] || fail "exit status $status, expected 1"
printf '%s\n' "$article: error: file is 100 MiB; text articles over 16 MiB are refused" \
  "$feed:2: error: record is over 16 MiB; refused" \
  "$feed:4: error: record is over 16 MiB; refused" | diff -u - "$work/err" || fail "unexpected diagnostics"
grep -q "^indexer: 4 added, 0 replaced, 0 unchanged, 3 rejected from 3 files in " "$work/out" || fail "unexpected summary"
found=$("$searcher" --index "$work/idx" --limit 0 geneva)
[ "$found" = "4 results" ] || fail "the valid records were not all indexed: $found"
peak_mb=$(( $(tail -n 1 "$work/rss") / 1024 ))
[ "$peak_mb" -lt "$limit_mb" ] || fail "peak memory $peak_mb MB, over $limit_mb MB"
echo "2 GB of JSON Lines and a 100 MB article: $peak_mb MB peak memory (limit $limit_mb MB)"
