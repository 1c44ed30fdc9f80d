"""Normalisation keys, gazetteers and cross-notice identity."""

from __future__ import annotations


class Gazetteer:
    """Known regulations: the project's own list plus an optional user TSV."""
