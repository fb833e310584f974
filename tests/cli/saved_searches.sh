#!/usr/bin/env bash
# Saved searches end to end: index, save a search, add more articles (one
# new match, one corrected article, one that does not match), then
# --new-since-last shows exactly the new match; list, forget, and the error
# for a forgotten name. The clock is fixed with PUNDIT_NOW, so nothing sleeps.
#   saved_searches.sh INDEXER SEARCHER DATA_DIR WORK_DIR
set -euo pipefail
indexer="$1"; searcher="$2"; data="$3"; work="$4"
rm -rf "$work"
mkdir -p "$work"
export XDG_CONFIG_HOME="$work/config"
index="$work/index"
day=1767225600 # 2026-01-01 00:00:00 UTC
at() { local when="$1"; shift; PUNDIT_NOW=$((day + when)) "$@"; }

at 0 "$indexer" add --index "$index" "$data/fresh"
echo '$ searcher --save geneva geneva'
at 3600 "$searcher" --index "$index" --color never --save geneva geneva
at 7200 "$indexer" add --index "$index" "$data/later"
echo '$ searcher --run geneva --new-since-last'
at 10800 "$searcher" --index "$index" --color never --run geneva --new-since-last
echo '$ searcher --run geneva --new-since-last (again: nothing new)'
at 14400 "$searcher" --index "$index" --color never --run geneva --new-since-last --limit 0
echo '$ searcher --run geneva --json --limit 0 (every match)'
at 18000 "$searcher" --index "$index" --run geneva --json --limit 0
echo '$ searcher --run geneva communique (words added to the saved query)'
at 21600 "$searcher" --index "$index" --run geneva --limit 0 communique
echo '$ searcher --save daily --author "Ana Pereira" --since 2020-02-02'
at 25200 "$searcher" --index "$index" --limit 0 --save daily --author "Ana Pereira" --since 2020-02-02
echo '$ searcher --run daily --since 2020-01-01 (a filter given replaces the saved one)'
at 28800 "$searcher" --index "$index" --limit 0 --run daily --since 2020-01-01
echo '$ searcher --saved'
"$searcher" --index "$index/" --saved
echo '$ searcher --saved (another index: none)'
"$searcher" --index "$work/other" --saved
echo '$ searcher --forget geneva'
"$searcher" --index "$index" --forget geneva
"$searcher" --index "$index" --saved
echo '$ searcher --run geneva (forgotten)'
exec "$searcher" --index "$index" --run geneva
