#!/usr/bin/env python3
"""Two searchers side by side, as processes, over the benchmark's questions.

Each searcher runs on an index of its own (an older build may not read a
newer index, nor a newer build its older one), and the questions alternate
between them, A B then B A, so that both see the machine in the same state:
on a shared or throttled machine, runs made one after the other differ by
more than the changes measured. For each question one untimed run of each
warms the caches; then --reps timed runs of each. Prints the median, p95
(nearest rank) and maximum of each searcher over all timed runs, then the
questions whose medians differ by more than --show-over milliseconds.

  scripts/benchkit/compare_searchers.py --a OLD/searcher --a-index OLD.idx \\
      --b build/release/searcher/searcher --b-index NEW.idx --any

Exit status 1 when a searcher fails on a question (its error is printed).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import percentile, read_queries  # noqa: E402

FACETS = ("leader", "country", "year")


def command(searcher, index, query, options, any_words, facets):
    cmd = [searcher, "--index", index, "--limit", "10", "--color", "never"] + options
    if any_words:
        cmd.append("--any")
    for facet in facets:
        cmd += ["--facet", facet]
    if query:
        cmd += ["--", query]
    return cmd


def timed(cmd, env):
    """Milliseconds for one process, and its error text when it failed."""
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, (done.stderr.decode(errors="replace").strip() if done.returncode else None)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help="the first searcher binary")
    parser.add_argument("--a-index", required=True, help="the index the first searcher reads")
    parser.add_argument("--b", required=True, help="the second searcher binary")
    parser.add_argument("--b-index", required=True, help="the index the second searcher reads")
    parser.add_argument("--queries", default=os.path.join(here, "queries.txt"),
                        help="questions in queries.txt's format (default: the benchmark's)")
    parser.add_argument("--reps", type=int, default=3, help="timed runs of each searcher per question (default 3)")
    parser.add_argument("--any", action="store_true", help="add --any (questions without words are left out)")
    parser.add_argument("--facets", action="store_true", help="count the leader, country and year facets")
    parser.add_argument("--show-over", type=float, default=2.0,
                        help="list questions whose medians differ by more than this many ms (default 2)")
    args = parser.parse_args()
    if args.reps < 1:
        parser.error("--reps must be at least 1")

    env = dict(os.environ, NO_COLOR="1")
    facets = FACETS if args.facets else ()
    sides = (("A", args.a, args.a_index), ("B", args.b, args.b_index))
    samples = {"A": [], "B": []}
    per_question = []
    failed = False
    for line, query, options in read_queries(args.queries):
        if args.any and not query:
            continue
        runs = {name: [] for name, _, _ in sides}
        for rep in range(args.reps + 1):
            for name, searcher, index in (sides if rep % 2 == 0 else sides[::-1]):
                elapsed, error = timed(command(searcher, index, query, options, args.any, facets), env)
                if error is not None:
                    print("%s failed on %r: %s" % (name, line, error), file=sys.stderr)
                    failed = True
                if rep > 0:
                    runs[name].append(elapsed)
        for name in runs:
            samples[name] += runs[name]
        per_question.append((line, statistics.median(runs["A"]), statistics.median(runs["B"])))

    if not per_question:
        print("no questions to run", file=sys.stderr)
        return 1
    for name, searcher, index in sides:
        s = samples[name]
        print("%s %s on %s: median %.1f ms, p95 %.1f, max %.1f (%d runs)"
              % (name, searcher, index, statistics.median(s), percentile(s, 95), max(s), len(s)))
    for line, a, b in per_question:
        if abs(a - b) > args.show_over:
            print("  %-60s A %6.1f  B %6.1f" % (line[:60], a, b))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
