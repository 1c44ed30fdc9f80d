"""The rows the named queries answer, stated in each notice's graph.

Each row of `inspections`, `timeline`, `categories` (but for its counts across
notices), `measures` and `enacted` is a function of one notice, so the RDF
stage states it in that notice's graph as a small row node
(``<notice>/row/…``, ontology/kg.ttl, "rows of the named queries"), replaced
and deleted with the notice. Reading every notice graph instead (following
each span through its oa:Annotation, counting problems, joining labels) took
2 to 53 s per named query at 1,000 notices (issue 15).

A row states only what is expensive to reach from the nodes it is about: the
notice id, spans, labels of shared nodes, counts and the categories as one
string; kg/queries/*.rq read the rest (a measure's identifier, text and kind)
from the nodes themselves. Everything is computed from the model, as the RDF
stage states it (kg.rdf.build): multi-valued columns (the units of a joint
inspection, a count stated twice) are multi-valued properties, so the queries
give the same cross products as reading the nodes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kg.model import Notice, Problem, Relation, Span
from kg.rdf import iri
from kg.rdf.iri import NoticeTerms
from kg.rdf.terms import DCTERMS, KG, RDF, XSD, integer, literal, offset, typed, zh

Triple = tuple[str, str, str]

# The events of the timeline query in its order (the JSON contract's names).
_EVENTS = ("inspection_start", "inspection_end", "feedback", "published")


def summary_rows(
    notice: Notice, iris: NoticeTerms[str], labels: Mapping[str, str]
) -> list[Triple]:
    """The row statements of `notice` (N-Triples terms, kg.rdf.terms):
    `iris` are its IRIs as N-Triples text, `labels` the skos:prefLabel the
    RDF stage gave each shared node (by its N-Triples IRI)."""
    notice_id = literal(notice.id)
    units = _unit_labels(notice, labels)
    enacted = list(_enacted_rows(notice, iris))
    rows = sum(1 for _, predicate, _ in enacted if predicate == RDF.type)
    return [
        *_inspection_row(notice, iris, labels, notice_id, units, rows),
        *_timeline_rows(notice, iris, notice_id),
        *_category_rows(notice, iris, notice_id),
        *_measure_rows(notice, iris),
        *enacted,
    ]


def _span(row: str, span: Span) -> Iterator[Triple]:
    yield row, KG.textStart, offset(span.start)
    yield row, KG.textEnd, offset(span.end)


def _unit_labels(notice: Notice, labels: Mapping[str, str]) -> list[str]:
    """The prefLabels of the inspected organisations (kg:inspected role)."""
    orgs = (notice.inspected_org, *notice.co_inspected)
    nodes = [str(iri.organization_iri(org.name)) for org in orgs if org is not None]
    return [zh(labels[node]) for node in nodes]


# --- inspections and timeline -------------------------------------------------


def _inspection_row(
    notice: Notice, iris: NoticeTerms[str], labels: Mapping[str, str],
    notice_id: str, units: list[str], enacted: int,
) -> Iterator[Triple]:
    row = iris.row("inspection")
    yield row, RDF.type, KG.InspectionRow
    yield row, KG.rowOf, iris.inspection
    yield row, KG.noticeId, notice_id
    if (body := notice.inspecting_body) is not None:
        committee = str(iri.committee_iri(body.canonical))
        yield row, KG.bodyLabel, zh(labels[committee])
    if (group := notice.inspection_group) is not None:
        node = str(iri.inspection_group_iri(group.canonical))
        yield row, KG.groupLabel, zh(labels[node])
        yield from _span(row, group.span)
    for unit in units:
        yield row, KG.unitLabel, unit
    for count in notice.counts:
        if count.key == "problems":
            yield row, KG.problemsStated, integer(count.value)
        elif count.key == "measures":
            yield row, KG.measuresStated, integer(count.value)
    problems = {problem.path for problem in notice.problems}
    measures = {(problem.path, ordinal) for problem in notice.problems
                for ordinal in range(1, len(problem.measures) + 1)}
    yield row, KG.problemsFound, integer(len(problems))
    yield row, KG.measuresFound, integer(len(measures))
    yield row, KG.enactedFound, integer(enacted)


def _timeline_rows(
    notice: Notice, iris: NoticeTerms[str], notice_id: str
) -> Iterator[Triple]:
    """One row per dated step; only the period's instants carry a span."""
    dated = (
        (notice.inspection_start, iris.instant("start"), True),
        (notice.inspection_end, iris.instant("end"), True),
        (notice.feedback_date, iris.inspection, False),
        (notice.published, iris.notice, False),
    )
    for step, (event, (date, node, annotated)) in enumerate(
        zip(_EVENTS, dated, strict=True), start=1
    ):
        if date is None:
            continue
        row = iris.row("timeline", event)
        yield row, RDF.type, KG.TimelineRow
        yield row, KG.rowOf, node
        yield row, KG.noticeId, notice_id
        yield row, DCTERMS.date, typed(date.iso, XSD.date)
        yield row, KG.event, literal(event)
        yield row, KG.step, integer(step)
        if annotated:
            yield from _span(row, date.span)


# --- categories and measures ---------------------------------------------------


def _category_rows(
    notice: Notice, iris: NoticeTerms[str], notice_id: str
) -> Iterator[Triple]:
    """One row per category the notice has problems in: how many, and the
    first of them in reading order (its statement's start)."""
    for category, found in sorted(_problems_by_category(notice).items()):
        first = min(found.values(), key=lambda p: p.own_text.start)
        concept = iri.category_iri(category)
        row = iris.row("category", category)
        yield row, RDF.type, KG.CategoryRow
        yield row, KG.category, str(concept)
        yield row, KG.noticeId, notice_id
        yield row, KG.problemsFound, integer(len(found))
        yield row, KG.rowOf, iris.finding(first.path)
        yield from _span(row, first.own_text)


def category_counts(notice: Notice) -> tuple[tuple[str, int], ...]:
    """(category id, how many of the notice's problems it has), by id: what
    the notice adds to the corpus-wide counts of the category summary."""
    return tuple((category, len(found)) for category, found
                 in sorted(_problems_by_category(notice).items()))


def _problems_by_category(notice: Notice) -> dict[str, dict[str, Problem]]:
    problems: dict[str, dict[str, Problem]] = {}
    for problem in notice.problems:
        for category in problem.categories:
            problems.setdefault(category, {}).setdefault(problem.path, problem)
    return problems


def _measure_rows(notice: Notice, iris: NoticeTerms[str]) -> Iterator[Triple]:
    """The measures query's row of a measure is the measure itself: one
    statement each (some 60 a notice), where it starts; and one per problem
    with measures, its category ids (sorted, space-separated) on the problem.
    The query reads the measure's identifier, text and kind from the measure
    node, and its end is its start plus the length of its text (the
    measure's rdfs:label is the text it spans). A row node of its own, its
    type and a link to the measure took three statements more per measure
    (9% of a notice graph)."""
    for problem in notice.problems:
        categories = " ".join(sorted(set(problem.categories)))
        if categories and problem.measures:
            yield iris.finding(problem.path), KG.categories, literal(categories)
        for ordinal, measure in enumerate(problem.measures, start=1):
            node = iris.measure(problem.path, ordinal)
            yield node, KG.textStart, offset(measure.span.start)


# --- enacted ---------------------------------------------------------------------


def _enacted_rows(notice: Notice, iris: NoticeTerms[str]) -> Iterator[Triple]:
    """One row per mention of a document a measure enacts that lies inside
    that measure: any mention of the document, as the graph links a document
    to a measure, not a mention (kg.rdf.build._mention)."""
    measures = {(problem.path, ordinal): measure for problem in notice.problems
                for ordinal, measure in enumerate(problem.measures, start=1)}
    spans = _mention_spans(notice)
    enacted: dict[tuple[str, int], set[str]] = {}
    for regulation in notice.regulations:
        node = str(iri.regulation_iri(regulation.key))
        for mention in regulation.mentions:
            if (mention.relation is Relation.ENACTS and mention.problem is not None
                    and mention.measure is not None):
                enacted.setdefault((mention.problem, mention.measure), set()).add(node)
    ordinal = 0
    for (path, position), documents in sorted(enacted.items()):
        measure = measures.get((path, position))
        if measure is None:
            continue
        for document in sorted(documents):
            for span in spans[document]:
                if not measure.span.contains(span):
                    continue
                ordinal += 1
                row = iris.row("enacted", str(ordinal))
                yield from _enacted_row(row, iris.measure(path, position),
                                        document, span)


def _mention_spans(notice: Notice) -> dict[str, list[Span]]:
    """Every annotated mention of each regulation node, titles and bare names."""
    spans: dict[str, list[Span]] = {}
    for regulation in notice.regulations:
        node = str(iri.regulation_iri(regulation.key))
        spans.setdefault(node, []).extend(m.span for m in regulation.mentions)
    for rule in notice.rule_mentions:
        spans.setdefault(str(iri.regulation_iri(rule.key)), []).append(rule.span)
    return spans


def _enacted_row(row: str, measure: str, document: str, span: Span
                 ) -> Iterator[Triple]:
    """The notice's id and units are its inspection row's."""
    yield row, RDF.type, KG.EnactedRow
    yield row, KG.rowOf, measure
    yield row, KG.document, document
    yield row, KG.text, literal(span.text)
    yield from _span(row, span)

