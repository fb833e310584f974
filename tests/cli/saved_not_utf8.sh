#!/usr/bin/env bash
# --save refuses, before searching, a search it could not keep as given: a
# query, filter or index path that is not UTF-8 (JSON, the file's format,
# holds UTF-8 only). Nothing is printed on stdout and nothing is saved.
# Every command's stdout and stderr go to stdout in order, each followed by
# its exit code.
#   saved_not_utf8.sh INDEXER SEARCHER DATA_DIR WORK_DIR
set -uo pipefail
indexer="$1"; searcher="$2"; data="$3"; work="$4"
rm -rf "$work"
mkdir -p "$work"
export XDG_CONFIG_HOME="$work/config"
index="$work/index"
latin1_index="$work/index-"$'\xe9'

run() {
  local shown="${*//$work/WORK}"
  echo "\$ ${shown//$searcher/searcher}" | cat -v
  "$@" 2>&1 | sed "s#$work#WORK#g"
  echo "[exit ${PIPESTATUS[0]}]"
}

"$indexer" add --index "$index" --no-entities "$data/fresh" >/dev/null
"$indexer" add --index "$latin1_index" --no-entities "$data/fresh" >/dev/null
run "$searcher" --index "$index" --save latin1 "caf"$'\xe9'" geneva"
run "$searcher" --index "$index" --save latin1 --author "Ana Pereira"$'\xff' geneva
run "$searcher" --index "$latin1_index" --save plain geneva
run "$searcher" --index "$index" --saved
run "$searcher" --index "$latin1_index" --saved
# The same searches without --save run as usual.
run "$searcher" --index "$latin1_index" --limit 0 geneva
run "$searcher" --index "$index" --limit 0 "caf"$'\xe9'" geneva"
exit 0
