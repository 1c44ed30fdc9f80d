"""The shape docs/architecture.md and the style rules give the package: small
modules with one job (at most 500 lines), functions that fit on a screen (at
most 60 lines, from `def` to the last line), a model that depends on nothing
of ours, so every stage can read it, and dependencies declared exactly as
they are used."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kg"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
# Declared dependencies kg uses without importing them, and how.
USED_UNIMPORTED = {
    "oxigraph": "kg serve runs its `oxigraph` server (kg/serve.py)",
    "opencc-python-reimplemented": "kg/extract/reading.py reads its character "
    "table as a package resource",
}
# Test extras that are tools run by .ci/run, not imported.
TOOLS = {"ruff", "mypy"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_over_500_lines() -> None:
    over = {
        name(path): lines
        for path in modules()
        if (lines := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not over, f"modules over {MAX_MODULE_LINES} lines: {over}"


def test_no_function_is_over_60_lines() -> None:
    over = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    over[f"{name(path)}:{node.lineno} {node.name}"] = lines
    assert not over, f"functions over {MAX_FUNCTION_LINES} lines: {over}"


def test_model_imports_nothing_of_ours() -> None:
    tree = ast.parse((PACKAGE / "model.py").read_text("utf-8"))
    ours = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            node.level > 0 or (node.module or "").split(".")[0] == "kg"
        ):
            ours.append(f"line {node.lineno}: from {'.' * node.level}{node.module}")
        elif isinstance(node, ast.Import):
            ours += [f"line {node.lineno}: import {alias.name}" for alias in
                     node.names if alias.name.split(".")[0] == "kg"]
    assert not ours, f"kg/model.py imports kg modules: {ours}"


def third_party_imports(folder: Path) -> dict[str, set[str]]:
    """Top-level modules imported anywhere in `folder` (function-level imports
    included) that are neither the standard library nor ours, and where."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for top in {n.split(".")[0] for n in names}:
                if top not in sys.stdlib_module_names and top not in ("kg", "tests"):
                    found.setdefault(top, set()).add(name(path))
    return found


def distribution(requirement: str) -> str:
    """The normalised distribution name of a requirement (PEP 503)."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match is not None, requirement
    return re.sub(r"[-_.]+", "-", match[0]).lower()


def declared(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = (project["dependencies"] if extra is None
                    else project["optional-dependencies"][extra])
    return {distribution(r) for r in requirements}


@cache
def installed() -> Mapping[str, list[str]]:
    """Top-level module → the installed distributions providing it (slow: it
    reads every distribution's file list)."""
    return packages_distributions()


def providers(module: str) -> set[str]:
    return {distribution(d) for d in installed().get(module, [])}


def test_kg_declares_exactly_the_packages_it_imports() -> None:
    imported = third_party_imports(PACKAGE)
    undeclared = {m: sorted(where) for m, where in imported.items()
                  if not providers(m) & declared()}
    assert not undeclared, f"imported by kg, not in dependencies: {undeclared}"
    used = set().union(*(providers(m) for m in imported)) | set(USED_UNIMPORTED)
    assert declared() <= used, f"declared, never imported: {declared() - used}"


def test_tests_import_only_declared_packages() -> None:
    imported = third_party_imports(ROOT / "tests")
    available = declared() | declared("test")
    undeclared = {m: sorted(where) for m, where in imported.items()
                  if not providers(m) & available}
    assert not undeclared, f"imported by tests, not declared: {undeclared}"
    used = set().union(*(providers(m) for m in imported)) | TOOLS
    assert declared("test") <= used, f"never used: {declared('test') - used}"


# Imports every module of kg (as doctest collection does), then says whether
# jieba's dictionary was loaded (0.7 s; docs/architecture.md, Measured speeds).
IMPORT_ALL = """
import importlib, pkgutil, kg, jieba
for module in pkgutil.walk_packages(kg.__path__, "kg."):
    if module.name != "kg.__main__":  # runs the command line
        importlib.import_module(module.name)
print(jieba.dt.initialized)
"""


def test_importing_every_module_is_cheap_and_silent(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (done.stdout, done.stderr) == ("False\n", "")
    assert not list(tmp_path.iterdir())  # nothing written where it ran
