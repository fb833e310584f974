#!/usr/bin/env bash
# A stub given as a file works like a stub directory. The searcher opens the
# databases it lists one by one: a missing one is named (with the index
# directory to repair), --allow-partial searches the others, and a whole one
# answers as its directory does. DIR/XAPIANDB given as a file is the index DIR to every
# indexer command; a stub file of another name is refused with a message
# that says why, nothing written beside it, and a stub's own errors (a
# program to run) come first. Usage: stub_file.sh INDEXER SEARCHER
set -euo pipefail
indexer="$1"; searcher="$2"
# shellcheck source=sharded_index.sh
. "$(dirname "$0")/sharded_index.sh"

sharded_index 200 2 "$work/idx"
write_articles 230 "$work/more.jsonl"

# The searcher: a stub file names its missing shard, and --allow-partial searches the rest.
printf 'auto idx/shard-00\nauto idx/shard-01\nauto idx/shard-09\n' >"$work/three.stub"
expect_exit "search, a stub file with a missing shard" 2 \
  "shard '$work/idx/shard-09' of the index at '$work/three.stub' is missing (listed in '$work/three.stub')" \
  "$searcher" --index "$work/three.stub" geneva
expect_exit "search, --allow-partial" 0 "results are partial; shards not reached: $work/idx/shard-09" \
  "$searcher" --index "$work/three.stub" --allow-partial --json --limit 0 geneva
grep -q '"total":200,"total_exact":false' "$work/cmd.out" || fail "search, --allow-partial: not the other shards' count"
# A shard no index directory lists: "DIR" is explained. One that an index
# directory lists: the advice names that directory.
expect_exit "search, a stub file with a shard no index directory lists" 2 \
  "run indexer repair --index 'DIR' to recreate it empty, without its articles, DIR being the index directory that holds it" \
  "$searcher" --index "$work/three.stub" geneva
printf 'auto idx/shard-00\nauto idx/shard-01\n' >"$work/two.stub"
mv "$work/idx/shard-01" "$work/away"
expect_exit "search, a stub file with a missing shard of an index directory" 2 \
  "run indexer repair --index '$work/idx' to recreate it empty, without its articles (--allow-partial" \
  "$searcher" --index "$work/two.stub" geneva
mv "$work/away" "$work/idx/shard-01"
# Whole, a stub file answers exactly as its directory does: hits, facets, counts.
for args in "--facet year --limit 3 geneva" "--json --facet year --limit 2 geneva" "--timeline year geneva" "--limit 0 -- -geneva"; do
  # shellcheck disable=SC2086
  "$searcher" --index "$work/idx" $args >"$work/dir.out" 2>&1
  # shellcheck disable=SC2086
  "$searcher" --index "$work/two.stub" $args >"$work/file.out" 2>&1
  cmp -s "$work/dir.out" "$work/file.out" || fail "search $args: a stub file answers otherwise than its directory"
done
rm -f "$work/dir.out" "$work/file.out"

# DIR/XAPIANDB as a file: every indexer command works on DIR.
stub="$work/idx/XAPIANDB"
[ "$(search_count "$stub" geneva)" = 200 ] || fail "search through DIR/XAPIANDB: wrong count"
"$indexer" add --quiet --no-entities --index "$stub" "$work/more.jsonl" >"$work/add.out" 2>&1 ||
  fail "indexer add through DIR/XAPIANDB failed"
grep -q "^indexer: 30 added, 0 replaced, 200 unchanged, 0 rejected" "$work/add.out" || fail "indexer add: summary"
[ "$(search_count "$work/idx" geneva)" = 230 ] || fail "after indexer add through DIR/XAPIANDB"
"$indexer" remove --index "$stub" a000229 >"$work/remove.out" 2>&1 || fail "indexer remove through DIR/XAPIANDB failed"
# The facet cache is rewritten in the index directory, not beside the stub.
grep -q 'warning' "$work/remove.out" && fail "indexer remove through DIR/XAPIANDB warned"
[ "$(search_count "$work/idx" geneva)" = 229 ] || fail "after indexer remove through DIR/XAPIANDB"
"$indexer" compact --index "$stub" >"$work/compact.out" 2>&1 || fail "indexer compact through DIR/XAPIANDB failed"
[ "$(search_count "$work/idx" geneva)" = 229 ] || fail "after indexer compact through DIR/XAPIANDB"
grep -q '^auto compact-1/' "$stub" || fail "indexer compact did not switch DIR's stub"
rm -rf "$work/idx/compact-1/shard-01"
expect_exit "indexer repair through DIR/XAPIANDB" 0 "shard-01" "$indexer" repair --index "$stub"
[ -e "$work/idx/compact-1/shard-01/iamglass" ] || fail "indexer repair did not recreate the shard"
[ ! -e "$stub/pundit.lock" ] && [ -f "$work/idx/pundit.lock" ] || fail "the lock is not DIR's"

# A stub file of another name: refused by every indexer command, nothing written.
printf 'auto idx/XAPIANDB\n' >"$work/all.stub"
message="'$work/all.stub' is a stub file: indexer commands write an index through its directory"
for cmd in "add $work/articles.jsonl" "remove a000001" "compact" "repair"; do
  # shellcheck disable=SC2086
  expect_exit "indexer $cmd, a stub file" 2 "$message" "$indexer" $cmd --index "$work/all.stub"
done
[ "$(find "$work" -maxdepth 1 -newer "$work/all.stub" ! -name cmd.out | wc -l)" = 0 ] || fail "something was written beside the stub file"
# Its own errors first: a program in a stub file runs for no command.
printf 'auto idx/XAPIANDB\nremote :/usr/bin/touch %s\n' "$work/pwned" >"$work/evil.stub"
for cmd in "add $work/articles.jsonl" "remove a000001" "compact" "repair"; do
  # shellcheck disable=SC2086
  expect_exit "indexer $cmd, a program in a stub file" 2 "names a program to run" "$indexer" $cmd --index "$work/evil.stub"
done
[ ! -e "$work/pwned" ] || fail "a program named by a stub file was run"
echo "stub files: shards named, partial searches, DIR/XAPIANDB written as DIR, other stub files refused"
