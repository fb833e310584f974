"""MAP (cut at 1000) and nDCG@10 with binary relevance, trec_eval conventions."""

import math


def average_precision(ranking, relevant, depth=1000):
    if not relevant:
        return None
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranking[:depth], 1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def ndcg(ranking, relevant, k=10):
    if not relevant:
        return None
    dcg = sum(1.0 / math.log2(rank + 1) for rank, doc in enumerate(ranking[:k], 1) if doc in relevant)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant), k) + 1))
    return dcg / ideal


def evaluate(runs, qrels):
    """runs: qid -> ranked doc ids; qrels: qid -> set. Averages over every query with at least
    one relevant document (a query with no run, or no hits, scores 0)."""
    per_query = {}
    for qid, rel in qrels.items():
        if not rel:
            continue
        ranking = _dedup(runs.get(qid, []))
        per_query[qid] = (average_precision(ranking, rel), ndcg(ranking, rel))
    n = len(per_query)
    mean_ap = sum(v[0] for v in per_query.values()) / n if n else 0.0
    mean_ndcg = sum(v[1] for v in per_query.values()) / n if n else 0.0
    return mean_ap, mean_ndcg, per_query


def _dedup(ranking):
    seen, out = set(), []
    for d in ranking:
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out
