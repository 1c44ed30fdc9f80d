"""The inspected unit: its grammar, its aliases and first-person references.

Grammar (EBNF over the notice text):

    inspection = "对" units ["党组织"] verb ["为期" … "的"] [variety] kind
                 ["“回头看”"] ;
    units      = unit { ("、" | "和" | "及") unit } ;   a joint inspection names each
    feedback   = "向" unit ["党组织"] ["集中"] ["进行了"] ("反馈" | "通报") ;
    unit       = first-person | named ;
    named      = part { "(" inner ")" [part] } ;  文化和旅游局(文物局,含执法大队)党组
    inner      = alias-note | 1–60 characters without parentheses ;
    alias-note = ("以下简称" | "简称") ["“"] alias ["”"] ;   (以下简称市文旅局)
    part       = 1–40 characters, no clause punctuation, quotes or parentheses ;
    first-person = "我" (局 | 院 | 委 | 校 | 厅 | 部 | 中心 | 单位 | 公司 …)
                 ["党组" | "党委" | …] | "本单位" ;
    verb       = 进行了 | 开展了 | 实施了 (了 optional) ;

The name of a unit with an alias note is the text without the note
(市文化和旅游局(以下简称市文旅局)党委 → 市文化和旅游局党委, alias 市文旅局);
its span covers the whole phrase as written. A first-person unit (我局, 我院党组)
is who publishes the notice: the unit of its title, else its publisher, else
the first unit the text names with the same head word (市法院党组 for 我院).
"""

from __future__ import annotations

import re

from kg.extract.words import starts_word
from kg.model import Organization, Span

_PART = r"[^，,。；;、：:\s“”\"'()（）《》]{1,40}?"
_INNER = r"[(（][^()（）\n]{1,60}[)）]"
NAMED = f"{_PART}(?:{_INNER}(?:{_PART})?)*"
_HEADS = (
    "局|院|委|校|厅|部|办|司|中心|单位|公司|集团|所|站|馆|会|社|行"
    "|省|市|县|区|乡|镇|街道|村|社区"
)
PARTY_ORG = "党组|党委|党工委|党总支|党支部|总支|支部"
FIRST_PERSON = f"(?:我(?:{_HEADS})|本单位)(?:{PARTY_ORG})?"
_UNIT = f"(?P<org>{FIRST_PERSON}|{NAMED})"
_ANOTHER_UNIT = f"(?P<others>(?:[、和及](?:{NAMED}))*)"
_VARIETY = "常规|专项|机动|提级|交叉|联动|政治|延伸"
_INSPECTION_TAIL = (
    r"(?:党组织)?(?:进行了?|开展了?|实施了?)(?:为期[^，,。；;]{1,8}的)?"
    f"(?:(?:{_VARIETY})+)?巡[察视]"
)
INSPECTED = re.compile(f"对{_UNIT}{_INSPECTION_TAIL}")
# 和 also joins words inside one name (市文化和旅游局): a joint inspection is
# read only where every unit it names is a Party organization.
JOINT_INSPECTED = re.compile(f"对{_UNIT}{_ANOTHER_UNIT}{_INSPECTION_TAIL}")
RECIPIENT = re.compile(
    f"向{_UNIT}(?:党组织)?(?:集中)?(?:进行了?)?(?:反馈|通报)"
)
_ALIAS_NOTE = re.compile(
    r"[(（](?:以下)?简称[“\"]?(?P<alias>[^()（）“”\"]{1,20})[”\"]?[)）]"
)
_FIRST_PERSON = re.compile(f"^{FIRST_PERSON}$")
_KINDS = (
    ("党工委", "党工委"),
    ("工作委员会", "党工委"),
    ("党总支", "党总支"),
    ("党支部", "党支部"),
    ("党组", "党组"),
    ("党委", "党委"),
)


def org_kind(name: str) -> str | None:
    """党组 | 党委 | 党工委 | 党总支 | 党支部, from the end of the name."""
    for suffix, kind in _KINDS:
        if name.endswith(suffix):
            return kind
    if name.startswith("中共") and name.endswith("委员会"):
        return "党委"
    return None


def is_first_person(name: str) -> bool:
    return _FIRST_PERSON.match(name) is not None


def organization(text: str, start: int, end: int) -> Organization:
    """The unit written at text[start:end], its alias note taken out."""
    span = Span.of(text, start, end)
    written = re.sub(r"\s+", "", span.text)
    aliases = tuple(m.group("alias") for m in _ALIAS_NOTE.finditer(written))
    name = _ALIAS_NOTE.sub("", written)
    return Organization(name=name, kind=org_kind(name), span=span, aliases=aliases)


def find_unit(
    pattern: re.Pattern[str], text: str, sentence: Span
) -> Organization | None:
    """The unit `pattern` (INSPECTED or RECIPIENT) finds in the sentence."""
    m = pattern.search(text, sentence.start, sentence.end)
    if m is None:
        return None
    return organization(text, m.start("org"), m.end("org"))


_JOINER = re.compile("[、和及]")


def find_inspected_units(text: str, sentence: Span) -> tuple[Organization, ...]:
    """The units the sentence says were inspected: one (对A党组进行了巡察), or
    each of a joint inspection (对A党组、B党组进行了巡察), where every unit named
    is a Party organization (和 also joins words inside one name)."""
    single = find_unit(INSPECTED, text, sentence)
    if single is not None:
        joint = _split(text, single.span.start, single.span.end)
        return joint or (single,)
    m = JOINT_INSPECTED.search(text, sentence.start, sentence.end)
    if m is None:
        return ()
    return _split(text, m.start("org"), m.end("others"))


def _split(text: str, start: int, end: int) -> tuple[Organization, ...]:
    """The units joined in text[start:end], if there are several and each is
    a Party organization; () otherwise."""
    units = []
    for joiner in _JOINER.finditer(text, start, end):
        units.append(organization(text, start, joiner.start()))
        start = joiner.end()
    units.append(organization(text, start, end))
    if len(units) < 2 or any(u.kind is None for u in units):
        return ()
    return tuple(units)


def resolve_first_person(
    unit: Organization, text: str, candidates: list[Span | None]
) -> Organization | None:
    """Who 我局/我院党组 is: the first candidate (the title's unit, the
    publisher) that names a unit, else the first unit named in the text with
    the same head word and Party organization (我院党组 → 市法院党组)."""
    for candidate in candidates:
        if candidate is not None and not is_first_person(candidate.text):
            name = re.sub(r"\s+", "", candidate.text)
            if len(name) >= 3:
                return Organization(name=name, kind=org_kind(name), span=candidate)
    m = re.match(f"我({_HEADS})({PARTY_ORG})?", unit.name)
    if m is None:
        return None
    head, party = m.group(1), m.group(2) or ""
    # The shortest name of 2–12 characters before the head word that begins a
    # word where the text is cut into words and names no inspector (沙窝乡 in
    # 组织召开沙窝乡…, not 召开沙窝乡 or 市委巡察临空经济区沙窝乡).
    for found in re.finditer(f"[\u4e00-\u9fff]{{1,12}}?{head}{party}", text):
        last = found.end() - len(head + party) - 2  # two characters before head
        for start in range(last, found.start() - 1, -1):
            name = text[start : found.end()]
            if _NOT_A_NAME.search(name[: -len(head + party)]):
                continue
            if starts_word(text, start, found.end()):
                return Organization(
                    name=name, kind=org_kind(name),
                    span=Span.of(text, start, found.end()),
                )
    return None


_NOT_A_NAME = re.compile("[我巡委党组对向和的在为了与及是]")
