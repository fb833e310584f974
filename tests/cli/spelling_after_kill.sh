#!/usr/bin/env bash
# An ingest killed after its articles were committed but before their words
# reached the spelling table leaves the index knowing it: the next run
# rebuilds the table, so "did you mean" suggests exactly what it suggests
# on an index built without a crash, for a first import and for a later
# one. The kill is placed with a fault point. Usage: spelling_after_kill.sh INDEXER SEARCHER CORPUS
set -euo pipefail
indexer="$1"; searcher="$2"; corpus="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { { echo "$1"; for f in "$work"/*.out; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done; } >&2; exit 1; }

misspelt="sanctons presdent ukriane goverment elecion econmy parliment negotations militray summmit diplomcy
  nucelar referendm coalision refroms traety islnds chancelor kremln bejing washingon putn minstry electon
  agreemnt securty presidnt leadr terrritory ecnomic forign polcy"

# The suggestion for every misspelt word, one a line ("word: suggestion").
suggestions() {
  local word
  for word in $misspelt; do
    printf '%s: %s\n' "$word" "$("$searcher" --index "$1" --json --limit 0 "$word" |
      grep -o '"suggestion":{"query":"[^"]*"' || true)"
  done
}

# Half the corpus files, then the other half, as a later import.
ls "$corpus"/*.txt | sort >"$work/files"
half=$(( $(wc -l <"$work/files") / 2 ))
mkdir "$work/first" "$work/second"
head -n "$half" "$work/files" | xargs -I{} cp {} "$work/first/"
tail -n +"$((half + 1))" "$work/files" | xargs -I{} cp {} "$work/second/"

"$indexer" add --quiet --index "$work/clean" "$corpus" >/dev/null
suggestions "$work/clean" >"$work/expected"
[ "$(grep -c ': "suggestion"' "$work/expected")" -ge 30 ] || fail "the clean index suggests too little: $(cat "$work/expected")"

# A first import killed before its spelling pass, then run again.
status=0
PUNDIT_FAULT="ingest-before-spelling:kill" "$indexer" add --quiet --index "$work/killed" "$corpus" >/dev/null 2>&1 || status=$?
[ "$status" = 137 ] || fail "the killed first import: exit $status, expected 137"
[ -e "$work/killed/spelling.pending" ] || fail "the killed import left no spelling flag"
"$indexer" add --quiet --index "$work/killed" "$corpus" >"$work/rerun.out" 2>&1 || fail "the re-run failed"
grep -q "^indexer: 0 added, 0 replaced, [0-9,]* unchanged, 0 rejected" "$work/rerun.out" || fail "re-run summary"
[ ! -e "$work/killed/spelling.pending" ] || fail "the flag is left after the re-run"
suggestions "$work/killed" | diff -u "$work/expected" - || fail "suggestions after a killed first import differ"

# A later import killed the same way, then run again.
"$indexer" add --quiet --index "$work/later" "$work/first" >/dev/null
status=0
PUNDIT_FAULT="ingest-before-spelling:kill" "$indexer" add --quiet --index "$work/later" "$work/second" >/dev/null 2>&1 ||
  status=$?
[ "$status" = 137 ] || fail "the killed later import: exit $status, expected 137"
"$indexer" add --quiet --index "$work/later" "$work/second" >/dev/null || fail "the later re-run failed"
# The same two imports without a crash, for comparison.
"$indexer" add --quiet --index "$work/later-clean" "$work/first" >/dev/null
"$indexer" add --quiet --index "$work/later-clean" "$work/second" >/dev/null
suggestions "$work/later-clean" >"$work/expected-later"
suggestions "$work/later" | diff -u "$work/expected-later" - || fail "suggestions after a killed later import differ"
echo "the spelling table is whole after a kill and a re-run ($(grep -c ': "suggestion"' "$work/expected") suggestions)"
