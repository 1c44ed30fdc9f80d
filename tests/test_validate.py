"""kg/rdf/validate.py with ontology/shapes.ttl: the fixture graph conforms, and
each kind of damage is reported by the shape that guards against it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import InputError
from kg.rdf import iri
from kg.rdf.build import notice_quads, to_nquads, to_turtle
from kg.rdf.namespaces import ox_dcterms, ox_kg, ox_oa, ox_skos
from kg.rdf.validate import validate_graph
from tests.rdf_fixtures import full_title_notice, luozhuang_notice, sanmen_notice

LUOZHUANG = iri.NoticeIris("luozhuang-2021")


@pytest.fixture(scope="module")
def quads() -> list[Quad]:
    return [
        q
        for make in (luozhuang_notice, sanmen_notice, full_title_notice)
        for q in notice_quads(make())
    ]


def write(tmp_path: Path, quads: list[Quad], name: str = "graph.nq") -> Path:
    path = tmp_path / name
    path.write_bytes(to_nquads(quads))
    return path


def test_the_fixture_graph_conforms(tmp_path: Path, quads: list[Quad]) -> None:
    report = validate_graph(write(tmp_path, quads))
    assert report.conforms, report.text
    assert report.violations == 0
    assert "conforms" in report.text


@pytest.mark.parametrize(
    ("name", "serialise"),
    [
        ("graph.ttl", lambda qs: to_turtle(q.triple for q in qs)),
        ("graph.nq", to_nquads),
    ],
)
def test_turtle_and_nquads_are_validated_too(
    tmp_path: Path,
    quads: list[Quad],
    name: str,
    serialise: Callable[[list[Quad]], bytes],
) -> None:
    path = tmp_path / name
    path.write_bytes(serialise(quads))
    assert validate_graph(path).conforms


def corrupt(
    tmp_path: Path,
    quads: list[Quad],
    drop: Callable[[Quad], bool],
    add: list[Quad] | None = None,
) -> Path:
    kept = [q for q in quads if not drop(q)]
    assert len(kept) < len(quads) or add, "the corruption must change something"
    return write(tmp_path, kept + (add or []))


def test_a_regulation_without_prefLabel_is_reported(  # noqa: N802
    tmp_path: Path, quads: list[Quad]
) -> None:
    reg = next(r for r in luozhuang_notice().regulations if "制文发文" in r.title)
    node = iri.regulation_iri(reg.key)
    report = validate_graph(
        corrupt(
            tmp_path,
            quads,
            lambda q: q.subject == node and q.predicate == ox_skos.prefLabel,
        )
    )
    assert not report.conforms
    assert report.violations == 1
    assert "kgsh:ChinesePrefLabel  skos:prefLabel  [MinCount]" in report.text
    assert node.value in report.text


def test_a_date_written_as_a_plain_string_is_reported(
    tmp_path: Path, quads: list[Quad]
) -> None:
    notice = LUOZHUANG.notice
    issued = [
        q for q in quads if q.subject == notice and q.predicate == ox_dcterms.issued
    ]
    assert len(issued) == 1
    plain = Quad(notice, ox_dcterms.issued, Literal("2021-03-11"), notice)
    report = validate_graph(corrupt(tmp_path, quads, issued.__contains__, [plain]))
    assert not report.conforms
    assert "kgsh:NoticeShape  dcterms:issued  [Datatype]" in report.text


def test_a_measure_without_its_annotation_is_reported(
    tmp_path: Path, quads: list[Quad]
) -> None:
    measure = LUOZHUANG.measure("1-2-3", 2)
    annotation = next(
        q.subject for q in quads if q.predicate == ox_oa.hasBody and q.object == measure
    )
    report = validate_graph(corrupt(tmp_path, quads, lambda q: q.subject == annotation))
    assert not report.conforms
    assert report.violations == 1
    assert "kgsh:Extracted  ^oa:hasBody  [MinCount]" in report.text
    assert measure.value in report.text


@pytest.mark.parametrize(
    ("target", "shape"),
    [
        # ends before it starts, ends past the notice's text (luozhuang's
        # fixture text is far shorter than 999,999 code points)
        (LUOZHUANG.span(40, 30).value, "[SPARQL]"),
        (LUOZHUANG.span(0, 999_999).value, "[SPARQL]"),
        # a span of something that is not a notice
        (iri.span_iri(LUOZHUANG.measure("1-1-1", 1).value, 0, 5), "[SPARQL]"),
        # not a span IRI at all: the old target node, a leading zero
        (LUOZHUANG.notice.value + "/annotation/1/target", "[Pattern]"),
        (LUOZHUANG.notice.value
         + "#selector(type=TextPositionSelector,start=01,end=5)", "[Pattern]"),
    ],
    ids=["end-before-start", "past-the-text", "not-a-notice", "old-target-node",
         "leading-zero"],
)
def test_a_target_that_is_no_span_of_its_notice_is_reported(
    tmp_path: Path, quads: list[Quad], target: str, shape: str
) -> None:
    annotation = LUOZHUANG.annotation(1)
    old = next(
        q for q in quads if q.subject == annotation and q.predicate == ox_oa.hasTarget
    )
    wrong = Quad(annotation, ox_oa.hasTarget, NamedNode(target), old.graph_name)
    report = validate_graph(corrupt(tmp_path, quads, old.__eq__, [wrong]))
    assert not report.conforms
    assert report.violations == 1, report.text
    assert "TargetShape" in report.text and shape in report.text, report.text


def test_a_measure_kind_outside_the_scheme_is_reported(
    tmp_path: Path, quads: list[Quad]
) -> None:
    measure = LUOZHUANG.measure("1-1-1", 1)
    kind = next(
        q for q in quads if q.subject == measure and q.predicate == ox_dcterms.type
    )
    wrong = Quad(
        measure,
        ox_dcterms.type,
        iri.document_kind_iri(next(iter(luozhuang_notice().regulations)).kind),
        kind.graph_name,
    )
    report = validate_graph(corrupt(tmp_path, quads, kind.__eq__, [wrong]))
    assert not report.conforms
    assert "kgsh:MeasureShape  dcterms:type  [Node]" in report.text


def test_a_problem_without_category_is_reported(
    tmp_path: Path, quads: list[Quad]
) -> None:
    problem = LUOZHUANG.finding("1-1-1")
    report = validate_graph(
        corrupt(
            tmp_path,
            quads,
            lambda q: q.subject == problem and q.predicate == ox_dcterms.subject,
        )
    )
    assert "kgsh:ProblemShape  dcterms:subject  [MinCount]" in report.text


def test_a_malformed_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("<https://w3id.org/a> <https://w3id.org/b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="graph.ttl: not valid turtle"):
        validate_graph(path)


def test_an_unknown_suffix_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="use .ttl, .trig, .nq or .nt"):
        validate_graph(path)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        validate_graph(tmp_path / "absent.ttl")


def test_a_measure_addressing_something_else_than_a_finding_is_reported(
    tmp_path: Path, quads: list[Quad]
) -> None:
    # Without RDFS inference the range of kg:addresses cannot make the
    # notice a kg:Finding, so the wrong link is seen.
    measure = LUOZHUANG.measure("1-1-1", 1)
    link = next(
        q for q in quads if q.subject == measure and q.predicate == ox_kg.addresses
    )
    wrong = Quad(measure, ox_kg.addresses, LUOZHUANG.notice, link.graph_name)
    report = validate_graph(corrupt(tmp_path, quads, link.__eq__, [wrong]))
    assert "a measure must address a finding" in report.text
    assert report.violations == 1
