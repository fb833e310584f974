#!/usr/bin/env python3
"""The benchmark driver behind scripts/bench (run that: it builds first).

For each corpus size: prepare the JSON Lines corpus (build/bench-data/),
index it with Pundit's indexer, the raw Xapian baseline and SQLite FTS5, each
under GNU time, then run the fixed query set (queries.txt) in-process
(query_bench) and as whole searcher processes. Writes a markdown report and
CSV files to build/bench-results/ and prints the report. README.md in this
folder documents what is measured and how.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GNU_TIME = "/usr/bin/time"
MB = 1e6  # reports use decimal megabytes
FACETS = ["leader", "country", "year"]
TOP_N = 10
# Cap on one engine's indexing run, so a hung process cannot stall the run.
INDEX_TIMEOUT_S = 6 * 3600


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------ measurement

def timed(cmd, stdin=None, timeout=INDEX_TIMEOUT_S):
    """Runs cmd under GNU time: wall, user+sys CPU, peak RSS, exit code, output."""
    stats_path = os.path.join(WORK, ".time-%d" % os.getpid())
    full = [GNU_TIME, "-o", stats_path, "-f", "%e %U %S %M"] + cmd
    start = time.perf_counter()
    proc = subprocess.run(full, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)
    wall = time.perf_counter() - start
    with open(stats_path) as f:
        # GNU time prefixes "Command exited with non-zero status N" when rc != 0.
        fields = f.read().strip().splitlines()[-1].split()
    os.remove(stats_path)
    return {"wall_s": wall, "cpu_s": float(fields[1]) + float(fields[2]),
            "rss_mb": int(fields[3]) * 1024 / MB, "rc": proc.returncode,
            "stdout": proc.stdout.decode("utf-8", "replace"),
            "stderr": proc.stderr.decode("utf-8", "replace")}


def disk_usage_mb(path):
    """Bytes allocated on disk (like du) under a file or directory, in MB."""
    if os.path.isfile(path):
        return os.stat(path).st_blocks * 512 / MB
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            total += os.stat(os.path.join(dirpath, name)).st_blocks * 512
    return total / MB


def percentile(samples, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


# ------------------------------------------------------------- the engines

def indexer_has_compact(indexer):
    """True when `indexer compact` is a subcommand (its --help says so)."""
    top = subprocess.run([indexer, "--help"], capture_output=True, text=True)
    return re.search(r"^\s+compact\b", top.stdout, re.M) is not None


def index_pundit(corpus, work, meta, has_compact):
    index = os.path.join(work, "pundit")
    shutil.rmtree(index, ignore_errors=True)
    r = timed([INDEXER, "add", "--index", index, corpus])
    # Counts are printed with thousands separators ("2,226 added").
    m = re.search(r"([\d,]+) added, ([\d,]+) replaced, ([\d,]+) unchanged, ([\d,]+) rejected", r["stdout"])
    count = lambda g: int(m.group(g).replace(",", ""))
    row = engine_row("pundit", r, meta, index)
    row["indexed"] = count(1) + count(2) if m else None
    row["rejected"] = count(4) if m else None
    row["note"] = (r["stdout"].strip().splitlines() or [""])[-1]
    if r["rc"] not in (0, 1):  # 1: some records rejected, the rest indexed
        row["error"] = "indexer add exited %d: %s" % (r["rc"], r["stderr"].strip()[-300:])
        return row
    if has_compact:
        c = timed([INDEXER, "compact", "--index", index])
        if c["rc"] == 0:
            row["compacted_mb"] = disk_usage_mb(index)
            row["compact_s"] = c["wall_s"]
        else:
            row["compacted_mb"] = "failed (rc %d: %s)" % (c["rc"], c["stderr"].strip()[:120])
    else:
        row["compacted_mb"] = "n/a (no indexer compact yet)"
    return row


def xapian_floor(index, work, row):
    """Xapian's own CPU for Pundit's documents: xapian_replay copies up to
    25,000 articles of the index's first shard and writes them as a writer
    thread does. Sets row["floor_ms"] (CPU ms an article) and returns a note."""
    if not os.path.exists(REPLAY) or row.get("error"):
        return None
    stub = os.path.join(index, "XAPIANDB")
    first = index
    if os.path.exists(stub):
        with open(stub) as f:
            shards = [line.split()[1] for line in f if line.startswith("auto ")]
        if not shards:
            return None
        first = os.path.join(index, shards[0])
    replay = os.path.join(work, "replay")
    r = subprocess.run([REPLAY, first, replay, "25000"], capture_output=True, text=True)
    shutil.rmtree(replay, ignore_errors=True)
    m = re.search(r"(\d+) documents, .* ([\d.]+) ms a document", r.stdout)
    if r.returncode != 0 or not m:
        return "xapian_replay failed (rc %d): %s" % (r.returncode, r.stderr.strip()[-200:])
    row["floor_ms"] = float(m.group(2))
    floor = row["floor_ms"] * row["articles"] / 1000
    return ("Xapian alone writing Pundit's documents (`xapian_replay`, %s articles of one shard): "
            "%.3f CPU ms an article, so at least %.0f CPU s (%.0f s on 2 cores) for the %s articles, "
            "of the %.0f CPU s `indexer add` took." % (
                "{:,}".format(int(m.group(1))), row["floor_ms"], floor, floor / 2,
                "{:,}".format(row["articles"]), row["cpu_s"] or 0))


def index_baseline(corpus, work, meta):
    index = os.path.join(work, "baseline")
    shutil.rmtree(index, ignore_errors=True)
    r = timed([BASELINE, index, corpus])
    row = engine_row("xapian-baseline", r, meta, index)
    m = re.search(r"(\d+) documents \((\d+) skipped\)", r["stdout"])
    row["indexed"] = int(m.group(1)) if m else None
    row["rejected"] = int(m.group(2)) if m else None
    if r["rc"] != 0:
        row["error"] = "xapian_baseline exited %d: %s" % (r["rc"], r["stderr"].strip()[-300:])
        return row
    # xapian-compact (xapian-tools) for the size a compacted stock index takes.
    compacted = index + ".compact"
    shutil.rmtree(compacted, ignore_errors=True)
    if shutil.which("xapian-compact"):
        c = subprocess.run(["xapian-compact", index, compacted], capture_output=True)
        if c.returncode == 0:
            row["compacted_mb"] = disk_usage_mb(compacted)
            shutil.rmtree(index)
            os.rename(compacted, index)  # queries then run on the compacted copy
    return row


FTS5_FIELDS = ["id", "title", "body", "date", "author", "source"]


def index_fts5(corpus, work, meta):
    """SQLite FTS5 through the sqlite3 shell: a CSV made from the same JSON
    Lines (untimed, like the corpus itself) is loaded with .import."""
    db = os.path.join(work, "fts5.db")
    csv_path = os.path.join(work, "fts5-input.csv")
    for p in (db, db + "-journal"):
        if os.path.exists(p):
            os.remove(p)
    with open(corpus, "rb") as src, open(csv_path, "w", encoding="utf-8", newline="") as dst:
        out = csv.writer(dst)
        for line in src:
            # The lines the corpus check rejects are left out, as the other
            # engines reject them.
            record, _ = corpora.check_record(line)
            if record is not None:
                out.writerow([str(record.get(f) or "") for f in FTS5_FIELDS])
    script = ("CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body, date UNINDEXED, "
              "author UNINDEXED, source UNINDEXED, tokenize='porter unicode61');\n"
              ".import --csv %s articles\n" % csv_path)
    script_path = os.path.join(work, "fts5-load.sql")
    with open(script_path, "w") as f:
        f.write(script)
    with open(script_path) as stdin:
        r = timed(["sqlite3", "-bail", db], stdin=stdin)
    os.remove(csv_path)
    row = engine_row("sqlite-fts5", r, meta, db)
    if r["rc"] != 0 or r["stderr"].strip():
        row["error"] = "sqlite3 exited %d: %s" % (r["rc"], r["stderr"].strip()[-300:])
        return row
    count = subprocess.run(["sqlite3", db, "SELECT count(*) FROM articles;"], capture_output=True, text=True)
    row["indexed"] = int(count.stdout.strip() or 0)
    row["rejected"] = meta["articles"] - row["indexed"]
    # FTS5's 'optimize' merges every b-tree segment: its counterpart of a compaction.
    subprocess.run(["sqlite3", db, "INSERT INTO articles(articles) VALUES('optimize'); VACUUM;"],
                   capture_output=True)
    row["compacted_mb"] = disk_usage_mb(db)
    return row


def engine_row(engine, r, meta, index_path):
    return {"engine": engine, "articles": meta["articles"], "text_mb": meta["text_bytes"] / MB,
            "wall_s": r["wall_s"], "docs_per_s": meta["articles"] / r["wall_s"],
            "mb_per_s": meta["text_bytes"] / MB / r["wall_s"], "cpu_s": r["cpu_s"],
            "cores_busy": r["cpu_s"] / r["wall_s"] if r["wall_s"] else None,
            "rss_mb": r["rss_mb"], "index_mb": disk_usage_mb(index_path), "compacted_mb": None,
            "indexed": None, "rejected": None, "error": None}


# ----------------------------------------------------------------- queries

def read_queries(path):
    """queries.txt -> [(line text, query string, [options])]."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            query, _, options = line.partition("|")
            out.append((line, query.strip(), shlex.split(options)))
    return out


def spec_of(query, options):
    """The query_bench spec of one queries.txt line."""
    spec = {"query": query, "leaders": []}
    it = iter(options)
    for opt in it:
        value = next(it)
        if opt == "--leader":
            spec["leaders"].append(value)
        elif opt in ("--since", "--until"):
            spec[opt[2:]] = value
        else:
            raise ValueError("queries.txt: unsupported option %s" % opt)
    return spec


def run_query_bench(engine, index, specs_path, reps, facets=()):
    cmd = [QUERY_BENCH, engine, index, specs_path, str(reps), "--limit", str(TOP_N)]
    for f in facets:
        cmd += ["--facet", f]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("query_bench %s failed: %s" % (engine, proc.stderr.strip()))
    per_query = {}
    for line in proc.stdout.splitlines():
        i, total, rest = line.split("\t", 2)
        if total == "error":
            per_query[int(i)] = {"error": rest, "ms": [], "total": None}
        else:
            per_query[int(i)] = {"error": None, "total": int(total),
                                 "ms": [int(us) / 1000 for us in rest.split(",") if us]}
    return per_query


def run_processes(index, queries, reps, facets=(), any_words=False):
    """Whole searcher processes, start-up included: one warm-up, then reps.
    any_words: the questions with words, as --any questions (a question
    without words is left out: --any changes nothing there)."""
    per_query = {}
    env = dict(os.environ, NO_COLOR="1")
    for i, (_, query, options) in enumerate(queries):
        if any_words and not query:
            continue
        cmd = [SEARCHER, "--index", index, "--limit", str(TOP_N), "--color", "never"] + options
        if any_words:
            cmd.append("--any")
        for f in facets:
            cmd += ["--facet", f]
        if query:
            # After "--": the searcher's repeatable options (--leader, --facet)
            # would otherwise take the query as one more value.
            cmd += ["--", query]
        samples, error = [], None
        for rep in range(reps + 1):
            start = time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            elapsed = (time.perf_counter() - start) * 1000
            if proc.returncode != 0:
                lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                error = "exit %d: %s" % (proc.returncode, lines[0] if lines else "")
                break
            if rep > 0:
                samples.append(elapsed)
        per_query[i] = {"error": error, "ms": samples if not error else [], "total": None}
    return per_query


def summarise(per_query):
    samples = [ms for q in per_query.values() for ms in q["ms"]]
    failed = sum(1 for q in per_query.values() if q["error"])
    if not samples:
        return {"ok": len(per_query) - failed, "failed": failed, "median_ms": None, "p95_ms": None, "max_ms": None}
    return {"ok": len(per_query) - failed, "failed": failed,
            "median_ms": statistics.median(samples), "p95_ms": percentile(samples, 95), "max_ms": max(samples)}


# ------------------------------------------------------------------ report

def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gb = 0.0
    try:
        with open("/proc/meminfo") as f:
            ram_gb = int(f.readline().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
    except OSError:
        load = "unknown"
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gb": ram_gb, "load": load,
            "os": platform.platform(), "python": platform.python_version()}


def fmt(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return "{:,}".format(value)
    if abs(value) >= 1000:
        return "{:,.0f}".format(value)
    return "{:.{}f}".format(value, digits)


def ratio(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b:
        return "%.2fx" % (a / b)
    return "-"


def render(results, info):
    md = ["# Pundit benchmark, %s" % info["date"], "",
          "Machine: %d CPUs (%s), %.1f GB RAM; %s; load average at start %s." % (
              info["machine"]["nproc"], info["machine"]["cpu"], info["machine"]["ram_gb"], info["machine"]["os"],
              info["machine"]["load"]),
          "Command: `%s`. Sources: %s." % (info["command"], info["revision"]), ""]
    idx_rows = [(c["corpus"], r) for c in results for r in c["index"]]
    if idx_rows:
        md += ["## Indexing", "",
               "docs/s and MB/s over the input articles and their title+body text (MB = 10^6 bytes); "
               "CPU = user+sys; cores busy = CPU s / wall s (2.0: two cores busy the whole run); "
               "RSS = peak resident set (GNU time); size = disk usage after indexing, "
               "compacted = after `indexer compact` / `xapian-compact` / FTS5 `optimize`+`VACUUM`.", "",
               "| corpus | engine | articles | indexed | text MB | wall s | docs/s | MB/s | CPU s | cores busy | "
               "peak RSS MB | index MB | compacted MB |",
               "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for corpus, r in idx_rows:
            if r.get("error"):
                md.append("| %s | %s | %s | error: %s | | | | | | | | | |" % (
                    corpus, r["engine"], fmt(r["articles"]), r["error"].replace("|", "/").replace("\n", " ")))
                continue
            md.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                corpus, r["engine"], fmt(r["articles"]), fmt(r["indexed"]), fmt(r["text_mb"]),
                fmt(r["wall_s"]), fmt(r["docs_per_s"], 0), fmt(r["mb_per_s"], 2), fmt(r["cpu_s"]),
                fmt(r["cores_busy"], 2), fmt(r["rss_mb"]), fmt(r["index_mb"]), fmt(r["compacted_mb"])))
        relative = []
        for c in results:
            by = {r["engine"]: r for r in c["index"] if not r.get("error")}
            ours, base = by.get("pundit"), by.get("xapian-baseline")
            if ours and base:
                relative.append("| %s | %s | %s | %s | %s | %s |" % (
                    c["corpus"], ratio(ours["wall_s"], base["wall_s"]), ratio(ours["cpu_s"], base["cpu_s"]),
                    ratio(ours["rss_mb"], base["rss_mb"]), ratio(ours["index_mb"], base["index_mb"]),
                    ratio(ours["compacted_mb"], base["compacted_mb"])))
        if relative:
            md += ["", "Pundit relative to the Xapian baseline (>1x: Pundit takes more):", "",
                   "| corpus | wall time | CPU | peak RSS | index size | compacted size |",
                   "| --- | ---: | ---: | ---: | ---: | ---: |"] + relative
        notes = [(c["corpus"], r) for c in results for r in c["index"] if r.get("note")]
        if notes:
            md += [""] + ["- %s, indexer summary: `%s`" % (corpus, r["note"]) for corpus, r in notes]
        md.append("")
    q_rows = [(c["corpus"], q) for c in results for q in c["queries"]]
    if q_rows:
        md += ["## Queries", "",
               "%d queries from scripts/benchkit/queries.txt, top %d, warm: each query once untimed, then "
               "timed repetitions (%d in-process, %d per process); median, p95 and max over all timed runs. "
               "`process --any`: the queries with words, with `--any`." % (
                   info["query_count"], TOP_N, info["reps"], info["process_reps"]), "",
               "| corpus | mode | engine | facets | queries ok | failed | median ms | p95 ms | max ms |",
               "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
        for corpus, q in q_rows:
            md.append("| %s | %s | %s | %s | %d | %d | %s | %s | %s |" % (
                corpus, q["mode"], q["engine"], q["facets"] or "none", q["ok"], q["failed"],
                fmt(q["median_ms"], 2), fmt(q["p95_ms"], 2), fmt(q.get("max_ms"), 2)))
        md += ["", "Pundit relative to the baseline, in-process, no facets:", "",
               "| corpus | median | p95 |", "| --- | ---: | ---: |"]
        for c in results:
            by = {(q["mode"], q["engine"], q["facets"]): q for q in c["queries"]}
            ours, base = by.get(("in-process", "pundit", "")), by.get(("in-process", "xapian-baseline", ""))
            if ours and base:
                md.append("| %s | %s | %s |" % (c["corpus"], ratio(ours["median_ms"], base["median_ms"]),
                                                 ratio(ours["p95_ms"], base["p95_ms"])))
        failures = sorted({(c["corpus"], q["engine"], f) for c in results for q in c["queries"]
                           for f in q["failures"]})
        if failures:
            md += ["", "Failed queries (left out of the latencies):", ""]
            md += ["- %s, %s: %s" % f for f in failures]
        md.append("")
    if info["notes"]:
        md += ["## Notes", ""] + ["- " + n for n in info["notes"]] + [""]
    return "\n".join(md)


def write_csv(path, results, info):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "corpus", "section", "engine", "mode", "facets", "metric", "value"])
        for c in results:
            for r in c["index"]:
                for metric in ("articles", "indexed", "rejected", "text_mb", "wall_s", "docs_per_s", "mb_per_s",
                               "cpu_s", "cores_busy", "rss_mb", "index_mb", "compacted_mb", "error"):
                    if r.get(metric) is not None:
                        w.writerow([info["date"], c["corpus"], "index", r["engine"], "", "", metric, r[metric]])
            for q in c["queries"]:
                for metric in ("ok", "failed", "median_ms", "p95_ms", "max_ms"):
                    w.writerow([info["date"], c["corpus"], "query", q["engine"], q["mode"], q["facets"],
                                metric, q[metric]])


def write_query_detail(path, details):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["corpus", "mode", "engine", "facets", "query", "total", "median_ms", "max_ms", "error"])
        for row in details:
            w.writerow(row)


def revision():
    """The checked-out commit, read from .git (git itself is not run); a
    worktree's .git is a file naming its git directory, whose branches live
    in the common directory."""
    try:
        git_dir = os.path.join(ROOT, ".git")
        if os.path.isfile(git_dir):
            with open(git_dir) as f:
                git_dir = os.path.join(ROOT, f.read().strip().split("gitdir: ", 1)[1])
        common = git_dir
        if os.path.exists(os.path.join(git_dir, "commondir")):
            with open(os.path.join(git_dir, "commondir")) as f:
                common = os.path.join(git_dir, f.read().strip())
        with open(os.path.join(git_dir, "HEAD")) as f:
            head = f.read().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        for d in (git_dir, common):
            if os.path.exists(os.path.join(d, ref)):
                with open(os.path.join(d, ref)) as f:
                    return "%s at %s (plus any uncommitted changes)" % (ref.split("/")[-1], f.read().strip()[:12])
        if os.path.exists(os.path.join(common, "packed-refs")):
            with open(os.path.join(common, "packed-refs")) as f:
                for line in f:
                    if line.rstrip("\n").endswith(" " + ref):
                        return "%s at %s (plus any uncommitted changes)" % (ref.split("/")[-1], line[:12])
        return ref
    except (OSError, IndexError):
        return "unknown"


# -------------------------------------------------------------------- main

def user_arguments(argv):
    """The command line without the options scripts/bench adds itself."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a in ("--build-dir", "--datasets", "--check-only"):
            skip = a != "--check-only"
        elif not a.startswith(("--build-dir=", "--datasets=")):
            out.append(a)
    return out


def external_corpora(paths, names):
    """[(name, path)] of the --corpus files, named by --corpus-name in the
    same order, else after the file (its name without .jsonl)."""
    paths, names = paths or [], names or []
    if len(names) > len(paths):
        raise ValueError("--corpus-name given %d times for %d --corpus" % (len(names), len(paths)))
    out = []
    for k, path in enumerate(paths):
        name = names[k] if k < len(names) else re.sub(r"\.jsonl$", "", os.path.basename(path.rstrip("/")))
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            raise ValueError("corpus name %r: use letters, digits, '.', '_' and '-' (it names a folder)" % name)
        out.append((name, path))
    return out


def corpus_name(size):
    """'reuters', or a scaled size as 1e5, 1e6, else the plain count."""
    if size == "reuters":
        return size
    exponent = len(str(size)) - 1
    return "1e%d" % exponent if size == 10 ** exponent else str(size)


def main():
    global INDEXER, SEARCHER, BASELINE, QUERY_BENCH, REPLAY, WORK
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Documented in scripts/benchkit/README.md.")
    ap.add_argument("--sizes",
                    help="comma-separated corpora: reuters (the raw 21,578 stories) and/or article counts of "
                         "scaled corpora such as 1e5, 1e6, 250k (default: reuters,1e5, or none with --corpus)")
    ap.add_argument("--corpus", action="append", metavar="FILE.jsonl",
                    help="a JSON Lines corpus of your own (repeatable; needs no datasets); runs after --sizes")
    ap.add_argument("--corpus-name", action="append", metavar="NAME",
                    help="the name of the --corpus in the same position (default: the file name without .jsonl)")
    ap.add_argument("--index-only", action="store_true", help="index, and run no queries")
    ap.add_argument("--skip-fts5", action="store_true", help="leave SQLite FTS5 out")
    ap.add_argument("--skip-baseline", action="store_true", help="leave the raw Xapian baseline out")
    ap.add_argument("--queries-only", action="store_true",
                    help="do not index: run the queries on the indexes a previous --keep run left")
    ap.add_argument("--keep", action="store_true", help="keep the indexes (build/bench-work/CORPUS/)")
    ap.add_argument("--reps", type=int, default=5, help="timed in-process repetitions per query (default 5)")
    ap.add_argument("--process-reps", type=int, default=3,
                    help="timed searcher processes per query and facet setting (default 3)")
    ap.add_argument("--seed", type=int, default=corpora.DEFAULT_SEED, help="seed of the corpus scaler")
    ap.add_argument("--queries", default=os.path.join(ROOT, "scripts", "benchkit", "queries.txt"))
    ap.add_argument("--datasets", default=corpora.datasets_dir())
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--output-dir", default=os.path.join(ROOT, "build"),
                    help="where bench-data/, bench-work/ and bench-results/ go (default: build/)")
    # scripts/bench checks the corpora before it spends minutes building.
    ap.add_argument("--check-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    try:
        sizes = [corpora.parse_size(s) for s in (args.sizes if args.sizes is not None else
                                                 "" if args.corpus else "reuters,1e5").split(",") if s.strip()]
    except ValueError as e:
        log("error: --sizes: %s" % e)
        return 2
    try:
        externals = external_corpora(args.corpus, args.corpus_name)
    except ValueError as e:
        log("error: %s" % e)
        return 2
    names = [corpus_name(size) for size in sizes] + [name for name, _ in externals]
    if len(set(names)) != len(names):
        log("error: two corpora are named %s; name them apart with --corpus-name" % sorted(
            n for n in set(names) if names.count(n) > 1)[0])
        return 2
    if sizes and (not os.path.isdir(args.datasets) or not corpora.available(args.datasets)):
        if not externals:
            log("no datasets at %s; nothing to benchmark" % args.datasets)
            return 0
        log("no datasets at %s: %s left out; only the --corpus files run" % (
            args.datasets, ", ".join(corpus_name(size) for size in sizes)))
        sizes = []

    data_dir = os.path.join(args.output_dir, "bench-data")
    results_dir = os.path.join(args.output_dir, "bench-results")
    work_root = os.path.join(args.output_dir, "bench-work")
    for d in (data_dir, results_dir, work_root):
        os.makedirs(d, exist_ok=True)
    WORK = work_root
    checked = {}  # name -> (path, meta) of each --corpus
    for name, path in externals:
        log("corpus %s: checking %s" % (name, path))
        try:
            checked[name] = corpora.external_corpus(path, data_dir, name, log)
        except ValueError as e:
            log("error: %s" % e)
            return 2
    if args.check_only:
        return 0

    INDEXER = os.path.join(args.build_dir, "indexer", "indexer")
    SEARCHER = os.path.join(args.build_dir, "searcher", "searcher")
    BASELINE = os.path.join(args.build_dir, "scripts", "benchkit", "xapian_baseline")
    QUERY_BENCH = os.path.join(args.build_dir, "scripts", "benchkit", "query_bench")
    REPLAY = os.path.join(args.build_dir, "scripts", "benchkit", "xapian_replay")
    needed = [INDEXER] + ([] if args.skip_baseline or args.queries_only else [BASELINE]) + \
        ([] if args.index_only else [SEARCHER, QUERY_BENCH])
    for tool in needed:
        if not os.access(tool, os.X_OK):
            log("error: %s is missing; run scripts/bench (it builds them)" % tool)
            return 2
    if not os.access(GNU_TIME, os.X_OK):
        log("error: %s (package time) is missing" % GNU_TIME)
        return 2
    if not args.skip_fts5 and not args.queries_only and not shutil.which("sqlite3"):
        log("error: sqlite3 is missing (package sqlite3), or pass --skip-fts5")
        return 2

    started = datetime.datetime.now()
    stamp = started.strftime("%Y%m%d-%H%M%S")
    queries = read_queries(args.queries)
    specs_path = os.path.join(work_root, "query-specs.jsonl")
    with open(specs_path, "w") as f:
        for _, query, options in queries:
            f.write(json.dumps(spec_of(query, options)) + "\n")
    has_compact = indexer_has_compact(INDEXER)
    info = {"date": started.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "revision": revision(),
            "command": " ".join(["scripts/bench"] + [shlex.quote(a) for a in user_arguments(sys.argv[1:])]),
            "query_count": len(queries), "reps": args.reps, "process_reps": args.process_reps, "notes": []}
    if not has_compact:
        info["notes"].append("`indexer compact` does not exist yet: Pundit's compacted size is n/a.")
    info["notes"].append("The baseline has no entity tags: a `--leader NAME` filter runs on it as the "
                         "phrase \"NAME\" ANDed to the query, the nearest stock-Xapian equivalent.")

    results, details = [], []
    for size in sizes + [name for name, _ in externals]:
        if size in checked:
            name = size
            corpus, meta = checked[name]
            info["notes"].append("%s: `%s`, %s article%s%s." % (
                name, corpus, "{:,}".format(meta["articles"]), "" if meta["articles"] == 1 else "s",
                ", %s bad line%s left out (every engine rejects them)" % (
                    "{:,}".format(meta["bad_lines"]), "" if meta["bad_lines"] == 1 else "s")
                if meta["bad_lines"] else ""))
        else:
            name = corpus_name(size)
            log("corpus %s: preparing" % name)
            t0 = time.perf_counter()
            if size == "reuters":
                corpus, meta = corpora.reuters_corpus(args.datasets, data_dir)
            else:
                corpus, meta = corpora.scaled_corpus(args.datasets, data_dir, size, args.seed)
        log("corpus %s: %s articles, %.1f MB of text" % (
            name, "{:,}".format(meta["articles"]), meta["text_bytes"] / MB))
        work = os.path.join(work_root, name)
        os.makedirs(work, exist_ok=True)
        entry = {"corpus": name, "index": [], "queries": []}
        results.append(entry)

        if not args.queries_only:
            log("corpus %s: indexing with pundit" % name)
            entry["index"].append(index_pundit(corpus, work, meta, has_compact))
            floor_note = xapian_floor(os.path.join(work, "pundit"), work, entry["index"][-1])
            if floor_note:
                info["notes"].append("%s: %s" % (name, floor_note))
            if not args.skip_baseline:
                log("corpus %s: indexing with the xapian baseline" % name)
                entry["index"].append(index_baseline(corpus, work, meta))
            if not args.skip_fts5:
                log("corpus %s: loading sqlite fts5" % name)
                entry["index"].append(index_fts5(corpus, work, meta))
            for r in entry["index"]:
                log("  %s: %s" % (r["engine"], r["error"] or "%.1f s, %.0f docs/s" % (r["wall_s"], r["docs_per_s"])))

        runs = []
        ours = os.path.join(work, "pundit")
        base = os.path.join(work, "baseline")
        if os.path.isdir(ours) and not args.index_only:
            runs += [("in-process", "pundit", "", lambda: run_query_bench("pundit", ours, specs_path, args.reps)),
                     ("in-process", "pundit", ",".join(FACETS),
                      lambda: run_query_bench("pundit", ours, specs_path, args.reps, FACETS)),
                     ("process", "pundit", "", lambda: run_processes(ours, queries, args.process_reps)),
                     ("process", "pundit", ",".join(FACETS),
                      lambda: run_processes(ours, queries, args.process_reps, FACETS)),
                     ("process --any", "pundit", "",
                      lambda: run_processes(ours, queries, args.process_reps, any_words=True))]
        elif not args.index_only:
            info["notes"].append("%s: no Pundit index to query (index it first, or run with --keep)" % name)
        if not args.skip_baseline and not args.index_only and os.path.isdir(base):
            runs.insert(1, ("in-process", "xapian-baseline", "",
                            lambda: run_query_bench("baseline", base, specs_path, args.reps)))
        for mode, engine, facets, run in runs:
            log("corpus %s: queries %s, %s%s" % (name, mode, engine, ", facets " + facets if facets else ""))
            try:
                per_query = run()
            except RuntimeError as e:
                info["notes"].append("%s: %s" % (name, e))
                continue
            s = summarise(per_query)
            s.update({"mode": mode, "engine": engine, "facets": facets,
                      "failures": sorted({"`%s`: %s" % (queries[i][0], q["error"])
                                          for i, q in per_query.items() if q["error"]})})
            entry["queries"].append(s)
            for i, q in sorted(per_query.items()):
                details.append([name, mode, engine, facets, queries[i][0], q["total"],
                                "%.3f" % statistics.median(q["ms"]) if q["ms"] else "",
                                "%.3f" % max(q["ms"]) if q["ms"] else "", q["error"] or ""])

        if not args.keep and not args.queries_only:
            shutil.rmtree(work, ignore_errors=True)

    report = render(results, info)
    md_path = os.path.join(results_dir, "bench-%s.md" % stamp)
    with open(md_path, "w") as f:
        f.write(report)
    write_csv(os.path.join(results_dir, "bench-%s.csv" % stamp), results, info)
    write_query_detail(os.path.join(results_dir, "bench-%s-queries.csv" % stamp), details)
    print(report)
    log("wrote %s, bench-%s.csv and bench-%s-queries.csv (total %.0f s)" % (
        md_path, stamp, stamp, (datetime.datetime.now() - started).total_seconds()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
