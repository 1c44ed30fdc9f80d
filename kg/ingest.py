"""Bytes → `Source`: encoding detection, HTML → notice body, NFC."""

from __future__ import annotations

from pathlib import Path

from kg.model import Source


def read_source(path: str | Path) -> Source:
    raise NotImplementedError


def source_from_text(text: str, path: str | None = None) -> Source:
    raise NotImplementedError
