"""Persons named with a role: 党组书记章明皓, 管委会主任龙伟钢."""

from __future__ import annotations

from kg.model import Person, Source


def find_persons(source: Source) -> tuple[Person, ...]:
    raise NotImplementedError
