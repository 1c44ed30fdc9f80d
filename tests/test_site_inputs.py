"""kg/pageinputs.py: what a page is made from, so that the page cache
renders a page again when any of it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.fingerprint import reachable_modules
from kg.pageinputs import code_digest

PACKAGE = Path(kg.__file__).parent


def test_page_code_is_every_module_the_site_reaches_by_its_imports() -> None:
    reached = {path.relative_to(PACKAGE).as_posix()
               for path in reachable_modules("kg.site")}
    # Modules a hand-kept list once missed: imported by site.py itself
    # (sitejobs), through viz.py (layout) and through graph.py (focus).
    assert {"site.py", "sitejobs.py", "layout.py", "viz.py", "graph.py",
            "focus.py", "pagedata.py", "gather.py", "pagecache.py",
            "pageinputs.py", "charts.py"} <= reached
    assert "cli.py" not in reached


def test_page_code_digest_changes_with_a_reached_module(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = code_digest()
    changed = tmp_path / "layout.py"
    changed.write_bytes((PACKAGE / "layout.py").read_bytes() + b"\n# changed\n")
    modules = [changed if path.name == "layout.py" else path
               for path in reachable_modules("kg.site")]
    monkeypatch.setattr("kg.pageinputs.reachable_modules", lambda _: modules)
    code_digest.cache_clear()
    try:
        assert code_digest() != before
    finally:
        code_digest.cache_clear()
