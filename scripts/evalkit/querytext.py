"""Query text -> bag of words, and the per-system OR query strings built from it."""

import re
import unicodedata

# Characters that are query syntax in Pundit/Xapian or FTS5: quotes, parentheses, brackets,
# braces, colons, wildcard, love/hate. They become spaces.
_SYNTAX = re.compile(r"[\"“”„«»()\[\]{}:*+\-–—^]")


def words(text, dedup=True):
    """Lower-cased (NFKC, casefold) words in order, duplicates dropped. Lower case matters:
    the TIME queries are all capitals, and upper-case AND/OR/NOT/NEAR would be operators.
    Punctuation at either end of a word is stripped; inside a word (u.s, nam's) it is left
    for each engine's own tokeniser, which treats it as it did at index time."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out, seen = [], set()
    for tok in _SYNTAX.sub(" ", text).split():
        tok = re.sub(r"^\W+|\W+$", "", tok)
        if not tok or not re.search(r"\w", tok) or (dedup and tok in seen):
            continue
        seen.add(tok)
        out.append(tok)
    return out


def pundit_query(ws):
    """Plain words; the searcher runs with --any (any word matches, like Xapian's OR)."""
    return " ".join(ws)


def xapian_query(ws):
    """Plain words; the QueryParser's default_op is OR."""
    return " ".join(ws)


def fts5_query(ws):
    """Each word an FTS5 string (a word that the tokeniser splits, like u.s, is a phrase)."""
    return " OR ".join('"%s"' % w.replace('"', '""') for w in ws)
