"""The ontology files: where they are and their quads.

They live in ``ontology/`` at the top of the repository (docs/architecture.md, package
layout). ``kg/data/ontology`` links there, so a built wheel carries them as
package data and an installed package finds them in the same place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, Quad, RdfFormat

from kg.errors import InputError
from kg.vocab import ONTOLOGY_IRI

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "data" / "ontology"

# The files that must be there; ontology/categories.ttl is optional here so
# the scheme can be developed separately, and is loaded whenever present.
REQUIRED_FILES = (
    "kg.ttl",
    "measure-kinds.ttl",
    "document-kinds.ttl",
    "mention-relations.ttl",
)
SHAPES_FILE = "shapes.ttl"


def ontology_files() -> list[Path]:
    """The ontology and concept-scheme files (everything but the shapes)."""
    for name in (*REQUIRED_FILES, SHAPES_FILE):
        if not (ONTOLOGY_DIR / name).is_file():
            raise InputError(
                str(ONTOLOGY_DIR / name),
                "ontology file missing",
                "reinstall kg: the package ships ontology/ as kg/data/ontology",
            )
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p.name != SHAPES_FILE)


def shapes_file() -> Path:
    ontology_files()  # the same check, the same message
    return ONTOLOGY_DIR / SHAPES_FILE


@cache
def static_quads() -> tuple[Quad, ...]:
    """The ontology and concept schemes, in the graph named by the ontology IRI,
    sorted like the notice graphs; parsed once per process."""
    graph = NamedNode(ONTOLOGY_IRI)
    quads: set[Quad] = set()
    for path in ontology_files():
        try:
            for parsed in pyoxigraph.parse(path=str(path), format=RdfFormat.TURTLE):
                quads.add(
                    Quad(parsed.subject, parsed.predicate, parsed.object, graph)
                )
        except SyntaxError as error:
            raise InputError(str(path), f"not valid Turtle: {error}") from error
    return tuple(sorted(quads, key=str))
