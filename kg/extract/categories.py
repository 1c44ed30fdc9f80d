"""Canonical issue categories for problems (SKOS scheme ontology/categories.ttl)."""

from __future__ import annotations

from kg.model import Problem


def classify_problem(problem: Problem) -> tuple[str, ...]:
    raise NotImplementedError
