"""Dates, document numbers (文号), money amounts and Chinese numerals.

All finders scan the NFC text once with a regular expression and return facts
in document order, each with the `Span` of the text it was read from. Digits
may be ASCII or full-width (０-９): notices are typed both ways.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kg.model import Amount, Date, DocNumber, Span

_CN_DIGITS = {
    "〇": 0,
    "○": 0,  # U+25CB, typed for 〇 in many dates (二○一九年)
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_ARABIC = "0-9０-９"
_TOKEN = re.compile(f"[{_ARABIC}]+|.", re.S)


def parse_cn_number(s: str) -> int:
    """The integer written in `s`: 一百五十六, 两, 十二, 二〇一九, 3万, ２８.

    A run of digits without units (二〇一九, 2019) is read digit by digit, as
    years are written; otherwise the usual 十/百/千 within 万/亿 sections.
    Raises ValueError on anything else. The one reader of Chinese numerals:
    dates, counts and group ordinals here, heading ordinals in kg.outline.

    >>> parse_cn_number("十二"), parse_cn_number("二十"), parse_cn_number("九十九")
    (12, 20, 99)
    >>> parse_cn_number("一百〇五"), parse_cn_number("一亿二千万")
    (105, 120000000)
    >>> parse_cn_number("二〇一九"), parse_cn_number("２８"), parse_cn_number("3万")
    (2019, 28, 30000)
    >>> parse_cn_number("方面")
    Traceback (most recent call last):
    ValueError: not a number: '方面'
    """
    s = s.strip()
    if not s:
        raise ValueError("empty number")
    tokens = _TOKEN.findall(s)
    if all(t in _CN_DIGITS or t[0].isdecimal() for t in tokens):
        return int("".join(str(_CN_DIGITS.get(t, t)) for t in tokens))
    total = section = number = 0
    for token in tokens:
        if token[0].isdecimal():
            number = int(token)
        elif token in _CN_DIGITS:
            number = _CN_DIGITS[token]
        elif token in _CN_SMALL_UNITS:
            # 十二: a unit with no digit before it means one of it.
            section += (number or 1) * _CN_SMALL_UNITS[token]
            number = 0
        elif token in _CN_BIG_UNITS:
            section += number
            number = 0
            if token == "亿":
                total = (total + section) * _CN_BIG_UNITS[token]
            else:
                total += section * _CN_BIG_UNITS[token]
            section = 0
        else:
            raise ValueError(f"not a number: {s!r}")
    return total + section + number


# --- dates -------------------------------------------------------------------

_CN_YEAR = "[〇○零一二三四五六七八九]{4}"
_CN_MONTH = "十[一二]?|[一二三四五六七八九]"
_CN_DAY = "[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_YEAR = f"(?:19|20|１９|２０)[{_ARABIC}]{{2}}|{_CN_YEAR}"
_NUM2 = f"[{_ARABIC}]{{1,2}}"


def _atom(tag: str, *, end: bool = False) -> str:
    """One date as written: 2019年11月8日, 11月8日, 2019年11月, 2021-03-11,
    2021.3.11, 2021/3/11, with stray spaces between its parts. The end of a
    range may also omit the month (8日 in 5月14日至28日)."""
    iso = (
        f"(?P<{tag}iy>(?:19|20)[0-9]{{2}})(?P<{tag}sep>[-./])"
        f"(?P<{tag}im>[0-9]{{1,2}})(?P={tag}sep)(?P<{tag}id>[0-9]{{1,2}})"
        f"(?![0-9]|\\.[0-9])"
    )
    # 2024月10月15日: a year typed with 月 for 年, told by the month after it
    year = f"(?:(?P<{tag}y>{_YEAR})\\s*(?:年|月(?=\\s*{_NUM2}\\s*月))\\s*)?"
    month = f"(?P<{tag}m>{_NUM2}|{_CN_MONTH})\\s*月(?!份)"
    day = f"(?P<{tag}d>{_NUM2}|{_CN_DAY})\\s*[日号]"
    if end:
        # a range's end may lose its 日 before the next word (至11月15市委…)
        day = (
            f"(?P<{tag}d>{_NUM2}|{_CN_DAY})"
            f"(?:\\s*[日号]|(?=[^0-9０-９日号个项条人名次万元%．.]))"
        )
    written = f"{year}{month}(?:\\s*{day})?"
    if end:
        written += f"|(?P<{tag}do>{_NUM2}|{_CN_DAY})\\s*[日号]"
    return f"(?:{iso}|{written})"


_CONNECTOR = r"\s*(?:至|到|—|–|-|~|～)\s*"
# Each pattern that is tried at every character of a whole text starts with a
# lookahead for the characters a match can begin with: it changes no match,
# and the scan skips the other characters at once (2-3x faster).
_DATE_FIRST = f"(?=[{_ARABIC}〇○零一二三四五六七八九十])"
_DATES = re.compile(
    f"(?<![{_ARABIC}]){_DATE_FIRST}{_atom('a')}"
    f"(?:(?P<range>{_CONNECTOR}){_atom('b', end=True)})?"
)


@dataclass(frozen=True, slots=True)
class _Atom:
    year: int | None
    month: int | None
    day: int | None
    span: Span


@dataclass(frozen=True, slots=True)
class Period:
    """A written range: 2019年11月8日至12月8日, 2019年4月至5月.

    With month precision (2019年4月至5月) `start` is the first day of the first
    month and `end` the last day of the last month; `precision` says so.
    """

    start: Date
    end: Date
    precision: str  # day | month
    span: Span


# Matched at a position, not on the text's tail: slicing the tail for every
# date would copy the text each time (quadratic on a long text).
_CLOSING = re.compile(r"\s*[年月日号]")


def _part(text: str, m: re.Match[str], tag: str) -> _Atom | None:
    if m.group(f"{tag}iy") is not None:
        return _Atom(
            int(m.group(f"{tag}iy")),
            int(m.group(f"{tag}im")),
            int(m.group(f"{tag}id")),
            Span.of(text, m.start(f"{tag}iy"), m.end(f"{tag}id")),
        )
    named = m.groupdict()
    groups = [g for g in ("y", "m", "d", "do") if named.get(f"{tag}{g}") is not None]
    if not groups:
        return None
    start = m.start(f"{tag}{groups[0]}")
    end = m.end(f"{tag}{groups[-1]}")
    # the span runs to the 年/月/日 that closes the last part, stray space included
    closing = _CLOSING.match(text, end)
    end = closing.end() if closing else end

    def value(g: str) -> int | None:
        written = named.get(f"{tag}{g}")
        return parse_cn_number(written) if written is not None else None

    day = value("d") if named.get(f"{tag}d") is not None else value("do")
    return _Atom(value("y"), value("m"), day, Span.of(text, start, end))


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


# Years that anchor a date written without one: a year written with a month
# (2019年3月15日, 2019年3月, 2021-03-11). A bare 2020年度 or 2013年至2017年
# names a span of reference, not the time the narrative has reached.
_YEAR_ANCHOR = re.compile(
    f"(?<![{_ARABIC}]){_DATE_FIRST}(?:({_YEAR})\\s*年\\s*(?:{_NUM2}|{_CN_MONTH})\\s*月"
    r"|((?:19|20)[0-9]{2})[-./][0-9]{1,2}[-./][0-9]{1,2})"
)


class _YearAnchors:
    """The year anchors of a text, found in one pass: looking them up for each
    date without a year keeps `_scan` linear (a 20 MB notice on one line has
    tens of thousands of such dates)."""

    def __init__(self, text: str) -> None:
        self._ends: list[int] = []
        self._matches: list[re.Match[str]] = []
        for match in _YEAR_ANCHOR.finditer(text):
            self._ends.append(match.end())
            self._matches.append(match)

    def year_before(self, pos: int) -> int | None:
        """The year of the nearest date written with its year before `pos`."""
        index = bisect.bisect_right(self._ends, pos) - 1
        if index < 0:
            return None
        last = self._matches[index]
        return parse_cn_number(last.group(1) or last.group(2))


def _date(year: int, month: int, day: int, span: Span, inferred: bool) -> Date:
    return Date(f"{year:04d}-{month:02d}-{day:02d}", span, inferred_year=inferred)


@lru_cache(maxsize=16)
def _date_matches(text: str) -> tuple[re.Match[str], ...]:
    """The matches of `_DATES`, kept for the next call on the same text: the
    inspection period (find_periods) and the notice's dates (find_dates) are
    read from the same whole text, and the scan was a twentieth of the
    extraction."""
    return tuple(_DATES.finditer(text))


@lru_cache(maxsize=16)
def _year_anchors(text: str) -> _YearAnchors:
    """The year anchors of `text`, kept like `_date_matches`."""
    return _YearAnchors(text)


def _scan(text: str, default_year: int | None) -> tuple[list[Date], list[Period]]:
    dates: list[Date] = []
    periods: list[Period] = []
    anchors = _year_anchors(text)
    for m in _date_matches(text):
        first = _part(text, m, "a")
        if first is None or first.month is None:
            continue
        inferred = first.year is None
        year = first.year
        if year is None:
            year = anchors.year_before(first.span.start) or default_year
        if year is None:
            continue
        if first.day is not None and not _valid(year, first.month, first.day):
            continue
        start = _date(year, first.month, first.day or 1, first.span, inferred)
        if first.day is not None:
            dates.append(start)
        second = _part(text, m, "b") if m.group("range") is not None else None
        if second is None:
            continue
        # A range's end takes what it omits from its start (12月8日 in
        # 2019年11月8日至12月8日; 28日 in 5月14日至28日), rolling over into the
        # next year when it would otherwise end before it began
        # (2019年12月20日至1月10日).
        end_month = second.month if second.month is not None else first.month
        end_year = second.year if second.year is not None else year
        if second.year is None and (end_month, second.day or 31) < (
            first.month,
            first.day or 1,
        ):
            end_year += 1
        end_day = second.day or calendar.monthrange(end_year, end_month)[1]
        if not _valid(end_year, end_month, end_day):
            continue
        end_inferred = second.year is None
        end = _date(end_year, end_month, end_day, second.span, end_inferred)
        if second.day is not None:
            dates.append(end)
        # 2018年11月-2019年6月30日 mixes precisions: its dates stand, but it
        # is no period of either precision.
        if (first.day is None) == (second.day is None) and end.iso >= start.iso:
            precision = "month" if first.day is None else "day"
            periods.append(
                Period(start, end, precision, Span.of(text, m.start(), m.end()))
            )
    return dates, periods


def find_dates(text: str, default_year: int | None = None) -> tuple[Date, ...]:
    """Every date written to the day, in document order.

    A date without a year (4月1日) takes the nearest year written before it,
    else `default_year`, and is marked `inferred_year`; one with no year to
    take is left out. Month-only mentions (2019年3月) are periods, not dates:
    see `find_periods`. Impossible dates (2月30日) are rejected.
    """
    return tuple(_scan(text, default_year)[0])


def find_periods(text: str, default_year: int | None = None) -> tuple[Period, ...]:
    """Every written range of dates or months, in document order."""
    return tuple(_scan(text, default_year)[1])


# Pages that lost the glyphs 年, 月 and 日 (rendered as images or in a font
# the scraper dropped) run the figures together: 2024717日至830日 for
# 2024年7月17日至8月30日, 914日 for 9月14日. Read only where one split into
# month and day is valid (717 → 7-17, as 71-7 is no date), and only by the
# metadata extractor, in the sentences that name the inspection.
_FUSED = re.compile(
    r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})?(?P<md>[0-9]{3,4})日?"
    r"(?:\s*(?:至|到|-|—)\s*(?P<md2>[0-9]{3,4})日?)?(?![0-9])"
)


def _month_day(digits: str) -> tuple[int, int] | None:
    readings = {
        (int(digits[:cut]), int(digits[cut:]))
        for cut in (1, 2)
        if 1 <= len(digits) - cut <= 2
        and _valid(2000, int(digits[:cut]) or 13, int(digits[cut:]) or 32)
    }
    return readings.pop() if len(readings) == 1 else None


def fused_dates(text: str, start: int, end: int) -> list[tuple[Date, Date | None]]:
    """Dates written without their 年月日 in text[start:end], with the end
    of a range: (2024-07-17, 2024-08-30) for 2024717日至830日. A date
    without a year gets the year 0 for the caller to fill in."""
    found: list[tuple[Date, Date | None]] = []
    for m in _FUSED.finditer(text, start, end):
        first = _month_day(m.group("md"))
        if first is None:
            continue
        year = int(m.group("year")) if m.group("year") else 0
        span = Span.of(text, m.start(), m.end("md"))
        begin = _date(year, *first, span, inferred=year == 0)
        second = _month_day(m.group("md2")) if m.group("md2") else None
        stop = None
        if second is not None:
            stop_year = year + (second < first) if year else 0
            stop = _date(stop_year, *second, Span.of(text, m.start("md2"), m.end()),
                         inferred=True)
        found.append((begin, stop))
    return found


# --- document numbers (文号) ------------------------------------------------------

# GB/T 9704-2012 §7.2.4 writes the year of a 文号 in 〔〕; notices also use
# [] 【】 ［］ and () for it. The scan looks for the bracketed year and its
# number, then reads the issuer back from there: a pattern that began with the
# issuer's [\u4e00-\u9fff]{0,16} was tried at every character of the text
# (a twelfth of the extraction's CPU).
_DOC_NUMBER = re.compile(
    r"[\[〔【［(（]\s*"
    f"(?P<year>(?:19|20)[{_ARABIC}]{{2}})"
    r"\s*[\]〕】］)）]\s*"
    f"(?P<number>[{_ARABIC}]{{1,5}})\\s*号"
)
_MAX_ISSUER = 16  # characters
# Words that run into an issuer when nothing separates them (根据罗投发[2019]9号).
_ISSUER_LEAD = re.compile(
    "^(?:根据|按照|依据|依照|参照|对照|执行|印发|下发|转发|落实|贯彻|文号|文件|见|即|为|以|和|及|与|的|了|是)+"
)


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def find_doc_numbers(text: str) -> tuple[DocNumber, ...]:
    """Every 文号: 罗投发[2019]9号, 台市委办室【2019】74号, [2019]1号 (issuer "").

    The issuer is the run of at most 16 Chinese characters that ends at the
    bracket or at the spaces before it, never reaching into the 文号 before
    it; the words that lead into it (根据, 按照 …) are not part of it."""
    found: list[DocNumber] = []
    floor = 0  # where the 文号 before ends
    for m in _DOC_NUMBER.finditer(text):
        issuer_end = m.start()
        while issuer_end > floor and text[issuer_end - 1].isspace():
            issuer_end -= 1
        issuer_start = issuer_end
        while (issuer_start > max(floor, issuer_end - _MAX_ISSUER)
               and _is_han(text[issuer_start - 1])):
            issuer_start -= 1
        issuer = text[issuer_start:issuer_end]
        lead = _ISSUER_LEAD.match(issuer)
        start = issuer_start + (lead.end() if lead else 0)
        found.append(
            DocNumber(
                text=text[start : m.end()],
                issuer=issuer[lead.end() if lead else 0 :],
                year=int(m.group("year")),
                number=int(m.group("number")),
                span=Span.of(text, start, m.end()),
            )
        )
        floor = m.end()
    return tuple(found)


# --- money ---------------------------------------------------------------------------

_ARABIC_AMOUNT = (
    f"[{_ARABIC}]{{1,3}}(?:,[{_ARABIC}]{{3}})+(?![{_ARABIC}])"  # 1,284
    f"(?:\\.[{_ARABIC}]+)?"
    f"|[{_ARABIC}]+(?:\\.\\s?[{_ARABIC}]+)?"  # 5. 67: a stray space after the point
)
_CN_AMOUNT = "[一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*"
_AMOUNT_FIRST = f"(?=[约近逾大{_ARABIC}一二两三四五六七八九十])"  # see _DATE_FIRST
_AMOUNT = re.compile(
    _AMOUNT_FIRST + r"(?P<pre>约|近|逾|大约)?"
    f"(?:(?P<arabic>{_ARABIC_AMOUNT})\\s*(?P<approx1>余|多)?\\s*(?P<mult>[万亿千])?"
    f"|(?P<cn>{_CN_AMOUNT}))"
    r"\s*(?P<approx2>余|多)?\s*"
    r"(?:(?P<currency>元|美元|欧元|港元|港币|日元|英镑|人民币)(?!化)(?P<post>左右)?"
    r"|(?<=[万亿])(?![余多]?\s*[\u4e00-\u9fff]))"
)
# A bare 28万 is money only where the clause before it speaks of money
# (宣传片费用28万); 2000万以下企业 or 3万余米 are not matched at all.
_MONEY_WORDS = re.compile("费|资金|金额|经费|款|支付|报销|投资|收入|资产|价")
_MULTIPLIERS = {"千": 1000, "万": 10**4, "亿": 10**8}
_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")
_CLAUSE_END = re.compile("[。；;，,:：\n]")


def _clause_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not _CLAUSE_END.match(text[start - 1]):
        start -= 1
    return text[start:pos]


def find_amounts(text: str) -> tuple[Amount, ...]:
    """Every amount of money in yuan: 14286.8元, 15.3万余元, 226.05亿元, 二十万元.

    Only renminbi is kept: the model stores yuan, and converting 2585万美元 at
    some rate would invent a figure the notice does not state, so amounts in
    other currencies are skipped. 余/多/约/近/逾/左右 mark `approximate`.
    """
    found: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        currency = m.group("currency")
        if currency not in (None, "元", "人民币"):
            continue
        if currency is None and not _MONEY_WORDS.search(
            _clause_before(text, m.start())
        ):
            continue
        if m.group("arabic"):
            value = Decimal(re.sub(r"[\s,]", "", m.group("arabic")).translate(_ASCII))
            if m.group("mult"):
                value *= _MULTIPLIERS[m.group("mult")]
        else:
            try:
                value = Decimal(parse_cn_number(m.group("cn")))
            except ValueError:
                continue
        approximate = any(m.group(g) for g in ("pre", "approx1", "approx2", "post"))
        found.append(
            Amount(float(value), approximate, Span.of(text, m.start(), m.end()))
        )
    return tuple(found)
