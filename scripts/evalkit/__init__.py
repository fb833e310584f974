"""Helpers for scripts/eval-ranking (collection parsers, systems under test, metrics) and
scripts/eval-entities (news.py: the news datasets and the gazetteer; judgments.py: hand verdicts)."""
