#!/usr/bin/env python3
"""scripts/bench on a JSON Lines corpus of one's own (--corpus), with no
datasets: the corpus is checked line by line (bad lines named by file and
line, and left out), indexed, and reported with the cores busy; a missing
file is an error; without --corpus and without datasets nothing runs, as
before. Runs scripts/benchkit/bench.py on the build's indexer with
--index-only (the query helpers are built only by scripts/bench).

Usage: bench_corpus.py SOURCE_DIR BUILD_DIR. Exit 77 (skipped) without GNU
time, which the benchmark measures with.
"""

import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, what, detail=""):
    if not condition:
        FAILURES.append("%s%s" % (what, "\n" + detail if detail else ""))


def articles(count):
    """Small news-like articles, enough for every engine to index."""
    leaders = ["Angela Merkel", "Vladimir Putin", "Nelson Mandela", "Margaret Thatcher"]
    out = []
    for n in range(count):
        leader = leaders[n % len(leaders)]
        out.append({"id": "own-%03d" % n, "title": "%s speaks on trade, part %d" % (leader, n),
                    "body": "%s spoke about trade and the budget.\n\nMarkets rose %d points after the speech."
                            % (leader, n),
                    "date": "2015-03-%02d" % (n % 28 + 1), "author": "Desk %d" % (n % 3), "source": "wire"})
    return out


def packages_installed(source_dir):
    """Whether scripts/bench would install nothing (so the test never runs apt-get)."""
    listed = subprocess.run(["bash", "-c", 'source "$1/scripts/lib/common.sh"; echo "${PUNDIT_PACKAGES[@]}"',
                             "bash", source_dir], capture_output=True, text=True).stdout.split()
    for package in listed + ["time", "sqlite3", "python3"]:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        if "install ok installed" not in status.stdout:
            return False
    return True


def run(bench, args, env):
    return subprocess.run([sys.executable, bench] + args, capture_output=True, text=True, env=env, timeout=120)


def main():
    source_dir, build_dir = sys.argv[1], sys.argv[2]
    if not os.access("/usr/bin/time", os.X_OK):
        print("GNU time (package time) is not installed: skipped")
        return 77
    bench = os.path.join(source_dir, "scripts", "benchkit", "bench.py")
    tmp = tempfile.mkdtemp(prefix="bench-corpus-")
    try:
        env = dict(os.environ, PUNDIT_DATASETS=os.path.join(tmp, "no-datasets"))
        common = ["--build-dir", build_dir, "--output-dir", os.path.join(tmp, "out"), "--index-only",
                  "--skip-baseline"]
        if not shutil.which("sqlite3"):
            common.append("--skip-fts5")

        # A clean corpus: every article indexed, the cores busy reported.
        own = os.path.join(tmp, "own.jsonl")
        with open(own, "w") as f:
            for a in articles(30):
                f.write(json.dumps(a) + "\n")
        r = run(bench, common + ["--corpus", own, "--corpus-name", "mine"], env)
        check(r.returncode == 0, "clean corpus: exit %d" % r.returncode, r.stderr)
        row = re.search(r"^\| mine \| pundit \| 30 \| 30 \|(.*)$", r.stdout, re.M)
        check(row is not None, "clean corpus: no pundit row with 30 articles, 30 indexed", r.stdout)
        if row:
            cells = [c.strip() for c in row.group(1).split("|")]
            # text MB, wall s, docs/s, MB/s, CPU s, cores busy, ...
            cpu, wall, busy = float(cells[4]), float(cells[1]), float(cells[5])
            # The table rounds CPU s and wall s to 0.1: busy lies between the
            # ratios of the ends of their rounding intervals.
            low, high = max(cpu - 0.05, 0) / (wall + 0.05), (cpu + 0.05) / max(wall - 0.05, 0.005)
            check(0 < busy <= os.cpu_count() + 0.5 and low - 0.01 <= busy <= high + 0.01,
                  "clean corpus: cores busy %s is not CPU s / wall s (%s / %s)" % (busy, cpu, wall))
        check("| cores busy |" in r.stdout, "clean corpus: no cores busy column", r.stdout)
        if "--skip-fts5" not in common:
            check(re.search(r"^\| mine \| sqlite-fts5 \| 30 \| 30 \|", r.stdout, re.M) is not None,
                  "clean corpus: no FTS5 row with 30 indexed", r.stdout)
        tables = glob.glob(os.path.join(tmp, "out", "bench-results", "bench-*[0-9].csv"))
        rows = list(csv.reader(open(tables[0]))) if tables else []
        check(any(row[1] == "mine" and row[3] == "pundit" and row[6] == "cores_busy" for row in rows),
              "clean corpus: no cores_busy in the CSV")

        # Bad lines: each named by file and line, left out by every engine,
        # the rest benchmarked.
        bad = os.path.join(tmp, "bad.jsonl")
        good = articles(5)
        with open(bad, "w") as f:
            f.write(json.dumps(good[0]) + "\n")
            f.write(json.dumps({"id": "x1", "title": "no body"}) + "\n")
            f.write('{"id": "x2", "body": "cut short\n')
            f.write(json.dumps({"id": "x3", "body": "text", "date": 20150301}) + "\n")
            f.write("\n")
            f.write(json.dumps([1, 2]) + "\n")
            for a in good[1:]:
                f.write(json.dumps(a) + "\n")
        r = run(bench, common + ["--corpus", bad], env)
        check(r.returncode == 0, "bad lines: exit %d" % r.returncode, r.stderr)
        for line, reason in [(2, 'missing "body"'), (3, "malformed JSON: "),
                             (4, 'field "date" must be a string, not number'),
                             (6, "expected a JSON object, found array")]:
            check("bench: %s:%d: error: %s" % (bad, line, reason) in r.stderr,
                  "bad lines: line %d not reported as %r" % (line, reason), r.stderr)
        check(re.search(r"^\| bad \| pundit \| 5 \| 5 \|", r.stdout, re.M) is not None,
              "bad lines: no pundit row with 5 articles, 5 indexed", r.stdout)
        check("4 bad lines left out" in r.stdout, "bad lines: the report does not say 4 were left out", r.stdout)

        # A missing file is an error before anything runs.
        missing = os.path.join(tmp, "nowhere.jsonl")
        r = run(bench, common + ["--corpus", missing], env)
        check(r.returncode == 2, "missing file: exit %d, not 2" % r.returncode, r.stderr)
        check("bench: error: %s: cannot read: No such file or directory" % missing in r.stderr,
              "missing file: message", r.stderr)

        # A file of no articles is an error too.
        empty = os.path.join(tmp, "empty.jsonl")
        open(empty, "w").write("\n")
        r = run(bench, common + ["--corpus", empty], env)
        check(r.returncode == 2 and "%s: no article in it" % empty in r.stderr,
              "empty file: exit %d" % r.returncode, r.stderr)

        # Two corpora of one name, or more names than corpora: refused.
        r = run(bench, common + ["--corpus", own, "--corpus", own], env)
        check(r.returncode == 2 and "two corpora are named own" in r.stderr, "same name twice", r.stderr)
        r = run(bench, common + ["--corpus", own, "--corpus-name", "a", "--corpus-name", "b"], env)
        check(r.returncode == 2 and "--corpus-name given 2 times for 1 --corpus" in r.stderr,
              "names without corpora", r.stderr)

        # Without --corpus, no datasets still means nothing to do, and success.
        r = run(bench, common, env)
        check(r.returncode == 0 and "nothing to benchmark" in r.stderr, "no datasets: exit %d" % r.returncode,
              r.stderr)

        # scripts/bench itself: without datasets it stops at once, unless
        # given --corpus, whose file it checks before building anything.
        script = os.path.join(source_dir, "scripts", "bench")
        r = subprocess.run([script, "--sizes", "1e5"], capture_output=True, text=True, env=env, timeout=60)
        check(r.returncode == 0 and "nothing to benchmark" in r.stderr, "scripts/bench, no datasets", r.stderr)
        if packages_installed(source_dir):
            r = subprocess.run([script, "--corpus", missing], capture_output=True, text=True, env=env, timeout=60)
            check(r.returncode == 2 and "bench: error: %s: cannot read" % missing in r.stderr,
                  "scripts/bench --corpus MISSING: exit %d" % r.returncode, r.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in FAILURES:
        print("FAIL: " + f)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
