"""The news collections of ../shared/datasets and Pundit's gazetteer, as the entity evaluation
(scripts/eval-entities) and its regression test (tests/entities/check-judgments) read them.

Articles are dicts {id, title, body, date?}; Reuters stories also carry their gold PEOPLE and
PLACES tags. Nothing read here is ever written into the repository.
"""

import collections
import functools
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

MONTHS = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}
REUTERS_FILES = 22
# The BBC files carry no date; the issue measures them as if published on this day (the
# collection is from 2004-2005), given to the indexer with --default-date.
BBC_DEFAULT_DATE = "2005-01-01"
POLNEAR_SPLITS = ("train", "dev", "test", "annotator-training")
CORPORA = ("reuters", "bbc", "polnear")


def fold(text):
    """Lower case, no diacritics, words separated by single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ı", "i")
    return " ".join(re.findall(r"\w+", text))


def read_tsv(path):
    """Rows of a tab-separated file without its '#' comments and its header line."""
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]
    return rows[1:]


def _clean(s):
    return html.unescape(s).replace("\x03", "").strip() if s else ""


def reuters_stories(folder):
    stories = []
    for n in range(REUTERS_FILES):
        with open(os.path.join(folder, "reut2-%03d.sgm" % n), encoding="latin-1") as f:
            data = f.read()
        for block in re.findall(r"<REUTERS(.*?)</REUTERS>", data, re.S):
            newid = re.search(r'NEWID="(\d+)"', block).group(1)
            m = re.search(r"<DATE>\s*(\d+)-(\w+)-(\d+)", block)
            date = "%s-%02d-%02d" % (m.group(3), MONTHS[m.group(2).upper()], int(m.group(1)))

            def field(tag):
                found = re.search(r"<%s>(.*?)</%s>" % (tag, tag), block, re.S)
                return re.findall(r"<D>(.*?)</D>", found.group(1)) if found else []

            title = re.search(r"<TITLE>(.*?)</TITLE>", block, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", block, re.S)
            text = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", block, re.S)
            t = _clean(title.group(1)) if title else ""
            b = _clean(body.group(1)) if body else ("" if title else _clean(text.group(1) if text else ""))
            # A story's paragraphs open with an indented line; Pundit's paragraphs are separated by a
            # blank line (the lead is the first).
            b = re.sub(r"\n[ \t]+(?=\S)", "\n\n", b)
            stories.append({"id": "reuters-" + newid, "title": t or b[:80] or "(untitled)", "body": b,
                            "date": date, "people": field("PEOPLE"), "places": field("PLACES")})
    return stories


def bbc_articles(folder):
    out = []
    for cat in sorted(os.listdir(folder)):
        path = os.path.join(folder, cat)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), encoding="latin-1") as f:
                lines = f.read().split("\n")
            out.append({"id": "bbc-%s-%s" % (cat, name[:-4]), "title": lines[0],
                        "body": "\n".join(lines[1:]).strip()})
    return out


def polnear_articles(folder):
    out = []
    for split in POLNEAR_SPLITS:
        path = os.path.join(folder, "data", split, "text")
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), encoding="utf-8") as f:
                lines = f.read().split("\n")
            out.append({"id": "polnear-" + name[:-4], "title": lines[0],
                        "body": "\n".join(lines[1:]).strip(), "date": name.split("_")[1]})
    return out


def default_datasets(root):
    """../shared/datasets beside the repository; for a git worktree elsewhere, beside the main
    checkout that owns it."""
    here = os.path.join(root, "..", "shared", "datasets")
    if os.path.isdir(here):
        return os.path.normpath(here)
    try:
        common = subprocess.run(["git", "-C", root, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        common = ""
    if common:
        main = os.path.join(os.path.dirname(common), "..", "shared", "datasets")
        if os.path.isdir(main):
            return os.path.normpath(main)
    return os.path.normpath(here)


def load_corpora(datasets, wanted=CORPORA):
    """{corpus: [article]} for the corpora present under `datasets`."""
    readers = {"reuters": (reuters_stories, "reuters21578"), "bbc": (bbc_articles, "bbc-news/bbc"),
               "polnear": (polnear_articles, "polnear")}
    out = {}
    for name in wanted:
        reader, sub = readers[name]
        folder = os.path.join(datasets, sub)
        if os.path.isdir(folder):
            out[name] = reader(folder)
    return out


def write_jsonl(articles, path):
    with open(path, "w", encoding="utf-8") as f:
        for a in articles:
            record = {k: a[k] for k in ("id", "title", "body") if k in a}
            if a.get("date"):
                record["date"] = a["date"]
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def default_date(corpus):
    return BBC_DEFAULT_DATE if corpus == "bbc" else ""


def tag(indexer, articles, corpus, gazetteer=None):
    """{article id: {kind: [tag]}} from `indexer tag` (the extractor `indexer add` runs)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "articles.jsonl")
        write_jsonl(articles, path)
        command = [indexer, "tag", "--format", "jsonl", path]
        if default_date(corpus):
            command[2:2] = ["--default-date", default_date(corpus)]
        if gazetteer:
            command[2:2] = ["--gazetteer", gazetteer]
        run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit("indexer tag failed: " + run.stderr[-2000:])
    return {j["id"]: j for j in map(json.loads, run.stdout.splitlines())}


class Gazetteer:
    """The names of corpus/gazetteer: leaders with their terms, countries, organisations."""

    def __init__(self, folder):
        self.leader_name, self.leader_forms, self.terms = {}, {}, collections.defaultdict(list)
        self.leader_keys = collections.defaultdict(set)
        for row in read_tsv(os.path.join(folder, "leaders.tsv")):
            lid, name = row[0], row[1]
            extra = [s for s in row[2].split("|") + row[3].split("|") if s]
            self.leader_name[lid] = name
            self.leader_forms[lid] = [name] + extra
            for form in [name] + extra:
                self.leader_keys[fold(form)].add(lid)
        for row in read_tsv(os.path.join(folder, "leader_terms.tsv")):
            self.terms[row[0]].append((row[4], row[5] or "9999"))
        self.country_name, self.country_forms, self.demonyms, self.capitals = {}, {}, {}, {}
        for row in read_tsv(os.path.join(folder, "countries.tsv")):
            code = row[0].lower()  # tags carry the code in lower case
            self.country_name[code] = row[1]
            self.country_forms[code] = [f for f in [row[1], row[2]] + row[3].split("|") if f]
            self.demonyms[code] = [d for d in row[4].split("|") if d]
            self.capitals[code] = [c for c in row[5].split("|") if c]
        self.org_name, self.org_forms = {}, {}
        for row in read_tsv(os.path.join(folder, "organisations.tsv")):
            self.org_name[row[0]] = row[1]
            self.org_forms[row[0]] = [f for f in [row[1]] + row[2].split("|") if f]

    def in_office(self, lid, date, slack_years=0):
        year = int(date[:4])
        return any(int(s[:4]) - slack_years <= year <= int(e[:4]) + slack_years for s, e in self.terms[lid])

    def name(self, kind, eid):
        table = {"country": self.country_name, "org": self.org_name}.get(kind, self.leader_name)
        return table.get(eid, eid)

    def forms(self, kind, eid):
        if kind == "leader":
            return self.leader_forms.get(eid, [eid])
        if kind == "country":
            # Capitals too: the extractor tags a country by its capital ("talks in Paris").
            return self.country_forms.get(eid, [eid]) + self.demonyms.get(eid, []) + self.capitals.get(eid, [])
        return self.org_forms.get(eid, [eid])


@functools.lru_cache(maxsize=None)
def form_pattern(form):
    """A regex for a gazetteer form in raw text: whole words; a short all-capitals form (US, UN)
    in capitals only, any other form case-insensitively."""
    body = r"\s+".join(re.escape(w) for w in form.split())
    flags = 0 if (form.isupper() and len(form) <= 4) else re.I
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", flags)


def contexts(article, forms, limit=2, width=160):
    """Up to `limit` snippets around the first mentions of any of `forms` (longest forms first),
    for the reviewer."""
    text = article["title"] + " || " + article["body"]
    spans = []
    for form in sorted(set(forms), key=len, reverse=True):
        for m in form_pattern(form).finditer(text):
            if not any(s <= m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
    spans.sort()
    out = []
    for s, e in spans[:limit]:
        a, b = max(0, s - width), min(len(text), e + width)
        out.append(("..." if a else "") + " ".join((text[a:s] + "[[" + text[s:e] + "]]" + text[e:b]).split()) +
                   ("..." if b < len(text) else ""))
    return out or ["(no mention found by a plain search)"]
