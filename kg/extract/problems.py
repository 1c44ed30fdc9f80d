"""Aspects (方面), problems (具体问题) and their measures, from the outline."""

from __future__ import annotations

from kg.model import Aspect, Outline, Source


def find_aspects(source: Source, outline: Outline) -> tuple[Aspect, ...]:
    raise NotImplementedError
