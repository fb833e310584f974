#!/bin/sh
# The keys scripts/gazetteer/build compares names by are the engine's own:
# prints the build's keys of the names on stdin, and fails with a diff if
# `indexer name-keys` (the run-time normaliser and lookup key) disagrees.
#   gazetteer_keys.sh SOURCE_DIR INDEXER < names
set -u
src="$1"; indexer="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/names"
python3 "$src/scripts/gazetteer/build" --indexer "$indexer" --keys <"$work/names" >"$work/build" || exit 2
"$indexer" name-keys <"$work/names" >"$work/engine" || exit 2
cat "$work/build"
diff -u --label "run time (indexer name-keys)" --label "build time (scripts/gazetteer/build --keys)" \
  "$work/engine" "$work/build" >&2
