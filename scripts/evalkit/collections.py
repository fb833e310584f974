"""Parsers for the classic Glasgow/SMART test collections.

Each parser returns a Collection: documents (id, title, body), queries (id -> text) and
judgments (query id -> set of relevant document ids). Document and query ids are strings.
Titles: only an explicit title field (.T) is used; a collection without one gets the title
"." (Pundit's indexer refuses an empty title; "." produces no term in any of the systems).
See scripts/evalkit/README.md for the per-collection details.
"""

import os
import re
from dataclasses import dataclass, field

NO_TITLE = "."


@dataclass
class Collection:
    name: str
    docs: list = field(default_factory=list)      # [(id, title, body)]
    queries: dict = field(default_factory=dict)   # qid -> text (insertion order = file order)
    qrels: dict = field(default_factory=dict)     # qid -> set(doc ids)
    notes: list = field(default_factory=list)


def squash(text):
    return " ".join(text.split())


def read(path):
    with open(path, encoding="latin-1") as f:
        return f.read()


_SMART_FIELD = re.compile(r"^\.([A-Z])(?:\s+(.*))?$")


def parse_smart(path):
    """SMART format: records start with `.I n`, fields with `.X` lines. A repeated field
    (two .W in Cranfield 576/578, two .T in ADI 67) is concatenated. Returns [(id, {F: text})]."""
    records = []
    current = None
    fld = None
    for line in read(path).splitlines():
        m = _SMART_FIELD.match(line.rstrip())
        if m:
            tag, rest = m.group(1), (m.group(2) or "")
            if tag == "I":
                current = (rest.strip(), {})
                records.append(current)
                fld = None
            else:
                fld = tag
                if current is not None:
                    current[1][fld] = current[1].get(fld, "") + " " + rest
            continue
        if current is not None and fld is not None:
            current[1][fld] += "\n" + line
    return [(rid, {k: squash(v) for k, v in fields.items()}) for rid, fields in records]


def smart_docs(path, title_field="T", body_field="W"):
    docs = []
    for rid, f in parse_smart(path):
        title = f.get(title_field, "") if title_field else ""
        docs.append((rid, title or NO_TITLE, f.get(body_field, "")))
    return docs


def smart_queries(path, fields=("W",)):
    out = {}
    for rid, f in parse_smart(path):
        out[rid] = " ".join(f[x] for x in fields if f.get(x))
    return out


def qrels_columns(path, qcol, dcol, keep=None):
    """Whitespace-separated judgment lines; qcol/dcol are column indexes; keep(cols) filters."""
    rels = {}
    for line in read(path).splitlines():
        cols = line.split()
        if not cols:
            continue
        if keep is not None and not keep(cols):
            continue
        rels.setdefault(str(int(cols[qcol])), set()).add(str(int(cols[dcol])))
    return rels


def renumber_ids(d):
    """'001' -> '1' so query ids match the judgments' integers."""
    return {str(int(k)): v for k, v in d.items()}


# --------------------------------------------------------------------------- collections

def load_time(root):
    """TIME: TIME.ALL holds 423 `*TEXT nnn MM/DD/YY PAGE ppp` records (no separate headline).
    TIME.REL numbers documents by POSITION in the original 425-record file, not by the
    *TEXT number: judgment n <= 370 is the n-th record of TIME.ALL, n >= 380 is the
    (n-2)-th (two records between are missing from TIME.ALL; no judgment falls in 371-379).
    Our document ids are the *TEXT record numbers; judgments are mapped to them."""
    c = Collection("time")
    d = os.path.join(root, "time")
    records = []
    for block in re.split(r"^\*TEXT\s+", read(os.path.join(d, "TIME.ALL")), flags=re.M)[1:]:
        head, _, text = block.partition("\n")
        records.append((head.split()[0], squash(text)))
    for rid, text in records:
        c.docs.append((rid, NO_TITLE, text))
    for block in re.split(r"^\*FIND\s+", read(os.path.join(d, "TIME.QUE")), flags=re.M)[1:]:
        head, _, text = block.partition("\n")
        c.queries[str(int(head.split()[0]))] = squash(text.replace("*STOP", ""))
    unmapped = 0
    for line in read(os.path.join(d, "TIME.REL")).splitlines():
        cols = line.split()
        if not cols:
            continue
        qid = str(int(cols[0]))
        for n in map(int, cols[1:]):
            if n <= 370:
                pos = n
            elif n >= 380:
                pos = n - 2
            else:
                raise ValueError("TIME.REL: judgment %d falls in the unmappable gap 371-379" % n)
            if not 1 <= pos <= len(records):
                unmapped += 1
                continue
            c.qrels.setdefault(qid, set()).add(records[pos - 1][0])
    if unmapped:
        c.notes.append("%d TIME.REL judgments point past the end of TIME.ALL (ignored)" % unmapped)
    c.notes.append("TIME.REL positions mapped to *TEXT numbers (n<=370: n, n>=380: n-2)")
    return c


def load_cacm(root):
    d = os.path.join(root, "cacm")
    c = Collection("cacm")
    c.docs = smart_docs(os.path.join(d, "cacm.all"))
    c.queries = smart_queries(os.path.join(d, "query.text"))
    c.qrels = qrels_columns(os.path.join(d, "qrels.text"), 0, 1)
    return c


def load_cisi(root):
    d = os.path.join(root, "cisi")
    c = Collection("cisi")
    c.docs = smart_docs(os.path.join(d, "CISI.ALL"))
    c.queries = smart_queries(os.path.join(d, "CISI.QRY"))
    c.qrels = qrels_columns(os.path.join(d, "CISI.REL"), 0, 1)
    return c


def load_cran(root):
    """Cranfield: the judgments number queries 1..225 in FILE ORDER (the .I labels run to 365);
    relevance -1 counts as not relevant, 1-4 as relevant."""
    d = os.path.join(root, "cran")
    c = Collection("cran")
    c.docs = smart_docs(os.path.join(d, "cran.all.1400"))
    labelled = smart_queries(os.path.join(d, "cran.qry"))
    c.queries = {str(i + 1): text for i, text in enumerate(labelled.values())}
    c.qrels = qrels_columns(os.path.join(d, "cranqrel"), 0, 1, keep=lambda cols: int(cols[2]) > 0)
    c.notes.append("queries renumbered 1..225 in file order; relevance -1 = not relevant")
    return c


def load_med(root):
    d = os.path.join(root, "med")
    c = Collection("med")
    c.docs = smart_docs(os.path.join(d, "MED.ALL"), title_field=None)
    c.queries = smart_queries(os.path.join(d, "MED.QRY"))
    c.qrels = qrels_columns(os.path.join(d, "MED.REL"), 0, 2, keep=lambda cols: int(cols[3]) > 0)
    return c


def _slash_blocks(path):
    """NPL: blocks `n\\n text... \\n /` (the last block of rlv-ass may lack its '/')."""
    blocks = []
    for block in re.split(r"^\s*/\s*$", read(path), flags=re.M):
        lines = block.strip().split("\n", 1)
        if not lines[0].strip():
            continue
        blocks.append((str(int(lines[0].strip())), lines[1] if len(lines) > 1 else ""))
    return blocks


def load_npl(root):
    d = os.path.join(root, "npl")
    c = Collection("npl")
    c.docs = [(rid, NO_TITLE, squash(text)) for rid, text in _slash_blocks(os.path.join(d, "doc-text"))]
    c.queries = {rid: squash(text) for rid, text in _slash_blocks(os.path.join(d, "query-text"))}
    c.qrels = {rid: set(text.split()) for rid, text in _slash_blocks(os.path.join(d, "rlv-ass"))}
    c.qrels = {q: {str(int(x)) for x in v} for q, v in c.qrels.items() if v}
    return c


def load_adi(root):
    d = os.path.join(root, "adi")
    c = Collection("adi")
    c.docs = smart_docs(os.path.join(d, "ADI.ALL"))
    c.queries = smart_queries(os.path.join(d, "ADI.QRY"))
    c.qrels = qrels_columns(os.path.join(d, "ADI.REL"), 0, 1)
    return c


LOADERS = {
    "time": (load_time, "time/TIME.ALL"),
    "cacm": (load_cacm, "cacm/cacm.all"),
    "cisi": (load_cisi, "cisi/CISI.ALL"),
    "cran": (load_cran, "cran/cran.all.1400"),
    "med": (load_med, "med/MED.ALL"),
    "npl": (load_npl, "npl/doc-text"),
    "adi": (load_adi, "adi/ADI.ALL"),
}


def available(root):
    return [name for name, (_, probe) in LOADERS.items() if os.path.exists(os.path.join(root, probe))]


def load(name, root):
    c = LOADERS[name][0](root)
    c.queries = renumber_ids(c.queries)
    ids = [d[0] for d in c.docs]
    if len(set(ids)) != len(ids):
        raise ValueError("%s: duplicate document ids" % name)
    return c
