#!/usr/bin/env bash
# Installs the build into a temporary prefix and checks the manual pages and
# shell completions:
#   install_docs.sh BUILD_DIR INDEXER SEARCHER
set -uo pipefail
build="$1"; indexer="$2"; searcher="$3"
here="$(cd "$(dirname "$0")" && pwd)"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

cmake --install "$build" --prefix "$prefix" >"$prefix/install.log" 2>&1 || { cat "$prefix/install.log"; exit 1; }
for file in bin/indexer bin/searcher share/man/man1/indexer.1 share/man/man1/searcher.1 share/man/man5/pundit-json.5 \
    share/bash-completion/completions/indexer share/bash-completion/completions/searcher \
    share/zsh/site-functions/_pundit; do
  [ -s "$prefix/$file" ] || fail "cmake --install did not install $file"
done

# The long options a --help lists.
options_of() { "$@" --help | grep -oE '(^|[ ,])--[a-z][a-z-]*' | sed 's/^[ ,]//' | sort -u; }

for page in indexer searcher; do
  manpage="$prefix/share/man/man1/$page.1"
  [ -s "$manpage" ] || continue
  grep -q '@PROJECT_VERSION@' "$manpage" && fail "$page.1: the version was not filled in"
  if command -v man >/dev/null; then
    # --warnings makes groff report every problem it finds in the page.
    rendered="$(MANWIDTH=100 LC_ALL=C.UTF-8 man --warnings -l "$manpage" 2>"$prefix/$page.warnings")"
    [ -s "$prefix/$page.warnings" ] && { fail "man -l $page.1 warns:"; cat "$prefix/$page.warnings"; }
  else
    rendered="$(groff -man -Tutf8 -ww -z "$manpage" 2>&1 >/dev/null)"
    [ -n "$rendered" ] && fail "groff warns on $page.1: $rendered"
    rendered="$(groff -man -Tutf8 "$manpage" 2>/dev/null | col -b)"
  fi
  for section in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' ENVIRONMENT EXAMPLES; do
    grep -q "^$section" <<<"$rendered" || fail "$page.1 has no $section section"
  done
done

# The JSON format is an installed page, which searcher(1) points to, and every
# key the searcher prints is in it.
json_page="$prefix/share/man/man5/pundit-json.5"
if [ -s "$json_page" ]; then
  json_text="$(MANWIDTH=200 LC_ALL=C.UTF-8 man --warnings -l "$json_page" 2>"$prefix/json.warnings")"
  [ -s "$prefix/json.warnings" ] && { fail "man -l pundit-json.5 warns:"; cat "$prefix/json.warnings"; }
  grep -q '^SEE ALSO' <<<"$json_text" || fail "pundit-json.5 has no SEE ALSO section"
  grep -q 'pundit-json(5)' <(MANWIDTH=200 man -l "$prefix/share/man/man1/searcher.1" 2>/dev/null) ||
    fail "searcher.1 does not point to pundit-json(5)"
  grep -q 'README' "$prefix/share/man/man1/searcher.1" && fail "searcher.1 sends readers to the README, which is not installed"
  printf '%s\n' \
    '{"id":"a","title":"Putin in Minsk","body":"Vladimir Putin went to Minsk.","date":"2019-06-29","author":"A. Writer","source":"The Daily","url":"http://example.org/a"}' \
    '{"id":"b","title":"Putin again","body":"Vladimir Putin spoke of Minsk."}' >"$prefix/json.jsonl"
  "$indexer" add --quiet --index "$prefix/json-index" "$prefix/json.jsonl" >/dev/null 2>&1 || fail "indexer add failed on json.jsonl"
  {
    "$searcher" --index "$prefix/json-index" --json --leader putin --since 2019 --facet year --facet author \
      --timeline year --limit 1
    "$searcher" --index "$prefix/json-index" --json --like a
    "$searcher" --index "$prefix/json-index" --json --show a
  } >"$prefix/json.out" 2>/dev/null
  for key in $(grep -oE '"[a-z_]+":' "$prefix/json.out" | tr -d '":' | sort -u); do
    grep -qw -- "$key" <<<"$json_text" || fail "pundit-json.5 does not document the key $key of searcher --json"
  done
  [ -s "$prefix/json.out" ] || fail "searcher --json printed nothing to check pundit-json.5 against"
fi

# Every option of every --help is documented in the page and completed.
check_options() { # PAGE COMPLETION-FUNCTION-TEXT OPTION...
  local page="$1" rendered; shift
  rendered="$(MANWIDTH=200 man -l "$prefix/share/man/man1/$page.1" 2>/dev/null)"
  for option in $(options_of "$@"); do
    grep -qF -- "$option" <<<"$rendered" || fail "$page.1 does not document $option (from $* --help)"
    grep -qF -- "$option" "$here/../../completions/pundit.bash" || fail "the bash completion lacks $option"
    grep -qF -- "$option" "$here/../../completions/_pundit" || fail "the zsh completion lacks $option"
  done
}
check_options searcher "$searcher"
check_options indexer "$indexer"
for command in add remove tag compact repair; do
  check_options indexer "$indexer" "$command"
  grep -qE "^\.BI? \"?$command( |\"|\$)" "$prefix/share/man/man1/indexer.1" || fail "indexer.1 does not describe $command"
done

# The completion scripts parse, and the bash one completes.
bash -n "$prefix/share/bash-completion/completions/searcher" || fail "bash -n rejects the completion script"
if command -v zsh >/dev/null; then
  zsh -n "$prefix/share/zsh/site-functions/_pundit" || fail "zsh -n rejects _pundit"
fi
complete_line() { # FUNCTION WORD... : prints the completions of the last word
  bash -c 'source "$1"; f="$2"; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$f"; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
    sh "$prefix/share/bash-completion/completions/searcher" "$@"
}
expect() { # EXPECTED FUNCTION WORD...
  local want="$1"; shift
  local got; got="$(complete_line "$@" | sort | tr '\n' ' ')"
  [ "$got" = "$want" ] || fail "completing '$*': expected '$want', got '$got'"
}
mkdir -p "$prefix/idx-a" "$prefix/idx-b"
expect "leader " _searcher searcher --facet le
expect "newest " _searcher searcher --sort n
expect "--new-since-last " _searcher searcher --new-
expect "add " _indexer indexer a
expect "compact " _indexer indexer c
expect "--index " _indexer indexer add --ind
expect "--merge " _indexer indexer compact --m
expect "jsonl " _indexer indexer add --format j
expect "$prefix/idx-a $prefix/idx-b " _searcher searcher --index "$prefix/idx-"
# Saved-search names come from `searcher --saved` for the index on the line.
mkdir -p "$prefix/config/pundit"
key="$(cd "$prefix/idx-a" && pwd -P)"
printf '{"format_version":1,"indexes":{"%s":{"putin-daily":{"query":"putin","any":false,"since":null,"until":null,"authors":[],"sources":[],"languages":[],"leaders":[],"countries":[],"organisations":[],"created":0,"last_run":null},"pope":{"query":"pope","any":false,"since":null,"until":null,"authors":[],"sources":[],"languages":[],"leaders":[],"countries":[],"organisations":[],"created":0,"last_run":null}}}}\n' "$key" \
  >"$prefix/config/pundit/saved-searches.json"
export XDG_CONFIG_HOME="$prefix/config"
expect "pope putin-daily " _searcher "$searcher" --index "$prefix/idx-a" --run p
expect "putin-daily " _searcher "$searcher" --index "$prefix/idx-a" --forget pu
expect "" _searcher "$searcher" --index "$prefix/idx-b" --run p

[ $status = 0 ] && echo "man pages, completions and install: ok"
exit $status
