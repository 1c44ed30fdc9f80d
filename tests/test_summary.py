"""The summary graph (kg/rdf/summary.py) says what the notice graphs say.

Every figure of a kg:RegulationUsage is checked against a direct count over
the mention annotations of the notice graphs of a real build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import derived
from kg.build import build_corpus
from kg.model import Relation
from kg.pipeline import extract_notice
from kg.rdf.summary import (
    Citation,
    notice_citations,
    scoped_citations,
    usage_quads,
    usages,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"
PREFIXES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kg: <https://w3id.org/kg-inspection/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
# Per regulation and relation scope: notices, mentions and bare mentions,
# counted from the annotations of the notice graphs themselves.
DIRECT = (
    PREFIXES
    + """
SELECT ?regulation ?how (COUNT(DISTINCT ?g) AS ?notices)
       (COUNT(DISTINCT ?a) AS ?mentions) (COUNT(DISTINCT ?bare) AS ?bares)
WHERE {
  GRAPH ?g {
    ?a dcterms:type ?relation ; oa:hasBody ?regulation .
    OPTIONAL { ?a a kg:BareMention . BIND (?a AS ?bare) }
  }
  BIND (STRAFTER(STR(?relation), "/relation/") AS ?how)
}
GROUP BY ?regulation ?how
"""
)
SUMMARY = (
    PREFIXES
    + """
SELECT ?regulation ?scope ?notices ?mentions ?bares WHERE {
  GRAPH ?summary {
    ?u kg:regulation ?regulation ; kg:scope ?scope ; kg:noticeCount ?notices ;
       kg:mentionCount ?mentions ; kg:bareMentionCount ?bares .
  }
  # each scope's usages are in the graph of that scope
  FILTER (?summary = IF(?scope = "all", <https://w3id.org/kg-inspection/summary>,
                        IRI(CONCAT("https://w3id.org/kg-inspection/summary/", ?scope))))
}
"""
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    out = tmp_path_factory.mktemp("out")
    build_corpus(
        [EXAMPLES], out, jobs=1, prune=False, gazetteers=[], progress=False, html=False
    )
    return ox.Store.read_only(str(out / "store"))


def rows(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    return {
        tuple(term.value for term in solution)  # type: ignore[union-attr]
        for solution in store.query(query, use_default_graph_as_union=True)
    }


def test_summary_counts_equal_a_direct_count_over_the_notice_graphs(
    store: ox.Store,
) -> None:
    direct = rows(store, DIRECT)
    summary = rows(store, SUMMARY)
    per_relation = {r for r in summary if r[1] != "all"}
    assert per_relation == direct
    assert len(direct) > 150
    # the "all" scope adds up the relations of each notice
    totals: dict[str, int] = {}
    for regulation, _, _, mentions, _ in direct:
        totals[regulation] = totals.get(regulation, 0) + int(mentions)
    for regulation, scope, _, mentions, _ in summary:
        if scope == "all":
            assert int(mentions) == totals[regulation]


def test_citations_count_titles_and_bare_rules_of_a_notice() -> None:
    notice = extract_notice(EXAMPLES / "sanmen-2023.txt")
    by_label = {c.label: c for c in notice_citations(notice)}
    assert by_label["中华人民共和国会计法"].relations == {"studies": 2}
    assert by_label["中央八项规定"].bare == 1
    assert by_label["中央八项规定"].relations == {"cites": 1}


def summary_quads(
    notices: list[tuple[str, str, list[Citation]]],
) -> list[ox.Quad]:
    """The summary graph of (notice id, date, citations) by the steps the
    build streams from its cache: rows sorted by key and scope, usages, quads."""
    rows = sorted(
        (row for notice_id, date, citations in notices
         for row in scoped_citations(notice_id, date, citations)),
        key=lambda row: (row.key, row.scope, row.notice_id),
    )
    return sorted((q for of_key in usages(rows) for q in usage_quads(of_key)), key=str)


def test_summary_is_deterministic_and_independent_of_notice_order() -> None:
    citation = Citation(
        "会计法", "中华人民共和国会计法", "law", "法律", {Relation.STUDIES.value: 2}, 0
    )
    other = Citation(
        "会计法", "中华人民共和国会计法", "law", "法律", {Relation.CITES.value: 1}, 0
    )
    forward = summary_quads(
        [("a", "2021-01-01", [citation]), ("b", "2022-01-01", [other])]
    )
    backward = summary_quads(
        [("b", "2022-01-01", [other]), ("a", "2021-01-01", [citation])]
    )
    assert forward == backward
    values = {
        (q.predicate.value.rsplit("#", 1)[1], q.object.value)
        for q in forward
        if q.subject.value.endswith("/all")
    }
    assert ("noticeCount", "2") in values
    assert ("mentionCount", "3") in values
    assert ("relations", "cites studies") in values
    assert ("firstDate", "2021-01-01") in values
    assert ("lastDate", "2022-01-01") in values


def summary_triples(out: Path) -> set[tuple[str, str, str, str]]:
    store = ox.Store.read_only(str(out / "store"))
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in store
        if str(q.graph_name).startswith("<https://w3id.org/kg-inspection/summary")
    }


def build(folder: Path, out: Path, *, prune: bool = False) -> None:
    build_corpus(
        [folder], out, jobs=1, prune=prune, gazetteers=[], progress=False, html=False
    )


def built_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the examples (the folder), built once (the build folder)."""
    folder, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(EXAMPLES, folder)
    build(folder, out)
    return folder, out


def test_a_rebuild_updates_the_summary_of_changed_regulations_to_a_fresh_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = built_copy(tmp_path)
    before = summary_triples(out)
    # Rewrite only the usages of regulations whose citations changed, however
    # many changed: the path a one-file rebuild takes.
    monkeypatch.setattr("kg.build.SUMMARY_REWRITE_SHARE", 2.0)
    monkeypatch.setattr("kg.build.SUMMARY_KEYS_PER_UPDATE", 7)
    luozhuang = folder / "luozhuang-2021.txt"
    text = luozhuang.read_text(encoding="utf-8")
    luozhuang.write_text(text[: len(text) // 2], encoding="utf-8")
    (folder / "sanmen-2023.txt").unlink()
    build(folder, out, prune=True)
    after = summary_triples(out)

    fresh = tmp_path / "fresh"
    build(folder, fresh)
    assert after == summary_triples(fresh)
    assert after != before
    # sanmen's ids left every list; luozhuang's lost regulations left the graph
    ids = {o for _, p, o, _ in after if p.endswith("#noticeIds>")}
    assert not any("sanmen-2023" in i for i in ids)
    assert any("sanmen-2023" in i for _, p, i, _ in before
               if p.endswith("#noticeIds>"))
    nodes = {s for s, _, _, _ in after}
    assert len(nodes) < len({s for s, _, _, _ in before})
    assert {g for _, _, _, g in after} == {g for _, _, _, g in before}
    assert len({g for _, _, _, g in after}) >= 3  # all, and relations' graphs


def test_the_build_activity_generated_the_summary_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(EXAMPLES, out)
    store = ox.Store.read_only(str(out / "store"))
    answer = store.query(
        "PREFIX prov: <http://www.w3.org/ns/prov#> ASK { GRAPH ?build { "
        "?build prov:generated <https://w3id.org/kg-inspection/summary> ; "
        "a prov:Activity } }"
    )
    assert bool(answer)


def _counts(out: Path, where: str) -> dict[str, tuple[int, int]]:
    """?c → (?n, ?p) of a SELECT over the build's store."""
    store = ox.Store.read_only(str(out / "store"))
    rows = store.query(
        "PREFIX kg: <https://w3id.org/kg-inspection/ontology#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> " + where)
    return {r["c"].value: (int(r["n"].value), int(r["p"].value)) for r in rows}


def category_counts(out: Path) -> dict[str, tuple[int, int]]:
    """The category summary graph: category IRI → (notices, problems)."""
    return _counts(out, "SELECT ?c ?n ?p WHERE { GRAPH <https://w3id.org/"
                        "kg-inspection/summary/categories> { ?u a kg:CategoryUsage ;"
                        " kg:category ?c ; kg:noticeCount ?n ; kg:problemsFound ?p } }")


def counted_over_the_notice_graphs(out: Path) -> dict[str, tuple[int, int]]:
    """The same figures counted over every problem of every notice graph."""
    return _counts(out, "SELECT ?c (COUNT(DISTINCT ?g) AS ?n) (COUNT(?problem) AS ?p)"
                        " WHERE { GRAPH ?g { ?problem a kg:Problem ;"
                        " dcterms:subject ?c } } GROUP BY ?c")


def test_category_summary_counts_every_notice_after_rebuilds_and_orphans(
    tmp_path: Path,
) -> None:
    folder, out = built_copy(tmp_path)
    first = category_counts(out)
    assert first == counted_over_the_notice_graphs(out)
    assert len(first) >= 10 and max(n for n, _ in first.values()) >= 3
    # One notice cut short: its categories change, the others' stay counted.
    luozhuang = folder / "luozhuang-2021.txt"
    text = luozhuang.read_text(encoding="utf-8")
    luozhuang.write_text(text[: len(text) // 3], encoding="utf-8")
    build(folder, out)
    assert category_counts(out) == counted_over_the_notice_graphs(out) != first
    # The cache lost and an input gone, without --prune: its graph stays in
    # the store as an orphan, and still counts (read from its rows).
    (out / ".kg-cache.sqlite").unlink()
    (folder / "sanmen-2023.txt").unlink()
    build(folder, out)
    assert category_counts(out) == counted_over_the_notice_graphs(out)


class _Cache:
    """What summarise asks of the build cache: `dirty` changed regulations
    of `total` cited."""

    def __init__(self, dirty: int, total: int) -> None:
        self.dirty, self.total, self.cleaned = dirty, total, 0

    def dirty_keys(self) -> list[str]:
        return [f"k{i}" for i in range(self.dirty)]

    def key_count(self, at_most: int | None = None) -> int:
        return self.total if at_most is None else min(self.total, at_most)

    def citations(self, keys: list[str]) -> list[object]:
        return []

    def clean(self, keys: list[str]) -> None:
        self.cleaned += len(keys)


class _Store:
    def __init__(self) -> None:
        self.updates = 0

    def contains_graph(self, graph: str) -> bool:
        return True

    def replace_subjects(self, subjects: object, quads: object) -> None:
        self.updates += 1


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2000), st.integers(0, 5000),
       st.sampled_from([0.1, 0.25, 0.3, 0.5, 1.0]))
def test_the_summary_is_rewritten_whole_from_the_share_of_changed_regulations(
    dirty: int, total: int, share: float,
) -> None:
    # Incremental while the changed regulations are under `share` of all,
    # however far the cache counts them.
    rewrites: list[int] = []
    store, cache = _Store(), _Cache(dirty, total)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(derived, "_rewrite_summary",
                      lambda *args: rewrites.append(1))
        derived.summarise(store, cache, rewrite_share=share,  # type: ignore[arg-type]
                          keys_per_update=100, batch_bytes=1 << 20)
    assert bool(rewrites) == (not dirty < share * total)
    assert cache.cleaned == dirty
    assert store.updates == (0 if rewrites else -(-dirty // 100))
