"""Heading recognition → section tree."""

from __future__ import annotations

from kg.model import Outline


def build_outline(text: str) -> Outline:
    raise NotImplementedError
