"""Notice metadata: title, publisher, dates, inspected unit, inspecting body,
inspection group, inspection period, feedback date, announced counts.

Read from `source.text` alone (the outline is not needed): the genre states
all of it in the head, the opening sentence and the signature block:

    罗庄区投资促进服务中心党组关于巡察整改进展情况的通报          ← title
    根据区委统一部署,2019年11月8日至12月8日,区委第一巡察组对罗庄区投资促进服务
    中心党组进行了巡察。4月1日,巡察组向罗庄区投资促进服务中心党组反馈了巡察意见。
    …
    株洲高新区董家塅片区党工委                                      ← publisher
    2022年10月24日                                                ← published

Punctuation may be full- or half-width throughout (, ， : ： ( （).
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from kg.extract import head
from kg.extract.counts import find_counts
from kg.extract.groups import GroupPhrase, pick_group
from kg.extract.numbers import Period, find_dates, find_periods, fused_dates
from kg.extract.units import (
    JOINT_INSPECTED,
    RECIPIENT,
    find_inspected_units,
    find_unit,
    is_first_person,
    resolve_first_person,
)
from kg.model import (
    Date,
    InspectingBody,
    InspectionGroup,
    Notice,
    Organization,
    Outline,
    Source,
    Span,
)


def find_metadata(notice: Notice, outline: Outline) -> Notice:
    """`notice` with its header facts: title, publication, the inspection's
    parties and dates, the stated counts, and a warning for each fact not
    found. `outline` is accepted for the common extractor signature;
    everything here is read from the notice's text."""
    source = notice.source
    text = source.text
    warnings: list[str] = []
    title = head.title(text, source)
    inspection = _inspection_sentence(text)
    published, publisher = _publication(text, source, title, inspection)

    period = _period(text, inspection, warnings)
    feedback_date, recipient = _feedback(
        text, inspection, period, period.end if period else None
    )
    kept, feedback_date, published = _in_order(
        period, feedback_date, published, warnings
    )
    if feedback_date is None:
        warnings.append("no feedback date found")

    units = _inspected_org(
        text, inspection, recipient, [head.title_unit(text, title), publisher]
    )
    if not units:
        warnings.append("no inspected organization found")
    group_phrase = pick_group(
        text, (inspection.start, inspection.end) if inspection else None
    )
    body = _body(text, group_phrase, [units[0] if units else None, publisher, title])
    group = _group(text, group_phrase, body)
    if group is None:
        warnings.append("no inspection group found")
    if body is None:
        warnings.append("no inspecting body found")

    counts, count_warnings = find_counts(text)
    return dataclasses.replace(
        notice,
        title=title,
        publisher=publisher,
        published=published,
        inspected_org=units[0] if units else None,
        co_inspected=units[1:],
        inspecting_body=body,
        inspection_group=group,
        # where only the period's end was misread, its start stands
        inspection_start=period.start if period else None,
        inspection_end=kept.end if kept else None,
        feedback_date=feedback_date,
        counts=counts,
        warnings=(*notice.warnings, *warnings, *count_warnings),
    )


def _publication(
    text: str, source: Source, title: Span | None, inspection: Span | None
) -> tuple[Date | None, Span | None]:
    """When and by whom the notice was published (kg.extract.head)."""
    signature, closing = head.signature(text)
    head_end = inspection.start if inspection is not None else head.body_start(text)
    published = (
        head.signed_date(text, source)
        or closing
        or head.page_date(text, source, head_end)
        or head.title_date(text, title)
    )
    publisher = head.page_field(text, source, ("发布机构", "发文机关")) or signature
    return published, publisher or head.title_unit(text, title)


# --- the inspection ----------------------------------------------------------------

_FEEDBACK = re.compile(
    r"向[^。；;]{2,50}?反馈|反馈了?巡[察视](?:“回头看”)?(?:意见|情况)|反馈会"
    r"|(?:进行了?|作了?|作出了?)反馈|对[^。；;，,《》“”]{2,30}?反馈了"
)


def _period(
    text: str, inspection: Span | None, warnings: list[str]
) -> Period | None:
    period = _inspection_period(text, inspection, find_periods(text))
    if period is None and inspection is not None:
        period = _fused_period(text, inspection)
    if period is None:
        warnings.append("no inspection period found")
    elif period.precision == "month":
        warnings.append(
            f"inspection period {period.span.text} is given to the month only: "
            "start and end are the first and last days of those months"
        )
    return period


def _inspection_sentence(text: str) -> Span | None:
    """The sentence saying who inspected whom: …巡察组对X进行了巡察."""
    for sentence in head.sentences(text):
        # JOINT_INSPECTED reads one unit or several: 对A党组(、B党组)进行了巡察
        if JOINT_INSPECTED.search(sentence.text):
            return sentence
    return None


def _inspection_period(
    text: str, inspection: Span | None, periods: tuple[Period, ...]
) -> Period | None:
    if inspection is not None:
        for period in periods:
            if inspection.contains(period.span):
                return period
    # 于2021年3月15日至5月20日进驻… and other sentences that name the inspection
    for sentence in head.sentences(text):
        if re.search("巡[察视]组?(?:对|进驻)|进驻", sentence.text):
            for period in periods:
                if sentence.contains(period.span):
                    return period
    return None


def _fused_period(text: str, inspection: Span) -> Period | None:
    """An inspection period a page wrote without 年月日 (2024717日至830日)."""
    for begin, stop in fused_dates(text, inspection.start, inspection.end):
        if stop is not None and not begin.inferred_year and begin.iso <= stop.iso:
            span = Span.of(text, begin.span.start, stop.span.end)
            return Period(begin, stop, "day", span)
    return None


def _feedback(
    text: str, inspection: Span | None, period: Period | None, end: Date | None
) -> tuple[Date | None, Organization | None]:
    """The date the group fed its findings back, and to whom (向X反馈).

    A date written without its year takes the smallest year that puts it after
    the inspection's end: luozhuang-2021 inspected 2019-11-08..2019-12-08 and
    fed back on 4月1日, which is 2020-04-01.
    """
    after = inspection.start if inspection is not None else 0
    for sentence in head.sentences(text):
        if sentence.end <= after:
            continue
        m = _FEEDBACK.search(sentence.text)
        if m is None or not re.search("巡[察视]", sentence.text):
            continue
        recipient = find_unit(RECIPIENT, text, sentence)
        cue = sentence.start + m.start()
        dates = [
            d
            for d in find_dates(text[: sentence.end])
            if sentence.start <= d.span.start
            and d.span.end <= cue
            and not (period is not None and period.span.contains(d.span))
        ]
        if not dates:
            dates = [d for d, _ in fused_dates(text, sentence.start, cue)]
        if not dates or (dates[-1].iso.startswith("0000") and end is None):
            return None, recipient
        date = dates[-1]
        if date.inferred_year and end is not None:
            date = _after(date, end)
        return date, recipient
    return None, None


def _in_order(
    period: Period | None, feedback: Date | None, published: Date | None,
    warnings: list[str],
) -> tuple[Period | None, Date | None, Date | None]:
    """The inspection period, feedback and publication dates, a reading that
    breaks the genre's order (end ≤ feedback ≤ publication: a group feeds
    back after it leaves, the unit reports after the feedback) left out with
    a warning. Where the feedback falls inside a period of more than half a
    year, the period's end is the misreading (groups stay one to three
    months: 2024年5月22日至2025年7月24日 … 2024年10月15日反馈); else the
    feedback is."""
    if feedback is not None and period is not None and feedback.iso < period.end.iso:
        start = datetime.date.fromisoformat(period.start.iso)
        end = datetime.date.fromisoformat(period.end.iso)
        if (end - start).days > 183 and period.start.iso <= feedback.iso:
            warnings.append(
                f"inspection end {period.end.iso} ({period.end.span.text}) is after "
                f"the feedback ({feedback.iso}): the period is left out"
            )
            period = None
        else:
            warnings.append(
                f"feedback date {feedback.iso} ({feedback.span.text}) is before the "
                f"inspection ended ({period.end.iso}): left out"
            )
            feedback = None
    latest = feedback or (period.end if period else None)
    if published is not None and latest is not None and published.iso < latest.iso:
        warnings.append(
            f"publication date {published.iso} ({published.span.text}) is before "
            f"{latest.iso}: left out"
        )
        published = None
    return period, feedback, published


def _after(date: Date, end: Date) -> Date:
    year = int(end.iso[:4])
    month, day = int(date.iso[5:7]), int(date.iso[8:10])
    if (month, day) < (int(end.iso[5:7]), int(end.iso[8:10])):
        year += 1
    try:
        datetime.date(year, month, day)
    except ValueError:  # 2月29日 after a leap year's inspection
        year += 1
    return Date(f"{year:04d}-{month:02d}-{day:02d}", date.span, inferred_year=True)


def _inspected_org(
    text: str, inspection: Span | None, recipient: Organization | None,
    publisher: list[Span | None],
) -> tuple[Organization, ...]:
    """The inspected units, the first the one the notice is about: X in
    对X进行了巡察 (each of a joint 对X党组、Y党组进行了巡察), unless only the feedback's
    recipient (向Y反馈) names a party organization (zaozhuang-2018: 对枣庄高新区
    进行了巡察 … 向枣庄高新区党委反馈 → 枣庄高新区党委). A first-person unit
    (对我院党组开展了巡察) is the recipient when it is named, else the
    publisher (kg.extract.units.resolve_first_person)."""
    units = find_inspected_units(text, inspection) if inspection else ()
    if len(units) > 1:
        return units
    inspected = units[0] if units else None
    if recipient is not None and is_first_person(recipient.name):
        recipient = None
    if inspected is not None and is_first_person(inspected.name):
        inspected = recipient or resolve_first_person(inspected, text, publisher)
    if inspected is not None and inspected.kind is None and recipient is not None:
        if recipient.kind is not None:
            return (recipient,)
    found = inspected or recipient
    return (found,) if found is not None else ()


# The committee that sends the group (《中国共产党巡视工作条例》 art. 2: 中央
# and provincial committees 巡视; city and county committees 巡察).
_COMMITTEE = "中央|自治区党委|省委|市委|州委|盟委|县委|旗委|区委"
_LEVELS = {
    "中央": "中央",
    "自治区党委": "省",
    "省委": "省",
    "市委": "市",
    "州委": "市",
    "盟委": "市",
    "县委": "县",
    "旗委": "县",
    "区委": "区",
}
_DEPLOYED_BY = re.compile(
    f"(?:根据|按照)(?P<body>{_COMMITTEE})(?:的)?(?:统一)?(?:安排)?部署"
)


def _locality(level: str, names: list[str]) -> str | None:
    """Where a committee sits, read from the inspected unit, the publisher and
    the title: 罗庄区投资促进服务中心党组 → 罗庄区 for a 区委, 东营市委经济技术
    开发区工作委员会 → 东营市, 枣庄高新区 → 枣庄市 for a 市委 (a development zone
    is named after its city), 株洲高新区董家塅片区 → 株洲高新区 (the zone itself
    has a 区委; the first 区 is the zone, the later ones its parts)."""
    names = [n.removeprefix("中共") for n in names]
    for name in names:
        # Only at the start: a name that begins with its committee (东营市委经济
        # 技术开发区工作委员会); "…党组关于县委第三轮巡察" names no place.
        m = re.match(f"([\u4e00-\u9fff]{{1,6}}?){level}委", name)
        if m:
            return m.group(1) + level
    for name in names:
        at = name.find(level)
        if at >= 1:
            return name[: at + 1]
    if level == "市":
        for name in names:
            m = re.match(
                "([\u4e00-\u9fff]{2,3}?)(?:高新技术产业开发区|经济技术开发区|高新区"
                "|开发区|经开区|新区)",
                name,
            )
            if m:
                return m.group(1) + "市"
    return None


def _body(
    text: str,
    group: GroupPhrase | None,
    context: list[Organization | Span | None],
) -> InspectingBody | None:
    if group is not None and group.body is not None:
        span = Span.of(text, *group.body)
    else:
        m = _DEPLOYED_BY.search(text)
        if m is None:
            return None
        span = Span.of(text, m.start("body"), m.end("body"))
    name = span.text
    level = _LEVELS.get(name, "其他")
    canonical = name
    if level != "中央":
        names = [
            c.name if isinstance(c, Organization) else c.text for c in context if c
        ]
        place = _locality(level, names) if level != "其他" else None
        if place is not None:
            canonical = place + "委"
    return InspectingBody(name=name, level=level, canonical=canonical, span=span)


def _group(
    text: str, phrase: GroupPhrase | None, body: InspectingBody | None
) -> InspectionGroup | None:
    if phrase is None:
        return None
    span = Span.of(text, phrase.start, phrase.end)
    unit = span.text[phrase.body[1] - phrase.start :] if phrase.body else span.text
    canonical = (body.canonical if body is not None else "") + unit
    return InspectionGroup(
        name=span.text,
        ordinal=phrase.ordinal,
        kind=phrase.kind,
        canonical=canonical,
        span=span,
        variety=phrase.variety,
        round=phrase.round,
    )
