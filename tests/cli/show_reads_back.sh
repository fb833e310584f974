#!/usr/bin/env bash
# `searcher --show` prints an article as text that `indexer add --format text`
# reads back as the same article, even when a one-line field holds a line
# break (a title "Line1\nDate: 1999-01-01" must not give the article that
# date): header fields are printed on one line. The copy, shown again,
# prints the same text.
#   show_reads_back.sh INDEXER SEARCHER WORK_DIR
set -euo pipefail
indexer="$1"; searcher="$2"; work="$3"
rm -rf "$work"
mkdir -p "$work"
cat >"$work/article.jsonl" <<'JSONL'
{"id":"folded","title":"Line1\nDate: 1999-01-01","author":"Jane Doe\rAuthor: Someone Else","source":"The Post\r\nURL: http://example.org/forged\u0085x","url":"http://example.org/a\u2028Language: xx\u2029ID: forged","date":"2019-06-29","body":"First paragraph.\n\nSecond paragraph."}
JSONL
"$indexer" add --quiet --no-entities --index "$work/first" "$work/article.jsonl" >/dev/null
"$searcher" --index "$work/first" --show folded >"$work/shown.txt"
echo '$ searcher --show folded'
cat "$work/shown.txt"
"$indexer" add --quiet --no-entities --format text --index "$work/copy" - <"$work/shown.txt" >/dev/null
echo '$ indexer add --format text - < shown.txt; searcher --show folded --json'
"$searcher" --index "$work/copy" --show folded --json
echo '$ searcher --show folded (the copy)'
"$searcher" --index "$work/copy" --show folded >"$work/shown-again.txt"
diff "$work/shown.txt" "$work/shown-again.txt" && echo "the same text"
