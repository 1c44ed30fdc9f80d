"""Persons named with a role: 党组书记章明皓, 管委会主任龙伟钢, 习近平总书记.

Precision comes before recall: a person is taken only where a role from the
lexicon (or the address 同志) stands right next to a name of the Chinese shape
(a surname from `kg/data/surnames.txt` and one or two given characters), and
never from inside a 《》 title (宫祥勋 in a film title is not a person).

- role before name (党组书记章明皓): the name must end where the sentence goes
  on with a word that follows a name (任, 坚决, 主持, punctuation…), so that
  党组书记代表党组 or 主任带头 yield nothing;
- name before role, for the roles written after a name (李强总理,
  习近平总书记);
- name before 同志 (史峰同志): 同志 is an address, not a role, so the person's
  role is "" and the span covers the name only.

One `Person` per distinct (name, role), with the span of its first occurrence:
a notice names 习近平总书记 many times, and one entry says all there is.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from kg.extract.words import starts_word
from kg.model import Person, Source, Span

_ORG = (
    "管委会|党组|党委|党工委|党总支|党支部|支部|纪工委|纪委|区委|县委|市委|省委"
    "|中央|国务院|人大常委会|政协|政府|办公室|中心|局"
)
_CORE = (
    "总书记|副书记|书记|副主任|主任|副局长|局长|副组长|组长|副县长|县长|副区长|区长"
    "|副市长|市长|副省长|省长|副总理|总理|副主席|主席|委员长|纪检委员|委员"
    "|副部长|部长|处长|科长|镇长|乡长|院长|校长|董事长|总经理"
)
# The lookahead for the first characters of the words lets the scan skip the
# other characters of the text at once (a fourth of the time; no match changes).
_ROLE_FIRST = "".join(sorted({word[0] for word in f"{_ORG}|{_CORE}".split("|")}))
_ROLE = re.compile(f"(?=[{_ROLE_FIRST}])(?:(?:{_ORG})(?=副?(?:{_CORE})))?(?:{_CORE})")
# Roles written after the name they belong to (李强总理, 习近平总书记).
_AFTER_NAME_ROLES = frozenset({"总书记", "总理", "副总理", "主席", "副主席", "委员长"})
_ADDRESS = "同志"
# What may follow a name that follows its role: 由管委会主任龙伟钢任组长,
# 党组书记章明皓坚决扛牢….
_AFTER_NAME = re.compile(
    r"(?:$|[\s,，。;；:：、)）”’]|同志|任|兼|在|主持|带头|坚决|亲自|为|等|作|讲话"
    r"|表示|指出|强调|出席|参加|的|对|向|和|就|率|代表|召集|担任|负责|分管|牵头"
    r"|听取|调研|批示|召开|要求|带队|率队)"
)
# Given names never hold these: numerals, measure words, function words.
_NOT_IN_NAME = frozenset(
    "一二两三四五六七八九十百千万个位名项条次的了是在和与及对为把被从向于就都也"
    "又而或等之其这那该某各每此本上下中内外前后年月日号"
)
# Words that begin with a surname character and sit next to roles.
_COMMON_WORDS = frozenset(
    {
        "安排", "任期", "任务", "任职", "任命", "任组", "金额", "方面", "方式",
        "方案", "方向", "管理", "单位", "单独", "包括", "商务", "连续", "齐全",
        "程序", "许多", "万元", "雷同", "江山", "龙头", "石油", "路线", "宁可",
        "温暖", "谷底", "申请", "申报", "付款", "米面", "章程", "蒙受", "苗头",
    }
)  # fmt: skip
_TITLE = re.compile(r"《[^《》]*(?:《[^《》]*》[^《》]*)*》|〈[^〈〉]*〉")


@cache
def _surnames() -> frozenset[str]:
    data = resources.files("kg") / "data" / "surnames.txt"
    lines = data.read_text(encoding="utf-8").splitlines()
    return frozenset(
        word for line in lines if not line.startswith("#") for word in line.split()
    )


def _is_name(candidate: str) -> bool:
    surnames = _surnames()
    for surname_length in (2, 1):
        surname = candidate[:surname_length]
        given = candidate[surname_length:]
        if surname in surnames and 1 <= len(given) <= 2:
            return (
                all("\u4e00" <= ch <= "\u9fff" for ch in given)
                and not any(ch in _NOT_IN_NAME for ch in given)
                and candidate[:2] not in _COMMON_WORDS
            )
    return False


def _name_after(text: str, pos: int) -> tuple[int, int] | None:
    """The name starting at `pos`, longest first, if a name-follower ends it."""
    for length in (4, 3, 2):
        end = pos + length
        if end > len(text) or not _is_name(text[pos:end]):
            continue
        if _AFTER_NAME.match(text, end):
            return pos, end
    return None


def _name_before(text: str, pos: int) -> tuple[int, int] | None:
    """The name ending at `pos`, longest first, that does not begin inside a
    word: in 学习陈希同志 the 习 of 学习 is no surname (习陈希), 陈希 is."""
    for length in (4, 3, 2):
        start = pos - length
        if start < 0 or not _is_name(text[start:pos]):
            continue
        if start > 0 and not starts_word(text, start, pos):
            continue
        return start, pos
    return None


def find_persons(source: Source) -> tuple[Person, ...]:
    text = source.text
    titles = [m.span() for m in _TITLE.finditer(text)]

    def in_title(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in titles)

    found: dict[tuple[str, str], Person] = {}

    def add(name: tuple[int, int], role: str, start: int, end: int) -> None:
        if in_title(start, end):
            return
        key = (text[name[0] : name[1]], role)
        if key not in found:
            found[key] = Person(key[0], role, Span.of(text, start, end))

    for m in _ROLE.finditer(text):
        role = m.group()
        if role in _AFTER_NAME_ROLES:
            before = _name_before(text, m.start())
            if before is not None:
                add(before, role, before[0], m.end())
                continue
        after = _name_after(text, m.end())
        if after is not None:
            add(after, role, m.start(), after[1])
    for m in re.finditer(_ADDRESS, text):
        before = _name_before(text, m.start())
        if before is not None:
            add(before, "", before[0], before[1])
    # 党委书记王建国同志: the name with its role says all that 王建国同志 says.
    with_role = {name for name, role in found if role}
    persons = (p for (name, role), p in found.items() if role or name not in with_role)
    return tuple(sorted(persons, key=lambda p: (p.span.start, p.span.end)))
