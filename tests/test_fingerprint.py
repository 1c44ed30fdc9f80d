"""The build's fingerprint (kg/fingerprint.py): every module a worker runs,
found from the imports, and nothing the pages or the command line need."""

from __future__ import annotations

import shutil
from pathlib import Path

import kg
from kg import fingerprint as fp

PACKAGE = Path(kg.__file__).parent


def names(paths: list[Path]) -> set[str]:
    return {p.relative_to(PACKAGE).as_posix() for p in paths}


def test_the_worker_modules_are_found_from_the_imports() -> None:
    found = names(fp.worker_modules())
    # reached only through other modules: ingest → decode, webpage; rdf.build
    # → rdf.rows, rdf.turtle, rdf.terms; pipeline → extract.*
    assert {"buildworker.py", "decode.py", "webpage.py", "ingest.py",
            "pipeline.py", "rdf/build.py", "rdf/rows.py", "rdf/turtle.py",
            "rdf/terms.py", "extract/metadata.py", "extract/counts.py",
            "model.py", "vocab.py"} <= found
    assert not found & {"site.py", "cli.py", "build.py", "store.py", "gather.py"}


def test_an_edit_to_a_module_reached_only_through_imports_changes_it(
    tmp_path: Path, monkeypatch,
) -> None:
    copy = tmp_path / "kg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fp, "_PACKAGE", copy)
    before = fp.fingerprint([])
    assert fp.fingerprint([]) == before
    with (copy / "webpage.py").open("a", encoding="utf-8") as module:
        module.write("\n# an edit\n")
    after = fp.fingerprint([])
    assert after != before
    with (copy / "site.py").open("a", encoding="utf-8") as module:
        module.write("\n# an edit the extraction does not see\n")
    assert fp.fingerprint([]) == after
    gazetteer = tmp_path / "laws.tsv"
    gazetteer.write_text("name\tlevel\n会计法\t法律\n", encoding="utf-8")
    assert fp.fingerprint([gazetteer]) != after
