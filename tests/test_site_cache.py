"""kg/site.py over the page cache (kg/pagecache.py): the pages a site
renders from the lean summaries it keeps while writing (kg.pagedata.lean)
are those rendered from the notices read whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import graph as kg_graph

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build import build_corpus

    out = tmp_path_factory.mktemp("build")
    inputs = tmp_path_factory.mktemp("inputs")
    for path in EXAMPLES.glob("*.txt"):
        (inputs / path.name).write_bytes(path.read_bytes())
    build_corpus([inputs], out, jobs=1, prune=False, gazetteers=[],
                 progress=False, html=False)
    return out / "store"


def test_focus_pages_from_the_cache_are_those_from_the_notices_read_whole(
    store: Path, tmp_path: Path
) -> None:
    from kg.site import (
        RECURRING,
        _category_page,
        _regulation_page,
        regulation_slugs,
        write_site,
    )

    site = tmp_path / "site"
    write_site(store, site)
    for page in [*site.glob("regulations/*.html"), *site.glob("categories/*.html")]:
        page.unlink()
    # Written again from the cache: the summaries lean, the link items read back.
    assert write_site(store, site)
    corpus = kg_graph.Corpus(store)
    regulations = kg_graph.regulation_rows(corpus, min_notices=RECURRING)
    categories = kg_graph.category_rows(corpus)
    assert regulations and categories
    slugs = regulation_slugs(regulations)
    for row in regulations:
        page = site / "regulations" / f"{slugs[row.iri]}.html"
        assert page.read_text(encoding="utf-8") == _regulation_page(
            corpus, row, 1500), row.label
    for category in categories:
        page = site / "categories" / f"{category.id}.html"
        assert page.read_text(encoding="utf-8") == _category_page(
            corpus, category, 1500), category.label
