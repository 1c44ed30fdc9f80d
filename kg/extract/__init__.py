"""Extractors: one module per kind of fact, each a plain typed function.

This package is also the public entry point ``kg.extract(text_or_path)``: the
name ``kg.extract`` cannot be both a function and this package (importing any
extractor rebinds the attribute to the package), so the package itself is made
callable (module ``__class__`` assignment, Python data model §3.3.2.1).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.link import Gazetteer
    from kg.model import Notice


class _ExtractModule(types.ModuleType):
    def __call__(
        self, text_or_path: str | Path, gazetteer: Gazetteer | None = None
    ) -> Notice:
        """Extract a `Notice` from notice text, or from the file at a path.

        A `Path`, or a short one-line string naming an existing file, is read
        from disk; any other string is taken as the notice text itself.
        """
        from kg.pipeline import extract_notice

        return extract_notice(text_or_path, gazetteer)


sys.modules[__name__].__class__ = _ExtractModule
