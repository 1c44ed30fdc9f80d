"""The only place IRIs are minted (STYLE.md §3, docs/architecture.md §Identity).

Two kinds of subject:

* shared entities (regulations, committees, inspection groups, organisations,
  roles, official documents): ``BASE + type + "/" + short hash`` of the
  normalisation key of `kg.link`, so one regulation written 《会计法》 in one
  notice and 《中华人民共和国会计法》 in another is one node;
* per-notice items: ordinal paths under the notice IRI
  (``…/notice/<id>/finding/2-1-3``, ``…/measure/2-1-3/4``, ``…/annotation/7``).

Persons are per notice: a name (and a role that changes with time) does not
identify a person across notices, and a wrong merge is worse than a missed one.

Concepts of our schemes (measure kinds, document kinds, organisation kinds,
count kinds) get readable slugs; their IRIs must match ontology/*.ttl
(tests/test_ontology.py checks every enum member has its concept).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Final, Generic, TypeVar

from pyoxigraph import NamedNode

from kg.link import org_key
from kg.model import CountKey, MeasureKind, RegulationKind, Relation
from kg.vocab import BASE, ONTOLOGY_IRI

# An annotation's target: the characters start..end of a notice's text, as the
# fragment IRI that W3C "Selectors and States" (Note 2017, §4) defines for an
# oa:SpecificResource whose oa:hasSource is the notice and whose oa:hasSelector
# is an oa:TextPositionSelector. The same resource a target node and its
# selector node described, in one IRI and one statement instead of five:
# provenance was 43% of a notice graph's triples (benchmarks/README.md).
_SPAN_FRAGMENT: Final = "#selector(type=TextPositionSelector,start={},end={})"
_SPAN: Final = re.compile(
    r"(.+)#selector\(type=TextPositionSelector,start=(\d+),end=(\d+)\)")

# 16 hex digits = 64 bits: a collision needs ~4·10⁹ distinct keys (birthday
# bound), far beyond any corpus of notices, and the IRIs stay short.
_HASH_DIGITS: Final = 16

MEASURE_KINDS: Final = NamedNode(BASE + "measure-kinds")
DOCUMENT_KINDS: Final = NamedNode(BASE + "document-kinds")
ORGANIZATION_KINDS: Final = NamedNode(BASE + "organization-kinds")
COUNT_KINDS: Final = NamedNode(BASE + "count-kinds")
ONTOLOGY: Final = NamedNode(ONTOLOGY_IRI)

# Slugs are spelled out rather than derived from enum names so that renaming
# a member in kg.model cannot silently change published IRIs.
_MEASURE_KIND_SLUGS: Final[dict[MeasureKind, str]] = {
    MeasureKind.STUDY: "study",
    MeasureKind.RULES: "rules",
    MeasureKind.TALK: "talk",
    MeasureKind.SELF_CRITICISM: "self-criticism",
    MeasureKind.MEETING: "meeting",
    MeasureKind.REFUND: "refund",
    MeasureKind.DISCIPLINE: "discipline",
    MeasureKind.LEDGER: "ledger",
    MeasureKind.BUSINESS: "business",
    MeasureKind.OTHER: "other",
}
_DOCUMENT_KIND_SLUGS: Final[dict[RegulationKind, str]] = {
    RegulationKind.LAW: "law",
    RegulationKind.PARTY_REGULATION: "party-regulation",
    RegulationKind.NORMATIVE_DOCUMENT: "normative-document",
    RegulationKind.OTHER: "other",
}
# kg.model.Organization.kind: the party organisation types of the 中国共产党章程
# (党组 ch. 9, 党委/党工委 ch. 4–5, 党总支/党支部 ch. 5).
ORGANIZATION_KIND_SLUGS: Final[dict[str, str]] = {
    "党组": "party-group",
    "党委": "party-committee",
    "党工委": "party-working-committee",
    "党总支": "general-party-branch",
    "党支部": "party-branch",
}
# kg.model.Count.key, docs/architecture.md §JSON contract (announced_counts).
COUNT_KEYS: Final = tuple(key.value for key in CountKey)


@lru_cache(maxsize=8192)
def _segment(text: str) -> str:
    """`text` as one IRI path segment (RFC 3987 §2.2): unreserved ASCII and
    `ucschar` kept as they are (Chinese stays readable), everything else —
    space, ``/``, ``?``, ``#``, ``%``, controls — percent-encoded as UTF-8.
    Kept for the next call: a notice asks for some 400 segments, most of them
    again (paths, category ids), and the loop below was a tenth of its RDF."""
    text = unicodedata.normalize("NFC", text)
    if not text:
        raise ValueError("an IRI path segment cannot be empty")
    if text in {".", ".."}:
        # Dot segments would be collapsed by IRI resolution (RFC 3986 §5.2.4).
        return text.replace(".", "%2E")
    out = []
    for char in text:
        if (char.isascii() and (char.isalnum() or char in "-._~")) or _is_ucschar(char):
            out.append(char)
        else:
            out.extend(f"%{b:02X}" for b in char.encode("utf-8"))
    return "".join(out)


def _is_ucschar(char: str) -> bool:
    # RFC 3987 §2.2 ucschar, minus the noncharacters and specials it excludes.
    code = ord(char)
    if code < 0xA0 or 0xD800 <= code <= 0xF8FF or 0xFDD0 <= code <= 0xFDEF:
        return False
    if (code & 0xFFFE) == 0xFFFE or 0xFFF0 <= code <= 0xFFFF:
        return False
    return code <= 0xEFFFD


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_DIGITS]


def _shared(kind: str, key: str) -> NamedNode:
    return NamedNode(f"{BASE}{kind}/{_hash(key)}")


# --- shared entities ---------------------------------------------------------


def regulation_iri(key: str) -> NamedNode:
    """A regulation by its `kg.link.regulation_key` (carried in `Regulation.key`
    and `RuleMention.key`)."""
    return _shared("regulation", key)


def committee_iri(canonical: str) -> NamedNode:
    """A party committee by its locality-qualified name (罗庄区委)."""
    return _shared("committee", org_key(canonical))


def inspection_group_iri(canonical: str) -> NamedNode:
    """An inspection group by its qualified name (罗庄区委第一巡察组)."""
    return _shared("group", org_key(canonical))


def organization_iri(name: str) -> NamedNode:
    """An inspected or publishing organisation by its name as written."""
    return _shared("organization", org_key(name))


def role_iri(role: str) -> NamedNode:
    """A position (党组书记): normalised like organisation names, which a
    role often contains (区委书记)."""
    return _shared("role", org_key(role))


def document_iri(issuer: str, year: int, number: int) -> NamedNode:
    """An official document by its 文号: issuer code, year and serial number
    identify it whatever brackets the notice wrote ([2019], 〔2019〕, 【2019】)."""
    return _shared("document", f"{org_key(issuer)}|{year}|{number}")


CATEGORY_BASE: Final = BASE + "category/"


def category_iri(category_id: str) -> NamedNode:
    """An issue category of ontology/categories.ttl."""
    return NamedNode(CATEGORY_BASE + _segment(category_id))


# --- concepts of our schemes -------------------------------------------------


def measure_kind_iri(kind: MeasureKind) -> NamedNode:
    return NamedNode(f"{BASE}measure-kind/{_MEASURE_KIND_SLUGS[kind]}")


def relation_iri(relation: Relation) -> NamedNode:
    """A mention relation concept (ontology/mention-relations.ttl)."""
    return NamedNode(f"{BASE}relation/{relation.value}")


def document_kind_iri(kind: RegulationKind) -> NamedNode:
    return NamedNode(f"{BASE}document-kind/{_DOCUMENT_KIND_SLUGS[kind]}")


def document_kind_iri_of(kind: str) -> NamedNode:
    """The document kind concept of a `RegulationKind` value (law, other ...)."""
    return document_kind_iri(RegulationKind(kind))


def summary_graph_iri(scope: str = "all") -> NamedNode:
    """The graph of corpus-wide regulation usages (kg.rdf.summary) in one
    scope: "all" mentions (…/summary), or one relation's (…/summary/cites)."""
    if scope == "all":
        return NamedNode(f"{BASE}summary")
    return NamedNode(f"{BASE}summary/{_segment(scope)}")


def category_summary_graph_iri() -> NamedNode:
    """The graph of corpus-wide category counts (kg.rdf.summary)."""
    return NamedNode(f"{BASE}summary/categories")


def category_usage_iri(category_id: str) -> NamedNode:
    """How often an issue category is found across the corpus."""
    return NamedNode(f"{BASE}summary/category/{_segment(category_id)}")


def usage_iri(key: str, scope: str) -> NamedNode:
    """How the regulation with normalisation `key` is used across the corpus:
    in all its mentions (scope "all") or in those of one relation."""
    return NamedNode(f"{BASE}summary/regulation/{_hash(key)}/{_segment(scope)}")


def organization_kind_iri(kind: str) -> NamedNode | None:
    """The concept of an organisation kind (党组), None for one we do not know."""
    slug = ORGANIZATION_KIND_SLUGS.get(kind)
    return NamedNode(f"{BASE}organization-kind/{slug}") if slug else None


def count_kind_iri(key: str) -> NamedNode:
    """The concept of an announced count key; keys outside `COUNT_KEYS` get an
    IRI too, and SHACL reports them as outside the scheme."""
    return NamedNode(f"{BASE}count-kind/{_segment(key.replace('_', '-'))}")


# --- per-notice items --------------------------------------------------------

Term = TypeVar("Term")


class NoticeTerms(Generic[Term]):
    """The IRIs of one notice and of the items under it, each made into a
    term by `make`: a `NamedNode` (`NoticeIris`), or the N-Triples text the
    RDF stage writes (kg.rdf.build), which need not pay for validating
    thousands of IRIs built here from checked segments."""

    def __init__(self, notice_id: str, make: Callable[[str], Term]) -> None:
        self.base = f"{BASE}notice/{_segment(notice_id)}"
        self._make = make
        self.notice = make(self.base)
        self.inspection = make(self.base + "/inspection")
        self.period = make(self.base + "/inspection/period")

    def association(self, role: str) -> Term:
        """The qualified association of the inspection with `role`'s agent."""
        return self._make(f"{self.base}/inspection/{_segment(role)}")

    def instant(self, which: str) -> Term:
        """The beginning or end instant of the inspection period."""
        return self._make(f"{self.base}/inspection/period/{_segment(which)}")

    def finding(self, path: str) -> Term:
        """An aspect ("2") or problem ("2-1-3") by its ordinal path."""
        return self._make(f"{self.base}/finding/{_segment(path)}")

    def group(self, aspect_path: str, ordinal: int) -> Term:
        """The `ordinal`-th problem group (类) of an aspect. The ``g`` keeps it
        apart from problem paths, which the extractor writes with or without
        a group level."""
        return self._make(f"{self.base}/finding/{_segment(aspect_path)}-g{ordinal}")

    def measure(self, problem_path: str, ordinal: int) -> Term:
        return self._make(f"{self.base}/measure/{_segment(problem_path)}/{ordinal}")

    def row(self, kind: str, key: str | None = None) -> Term:
        """A row the named queries read (kg.rdf.rows): ``…/row/inspection``,
        ``…/row/timeline/feedback``, ``…/row/category/formalism``."""
        tail = "" if key is None else "/" + _segment(key)
        return self._make(f"{self.base}/row/{_segment(kind)}{tail}")

    def person(self, ordinal: int) -> Term:
        return self._make(f"{self.base}/person/{ordinal}")

    def membership(self, ordinal: int) -> Term:
        return self._make(f"{self.base}/person/{ordinal}/membership")

    def count(self, ordinal: int) -> Term:
        return self._make(f"{self.base}/count/{ordinal}")

    def annotation(self, ordinal: int) -> Term:
        return self._make(f"{self.base}/annotation/{ordinal}")

    def span(self, start: int, end: int) -> Term:
        """Code points `start` to `end` of the notice's text (`span_iri`)."""
        return self._make(span_iri(self.base, start, end))


class NoticeIris(NoticeTerms[NamedNode]):
    """The IRIs of one notice and of the items under it, as `NamedNode`s."""

    def __init__(self, notice_id: str) -> None:
        super().__init__(notice_id, NamedNode)


def notice_iri(notice_id: str) -> NamedNode:
    """The notice, which is also the IRI of its named graph."""
    return NoticeIris(notice_id).notice


def span_iri(source: str, start: int, end: int) -> str:
    """The span start..end (code points) of the text of `source`, a notice IRI."""
    return source + _SPAN_FRAGMENT.format(start, end)


def span_of(target: str) -> tuple[str, int, int] | None:
    """(source, start, end) of a span IRI (`span_iri`); None for any other IRI."""
    found = _SPAN.fullmatch(target)
    if found is None:
        return None
    return found[1], int(found[2]), int(found[3])


# --- the build ---------------------------------------------------------------


def build_iri(started: datetime) -> NamedNode:
    """A build run, named by its UTC start time (to the microsecond)."""
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return NamedNode(f"{BASE}build/{stamp}")


def software_iri(version: str) -> NamedNode:
    return NamedNode(f"{BASE}software/kg/{_segment(version)}")
