#!/usr/bin/env bash
# Runs one end-to-end case and compares it with its expectations:
#   check.sh NAME EXPECTED_EXIT -- COMMAND [ARG...]
# Stdout must equal expected/NAME.out and stderr expected/NAME.err (a missing
# file means "must be empty"); the exit code must equal EXPECTED_EXIT.
# Before comparing, the paths in $PUNDIT_CLI_INDEX_ROOT and $PUNDIT_SOURCE_DIR
# become @INDEX@ and @SRC@, and the timing in summaries becomes "in @SECONDS@ s".
# Environment: PUNDIT_CLI_STDIN (a file fed to standard input),
# PUNDIT_UPDATE_GOLDEN=1 (rewrite the expected files instead of comparing).
set -uo pipefail

name="$1"; expected_exit="$2"; shift 2
[ "$1" = "--" ] && shift
here="$(cd "$(dirname "$0")" && pwd)"
expected_dir="$here/expected"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

stdin_file="${PUNDIT_CLI_STDIN:-/dev/null}"
"$@" <"$stdin_file" >"$work/out" 2>"$work/err"
actual_exit=$?

scrub() {
  sed -e "s#${PUNDIT_CLI_INDEX_ROOT:-@@none@@}#@INDEX@#g" \
      -e "s#${PUNDIT_SOURCE_DIR:-@@none@@}#@SRC@#g" \
      -e 's/ in [0-9][0-9.]* s$/ in @SECONDS@ s/' "$1"
}
scrub "$work/out" >"$work/out.scrubbed"
scrub "$work/err" >"$work/err.scrubbed"

if [ "${PUNDIT_UPDATE_GOLDEN:-0}" = 1 ]; then
  for stream in out err; do
    if [ -s "$work/$stream.scrubbed" ]; then
      cp "$work/$stream.scrubbed" "$expected_dir/$name.$stream"
    else
      rm -f "$expected_dir/$name.$stream"
    fi
  done
  echo "updated $name (exit $actual_exit)"
  exit 0
fi

status=0
for stream in out err; do
  want="$expected_dir/$name.$stream"
  [ -f "$want" ] || want=/dev/null
  if ! diff -u --label "expected $name.$stream" --label "actual $name.$stream" "$want" "$work/$stream.scrubbed"; then
    status=1
  fi
done
if [ "$actual_exit" != "$expected_exit" ]; then
  echo "exit code: expected $expected_exit, got $actual_exit"
  status=1
fi
exit $status
