#!/usr/bin/env bash
# An index copied from someone else never runs a program: a stub line
# 'remote :PROG' is refused wherever it is, in the index's own stub or in a
# stub that one names ('auto DIR'), by the searcher and every indexer
# command alike, and nothing runs. Stubs that name each other are an error
# that says so (not a crash). Stubs that name other indexes (nesting) are
# read, the databases they list searched. A stub given as a file works like
# a stub directory. Usage: stub_safety.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
# shellcheck source=sharded_index.sh
. "$(dirname "$0")/sharded_index.sh"

sharded_index 200 2 "$work/real"
pwned="$work/pwned"

# expect_refused WHAT EXIT MESSAGE COMMAND...: exits EXIT, says MESSAGE, runs nothing.
expect_refused() {
  expect_exit "$@"
  [ ! -e "$pwned" ] || fail "$1: a program named by the index was run"
}

# A program in a stub that the index's stub names.
mkdir -p "$work/evil/inner"
printf 'remote :/usr/bin/touch %s\n' "$pwned" >"$work/evil/inner/XAPIANDB"
printf 'auto shard-00\nauto inner\n' >"$work/evil/XAPIANDB"
cp -a "$work/real/shard-00" "$work/evil/shard-00"
message="'$work/evil/inner/XAPIANDB' line 1 ('remote :/usr/bin/touch $pwned') names a program to run; Pundit never runs programs an index names"
expect_refused "search, nested" 2 "$message" "$searcher" --index "$work/evil" geneva
expect_refused "search --show, nested" 2 "$message" "$searcher" --index "$work/evil" --show a000001
for cmd in "add $work/articles.jsonl" "remove a000001" "compact" "repair"; do
  # shellcheck disable=SC2086
  expect_refused "indexer $cmd, nested" 2 "$message" "$indexer" $cmd --index "$work/evil"
done
# The same in the index's own stub, and as a stub file.
printf 'auto shard-00\nremote :/usr/bin/touch %s\n' "$pwned" >"$work/evil/XAPIANDB"
expect_refused "search, own stub" 2 "names a program to run" "$searcher" --index "$work/evil" geneva
expect_refused "indexer add, own stub" 2 "names a program to run" "$indexer" add --index "$work/evil" "$work/articles.jsonl"
printf 'auto %s\nremote :/usr/bin/touch %s\n' "$work/real/shard-00" "$pwned" >"$work/stub-file"
expect_refused "search, stub file" 2 "names a program to run" "$searcher" --index "$work/stub-file" geneva

# Stubs naming each other: an error, not a crash.
mkdir -p "$work/a" "$work/b"
echo "auto ../b" >"$work/a/XAPIANDB"
echo "auto ../a" >"$work/b/XAPIANDB"
expect_refused "search, a cycle" 2 "(stub files that name each other in a cycle)" "$searcher" --index "$work/a" geneva
expect_refused "indexer add, a cycle" 2 "(stub files that name each other in a cycle)" \
  "$indexer" add --index "$work/a" "$work/articles.jsonl"
echo "auto ." >"$work/a/XAPIANDB"
expect_refused "search, a stub naming itself" 2 "(stub files that name each other in a cycle)" "$searcher" --index "$work/a" geneva
# An unknown kind of line.
echo "inmemory" >"$work/a/XAPIANDB"
expect_refused "search, another kind" 2 "line 1 ('inmemory') is not a database Pundit can open" "$searcher" --index "$work/a" geneva

# Nesting without programs is read: the databases of both levels are searched.
mkdir -p "$work/nested"
printf 'auto %s\n' "$work/real" >"$work/nested/XAPIANDB"
[ "$(search_count "$work/nested" geneva)" = 200 ] || fail "a stub naming an index: wrong count"
printf 'auto %s\n' "$work/real" >"$work/nested-file"
[ "$(search_count "$work/nested-file" geneva)" = 200 ] || fail "a stub file naming an index: wrong count"
# Planted files never block or redirect us: a FIFO as the stub or the facet
# cache, a symbolic link as the lock file or a staging file.
mkdir -p "$work/fifo"
mkfifo "$work/fifo/XAPIANDB"
expect_refused "search, a FIFO stub" 2 "is not a regular file: not a file Pundit wrote" \
  timeout 20 "$searcher" --index "$work/fifo" geneva
cp -a "$work/real" "$work/planted"
rm -f "$work/planted/facets.cache"
mkfifo "$work/planted/facets.cache"
[ "$(timeout 20 "$searcher" --index "$work/planted" --json --limit 0 --facet year geneva |
     sed 's/.*"total":\([0-9]*\).*/\1/')" = 200 ] || fail "a FIFO as the facet cache"
rm -f "$work/planted/pundit.lock"
echo untouched >"$work/victim"
ln -s "$work/victim" "$work/planted/pundit.lock"
expect_refused "indexer add, a linked lock file" 2 "cannot open the lock file '$work/planted/pundit.lock'" \
  timeout 20 "$indexer" add --index "$work/planted" "$work/articles.jsonl"
rm "$work/planted/pundit.lock"
ln -s "$work/victim" "$work/planted/XAPIANDB.new-$$"
"$indexer" compact --index "$work/planted" >/dev/null || fail "compaction beside a planted staging link"
[ "$(cat "$work/victim")" = untouched ] || fail "a file was written through a planted link"
[ "$(search_count "$work/planted" geneva)" = 200 ] || fail "after compacting the planted index"
echo "no program named by an index runs; cycles are named; nested stubs are searched; planted files are harmless"
