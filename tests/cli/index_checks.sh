# Checks shared by the end-to-end tests that hurt the indexer (SIGKILL, a
# full disk) or read while it writes. Sourced; the caller defines
# fail MESSAGE (prints it and exits 1) and sets $searcher.

# The shard directories of INDEX, one a line (INDEX itself when unsharded).
shard_dirs() {
  if [ -f "$1/XAPIANDB" ]; then
    sed -n 's#^auto #'"$1"'/#p' "$1/XAPIANDB"
  else
    echo "$1"
  fi
}

# Number of documents in one shard (xapian-delve's own count).
shard_doccount() {
  xapian-delve "$1" | awk '/^number of documents = / { print $5 }'
}

# check_index_sound INDEX IDS_PREFIX: every shard passes xapian-check; every
# document carries exactly one id term, no id is held twice (in one shard or
# across shards); every document is complete and searchable (a word of its
# body finds it, and its date value is there for the year facet). Writes the
# sorted ids of shard K to IDS_PREFIX.K and prints the total document count.
check_index_sound() {
  local index="$1" prefix="$2" k=0 total=0 shard count ids
  rm -f "$prefix".[0-9]*
  while read -r shard; do
    xapian-check "$shard" >"$prefix.check" 2>&1 || fail "xapian-check failed on $shard: $(tail -3 "$prefix.check")"
    count=$(shard_doccount "$shard")
    xapian-delve -A Q -1 -v "$shard" | sed 1d >"$prefix.terms"
    awk '$2 != 1 { bad = 1 } END { exit bad }' "$prefix.terms" || fail "an id is held twice in $shard"
    sed 's/^Q//; s/ .*//' "$prefix.terms" | sort >"$prefix.$k"
    ids=$(wc -l <"$prefix.$k")
    [ "$ids" = "$count" ] || fail "$shard holds $count documents but $ids ids"
    total=$((total + count))
    k=$((k + 1))
  done < <(shard_dirs "$index")
  [ -z "$(cat "$prefix".[0-9]* | sort | uniq -d)" ] || fail "an id is held by two shards"
  local json found years
  json=$("$searcher" --index "$index" --json --limit 0 --facet year --facet-limit 0 geneva)
  found=$(printf '%s' "$json" | sed 's/.*"total":\([0-9]*\).*/\1/')
  years=$(printf '%s' "$json" | grep -o '"count":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }')
  [ "$found" = "$total" ] || fail "the index holds $total documents but a search finds $found: $json"
  [ "$years" = "$total" ] || fail "the year facet counts $years of $total documents: $json"
  echo "$total"
}

# input_offset PID FILE: how far process PID has read FILE (0 before it
# opens it, or once it has closed it or exited).
input_offset() {
  local fd
  for fd in /proc/"$1"/fd/*; do
    if [ "$(readlink "$fd" 2>/dev/null)" = "$2" ]; then
      awk '/^pos:/ { print $2 }' "/proc/$1/fdinfo/${fd##*/}" 2>/dev/null && return 0
    fi
  done
  echo 0
}

# write_articles N FILE: N small JSON Lines articles a000000, a000001, ...
# dated over ten years (2000-2009 by id), each naming its number, in input order.
write_articles() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"id\":\"a%06d\",\"title\":\"Headline %d\",\"date\":\"%d-06-01\",\"body\":\"Ministers met in Geneva for talks number %d.\"}\n", i, i, 2000 + i % 10, i }' \
    >"$2"
}

# expect_exit WHAT EXIT MESSAGE COMMAND...: COMMAND (no input) exits EXIT
# and says MESSAGE; its output is left in $work/cmd.out.
expect_exit() {
  local what="$1" code="$2" message="$3" status=0
  shift 3
  "$@" >"$work/cmd.out" 2>&1 </dev/null || status=$?
  [ "$status" = "$code" ] || fail "$what: exit $status, expected $code"
  grep -qF -- "$message" "$work/cmd.out" || fail "$what: no '$message'"
}

# Fault points (core/include/pundit/fault_point.hpp): a process run with
# PUNDIT_FAULT="POINT:pause=DIR" stops at POINT until the test releases it.
# wait_reached DIR POINT: waits (up to 60 s) until the process is there.
wait_reached() {
  local i
  for i in $(seq 1 1200); do
    [ -e "$1/$2.reached" ] && return 0
    sleep 0.05
  done
  fail "the process never reached the fault point $2"
}
# release DIR POINT: lets the process paused there go on.
release() { : >"$1/$2.go"; }

# search_count INDEX QUERY...: the exact number of matches, from --json.
search_count() {
  local index="$1"; shift
  "$searcher" --index "$index" --json --limit 0 "$@" | sed 's/.*"total":\([0-9]*\).*/\1/'
}

# N as the binaries print counts: with thousands separators (1500 -> 1,500).
format_count() {
  echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}
