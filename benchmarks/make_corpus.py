"""Generate a deterministic benchmark corpus of N notices.

    python benchmarks/make_corpus.py 1000 benchmarks/corpus/1000
    python benchmarks/make_corpus.py 400 /tmp/city-400 --shape city

Each notice is built on one of the real example notices and keeps its frame:
the top-level sections stay in their order, and the aspects (方面) of the
section that reports the problems are a subset of the base's, kept in order and
renumbered, so notices differ in how many aspects, problems and measures they
hold while every aspect still reads as a real one. Around them the notice gets
a new inspected unit, party committee, inspection group, dates and announced
counts (the aspects it really has, the problems it really lists).

The place names of the base are replaced by the new notice's locality, so a
local body and a local 《》 title (《罗庄区…办法》) belong to that locality, as in
reality; a share of the titles is swapped for titles drawn from a pool of
national ones with a Zipf-like distribution, so that a few regulations recur
across many notices and most are local. A share of the notices uses
full-width punctuation, another half-width, about one in ten is an HTML page
and one in twenty a GB18030 text file, as Chinese government sites serve them.

With ``--shape city`` the notices are a city's instead: one committee (市委),
N/20 groups that each inspect three units a round, two rounds a year, every
notice of a group naming the same group and committee, and about one in ten a
巡察“回头看” of a unit inspected before — the shape that makes rows multiply
when a query joins shared nodes across notice graphs.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import random
import re
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"

# Heading markers of the genre at the start of a line: 一、 (top level) and
# （一） or (一) (second level).
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、", re.MULTILINE)
SECOND_HEADING = re.compile(r"^([（(])[一二三四五六七八九十]{1,3}([）)])", re.MULTILINE)
# Numbered items inside an aspect: 1. 1、 / (1) / ① at the start of a line.
ITEM_MARKER = re.compile(
    r"^(?:(\d{1,2}[.、．])|([（(]\d{1,2}[）)])|([①-⑳]))", re.MULTILINE
)
TITLE = re.compile(r"《[^《》\n]{1,80}》")
# Place names of the example notices, longest first: each becomes the new
# notice's locality. Provinces stay: a provincial rule is shared by the
# notices of that province.
BASE_PLACES = re.compile(
    "株洲高新技术产业开发区董家塅片区|株洲高新区董家塅片区|董家塅高科园|董家塅片区|董家塅"
    "|东营经济技术开发区|东营市|东营|罗庄区|罗庄|三门县|三门|枣庄高新区|枣庄市|枣庄"
    "|株洲市|株洲|芦淞区|临沂市"
)

SYLLABLES = (
    "安白宝北昌成城崇大丹德定东丰福阜高广海汉和河衡红湖华怀淮黄会吉嘉建江金晋京靖九康莱"
    "兰乐黎利临灵龙鹿罗洛梅蒙明南宁平浦齐祁青清庆泉仁荣瑞山商上邵石寿顺松泰唐天通桐万威"
    "文武西仙湘祥新信兴秀宣阳扬宜义永于榆玉元岳云枣漳长昭肇镇正中忠周株庄资遵"
)
UNITS = """投资促进服务中心 市场监督管理局 自然资源局 财政局 教育局 卫生健康局
交通运输局 住房和城乡建设局 农业农村局 文化和旅游局 统计局 医疗保障局 经济技术开发区
高新技术产业开发区 人民医院 第一中学 供销合作社 街道""".split()
PARTY_ORGS = ("党组", "党委", "党工委", "党总支")
LEVELS = (("区委", "区"), ("县委", "县"), ("市委", "市"))
ORDINALS = "一二三四五六七八九十"
SHARED_TITLES = """中国共产党章程 中国共产党纪律处分条例 中国共产党问责条例
中国共产党支部工作条例(试行) 中国共产党党组工作条例 关于新形势下党内政治生活的若干准则
中国共产党廉洁自律准则 中国共产党巡视工作条例 党政机关公文处理工作条例
党政机关厉行节约反对浪费条例 党政机关国内公务接待管理规定 干部选拔任用工作条例
中国共产党发展党员工作细则 中国共产党党员教育管理工作条例 会计法 预算法 政府采购法
招标投标法 公务员法 监察法 信访工作条例 行政事业单位内部控制规范(试行) 习近平谈治国理政
习近平新时代中国特色社会主义思想学习纲要""".split()
LOCAL_HEADS = """财务管理制度 公务接待管理办法 差旅费管理办法 “三重一大”决策制度实施办法
党组会议议事规则 意识形态工作责任制实施方案 干部人事档案管理办法 考勤管理制度
党风廉政建设责任清单 理论学习中心组学习计划 公务用车管理规定
政府采购内部控制制度""".split()
HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
FULL_TO_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})


@dataclasses.dataclass(frozen=True)
class Base:
    """A real notice cut where its aspects begin and end."""

    before: str  # the top-level sections before the aspects, and the opening
    aspects: tuple[str, ...]  # each from its heading to the next aspect's
    after: str  # what follows the last aspect (下步工作打算 …)
    top_level: bool  # aspects are 一、 sections, not （一） items of one section


def split_sections(text: str) -> tuple[str, list[str]]:
    """The text before the first top-level heading, and the top-level sections."""
    starts = [m.start() for m in TOP_HEADING.finditer(text)]
    if not starts:
        return text, []
    bounds = starts + [len(text)]
    pairs = zip(bounds, bounds[1:], strict=False)
    return text[: starts[0]], [text[a:b] for a, b in pairs]


def read_base(text: str) -> Base | None:
    """The aspects of a real notice: the （一） items of its longest top-level
    section when that has several, else its top-level sections (a notice like
    sanmen-2023 gives each aspect a 一、 section of its own). The header before
    the first section is dropped: each notice gets its own."""
    _, sections = split_sections(text.replace("\r\n", "\n"))
    if not sections:
        return None
    longest = max(range(len(sections)), key=lambda i: len(sections[i]))
    container = sections[longest]
    starts = [m.start() for m in SECOND_HEADING.finditer(container)]
    if len(starts) < 2:
        return Base("", tuple(sections), "", top_level=True)
    bounds = starts + [len(container)]
    return Base(
        before="".join(sections[:longest]) + container[: starts[0]],
        aspects=tuple(container[a:b] for a, b in zip(bounds, bounds[1:], strict=False)),
        after="".join(sections[longest + 1 :]),
        top_level=False,
    )


def place_name(rng: random.Random) -> str:
    return "".join(rng.sample(SYLLABLES, 2))


def shared_title(rng: random.Random) -> str:
    # Zipf-like: the first titles of the pool are drawn far more often.
    index = min(int(rng.paretovariate(1.2)) - 1, len(SHARED_TITLES) - 1)
    return SHARED_TITLES[index]


def choose_aspects(rng: random.Random, base: Base) -> list[str]:
    """A subset of the base's aspects, in their order, renumbered."""
    total = len(base.aspects)
    low = 1 if rng.random() < 0.2 else (total + 1) // 2
    chosen = sorted(rng.sample(range(total), rng.randint(low, total)))
    renumbered = []
    for ordinal, index in enumerate(chosen):
        aspect = base.aspects[index]
        if base.top_level:
            aspect = TOP_HEADING.sub(f"{ORDINALS[ordinal]}、", aspect, count=1)
        else:
            marker = rf"\g<1>{ORDINALS[ordinal]}\g<2>"
            aspect = SECOND_HEADING.sub(marker, aspect, count=1)
        renumbered.append(aspect)
    return renumbered


def count_problems(aspect: str) -> int:
    """The items of the first numbering style under the aspect heading: the
    level a notice counts when it announces its problems (dongjiaduan-2022
    announces 12, its 1. items, not its 39 ① items)."""
    kinds = [m.lastindex for m in ITEM_MARKER.finditer(aspect)]
    return kinds.count(kinds[0]) if kinds else 0


@dataclasses.dataclass(frozen=True)
class Frame:
    """Who inspected whom and when: the parts of a notice its shape decides."""

    level: str  # the committee as the text names it: 区委, 罗庄区委
    locality: str  # the place whose names the base's place names become
    org: str  # the inspected unit's Party organisation
    group: str  # the inspection group
    year: int
    start_month: int  # 1-8
    second_look: bool = False  # a 回头看 of a unit inspected before


def distinct_frame(rng: random.Random) -> Frame:
    """Each notice its own locality, committee and group (the default)."""
    level, suffix = rng.choice(LEVELS)
    locality = place_name(rng) + suffix
    org = locality + rng.choice(UNITS) + rng.choice(PARTY_ORGS)
    group = f"{level}第{ORDINALS[rng.randrange(10)]}巡察组"
    return Frame(level, locality, org, group, rng.randrange(2016, 2025),
                 rng.randrange(1, 9))


def city_frames(n: int, rng: random.Random, groups: int) -> list[Frame]:
    """A city's corpus: one committee (the 市委) whose `groups` groups each
    inspect units round after round, two rounds a year; about one notice in
    ten is a 回头看 of a unit inspected in an earlier round."""
    city = place_name(rng) + "市"
    level = city[:-1] + "市委"
    counties = [place_name(rng) + rng.choice("区县") for _ in range(max(1, n // 15))]
    seen: list[str] = []
    frames = []
    per_round = groups * 3  # each group inspects three units a round
    for index in range(n):
        round_number, slot = divmod(index, per_round)
        group = f"{level}第{_numeral(slot % groups + 1)}巡察组"
        if seen and rng.random() < 0.1:
            org, second_look = rng.choice(seen), True
        else:
            place = city if rng.random() < 0.3 else rng.choice(counties)
            org = f"{place}{rng.choice(UNITS)}{rng.choice(PARTY_ORGS)}"
            while org in seen:
                org = f"{rng.choice(counties)}{place_name(rng)}街道党工委"
            second_look = False
        seen.append(org)
        frames.append(Frame(level, city, org, group, 2016 + round_number // 2,
                            1 + 6 * (round_number % 2) + rng.randrange(0, 2),
                            second_look))
    return frames


def _numeral(number: int) -> str:
    """1-99 in Chinese numerals: 一, 十, 十一, 二十三."""
    tens, ones = divmod(number, 10)
    text = ("" if tens < 2 else ORDINALS[tens - 1]) + ("十" if tens else "")
    return text + (ORDINALS[ones - 1] if ones else "")


def notice_text(index: int, rng: random.Random, bases: list[Base],
                frame: Frame | None = None) -> str:
    frame = frame or distinct_frame(rng)
    level, locality, org, group = frame.level, frame.locality, frame.org, frame.group
    year, start_month = frame.year, frame.start_month
    start_day, end_day = rng.randrange(1, 28), rng.randrange(1, 28)
    end_month = start_month + rng.randrange(1, 3)
    feedback_month = end_month + rng.randrange(1, 3)
    published_month = min(feedback_month + rng.randrange(2, 4), 12)
    base = rng.choice(bases)
    aspects = choose_aspects(rng, base)
    body = base.before + "".join(aspects) + base.after
    body = BASE_PLACES.sub(locality, body)
    body = TITLE.sub(
        lambda m: m.group(0) if rng.random() < 0.7 else _retitle(rng, locality), body
    )
    problems = sum(map(count_problems, aspects)) or len(aspects)
    title = (
        f"{org}关于巡察整改进展情况的通报"
        if rng.random() < 0.7
        else f"中共{org}\n关于巡察整改进展情况的通报"
    )
    counts = (
        f"对{level}巡察组反馈的{len(aspects)}个方面{problems}个问题,"
        f"已完成整改{problems - rng.randrange(0, 3) if problems > 2 else problems}个。"
        if rng.random() < 0.8
        else ""
    )
    text = (
        f"{title}\n"
        f"{rng.choice(('根据', '按照'))}{level}统一部署,{year}年{start_month}月"
        f"{start_day}日至{end_month}月{end_day}日,"
        f"{group}对{org}{rng.choice(('进行了', '开展了'))}"
        f"{'巡察“回头看”' if frame.second_look else '巡察'}。"
        f"{feedback_month}月{rng.randrange(1, 28)}日,"
        f"{group}向{org}反馈了巡察意见。按照党务公开原则和巡察工作有关要求,"
        f"现将巡察整改情况予以公布。\n"
        f"{counts}(编号{index})\n"
        f"{body.rstrip()}\n"
        f"{org}\n{year}年{published_month}月{rng.randrange(1, 28)}日\n"
    )
    return text.translate(HALF_TO_FULL if rng.random() < 0.4 else FULL_TO_HALF)


def _retitle(rng: random.Random, locality: str) -> str:
    if rng.random() < 0.6:
        return f"《{shared_title(rng)}》"
    return f"《{locality}{rng.choice(LOCAL_HEADS)}》"


def html_page(text: str) -> str:
    lines = text.strip("\n").split("\n")
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(lines[0])}</title>"
        "<script>var _hmt = _hmt || [];</script><style>.nav{color:red}</style></head>"
        "<body><div class=\"nav\"><a href=\"/\">首页</a>"
        " <a href=\"#\">无障碍浏览</a></div>"
        "<div class=\"position\">您现在的位置: 首页 > 巡察整改 > 正文</div>"
        f"<h1>{html.escape(lines[0])}</h1>"
        f"<div class=\"TRS_Editor\">\n{paragraphs}\n</div>"
        "<div class=\"footer\"><a href=\"javascript:window.close()\">关闭窗口</a></div>"
        "</body></html>\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of notices")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--html-share", type=float, default=0.1)
    parser.add_argument("--gb18030-share", type=float, default=0.05)
    parser.add_argument(
        "--shape", choices=("distinct", "city"), default="distinct",
        help="distinct: each notice its own locality, committee and group; "
        "city: one committee whose groups inspect the city's units round after "
        "round (at least 20 notices per group), some units twice (回头看)")
    args = parser.parse_args(argv)
    bases = [
        base
        for path in sorted(EXAMPLES.glob("*.txt"))
        if (base := read_base(path.read_text(encoding="utf-8"))) is not None
    ]
    if not bases:
        print(f"make_corpus: no example notices in {EXAMPLES}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    frames: list[Frame | None] = [None] * args.n
    if args.shape == "city":
        frames = list(city_frames(args.n, rng, groups=max(1, min(99, args.n // 20))))
    for index in range(args.n):
        text = notice_text(index, rng, bases, frames[index])
        kind = rng.random()
        if kind < args.html_share:
            name, data = f"notice-{index:06d}.html", html_page(text).encode("utf-8")
        elif kind < args.html_share + args.gb18030_share:
            name, data = f"notice-{index:06d}.txt", text.encode("gb18030")
        else:
            name, data = f"notice-{index:06d}.txt", text.encode("utf-8")
        (args.out / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
