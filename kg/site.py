"""The HTML pages of a build: an index, the overview graph, one page per
notice, recurring regulation and issue category.

Every page stands alone (no request leaves it, DESIGN.md) and every notice
text in it is escaped. From index.html each notice and category is one click
away and each regulation at most two: a recurring one has its own page linked
from the index table, any other is listed on the page of the notice that
mentions it. Files are written atomically (temp file, then os.replace), so a
browser open on the site never reads half a page.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Final
from urllib.parse import quote

from kg import graph as kg_graph
from kg.errors import KgError
from kg.graph import (
    CategoryRow,
    Corpus,
    NoticeDetail,
    NoticeRow,
    RegulationRow,
    StoreLike,
)
from kg.viz import render_html

# A regulation gets a page of its own when this many notices mention it;
# others are seen on their notices' pages.
RECURRING: Final = 2

_KIND_NAMES: Final = {
    "law": "法律法规 law",
    "party_regulation": "党内法规 party regulation",
    "normative_document": "规范性文件 normative document",
    "other": "其他 other",
}

# Plain HTML: no script, nothing fetched (a Content Security Policy says so to
# the browser as well).
_INDEX_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)
_INDEX_CSS: Final = """
body { font: 14px/1.5 "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
  sans-serif; margin: 16px 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left;
  vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; }
nav a { margin-right: 16px; }
"""


# The whole-graph files of `kg build` (without --no-dump), as the index names them.
DUMP_LINKS: Final = {
    "graph.ttl": "graph.ttl (Turtle)",
    "graph.trig": "graph.trig (TriG, one graph per notice)",
}


def write_site(store_dir: Path, out: Path, max_nodes: int = 1500) -> list[Path]:
    """Write index.html, graph.html, notices/<id>.html, regulations/<hash>.html
    and categories/<id>.html under `out`; return the paths written."""
    store = Corpus(store_dir)
    notices = kg_graph.notice_rows(store)
    regulations = kg_graph.regulation_rows(store, min_notices=RECURRING)
    categories = kg_graph.category_rows(store)
    with_pages = {row.iri: row.slug for row in regulations}
    dumps = [name for name in DUMP_LINKS if (out / name).is_file()]
    written = [
        _write(out / "index.html",
               index_html(notices, regulations, categories, dumps=dumps)),
        _write(out / "graph.html", _overview_page(store, max_nodes, links=True)),
    ]
    for notice in notices:
        page = _notice_page(store, notice.id, with_pages, links=True)
        written.append(_write(out / "notices" / f"{notice.id}.html", page))
    for regulation in regulations:
        page = _regulation_page(store, regulation, max_nodes)
        written.append(_write(out / "regulations" / f"{regulation.slug}.html", page))
    for category in categories:
        page = _category_page(store, category, max_nodes)
        written.append(_write(out / "categories" / f"{category.id}.html", page))
    return written


def view_page(
    store_dir: Path,
    *,
    notice: str | None = None,
    regulation: str | None = None,
    category: str | None = None,
    max_nodes: int = 1500,
) -> str:
    """One graph page for `kg view`: a notice, a regulation's or a category's
    neighbourhood, or (none given) the overview."""
    if sum(choice is not None for choice in (notice, regulation, category)) > 1:
        raise KgError("give at most one of --notice, --regulation, --category")
    if notice is not None:
        return _notice_page(store_dir, notice, {}, links=False)
    if regulation is not None or category is not None:
        graph, omitted = kg_graph.focus_graph(
            store_dir, regulation=regulation, category=category, max_nodes=max_nodes
        )
        what = f"《{regulation}》" if regulation is not None else f"类别 {category}"
        return render_html(graph, title=f"{what} — kg", heading=what, note=omitted)
    return _overview_page(store_dir, max_nodes, links=False)


# --- pages ----------------------------------------------------------------------


def index_html(
    notices: list[NoticeRow],
    regulations: list[RegulationRow],
    categories: list[CategoryRow],
    dumps: Iterable[str] = tuple(DUMP_LINKS),
) -> str:
    """The site's front page: plain HTML, no script; it links the whole-graph
    files in `dumps` (those the build wrote)."""
    dump_links = "".join(f'\n<a href="{name}">{DUMP_LINKS[name]}</a>'
                         for name in dumps)
    notice_rows = "\n".join(
        "<tr>"
        f'<td><a href="notices/{_href(row.id)}.html">{escape(row.id)}</a></td>'
        f"<td>{_text(row.organization)}</td><td>{_text(row.committee)}</td>"
        f"<td>{_text(row.group)}</td>"
        f"<td>{_text(_period(row))}</td><td>{_text(row.feedback_date)}</td>"
        f"<td>{_text(row.issued)}</td>"
        f'<td class="n">{row.problems}</td><td class="n">{row.measures}</td>'
        f'<td class="n">{row.regulations}</td>'
        f'<td><a href="notices/{_href(row.id)}.ttl">Turtle</a></td>'
        "</tr>"
        for row in notices
    )
    regulation_rows = "\n".join(
        "<tr>"
        f'<td><a href="regulations/{_href(row.slug)}.html">{escape(row.label)}</a></td>'
        f"<td>{_text(_KIND_NAMES.get(row.kind or '', row.kind))}</td>"
        f'<td class="n">{len(row.notices)}</td>'
        f"<td>{_notice_links(row.notices, prefix='notices/')}</td>"
        "</tr>"
        for row in regulations
    )
    category_rows = "\n".join(
        "<tr>"
        f'<td><a href="categories/{_href(row.id)}.html">{escape(row.label)}</a></td>'
        f"<td>{escape(row.id)}</td>"
        f'<td class="n">{row.problems}</td><td class="n">{row.notices}</td>'
        "</tr>"
        for row in categories
    )
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{_INDEX_POLICY}">
<title>巡察整改通报知识图谱 — kg</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<h1>巡察整改通报知识图谱 Knowledge graph of inspection rectification notices</h1>
<nav>
<a href="graph.html">总览图 overview graph</a>{dump_links}
</nav>
<h2 id="notices">通报 Notices ({len(notices)})</h2>
<table>
<thead><tr><th>通报 notice</th><th>被巡察单位 inspected unit</th>
<th>巡察主体 inspecting body</th><th>巡察组 group</th><th>巡察时间 inspection</th>
<th>反馈 feedback</th><th>发布 issued</th><th>问题 problems</th>
<th>措施 measures</th><th>法规 regulations</th><th>RDF</th></tr></thead>
<tbody>
{notice_rows}
</tbody>
</table>
<h2 id="regulations">多次出现的法规制度 Recurring regulations ({len(regulations)})</h2>
<p>Mentioned by at least {RECURRING} notices. Every other regulation is listed
on the page of the notice that mentions it.</p>
<table>
<thead><tr><th>规范名称 canonical title</th><th>类型 kind</th>
<th>通报数 notices</th><th>通报 mentioned in</th></tr></thead>
<tbody>
{regulation_rows}
</tbody>
</table>
<h2 id="categories">问题类别 Issue categories ({len(categories)})</h2>
<table>
<thead><tr><th>类别 category</th><th>id</th><th>问题 problems</th>
<th>通报数 notices</th></tr></thead>
<tbody>
{category_rows}
</tbody>
</table>
</body>
</html>
"""


def _overview_page(store: StoreLike, max_nodes: int, *, links: bool) -> str:
    graph, omitted = kg_graph.overview_graph(store, max_nodes=max_nodes)
    panel = '<p><a href="index.html">← 索引 index</a></p>' if links else ""
    return render_html(
        graph,
        title="总览 overview — kg",
        heading="巡察整改通报总览 Overview of the notices",
        note=omitted,
        side_panel_html=panel,
    )


def _notice_page(
    store: StoreLike, notice_id: str, regulation_pages: dict[str, str], *, links: bool
) -> str:
    graph, detail = kg_graph.notice_graph(store, notice_id)
    row = detail.row
    return render_html(
        graph,
        title=f"{row.organization or row.id} — kg",
        heading=row.title or row.organization or row.id,
        side_panel_html=notice_panel(detail, regulation_pages, links=links),
    )


def _regulation_page(store: StoreLike, row: RegulationRow, max_nodes: int) -> str:
    graph, omitted = kg_graph.focus_graph(store, regulation=row.label,
                                          max_nodes=max_nodes)
    panel = (
        '<p><a href="../index.html#regulations">← 索引 index</a></p>'
        f"<h2>{escape(row.label)}</h2>"
        f"<p>{_text(_KIND_NAMES.get(row.kind or '', row.kind))}</p>"
        f"<p>通报 notices: {_notice_links(row.notices, prefix='../notices/')}</p>"
    )
    return render_html(graph, title=f"《{row.label}》 — kg", heading=f"《{row.label}》",
                       note=omitted, side_panel_html=panel)


def _category_page(store: StoreLike, row: CategoryRow, max_nodes: int) -> str:
    graph, omitted = kg_graph.focus_graph(store, category=row.id,
                                          max_nodes=max_nodes)
    panel = (
        '<p><a href="../index.html#categories">← 索引 index</a></p>'
        f"<h2>{escape(row.label)}</h2>"
        f"<p>{row.problems} 个问题 problems in {row.notices} 份通报 notices</p>"
    )
    return render_html(graph, title=f"{row.label} — kg", heading=row.label,
                       note=omitted, side_panel_html=panel)


def notice_panel(
    detail: NoticeDetail, regulation_pages: dict[str, str], *, links: bool
) -> str:
    """The side panel of a notice page: its metadata, persons, regulations
    and categories, all escaped. `regulation_pages` maps the IRIs of
    regulations that have a page of their own to its file stem."""
    row = detail.row
    facts = [
        ("通报 id", row.id),
        ("标题 title", row.title),
        ("被巡察单位 inspected unit", row.organization),
        ("巡察主体 inspecting body", row.committee),
        ("巡察组 inspection group", row.group),
        ("巡察时间 inspection", _period(row)),
        ("反馈 feedback", row.feedback_date),
        ("发布 issued", row.issued),
        ("来源 source file", row.source),
        ("问题 problems (extracted)", str(row.problems)),
        ("措施 measures (extracted)", str(row.measures)),
    ]
    facts.extend(
        (f"通报所称 announced: {kind}", str(value))
        for kind, value in sorted(row.announced.items())
    )
    parts = []
    if links:
        parts.append(
            '<p><a href="../index.html">← 索引 index</a> · '
            '<a href="../graph.html">总览 overview</a> · '
            f'<a href="{_href(row.id)}.ttl">Turtle</a></p>'
        )
    parts.append("<h2>通报 notice</h2><dl>")
    parts.extend(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>"
                 for term, value in facts if value)
    parts.append("</dl>")
    if detail.persons:
        parts.append("<h2>人员 persons</h2><ul>")
        parts.extend(f"<li>{_text(person.role)} {escape(person.name)}</li>"
                     for person in detail.persons)
        parts.append("</ul>")
    parts.append(f"<h2>法规制度 regulations ({len(detail.regulations)})</h2><ul>")
    for iri, label in detail.regulations:
        slug = regulation_pages.get(iri)
        if links and slug is not None:
            parts.append(f'<li><a href="../regulations/{_href(slug)}.html">'
                         f"{escape(label)}</a></li>")
        else:
            parts.append(f"<li>{escape(label)}</li>")
    parts.append("</ul>")
    parts.append(f"<h2>问题类别 categories ({len(detail.categories)})</h2><ul>")
    for iri, label in detail.categories:
        if links:
            category_id = iri.rsplit("/", 1)[-1]
            parts.append(f'<li><a href="../categories/{_href(category_id)}.html">'
                         f"{escape(label)}</a></li>")
        else:
            parts.append(f"<li>{escape(label)}</li>")
    parts.append("</ul>")
    return "\n".join(parts)


# --- helpers --------------------------------------------------------------------


def _text(value: str | None) -> str:
    return escape(value) if value else ""


def _href(segment: str) -> str:
    """A file name as one URL path segment: a notice id may hold any character."""
    return escape(quote(segment, safe=""))


def _period(row: NoticeRow) -> str | None:
    if row.inspection_start is None and row.inspection_end is None:
        return None
    return f"{row.inspection_start or '?'} – {row.inspection_end or '?'}"


def _notice_links(ids: Iterable[str], *, prefix: str) -> str:
    return ", ".join(
        f'<a href="{prefix}{_href(notice_id)}.html">{escape(notice_id)}</a>'
        for notice_id in ids
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        # mkstemp creates the file private (0600); pages are for everyone to read.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path
