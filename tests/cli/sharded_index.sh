# Set-up shared by the end-to-end tests of a sharded index's stub and shards
# (stub_file.sh, stub_safety.sh, repair.sh). Sourced once $indexer and
# $searcher are set: brings in index_checks.sh, makes the scratch directory
# $work (removed on exit), and defines fail MESSAGE, which prints MESSAGE
# and the $work/*.out files the test has written so far, and exits 1.

# shellcheck source=index_checks.sh
. "$(dirname "${BASH_SOURCE[0]}")/index_checks.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { { echo "$1"; for f in "$work"/*.out; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done; } >&2; exit 1; }

# sharded_index N SHARDS INDEX: writes N articles to $work/articles.jsonl
# (write_articles) and indexes them into INDEX in SHARDS shards, without
# entities.
sharded_index() {
  write_articles "$1" "$work/articles.jsonl"
  "$indexer" add --quiet --no-entities --shards "$2" --index "$3" "$work/articles.jsonl" >/dev/null
}
