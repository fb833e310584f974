#!/usr/bin/env python3
"""scripts/benchkit/compare_searchers.py on the sample articles: the build's
searcher against itself on two indexes of them reports each side's median,
p95 and maximum over every timed run, leaves out questions without words
under --any, and exits 1, naming the side and the question, when a searcher
fails on one.

Usage: compare_searchers.py SOURCE_DIR BUILD_DIR.
"""

import os
import re
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, what, detail=""):
    if not condition:
        FAILURES.append("%s%s" % (what, "\n" + detail if detail else ""))


def main():
    source, build = sys.argv[1], sys.argv[2]
    indexer = os.path.join(build, "indexer", "indexer")
    searcher = os.path.join(build, "searcher", "searcher")
    script = os.path.join(source, "scripts", "benchkit", "compare_searchers.py")
    with tempfile.TemporaryDirectory() as tmp:
        indexes = []
        for name in ("a.idx", "b.idx"):
            path = os.path.join(tmp, name)
            subprocess.run([indexer, "add", "--quiet", "--index", path, os.path.join(source, "corpus", "articles")],
                           check=True, capture_output=True)
            indexes.append(path)
        questions = os.path.join(tmp, "questions.txt")
        with open(questions, "w", encoding="utf-8") as f:
            f.write("# a comment\nsanctions\n\"prime minister\"\n| --leader putin\n")
        base = [sys.executable, script, "--a", searcher, "--a-index", indexes[0],
                "--b", searcher, "--b-index", indexes[1], "--queries", questions, "--reps", "2"]

        done = subprocess.run(base + ["--show-over", "-1"], capture_output=True, text=True)
        check(done.returncode == 0, "a clean comparison exits 0", done.stderr)
        for side, index in (("A", indexes[0]), ("B", indexes[1])):
            line = re.search(r"^%s \S+ on %s: median [0-9.]+ ms, p95 [0-9.]+, max [0-9.]+ \((\d+) runs\)$"
                             % (side, re.escape(index)), done.stdout, re.M)
            check(line is not None, "side %s is summed up" % side, done.stdout)
            # Three questions, two timed runs each.
            check(line is not None and line.group(1) == "6", "side %s counts its timed runs" % side, done.stdout)
        check(done.stdout.count(" A ") >= 3, "every question is listed over a negative threshold", done.stdout)

        done = subprocess.run(base + ["--any"], capture_output=True, text=True)
        check(re.search(r"\(4 runs\)", done.stdout) is not None, "--any leaves the question without words out",
              done.stdout)

        with open(questions, "a", encoding="utf-8") as f:
            f.write("| --leader zzzzqx\n")
        done = subprocess.run(base, capture_output=True, text=True)
        check(done.returncode == 1, "a failing question makes the exit status 1", done.stdout + done.stderr)
        check("A failed on '| --leader zzzzqx'" in done.stderr and "B failed on" in done.stderr,
              "the failing side and question are named", done.stderr)

    for failure in FAILURES:
        print("FAIL:", failure)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
