"""Hand verdicts on entity tags: tests/entities/judgments.tsv.

One row per (corpus, article, kind, entity): verdict 1 when the article discusses that very
person, country or organisation, 0 when the tag names someone or something else. `tagged` is
whether Pundit tagged the pair when the row was last recorded (1/0), which the regression test
compares with the tags of today. Kind `read` (entity `leaders`) marks an article read whole for
the leader recall: every leader it discusses then has a row with verdict 1, tagged or not.
Notes are the judge's own words; no dataset text.
"""

import os

COLUMNS = ("corpus", "article", "kind", "entity", "verdict", "tagged", "note")
HEADER = """# Hand verdicts on entity tags (scripts/eval-entities; regression test tests/entities/check-judgments).
# verdict 1: the article discusses that very person/country/organisation (in office or not);
# 0: the tag names another one (namesake, company, street, team-mate, byline...).
# tagged: whether Pundit tagged the pair when the row was last recorded (scripts/eval-entities --record).
# kind read / entity leaders: the article was read whole for the leader recall.
# Ids and verdicts only: no dataset text.
"""
READ = ("read", "leaders")


def key(corpus, article, kind, entity):
    return (corpus, article, kind, entity)


def load(path):
    """{key: {verdict, tagged, note}} in file order."""
    rows = {}
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        cells = (line.split("\t") + [""] * len(COLUMNS))[:len(COLUMNS)]
        if cells[4] not in ("0", "1"):
            continue
        rows[key(*cells[:4])] = {"verdict": cells[4], "tagged": cells[5], "note": cells[6]}
    return rows


def save(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("\t".join(COLUMNS) + "\n")
        for k in sorted(rows):
            r = rows[k]
            f.write("\t".join(list(k) + [r["verdict"], r.get("tagged", ""), r.get("note", "")]) + "\n")


def read_review(path):
    """Verdicts filled into a --review file: rows whose verdict column is 0 or 1."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 6 or cells[4].strip() not in ("0", "1"):
                continue
            out[key(*cells[:4])] = {"verdict": cells[4].strip(), "note": cells[5].strip()}
    return out
