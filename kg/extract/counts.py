"""Announced counts: the figures a notice states about the inspection's
feedback and its rectification (the JSON contract's `announced_counts`).

Grammar (EBNF over one sentence; numbers Arabic, full-width or Chinese):

    run        = item { ["的"] ["问题"] [、 ，的] [及 | 和 | 共] item } ;
    item       = aspects | categories | problems ;
    aspects    = number ["个"] ["大"] "方面" [的问题]      5个方面, 六个方面的问题
               | number "项" &problems ;                 指出4项12个问题 (4 aspects)
    categories = number ["个"] ("大类" | "大项" | "类") ;  14个大类, 17大项, 12类
    problems   = number ["个" | "项" | "条"] ["具体" | "子项" | "突出"] "问题" ;
    lead       = trigger [object "存在" ["的"]] ;        what makes a run the feedback
    trigger    = (反馈 | 指出 | 提出 | 提及 | 列出 | 反映 | 发现 | 确定 | 形成 | 聚焦
               | 围绕 | 针对 | 梳理)
                 [了 | 的 | 出] [共 | 共计 | 总体] ;
    rectified  = ["已"] ["全部"] ("完成整改" | "整改完成" | "整改到位" | "整改落实")
                 ["问题"]
                 number ("个" | "项")
               | [trigger | 共计] problems ("已" | "均已" | "全部")
                 ("完成整改" | "整改完成" | "整改到位") ;
    measures   = number ("条" | "项" | "个") ["的"] ["具体"] ["整改" | "支撑"]
                 ("措施" | "举措")
               | (("整改" | "支撑" | "具体") ("措施" | "举措") | 制定 "措施")
                 ["共"] number ("条" | "项" | "个") ;
    tasks      = number ("项" | "个" | "条") ["具体"] ["整改"] "任务"
               | ("细化" | "分解") … number … ("任务" | "问题" | "事项") ;

A run counts only in a sentence about the inspection (巡察/巡视) and after a
trigger: 查摆…存在的4个方面 (a democratic life meeting's self-examination),
着重从三个方面整改 (the angles of one measure) and 向2个单位反馈…10类35个
(the unit inspecting others) are not the feedback. Figures of suggestions
(意见建议), people, meetings, money, rules (制度) and percentages are not
counts: the grammar has no item for them. A number after 每/各/逐/第 is no
count (每一项整改措施).

A breakdown (细化分解成41项具体问题) is `tasks`, unless the notice has stated
no number of problems before it: then it is the number of problems
(4个方面12类问题 … 细化成39个具体问题 → problems 39).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.head import sentences
from kg.extract.numbers import parse_cn_number
from kg.model import Count, Span

NUMBER = "[0-9０-９]+|[一二两三四五六七八九十百]+"
_NOT_AFTER = "(?<![第0-9０-９一二两三四五六七八九十百每各逐])"
_ASPECTS = "个?大?方面(?!意见|建议)"
_CATEGORIES = "个?大类|个?大项|类"
# 突出问题 is how feedback names its problems (6个方面18个突出问题); 7个重点难点
# 问题 is a subset one leader takes on, and no modifier here
_PROBLEMS = "[个项条]?(?:具体|子项|突出)?问题"
_ITEM = re.compile(
    f"{_NOT_AFTER}(?P<num>{NUMBER})\\s*"
    f"(?:(?P<aspects>{_ASPECTS})|(?P<categories>{_CATEGORIES})|(?P<problems>{_PROBLEMS})"
    f"|(?P<aspects_of>项)(?=\\s*(?:{NUMBER})\\s*{_PROBLEMS}))"
)
_RUN = re.compile(
    f"{_ITEM.pattern}(?:\\s*(?:的?问题)?\\s*[,，、的]?\\s*(?:及|和|共)?\\s*"
    f"(?:{NUMBER})\\s*(?:{_ASPECTS}|{_CATEGORIES}|{_PROBLEMS}|项(?=\\s*(?:{NUMBER})))"
    ")*"
)
_TRIGGER = (
    "(?:反馈|指出|提出|提及|列出|反映|发现|确定|形成|聚焦|围绕|针对|梳理)"
    "(?:了|的|出)?(?:意见)?(?:中)?(?:指出|提出)?(?:了|的)?(?:共|共计|总体|总计)?"
)
# The lead of a run: a trigger right before it, or a trigger, what is found
# wanting and 存在 (指出某局党委存在4个方面的问题).
_LEAD = re.compile(
    f"(?:{_TRIGGER}\\s*|{_TRIGGER}[^，,。；;]{{1,30}}?存在(?:的)?)$"
)
_SELF_EXAMINATION = re.compile(
    "查摆|自查|对照检查|剖析|向[0-9０-９一二两三四五六七八九十]+个"
)
_TOTAL = re.compile("(?:共计|合计|总计|共)$")
_DONE_AFTER = re.compile(
    r"\s*(?:均|已|已经|全部|均已)+\s*(?:完成整改|整改完成|整改到位|完成|销号)"
)
_DONE_BEFORE = re.compile(r"已(?:全部)?完成(?:了)?[^，,]*$")
_DONE_OF = re.compile(r"\s*的?(?:全部)?整改")
_RECTIFIED = re.compile(
    f"(?:已(?:全部)?完成整改|已?整改(?:完成|到位|落实)|(?P<bare>(?<![未已])完成整改))"
    "(?:问题)?"
    f"\\s*(?P<num>{NUMBER})\\s*[个项](?!整改任务)"
    # 整改完成一项、销号一项: the rule of a ledger, no figure
    r"(?!\s*[、，,]\s*销号)"
)
_BREAKDOWN = re.compile(
    f"(?:细化|分解)(?:分解)?(?:为|成)?(?:了)?\\s*(?P<num>{NUMBER})\\s*[项个条]"
    r"(?:具体)?(?:整改)?(?P<noun>任务|问题|事项)"
)
_TASKS = re.compile(
    f"{_NOT_AFTER}(?P<num>{NUMBER})\\s*[项个条](?:具体)?(?:整改)?任务(?!书)"
)
_TASKS_DONE = re.compile(
    f"(?:已|均已)(?:全部)?(?:完成|办结|销号)(?:了)?(?:整改任务)?\\s*(?P<num>{NUMBER})\\s*[项个]"
    f"|(?P<all>{NUMBER})\\s*[项个](?:具体)?整改任务(?:已|均已)(?:全部)?(?:完成|办结|销号)"
)
_MEASURES = re.compile(
    f"{_NOT_AFTER}(?P<num>{NUMBER})\\s*[条项个](?:的)?(?:具体整改|整改|支撑|具体)?"
    "(?:措施|举措)"
    f"|(?:(?:整改|支撑|具体)(?:措施|举措)|(?<=制定|制订|提出|建立)措施)(?:共计|合计|共)?\\s*"
    f"(?P<after>{NUMBER})\\s*[条项个]"
    # 整改措施一条一条兑现: one by one, no figure
    r"(?!\s*一\s*[条项个件])"
)
# Feedback is given in a handful of aspects and a few dozen categories: a
# larger figure is a misreading (共指出413个方面33个问题, a 4 and a 13 run
# together where a page lost a character).
_PLAUSIBLE = {"aspects": 30, "categories": 200}
_FEEDBACK_WORD = re.compile("反馈|指出|发现")
_STATED_PROBLEMS = re.compile(f"(?:{NUMBER})\\s*{_PROBLEMS}")
_ABOUT_INSPECTION = re.compile("巡[察视]|反馈|整改")
_INSPECTION = re.compile("巡[察视]")


def find_counts(text: str) -> tuple[tuple[Count, ...], list[str]]:
    """The figures the notice announces, each with its span, and warnings.

    A figure stated twice with different values keeps the value of its
    fullest statement (the run naming most levels: 3个方面7类问题20个具体问题
    over 3个方面的7项问题), else its first; the other is reported as a warning.
    """
    found: list[tuple[Count, int]] = []
    warnings: list[str] = []
    unread: list[Span] = []
    for sentence in sentences(text):
        if _ABOUT_INSPECTION.search(sentence.text):
            found += _sentence_counts(text, sentence, unread)
    warnings += [
        f"a count phrase was seen but not read: {span.text} (at {span.start})"
        for span in unread
    ]
    found.sort(key=lambda c: c[0].span.start)
    found = _breakdowns_as_problems(found)
    for count, _ in found:
        if count.value > _PLAUSIBLE.get(count.key, count.value):
            warnings.append(
                f"{count.key} read as {count.value} ({count.span.text}): more "
                f"than {_PLAUSIBLE[count.key]}, left out as a misreading"
            )
    found = [c for c in found if c[0].value <= _PLAUSIBLE.get(c[0].key, c[0].value)]
    chosen: dict[str, tuple[Count, int]] = {}
    for count, weight in found:
        held = chosen.get(count.key)
        if held is None:
            chosen[count.key] = (count, weight)
            continue
        if held[0].value == count.value:
            continue
        warnings.append(
            f"{count.key} stated as {held[0].value} ({held[0].span.text}) "
            f"and as {count.value} ({count.span.text})"
        )
        if weight > held[1]:
            chosen[count.key] = (count, weight)
    counts = sorted((c for c, _ in chosen.values()), key=lambda c: c.span.start)
    return tuple(counts), warnings


def _breakdowns_as_problems(
    found: list[tuple[Count, int]],
) -> list[tuple[Count, int]]:
    """A breakdown into problems before any stated number of problems is the
    number of problems (see the module's docstring)."""
    result: list[tuple[Count, int]] = []
    for count, weight in found:
        if count.key == "breakdown-problems":
            stated = any(c.key == "problems" for c, _ in result)
            key = "tasks" if stated else "problems"
            result.append((Count(key, count.value, count.span), weight))
        else:
            result.append((count, weight))
    return result


@dataclass(slots=True)
class _SentenceCounts:
    """The counts read in one sentence so far, each with the number of items
    of its run (the weight `find_counts` compares statements by)."""

    text: str
    sentence: Span
    found: list[tuple[Count, int]] = field(default_factory=list)

    def add(self, key: str, num: str, start: int, end: int, weight: int = 1) -> None:
        """A count over [start, end) of the sentence."""
        base = self.sentence.start
        span = Span.of(self.text, base + start, base + end)
        self.found.append((Count(key, parse_cn_number(num), span), weight))


def _sentence_counts(
    text: str, sentence: Span, unread: list[Span]
) -> list[tuple[Count, int]]:
    """The counts of one sentence, each with the number of items of its run;
    a number of problems in a sentence about the feedback that the grammar
    does not take goes to `unread`."""
    counts = _SentenceCounts(text, sentence)
    about_inspection = _INSPECTION.search(sentence.text) is not None
    # runs no rule reads, unless another one does
    candidates = _read_runs(counts) if about_inspection else []
    _read_rectified(counts, about_inspection)
    _read_tasks(counts)
    _read_measures(counts)
    unread += [
        span for span in candidates
        if not any(c.span.start < span.end and span.start < c.span.end
                   for c, _ in counts.found)
    ]
    return counts.found


def _read_runs(counts: _SentenceCounts) -> list[Span]:
    """The runs of a sentence about the inspection: a run after a lead is the
    feedback, one without is a total rectified or a candidate to warn of."""
    s = counts.sentence.text
    candidates: list[Span] = []
    for run in _RUN.finditer(s):
        lead = _LEAD.search(s[max(0, run.start() - 48) : run.start()])
        if lead is None:
            candidate = _unled_run(counts, run)
            if candidate is not None:
                candidates.append(candidate)
        elif not _SELF_EXAMINATION.search(lead.group()):
            _led_run(counts, run)
    return candidates


def _unled_run(counts: _SentenceCounts, run: re.Match[str]) -> Span | None:
    """A run without a lead: 截至目前,共计12个问题已整改完成 is the total
    rectified; a number of problems beside 反馈/指出 is returned as a
    candidate for `unread`."""
    s, base = counts.sentence.text, counts.sentence.start
    done = _DONE_AFTER.match(s, run.end())
    last = list(_ITEM.finditer(s, run.start(), run.end()))[-1]
    if done and last.group("problems") and _TOTAL.search(s[: run.start()]):
        counts.add("rectified", last.group("num"), last.start(), done.end())
    elif (
        last.group("problems")
        and _FEEDBACK_WORD.search(s)
        and not _SELF_EXAMINATION.search(s[: run.start()])
    ):
        return Span.of(counts.text, base + run.start(), base + run.end())
    return None


def _led_run(counts: _SentenceCounts, run: re.Match[str]) -> None:
    """The items of a run after a lead, weighted by their number, and the
    problems rectified when the run says they were (…,已完成整改 after it, or
    已完成…的整改 before it)."""
    s = counts.sentence.text
    problems: re.Match[str] | None = None
    items = list(_ITEM.finditer(s, run.start(), run.end()))
    for item in items:
        key = next(
            k for k in ("aspects", "categories", "problems", "aspects_of")
            if item.group(k)
        )
        counts.add(key.removesuffix("_of"), item.group("num"), item.start(),
                   item.end(), len(items))
        if key == "problems":
            problems = item
    if problems is None:
        return
    done = _DONE_AFTER.match(s, run.end())
    if done is None:
        clause = re.split("[，,]", s[: run.start()])[-1]
        if _DONE_BEFORE.search(clause):
            done = _DONE_OF.match(s, run.end())
    if done is not None:
        counts.add("rectified", problems.group("num"), problems.start(), done.end())


def _read_rectified(counts: _SentenceCounts, about_inspection: bool) -> None:
    s = counts.sentence.text
    for m in _RECTIFIED.finditer(s):
        # 已整改完成12个问题 and 20个问题,已完成整改20个 say what was
        # rectified; 完成整改17项 alone, without a number of problems beside
        # it, is one measure's work (逐项核查以往巡视、审计发现问题,完成整改17项)
        stated = s.startswith("问题", m.end()) or _STATED_PROBLEMS.search(s)
        if stated or (about_inspection and not m.group("bare")):
            counts.add("rectified", m.group("num"), m.start(), m.end())


def _read_tasks(counts: _SentenceCounts) -> None:
    """Breakdowns (细化分解为41项具体问题), tasks and tasks done; a number of
    tasks a breakdown already read is not read again."""
    s, base = counts.sentence.text, counts.sentence.start
    for m in _BREAKDOWN.finditer(s):
        key = "tasks" if m.group("noun") != "问题" else "breakdown-problems"
        counts.add(key, m.group("num"), m.start("num"), m.end())
    for m in _TASKS.finditer(s):
        if not any(
            c.key == "tasks" and c.span.end == base + m.end() for c, _ in counts.found
        ):
            counts.add("tasks", m.group("num"), m.start(), m.end())
    if "整改任务" in s:
        for m in _TASKS_DONE.finditer(s):
            counts.add(
                "tasks_done", m.group("num") or m.group("all"), m.start(), m.end()
            )


def _read_measures(counts: _SentenceCounts) -> None:
    s = counts.sentence.text
    for m in _MEASURES.finditer(s):
        counts.add("measures", m.group("num") or m.group("after"), m.start(), m.end())
