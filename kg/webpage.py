"""A saved web page → the notice it shows, and web-page chrome out of any text.

A government article page holds the notice in one element among navigation,
breadcrumbs, a catalogue table (索引号, 发布机构, 成文日期 …), an info bar
(发布时间：… 来源：… 浏览次数：) and share, print and font widgets. The notice
element is found by where the page's Chinese text is; the table and the info
bar become "label: value" lines above the notice and `Source.metadata` pairs;
the labels are those of `kg.extract.head`, which reads them back.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from kg.decode import check_combining_runs, normalise
from kg.errors import InputError, LimitError
from kg.extract.head import PAGE_FIELDS, PAGE_WIDGETS

__all__ = ["HTML_SUFFIXES", "MAX_HTML_DEPTH", "looks_like_html", "page_text",
           "without_chrome"]

# Nesting of HTML elements: the page's metadata tables and chrome are found
# by walking up and taking the text of each element, quadratic in the depth
# (20,000 nested tables, 1 MB: 101 s and 1.25 GB). Blink's HTML parser nests
# at most 512 deep; saved government pages nest under 40.
MAX_HTML_DEPTH = 512
_SAVE_PAGE = "save the page that shows the notice, or copy the notice into a .txt file"

# --- web-page chrome in text -----------------------------------------------

_CHROME_MAX = 200  # characters; chrome lines are short, and this bounds the regex
_SEP = r"[\s\[\]【】()（）|｜/·•:：>＞»]"
_CHROME_ITEM = (
    r"(?:无障碍浏览|无障碍阅读|无障碍|长者模式|关怀版|适老化"
    r"|关闭窗口|关闭本页|关闭|打印本页|打印此页|打印正文|打印|下载\s*(?:word|pdf|wps)"
    r"|(?:字体|字号)(?:" + _SEP + r"*[大中小])+"
    r"|分享到|分享|微信|微博|QQ空间|朋友圈"
    r"|扫一扫(?:在手机上?(?:打开|查看|阅读)(?:当前|本)页面?)?|手机版"
    r"|收藏本页|加入收藏|返回顶部|返回首页|上一篇|下一篇)"
)
_CHROME_LINE = re.compile(
    r"(?:" + _SEP + r"*" + _CHROME_ITEM + r")+" + _SEP + r"*"
    r"|(?:您现在的位置|您当前的位置|您的位置|您所在的位置|当前位置|所在位置)\s*[:：].*"
    r"|首页\s*[>＞»].*"
    r"|(?:上一篇|下一篇|上一条|下一条)\s*[:：].*",
    re.IGNORECASE,
)


def _is_chrome(line: str) -> bool:
    """A line that holds nothing but navigation, print, share or font widgets."""
    stripped = line.strip()
    return (
        0 < len(stripped) <= _CHROME_MAX
        and _CHROME_LINE.fullmatch(stripped) is not None
        # 首页 > 中共某局党组关于巡察整改进展情况的通报: a breadcrumb that ends in
        # the notice's title is the only line with the title (kg.extract.head)
        and _CRUMB_TITLE.search(stripped) is None
    )


_CRUMB_TITLE = re.compile(
    r"[>＞»][^>＞»]*(?:巡[察视]|整改)[^>＞»]*(?:通报|报告|关于[^>＞»]*情况)$"
)


def without_chrome(path: str | None, text: str) -> str:
    """The text without chrome lines and without blank lines: a web page gives
    one line per paragraph, and the same notice saved as text with blank lines
    between paragraphs (luozhuang-2021) must give the same text and spans."""
    lines = text.split("\n")
    kept = "\n".join(line for line in lines if line and not _is_chrome(line))
    if not kept.strip():
        raise InputError(
            path,
            "no notice text, only web-page navigation (关闭窗口, 打印本页 …)",
            _SAVE_PAGE,
        )
    return kept


# --- HTML ------------------------------------------------------------------

HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})


def looks_like_html(text: str) -> bool:
    """Whether decoded text is a web page: markup that opens like an HTML
    document, not a notice that happens to start with "<"."""
    head = text[:1024].lstrip("\ufeff \t\r\n").lower()
    return head.startswith("<") and any(
        tag in head for tag in ("<!doctype html", "<html", "<head", "<body")
    )


# Never notice text: dropped with their content.
_ALWAYS_JUNK = ("script", "style", "noscript", "template", "iframe", "svg", "object")
# Page chrome, dropped unless it holds most of the page's Chinese text: ASP.NET
# pages wrap the whole body in one <form>, some templates the article in <header>.
_CHROME_TAGS = ("nav", "header", "footer", "form", "button", "select", "textarea")
# Elements the HTML Living Standard renders display: block ("Rendering", flow
# content): each starts a new line of text.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote caption center dd details dialog dir div dl "
    "dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr "
    "li main menu nav ol p pre section summary table tbody tfoot thead tr ul".split()
)
_CELL_TAGS = frozenset({"td", "th"})
# Elements that may wrap the notice; descent stops at any other element.
_CONTAINER_TAGS = frozenset(
    "article aside center div form main section table tbody tfoot thead tr td th "
    "ul ol dl".split()
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTENT_HINT = re.compile(
    r"trs_editor|custom_unionstyle|zoom|content|article|detail|main|text", re.I
)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's ASCII whitespace: U+00A0 is not
_PRE_SPACE = re.compile(r"[ \t\r\f]+")  # in <pre> line breaks are kept
_SPACE_RUN = re.compile(" {2,}")
_CELL_GAP = re.compile(r"[ \t]*\t[ \t]*")


def page_text(page: str, path: str | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The notice body of a web page as lines, headed by its title (when the body
    lacks it) and its metadata as "发布机构: X" lines; and the metadata pairs."""
    tree = LexborHTMLParser(page)
    root = tree.body or tree.root
    if root is None:
        raise InputError(path, "no notice text found in the web page", _SAVE_PAGE)
    _check_depth(tree, path)
    if tree.root is not None:  # character references decode to marks too
        check_combining_runs(tree.root.text(), path)
    # Reverse document order: descendants go before their ancestors, so no
    # node is touched after an ancestor's decompose freed it.
    for node in reversed(tree.css(", ".join(_ALWAYS_JUNK))):
        node.decompose()
    page_han = _han_count(root.text())
    for node in reversed(tree.css(", ".join(_CHROME_TAGS))):
        if _han_count(node.text()) * 2 <= page_han:
            node.decompose()
    metadata = _metadata_tables(tree)
    body = _notice_element(root)
    lines = _block_lines(body)
    if not lines:
        raise InputError(path, "no notice text found in the web page", _SAVE_PAGE)
    seen = {label for label, _ in metadata}
    for label, value in _info_bar_pairs(_block_lines(root, skip=body)):
        if label not in seen:
            seen.add(label)
            metadata.append((label, value))
    header = [f"{label}: {value}" for label, value in metadata]
    title = _page_title(tree)
    if title and _compact(title) not in _compact("".join(lines)):
        header.insert(0, title)
    return "\n".join(header + lines), tuple(metadata)


def _check_depth(tree: LexborHTMLParser, path: str | None) -> None:
    """`LimitError` for elements nested deeper than `MAX_HTML_DEPTH`: one
    pass over the elements, before any step whose cost grows with depth."""
    if tree.root is None:
        return
    depth: dict[int, int] = {}
    for node in tree.root.traverse():
        parent = node.parent
        level = depth.get(parent.mem_id, 0) + 1 if parent is not None else 0
        if level > MAX_HTML_DEPTH:
            raise LimitError(
                path,
                f"HTML elements nested more than {MAX_HTML_DEPTH} deep "
                f"(kg reads pages nested up to {MAX_HTML_DEPTH})",
                _SAVE_PAGE,
            )
        depth[node.mem_id] = level


def _han_count(text: str) -> int:
    return _HAN.subn("", text)[1]


def _notice_element(root: LexborNode) -> LexborNode:
    """The element holding the notice: descend from <body> into the child that
    holds nearly all the page's Chinese text outside links, and stop where the
    text sits in the element's own paragraphs (readability-style density)."""
    han = _non_link_han(root)
    node = root
    while True:
        total = han.get(node.mem_id, 0)
        best: LexborNode | None = None
        own_text = False
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                own_text = own_text or _HAN.search(child.text_content or "") is not None
            elif child.tag in _CONTAINER_TAGS:
                if best is None or han.get(child.mem_id, 0) > han.get(best.mem_id, 0):
                    best = child
            elif child.tag not in _HEADING_TAGS and han.get(child.mem_id, 0):
                # A title beside the notice container is normal; paragraphs are not.
                own_text = True
        if own_text or best is None or total == 0:
            return node
        names = f"{best.id or ''} {best.attributes.get('class') or ''}"
        # A child named like a CMS article body (TRS_Editor, zoom …) may share
        # the page with a wordy sidebar; an anonymous one must hold nearly all.
        share = 0.6 if _CONTENT_HINT.search(names) else 0.9
        if han.get(best.mem_id, 0) < share * total:
            return node
        node = best


def _non_link_han(root: LexborNode) -> dict[int, int]:
    """Chinese characters outside <a> in each element's subtree, by mem_id."""
    han: dict[int, int] = {}
    in_link: dict[int, bool] = {}
    order: list[tuple[int, int | None]] = []
    for node in root.traverse(include_text=True):
        parent = node.parent
        parent_id = parent.mem_id if parent is not None else None
        linked = in_link.get(parent_id, False) if parent_id is not None else False
        if node.tag == "-text":
            if not linked and parent_id is not None:
                han[parent_id] = han.get(parent_id, 0) + _han_count(
                    node.text_content or ""
                )
        elif node.is_element_node:
            in_link[node.mem_id] = linked or node.tag == "a"
            order.append((node.mem_id, parent_id))
    for node_id, parent_id in reversed(order):
        if parent_id is not None and node_id != root.mem_id:
            han[parent_id] = han.get(parent_id, 0) + han.get(node_id, 0)
    return han


def _block_lines(node: LexborNode, skip: LexborNode | None = None) -> list[str]:
    """The element's text as rendered lines: block elements and <br> break
    lines, table cells are separated by a tab, HTML whitespace collapses."""
    parts: list[str] = []
    skip_id = skip.mem_id if skip is not None else None
    stack: list[tuple[LexborNode, bool]] = [(node, False)]
    in_pre = 0
    while stack:
        current, leaving = stack.pop()
        tag = current.tag
        if leaving:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            elif tag in _CELL_TAGS:
                parts.append("\t")
            if tag == "pre":
                in_pre -= 1
        elif tag == "-text":
            text = current.text_content or ""
            if in_pre:
                parts.append(_PRE_SPACE.sub(" ", text))
            else:
                parts.append(_HTML_SPACE.sub(" ", text))
        elif tag == "br":
            parts.append("\n")
        elif current.is_element_node and current.mem_id != skip_id:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if tag == "pre":
                in_pre += 1
            stack.append((current, True))
            children = list(current.iter(include_text=True))
            stack.extend((child, False) for child in reversed(children))
    lines = []
    for raw in "".join(parts).split("\n"):
        line = _CELL_GAP.sub("\t", _SPACE_RUN.sub(" ", raw)).strip(" \t")
        if line:
            lines.append(line)
    return lines


# --- the catalogue table and the info bar ---------------------------------

# A field label and its colon, or a widget's words that end the value before them.
_INFO_LABEL = re.compile(
    "("
    + "|".join(sorted(PAGE_FIELDS, key=lambda w: (-len(w), w)))  # longest first
    + r")\s*[:：]|(?:"
    + "|".join(PAGE_WIDGETS)
    + ")"
)
_INLINE_PAIR = re.compile(r"([^:：]{1,12})[:：](.*)", re.DOTALL)
_WHITESPACE = re.compile(r"\s+")


def _compact(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _clean(text: str) -> str:
    return normalise(_WHITESPACE.sub(" ", text).strip())[0]


def _label(cell: str) -> str | None:
    label = _compact(cell).rstrip(":：")
    return label if label in PAGE_FIELDS else None


def _metadata_tables(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Label/value pairs of the page's metadata tables, which are then removed
    so the pairs do not also appear in the body."""
    rows_by_table: dict[int, tuple[LexborNode, list[list[str]]]] = {}
    for row in tree.css("tr"):
        table = row.parent
        while table is not None and table.tag != "table":
            table = table.parent
        if table is None:
            continue
        cells = [c.text() for c in row.iter() if c.tag in _CELL_TAGS]
        rows_by_table.setdefault(table.mem_id, (table, []))[1].append(cells)
    pairs: list[tuple[str, str]] = []
    tables = []
    for table, rows in rows_by_table.values():
        found = [pair for cells in rows for pair in _row_pairs(cells)]
        cell_count = sum(len(row) for row in rows)
        # A metadata table is made of label/value cells; a notice's own table is not.
        labels = {label for label, _ in found}
        if len(labels) >= 2 and 2 * len(found) >= 0.6 * cell_count:
            pairs.extend(pair for pair in found if pair[1])
            tables.append(table)
    for table in reversed(tables):  # inner tables first: see page_text
        table.decompose()
    return pairs


def _row_pairs(cells: list[str]) -> list[tuple[str, str]]:
    """(label, value) pairs of one row: a label cell and its value cell side by
    side, or one "发布机构：X" cell."""
    pairs = []
    i = 0
    while i < len(cells):
        label = _label(cells[i])
        if label is not None and i + 1 < len(cells) and _label(cells[i + 1]) is None:
            pairs.append((label, _clean(cells[i + 1])))
            i += 2
            continue
        inline = _INLINE_PAIR.fullmatch(cells[i])
        if inline is not None and (label := _label(inline.group(1))) is not None:
            pairs.append((label, _clean(inline.group(2))))
        i += 1
    return pairs


def _info_bar_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """Pairs from the line under a page's title, outside the notice body:
    "发布时间：2021-03-11 来源：罗庄区投资促进服务中心 浏览次数：".
    """
    pairs = []
    for line in lines:
        if len(line) > _CHROME_MAX:
            continue
        marks = list(_INFO_LABEL.finditer(line))
        if not marks or line[: marks[0].start()].strip(" \t[]【】"):
            continue
        ends = [m.start() for m in marks[1:]] + [len(line)]
        for mark, end in zip(marks, ends, strict=True):
            value = _clean(line[mark.end() : end]).rstrip(" [【(（|｜")
            if mark.group(1) and value:
                pairs.append((mark.group(1), value))
    return pairs


_TITLE_SEPARATOR = re.compile(r"\s*(?:[_|｜]|\s[-－—–]+\s|--)\s*")
_TITLE_WORDS = re.compile("关于|通报|情况|整改|巡察|巡视|公告|通知|报告|决定|意见")


def _page_title(tree: LexborHTMLParser) -> str | None:
    """The page's <h1>, else the part of <title> that names a document (site
    names follow a separator: "…的通报_罗庄区人民政府")."""
    for heading in tree.css("h1"):
        text = _clean(heading.text())
        if _HAN.search(text):
            return text
    title = tree.css_first("title")
    if title is None:
        return None
    parts = _TITLE_SEPARATOR.split(_clean(title.text()))
    named = [part for part in parts if _TITLE_WORDS.search(part)]
    return max(named, key=len) if named else None
