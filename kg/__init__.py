"""kg: knowledge graphs from Party inspection rectification notices."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.model import Notice

__version__ = "0.1.0"


def extract(text_or_path: str | Path) -> Notice:
    """Extract a `Notice` from notice text, or from the file at a path.

    A `Path`, or a short string naming an existing file, is read from disk;
    any other string is taken as the notice text itself.
    """
    from kg.pipeline import extract_notice

    return extract_notice(text_or_path)


__all__ = ["__version__", "extract"]
