"""The head and foot of a notice: its title, the page's metadata, the
publication date and the signature. Also the sentence and line splitters the
other metadata grammars share.

Grammar (lines of the NFC text; a saved web page keeps its header lines):

    head       = { page-line } title-line { page-line } ;  (before the body)
    title-line = [crumbs] ["【" tag "】"] title [date [time]] ;
    crumbs     = { segment (">" | "＞" | whitespace) } ;   首页 > …, 网站名 栏目名 …
    title      = [unit [" "]] ["关于"] … ending ;
    ending     = 通报 | 公告 | 公示 | 报告 | 整改情况 | 进展情况 ;
    page-line  = { label [":"] value } | date time [来源 …] ;
    label      = 成文日期 | 发布日期 | 发布时间 | 发表时间 | 公开日期 | 发文日期
               | 日期 | 时间 | 发布机构 | 来源 | 索引号 … ;
    foot       = unit NEWLINE date ;                        the signature, last lines

The publication date is, in this order: the 成文日期 of the page's table
(when the document was signed), the date under the signature, then the date
the page says it was published (发布日期/发布时间/日期…, or a date and time
alone on a head line). A page's 更新时间 is when the page changed, never the
notice's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.numbers import find_dates
from kg.model import Date, Source, Span

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")


def sentences(text: str) -> Iterator[Span]:
    for m in _SENTENCE.finditer(text):
        yield Span.of(text, m.start(), m.end())


def strip(text: str, start: int, end: int) -> Span | None:
    """The span [start, end) without surrounding whitespace, None if empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span.of(text, start, end) if start < end else None


def lines(text: str) -> Iterator[Span]:
    for m in re.finditer(r"[^\n]+", text):
        line = strip(text, m.start(), m.end())
        if line is not None:
            yield line


# --- page metadata -------------------------------------------------------------

# Field labels of the catalogue table government portals print above a
# 政府信息公开 article (信息公开目录: 索引号, 信息名称, 成文日期, 发布机构 …) and of
# the info bar under a page's title (发布时间：… 来源：…). The one list of them:
# kg.webpage reads a saved page's fields by it, and this module reads them
# back from the text.
PAGE_FIELDS = frozenset(
    "索引号 信息索引号 主题分类 信息分类 体裁分类 组配分类 服务对象分类 "
    "公开方式 公开范围 公开时限 公开形式 信息名称 文件名称 "
    "发布机构 发文机关 发文机构 发布单位 生成机构 所属机构 责任部门 "
    "标题 成文日期 生成日期 公开日期 发布日期 发文日期 发布时间 发表时间 更新时间 "
    "文号 发文字号 发文文号 文件编号 来源 信息来源 关键词 主题词 有效性 作者".split()
)
# Widgets of the info bar: no field, but their words end the value before them.
PAGE_WIDGETS = ("浏览次数", "点击数", "阅读次数", "访问次数", "字体", "字号",
                "分享到", "打印", "关闭")
# Any of them, as a pattern; tables space a short label out (索 引 号). A
# value runs to the next label, two spaces or the end of the line.
PAGE_LABELS = "|".join(
    ["索 引 号", *sorted({*PAGE_FIELDS, *PAGE_WIDGETS}, key=lambda w: (-len(w), w))]
)


def _field_match(text: str, key: str) -> re.Match[str] | None:
    """The first `key` at the start of a line or after a space, with its value.

    The pattern begins with the key, so the search skips to each of its
    occurrences at once; where one does not follow a space, the search goes
    on from the next character (a pattern that began with the condition was
    tried at every character: 0.3 ms per call)."""
    pattern = re.compile(
        f"{key}\\s*[:：]?[ \\t\\u3000]*"
        f"(?P<value>\\S.*?)(?=\\s{{2,}}|[ \\t]*\\n|\\s*$|(?:{PAGE_LABELS}))",
        re.M,
    )
    position = 0
    while (m := pattern.search(text, position)) is not None:
        if m.start() == 0 or text[m.start() - 1].isspace():
            return m
        position = m.start() + 1
    return None


def page_field(text: str, source: Source, keys: tuple[str, ...]) -> Span | None:
    """The value of the first of `keys` the page's table gives."""
    for key in keys:
        m = _field_match(text, key)
        if m:
            return strip(text, m.start("value"), m.end("value"))
    # A page reduced by ingest keeps its table in `source.metadata`; its value
    # gets the span of its first occurrence in the text.
    for key in keys:
        for label, value in source.metadata:
            if label.replace(" ", "") == key and value and value in text:
                start = text.index(value)
                return Span.of(text, start, start + len(value))
    return None


def _date_in(text: str, span: Span | None) -> Date | None:
    if span is None:
        return None
    dates = find_dates(span.text)
    if not dates:
        return None
    date = dates[0]
    return Date(
        date.iso,
        Span.of(text, span.start + date.span.start, span.start + date.span.end),
    )


# A date the page says it was published: after a label, or a date with a
# clock time or before 来源 in the head (2021-02-23 12:42:06来源:…,
# 2022年08月16日 来源:…).
_HEAD_DATE_LABEL = re.compile(
    r"(?:发布|发表|公开|发文|印发)?(?:日期|时间)\s*[:：]\s*"
)
_STAMP = re.compile(
    r"(?<![0-9])(?P<date>(?:19|20)[0-9]{2}(?:-[0-9]{1,2}-[0-9]{1,2}"
    r"|年[0-9]{1,2}月[0-9]{1,2}日))"
    r"(?:\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?|(?=\s*(?:来源|作者|发布)))"
)


def signed_date(text: str, source: Source) -> Date | None:
    """成文日期: when the document was signed."""
    return _date_in(text, page_field(text, source, ("成文日期",)))


def page_date(text: str, source: Source, head_end: int) -> Date | None:
    """The date the page says the notice was published, read in the head."""
    labelled = page_field(text, source, ("发布日期", "公开日期", "发文日期"))
    if labelled is not None and labelled.start < head_end:
        return _date_in(text, labelled)
    for m in _HEAD_DATE_LABEL.finditer(text, 0, head_end):
        if text[max(0, m.start() - 2) : m.start()] == "更新":
            continue
        date = _date_in(text, strip(text, m.end(), min(len(text), m.end() + 24)))
        if date is not None:
            return date
    stamp = _STAMP.search(text, 0, head_end)
    if stamp is not None:
        return _date_in(text, Span.of(text, stamp.start("date"), stamp.end("date")))
    return None


# --- title -------------------------------------------------------------------------

_TITLE_END = re.compile(r"(?:通报|公告|公示|报告|整改情况|进展情况)$")
_HEAD_END = re.compile("巡[察视]组|统一部署|部署[,，]")
_NO_SENTENCE = re.compile(r"[。，,；;：:！？!?]")
# A date (and time) written after the title on its line (…的通报 2026-02-13).
_TRAILING_DATE = re.compile(
    r"\s+(?:(?:19|20)[0-9]{2}[-./年][0-9]{1,2}[-./月][0-9]{1,2}日?)"
    r"(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)
_CRUMB = re.compile(r"^.*[>＞]\s*")
_UNIT_END = re.compile(r"(?:党组|党委|党工委|委员会|党总支|党支部)$")


def body_start(text: str) -> int:
    """Where the head ends when no inspection sentence says so: at the first
    words of the body (统一部署, 巡察组), as the title search stops there."""
    m = _HEAD_END.search(text)
    return m.start() if m is not None else min(len(text), 2000)


def _is_title(text: str) -> bool:
    # 巡察整改情况 alone is a page's column, not a notice's title
    return (
        8 <= len(text) <= 80
        and (text.endswith(("通报", "公告", "公示", "报告")) or "关于" in text)
        and _TITLE_END.search(text) is not None
        and re.search("巡[察视]|整改", text) is not None
        and re.search(PAGE_LABELS, text) is None
    )


def _title_in_line(text: str, line: Span) -> Span | None:
    """The title within a head line: breadcrumbs, site words before it and a
    date after it dropped (首页 > X通报; 网站 栏目 X通报; X通报 2026-02-13)."""
    start, end = line.start, line.end
    trailing = _TRAILING_DATE.search(text, start, end)
    if trailing is not None:
        end = trailing.start()
    crumb = _CRUMB.match(text, start, end)
    if crumb is not None:
        start = crumb.end()
    span = strip(text, start, end)
    if span is None or not _is_title(span.text):
        return None
    # Segments separated by spaces: the shortest tail that is a title, with
    # the unit before a tail that opens with 关于 (中共某局党组 关于…的通报).
    parts = list(re.finditer(r"\S+", span.text))
    for i in range(len(parts) - 1, -1, -1):
        tail = span.text[parts[i].start() :]
        if not _is_title(tail):
            continue
        if i > 0 and tail.startswith("关于") and _UNIT_END.search(parts[i - 1].group()):
            i -= 1
        return Span.of(text, span.start + parts[i].start(), span.end)
    return span


def title_date(text: str, title: Span | None) -> Date | None:
    """A date written after the title on its line (…的通报 2026-02-13)."""
    if title is None:
        return None
    line_end = text.find("\n", title.end)
    line_end = len(text) if line_end < 0 else line_end
    trailing = _TRAILING_DATE.search(text, title.end, line_end)
    if trailing is None:
        return None
    return _date_in(text, strip(text, trailing.start(), trailing.end()))


def title(text: str, source: Source) -> Span | None:
    """A line of the head ending in 通报/报告/整改情况…; a title broken over two
    lines (unit, then 关于…通报; or unit and 关于, then …通报) is one span
    covering both, newline included:
    a `Span` is contiguous text, and consumers join it for display."""
    previous: Span | None = None
    for line in lines(text):
        if len(line.text) > 160:
            break
        # A title may name the group itself (关于中央第十五巡视组巡视反馈意见整改
        # 进展情况的通报), so it is tested before the head's end is.
        found = _title_in_line(text, line)
        if found is not None:
            if (
                (found.text.startswith("关于") or (
                    previous is not None and previous.text.endswith("关于")))
                and previous is not None
                and len(previous.text) <= 40
                and not _NO_SENTENCE.search(previous.text)
            ):
                return Span.of(text, previous.start, found.end)
            return found
        if _HEAD_END.search(line.text):
            break
        previous = line
    return page_field(text, source, ("信息名称", "文件名称", "标题"))


def title_unit(text: str, title: Span | None) -> Span | None:
    """The unit that opens the title: 中共三门县投资促进中心党组 in
    中共三门县投资促进中心党组\\n关于巡察整改进展情况的通报."""
    if title is None:
        return None
    at = title.text.find("关于")
    if at < 2:
        return None
    start = title.start
    tag = re.match(r"【[^】]{1,12}】", title.text)
    if tag is not None:
        start += tag.end()
    return strip(text, start, title.start + at)


def signature(text: str) -> tuple[Span | None, Date | None]:
    """The signature block: the closing date line near the end, and the unit
    on the line above it when that line is a name, not a sentence."""
    last = list(lines(text))[-8:]
    for i in range(len(last) - 1, -1, -1):
        dates = find_dates(last[i].text)
        if len(dates) == 1 and dates[0].span.text == last[i].text:
            date = Date(dates[0].iso, last[i])
            above = last[i - 1] if i > 0 else None
            if (
                above is not None
                and len(above.text) <= 40
                and not _NO_SENTENCE.search(above.text)
                and not re.search("[()（）]", above.text)
            ):
                return above, date
            return None, date
    return None, None
