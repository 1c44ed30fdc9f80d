"""The HTML pages of a build: an index with charts, the overview graph, one
page per notice, recurring regulation and issue category.

Each notice is read once, from its own graph (`kg.pagedata`, `kg.gather`),
and every page is built in memory from what was read, so the site costs
time in proportion to the corpus; the build's jobs share the reading and the
rendering (`kg.sitejobs`). What was read and the inputs of each page are
kept in `.kg-pages.sqlite` (`kg.pagecache`): a rewrite reads again only the
notices whose Turtle files changed and renders only the pages whose inputs
changed (`kg.pageinputs`: what its notices give it, not their files'
stamps, so a notice read again that gives the pages what it gave them
renders only its own page again, or none). A page whose bytes are those
already on disk is not written again (`.kg-pages.json` holds each page's
hash), so a one-file rebuild rewrites the pages that notice touches: its
own, its regulations' and categories', the index and the overview. Pages
left from an earlier build that the site no longer has are removed.

vis-network, the style sheet and the scripts are written once under
assets/, which pages name relatively; no request leaves a page (docs/architecture.md).
From index.html each notice and category is one click away and each
regulation at most two. Files are written atomically (`kg.store.atomic_path`).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg.charts import CHART_ASSETS, chart_data
from kg.errors import KgError
from kg.focus import category_focus, focus_graph, regulation_focus
from kg.graph import (
    CategoryRow,
    Corpus,
    NoticeDetail,
    NoticeRow,
    RegulationRow,
    category_rows,
    notice_graph,
    overview_graph,
    regulation_rows,
)
from kg.pagecache import Folder, PageCache, gather_corpus, read_notices
from kg.pagedata import file_stamp, notice_file
from kg.pageinputs import context_digest, page_inputs
from kg.sitejobs import Jobs
from kg.store import atomic_path
from kg.viz import ASSETS, environment, render_html

# A regulation gets a page of its own when this many notices mention it;
# others are seen on their notices' pages.
RECURRING: Final = 2
MANIFEST: Final = ".kg-pages.json"
ASSET_DIR: Final = "assets"
SLUG_CHARACTERS: Final = 24

KIND_NAMES: Final = {
    "law": "法律法规 law",
    "party_regulation": "党内法规 party regulation",
    "normative_document": "规范性文件 normative document",
    "other": "其他 other",
}

# Pages per task of a worker, by kind: the index and the overview alone (they
# show every notice), the focus pages a few at a time, so no worker is left
# with most of the work.
_CHUNK: Final = {"index": 1, "overview": 1, "category": 2, "regulation": 8,
                 "notice": 32}

# At most this many notices read again for a write to try rendering only
# their own pages (`_write_own_pages`); with more, the whole corpus is read.
_FEW: Final = 64

# The whole-graph files of `kg build` (without --no-dump), as the index names them.
DUMP_LINKS: Final = {
    "graph.ttl": "graph.ttl (Turtle)",
    "graph.trig": "graph.trig (TriG, one graph per notice)",
}


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # relative to the site folder
    body: bytes


def write_site(store_dir: Path, out: Path, max_nodes: int = 1500, *,
               jobs: int = 1, dumps: Sequence[str] | None = None,
               listing: Sequence[tuple[str, str]] | None = None) -> list[Path]:
    """Write index.html, graph.html, notices/<id>.html, regulations/<slug>.html,
    categories/<id>.html and assets/ under `out`; return the paths written
    (pages whose bytes did not change are left alone and not returned).

    Only the notices whose Turtle files changed since the last write are read
    again, and only the pages whose inputs changed are rendered again
    (`kg.pagecache`); when those notices give the other pages what they gave
    them, only their own pages are looked at (`_write_own_pages`). With
    `jobs` > 1 the notices are read and the pages rendered by that many
    processes. The index links the whole-graph files named in `dumps`
    (`DUMP_LINKS`), by default those in `out` now: `kg build` names those it
    is writing while the pages render. `listing` is the (IRI, id) of each
    notice in the store, sorted by id, when the caller knows them (`kg
    build`, from its records); else the store is asked (`Corpus.listing`,
    0.4-0.7 s at 10,000 notices)."""
    linked = tuple(name for name in DUMP_LINKS
                   if ((out / name).is_file() if dumps is None else name in dumps))
    if listing is None:
        listing = Corpus(store_dir).listing()
    old = _read_manifest(out / MANIFEST)
    cache = PageCache(out)
    try:
        written = _write_own_pages(store_dir, out, max_nodes, old, cache, linked,
                                   listing)
        if written is None:
            written = _write_whole_site(store_dir, out, max_nodes, old, cache, jobs,
                                        linked, listing)
    finally:
        cache.close()
    return written


def _write_whole_site(store_dir: Path, out: Path, max_nodes: int,
                      old: dict[str, str], cache: PageCache, jobs: int,
                      dumps: tuple[str, ...], listing: Sequence[tuple[str, str]]
                      ) -> list[Path]:
    """Every page whose inputs changed, from the whole corpus; what the
    next write needs to tell whether only notices' own pages changed."""
    with Jobs(jobs, Folder(store_dir)) as readers:
        corpus = gather_corpus(store_dir, cache, readers, listing)
    site = Site(corpus, out, max_nodes, old, cache.inputs(), dumps=dumps)
    new: dict[str, str] = {}
    written: list[Path] = []
    with Jobs(jobs, _NoticePages(store_dir, out, max_nodes, site.slugs,
                                 corpus.regulation_labels,
                                 corpus.category_labels, dumps)) as renderers:
        renderers.start()
        for path, digest, wrote in site.write_all(renderers):
            new[path] = digest
            if wrote:
                written.append(out / path)
    for path in sorted(old.keys() - new.keys()):
        (out / path).unlink(missing_ok=True)
    _save_manifest(out, new)
    cache.set_inputs({path: digest for path, digest in site.inputs.items()
                      if path in new})
    corpus = site.corpus
    # Of the listing, as `_write_own_pages` compares it (a graph with no notice too).
    cache.set_context(context_digest(
        listing, corpus.digests, corpus.category_labels, max_nodes, dumps),
        pickle.dumps((site.slugs, corpus.regulation_labels), protocol=5))
    return written


def _write_own_pages(store_dir: Path, out: Path, max_nodes: int,
                     old: dict[str, str], cache: PageCache, dumps: tuple[str, ...],
                     listing: Sequence[tuple[str, str]]) -> list[Path] | None:
    """When at most `_FEW` notices are read again and they give every page
    but their own what they gave it (the site's context digest is the one
    the last whole write saved), render only their own pages whose inputs
    changed: the corpus is not gathered, nor any other page's inputs worked
    out (at 10,000 notices 4 s of a one-file rebuild). None otherwise,
    having kept the notices read in the cache for the whole write."""
    saved = cache.context()
    rendered = cache.inputs()
    # The pages are those the last whole write left, each there.
    pages = {page for page in old if not page.startswith(f"{ASSET_DIR}/")}
    if (saved is None or pages != rendered.keys()
            or not all((out / page).is_file() for page in old)):
        return None
    corpus = Corpus(store_dir)
    stamps = {notice_id: file_stamp(notice_file(store_dir, notice_id))
              for _, notice_id in listing}
    known = cache.digests()
    todo = [(iri, notice_id) for iri, notice_id in listing
            if not stamps[notice_id] or known.get(notice_id, ("",))[0]
            != stamps[notice_id]]
    if len(todo) > _FEW:
        corpus.close()
        return None
    rows = read_notices(store_dir, [(iri, notice_id, stamps[notice_id])
                                    for iri, notice_id in todo])
    cache.put(rows)
    digests = {notice_id: digest for notice_id, (_, digest) in known.items()}
    digests |= {row[0]: row[2] for row in rows}
    if context_digest(listing, digests, corpus.category_labels, max_nodes,
                      dumps) != saved[0]:
        corpus.close()
        return None
    slugs, labels = pickle.loads(saved[1])
    changed = Corpus.of(store_dir, [cache.whole(pickle.loads(row[3])) for row in rows],
                        cache, digests)
    changed.__dict__["regulation_labels"] = labels
    changed.__dict__["category_labels"] = corpus.category_labels
    corpus.close()
    site = Site(changed, out, max_nodes, old, rendered, slugs=slugs, dumps=dumps)
    new = dict(old)
    written = []
    for path, digest, wrote in site.write_all():
        new[path] = digest
        if wrote:
            written.append(out / path)
    if new != old:
        _save_manifest(out, new)
    cache.update_inputs(site.inputs)
    return written


class Site:
    """The pages of one site: what every page shares (the corpus, its rows
    and the regulation pages' names), the digest of each page's inputs, and
    how to render and write each."""

    def __init__(self, corpus: Corpus, out: Path, max_nodes: int,
                 old: dict[str, str], rendered: dict[str, str],
                 *, slugs: dict[str, str] | None = None,
                 dumps: tuple[str, ...]) -> None:
        """With `slugs` (the regulation pages' names), `corpus` holds only
        some notices, whose own pages are all this site writes. `dumps`:
        the whole-graph files the index links."""
        self.out, self.max_nodes, self.old = out, max_nodes, old
        self.dumps = dumps
        self.corpus = corpus
        self.notices = [notice.row for notice in self.corpus.notices.values()]
        self.whole = slugs is None
        self.regulations = (regulation_rows(corpus, min_notices=RECURRING)
                            if self.whole else [])
        self.categories = category_rows(corpus) if self.whole else []
        self.slugs = regulation_slugs(self.regulations) if slugs is None else slugs
        self.regulation_by_iri = {row.iri: row for row in self.regulations}
        self.category_by_iri = {row.iri: row for row in self.categories}
        self.corpus.category_labels  # read before the store is let go  # noqa: B018
        self.corpus.close()
        self.rendered = rendered
        self.inputs: dict[str, str] = {}

    def keys(self) -> list[tuple[str, str, str]]:
        """Every page as (kind, key, path), the biggest first."""
        shared = [("index", "", "index.html"), ("overview", "", "graph.html")]
        return [*(shared if self.whole else []),
                *(("category", row.iri, f"categories/{row.id}.html")
                  for row in self.categories),
                *(("regulation", row.iri, f"regulations/{self.slugs[row.iri]}.html")
                  for row in self.regulations),
                *(("notice", row.id, f"notices/{row.id}.html")
                  for row in self.notices)]

    def write_all(self, jobs: Jobs | None = None) -> Iterator[tuple[str, str, bool]]:
        """Each page as (path, its hash, whether it was written); with
        `jobs`, its workers render notices' own pages (`_NoticePages`)
        while this process renders the others, then notices' too."""
        for name, asset in {**ASSETS, **CHART_ASSETS}.items():
            yield self.write(f"{ASSET_DIR}/{name}", asset.read_bytes())
        todo: list[list[tuple[str, str]]] = []
        for kind, key, page in self.keys():
            inputs = self.inputs[page] = page_inputs(self, kind, key)
            if (inputs and self.rendered.get(page) == inputs and page in self.old
                    and (self.out / page).is_file()):
                yield page, self.old[page], False
            elif todo and todo[-1][0][0] == kind and len(todo[-1]) < _CHUNK[kind]:
                todo[-1].append((kind, key))
            else:
                todo.append([(kind, key)])
        if jobs is None:
            for keys in todo:
                yield from _render(self, keys)
            return
        own = [keys for keys in todo if keys[0][0] == "notice"]
        others = [keys for keys in todo if keys[0][0] != "notice"]
        for part in jobs.run(_render, self, own, first=others):
            yield from part

    def page(self, kind: str, key: str) -> Page:
        corpus = self.corpus
        if kind == "notice":
            return Page(f"notices/{key}.html",
                        _utf8(notice_page(corpus, key, self.slugs, links=True)))
        if kind == "regulation":
            row = self.regulation_by_iri[key]
            return Page(f"regulations/{self.slugs[key]}.html",
                        _utf8(_regulation_page(corpus, row, self.max_nodes)))
        if kind == "category":
            category = self.category_by_iri[key]
            return Page(f"categories/{category.id}.html",
                        _utf8(_category_page(corpus, category, self.max_nodes)))
        if kind == "overview":
            return Page("graph.html", _utf8(overview_page(corpus, self.max_nodes,
                                                          links=True)))
        return Page("index.html", _utf8(index_html(
            corpus, self.notices, self.regulations, self.categories, self.slugs,
            [(name, DUMP_LINKS[name]) for name in self.dumps])))

    def write(self, path: str, body: bytes) -> tuple[str, str, bool]:
        """Write the page unless its bytes are those on disk already; return
        (path, its hash, whether it was written)."""
        digest = hashlib.sha256(body).hexdigest()
        target = self.out / path
        if self.old.get(path) == digest and target.is_file():
            return path, digest, False
        with atomic_path(target) as temporary:
            Path(temporary).write_bytes(body)
        return path, digest, True


def _render(site: Site, keys: list[tuple[str, str]]
            ) -> list[tuple[str, str, bool]]:
    site.corpus.read_notices([key for kind, key in keys if kind == "notice"])
    written = [site.write(page.path, page.body)
               for page in (site.page(kind, key) for kind, key in keys)]
    # A worker renders a share of the whole site: the notices it read whole
    # for these pages would otherwise pile up to its share of the corpus.
    site.corpus.forget_wholes()
    return written


@dataclass(frozen=True, slots=True)
class _NoticePages:
    """How a worker makes the site whose notices' own pages it renders: each
    notice read from the page cache as its page is rendered (`gather_corpus`
    left there the summaries this process holds), the tables those pages read
    from the whole corpus given."""

    store_dir: Path
    out: Path
    max_nodes: int
    slugs: dict[str, str]
    regulation_labels: dict[str, tuple[str, str | None]]
    category_labels: dict[str, str]
    dumps: tuple[str, ...]

    def __call__(self) -> Site:
        corpus = Corpus.of_cache(self.store_dir, PageCache(self.out),
                                 self.regulation_labels, self.category_labels)
        return Site(corpus, self.out, self.max_nodes,
                    _read_manifest(self.out / MANIFEST), {}, slugs=self.slugs,
                    dumps=self.dumps)


def view_page(
    store_dir: Path,
    *,
    notice: str | None = None,
    regulation: str | None = None,
    category: str | None = None,
    max_nodes: int = 1500,
) -> str:
    """One graph page for `kg view`, carrying its assets in line: a notice,
    a regulation's or a category's neighbourhood, or (none given) the
    overview. A notice reads only that notice's graph from the store."""
    if sum(choice is not None for choice in (notice, regulation, category)) > 1:
        raise KgError("give at most one of --notice, --regulation, --category")
    if notice is not None:
        return notice_page(Corpus(store_dir, notice), notice, {}, links=False)
    corpus = Corpus(store_dir)
    if regulation is not None or category is not None:
        graph, omitted = focus_graph(corpus, regulation=regulation,
                                     category=category, max_nodes=max_nodes)
        what = f"《{regulation}》" if regulation is not None else f"类别 {category}"
        shown = sorted({graph.nodes[n]["notice"] for n, t in graph.nodes(data="type")
                        if t == "notice"})
        return render_html(graph, title=f"{what} — kg", heading=what, note=omitted,
                           kind="focus", panel="focus_panel.html", panel_context={
                               "links": False, "name": what, "lines": [],
                               "notices": [corpus.by_id[i].row for i in shown]})
    return overview_page(corpus, max_nodes, links=False)


def regulation_slugs(regulations: Iterable[RegulationRow]) -> dict[str, str]:
    """Regulation IRI → its page's file stem: the title's first characters
    (letters and digits kept, the rest a hyphen) and the IRI's short hash."""
    slugs = {}
    for row in regulations:
        title = re.sub(r"[\W_]+", "-", row.label).strip("-")[:SLUG_CHARACTERS]
        digest = row.iri.rsplit("/", 1)[-1][:8]
        slugs[row.iri] = f"{title}-{digest}" if title else digest
    return slugs


# --- pages ----------------------------------------------------------------------


def index_html(
    corpus: Corpus,
    notices: list[NoticeRow],
    regulations: list[RegulationRow],
    categories: list[CategoryRow],
    slugs: dict[str, str],
    dumps: Iterable[tuple[str, str]],
) -> str:
    """The site's front page: the tables, links to the whole-graph files in
    `dumps` (those the build wrote) and the charts."""
    return environment().get_template("index.html").render(
        notices=notices, regulations=regulations, categories=categories,
        pages=slugs, dumps=list(dumps), recurring=RECURRING, kinds=KIND_NAMES,
        charts=chart_data(corpus, notices, categories) if notices else None,
    )


def overview_page(corpus: Corpus, max_nodes: int, *, links: bool) -> str:
    graph, omitted = overview_graph(corpus, max_nodes=max_nodes)
    return render_html(
        graph, title="总览 overview — kg",
        heading="巡察整改通报总览 Overview of the notices", note=omitted,
        kind="overview", panel="overview_panel.html",
        panel_context={"links": links,
                       "notices": [n.row for n in corpus.notices.values()]},
        assets=f"{ASSET_DIR}/" if links else None,
    )


def notice_page(
    corpus: Corpus, notice_id: str, regulation_pages: dict[str, str], *, links: bool
) -> str:
    graph, detail = notice_graph(corpus, notice_id)
    row = detail.row
    return render_html(
        graph, title=f"{row.organization or row.id} — kg",
        heading=row.title or row.organization or row.id, kind="notice",
        panel="notice_panel.html",
        panel_context={"detail": detail, "facts": notice_facts(detail),
                       "regulation_pages": regulation_pages, "links": links},
        assets=f"../{ASSET_DIR}/" if links else None,
    )


def notice_facts(detail: NoticeDetail) -> list[tuple[str, str]]:
    """The side panel's facts of a notice, those known."""
    row = detail.row
    facts = [
        ("通报 id", row.id),
        ("标题 title", row.title),
        ("被巡察单位 inspected unit", row.organization),
        ("巡察主体 inspecting body", row.committee),
        ("巡察组 inspection group", row.group),
        ("巡察时间 inspection", row.period),
        ("反馈 feedback", row.feedback_date),
        ("发布 issued", row.issued),
        ("来源 source file", row.source),
        ("问题 problems (extracted)", str(row.problems)),
        ("措施 measures (extracted)", str(row.measures)),
    ]
    facts.extend((f"通报所称 announced: {kind}", str(value))
                 for kind, value in sorted(row.announced.items()))
    return [(term, value) for term, value in facts if value]


def _regulation_page(corpus: Corpus, row: RegulationRow, max_nodes: int) -> str:
    graph, omitted = regulation_focus(corpus, [row.iri], max_nodes)
    return render_html(
        graph, title=f"《{row.label}》 — kg", heading=f"《{row.label}》",
        note=omitted, kind="focus", panel="focus_panel.html",
        panel_context={"links": True, "anchor": "regulations", "name": row.label,
                       "lines": [KIND_NAMES.get(row.kind or "", row.kind or "")],
                       "notices": [corpus.by_id[i].row for i in row.notices]},
        assets=f"../{ASSET_DIR}/",
    )


def _category_page(corpus: Corpus, row: CategoryRow, max_nodes: int) -> str:
    graph, omitted = category_focus(corpus, [row.iri], max_nodes)
    notices = sorted({notice.id: notice.row
                      for notice, _ in corpus.filed.get(row.iri, [])}.items())
    return render_html(
        graph, title=f"{row.label} — kg", heading=row.label, note=omitted,
        kind="focus", panel="focus_panel.html",
        panel_context={"links": True, "anchor": "categories", "name": row.label,
                       "lines": [f"{row.problems} 个问题 problems in "
                                 f"{row.notices} 份通报 notices"],
                       "notices": [notice for _, notice in notices]},
        assets=f"../{ASSET_DIR}/",
    )


# --- helpers --------------------------------------------------------------------


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _save_manifest(out: Path, manifest: dict[str, str]) -> None:
    with atomic_path(out / MANIFEST) as temporary:
        Path(temporary).write_text(json.dumps(manifest, indent=0, sort_keys=True),
                                   encoding="utf-8")


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict):
        return {}
    return {str(k): str(v) for k, v in manifest.items()
            if isinstance(k, str) and not Path(k).is_absolute() and ".." not in k}
