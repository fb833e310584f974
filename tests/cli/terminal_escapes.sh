#!/usr/bin/env bash
# Control characters from articles, file names, queries and option values
# reach the terminal in caret notation (ESC as ^[, BEL as ^G, the C1 CSI as
# M-^[), never raw, in every kind of output: hits, --show, facets, timeline,
# saved searches, diagnostics, warnings and errors; our own colour stays.
# JSON escapes them. Every command's stdout and stderr go to stdout in
# order, each followed by its exit code.
#   terminal_escapes.sh INDEXER SEARCHER WORK_DIR
set -uo pipefail
indexer="$1"; searcher="$2"; work="$3"
rm -rf "$work"
mkdir -p "$work/in"
export XDG_CONFIG_HOME="$work/config"
index="$work/index"
# OSC 52 sets the clipboard of the terminal that prints it.
osc=$'\e]52;c;cHduZWQ=\a'

# The command line itself is shown through cat -v, so that the expected
# output holds no control character of its own.
run() {
  local shown="${*//$work/WORK}"
  shown="${shown//$indexer/indexer}"
  echo "\$ ${shown//$searcher/searcher}" | cat -v
  "$@" 2>&1 | sed "s#$work#WORK#g"
  echo "[exit ${PIPESTATUS[0]}]"
}

# One-line fields lose their control characters as they are read (folded to
# spaces) and an id holding one is refused; the body keeps them, so that the
# snippet and --show test what the printers do with them.
cat >"$work/in/hostile.jsonl" <<'JSONL'
{"id":"hostile","title":"Clipboard\u001b]52;c;cHduZWQ=\u0007 vote\r\nDate: 1999-01-01","author":"Jane\u001b[2J Doe","source":"The \u009b31mPost","date":"2019-06-29","body":"The vote \u001b]0;owned\u0007 on sanctions\u2028passed.\n\nSecond paragraph\u007f."}
{"id":"plain","title":"Plain vote","author":"John Roe","source":"The Harbour Post","date":"2020-01-02","body":"Another vote on sanctions."}
{"id":"bad\u001b]52;c;cHduZWQ=\u0007","title":"Refused","body":"An id with an escape sequence in it."}
JSONL
# A file name with an escape sequence in it: an empty file, rejected.
: >"$work/in/evil"$'\e[31m'".txt"
run "$indexer" add --index "$index" --shards 1 --no-entities "$work/in"
run "$searcher" --index "$index" --color never vote
run "$searcher" --index "$index" --color always --limit 1 vote
run "$searcher" --index "$index" --json clipboard
run "$searcher" --index "$index" --show hostile
run "$searcher" --index "$index" --limit 0 --facet author --facet source
run env COLUMNS=40 "$searcher" --index "$index" --color never --timeline year "vote OR \"x$osc\""
run env PUNDIT_NOW=1767225600 "$searcher" --index "$index" --limit 0 --save clip "vote$osc"
run "$searcher" --index "$index" --saved
run "$searcher" --index "$index" --show "missing$osc"
run "$searcher" --index "$index" --since "2019$osc" vote
run "$searcher" --index "$index" --sort "newest$osc" vote
run "$searcher" --index "$work/no-index$osc" vote
run "$indexer" remove --index "$index" "gone$osc"
run "$indexer" compact --index "$work/no-index$osc"
exit 0
