"""`kg build` on bad inputs: every file ends in exactly one state in
build-report.json and in the summary (ok, ok-with-warnings, failed with the
reason, skipped), one line per problem (path, what is wrong, what to do), the
batch goes on, and the exit code says whether anything failed.

The inputs are made in tmp_path from the corpus notices. Each case runs the
real command (click's CliRunner on `kg.cli.main`, or `python -m kg` where a
hang must become a failure instead of stopping the test run).
"""

from __future__ import annotations

import ast
import base64
import codecs
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError, NotANoticeError
from kg.ingest import read_source, source_from_bytes, source_from_text
from kg.pipeline import extract_source, require_notice
from kg.rdf.iri import notice_iri
from kg.rdf.namespaces import KG
from kg.store import Store
from tests.webpage import wrap_in_gov_page

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "notices"
NOTICES = sorted(p.stem for p in CORPUS.glob("*.txt"))
SAVE_AS_TEXT = "(save it as UTF-8 text)"
NOT_A_NOTICE = (
    "not an inspection rectification notice (the text never says 巡察/巡视 or 整改) "
    "(kg reads 巡察/巡视整改进展情况的通报; leave other texts out)"
)
# What the JSON of a notice says about its file rather than its text.
FILE_FIELDS = ("id", "source", "sha256")

NEWS_ARTICLE = "\n".join(
    [
        "中超联赛第十轮：国安主场2比1力克申花",
        "新华社北京5月12日电 12日晚，2024赛季中超联赛第十轮在北京工人体育场进行，"
        "北京国安队主场以2比1战胜上海申花队。",
        "上半场第30分钟，国安队张稀哲禁区外远射破门。下半场第58分钟，"
        "申花队马莱莱头球扳平比分。",
        "第85分钟，国安队替补登场的法比奥推射得手，帮助球队锁定胜局。",
        "本轮过后，国安队以7胜2平1负积23分暂列积分榜第二位。",
    ]
)
WEATHER_REPORT = "\n".join(
    [
        "中央气象台5月12日18时发布天气预报",
        "今天夜间到明天，华北、黄淮等地有小到中雨，局地大雨；江南、华南有中到大雨。",
        "受冷空气影响，内蒙古中东部、东北地区气温将下降4～6℃，并伴有4～5级偏北风。",
        "5月13日至15日，西北地区东部、华北有一次降水过程。",
    ]
)


def corpus_text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Built:
    """What one `kg build` did: its exit code, the lines it printed to stderr
    and the report entries by path."""

    exit_code: int
    lines: list[str]
    report: dict[str, Any]
    out: Path

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        return {entry["path"]: entry for entry in self.report["files"]}

    def entry(self, path: Path) -> dict[str, Any]:
        return self.entries[str(path)]

    def lines_about(self, path: Path) -> list[str]:
        return [line for line in self.lines if line.startswith(f"{path}: ")]

    def notice_json(self, notice_id: str) -> dict[str, Any]:
        data = json.loads((self.out / "notices" / f"{notice_id}.json").read_bytes())
        assert isinstance(data, dict)
        return {k: v for k, v in data.items() if k not in FILE_FIELDS}


def kg_build(out: Path, *inputs: Path, strict: bool = False) -> Built:
    args = ["build", "-j", "1", "-o", str(out), *map(str, inputs)]
    if strict:
        args.append("--strict")
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    report = json.loads((out / "build-report.json").read_bytes())
    return Built(result.exit_code, result.stderr.splitlines(), report, out)


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def assert_one_state(built: Built, path: Path, state: str, reason: str | None) -> None:
    """`path` has exactly one report entry, in `state`, failing or skipped for
    `reason`, and the summary gives it exactly one line saying so."""
    assert [e["path"] for e in built.report["files"]].count(str(path)) == 1
    entry = built.entry(path)
    assert (entry["state"], entry["reason"]) == (state, reason)
    lines = built.lines_about(path)
    if state in ("failed", "skipped"):
        assert lines == [f"{path}: {reason}"]
    elif state == "ok-with-warnings":
        warnings = entry["warnings"]
        assert warnings
        assert lines == [f"{path}: {len(warnings)} warning(s): " + "; ".join(warnings)]
    else:
        assert entry["warnings"] == []
        assert lines == []
    assert built.report["totals"][state] >= 1


def assert_failed(built: Built, path: Path, reason: str) -> None:
    assert_one_state(built, path, "failed", reason)
    assert built.exit_code == 1
    assert built.entry(path)["triples"] == 0
    notice_id = built.entry(path)["notice_id"]
    if notice_id is not None:
        assert not (built.out / "notices" / f"{notice_id}.json").exists()


# --- one file each -------------------------------------------------------------


GIVE_TEXT = "(put the notice's text in it, or leave the file out)"
LUOZHUANG = corpus_text("luozhuang-2021").encode("utf-8")
NOT_TEXT = "not UTF-8, GB18030 or UTF-16 text"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        pytest.param("empty.txt", b"", f"empty file {GIVE_TEXT}", id="empty"),
        *(
            pytest.param(
                "blank.txt", data, f"no text, only whitespace {GIVE_TEXT}",
                id=f"whitespace-{i}",
            )
            for i, data in enumerate(
                [b" \n\t\r\n", "\u3000\u3000\n\xa0\n".encode(), b"\n" * 1000]
            )
        ),
        pytest.param(
            "luozhuang.txt",
            LUOZHUANG[:312] + b"\x00\x01\x02" + LUOZHUANG,
            f"{NOT_TEXT} (binary data at byte 312) {SAVE_AS_TEXT}",
            id="binary data, naming the byte",
        ),
        pytest.param(
            "random.txt",
            bytes(range(256)) * 8,
            f"{NOT_TEXT} (binary data at byte 0) {SAVE_AS_TEXT}",
            id="random bytes",
        ),
        pytest.param(
            "scan.txt",
            b"%PDF-1.4\n1 0 obj\n",
            "unsupported file type (PDF) (convert it to text or HTML first)",
            id="PDF data under a .txt name",
        ),
    ],
)
def test_a_file_that_holds_no_text_fails_saying_what_to_do(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = write(tmp_path / "in", name, data)
    built = kg_build(tmp_path / "out", path)
    assert_failed(built, path, reason)


def test_truncated_utf8_is_ok_with_a_warning_and_fails_under_strict(
    tmp_path: Path,
) -> None:
    text = corpus_text("luozhuang-2021")
    data = text.encode("utf-8")
    cut = len(text[:2000].encode("utf-8")) + 2  # two bytes into a character
    path = write(tmp_path / "in", "cut.txt", data[:cut])
    built = kg_build(tmp_path / "out", path)
    assert_one_state(built, path, "ok-with-warnings", None)
    assert built.entry(path)["warnings"][0] == (
        "truncated UTF-8 sequence at the end dropped (2 bytes)"
    )
    assert built.exit_code == 0
    assert built.notice_json("cut")["inspection_group"] == "区委第一巡察组"

    strict = kg_build(tmp_path / "strict", path, strict=True)
    assert_one_state(strict, path, "ok-with-warnings", None)
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    ("label", "encode"),
    [
        ("gbk", lambda t: t.replace("\xa0", " ").encode("gbk")),
        ("gb18030", lambda t: t.encode("gb18030")),
        ("utf-16-le", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
        ("utf-16-be", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
        ("utf-8-bom", lambda t: t.encode("utf-8-sig")),
        ("crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_other_encodings_and_crlf_give_the_same_facts_as_utf8_lf(
    tmp_path: Path, label: str, encode: Any
) -> None:
    text = corpus_text("luozhuang-2021")
    if label == "gbk":
        text = text.replace("\xa0", " ")  # GBK has no NBSP; the facts stay the same
    plain = write(tmp_path / "in", "plain.txt", text.encode("utf-8"))
    other = write(tmp_path / "in", f"{label}.txt", encode(text))
    built = kg_build(tmp_path / "out", plain, other)
    assert built.exit_code == 0
    assert_one_state(built, plain, "ok", None)
    assert_one_state(built, other, "ok", None)
    assert built.notice_json(label) == built.notice_json("plain")
    assert built.notice_json(label)["inspection_group"] == "区委第一巡察组"


def test_web_page_with_scripts_and_styles_gives_the_notice_only(
    tmp_path: Path,
) -> None:
    text = corpus_text("luozhuang-2021")
    page = wrap_in_gov_page(
        text,
        title="罗庄区投资促进服务中心党组关于巡察整改进展情况的通报",
        metadata={"发布机构": "罗庄区投资促进服务中心", "成文日期": "2021-03-11"},
    ).replace(
        "</body>",
        "<script>var note = '区委第九巡察组 2099年1月1日 《脚本里的条例》';</script>"
        "<style>.x:after { content: '《样式里的条例》'; }</style>"
        "<noscript>请启用脚本 巡察整改</noscript></body>",
    )
    path = write(tmp_path / "in", "罗庄 通报.html", page.encode("utf-8"))
    built = kg_build(tmp_path / "out", path)
    assert built.exit_code == 0
    assert built.entry(path)["state"] in ("ok", "ok-with-warnings")
    notice = built.notice_json("罗庄 通报")
    dumped = json.dumps(notice, ensure_ascii=False)
    for leaked in ("第九巡察组", "2099", "脚本里的条例", "样式里的条例", "请启用脚本"):
        assert leaked not in dumped
    assert notice["inspection_group"] == "区委第一巡察组"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("通报.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), ".doc"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ".pdf"),
        ("notice.docx", b"PK\x03\x04" + bytes(100), ".docx"),
    ],
)
def test_office_and_pdf_files_are_skipped_with_what_to_do(
    tmp_path: Path, name: str, data: bytes, kind: str
) -> None:
    path = write(tmp_path / "in", name, data)
    built = kg_build(tmp_path / "out", path)
    assert_one_state(
        built,
        path,
        "skipped",
        f"unsupported type ({kind}); kg reads .txt, .htm and .html "
        "(convert it to text or HTML first)",
    )
    assert built.exit_code == 0


def test_other_suffixes_are_skipped_with_a_rename_hint(tmp_path: Path) -> None:
    path = write(tmp_path / "in", "notice.md", corpus_text("luozhuang-2021").encode())
    built = kg_build(tmp_path / "out", path)
    assert_one_state(
        built,
        path,
        "skipped",
        "unsupported type (.md); kg reads .txt, .htm and .html "
        "(rename it to .txt if it is a notice's text)",
    )
    assert built.exit_code == 0


@pytest.mark.parametrize(
    ("name", "text"), [("news", NEWS_ARTICLE), ("weather", WEATHER_REPORT)]
)
def test_a_text_that_is_not_a_notice_fails_without_an_inspection(
    tmp_path: Path, name: str, text: str
) -> None:
    path = write(tmp_path / "in", f"{name}.txt", text.encode("utf-8"))
    notice = write(
        tmp_path / "in", "sanmen.txt", corpus_text("luozhuang-2021").encode()
    )
    built = kg_build(tmp_path / "out", path, notice)
    assert_failed(built, path, NOT_A_NOTICE)
    assert_one_state(built, notice, "ok", None)
    assert built.entry(path)["notice_id"] == name
    assert not (built.out / "notices" / f"{name}.ttl").exists()
    store = Store(built.out / "store", read_only=True)
    assert not store.contains_graph(notice_iri(name).value)
    # The one inspection in the graph is the notice's: none was made up.
    inspections = store.query(f"SELECT ?i WHERE {{ ?i a <{KG.Inspection}> }}").rows
    assert len(inspections) == 1
    assert str(inspections[0][0]).startswith(notice_iri("sanmen").value)


def test_notice_without_headings_is_ok_with_warnings(tmp_path: Path) -> None:
    text = (
        "罗庄区投资促进服务中心党组关于巡察整改进展情况的通报\n"
        "根据区委统一部署，2019年11月8日至12月8日，区委第一巡察组对罗庄区投资"
        "促进服务中心党组进行了巡察，2020年4月1日反馈了巡察意见。中心党组高度重视，"
        "认真抓好整改，反馈的问题已全部完成整改。\n"
    )
    path = write(tmp_path / "in", "no-headings.txt", text.encode("utf-8"))
    built = kg_build(tmp_path / "out", path)
    assert_one_state(built, path, "ok-with-warnings", None)
    assert built.entry(path)["warnings"] == [
        "no problems found under the notice's headings"
    ]
    assert built.exit_code == 0
    notice = built.notice_json("no-headings")
    assert notice["inspection_group"] == "区委第一巡察组"
    assert notice["inspection_start"] == "2019-11-08"


def test_corpus_notice_stripped_of_headings_is_ok_with_warnings(
    tmp_path: Path,
) -> None:
    heading = re.compile(
        r"(?m)^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
        r"|\d+[.．、]|[（(]\d+[)）]|[①-⑳]|问题[:：]|整改(?:完成|落实)情况[:：])"
    )
    text = heading.sub("", corpus_text("luozhuang-2021"))
    path = write(tmp_path / "in", "flat.txt", text.encode("utf-8"))
    built = kg_build(tmp_path / "out", path)
    assert_one_state(built, path, "ok-with-warnings", None)
    assert (
        "no problems found under the notice's headings"
        in (built.entry(path)["warnings"])
    )
    assert built.exit_code == 0


def test_notice_without_dates_is_ok_with_warnings(tmp_path: Path) -> None:
    date_parts = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日")
    text = date_parts.sub("", corpus_text("luozhuang-2021"))
    path = write(tmp_path / "in", "undated.txt", text.encode("utf-8"))
    built = kg_build(tmp_path / "out", path)
    assert_one_state(built, path, "ok-with-warnings", None)
    assert built.entry(path)["warnings"] == [
        "no inspection period found",
        "no feedback date found",
    ]
    assert built.exit_code == 0
    notice = built.notice_json("undated")
    assert notice["inspection_start"] is None and notice["inspection_end"] is None

    strict = kg_build(tmp_path / "strict", path, strict=True)
    assert strict.exit_code == 1


def test_unbalanced_and_empty_title_brackets_are_no_titles(tmp_path: Path) -> None:
    text = corpus_text("luozhuang-2021") + (
        "另按《未闭合的标题以及后面很长的文字，一直到行尾。\n"
        "多余的》右括号，空的《》标题，以及《〈》〈〉》嵌套。\n"
    )
    path = write(tmp_path / "in", "brackets.txt", text.encode("utf-8"))
    built = kg_build(tmp_path / "out", path)
    assert_one_state(built, path, "ok", None)
    assert built.exit_code == 0
    titles = [r["title"] for r in built.notice_json("brackets")["regulations"]]
    assert titles
    assert not [t for t in titles if "未闭合" in t or "右括号" in t or not t.strip()]


def test_file_names_with_spaces_and_chinese_characters(tmp_path: Path) -> None:
    path = write(
        tmp_path / "通报 目录",
        "三门县 投资促进中心 通报（2023）.txt",
        corpus_text("luozhuang-2021").encode("utf-8"),
    )
    built = kg_build(tmp_path / "out 输出", path)
    assert_one_state(built, path, "ok", None)
    assert built.exit_code == 0
    notice_id = built.entry(path)["notice_id"]
    assert notice_id == "三门县 投资促进中心 通报（2023）"
    assert built.notice_json(notice_id)["inspection_group"] == "区委第一巡察组"
    dataset = ox.Dataset(
        ox.parse(path=str(built.out / "graph.trig"), format=ox.RdfFormat.TRIG)
    )
    assert len(dataset) == built.report["totals"]["quads"]
    validated = CliRunner().invoke(main, ["validate", "-o", str(built.out)])
    assert validated.exit_code == 0, validated.output


def test_the_same_notice_twice_under_two_names_skips_the_second(
    tmp_path: Path,
) -> None:
    data = corpus_text("luozhuang-2021").encode("utf-8")
    first = write(tmp_path / "in", "a-sanmen.txt", data)
    second = write(tmp_path / "in", "b 三门 副本.txt", data)
    built = kg_build(tmp_path / "out", tmp_path / "in")
    assert_one_state(built, first, "ok", None)
    assert_one_state(built, second, "skipped", f"duplicate of {first}")
    assert built.entry(second)["notice_id"] is None
    assert not (built.out / "notices" / "b 三门 副本.json").exists()
    assert built.exit_code == 0


# --- links and files that cannot be read ---------------------------------------


def test_dangling_symbolic_link_fails(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    link = tmp_path / "in" / "gone.txt"
    link.symlink_to(tmp_path / "in" / "nowhere.txt")
    built = kg_build(tmp_path / "out", link)
    assert_failed(
        built,
        link,
        f"dangling symbolic link to {tmp_path / 'in' / 'nowhere.txt'} "
        "(point the link at an existing file or remove it)",
    )


def test_symbolic_link_loop_fails(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    built = kg_build(tmp_path / "out", folder)
    for name in ("a.txt", "b.txt"):
        assert_failed(
            built,
            folder / name,
            "symbolic link loop: it leads back to itself "
            "(point the link at a file or remove it)",
        )


def test_folder_link_loop_is_reported_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder, "sanmen.txt", corpus_text("luozhuang-2021").encode("utf-8"))
    (folder / "again").symlink_to(folder, target_is_directory=True)
    built = kg_build(tmp_path / "out", folder)
    assert_one_state(built, folder / "sanmen.txt", "ok", None)
    assert_failed(
        built,
        folder / "again",
        f"symbolic link loop: leads back to {folder} (remove the link)",
    )


def test_a_file_that_cannot_be_read_fails(tmp_path: Path) -> None:
    """/proc/self/mem is a regular file whose first page no process maps, so
    reading it fails with EIO even as root (where chmod 000 blocks nothing)."""
    if not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux /proc")
    (tmp_path / "in").mkdir()
    link = tmp_path / "in" / "unreadable.txt"
    link.symlink_to("/proc/self/mem")
    built = kg_build(tmp_path / "out", link)
    assert_failed(
        built,
        link,
        "cannot read: Input/output error (check the disk or copy the file elsewhere)",
    )


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads a file of mode 000",
)
def test_a_file_without_read_permission_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "in", "locked.txt", corpus_text("luozhuang-2021").encode())
    path.chmod(0)
    try:
        built = kg_build(tmp_path / "out", path)
    finally:
        path.chmod(0o644)
    assert_failed(
        built,
        path,
        "cannot read: permission denied (make it readable (chmod +r) or leave it out)",
    )


def test_a_named_pipe_fails_instead_of_waiting_for_a_writer(tmp_path: Path) -> None:
    """Run as a subprocess: reading a FIFO would block the build forever."""
    folder = tmp_path / "in"
    write(folder, "sanmen.txt", corpus_text("luozhuang-2021").encode("utf-8"))
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "kg", "build", "-j", "1", "-o", str(out), str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads((out / "build-report.json").read_bytes())
    built = Built(done.returncode, done.stderr.splitlines(), report, out)
    assert_failed(
        built,
        fifo,
        "is a named pipe (FIFO), not a file (give notices as .txt or .html files)",
    )
    assert_one_state(built, folder / "sanmen.txt", "ok", None)


# --- a folder of everything --------------------------------------------------------


def test_a_folder_of_mixed_files_reports_each_file_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = {
        name: write(folder / sub, f"{name}.txt", corpus_text(name).encode("utf-8"))
        for name, sub in zip(
            NOTICES, ["", "2021", "2021/山东", "", "旧 通报"], strict=True
        )
    }
    empty = write(folder, "empty.txt", b"")
    news = write(folder / "2021", "news.txt", NEWS_ARTICLE.encode("utf-8"))
    pdf = write(folder / "2021/山东", "scan.pdf", b"%PDF-1.4\n")
    copy = write(
        folder / "旧 通报", "三门 副本.txt",
        corpus_text("luozhuang-2021").encode("utf-8"),
    )
    write(folder, ".hidden.txt", b"not looked at")
    (folder / "empty folder").mkdir()
    dangling = folder / "2021" / "gone.txt"
    dangling.symlink_to(folder / "nowhere.txt")

    built = kg_build(tmp_path / "out", folder)

    paths = [e["path"] for e in built.report["files"]]
    assert len(paths) == len(set(paths)) == 10
    assert str(folder / ".hidden.txt") not in paths
    for path in good.values():
        assert built.entry(path)["state"] in ("ok", "ok-with-warnings")
    assert built.entry(empty)["state"] == "failed"
    assert built.entry(news)["reason"] == NOT_A_NOTICE
    assert built.entry(pdf)["state"] == "skipped"
    assert built.entry(copy)["state"] == "skipped"
    assert built.entry(dangling)["state"] == "failed"
    totals = built.report["totals"]
    assert totals["files"] == 10
    assert (totals["failed"], totals["skipped"]) == (3, 2)
    assert totals["ok"] + totals["ok-with-warnings"] == 5
    assert built.exit_code == 1
    assert re.fullmatch(
        r"10 files: (\d+ ok, )?(\d+ ok-with-warnings, )?3 failed, 2 skipped; "
        r"\d+ quads in the graph \(\d+\.\d s\)",
        built.lines[-1],
    )
    problem_lines = built.lines[:-1]
    for path in (empty, news, pdf, copy, dangling):
        assert len([ln for ln in problem_lines if ln.startswith(f"{path}: ")]) == 1


# --- a big file ------------------------------------------------------------------


def test_a_20_mb_single_line_file_fails_fast_as_too_long(tmp_path: Path) -> None:
    """Extracted as one notice it took 260 s and 2.2 GB (ok-with-warnings, one
    notice of half a million triples); refused, it takes seconds."""
    line = corpus_text("luozhuang-2021").replace("\n", "").encode("utf-8")
    size = 20 * 1024 * 1024
    data = (line * (size // len(line) + 1))[:size]
    data = data.decode("utf-8", "ignore").encode("utf-8")  # whole characters
    path = write(tmp_path / "in", "huge.txt", data)
    started = time.perf_counter()
    built = kg_build(tmp_path / "out", path)
    seconds = time.perf_counter() - started
    print(f"20 MB single line: {built.entry(path)['state']} in {seconds:.1f} s")
    characters = f"{len(data.decode('utf-8')):,}"
    assert_failed(
        built,
        path,
        f"too long for one notice ({characters} characters; kg reads notices of "
        "up to 1,000,000) (split it into one file per notice)",
    )
    assert seconds < 120


def test_a_file_too_big_to_be_a_notice_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "disk.txt"
    with path.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: no 65 MB written
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value) == (
        f"{path}: too big for one notice (65.0 MB; kg reads files up to 64 MB) "
        "(split it into one file per notice)"
    )


# --- the not-a-notice rule, on its own ------------------------------------------------


@pytest.mark.parametrize("stem", NOTICES)
def test_every_corpus_notice_passes_the_notice_check(stem: str) -> None:
    require_notice(source_from_text(corpus_text(stem), f"{stem}.txt"))


@pytest.mark.parametrize(
    "text",
    [
        "关于巡 察整改进展情况的通报",  # letter-spaced, as some titles are
        "關於巡視整改進展情況的通報",  # traditional script, from a big5 page
        "巡视反馈意见整改落实情况",
    ],
)
def test_notice_check_accepts_the_genre_words_in_any_script(text: str) -> None:
    require_notice(source_from_text(text))


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        (NEWS_ARTICLE, "巡察/巡视 or 整改"),
        ("市委第一巡察组进驻市财政局开展常规巡察。", "整改"),
        ("环保督察反馈问题整改工作推进会召开。", "巡察/巡视"),
    ],
)
def test_notice_check_names_the_missing_word(text: str, missing: str) -> None:
    with pytest.raises(NotANoticeError) as caught:
        extract_source(source_from_text(text, "x.txt"))
    assert caught.value.reason == (
        f"not an inspection rectification notice (the text never says {missing})"
    )
    assert str(caught.value).startswith("x.txt: not an inspection")


# --- safety ------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 401 to everything, echoing the request's Authorization header
    in its body, as a careless server might, and records every request."""

    requests: list[str] = []

    def _answer(self) -> None:
        _Recorder.requests.append(f"{self.command} {self.path}")
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = f"denied: {self.headers.get('Authorization')}\n".encode()
        self.send_response(401)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = _answer  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture
def recorder() -> Iterator[str]:
    """The base URL of a local server that records requests."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_web_page_is_read_without_fetching_or_expanding_entities(
    tmp_path: Path, recorder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE-CONTENT", encoding="utf-8")
    page = (
        "<?xml version='1.0'?>\n"
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">'
        f'<!ENTITY remote SYSTEM "{recorder}/entity">]>\n'
        f'<html><head><base href="{recorder}/base/">'
        f'<meta http-equiv="refresh" content="0; url={recorder}/refresh">'
        f'<link rel="stylesheet" href="{recorder}/style.css">'
        f'<script src="{recorder}/script.js"></script></head><body>'
        f'<img src="{recorder}/image.png"><iframe src="{recorder}/frame"></iframe>'
        f'<object data="{recorder}/object"></object>'
        "<p>关于巡察整改进展情况的通报</p><p>甲&xxe;乙&remote;丙</p></body></html>"
    ).encode()

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("ingest opened a network connection")

    for name in ("socket", "create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, no_network)
    source = source_from_bytes(page, "page.html")
    monkeypatch.undo()

    assert "关于巡察整改进展情况的通报" in source.text
    assert "SECRET-FILE-CONTENT" not in source.text
    assert "甲&xxe;乙&remote;丙" in source.text  # unknown entities stay as written
    assert _Recorder.requests == []


SHELL_CALLS = {
    ("os", "system"),
    ("os", "popen"),
    ("subprocess", "getoutput"),
    ("subprocess", "getstatusoutput"),
    ("asyncio", "create_subprocess_shell"),
}


def test_no_shell_is_ever_invoked_in_kg() -> None:
    """No call runs a shell: no shell=True, os.system, os.popen, os.exec*,
    os.spawn*, subprocess.getoutput; so no input-derived string reaches one."""
    found = []
    package = Path(__file__).resolve().parents[1] / "kg"
    files = sorted(package.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(package.parent)}:{node.lineno}"
            for keyword in node.keywords:
                if keyword.arg == "shell" and not (
                    isinstance(keyword.value, ast.Constant)
                    and keyword.value.value is False
                ):
                    found.append(f"{where}: shell=")
            function = node.func
            if isinstance(function, ast.Attribute) and isinstance(
                function.value, ast.Name
            ):
                call = (function.value.id, function.attr)
                if call in SHELL_CALLS or (
                    call[0] == "os" and call[1].startswith(("exec", "spawn"))
                ):
                    found.append(f"{where}: {call[0]}.{call[1]}")
    assert found == []


PASSWORD = "pa55-Wörd-never-shown"
USER = "kg-user"


def _secrets() -> list[str]:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode("ascii")
    return [PASSWORD, token, quote(PASSWORD), quote(PASSWORD, safe="")]


@pytest.fixture
def built_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "out"
    Store(out / "store").replace_graph(
        "http://example.org/notice/a",
        [
            ox.Quad(
                ox.NamedNode("http://example.org/a"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal("x"),
                ox.NamedNode("http://example.org/notice/a"),
            )
        ],
    )
    monkeypatch.setenv("KG_ENDPOINT_USER", USER)
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc of the user's
    return out


def _push(out: Path, endpoint: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["push", "--endpoint", endpoint, "-o", str(out), "--timeout", "5"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_password_is_never_shown_when_the_server_echoes_it(
    built_store: Path, recorder: str
) -> None:
    code, output = _push(built_store, f"{recorder}/store")
    assert code == 1
    assert _Recorder.requests == [
        "PUT /store?graph=http%3A%2F%2Fexample.org%2Fnotice%2Fa"
    ]
    assert "HTTP 401: denied: Basic [credentials hidden]" in output
    assert "set KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD" in output
    assert not [s for s in _secrets() if s in output]


def test_password_is_never_shown_when_the_server_is_unreachable(
    built_store: Path,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, output = _push(built_store, f"http://127.0.0.1:{port}/store")
    assert code == 1
    assert "connection refused" in output
    assert not [s for s in _secrets() if s in output]


def test_a_password_in_the_endpoint_url_is_refused_and_not_shown(
    built_store: Path, recorder: str
) -> None:
    endpoint = recorder.replace("http://", f"http://{USER}:{quote(PASSWORD)}@")
    code, output = _push(built_store, f"{endpoint}/store")
    assert code == 1
    assert _Recorder.requests == []
    assert output == (
        f"kg: {recorder.replace('http://', f'http://{USER}:***@')}/store: the URL "
        "holds a password (put it in KG_ENDPOINT_PASSWORD or ~/.netrc, "
        "not on the command line)\n"
    )
    assert not [s for s in _secrets() if s in output]


# --- usage errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build"], "Missing argument 'INPUTS...'"),
        (["build", "-j", "0", "in"], "Invalid value for '--jobs' / '-j'"),
        (["build", "--no-such-option", "in"], "No such option '--no-such-option'"),
    ],
)
def test_usage_errors_exit_with_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("Usage: ")
