#!/usr/bin/env python3
"""Where an indexing run's CPU goes, by pipeline stage, from a perf profile
recorded with call stacks.

Usage:
  perf record -F 199 --call-graph dwarf,16384 -o perf.data -- indexer add --index DIR FILE.jsonl
  perf script -i perf.data -F pid,tid,time,ip,sym,dso | perf_stages.py [--bucket S]

Each sample is put in one stage: the first stage of STAGES that any frame
of its stack matches. Prints the share of every stage in all samples, per
thread (the main thread, whose id is the process id, reads the input, then
fills the spelling table and writes the facet cache; the others are the
shard writers), and the main thread's stages over time in --bucket second
slices. Documented in README.md in this folder.
"""

import argparse
import collections
import os
import re
import sys

# (stage, pattern on a frame's symbol or library), in order of precedence:
# a sample belongs to the first stage that any frame of its stack matches,
# so ICU under the entity extractor counts as the extractor, a flush under
# commit as the commit, and a sample is "input reading" only when nothing
# more specific is on its stack. Xapian's internal (glass) functions have no
# exported symbols: its public entry points decide.
STAGES = [
    ("xapian: zlib compression of stored data and term lists (deflate)", r"\bdeflate|libz\.so"),
    ("xapian: commit (postlists, positions, B-trees to disk)", r"(WritableDatabase|Database::Internal)::commit\b"),
    ("spelling: Xapian's add_spelling", r"WritableDatabase::add_spelling|add_spelling_words"),
    ("spelling: merge of the term lists (add_index_words)", r"add_index_words|fill_spelling"),
    ("spelling: words counted per article", r"SpellingCollector|count_spelling"),
    ("facet cache rewrite", r"facet_cache|FacetCache|slot_section"),
    ("xapian: replace_document (inverter, stored data)",
     r"(WritableDatabase|Database::Internal)::(replace_document|add_document|delete_document)"),
    ("id lookup before writing (stored_hash / stored_document)", r"IndexWriter::stored_(document|hash)"),
    ("entity extractor", r"EntityExtractor|MentionResolver|NameMatcher|extract_entities|resolve_mentions"),
    ("language guess", r"guess_language"),
    ("fingerprint and content hash", r"fingerprint|content_hash|XXH"),
    ("ICU normalisation and segmentation (Normaliser)", r"Normaliser::"),
    ("stemming", r"Stemmer::|Xapian::Stem"),
    ("document builder (terms, values, stored article)", r"DocumentBuilder::|serialise_article"),
    ("JSON parsing", r"read_jsonl_record|nlohmann"),
    ("queues and locks", r"BoundedQueue|pthread_cond_wait|pthread_cond_signal|__lll_lock|futex"),
    ("input reading (file, UTF-8 check, routing)", r"InputReader|IngestRun::(route|read|send)|IdLocator"),
    ("writer loop (other)", r"IngestRun::write_shards|IndexWriter::"),
    ("start-up and end (gazetteer, opening, summary)", r"\bmain\b|load_gazetteer|Gazetteer"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in STAGES]
OTHER = "other (no stage on the stack)"


def stage_of(frames):
    for name, pattern in COMPILED:
        for frame in frames:
            if pattern.search(frame):
                return name
    return OTHER


def samples(lines):
    """Yields (pid, tid, time, [frames leaf first]) from perf script output."""
    header = re.compile(r"^\s*(\d+)/(\d+)\s+([\d.]+):")
    current = None
    for line in lines:
        m = header.match(line)
        if m:
            if current:
                yield current
            current = (int(m.group(1)), int(m.group(2)), float(m.group(3)), [])
            continue
        line = line.strip()
        if not line:
            if current:
                yield current
            current = None
            continue
        if current:
            # "ADDRESS SYMBOL+OFFSET (LIBRARY)": keep the symbol and the library.
            parts = line.split(None, 1)
            current[3].append(parts[1] if len(parts) > 1 else parts[0])
    if current:
        yield current


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bucket", type=float, default=5.0, help="seconds per slice of the main thread's timeline")
    args = ap.parse_args()
    total = collections.Counter()
    leaf_library = collections.Counter()
    per_thread = collections.defaultdict(collections.Counter)
    main_timeline = collections.defaultdict(collections.Counter)
    busy_timeline = collections.defaultdict(collections.Counter)  # bucket -> {main/writers: samples}
    first_time = None
    pid_seen = None
    for pid, tid, t, frames in samples(sys.stdin):
        if first_time is None:
            first_time = t
        pid_seen = pid
        stage = stage_of(frames)
        library = re.search(r"\(([^()]*)\)\s*$", frames[0]) if frames else None
        leaf_library[os.path.basename(library.group(1)) if library else "?"] += 1
        total[stage] += 1
        who = "main" if tid == pid else "writer"
        per_thread[(who, tid)][stage] += 1
        bucket = int((t - first_time) // args.bucket)
        busy_timeline[bucket][who] += 1
        if who == "main":
            main_timeline[bucket][stage] += 1
    n = sum(total.values())
    if not n:
        print("perf_stages: no samples on standard input", file=sys.stderr)
        return 1
    print("%d samples of process %d" % (n, pid_seen))
    print("\n| stage | share of all CPU samples |\n| --- | ---: |")
    for stage, count in total.most_common():
        print("| %s | %.1f%% |" % (stage, 100.0 * count / n))
    print("\nWhere the samples land (the library of the innermost frame):\n")
    print(", ".join("%s %.1f%%" % (lib, 100.0 * c / n) for lib, c in leaf_library.most_common(8)))
    print("\nPer thread (share of all samples; the thread's top stages):\n")
    for (who, tid), counter in sorted(per_thread.items(), key=lambda kv: -sum(kv[1].values())):
        m = sum(counter.values())
        top = ", ".join("%s %.0f%%" % (s, 100.0 * c / m) for s, c in counter.most_common(6))
        print("- %s %d: %.1f%% of all samples; %s" % (who, tid, 100.0 * m / n, top))
    print("\nMain thread over time (%g s slices; samples of main / writers, main's top stage):\n" % args.bucket)
    for bucket in sorted(busy_timeline):
        main_count = busy_timeline[bucket]["main"]
        top = main_timeline[bucket].most_common(1)
        print("  %6.0f s  main %5d  writers %5d  %s" % (
            bucket * args.bucket, main_count, busy_timeline[bucket]["writer"],
            "%s (%.0f%%)" % (top[0][0], 100.0 * top[0][1] / main_count) if top else "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
