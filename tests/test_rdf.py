"""kg/rdf/build.py, iri.py, namespaces.py: the quads of a notice."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pyoxigraph
import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store

from kg.model import Notice
from kg.rdf import iri
from kg.rdf.activity import build_activity_quads
from kg.rdf.build import (
    notice_quads,
    to_nquads,
    to_turtle,
)
from kg.rdf.namespaces import KG, OA, ox_kg, ox_oa
from kg.rdf.ontology import static_quads
from tests.rdf_fixtures import full_title_notice, luozhuang_notice, sanmen_notice

NOTICES = [luozhuang_notice, sanmen_notice, full_title_notice]
PREFIXES = """
PREFIX kg: <https://w3id.org/kg-inspection/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def store_of(*notices: Notice) -> Store:
    store = Store()
    for notice in notices:
        store.extend(notice_quads(notice))
    return store


def ask(store: Store, query: str) -> bool:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return bool(result)


def select(store: Store, query: str) -> list[tuple[str, ...]]:
    rows = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [tuple(term.value for term in row) for row in rows]  # type: ignore[union-attr]


@pytest.mark.parametrize("make", NOTICES)
def test_quads_are_deterministic(make: Callable[[], Notice]) -> None:
    first, second = notice_quads(make()), notice_quads(make())
    assert first == second
    assert to_nquads(first) == to_nquads(second)
    assert first == sorted(first, key=str)


@pytest.mark.parametrize("make", NOTICES)
def test_every_annotation_quotes_exactly_its_span(make: Callable[[], Notice]) -> None:
    notice = make()
    store = store_of(notice)
    rows = select(
        store,
        """
        SELECT ?start ?end ?exact WHERE {
          ?a a oa:Annotation ; oa:hasTarget ?t .
          BIND (IRI(STRBEFORE(STR(?t), "#")) AS ?notice)
          BIND (STRAFTER(STR(?t), "#selector(type=TextPositionSelector,start=")
                AS ?offsets)
          BIND (xsd:integer(STRBEFORE(?offsets, ",end=")) AS ?start)
          BIND (xsd:integer(STRBEFORE(STRAFTER(?offsets, ",end="), ")")) AS ?end)
          ?notice kg:fullText ?text .
          BIND (SUBSTR(?text, ?start + 1, ?end - ?start) AS ?exact)
        }""",
    )
    text = notice.source.text
    ((annotations,),) = select(
        store, "SELECT (COUNT(*) AS ?n) WHERE { ?a a oa:Annotation }")
    assert rows and len(rows) == int(annotations)
    for start, end, exact in rows:
        assert 0 <= int(start) < int(end) <= len(text)
        assert text[int(start) : int(end)] == exact


def test_every_extracted_node_has_an_annotation() -> None:
    notice = luozhuang_notice()
    store = store_of(notice)
    measures = sum(len(p.measures) for p in notice.problems)
    mentions = sum(len(r.mentions) for r in notice.regulations)
    annotated = select(
        store,
        """
        SELECT ?body (COUNT(?a) AS ?n) WHERE { ?a oa:hasBody ?body } GROUP BY ?body""",
    )
    bodies = {body for body, _ in annotated}
    for problem in notice.problems:
        assert iri.NoticeIris(notice.id).finding(problem.path).value in bodies
    total = int(
        select(store, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a oa:Annotation }")[0][0]
    )
    # aspect, 2 groups, 2 problems, the measures, the 《》 mentions, 1 rule mention,
    # 4 organisations (publisher, inspected, committee, group), 2 instants,
    # 3 counts, 1 doc number
    assert total == 1 + 2 + 2 + measures + mentions + 1 + 4 + 2 + 3 + 1


@pytest.mark.parametrize("make", NOTICES)
def test_no_blank_nodes(make: Callable[[], Notice]) -> None:
    for quad in notice_quads(make()):
        assert not isinstance(quad.subject, BlankNode)
        assert not isinstance(quad.object, BlankNode)


@pytest.mark.parametrize("make", NOTICES)
def test_one_named_graph_per_notice_named_by_the_notice_iri(
    make: Callable[[], Notice],
) -> None:
    notice = make()
    graphs = {quad.graph_name for quad in notice_quads(notice)}
    assert graphs == {iri.notice_iri(notice.id)}
    assert ask(
        store_of(notice), f"ASK {{ <{iri.notice_iri(notice.id).value}> a kg:Notice }}"
    )


def test_short_and_full_title_of_a_law_are_one_node() -> None:
    sanmen, other = sanmen_notice(), full_title_notice()
    short = next(r for r in sanmen.regulations if r.title == "会计法")
    full = other.regulations[0]
    assert iri.regulation_iri(short.key) == iri.regulation_iri(full.key)
    store = store_of(sanmen, other)
    rows = select(
        store,
        """
        SELECT DISTINCT ?reg ?pref WHERE {
          ?reg a eli:LegalResource ; skos:prefLabel ?pref ; skos:altLabel "会计法"@zh .
        }""",
    )
    assert rows == [(iri.regulation_iri(short.key).value, "中华人民共和国会计法")]
    studied_by = select(
        store,
        f"""
        SELECT ?m WHERE {{ ?m kg:studies <{iri.regulation_iri(short.key).value}> }}""",
    )
    assert len(studied_by) == 2  # one measure in each notice


def test_measure_enacting_a_regulation_links_with_kg_enacts() -> None:
    notice = luozhuang_notice()
    reg = next(r for r in notice.regulations if r.title.endswith("制文发文管理办法"))
    measure = iri.NoticeIris(notice.id).measure("1-2-3", 2)
    assert Quad(
        measure, ox_kg.enacts, iri.regulation_iri(reg.key), iri.notice_iri(notice.id)
    ) in notice_quads(notice)


def test_regulation_in_a_problem_statement_is_referenced_by_the_problem() -> None:
    notice = luozhuang_notice()
    store = store_of(notice)
    problem = iri.NoticeIris(notice.id).finding("1-2-3").value
    labels = select(
        store,
        f"""
        SELECT ?label WHERE {{
          <{problem}> dcterms:references/skos:prefLabel ?label
        }}""",
    )
    assert labels == [("主题教育实施意见",)]


def test_rule_mention_links_to_a_regulation_with_its_gazetteer_kind() -> None:
    store = store_of(luozhuang_notice())
    rows = select(
        store,
        """
        SELECT ?label ?kind WHERE {
          ?a oa:hasBody ?r ;
             oa:hasTarget ?t .
          BIND (IRI(STRBEFORE(STR(?t), "#")) AS ?n)
          BIND (STRAFTER(STR(?t), ",start=") AS ?offsets)
          BIND (xsd:integer(STRBEFORE(?offsets, ",end=")) AS ?s)
          BIND (xsd:integer(STRBEFORE(STRAFTER(?offsets, ",end="), ")")) AS ?e)
          ?n kg:fullText ?text .
          FILTER (SUBSTR(?text, ?s + 1, ?e - ?s) = "“三重一大”")
          ?r skos:prefLabel ?label ; eli:type_document ?kind .
        }""",
    )
    assert rows == [
        (
            "“三重一大”决策制度",
            "https://w3id.org/kg-inspection/document-kind/party-regulation",
        )
    ]


def test_problems_sit_in_groups_in_aspects() -> None:
    notice = luozhuang_notice()
    iris = iri.NoticeIris(notice.id)
    store = store_of(notice)
    rows = select(
        store,
        f"""
        SELECT ?group ?aspect WHERE {{
          <{iris.finding("1-2-3").value}> dcterms:isPartOf ?group .
          ?group a kg:ProblemGroup ; dcterms:isPartOf ?aspect .
          ?aspect a kg:Aspect .
        }}""",
    )
    assert rows == [(iris.group("1", 2).value, iris.finding("1").value)]


def test_publisher_written_with_the_party_prefix_is_the_inspected_unit() -> None:
    notice = sanmen_notice()
    store = store_of(notice)
    rows = select(
        store,
        """
        SELECT ?pref ?alt WHERE {
          ?n dcterms:publisher ?org .
          ?n dcterms:subject/prov:qualifiedAssociation [ prov:agent ?org ;
                                                         prov:hadRole kg:inspected ] .
          ?org skos:prefLabel ?pref ; skos:altLabel ?alt .
        }""",
    )
    # The inspection sentence names the unit; the signature's 中共 form is a variant.
    assert rows == [("三门县投资促进中心党组", "中共三门县投资促进中心党组")]


def test_person_holds_a_role_in_the_inspected_unit() -> None:
    store = store_of(sanmen_notice())
    rows = select(
        store,
        """
        SELECT ?name ?role ?org WHERE {
          ?m a org:Membership ; org:member/rdfs:label ?name ;
             org:role/skos:prefLabel ?role ; org:organization/skos:prefLabel ?org .
        }""",
    )
    assert rows == [("章明皓", "党组书记", "三门县投资促进中心党组")]


@pytest.mark.parametrize("fmt", [RdfFormat.TRIG, RdfFormat.N_QUADS])
def test_output_loads_in_rdflib_and_pyoxigraph_alike(fmt: RdfFormat) -> None:
    quads = [q for make in NOTICES for q in notice_quads(make())]
    output = io.BytesIO()
    pyoxigraph.serialize(quads, output, fmt)
    data = output.getvalue()
    store = Store()
    store.load(data, format=fmt)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="trig" if fmt == RdfFormat.TRIG else "nquads")
    rdflib_quads = [
        q for q in dataset.quads((None, None, None, None)) if q[3] is not None
    ]
    assert len(store) == len(set(quads)) == len(rdflib_quads)


def test_turtle_of_the_triples_parses_in_rdflib() -> None:
    triples = [q.triple for q in notice_quads(luozhuang_notice())]
    graph = rdflib.Graph().parse(data=to_turtle(triples), format="turtle")
    assert len(graph) == len(set(triples))


@pytest.mark.parametrize(
    ("notice_id", "expected"),
    [
        ("luozhuang-2021", "luozhuang-2021"),
        ("罗庄 2021/通报#1", "罗庄%202021%2F通报%231"),
        ("..", "%2E%2E"),
        ("100%", "100%25"),
    ],
)
def test_notice_iri_keeps_chinese_and_percent_encodes_the_rest(
    notice_id: str, expected: str
) -> None:
    node = iri.notice_iri(notice_id)
    assert node.value == "https://w3id.org/kg-inspection/notice/" + expected
    NamedNode(node.value)  # pyoxigraph validates IRIs (RFC 3987)
    rdflib.URIRef(node.value)


def test_shared_iris_depend_on_the_key_not_the_spelling() -> None:
    assert iri.organization_iri("中共三门县投资促进中心党组") == iri.organization_iri(
        "三门县投资促进中心党组"
    )
    assert iri.committee_iri("罗庄区委") != iri.organization_iri("罗庄区委")
    assert iri.document_iri("罗投发", 2019, 9) != iri.document_iri("罗投发", 2019, 19)


def test_a_misspelt_term_is_an_error() -> None:
    with pytest.raises(AttributeError):
        _ = KG.Notise
    with pytest.raises(AttributeError):
        _ = OA.hasBdy
    with pytest.raises(AttributeError):
        _ = ox_kg.adresses
    with pytest.raises(AttributeError):
        _ = ox_oa.TextPositionSelecter
    assert ox_oa.hasBody == NamedNode("http://www.w3.org/ns/oa#hasBody")


def test_build_activity_is_in_its_own_graph_and_used_every_notice() -> None:
    started = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    ended = datetime(2024, 5, 1, 8, 1, tzinfo=UTC)
    notices = [iri.notice_iri("a"), iri.notice_iri("b")]
    quads = build_activity_quads(notices, "0.1.0", started, ended)
    activity = iri.build_iri(started)
    assert {q.graph_name for q in quads} == {activity}
    used = {q.object for q in quads if q.predicate.value.endswith("#used")}
    assert used == set(notices)
    assert Literal(
        "2024-05-01T08:01:00+00:00",
        datatype=NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"),
    ) in {q.object for q in quads}


def test_static_quads_hold_the_ontology_and_schemes_in_the_ontology_graph() -> None:
    quads = static_quads()
    assert {q.graph_name for q in quads} == {iri.ONTOLOGY}
    subjects = {q.subject for q in quads}
    assert ox_kg.Measure in subjects
    assert iri.MEASURE_KINDS in subjects and iri.DOCUMENT_KINDS in subjects


def test_every_mention_annotation_says_how_the_regulation_is_mentioned() -> None:
    notice = sanmen_notice()
    store = store_of(notice)
    rows = select(
        store,
        """
        SELECT ?exact ?relation WHERE {
          ?a oa:hasBody ?r ; dcterms:type ?relation ;
             oa:hasTarget ?t .
          BIND (IRI(STRBEFORE(STR(?t), "#")) AS ?n)
          BIND (STRAFTER(STR(?t), ",start=") AS ?offsets)
          BIND (xsd:integer(STRBEFORE(?offsets, ",end=")) AS ?s)
          BIND (xsd:integer(STRBEFORE(STRAFTER(?offsets, ",end="), ")")) AS ?e)
          ?n kg:fullText ?text .
          BIND (SUBSTR(?text, ?s + 1, ?e - ?s) AS ?exact)
          ?r a eli:LegalResource .
        }""",
    )
    mentions = [
        (m.span.text, m.relation.value) for r in notice.regulations for m in r.mentions
    ]
    assert mentions
    expected = sorted(
        (text, f"https://w3id.org/kg-inspection/relation/{relation}")
        for text, relation in mentions
    )
    assert sorted(r for r in rows if r[0].startswith("《")) == expected


def test_a_user_gazetteers_level_reaches_the_rdf_and_the_summary(tmp_path) -> None:
    # 民主集中制 is named without 《》 and the bundled list gives it no level;
    # a user's list does. The linker's answer travels in the model, so the RDF
    # and the summary say what the user's list says, not the bundled one.
    from kg.link import Gazetteer
    from kg.pipeline import extract_notice
    from kg.rdf.summary import notice_citations

    user = tmp_path / "laws.tsv"
    user.write_text(
        "name\tlevel\tpublished\tvalid_from\texpired\tversion\n"
        "民主集中制\t党内法规\t2019-01-01\t\t0\t1\n",
        encoding="utf-8",
    )
    text = (
        "中共某某局党组关于巡察整改进展情况的通报\n"
        "根据县委统一部署，2023年3月1日至4月30日，县委第二巡察组对某某局党组进行了巡察。\n"
        "一、关于“党的建设不够有力”问题的整改进展情况\n"
        "1.针对“贯彻民主集中制不到位”问题的整改进展情况。\n"
        "一是组织班子成员学习党章；二是严格执行民主集中制，重大事项集体研究。\n"
    )
    key = "民主集中制"
    for gazetteer, level in ((None, None), (Gazetteer.load([user]), "党内法规")):
        notice = extract_notice(text, gazetteer)
        rules = [r for r in notice.rule_mentions if r.canonical == key]
        assert rules and all(r.level == level for r in rules)
        node = iri.regulation_iri(rules[0].key)
        levels = [str(q.object.value) for q in notice_quads(notice)
                  if q.subject == node and q.predicate == ox_kg.level]
        assert levels == ([level] if level else [])
        cited = [c for c in notice_citations(notice) if c.key == rules[0].key]
        assert [c.level for c in cited] == [level]
        # placed in the problem's heading, then in its second measure
        assert [(r.problem, r.measure) for r in rules] == [("1-1", None), ("1-1", 2)]


@pytest.mark.parametrize("make", NOTICES)
def test_the_turtle_holds_the_triples_of_the_nquads(make: Callable[[], Notice]) -> None:
    # kg.rdf.turtle writes Turtle from the statements' text; rdflib and
    # Oxigraph must read the same graph from it as from the N-Quads.
    from kg.rdf.build import notice_rdf

    rdf = notice_rdf(make())
    from_turtle = set(rdflib.Graph().parse(data=rdf.turtle, format="turtle"))
    dataset = rdflib.Dataset()
    dataset.parse(data=rdf.nquads, format="nquads")
    from_nquads = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert from_turtle == from_nquads and len(from_turtle) == rdf.triples
    ox_turtle = {(q.subject, q.predicate, q.object)
                 for q in pyoxigraph.parse(rdf.turtle, RdfFormat.TURTLE)}
    ox_nquads = {(q.subject, q.predicate, q.object)
                 for q in pyoxigraph.parse(rdf.nquads, RdfFormat.N_QUADS)}
    assert ox_turtle == ox_nquads
    assert b"a oa:Annotation" in rdf.turtle  # prefixed names, rdf:type as "a"


def test_literals_with_quotes_backslashes_and_line_breaks_survive() -> None:
    from kg.rdf.terms import literal, zh
    from kg.rdf.turtle import turtle

    text = '他说"好"\\n第二行\n\r末尾\\'
    triples = [("<https://w3id.org/kg-inspection/x>",
                "<http://www.w3.org/2000/01/rdf-schema#label>", term)
               for term in (literal(text), zh(text))]
    values = {str(o) for _, _, o in rdflib.Graph().parse(data=turtle(triples),
                                                         format="turtle")}
    assert values == {text}


@given(st.integers(0, 10**7), st.integers(0, 10**7))
def test_a_span_iri_gives_back_its_source_and_offsets(start: int, end: int) -> None:
    source = iri.notice_iri("luozhuang-2021").value
    target = iri.span_iri(source, start, end)
    assert iri.span_of(target) == (source, start, end)
    # It is an IRI Oxigraph takes as it is (no character to escape).
    assert NamedNode(target).value == target


@pytest.mark.parametrize("other", [
    "https://w3id.org/kg-inspection/notice/x/annotation/1/target",
    "https://w3id.org/kg-inspection/notice/x#selector(type=TextQuoteSelector,exact=a)",
    "https://w3id.org/kg-inspection/notice/x#selector(type=TextPositionSelector,start=1)",
])
def test_an_iri_that_is_no_span_has_no_offsets(other: str) -> None:
    assert iri.span_of(other) is None
