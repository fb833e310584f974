"""Helpers for scripts/eval-ranking: collection parsers, systems under test, metrics."""
