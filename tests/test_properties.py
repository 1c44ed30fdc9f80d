"""Properties of ingest → outline → extraction on any input: only `KgError`
escapes, every span indexes the source text exactly, and the same input gives
the same notice.

Two kinds of input: arbitrary Unicode (and bytes), which mostly exercises the
decoder and the not-a-notice check, and texts mixed from corpus lines, heading
markers of the genre, 《》〈〉 brackets, dates, digits and full-width punctuation,
which reach deep into the outline and the extractors. `hypothesis.event` counts
how many examples reached extraction (see `pytest --hypothesis-show-statistics`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kg.errors import KgError
from kg.export import notice_to_dict
from kg.extract.numbers import find_dates
from kg.ingest import source_from_bytes, source_from_text
from kg.model import Notice, Outline, Source, Span
from kg.outline import build_outline
from kg.pipeline import extract_source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"
CORPUS_LINES = sorted(
    {
        line
        for path in EXAMPLES.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
)

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MARKERS = [
    "一、", "二、", "十一、", "(一)", "（二）", "(十)", "1.", "2．", "3、", "12.",
    "(1)", "（2）", "①", "②", "⑳", "一是", "二是", "三是", "问题:", "问题：",
    "整改完成情况:", "整改落实情况：", "关于“三重一大”问题的整改情况",
]
BRACKETS = ["《", "》", "〈", "〉", "《》", "《〈》〉", "《中国共产党纪律处分条例》",
            "《关于〈会计法〉的说明》", "“", "”"]
DATES = ["2021年3月11日", "2019年11月8日至12月8日", "3月1日", "2020年4月1日",
         "2023年2月30日", "2021年13月1日", "0年0月0日", "二〇二一年三月十一日",
         "2021-03-11", "2021.3.11", "9999年"]
PUNCTUATION = ["，", "。", "：", "；", "、", "（", "）", "！", "？", "…", "—", "　",
               ",", ".", ":", ";", "(", ")", " ", "\n", "\r\n", "\t"]
WORDS = ["巡察", "巡视", "整改", "区委第一巡察组", "党组", "党工委", "反馈",
         "个方面", "项问题", "条措施", "已完成整改", "罗投发[2019]9号", "万元",
         "书记", "章明皓", "中央八项规定", "制定", "印发", "违反"]

fragments = st.one_of(
    st.sampled_from(CORPUS_LINES),
    st.sampled_from(MARKERS),
    st.sampled_from(BRACKETS),
    st.sampled_from(DATES),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(WORDS),
    st.integers(min_value=0, max_value=10**12).map(str),
    st.text(alphabet="０１２３４５６７８９一二三四五六七八九十", max_size=4),
    st.text(max_size=8),
)
# Most mixed texts name an inspection and its rectification, so that they
# pass the not-a-notice check and reach the extractors.
genre_words = st.sampled_from(
    ["巡察整改", "巡视整改\n", "关于巡察整改进展情况的通报\n", ""]
)
notice_like = st.builds(
    lambda head, parts: head + "".join(parts),
    genre_words,
    st.lists(fragments, max_size=60),
)


def spans_of(value: object) -> Iterator[Span]:
    """Every `Span` inside a model value (dataclasses, tuples), depth first."""
    if isinstance(value, Span):
        yield value
    elif isinstance(value, Source):
        return
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from spans_of(getattr(value, item.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from spans_of(item)


def assert_spans_index(text: str, value: Notice | Outline) -> None:
    for span in spans_of(value):
        assert text[span.start : span.end] == span.text, span


def check_pipeline(source: Source) -> None:
    """Outline and extraction of `source`: exact spans, deterministic result;
    a `KgError` is an accepted outcome, any other exception fails the test."""
    outline = build_outline(source.text)
    assert_spans_index(source.text, outline)
    try:
        notice = extract_source(source)
    except KgError as error:
        event(f"extraction refused: {type(error).__name__}")
        return
    event("extracted")
    assert_spans_index(source.text, notice)
    assert notice_to_dict(extract_source(source)) == notice_to_dict(notice)


def check_text(text: str) -> None:
    try:
        source = source_from_text(text, "property.txt")
    except KgError as error:
        event(f"ingest refused: {type(error).__name__}")
        return
    check_pipeline(source)


def check_bytes(data: bytes, path: str, media_type: str | None = None) -> None:
    try:
        source = source_from_bytes(data, path, media_type)
    except KgError as error:
        event(f"ingest refused: {type(error).__name__}")
        return
    check_pipeline(source)


@SETTINGS
@given(st.text())
def test_any_text_gives_a_notice_or_a_kg_error(text: str) -> None:
    check_text(text)
    # The same text as the body of a notice, past the not-a-notice check.
    check_text("巡察整改\n" + text)


@SETTINGS
@given(notice_like)
def test_any_mix_of_notice_fragments_gives_a_notice_or_a_kg_error(text: str) -> None:
    check_text(text)


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_notice_or_a_kg_error(data: bytes) -> None:
    check_bytes(data, "property.txt")


@SETTINGS
@given(notice_like, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       st.integers(min_value=0, max_value=3))
def test_encoded_and_cut_notice_text_gives_a_notice_or_a_kg_error(
    text: str, encoding: str, cut: int
) -> None:
    data = text.encode(encoding, errors="replace")
    check_bytes(data[: len(data) - cut] if cut else data, "property.txt")


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["p", "div", "h1", "td", "script",
                                            "style", "br", "a", "table", "tr"]),
                          notice_like), max_size=12))
def test_any_web_page_of_notice_fragments_gives_a_notice_or_a_kg_error(
    elements: list[tuple[str, str]],
) -> None:
    body = "".join(f"<{tag}>{text}</{tag}>" for tag, text in elements)
    page = f"<html><head><title>通报</title></head><body>{body}</body></html>"
    check_bytes(page.encode("utf-8"), "property.html", "text/html")


# --- regressions found on the way ------------------------------------------------


def test_dates_without_a_year_take_the_nearest_year_before_them() -> None:
    text = "2019年12月1日开始，3月1日完成；2020年5月2日复查，6月1日销号。"
    assert [(d.iso, d.inferred_year) for d in find_dates(text)] == [
        ("2019-12-01", False),
        ("2019-03-01", True),
        ("2020-05-02", False),
        ("2020-06-01", True),
    ]


def test_twenty_mb_single_line_notice_dates_in_linear_time() -> None:
    """A 20 MB notice on one line never finished: each date without a year
    searched the whole text before it for a year, and copied the text after
    it, so the time grew with the square of the length (1 MB: 52 s)."""
    count = 200_000
    text = "2019年1月1日起，" + "3月1日，" * count
    started = time.perf_counter()
    dates = find_dates(text)
    assert time.perf_counter() - started < 60
    assert len(dates) == count + 1
    assert dates[-1].iso == "2019-03-01" and dates[-1].inferred_year
