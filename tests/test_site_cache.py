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


def _site_build(inputs: Path, out: Path) -> None:
    from kg.build import build_corpus

    build_corpus([inputs], out, jobs=1, prune=False, gazetteers=[],
                 progress=False, html=True)


def _pages(site: Path) -> dict[str, bytes]:
    return {page.relative_to(site).as_posix(): page.read_bytes()
            for page in site.rglob("*.html")}


@pytest.fixture
def built_site(tmp_path: Path) -> tuple[Path, Path]:
    """(inputs, output folder) of a default build of the example notices."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in EXAMPLES.glob("*.txt"):
        (inputs / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    _site_build(inputs, out)
    return inputs, out


def _rendered(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The (kind, key) of each page the site renders from now on."""
    from kg.site import Site

    rendered: list[tuple[str, str]] = []
    page = Site.page

    def counted(site: Site, kind: str, key: str) -> object:
        rendered.append((kind, key))
        return page(site, kind, key)

    monkeypatch.setattr(Site, "page", counted)
    return rendered


def test_a_notice_file_written_again_with_what_it_gave_renders_no_page(
    built_site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.site import write_site

    _, out = built_site
    turtle = out / "notices" / "luozhuang-2021.ttl"
    copy = turtle.with_name("copy.tmp")
    copy.write_bytes(turtle.read_bytes())
    copy.replace(turtle)  # a new file: the notice is read again

    def gather(*_: object) -> None:
        raise AssertionError("the corpus gathered for one notice read again")

    monkeypatch.setattr("kg.site.gather_corpus", gather)
    rendered = _rendered(monkeypatch)
    write_site(out / "store", out, jobs=1)
    assert rendered == []


def test_pages_after_a_one_file_rebuild_are_those_of_a_site_written_afresh(
    built_site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from kg.site import write_site

    inputs, out = built_site
    victim = inputs / "luozhuang-2021.txt"
    text = victim.read_text(encoding="utf-8")
    assert "统一部署" in text
    # A correction a reader sees: the notice also cites another regulation.
    cited = text.replace("统一部署", "统一部署和《中国共产党纪律处分条例》", 1)
    victim.write_text(cited, encoding="utf-8")
    rendered = _rendered(monkeypatch)
    _site_build(inputs, out)
    assert ("notice", "luozhuang-2021") in rendered
    assert ("index", "") in rendered and ("overview", "") in rendered
    assert not any(kind == "notice" and key != "luozhuang-2021"
                   for kind, key in rendered)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for dump in ("graph.ttl", "graph.trig"):  # the index links those there are
        (fresh / dump).write_bytes(b"")
    write_site(out / "store", fresh, jobs=1)
    assert _pages(out) == _pages(fresh)


def test_a_changed_measure_renders_only_its_notices_page_as_afresh(
    built_site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import pyoxigraph as ox

    from kg.pagedata import MEASURE, REGULATION_LINKS
    from kg.site import write_site

    _, out = built_site
    turtle = out / "notices" / "luozhuang-2021.ttl"
    triples = list(ox.parse(path=str(turtle), format=ox.RdfFormat.TURTLE))
    citing = {t.subject.value for t in triples
              if t.predicate.value in REGULATION_LINKS}
    measures = {t.subject.value for t in triples if t.object.value == MEASURE}
    label = next(t.object.value for t in triples
                 if t.subject.value in measures - citing
                 and t.predicate.value.endswith("#label"))
    text = turtle.read_text(encoding="utf-8")
    assert f'"{label}"' in text
    # Its page alone shows a measure's words; the other pages its count.
    turtle.write_text(text.replace(f'"{label}"', f'"{label}（更正）"'),
                      encoding="utf-8")

    def gather(*_: object) -> None:
        raise AssertionError("the corpus gathered for one notice read again")

    monkeypatch.setattr("kg.site.gather_corpus", gather)
    rendered = _rendered(monkeypatch)
    written = write_site(out / "store", out, jobs=1)
    assert rendered == [("notice", "luozhuang-2021")]
    assert written == [out / "notices" / "luozhuang-2021.html"]
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for dump in ("graph.ttl", "graph.trig"):
        (fresh / dump).write_bytes(b"")
    write_site(out / "store", fresh, jobs=1)
    assert _pages(out) == _pages(fresh)
    assert "（更正）" in (out / "notices" / "luozhuang-2021.html").read_text(
        encoding="utf-8")


def test_a_site_written_by_two_jobs_is_the_one_written_by_one(
    store: Path, tmp_path: Path
) -> None:
    """The worker renders notices' own pages from notices it reads from the
    page cache one chunk at a time (kg.sitejobs, `Corpus.of_cache`)."""
    from kg.site import write_site

    alone, shared = tmp_path / "alone", tmp_path / "shared"
    write_site(store, alone, jobs=1)
    write_site(store, shared, jobs=2)
    pages = sorted(p.relative_to(alone) for p in alone.rglob("*.html"))
    assert pages == sorted(p.relative_to(shared) for p in shared.rglob("*.html"))
    assert any(p.parts[0] == "notices" for p in pages)
    for page in pages:
        assert (shared / page).read_bytes() == (alone / page).read_bytes(), page


def test_a_worker_renders_a_notice_page_from_the_cache_alone(
    store: Path, tmp_path: Path
) -> None:
    from kg.site import _NoticePages, _render, regulation_slugs, write_site

    site = tmp_path / "site"
    write_site(store, site, jobs=1)
    page = sorted(site.glob("notices/*.html"))[0]
    expected = page.read_bytes()
    page.unlink()
    corpus = kg_graph.Corpus(store)
    regulations = kg_graph.regulation_rows(corpus, min_notices=2)
    worker = _NoticePages(store, site, 1500, regulation_slugs(regulations),
                          corpus.regulation_labels, corpus.category_labels, ())()
    assert worker.corpus.by_id == {}  # nothing read before a page asks
    [(path, _, wrote)] = _render(worker, [("notice", page.stem)])
    assert (path, wrote) == (f"notices/{page.stem}.html", True)
    assert page.read_bytes() == expected
    assert worker.corpus.by_id == {}  # let go of with the page


def test_a_listed_graph_without_a_notice_does_not_rewrite_the_whole_site(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listing a build gives may name a graph that holds no notice (an
    orphan record of another store): the next write with nothing changed
    still renders no page and does not gather the corpus again."""
    import kg.site
    from kg.pagedata import Corpus

    listing = [*Corpus(store).listing(),
               ("https://w3id.org/kg-inspection/notice/zz-none", "zz-none")]
    site = tmp_path / "site"
    assert kg.site.write_site(store, site, listing=listing)
    whole_writes: list[object] = []
    whole_site = kg.site._write_whole_site

    def counted(*args: object, **kwargs: object) -> list[Path]:
        whole_writes.append(args)
        return whole_site(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.site, "_write_whole_site", counted)
    assert kg.site.write_site(store, site, listing=listing) == []
    assert whole_writes == []
