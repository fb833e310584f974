#!/usr/bin/env bash
# A JSON line nested too deep (16 MiB of '[', the largest record accepted) is
# refused while it is parsed, by `indexer add` and `indexer tag` alike: one
# diagnostic, the records around it kept, exit status 1, and peak memory
# within a few times the line's size above a run on the small records alone
# (it was 1.3 GB when the nesting was built first).
# Usage: json_nesting.sh INDEXER
set -euo pipefail
indexer="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { { echo "$1"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; } >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "no /usr/bin/time (Debian package time): skipped"; exit 77; }

# Memory the deep line may add, in MB: three times its 16 MiB. AddressSanitizer
# keeps freed memory in quarantine, so its builds get more room.
extra_limit_mb=48
if grep -q __asan_init "$indexer"; then extra_limit_mb=150; fi

record() { printf '{"id":"%s","title":"Record %s","body":"Ministers met in Geneva."}\n' "$1" "$1"; }
small="$work/small.jsonl"
deep="$work/deep.jsonl"
{ record a; record b; } >"$small"
{ record a; head -c $((16 * 1024 * 1024)) /dev/zero | tr '\0' '['; printf '\n'; record b; } >"$deep"

peak_kb() { tail -n 1 "$work/rss"; }

for command in add tag; do
  args=("$command")
  [ "$command" = add ] && args+=(--index "$work/idx-small-$command")
  /usr/bin/time -f %M -o "$work/rss" "$indexer" "${args[@]}" "$small" >"$work/out" 2>"$work/err" || fail "$command of the small records failed"
  base_kb=$(peak_kb)

  args=("$command")
  [ "$command" = add ] && args+=(--index "$work/idx-deep-$command")
  status=0
  /usr/bin/time -f %M -o "$work/rss" "$indexer" "${args[@]}" "$deep" >"$work/out" 2>"$work/err" || status=$?
  [ "$status" = 1 ] || fail "$command: exit status $status, expected 1"
  printf '%s\n' "$deep:2: error: JSON nested deeper than 32 levels" | diff -u - "$work/err" || fail "$command: unexpected diagnostics"
  if [ "$command" = add ]; then
    grep -q "^indexer: 2 added, 0 replaced, 0 unchanged, 1 rejected from 1 file in " "$work/out" || fail "add: unexpected summary"
  else
    [ "$(grep -c '"id":"[ab]"' "$work/out")" = 2 ] || fail "tag: the records around the deep line were not both tagged"
  fi
  extra_mb=$(( ($(peak_kb) - base_kb) / 1024 ))
  [ "$extra_mb" -lt "$extra_limit_mb" ] || fail "$command: the deep line took $extra_mb MB more memory, over $extra_limit_mb MB"
  echo "$command: a 16 MiB line of '[' refused with $extra_mb MB more peak memory (limit $extra_limit_mb MB)"
done
