#!/usr/bin/env bash
# The indexer shows a live progress line on a terminal (driven here through a
# pseudo-terminal by script(1)), then names each step of the end of the run,
# erases it before the summary, and shows none with --quiet.
# Usage: progress_pty.sh INDEXER
set -euo pipefail
indexer="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Enough articles to take well over one progress interval.
awk 'BEGIN { for (i = 0; i < 40000; i++)
  printf "{\"id\":\"a%d\",\"title\":\"Headline %d about the summit\",\"body\":\"Ministers met in Geneva for talks number %d on trade and tariffs.\"}\n", i, i, i }' \
  >"$work/articles.jsonl"

# Two shards of 20,000, each past its first 5,000 in segments of 5,000.
script -qec "$indexer add --shards 2 --segment-size 5000 --index $work/idx $work/articles.jsonl" /dev/null >"$work/tty.out"
script -qec "$indexer add --quiet --index $work/idx2 $work/articles.jsonl" /dev/null >"$work/quiet.out"

fail() { echo "$1"; cat -v "$2"; exit 1; }
# A progress line: carriage return, erase, counts, rate, share of the input and ETA.
grep -q $'\r\x1b\[Kindexer: [0-9,]* articles, [0-9,]*/s, [0-9]*% of [0-9.]* MB, ETA [0-9]*:[0-9][0-9]' "$work/tty.out" ||
  fail "no progress line on a terminal" "$work/tty.out"
# Then the end of the run, step by step, with every article counted.
tr '\r' '\n' <"$work/tty.out" | sed 's/\x1b\[K//g' | grep 'articles; ' >"$work/stages" || true
# (Each shard takes 5,000, then its other 15,000 or so go to 3 or 4 segments.)
[ "$(wc -l <"$work/stages")" = 3 ] &&
  sed -n 1p "$work/stages" | grep -Eqx 'indexer: 40,000 articles; merging [67] segments into the shards\.\.\.' &&
  sed -n 2p "$work/stages" | grep -qx 'indexer: 40,000 articles; filling the spelling table\.\.\.' &&
  sed -n 3p "$work/stages" | grep -qx 'indexer: 40,000 articles; writing the facet cache\.\.\.' ||
  fail "the end of the run not shown step by step" "$work/tty.out"
# Erased before the summary, which stands alone on its line.
grep -q $'\r\x1b\[Kindexer: 40,000 added, 0 replaced, 0 unchanged, 0 rejected' "$work/tty.out" ||
  fail "progress line not erased before the summary" "$work/tty.out"
grep -q 'articles, ' "$work/quiet.out" && fail "progress shown despite --quiet" "$work/quiet.out"
grep -q '^indexer: 40,000 added' "$work/quiet.out" || fail "no summary with --quiet" "$work/quiet.out"
echo "progress line ok"
