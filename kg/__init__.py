"""kg: knowledge graphs from Party inspection rectification notices.

import kg
notice = kg.extract("examples/notices/sanmen-2023.txt")   # -> kg.model.Notice
"""

from __future__ import annotations

from kg import extract

__version__ = "0.1.0"

__all__ = ["__version__", "extract"]
