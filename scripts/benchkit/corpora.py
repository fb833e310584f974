"""Readers for the staged news datasets and the deterministic corpus scaler.

Nothing here copies dataset text into the repository: every file written goes
under the output directory the caller names (scripts/bench uses
build/bench-data/, which build/ keeps out of git).

Datasets, under /work/shared/datasets (or $PUNDIT_DATASETS):
  bbc-news/bbc/<category>/NNN.txt        line 1 headline, blank line, body
  reuters21578/reut2-0NN.sgm             SGML, Latin-1, 21,578 <REUTERS> stories
  polnear/data/<split>/text/<publisher>_<YYYY-MM-DD>_<slug>.txt
"""

import glob
import html
import json
import os
import random
import re

DEFAULT_DATASETS = "/work/shared/datasets"

# Synthetic articles take this many real paragraphs (inclusive range).
PARAGRAPHS_PER_ARTICLE = (3, 8)
# The seed of the scaler's PRNG: the same seed gives byte-identical corpora.
DEFAULT_SEED = 20240601
# Bump when the generated corpora change, so cached files are rebuilt.
GENERATOR_VERSION = 1

_MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def datasets_dir():
    return os.environ.get("PUNDIT_DATASETS", DEFAULT_DATASETS)


def _read_text(path):
    """Decodes a dataset file: UTF-8 when valid, else Latin-1 (old BBC files)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _paragraphs(text):
    """Blank-line separated paragraphs, each collapsed to one line."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        para = " ".join(block.split())
        if para:
            out.append(para)
    return out


# ----------------------------------------------------------------- readers
# Each reader yields dicts with the JSON Lines fields indexer add reads:
# id, title, body (paragraphs joined by blank lines), date, author, source.

def read_bbc(root):
    for path in sorted(glob.glob(os.path.join(root, "bbc-news", "bbc", "*", "*.txt"))):
        category = os.path.basename(os.path.dirname(path))
        text = _read_text(path).replace("\r\n", "\n")
        title, _, rest = text.partition("\n")
        paras = _paragraphs(rest)
        # A few files start the body with the headline again.
        if paras and paras[0] == title.strip():
            paras = paras[1:]
        yield {"id": "bbc-%s-%s" % (category, os.path.basename(path)[:-4]),
               "title": title.strip(), "body": "\n\n".join(paras),
               "date": "", "author": "", "source": "BBC News"}


_REUTERS_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)


def _tag(story, name):
    # Attributes allowed: BRIEF and UNPROC stories open <TEXT TYPE="...">.
    m = re.search(r"<%s(?:\s[^>]*)?>(.*?)</%s>" % (name, name), story, re.S)
    return m.group(1) if m else ""


def _reuters_date(raw):
    """'26-FEB-1987 15:01:01.79' -> '1987-02-26' ('' when malformed)."""
    m = re.match(r"\s*(\d{1,2})-([A-Z]{3})-(\d{4})", raw)
    if not m or m.group(2) not in _MONTHS:
        return ""
    return "%s-%02d-%02d" % (m.group(3), _MONTHS[m.group(2)], int(m.group(1)))


def _reuters_body(raw):
    """Reuters bodies are hard-wrapped; paragraphs start with an indent."""
    raw = raw.replace("\x03", "")
    raw = re.sub(r"\s*Reuter\s*$", "", raw.strip())
    paras = []
    for block in re.split(r"\n(?=[ \t]+\S)", raw):
        para = " ".join(block.split())
        if para:
            paras.append(para)
    return paras


def read_reuters(root):
    for path in sorted(glob.glob(os.path.join(root, "reuters21578", "reut2-*.sgm"))):
        with open(path, "rb") as f:
            text = f.read().decode("latin-1")
        for m in _REUTERS_STORY.finditer(text):
            attrs, story = m.group(1), m.group(2)
            newid = re.search(r'NEWID="(\d+)"', attrs).group(1)
            story = html.unescape(story).replace("\x03", "")
            title = " ".join(_tag(story, "TITLE").split())
            author = " ".join(_tag(story, "AUTHOR").split())
            author = re.sub(r"^(?i:by)\s+", "", author)
            author = re.sub(r",\s*Reuters$", "", author)
            body = _tag(story, "BODY")
            if not body:
                # TYPE="BRIEF"/"UNPROC" stories keep their text directly in <TEXT>.
                body = re.sub(r"<[^>]+>", " ", _tag(story, "TEXT"))
            yield {"id": "reuters-" + newid, "title": title,
                   "body": "\n\n".join(_reuters_body(body)),
                   "date": _reuters_date(_tag(story, "DATE")),
                   "author": author, "source": "Reuters"}


_POLNEAR_NAME = re.compile(r"^([a-z-]+)_(\d{4}-\d{2}-\d{2})_(.*)\.txt$")


def read_polnear(root):
    base = os.path.join(root, "polnear", "data")
    authors = {}
    meta = os.path.join(base, "metadata.tsv")
    if os.path.exists(meta):
        with open(meta, encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            for line in f:
                row = dict(zip(header, line.rstrip("\n").split("\t")))
                if row.get("author") not in (None, "", "None"):
                    authors[row["filename"]] = row["author"]
    for split in ("train", "dev", "test", "annotator-training"):
        for path in sorted(glob.glob(os.path.join(base, split, "text", "*.txt"))):
            name = os.path.basename(path)
            m = _POLNEAR_NAME.match(name)
            if not m:
                continue
            paras = _paragraphs(_read_text(path).replace("\r\n", "\n"))
            if not paras:
                continue
            yield {"id": "polnear-%s-%s" % (split, name[:-4]), "title": paras[0],
                   "body": "\n\n".join(paras[1:]), "date": m.group(2),
                   "author": authors.get(name[:-4], ""), "source": m.group(1)}


READERS = {"bbc": read_bbc, "reuters": read_reuters, "polnear": read_polnear}


def available(root):
    """The datasets present under `root`, in a fixed order."""
    probes = {"bbc": ("bbc-news", "bbc"), "reuters": ("reuters21578",),
              "polnear": ("polnear", "data")}
    return [name for name in ("bbc", "reuters", "polnear")
            if os.path.isdir(os.path.join(root, *probes[name]))]


# ------------------------------------------------------------------ writers

def _write_jsonl(path, records):
    """Writes records to `path` atomically; returns (count, text bytes)."""
    tmp = path + ".tmp"
    count = text_bytes = 0
    with open(tmp, "w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False))
            out.write("\n")
            count += 1
            text_bytes += len(r["title"].encode("utf-8")) + len(r["body"].encode("utf-8"))
    os.replace(tmp, path)
    return count, text_bytes


def _cached(path, params):
    """The stored stats when `path` was generated with these params, else None."""
    meta_path = path + ".meta.json"
    if not (os.path.exists(path) and os.path.exists(meta_path)):
        return None
    with open(meta_path) as f:
        meta = json.load(f)
    return meta if meta.get("params") == params else None


def _store_meta(path, params, count, text_bytes):
    meta = {"params": params, "articles": count, "text_bytes": text_bytes}
    with open(path + ".meta.json", "w") as f:
        json.dump(meta, f)
    return meta


def reuters_corpus(root, out_dir):
    """The raw Reuters-21578 corpus as JSON Lines (every story, as is)."""
    path = os.path.join(out_dir, "reuters.jsonl")
    params = {"kind": "reuters", "version": GENERATOR_VERSION}
    meta = _cached(path, params)
    if meta is None:
        count, text_bytes = _write_jsonl(path, read_reuters(root))
        meta = _store_meta(path, params, count, text_bytes)
    return path, meta


class Pool:
    """Real headlines, paragraphs, dates and authors from every dataset."""

    def __init__(self, root):
        self.headlines, self.paragraphs, self.dates, self.bylines = [], [], [], []
        for name in available(root):
            for r in READERS[name](root):
                if r["title"]:
                    self.headlines.append((r["title"], r["source"]))
                self.paragraphs.extend(p for p in r["body"].split("\n\n") if p)
                if r["date"]:
                    self.dates.append(r["date"])
                if r["author"]:
                    self.bylines.append(r["author"])
        # Articles without a byline stay that way in the same proportion.
        if not self.bylines:
            self.bylines.append("")


def scaled_corpus(root, out_dir, size, seed=DEFAULT_SEED):
    """`size` synthetic articles recombined from real text, streamed to disk.

    Each article takes a real headline (and its source), 3-8 real paragraphs
    and a real date, all drawn with a seeded PRNG, so the vocabulary and term
    distribution stay those of news text while the corpus grows. Only the
    pool is held in memory, never the articles.
    """
    path = os.path.join(out_dir, "scaled-%d.jsonl" % size)
    params = {"kind": "scaled", "size": size, "seed": seed, "version": GENERATOR_VERSION,
              "datasets": available(root)}
    meta = _cached(path, params)
    if meta is not None:
        return path, meta
    pool = Pool(root)
    rng = random.Random(seed)
    lo, hi = PARAGRAPHS_PER_ARTICLE

    def articles():
        for n in range(size):
            title, source = rng.choice(pool.headlines)
            paras = [rng.choice(pool.paragraphs) for _ in range(rng.randint(lo, hi))]
            # Half of the articles get a byline, drawn from the real ones.
            author = rng.choice(pool.bylines) if rng.random() < 0.5 else ""
            yield {"id": "syn-%07d" % n, "title": title, "body": "\n\n".join(paras),
                   "date": rng.choice(pool.dates), "author": author, "source": source}

    count, text_bytes = _write_jsonl(path, articles())
    meta = _store_meta(path, params, count, text_bytes)
    return path, meta


# ---------------------------------------------------------- external corpora
# A JSON Lines file of the user's own, benchmarked as it is. Each line is
# checked for what indexer add reads (jsonl_reader.cpp): a JSON object with
# a "body" string; an "id" (indexer add would make one from the file name
# and line, but the benchmark keys every engine's documents by it), a string
# or an integer; and the other article fields, when present, strings.

# The optional string fields of an article, as in kArticleFields (article.hpp).
STRING_FIELDS = ("title", "author", "date", "source", "url", "language")
# Bad lines reported one by one before the rest are only counted.
MAX_REPORTED_LINES = 10


def _json_type(value):
    """nlohmann's name for the type of a parsed JSON value, as the indexer says it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def check_record(line):
    """(record, None) for a line the benchmark indexes, else (None, reason);
    (None, None) for a blank line, which every engine skips."""
    text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
    if not text.strip():
        return None, None
    try:
        record = json.loads(text)
    except ValueError as e:
        return None, "malformed JSON: %s" % e
    if not isinstance(record, dict):
        return None, "expected a JSON object, found %s" % _json_type(record)
    rid = record.get("id")
    if rid is None:
        return None, 'missing "id" (the benchmark keys every engine\'s documents by it)'
    if isinstance(rid, bool) or not isinstance(rid, (str, int)):
        return None, 'field "id" must be a string or an integer, not %s' % _json_type(rid)
    if rid == "":
        return None, 'field "id" is empty'
    if record.get("body") is None:
        return None, 'missing "body"'
    for name in ("body",) + STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return None, 'field "%s" must be a string, not %s' % (name, _json_type(value))
    return record, None


def check_jsonl(path, report):
    """Checks every line of `path`; calls report("PATH:LINE: error: reason")
    for the first MAX_REPORTED_LINES bad lines. Returns (articles, text bytes,
    bad lines)."""
    count = text_bytes = bad = 0
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            record, problem = check_record(line)
            if problem:
                bad += 1
                if bad <= MAX_REPORTED_LINES:
                    report("%s:%d: error: %s" % (path, number, problem))
                continue
            if record is None:
                continue
            count += 1
            text_bytes += len((record.get("title") or "").encode("utf-8")) + len(record["body"].encode("utf-8"))
    if bad > MAX_REPORTED_LINES:
        report("%s: %d more bad lines not shown" % (path, bad - MAX_REPORTED_LINES))
    return count, text_bytes, bad


def external_corpus(path, out_dir, name, report):
    """The user's JSON Lines file `path`, checked (the check's counts are
    cached in out_dir/external-NAME.jsonl.meta.json while the file is
    unchanged and clean).
    Returns (path, meta); meta["bad_lines"] counts the lines every engine
    will reject. Raises ValueError when the file cannot be read or holds no
    article."""
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
        with open(real, "rb"):
            pass
    except OSError as e:
        raise ValueError("%s: cannot read: %s" % (path, e.strerror or e))
    if not os.path.isfile(real):
        raise ValueError("%s: not a regular file" % path)
    meta_base = os.path.join(out_dir, "external-%s.jsonl" % name)
    params = {"kind": "external", "path": real, "bytes": st.st_size, "mtime_ns": st.st_mtime_ns,
              "version": GENERATOR_VERSION}
    meta = _cached_meta(meta_base, params)
    if meta is None:
        count, text_bytes, bad = check_jsonl(path, report)
        meta = {"params": params, "articles": count, "text_bytes": text_bytes, "bad_lines": bad}
        # Only a clean check is kept: a file with bad lines is checked (and
        # its lines reported) again on every run.
        if bad == 0:
            with open(meta_base + ".meta.json", "w") as f:
                json.dump(meta, f)
    if meta["articles"] == 0:
        raise ValueError("%s: no article in it (JSON Lines with \"id\" and \"body\" on each line; "
                         "see scripts/benchkit/README.md)" % path)
    return real, meta


def _cached_meta(path, params):
    """The stored stats of `path`'s check when made with these params, else None."""
    try:
        with open(path + ".meta.json") as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    return meta if meta.get("params") == params else None


def parse_size(text):
    """'reuters' -> 'reuters'; '1e5' / '100000' / '100k' -> 100000."""
    text = text.strip().lower()
    if text == "reuters":
        return text
    mult = 1
    if text.endswith("k"):
        text, mult = text[:-1], 1000
    elif text.endswith("m"):
        text, mult = text[:-1], 1000000
    value = float(text) * mult
    if value < 1 or value != int(value):
        raise ValueError("bad size: %r" % text)
    return int(value)
