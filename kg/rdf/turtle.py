"""Turtle of a notice graph, written from its N-Triples terms.

Every notice's graph is written as Turtle once per build (notices/<id>.ttl,
which the dumps graph.trig and graph.ttl are assembled from). Oxigraph
serialises Turtle at ~135 k statements/s once it has `Quad` objects, and
making those objects from Python costs as much again: 25 ms of a notice's
3,400 statements, a third of extracting it. The statements are already
N-Triples text, sorted by subject and predicate, which is what Turtle's
predicate and object lists (Turtle §2.3) need; this writer only groups them
and shortens vocabulary IRIs to prefixed names. The result is checked
against the N-Quads by rdflib and Oxigraph in tests/test_rdf.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from kg.vocab import NAMESPACES

HEADER: Final = "".join(
    f"@prefix {name}: <{iri}> .\n" for name, iri in NAMESPACES.items()
)
"""Every prefix, always: the dumps write a header again only where one
notice's differs from the one before (kg.dumps)."""

_RDF_TYPE: Final = f"<{NAMESPACES['rdf']}type>"
# PN_LOCAL (Turtle §6.5), restricted to the names our vocabularies use.
_LOCAL_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_BY_LENGTH: Final = sorted(NAMESPACES.items(), key=lambda item: -len(item[1]))


@lru_cache(maxsize=4096)
def prefixed(term: str) -> str:
    """An IRI term of one of our vocabularies as a prefixed name; any other
    term as it is.

    >>> prefixed("<http://www.w3.org/ns/oa#hasBody>")
    'oa:hasBody'
    >>> prefixed("<https://w3id.org/kg-inspection/notice/x>")
    '<https://w3id.org/kg-inspection/notice/x>'
    """
    if not term.startswith("<"):
        return term
    text = term[1:-1]
    for name, namespace in _BY_LENGTH:
        if text.startswith(namespace):
            local = text[len(namespace):]
            if _LOCAL_NAME.fullmatch(local):
                return f"{name}:{local}"
            break
    return term


def _object(term: str) -> str:
    if term.startswith('"'):
        quote = term.rfind('"')
        if term.startswith("^^<", quote + 1):  # a typed literal
            return term[:quote + 3] + prefixed(term[quote + 3:])
        return term
    return prefixed(term)


def turtle(triples: Iterable[tuple[str, str, str]]) -> bytes:
    """Turtle of `triples` (N-Triples terms), which come sorted by subject
    and predicate; with `HEADER`'s prefixes."""
    out = [HEADER]
    subject = predicate = None
    for s, p, o in triples:
        verb = "a" if p == _RDF_TYPE else prefixed(p)
        if s != subject:
            if subject is not None:
                out.append(" .\n")
            out.append(f"{s} {verb} {_object(o)}")
            subject, predicate = s, p
        elif p != predicate:
            out.append(f" ;\n    {verb} {_object(o)}")
            predicate = p
        else:
            out.append(f" ,\n        {_object(o)}")
    if subject is not None:
        out.append(" .\n")
    return "".join(out).encode("utf-8")
