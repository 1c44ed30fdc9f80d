"""Titles in 《》 with kind, relation and normalisation key; bracket-less
mentions of well-known rules."""

from __future__ import annotations

from kg.link import Gazetteer
from kg.model import Regulation, RuleMention, Source


def find_regulations(
    source: Source, gazetteer: Gazetteer | None = None
) -> tuple[Regulation, ...]:
    raise NotImplementedError


def find_rule_mentions(source: Source) -> tuple[RuleMention, ...]:
    raise NotImplementedError
