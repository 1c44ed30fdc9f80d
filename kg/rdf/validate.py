"""SHACL validation of a built graph against ontology/shapes.ttl.

The data is the union of all graphs in the file (a TriG file's named graphs
are merged: SHACL validates one data graph, SHACL §3.1) plus the ontology and
concept schemes, so class targets and sh:class reach subclasses through
rdfs:subClassOf (SHACL §3.2.2.1: kg:Problem ⊂ kg:Finding) and the scheme checks
see the concepts. The ontology is added to the data rather than passed as
pySHACL's `ont_graph`, which did not make the schemes' skos:inScheme visible to
the shapes (pySHACL 0.40).

No RDFS inference: it would type every object of kg:addresses as a kg:Finding
(its rdfs:range), so `sh:class kg:Finding` could never fail; and it costs a
third of the run. The shapes check what the build emitted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from kg.errors import InputError
from kg.rdf.ontology import ontology_files, shapes_file
from kg.vocab import NAMESPACES, SHAPES

# rdflib parser names by file suffix; TriG and N-Quads carry named graphs.
_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt"}
_QUAD_FORMATS = {"trig", "nquads"}
_EXAMPLES = 3  # focus nodes quoted per group of results
KGSH = Namespace(SHAPES)


@dataclass(frozen=True, slots=True)
class ValidationReport:
    conforms: bool
    violations: int
    text: str  # a readable summary: per shape and path, the count and examples


def validate_graph(path: Path) -> ValidationReport:
    """Validate the Turtle/TriG/N-Quads/N-Triples file at `path`."""
    data = load_union(path)
    size = len(data)
    for file in ontology_files():
        _parse_into(data, file, "turtle")
    shapes = _parse(shapes_file(), "turtle")
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        inplace=True,  # the graph is ours: infer into it instead of a copy
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
    )
    assert isinstance(results, Graph)  # pyshacl returns the results as a graph
    return _report(path, size, bool(conforms), results, shapes)


def load_union(path: Path) -> Graph:
    """All triples of the file at `path`, named graphs merged into one."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            str(path),
            f"cannot tell the RDF format from the suffix {path.suffix!r}",
            "use .ttl, .trig, .nq or .nt",
        )
    if fmt not in _QUAD_FORMATS:
        return _parse(path, fmt)
    dataset = Dataset(default_union=True)
    _parse_into(dataset, path, fmt)
    union = Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    return union


def _parse(path: Path, fmt: str) -> Graph:
    graph = Graph()
    _parse_into(graph, path, fmt)
    return graph


def _parse_into(graph: Graph, path: Path, fmt: str) -> None:
    try:
        graph.parse(path, format=fmt)
    except (SyntaxError, ParserError, ValueError) as error:
        # rdflib's Turtle parser raises BadSyntax (a SyntaxError) whose text
        # already names the line.
        raise InputError(
            str(path),
            f"not valid {fmt}: {_first_line(error)}",
            "was the file written by `kg build`?",
        ) from error
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"not UTF-8 (byte {error.start})") from error
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror})") from error


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _report(
    path: Path, size: int, conforms: bool, results: Graph, shapes: Graph
) -> ValidationReport:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in NAMESPACES.items():
        names.bind(prefix, namespace)
    names.bind("kgsh", KGSH)
    names.bind("sh", SH)

    def name(node: Node | None) -> str:
        if isinstance(node, URIRef):
            return node.n3(names)
        if isinstance(node, BNode):
            inverse = shapes.value(node, SH.inversePath)
            if inverse is not None:
                return "^" + name(inverse)
        return "(none)" if node is None else node.n3()

    groups: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    violations = 0
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.resultSeverity) == SH.Violation:
            violations += 1
        source = results.value(result, SH.sourceShape)
        # A property shape is a blank node: name it by the node shape holding it.
        owner = shapes.value(predicate=SH.property, object=source) or source
        component = results.value(result, SH.sourceConstraintComponent)
        key = (
            name(owner),
            name(results.value(result, SH.resultPath)),
            name(component).removeprefix("sh:").removesuffix("ConstraintComponent"),
            str(results.value(result, SH.resultMessage) or ""),
        )
        groups[key].append(name(results.value(result, SH.focusNode)))

    if conforms:
        return ValidationReport(
            True, 0, f"{path}: conforms ({size} triples, shapes of {shapes_file()})"
        )
    lines = [f"{path}: does not conform: {violations} violations in {size} triples"]
    for (shape, result_path, constraint, message), focus in sorted(
        groups.items(), key=lambda item: (-len(item[1]), item[0])
    ):
        examples = ", ".join(sorted(focus)[:_EXAMPLES])
        lines.append(f"  {len(focus):>5}  {shape}  {result_path}  [{constraint}]")
        lines.append(f"         {message}")
        lines.append(f"         e.g. {examples}")
    return ValidationReport(False, violations, "\n".join(lines))
