#!/usr/bin/env python3
"""Checks that README.md stays a short guide whose examples are true.

  readme_examples.py SOURCE_DIR INDEXER SEARCHER [--print]

- README.md is at most 250 lines (reference goes to the man pages, design to doc/).
- Every relative link of README.md and doc/*.md names a file of the repository, and the code
  map of doc/design.md names every header of core/ (one line each).
- Every fenced block of README.md that opens with a `$ COMMAND` line is run: each
  `$ ` line in turn, through bash, from the source directory, on one fresh index
  (NEWS_INDEX) that the blocks share in the order they appear, with the built
  indexer and searcher first on PATH. What follows a command, up to the next one,
  is its output (stdout and stderr together): a line `...` stands for any lines,
  `...` inside a line for any text, and the timing of a summary ("in 0.41 s") is
  not compared. --print shows each command's real output instead, to paste.
"""
import os
import re
import subprocess
import sys
import tempfile

MAX_LINES = 250
ELLIPSIS = "..."


def fenced_blocks(lines):
    """Yields the lines of each ``` block."""
    block = None
    for line in lines:
        if line.startswith("```"):
            if block is None:
                block = []
            else:
                yield block
                block = None
        elif block is not None:
            block.append(line)


def examples(block):
    """Splits a block opening with `$ ` into (command, expected lines) pairs."""
    pairs = []
    for line in block:
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return pairs


def scrub(lines):
    lines = [re.sub(r" in [0-9][0-9.]* s$", " in @SECONDS@ s", line) for line in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def pattern_of(expected):
    parts = []
    for line in expected:
        if line.strip() == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\n]*".join(re.escape(piece) for piece in line.split(ELLIPSIS)) + "\n")
    return re.compile("".join(parts))


def check_links(source, failures):
    files = ["README.md"] + ["doc/" + name for name in sorted(os.listdir(os.path.join(source, "doc")))
                             if name.endswith(".md")]
    for name in files:
        directory = os.path.dirname(os.path.join(source, name))
        with open(os.path.join(source, name), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", line):
                    if re.match(r"[a-z]+:", target):
                        continue
                    if not os.path.exists(os.path.join(directory, target)):
                        failures.append(f"{name}:{number}: the link '{target}' names no file")


def check_code_map(source, failures):
    """doc/design.md's code map names every header of core/."""
    with open(os.path.join(source, "doc", "design.md"), encoding="utf-8") as f:
        design = f.read()
    for directory in ("core/include/pundit", "core/src"):
        for name in sorted(os.listdir(os.path.join(source, directory))):
            if name.endswith(".hpp") and not re.search(r"^\s+" + re.escape(name) + r"\s", design, re.M):
                failures.append(f"doc/design.md: the code map does not describe {directory}/{name}")


def main():
    source, indexer, searcher = sys.argv[1:4]
    printing = "--print" in sys.argv[4:]
    failures = []
    with open(os.path.join(source, "README.md"), encoding="utf-8") as f:
        readme = f.read().splitlines()
    if len(readme) > MAX_LINES:
        failures.append(f"README.md: {len(readme)} lines, more than {MAX_LINES}: "
                        "reference belongs in man/, design in doc/")
    check_links(source, failures)
    check_code_map(source, failures)

    runs = 0
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ)
        env.update({
            "PATH": os.pathsep.join([os.path.dirname(os.path.abspath(indexer)),
                                     os.path.dirname(os.path.abspath(searcher)), env.get("PATH", "")]),
            "NEWS_INDEX": os.path.join(work, "index"),
            "XDG_CONFIG_HOME": os.path.join(work, "config"),
            "XDG_DATA_HOME": os.path.join(work, "data"),
            "NO_COLOR": "1",
            "COLUMNS": "80",
            "LC_ALL": "C.UTF-8",
        })
        env.pop("PUNDIT_GAZETTEER", None)
        for block in fenced_blocks(readme):
            if not block or not block[0].startswith("$ "):
                continue
            for command, expected in examples(block):
                runs += 1
                result = subprocess.run(["bash", "-c", command], cwd=source, env=env,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
                actual = scrub(result.stdout.splitlines())
                if printing:
                    print("$ " + command)
                    print("\n".join(actual))
                    continue
                if not pattern_of(scrub(expected)).fullmatch("".join(line + "\n" for line in actual)):
                    failures.append("README.md: `{}` printed:\n{}\n  where the README shows:\n{}".format(
                        command, "\n".join("    " + line for line in actual),
                        "\n".join("    " + line for line in expected)))
    if runs == 0:
        failures.append("README.md: no `$ command` example was found to run")
    for failure in failures:
        print("FAIL: " + failure)
    if not failures and not printing:
        print(f"README.md: {len(readme)} lines, {runs} examples as shown; links and code map complete")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
