"""What decides what a notice becomes, as one hash: the build cache keeps a
notice while this hash stays the same.

The modules are those a worker runs (kg.buildworker) and every module of
ours they import, found by reading their import statements, plus the data
files they read and the gazetteers given. Reading the imports keeps the set
right as modules are split or added (a list kept by hand missed kg/decode.py
and kg/webpage.py when kg/ingest.py was split); it takes ~20 ms, where
importing the worker's modules would take ~300.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

import kg

_PACKAGE = Path(kg.__file__).parent
_WORKER = "kg.buildworker"


def fingerprint(gazetteers: Sequence[Path]) -> str:
    """The hash of the worker's modules, kg's data files and `gazetteers`."""
    data = sorted(p for p in (_PACKAGE / "data").rglob("*") if p.is_file())
    return digest([*worker_modules(), *data, *gazetteers])


def digest(paths: Sequence[Path]) -> str:
    hashed = hashlib.sha256()
    for path in paths:
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def worker_modules() -> list[Path]:
    """The files of kg.buildworker and of every kg module it imports, at any
    depth, sorted."""
    return reachable_modules(_WORKER)


def reachable_modules(module: str) -> list[Path]:
    """The files of `module` (a kg module, "kg.site") and of every kg module
    it imports, at any depth, sorted."""
    seen: set[Path] = set()
    pending = [module]
    while pending:
        path = _module_file(pending.pop())
        if path is None or path in seen:
            continue
        seen.add(path)
        pending += _imported(path)
    return sorted(seen)


def _module_file(name: str) -> Path | None:
    parts = name.split(".")[1:]
    base = _PACKAGE.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(path: Path) -> tuple[str, ...]:
    """The kg modules `path` imports (``from kg.x import y`` may name a
    module y of package kg.x: both are returned, the missing one skipped)."""
    found = path.stat()
    return _imports_of(path, found.st_mtime_ns, found.st_size)


@functools.cache
def _imports_of(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    # Cached per version of the file: a build reaches most modules twice
    # (the worker's and the pages'). Only statements are walked: an import
    # is one, at any depth of blocks, and ast.walk's visit of every
    # expression took three times the parse (0.4 s of a 10,000-notice build).
    names = []
    pending: list[ast.AST] = list(ast.parse(path.read_bytes(), str(path)).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.module and node.level == 0:
                names.append(node.module)
                names += [f"{node.module}.{a.name}" for a in node.names]
        else:
            for block in ("body", "orelse", "finalbody", "handlers", "cases"):
                inner = getattr(node, block, ())
                if isinstance(inner, list):
                    pending += inner
    return tuple(n for n in names if n == "kg" or n.startswith("kg."))
