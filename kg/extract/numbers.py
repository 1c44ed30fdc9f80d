"""Dates, document numbers (文号), money amounts and Chinese numerals."""

from __future__ import annotations

from kg.model import Amount, Date, DocNumber


def find_dates(text: str, default_year: int | None = None) -> tuple[Date, ...]:
    raise NotImplementedError


def find_doc_numbers(text: str) -> tuple[DocNumber, ...]:
    raise NotImplementedError


def find_amounts(text: str) -> tuple[Amount, ...]:
    raise NotImplementedError
