"""What the triples of a build are: per notice, by predicate, by subject type,
and which of them state again what another triple already says.

    python benchmarks/triples.py output                  # a build folder (OUT/store)
    python benchmarks/triples.py examples/notices        # builds them in a temp dir
    python benchmarks/triples.py output --json           # every figure as JSON

Given a build folder it opens OUT/store read only; given notice files or
folders it builds them first (`kg build --no-html --no-dump` into a temporary
folder). It reads every quad once and reports, for the notice graphs:

  - triples by predicate and by subject type (the set of the subject's
    rdf:type in the same graph), with the share of each and the count per
    notice;
  - literal statements against distinct literal values (in their graph and in
    the corpus): how often one quote or label is written again;
  - three kinds of repetition, each with its share of the notice triples:
    one literal value stated by several predicates of one graph (a measure's
    label and its annotation's quote), the same object for every subject of
    a type in every graph (a constant: it could be stated once), and rdf:type
    statements implied by the ontology's rdfs:subClassOf;
  - the triples about shared nodes (regulations, organisations, concepts)
    repeated in several notice graphs;

and how many triples are in the summary graphs, the ontology and the build
activity beside the notice graphs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.rdf.namespaces import BASE, ONTOLOGY_IRI, PREFIXES

RDF_TYPE = PREFIXES["rdf"] + "type"
SUBCLASS_OF = PREFIXES["rdfs"] + "subClassOf"
UNTYPED = "(no rdf:type)"
# Literals that are text: a repeated number or date is no repeated statement.
TEXT_DATATYPES = {PREFIXES["xsd"] + "string", PREFIXES["rdf"] + "langString"}
Key = TypeVar("Key", str, tuple[str, str])
TOP_ROWS = 40  # rows of a Markdown table before the rest is summed up
# Longest namespace first, so that a namespace inside another (kg: is under
# BASE) names its terms.
_NAMESPACES = sorted(((ns, p) for p, ns in PREFIXES.items()),
                     key=lambda item: -len(item[0]))


def short(iri: str, graph: str = "") -> str:
    """A prefixed name (rdf:type), <notice>/… for an IRI under the graph's
    notice, …/path for one under BASE, else <iri>."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    if graph and (iri == graph or iri.startswith(graph + "/")):
        return "<notice>" + iri[len(graph):]
    if iri.startswith(BASE):
        return "<…/" + iri[len(BASE):] + ">"
    return f"<{iri}>"


def graph_kind(graph: str) -> str:
    if graph == ONTOLOGY_IRI:
        return "ontology"
    for kind in ("notice", "summary", "build"):
        if graph.startswith(f"{BASE}{kind}"):
            return kind
    return "other"


@dataclass
class Pattern:
    """A (subject type, predicate) pair: its objects, to find constants."""

    statements: int = 0
    graphs: int = 0
    objects: set[str] = field(default_factory=set)
    varies_in_a_graph: bool = False


@dataclass
class Tally:
    """Counts over the graphs of one kind."""

    graphs: int = 0
    triples: int = 0
    per_graph: list[int] = field(default_factory=list)
    nquads_bytes: int = 0
    by_predicate: Counter[str] = field(default_factory=Counter)
    bytes_by_predicate: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    bytes_by_type: Counter[str] = field(default_factory=Counter)
    subjects_by_type: Counter[str] = field(default_factory=Counter)
    literals: Counter[str] = field(default_factory=Counter)  # by predicate
    literals_distinct_in_graph: Counter[str] = field(default_factory=Counter)
    literal_values: dict[str, set[str]] = field(
        default_factory=lambda: defaultdict(set))
    graph_distinct_literals: int = 0
    corpus_literals: set[str] = field(default_factory=set)
    same_value: Counter[str] = field(default_factory=Counter)
    same_value_bytes: Counter[str] = field(default_factory=Counter)
    patterns: dict[tuple[str, str], Pattern] = field(
        default_factory=lambda: defaultdict(Pattern))
    implied_types: Counter[tuple[str, str]] = field(default_factory=Counter)
    shared: Counter[tuple[str, str, str]] = field(default_factory=Counter)


def superclasses(store: ox.Store) -> dict[str, set[str]]:
    """Every class's superclasses (transitively) in any graph of the store."""
    direct: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS_OF), None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(
                quad.object, ox.NamedNode):
            direct[quad.subject.value].add(quad.object.value)
    closure: dict[str, set[str]] = {}
    for cls in direct:
        seen: set[str] = set()
        stack = list(direct[cls])
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(direct.get(parent, ()))
        closure[cls] = seen
    return closure


def term_key(term: Any) -> str:
    return str(term)


def subject_of(quad: ox.Quad) -> str:
    subject = quad.subject
    if isinstance(subject, ox.NamedNode | ox.BlankNode):
        return subject.value
    return str(subject)  # an RDF-star triple


def subject_types(quads: list[ox.Quad]) -> dict[str, set[str]]:
    """The classes each subject is stated to be an instance of."""
    types: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        if quad.predicate.value == RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            types[subject_of(quad)].add(quad.object.value)
    return types


def tally_graph(tally: Tally, graph: str, quads: list[ox.Quad],
                supers: dict[str, set[str]]) -> None:
    """Add one graph's quads to `tally`."""
    types = subject_types(quads)
    type_keys = {s: " ".join(sorted(short(t) for t in ts)) for s, ts in types.items()}
    tally.graphs += 1
    tally.triples += len(quads)
    tally.per_graph.append(len(quads))
    subjects: set[str] = set()
    graph_literals: dict[str, set[str]] = defaultdict(set)  # by predicate
    values: dict[str, list[str]] = defaultdict(list)  # text → its predicates
    objects: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    own = graph + "/"
    for quad in quads:
        subject, predicate = subject_of(quad), short(quad.predicate.value)
        type_key = type_keys.get(subject, UNTYPED)
        size = len(str(quad).encode()) + 3  # the quad's line of N-Quads
        tally.nquads_bytes += size
        tally.by_predicate[predicate] += 1
        tally.bytes_by_predicate[predicate] += size
        tally.by_type[type_key] += 1
        tally.bytes_by_type[type_key] += size
        if subject not in subjects:
            subjects.add(subject)
            tally.subjects_by_type[type_key] += 1
        obj = quad.object
        if isinstance(obj, ox.Literal):
            text = term_key(obj)
            tally.literals[predicate] += 1
            tally.literal_values[predicate].add(text)
            tally.corpus_literals.add(text)
            graph_literals[predicate].add(text)
            if obj.datatype.value in TEXT_DATATYPES:
                values[obj.value].append(predicate)
        if predicate != "rdf:type":
            rendered = (short(obj.value, graph) if isinstance(obj, ox.NamedNode)
                        else term_key(obj))
            objects[(type_key, predicate)].add(rendered)
            counts[(type_key, predicate)] += 1
        if subject != graph and not subject.startswith(own):
            tally.shared[(subject, predicate, term_key(obj))] += 1
    for predicate, texts in graph_literals.items():
        tally.literals_distinct_in_graph[predicate] += len(texts)
    tally.graph_distinct_literals += len(set().union(*graph_literals.values()))
    _tally_literals(tally, values)
    _tally_patterns(tally, objects, counts)
    _tally_implied(tally, types, type_keys, supers)


def _tally_literals(tally: Tally, values: dict[str, list[str]]) -> None:
    """Texts stated more than once in one graph, whatever their language tag:
    a label@zh and a quote with the same characters are one text."""
    for text, predicates in values.items():
        if len(predicates) > 1:
            names = sorted(set(predicates))
            key = (" = ".join(names) if len(names) > 1
                   else f"{names[0]} (several subjects)")
            tally.same_value[key] += len(predicates) - 1
            tally.same_value_bytes[key] += (len(predicates) - 1) * len(text.encode())


def _tally_patterns(tally: Tally, objects: dict[tuple[str, str], set[str]],
                    counts: Counter[tuple[str, str]]) -> None:
    for key, seen in objects.items():
        pattern = tally.patterns[key]
        pattern.statements += counts[key]
        pattern.graphs += 1
        pattern.objects.update(seen)
        if len(seen) > 1:
            pattern.varies_in_a_graph = True


def _tally_implied(tally: Tally, types: dict[str, set[str]],
                   type_keys: dict[str, str], supers: dict[str, set[str]]) -> None:
    for subject, classes in types.items():
        for cls in classes:
            if any(cls in supers.get(other, ()) for other in classes - {cls}):
                tally.implied_types[(type_keys[subject], short(cls))] += 1


def read_store(path: Path) -> dict[str, Tally]:
    """The tallies of every kind of graph in the store at `path`."""
    store = ox.Store.read_only(str(path))
    supers = superclasses(store)
    tallies: dict[str, Tally] = defaultdict(Tally)
    for node in sorted(store.named_graphs(), key=lambda g: g.value):
        if not isinstance(node, ox.NamedNode):
            continue
        quads = list(store.quads_for_pattern(None, None, None, node))
        tally_graph(tallies[graph_kind(node.value)], node.value, quads, supers)
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if default:
        tally_graph(tallies["default graph"], "", default, supers)
    return dict(tallies)


def build(inputs: list[str], out: Path) -> None:
    command = [sys.executable, "-m", "kg", "build", *inputs, "-o", str(out),
               "--no-html", "--no-dump"]
    done = subprocess.run(command, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):  # 1: some notice failed, as reported
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")


# --- the figures --------------------------------------------------------------


def ranked(counter: Counter[Key]) -> list[tuple[Key, int]]:
    """Most first; equal counts by name, so that the same store gives the same
    report."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def figures(tallies: dict[str, Tally]) -> dict[str, Any]:
    """Every figure of the report, as JSON-ready data."""
    notices = tallies.get("notice", Tally())
    summary = tallies.get("summary", Tally())
    n, total = max(1, notices.graphs), notices.triples
    all_triples = sum(t.triples for t in tallies.values())
    return {
        "notices": notices.graphs,
        "graphs": [
            {"kind": kind, "graphs": t.graphs, "triples": t.triples,
             "share": share(t.triples, all_triples), "per_notice": t.triples / n,
             "nquads_bytes": t.nquads_bytes}
            for kind, t in sorted(tallies.items(), key=lambda kv: -kv[1].triples)
        ],
        "triples": all_triples,
        "notice_triples": total,
        "notice_nquads_bytes": notices.nquads_bytes,
        "per_notice": {
            "mean": total / n,
            "median": median(notices.per_graph) if notices.per_graph else 0,
            "min": min(notices.per_graph, default=0),
            "max": max(notices.per_graph, default=0),
        },
        "by_predicate": counted(notices.by_predicate, notices, n,
                                notices.bytes_by_predicate),
        "by_subject_type": [
            {**row, "subjects": notices.subjects_by_type[row["name"]],
             "per_subject": share(row["triples"],
                                  notices.subjects_by_type[row["name"]])}
            for row in counted(notices.by_type, notices, n, notices.bytes_by_type)
        ],
        "literals": literal_figures(notices, total),
        "same_value": counted(notices.same_value, notices, n,
                              notices.same_value_bytes),
        "constants": constants(notices, total),
        "implied_types": [
            {"subject_type": key[0], "implied": key[1], "statements": count,
             "share": share(count, total)}
            for key, count in ranked(notices.implied_types)
        ],
        "shared": shared_figures(notices, total),
        "summary_by_predicate": counted(summary.by_predicate, summary, n,
                                        summary.bytes_by_predicate),
    }


def counted(counter: Counter[str], tally: Tally, notices: int,
            sizes: Counter[str]) -> list[dict[str, Any]]:
    """Rows of `counter` with their share of the tally's triples and of its
    N-Quads bytes (`sizes`: the bytes of the same rows)."""
    return [{"name": name, "triples": count, "per_notice": count / notices,
             "share": share(count, tally.triples), "bytes": sizes[name],
             "bytes_share": share(sizes[name], tally.nquads_bytes)}
            for name, count in ranked(counter)]


def literal_figures(tally: Tally, total: int) -> dict[str, Any]:
    statements = sum(tally.literals.values())
    return {
        "statements": statements,
        "share": share(statements, total),
        "distinct_in_graph": tally.graph_distinct_literals,
        "distinct_in_corpus": len(tally.corpus_literals),
        "by_predicate": [
            {"name": p, "statements": count,
             "distinct_in_graph": tally.literals_distinct_in_graph[p],
             "distinct_in_corpus": len(tally.literal_values[p]),
             "share": share(count, total)}
            for p, count in ranked(tally.literals)
        ],
    }


def constants(tally: Tally, total: int) -> list[dict[str, Any]]:
    """(subject type, predicate) pairs whose object is the same for every
    subject in every graph: once per graph would say the same."""
    rows = []
    for (type_key, predicate), pattern in tally.patterns.items():
        repeated = pattern.statements - pattern.graphs
        if pattern.varies_in_a_graph or len(pattern.objects) != 1 or repeated <= 0:
            continue
        rows.append({"subject_type": type_key, "predicate": predicate,
                     "object": next(iter(pattern.objects)),
                     "statements": pattern.statements, "graphs": pattern.graphs,
                     "share": share(pattern.statements, total)})
    return sorted(rows, key=lambda row: -row["statements"])


def shared_figures(tally: Tally, total: int) -> dict[str, Any]:
    """Triples about nodes outside the notice (shared entities), and how many
    are copies of a triple another notice graph states too."""
    statements: Counter[str] = Counter()
    copies: Counter[str] = Counter()
    distinct: Counter[str] = Counter()
    for (_, predicate, _), graphs in tally.shared.items():
        statements[predicate] += graphs
        copies[predicate] += graphs - 1
        distinct[predicate] += 1
    return {
        "statements": sum(statements.values()),
        "distinct": len(tally.shared),
        "copies": sum(copies.values()),
        "share": share(sum(statements.values()), total),
        "copies_share": share(sum(copies.values()), total),
        "by_predicate": [
            {"name": p, "statements": count, "distinct": distinct[p],
             "copies": copies[p], "share": share(copies[p], total)}
            for p, count in ranked(statements)
        ],
    }


# --- Markdown -----------------------------------------------------------------


def table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def pct(value: float) -> str:
    return f"{value:.1%}"


def top(rows: list[dict[str, Any]], key: str) -> tuple[list[dict[str, Any]], int]:
    """The first TOP_ROWS rows and the sum of `key` over the rest."""
    return rows[:TOP_ROWS], sum(row[key] for row in rows[TOP_ROWS:])


def markdown(data: dict[str, Any]) -> str:
    lines = [*overview_md(data), "", *predicates_md(data), "", *types_md(data), "",
             *literals_md(data), "", *repeats_md(data), "", *shared_md(data)]
    return "\n".join(lines)


def mb(size: int) -> str:
    return f"{size / 1e6:,.1f}"


def overview_md(data: dict[str, Any]) -> list[str]:
    per = data["per_notice"]
    # The provenance: every oa: statement (an annotation's body and its
    # target, the span's IRI; before 2026-12-05 also a target's source and
    # selector and a selector's offsets) and the type of each annotation; a
    # mention annotation's dcterms:type is left out.
    oa = [r for r in data["by_predicate"] if r["name"].startswith("oa:")]
    annotations = sum(r["subjects"] for r in data["by_subject_type"]
                      if "oa:Annotation" in r["name"])
    share = (sum(r["triples"] for r in oa) + annotations) / data["notice_triples"]
    lines = [f"{data['notices']:,} notices, {data['triples']:,} triples in the store;"
             f" per notice graph {per['mean']:,.0f} (median {per['median']:,.0f},"
             f" {per['min']:,}–{per['max']:,}). The provenance of the facts"
             " (each oa:Annotation and its target):"
             f" {pct(share)} of the notice triples,"
             f" {pct(sum(r['bytes_share'] for r in oa))} of their N-Quads"
             " (oa: statements).",
             ""]
    lines += table(["graphs", "count", "triples", "share", "per notice",
                    "N-Quads MB"], (
        (g["kind"], g["graphs"], f"{g['triples']:,}", pct(g["share"]),
         f"{g['per_notice']:,.1f}", mb(g["nquads_bytes"])) for g in data["graphs"]))
    return lines


def predicates_md(data: dict[str, Any]) -> list[str]:
    rows, rest = top(data["by_predicate"], "triples")
    lines = ["Notice graphs by predicate:", ""]
    lines += table(["predicate", "triples", "per notice", "share", "N-Quads share"], (
        (f"`{r['name']}`", f"{r['triples']:,}", f"{r['per_notice']:,.1f}",
         pct(r["share"]), pct(r["bytes_share"])) for r in rows))
    if rest:
        lines.append(f"| (the other {len(data['by_predicate']) - TOP_ROWS}) "
                     f"| {rest:,} | {rest / max(1, data['notices']):,.1f} "
                     f"| {pct(rest / data['notice_triples'])} | |")
    lines.append(f"| total | {data['notice_triples']:,} "
                 f"| {data['per_notice']['mean']:,.1f} | 100% "
                 f"| {mb(data['notice_nquads_bytes'])} MB |")
    return lines


def types_md(data: dict[str, Any]) -> list[str]:
    rows, rest = top(data["by_subject_type"], "triples")
    lines = ["Notice graphs by subject type (the subject's rdf:type in its graph):",
             ""]
    lines += table(
        ["subject type", "subjects", "triples", "per subject", "per notice", "share",
         "N-Quads share"],
        ((f"`{r['name']}`", f"{r['subjects']:,}", f"{r['triples']:,}",
          f"{r['per_subject']:.1f}", f"{r['per_notice']:,.1f}", pct(r["share"]),
          pct(r["bytes_share"])) for r in rows))
    if rest:
        lines.append(f"| (the other {len(data['by_subject_type']) - TOP_ROWS}) | "
                     f"| {rest:,} | | | {pct(rest / data['notice_triples'])} | |")
    return lines


def literals_md(data: dict[str, Any]) -> list[str]:
    lit = data["literals"]
    lines = [f"Literals: {lit['statements']:,} literal statements"
             f" ({pct(lit['share'])} of the notice triples),"
             f" {lit['distinct_in_graph']:,} distinct values counted per graph,"
             f" {lit['distinct_in_corpus']:,} distinct in the corpus.", ""]
    lines += table(
        ["predicate", "literal statements", "distinct in its graph",
         "distinct in the corpus", "share of triples"],
        ((f"`{r['name']}`", f"{r['statements']:,}", f"{r['distinct_in_graph']:,}",
          f"{r['distinct_in_corpus']:,}", pct(r["share"]))
         for r in lit["by_predicate"]))
    return lines


def repeats_md(data: dict[str, Any]) -> list[str]:
    lines = ["One text stated again in the same graph (statements beyond the"
             " first; the bytes are the repeated text's):", ""]
    lines += table(["predicates sharing the text", "repeated statements", "share",
                    "text MB", "N-Quads share"],
                   ((f"`{r['name']}`", f"{r['triples']:,}", pct(r["share"]),
                     f"{r['bytes'] / 1e6:,.2f}", pct(r["bytes_share"]))
                    for r in data["same_value"][:TOP_ROWS]))
    lines += ["", "The same object for every subject of a type, in every graph that"
              " has the pair:", ""]
    lines += table(["subject type", "predicate", "object", "graphs", "statements",
                    "share"],
                   ((f"`{r['subject_type']}`", f"`{r['predicate']}`",
                     f"`{r['object']}`", f"{r['graphs']:,}", f"{r['statements']:,}",
                     pct(r["share"])) for r in data["constants"][:TOP_ROWS]))
    lines += ["", "rdf:type statements implied by rdfs:subClassOf:", ""]
    lines += table(["subject type", "implied type", "statements", "share"],
                   ((f"`{r['subject_type']}`", f"`{r['implied']}`",
                     f"{r['statements']:,}", pct(r["share"]))
                    for r in data["implied_types"]))
    return lines


def shared_md(data: dict[str, Any]) -> list[str]:
    shared, total = data["shared"], data["notice_triples"]
    lines = [f"Triples about shared nodes (outside the notice):"
             f" {shared['statements']:,} ({pct(shared['share'])}),"
             f" {shared['distinct']:,} distinct; {shared['copies']:,} copies of a"
             f" triple another notice graph states ({pct(shared['copies_share'])}"
             f" of {total:,}).", ""]
    lines += table(["predicate", "statements", "distinct", "copies", "share"],
                   ((f"`{r['name']}`", f"{r['statements']:,}", f"{r['distinct']:,}",
                     f"{r['copies']:,}", pct(r["share"]))
                    for r in shared["by_predicate"][:TOP_ROWS]))
    summary = data["summary_by_predicate"]
    lines += ["", "Summary graphs by predicate:", ""]
    lines += table(["predicate", "triples", "per notice", "share", "N-Quads share"],
                   ((f"`{r['name']}`", f"{r['triples']:,}", f"{r['per_notice']:,.1f}",
                     pct(r["share"]), pct(r["bytes_share"]))
                    for r in summary[:TOP_ROWS]))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+",
                        help="a build folder (holding store/), or notice files "
                             "and folders to build first")
    parser.add_argument("--json", action="store_true", help="every figure as JSON")
    args = parser.parse_args(argv)
    first = Path(args.inputs[0])
    if len(args.inputs) == 1 and (first / "store").is_dir():
        data = figures(read_store(first / "store"))
    else:
        with tempfile.TemporaryDirectory(prefix="kg-triples-") as temporary:
            out = Path(temporary)
            build(args.inputs, out)
            data = figures(read_store(out / "store"))
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json
          else markdown(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
