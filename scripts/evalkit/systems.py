"""The three systems: Pundit (our binaries), raw Xapian (python3-xapian), SQLite FTS5.
Each exposes build(docs) and search(words, depth) -> ranked doc ids."""

import json
import os
import shutil
import sqlite3
import subprocess

from . import querytext


def write_jsonl(docs, path):
    with open(path, "w", encoding="utf-8") as f:
        for did, title, body in docs:
            f.write(json.dumps({"id": did, "title": title, "body": body}, ensure_ascii=False) + "\n")


class Pundit:
    name = "pundit"

    def __init__(self, indexer, searcher, workdir, jsonl):
        self.indexer, self.searcher = indexer, searcher
        self.index = os.path.join(workdir, "pundit-index")
        self.jsonl = jsonl
        self.errors = []

    def build(self, docs):
        shutil.rmtree(self.index, ignore_errors=True)
        cmd = [self.indexer, "add", "--index", self.index, "--no-entities", self.jsonl]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
        self.summary = p.stdout.strip()
        warnings = [l for l in p.stderr.splitlines() if l.strip()]
        self.index_warnings = len(warnings)

    def search(self, ws, depth):
        if not ws:
            return []
        q = querytext.pundit_query(ws)
        cmd = [self.searcher, "--index", self.index, "--json", "--any", "--limit", str(depth), "--", q]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            self.errors.append("%r: exit %d: %s" % (q[:80], p.returncode, p.stderr.strip()[:300]))
            return []
        # Identical documents fold into one hit, which names its copies: they rank right after it.
        ranked = [i for h in json.loads(p.stdout)["hits"] for i in [h["id"]] + h.get("duplicates", [])]
        return ranked[:depth]


class RawXapian:
    """Stock Xapian: TermGenerator(Stem english, STEM_SOME), title and body unprefixed,
    default BM25Weight; QueryParser(Stem english, STEM_SOME, default_op OR, default flags)."""
    name = "xapian"

    def __init__(self, workdir):
        import xapian
        self.x = xapian
        self.path = os.path.join(workdir, "xapian-index")

    def build(self, docs):
        x = self.x
        shutil.rmtree(self.path, ignore_errors=True)
        db = x.WritableDatabase(self.path, x.DB_CREATE_OR_OVERWRITE)
        tg = x.TermGenerator()
        tg.set_stemmer(x.Stem("english"))
        tg.set_stemming_strategy(x.TermGenerator.STEM_SOME)
        for did, title, body in docs:
            doc = x.Document()
            tg.set_document(doc)
            tg.index_text(title)
            tg.increase_termpos()
            tg.index_text(body)
            doc.set_data(did)
            doc.add_boolean_term("Q" + did)
            db.add_document(doc)
        db.commit()
        db.close()
        self.db = x.Database(self.path)
        self.qp = x.QueryParser()
        self.qp.set_stemmer(x.Stem("english"))
        self.qp.set_stemming_strategy(x.QueryParser.STEM_SOME)
        self.qp.set_default_op(x.Query.OP_OR)
        self.qp.set_database(self.db)

    def search(self, ws, depth):
        if not ws:
            return []
        enq = self.x.Enquire(self.db)
        enq.set_query(self.qp.parse_query(querytext.xapian_query(ws)))
        return [m.document.get_data().decode("utf-8") for m in enq.get_mset(0, depth)]


class Fts5:
    """SQLite FTS5: fts5(title, body, tokenize='porter unicode61'), words ORed as strings,
    ORDER BY bm25(docs) (default column weights, k1=1.2, b=0.75)."""
    name = "fts5"

    def __init__(self, workdir):
        self.path = os.path.join(workdir, "fts5.sqlite")

    @staticmethod
    def check():
        try:
            c = sqlite3.connect(":memory:")
            c.execute("CREATE VIRTUAL TABLE t USING fts5(a)")
            c.close()
            return True
        except sqlite3.OperationalError:
            return False

    def build(self, docs):
        if os.path.exists(self.path):
            os.remove(self.path)
        self.db = sqlite3.connect(self.path)
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61')")
        self.db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                            ((i + 1, t, b) for i, (_, t, b) in enumerate(docs)))
        self.db.commit()
        self.ids = [d[0] for d in docs]

    def search(self, ws, depth):
        if not ws:
            return []
        rows = self.db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                               (querytext.fts5_query(ws), depth))
        return [self.ids[r[0] - 1] for r in rows]
