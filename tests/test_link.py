"""Normalisation keys and gazetteers (kg/link.py): one node per regulation,
committee or category however a notice writes it."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract.regulations import find_regulations
from kg.link import (
    Gazetteer,
    canonical_regulation,
    category_key,
    default_gazetteer,
    org_key,
    regulation_key,
)
from kg.model import RegulationKind, Source

ROOT = Path(__file__).resolve().parent.parent
LAWS = Path(__file__).resolve().parents[2] / "shared" / "gazetteer" / "laws.tsv"
needs_laws = pytest.mark.skipif(
    not LAWS.is_file(),
    reason=f"user gazetteer {LAWS} (LawRefBook/Laws export) is not on this machine",
)


def rules_tsv() -> list[tuple[str, str]]:
    rows = []
    for line in (ROOT / "kg" / "data" / "rules.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("pattern\t"):
            pattern, canonical = line.split("\t")
            rows.append((pattern, canonical))
    return rows


# --- regulation_key ------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "会计法",
        "《会计法》",
        "《中华人民共和国会计法》",
        "《中华人民共和国会计法 》",
        "《中华人民共和国会计法\u3000》",  # ideographic space
        "中华人民共和国 会计法",
        "《　中华人民共和国会计法 》",  # ideographic space before
        "〈会计法〉",
    ],
)
def test_one_regulation_written_many_ways_has_one_key(written: str) -> None:
    assert regulation_key(written) == "会计法"


@pytest.mark.parametrize(
    "written",
    [
        "中国共产党支部工作条例（试行）",
        "中国共产党支部工作条例(试行)",
        "《中国共产党支部工作条例 (试行) 》",
        "中国共产党支部工作条例",
    ],
)
def test_trial_mark_is_not_part_of_identity(written: str) -> None:
    assert regulation_key(written) == "中国共产党支部工作条例"
    resolved = canonical_regulation(written)
    assert resolved.label == "中国共产党支部工作条例（试行）"
    assert resolved.kind is RegulationKind.PARTY_REGULATION


def test_edition_years_stay_part_of_identity() -> None:
    assert regulation_key("芦淞区服饰产业发展行动计划(2022-2025)") != regulation_key(
        "芦淞区服饰产业发展行动计划(2026-2030)"
    )
    assert regulation_key("芦淞区服饰产业发展行动计划（2022－2025）") == regulation_key(
        "芦淞区服饰产业发展行动计划(2022-2025)"
    )


@pytest.mark.parametrize(
    "written",
    [
        "关于加强对“三重一大”事项监督的通知",
        '关于加强对"三重一大"事项监督的通知',
        "关于加强对＂三重一大＂事项监督的通知",
        "关于加强对「三重一大」事项监督的通知",
        "关于加强对三重一大事项监督的通知",
    ],
)
def test_quote_styles_do_not_change_the_key(written: str) -> None:
    assert regulation_key(written) == "关于加强对三重一大事项监督的通知"


def test_nested_title_marks_do_not_change_the_key() -> None:
    # dongjiaduan writes the inner title in 〔〕; others use 《》 or 〈〉
    keys = {
        regulation_key("关于印发〔董家塅高科园财务制度〕的通知"),
        regulation_key("关于印发《董家塅高科园财务制度》的通知"),
        regulation_key("关于印发〈董家塅高科园财务制度〉的通知"),
    }
    assert keys == {"关于印发董家塅高科园财务制度的通知"}


def test_prc_alone_is_not_stripped_to_nothing() -> None:
    assert regulation_key("中华人民共和国") == "中华人民共和国"


def test_corpus_keys_are_shared_across_notices() -> None:
    # 《中国共产党支部工作条例(试行)》 in sanmen and 《支部工作条例》 anywhere
    # else are one entity; so are sanmen's 《会计法》 and a full title.
    text = "学习了《中国共产党支部工作条例(试行)》和《中华人民共和国会计法》"
    source = Source(text, None, "x", "utf-8", "text/plain")
    corpus = (ROOT / "examples" / "notices" / "sanmen-2023.txt").read_text("utf-8")
    sanmen = Source(
        unicodedata.normalize("NFC", corpus), None, "x", "utf-8", "text/plain"
    )
    ours = {r.key: r.canonical for r in find_regulations(source)}
    theirs = {r.key: r.canonical for r in find_regulations(sanmen)}
    assert ours.items() <= theirs.items()


# --- org_key and category_key --------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "中共三门县投资促进中心党组",
        "三门县投资促进中心党组",
        "中国共产党三门县投资促进中心党组",
        " 中共三门县投资促进中心党组\u3000",
    ],
)
def test_org_key_ignores_the_party_prefix(written: str) -> None:
    assert org_key(written) == "三门县投资促进中心党组"


def test_org_key_keeps_the_party_centre() -> None:
    assert org_key("中共中央") == "中共中央"
    assert org_key("中共中央办公厅") != org_key("办公厅")


def test_org_key_unifies_width() -> None:
    assert org_key("区委第一巡察组") == org_key("区委 第一巡察组")
    assert org_key("株洲高新区（董家塅片区）党工委") == org_key(
        "株洲高新区(董家塅片区)党工委"
    )


@pytest.mark.parametrize(
    "written",
    [
        "党建工作抓而不实",
        "“党建工作抓而不实”",
        "党建工作抓而不实,",
        " 党建工作抓而不实:",
    ],
)
def test_category_key(written: str) -> None:
    assert category_key(written) == "党建工作抓而不实"


# --- the bundled gazetteer ------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "canonical", "kind"),
    [
        ("党章", "中国共产党章程", "party_regulation"),
        ("会计法", "中华人民共和国会计法", "law"),
        ("预算法", "中华人民共和国预算法", "law"),
        ("公务员法", "中华人民共和国公务员法", "law"),
        ("监察法", "中华人民共和国监察法", "law"),
        ("信访工作条例", "信访工作条例", "law"),
        ("纪律处分条例", "中国共产党纪律处分条例", "party_regulation"),
        ("问责条例", "中国共产党问责条例", "party_regulation"),
        ("巡视工作条例", "中国共产党巡视工作条例", "party_regulation"),
        ("党内监督条例", "中国共产党党内监督条例", "party_regulation"),
        ("支部工作条例", "中国共产党支部工作条例（试行）", "party_regulation"),
        ("党组工作条例", "中国共产党党组工作条例", "party_regulation"),
        ("地方委员会工作条例", "中国共产党地方委员会工作条例", "party_regulation"),
        ("党政机关公文处理工作条例", "党政机关公文处理工作条例", "party_regulation"),
        ("干部选拔任用工作条例", "党政领导干部选拔任用工作条例", "party_regulation"),
        ("党员教育管理工作条例", "中国共产党党员教育管理工作条例", "party_regulation"),
        ("发展党员工作细则", "中国共产党发展党员工作细则", "party_regulation"),
        (
            "党委讨论决定干部任免事项守则",
            "党委（党组）讨论决定干部任免事项守则",
            "party_regulation",
        ),
        ("八项规定", "中央八项规定", "party_regulation"),
    ],
)
def test_short_forms_resolve_to_the_full_title(
    alias: str, canonical: str, kind: str
) -> None:
    resolved = canonical_regulation(f"《{alias}》")
    assert (resolved.label, resolved.kind) == (canonical, RegulationKind(kind))
    assert resolved.key == regulation_key(canonical)


def test_ambiguous_short_forms_are_not_guessed() -> None:
    # 准则 is 廉洁自律准则 or 党内政治生活若干准则 depending on context
    assert default_gazetteer().lookup("准则") is None
    assert canonical_regulation("准则").kind is None


def test_unknown_titles_are_their_own_label() -> None:
    resolved = canonical_regulation(" 三门县党的组织生活操作规范 ")
    assert resolved.label == "三门县党的组织生活操作规范"
    assert (resolved.kind, resolved.level, resolved.published) == (None, None, None)


def test_no_alias_names_another_entry() -> None:
    gazetteer = default_gazetteer()
    keys = {entry.key for entry in gazetteer}
    for entry in gazetteer:
        for alias in entry.aliases:
            found = gazetteer.lookup(alias)
            assert found is not None and found.key == entry.key, alias
            assert (
                regulation_key(alias) == entry.key or regulation_key(alias) not in keys
            )


def test_the_bundled_list_has_60_to_120_rows_of_known_kinds() -> None:
    entries = list(default_gazetteer())
    assert 60 <= len(entries) <= 120
    assert all(entry.kind is not None for entry in entries)


@pytest.mark.parametrize(("pattern", "canonical"), rules_tsv())
def test_every_rule_links_to_a_gazetteer_entry(pattern: str, canonical: str) -> None:
    entry = default_gazetteer().lookup(canonical)
    assert entry is not None and entry.canonical == canonical


# --- user gazetteers ------------------------------------------------------------


@needs_laws
def test_user_gazetteer_adds_levels_and_dates_to_bundled_entries() -> None:
    gazetteer = Gazetteer.load([LAWS])
    entry = gazetteer.lookup("《中华人民共和国会计法》")
    assert entry is not None
    assert entry.canonical == "中华人民共和国会计法"  # the bundled title wins
    assert entry.level == "法律"
    assert [v.published for v in entry.versions] == ["2024-06-28", "2017-11-04"]
    assert entry.published == "2024-06-28"


@needs_laws
@pytest.mark.parametrize(
    ("title", "canonical", "kind", "level"),
    [
        ("体育法", "体育法", "law", "法律"),
        ("中华人民共和国体育法", "体育法", "law", "法律"),
        ("保守国家秘密法实施条例", "保守国家秘密法实施条例", "law", "行政法规"),
        (
            "人民检察院刑事诉讼规则",
            "人民检察院刑事诉讼规则",
            "normative_document",
            "司法解释",
        ),
    ],
)
def test_user_gazetteer_lookups(
    title: str, canonical: str, kind: str, level: str
) -> None:
    resolved = Gazetteer.load([LAWS]).canonical(title)
    assert (resolved.label, resolved.kind, resolved.level) == (
        canonical,
        RegulationKind(kind),
        level,
    )


@needs_laws
def test_user_gazetteer_keeps_the_newest_version_and_all_others() -> None:
    gazetteer = Gazetteer.load([LAWS])
    # laws.tsv lists 人民检察院刑事诉讼规则（试行） (2012, expired) and the 2019 rule
    entry = gazetteer.lookup("人民检察院刑事诉讼规则(试行)")
    assert entry is not None
    assert entry.canonical == "人民检察院刑事诉讼规则"
    assert (entry.published, entry.expired) == ("2019-12-02", False)
    assert len(entry.versions) == 2
    retired = gazetteer.lookup("信访条例")
    assert retired is not None and retired.expired is True


@needs_laws
def test_user_gazetteer_dates_reach_the_regulations() -> None:
    corpus = (ROOT / "examples" / "notices" / "sanmen-2023.txt").read_text("utf-8")
    source = Source(
        unicodedata.normalize("NFC", corpus), None, "x", "utf-8", "text/plain"
    )
    by_title = {r.title: r for r in find_regulations(source, Gazetteer.load([LAWS]))}
    assert (by_title["会计法"].level, by_title["会计法"].published) == (
        "法律",
        "2024-06-28",
    )
    assert by_title["信访工作条例"].published == "2022-02-25"


def test_user_gazetteer_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.tsv"
    with pytest.raises(InputError, match="missing.tsv"):
        Gazetteer.load([missing])
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\tlevel\tpublished\n会计法\t法律\t2024/06/28\n", "utf-8")
    with pytest.raises(InputError, match=r"bad.tsv: line 2: published"):
        Gazetteer.load([bad])
    latin = tmp_path / "latin.tsv"
    latin.write_bytes("会计法\t法律\n".encode("gb18030"))
    with pytest.raises(InputError, match="not UTF-8"):
        Gazetteer.load([latin])


def test_user_rows_without_dates_load(tmp_path: Path) -> None:
    user = tmp_path / "mine.tsv"
    user.write_text("三门县党的组织生活操作规范\t地方性法规\n", "utf-8")
    entry = Gazetteer.load([user]).lookup("《三门县党的组织生活操作规范》")
    assert entry is not None
    assert (entry.kind, entry.published) == (RegulationKind.NORMATIVE_DOCUMENT, None)


def test_link_and_extractors_stay_free_of_rdflib() -> None:
    # docs/architecture.md import boundaries: only kg/rdf and kg/store import rdflib.
    code = (
        "import sys, kg.link, kg.extract.regulations;"
        "sys.exit(int('rdflib' in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
