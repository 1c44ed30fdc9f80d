"""kg/ingest.py, kg/decode.py, kg/webpage.py: bytes → Source, on the five corpus
notices."""

from __future__ import annotations

import codecs
import hashlib
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.decode import NEVER_COMBINING
from kg.errors import InputError, LimitError
from kg.ingest import (
    MAX_NOTICE_CHARS,
    read_source,
    source_from_bytes,
    source_from_text,
)
from tests.webpage import wrap_in_gov_page

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "notices"
NOTICES = sorted(p.stem for p in CORPUS.glob("*.txt"))


def corpus_text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_bytes().decode("utf-8")


def ingested(stem: str) -> str:
    return read_source(CORPUS / f"{stem}.txt").text


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_corpus_has_the_five_notices() -> None:
    assert NOTICES == [
        "dongjiaduan-2022",
        "dongying-2021",
        "luozhuang-2021",
        "sanmen-2023",
        "zaozhuang-2018",
    ]


# --- decoding --------------------------------------------------------------

ENCODINGS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8 BOM": (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
    "utf-16 LE BOM": (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
    "utf-16 BE BOM": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    "gb18030": (lambda t: t.encode("gb18030"), "gb18030"),
    "gbk": (lambda t: t.encode("gbk"), "gb18030"),
}


@pytest.mark.parametrize("stem", NOTICES)
@pytest.mark.parametrize("label", list(ENCODINGS))
def test_each_encoding_decodes_to_the_utf8_text(
    tmp_path: Path, stem: str, label: str
) -> None:
    text = corpus_text(stem)
    if label == "gbk":
        # GBK has no NBSP; luozhuang's page table has them. GB18030 does.
        text = text.replace("\xa0", " ")
    encode, recorded = ENCODINGS[label]
    data = encode(text)
    source = read_source(write(tmp_path, f"{stem}.txt", data))
    assert source.encoding == recorded
    assert source.text == source_from_text(text).text
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.media_type == "text/plain"
    assert source.warnings == ()


@pytest.mark.parametrize(
    ("stem", "cut_inside"),
    [
        ("dongying-2021", "通报"),  # the title's last character, cut after 1 byte
        ("sanmen-2023", "“一把手”"),
        ("zaozhuang-2018", "《关于市委第一巡察组"),
    ],
)
@pytest.mark.parametrize("keep", [1, 2])
def test_file_cut_mid_character_keeps_the_text_before_it(
    tmp_path: Path, stem: str, cut_inside: str, keep: int
) -> None:
    text = corpus_text(stem)
    end = text.index(cut_inside) + 1  # the cut falls inside this character
    data = text[:end].encode("utf-8")[: len(text[: end - 1].encode("utf-8")) + keep]
    source = read_source(write(tmp_path, "cut.txt", data))
    assert source.encoding == "utf-8"
    assert source.text == source_from_text(text[: end - 1]).text
    assert source.warnings == (
        f"truncated UTF-8 sequence at the end dropped ({keep} bytes)",
    )


def test_invalid_utf8_in_the_middle_names_the_byte(tmp_path: Path) -> None:
    head = corpus_text("luozhuang-2021")[:300].encode("utf-8")
    data = head + b"\xff\xfe" + corpus_text("sanmen-2023").encode("utf-8")
    with pytest.raises(InputError) as caught:
        read_source(write(tmp_path, "luozhuang.txt", data))
    assert caught.value.reason == (
        f"not UTF-8, GB18030 or UTF-16 text (invalid byte 0xFF at byte {len(head)})"
    )


def test_binary_data_error_names_file_and_offset(tmp_path: Path) -> None:
    text = corpus_text("luozhuang-2021").encode("utf-8")
    data = text[:312] + b"\x00\x00\x01\x02" + text[312:400]
    path = write(tmp_path, "luozhuang.txt", data)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value).startswith(
        f"{path}: not UTF-8, GB18030 or UTF-16 text (binary data at byte 312)"
    )


def test_many_control_characters_are_binary(tmp_path: Path) -> None:
    sentence = corpus_text("sanmen-2023").split("\n")[2].encode("utf-8")
    data = sentence + bytes(range(1, 9)) * 40
    with pytest.raises(InputError, match=f"binary data at byte {len(sentence)}"):
        read_source(write(tmp_path, "x.txt", data))


def test_stray_dos_end_of_file_mark_is_dropped_with_a_warning(tmp_path: Path) -> None:
    text = corpus_text("zaozhuang-2018")
    source = read_source(write(tmp_path, "x.txt", text.encode("utf-8") + b"\x1a"))
    assert source.text == ingested("zaozhuang-2018")
    assert source.warnings == ("1 control characters dropped",)


def test_utf16_with_binary_content_is_rejected(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "巡察\x00整改".encode("utf-16-le")
    with pytest.raises(InputError, match="binary data at byte 6"):
        read_source(write(tmp_path, "x.txt", data))


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(write(tmp_path, "empty.txt", b""))
    assert caught.value.reason == "empty file"


@pytest.mark.parametrize(
    "data",
    [b" ", b"\n\n\r\n", b"\t \n", "\u3000\u3000\n".encode(), codecs.BOM_UTF8 + b"\n"],
)
def test_whitespace_only_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        read_source(write(tmp_path, "blank.txt", data))
    assert caught.value.reason == "no text, only whitespace"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.txt")


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24
ZIP = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("notice.pdf", PDF, "PDF"),
        ("notice.txt", PDF, "PDF"),  # magic bytes win over a misleading suffix
        ("notice.doc", OLE, "DOC"),
        ("notice.txt", OLE, "OLE container: DOC, XLS or WPS"),
        ("notice.docx", ZIP, "DOCX"),
        ("notice.html", ZIP, "ZIP container: DOCX, XLSX, OFD or ZIP"),
        ("notice.wps", OLE, "WPS"),
        ("notice.xls", OLE, "XLS"),
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        # The suffix alone is enough: a .docx is not text whatever its bytes.
        ("notice.docx", "巡察整改".encode(), "DOCX"),
    ],
)
def test_unsupported_file_types(
    tmp_path: Path, name: str, data: bytes, kind: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_source(write(tmp_path, name, data))
    assert caught.value.reason == f"unsupported file type ({kind})"
    assert caught.value.hint == "convert it to text or HTML first"


# --- normalisation ---------------------------------------------------------


@pytest.mark.parametrize("stem", NOTICES)
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_become_lf(tmp_path: Path, stem: str, newline: str) -> None:
    data = corpus_text(stem).replace("\n", newline).encode("utf-8")
    assert read_source(write(tmp_path, "x.txt", data)).text == ingested(stem)


def test_decomposed_character_is_composed() -> None:
    line = "罗庄区(Luózhuāng)投资促进服务中心党组关于巡察整改进展情况的通报"
    decomposed = unicodedata.normalize("NFD", line)
    assert decomposed != line
    assert source_from_text(decomposed).text == line


def test_the_never_combining_ranges_hold_no_combining_mark() -> None:
    """The cost bound skips runs of these characters without looking at each:
    that is only sound while Unicode marks none of them as combining."""
    bounds = re.findall(r"(.)-(.)", NEVER_COMBINING, re.S)
    assert len(bounds) == 8  # the ranges are the whole pattern
    marks = [
        f"U+{code:04X}"
        for low, high in bounds
        for code in range(ord(low), ord(high) + 1)
        if unicodedata.combining(chr(code))
    ]
    assert marks == []


FULL_WIDTH = [
    "（一）指导思想。深入贯彻习近平新时代中国特色社会主义思想和党的十九大精神，",
    "问题：（1）没有把学习贯彻落实习近平新时代中国特色社会主义思想和党的十九大精神作为首要政治任务",
    "截至目前，巡察反馈的三个方面21个问题，已完成整改21个；新制定制度1项。",
    "联系方式：电话（0539）8243981；电子邮箱lzqtzcjfwzx@ly.shandong.cn。",
    "\u3000\u3000一、提高政治站位，增强政治自觉",
    "１．针对“学习贯彻不够”问题的整改进展情况。",
]


@pytest.mark.parametrize("line", FULL_WIDTH)
def test_full_width_punctuation_stays_as_written(line: str) -> None:
    assert source_from_text(line).text == line


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("\ufeff根据区委统一部署,", "根据区委统一部署,"),
        ("巡察\u200b整改\u200d进展", "巡察整改进展"),
        ("索\u00a0引\u00a0号\u00a0 luozhuangqulz242", "索 引 号  luozhuangqulz242"),
        ("一、总体要求 \t\u3000\n(一)指导思想。 ", "一、总体要求\n(一)指导思想。"),
        ("一、总体要求\u2028(一)指导思想。", "一、总体要求\n(一)指导思想。"),
        (
            "\n一、总体要求\n\n\u3000\n\xa0\n(一)指导思想。\n",
            "一、总体要求\n(一)指导思想。",
        ),
    ],
)
def test_invisible_characters_nbsp_and_trailing_spaces(
    written: str, normalised: str
) -> None:
    assert source_from_text(written).text == normalised


@pytest.mark.parametrize("stem", NOTICES)
def test_one_line_per_paragraph_without_blank_lines(stem: str) -> None:
    # luozhuang-2021 was saved with a blank line after each paragraph, as pages
    # rendered to text often are; the others were not. Both give the same text.
    paragraphs = [line.strip() for line in ingested(stem).split("\n")]
    assert all(paragraphs)
    raw = [line for line in corpus_text(stem).split("\n") if line.strip()]
    assert len(paragraphs) == len(raw) - len(REMOVED.get(stem, []))


def test_source_from_text_identity() -> None:
    text = corpus_text("sanmen-2023")
    source = source_from_text(text)
    assert source.path is None
    assert source.encoding == "utf-8"
    assert source.media_type == "text/plain"
    assert source.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert source.text == text


def test_twenty_megabyte_single_line_fails_fast_before_normalisation(
    tmp_path: Path,
) -> None:
    line = corpus_text("dongying-2021").replace("\n", "")
    data = (line * (20_000_000 // len(line.encode("utf-8")) + 1)).encode("utf-8")
    data = data[: data.rindex("。".encode()) + 3]  # end on a whole character
    assert len(data) > 19_900_000
    path = write(tmp_path, "big.txt", data)
    started = time.perf_counter()
    with pytest.raises(LimitError) as raised:
        read_source(path)
    elapsed = time.perf_counter() - started
    characters = len(data.decode("utf-8"))
    assert str(raised.value) == (
        f"{path}: too long for one notice ({characters:,} characters; kg reads "
        f"notices of up to {MAX_NOTICE_CHARS:,}) (split it into one file per notice)")
    assert elapsed < 5, f"{elapsed:.1f} s for 20 MB"


def test_a_single_line_at_the_length_limit_is_read_whole(tmp_path: Path) -> None:
    line = corpus_text("dongying-2021").replace("\n", "")
    text = (line * (MAX_NOTICE_CHARS // len(line) + 1))[:MAX_NOTICE_CHARS]
    path = write(tmp_path, "long.txt", text.encode("utf-8"))
    started = time.perf_counter()
    source = read_source(path)
    assert source.text == text
    assert time.perf_counter() - started < 5


# --- chrome lines in plain text --------------------------------------------

REMOVED = {
    "luozhuang-2021": [
        "无障碍浏览",
        "您现在的位置: 首页 > 法定主动公开内容 > 结果公开 > 巡察整改 > 正文",
        "关闭窗口",
        "下载Word 下载PDF",
    ],
}
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])"
)


@pytest.mark.parametrize("stem", NOTICES)
def test_only_chrome_lines_are_removed(stem: str) -> None:
    raw = corpus_text(stem).replace("\xa0", " ").split("\n")
    kept = Counter(ingested(stem).split("\n"))
    removed = [line for line in raw if line.rstrip() and not kept[line.rstrip()]]
    assert removed == REMOVED.get(stem, [])


@pytest.mark.parametrize("stem", NOTICES)
def test_titles_and_headings_survive(stem: str) -> None:
    raw, text = corpus_text(stem), ingested(stem)
    assert re.findall("《[^》]*》", raw) == re.findall("《[^》]*》", text)
    headings = [line for line in raw.split("\n") if HEADING.match(line)]
    assert headings
    assert [line for line in text.split("\n") if HEADING.match(line)] == headings


def test_page_info_line_with_font_widget_is_kept() -> None:
    first = ingested("dongjiaduan-2022").split("\n")[0]
    assert first.startswith("更新时间:2023-03-02浏览次数:来源:株洲高新区董家塅片区")
    assert first.endswith("字体[ 大 中 小 ]")


@pytest.mark.parametrize(
    "line",
    [
        "【打印本页】【关闭窗口】",
        "[ 打印 ] [ 关闭 ]",
        "字体：【大】【中】【小】",
        "分享到：微信 微博 QQ空间",
        "扫一扫在手机打开当前页",
        "上一篇：罗庄区投资促进服务中心2020年工作总结",
        "当前位置：首页 > 信息公开 > 巡察整改",
        "下载word 下载pdf",
    ],
)
def test_chrome_line_variants_are_removed(line: str) -> None:
    text = corpus_text("sanmen-2023")
    assert source_from_text(f"{line}\n{text}\n{line}").text == text


@pytest.mark.parametrize(
    "line",
    [
        # Notice lines that mention chrome words but carry content.
        "带头督促提醒,推动落实巡察整改责任。",
        "下载学习强国APP,组织党员开展线上学习。",
        "打印并张贴《关于严禁违规收送礼品礼金的通知》。",
        "关闭违规开设的微信公众号2个。",
    ],
)
def test_content_lines_with_chrome_words_are_kept(line: str) -> None:
    assert source_from_text(line).text == line


# --- web pages -------------------------------------------------------------

PAGES = {
    "dongjiaduan-2022": (
        "株洲高新区董家塅片区党工委关于巡察整改进展情况的通报",
        {"来源": "株洲高新区董家塅片区", "更新时间": "2023-03-02"},
    ),
    "dongying-2021": (
        "中共东营市委经济技术开发区工作委员会关于巡察整改进展情况的通报",
        {"发布机构": "东营经济技术开发区党工委", "发布日期": "2021-12-15"},
    ),
    "luozhuang-2021": (
        "罗庄区投资促进服务中心党组关于巡察整改进展情况的通报",
        {
            "索引号": "luozhuangqulz242/2021-0000011",
            "公开方式": "主动公开",
            "信息名称": "罗庄区投资促进服务中心党组关于巡察整改进展情况的通报",
            "成文日期": "2021-03-11",
            "公开日期": "2021-03-11",
            "发布机构": "罗庄区投资促进服务中心",
        },
    ),
    "sanmen-2023": (
        "中共三门县投资促进中心党组关于巡察整改进展情况的通报",
        {"发布机构": "中共三门县投资促进中心党组", "主题分类": "巡察整改"},
    ),
    "zaozhuang-2018": (
        "枣庄高新区党委关于巡察整改进展情况的通报",
        {"发布机构": "枣庄高新区党委", "主题分类": "巡察整改"},
    ),
}
# Notices whose text does not itself carry the title: the page's <h1> goes first.
TITLE_ADDED = {"dongjiaduan-2022", "zaozhuang-2018"}


def gov_page(stem: str) -> str:
    title, metadata = PAGES[stem]
    return wrap_in_gov_page(corpus_text(stem), title=title, metadata=metadata)


@pytest.mark.parametrize("stem", NOTICES)
def test_wrapped_notice_gives_back_its_lines(tmp_path: Path, stem: str) -> None:
    title, metadata = PAGES[stem]
    source = read_source(write(tmp_path, f"{stem}.html", gov_page(stem).encode()))
    notice = ingested(stem).split("\n")
    header = [f"{label}: {value}" for label, value in metadata.items()]
    if stem in TITLE_ADDED:
        header.insert(0, title)
    assert source.text.split("\n") == header + notice
    assert source.metadata == tuple(metadata.items())
    assert source.media_type == "text/html"
    assert source.encoding == "utf-8"


@pytest.mark.parametrize(
    "page_text",
    [
        "统计代码",  # script
        "请使用微信扫一扫分享",  # inline script at the end
        "doZoom",
        "微软雅黑",  # style
        "无障碍浏览",
        "您现在的位置",
        "政务公开",  # nav menu
        "相关信息",  # sidebar
        "回头看”工作的通知",  # sidebar link
        "打印本页",
        "关闭窗口",
        "上一篇",
        "分享到",
        "网站标识码",  # footer
        "搜索",  # header form
    ],
)
def test_page_chrome_is_not_in_the_text(tmp_path: Path, page_text: str) -> None:
    page = gov_page("sanmen-2023")
    assert page_text in page
    source = read_source(write(tmp_path, "sanmen.html", page.encode()))
    assert page_text not in source.text


def test_gbk_page_declared_in_meta(tmp_path: Path) -> None:
    page = gov_page("dongying-2021").replace("charset=utf-8", "charset=gb2312")
    source = read_source(write(tmp_path, "page.htm", page.encode("gbk")))
    assert source.encoding == "gb18030"
    assert source.text == read_source(write(tmp_path, "u.htm", page.encode())).text


def test_big5_page_declared_in_meta() -> None:
    # GB18030 would also decode these bytes, to nonsense: the declaration decides.
    lines = [
        "關於巡察整改進展情況的通報",
        "根據區委統一部署，區委第一巡察組對黨組進行了巡察。",
    ]
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    page = _page(f'<div class="content">{paragraphs}</div>').decode()
    page = page.replace("<head>", '<head><meta charset="big5">')
    source = source_from_bytes(page.encode("big5"), "page.html")
    assert source.encoding == "big5"
    assert source.text.split("\n") == lines


@pytest.mark.parametrize("media_type", ["text/html", "text/plain"])
def test_media_type_overrides_sniffing(media_type: str) -> None:
    page = gov_page("sanmen-2023").encode()
    source = source_from_bytes(page, "notice.htm", media_type=media_type)
    assert source.media_type == media_type
    assert ("<script" in source.text) is (media_type == "text/plain")


def test_page_sniffed_without_html_suffix(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "saved.txt", gov_page("sanmen-2023").encode()))
    assert source.media_type == "text/html"
    assert source.metadata == tuple(PAGES["sanmen-2023"][1].items())


ZAOZHUANG_TITLE = PAGES["zaozhuang-2018"][0]


def _page(body: str, title: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body>{body}</body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("page_title", "first"),
    [
        (f"{ZAOZHUANG_TITLE}_枣庄高新区", [ZAOZHUANG_TITLE]),
        (f"枣庄高新区 - {ZAOZHUANG_TITLE}", [ZAOZHUANG_TITLE]),
        ("枣庄高新技术产业开发区门户网站", []),  # a site name is not a title
    ],
)
def test_title_from_title_element(page_title: str, first: list[str]) -> None:
    lines = corpus_text("zaozhuang-2018").split("\n")
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    body = (
        f'<div class="nav"><a href="/">首页</a></div><div id="zoom">{paragraphs}</div>'
    )
    source = source_from_bytes(_page(body, page_title), "page.html")
    assert source.text.split("\n") == [*first, *lines]


def test_whole_page_in_one_form_is_kept() -> None:
    # ASP.NET WebForms pages wrap the entire body in <form id="form1">.
    lines = corpus_text("sanmen-2023").split("\n")[:6]
    body = (
        '<form method="post" id="form1"><div class="menu"><a href="/">首页</a></div>'
        '<div class="TRS_Editor"><div class="Custom_UnionStyle">'
        + "".join(f"<p>{line}</p>" for line in lines)
        + '</div></div><div class="bottom">【<a>关闭窗口</a>】</div></form>'
    )
    assert source_from_bytes(_page(body), "page.aspx").text.split("\n") == lines


def test_br_separated_notice_and_info_bar() -> None:
    lines = corpus_text("luozhuang-2021").split("\n")[6:14]
    body = (
        '<div class="main">'
        "<h2>罗庄区投资促进服务中心党组关于巡察整改进展情况的通报</h2>"
        '<div class="info">发布时间：2021-03-11 来源：罗庄区投资促进服务中心 '
        "浏览次数：128 【字体：大 中 小】</div>"
        '<div id="zoom">' + "<br>\n".join(lines) + "</div></div>"
    )
    source = source_from_bytes(_page(body), "page.html")
    assert source.metadata == (
        ("发布时间", "2021-03-11"),
        ("来源", "罗庄区投资促进服务中心"),
    )
    expected = ["发布时间: 2021-03-11", "来源: 罗庄区投资促进服务中心"]
    assert source.text.split("\n") == expected + [line for line in lines if line]


@pytest.mark.parametrize(
    ("bar", "pairs"),
    [
        (
            "发表时间：2021-03-11 来源：罗庄区投资促进服务中心 点击数：7",
            (("发表时间", "2021-03-11"), ("来源", "罗庄区投资促进服务中心")),
        ),
        (
            "发布时间：2021-03-11 发文日期：2021-03-10 【打印】【关闭】",
            (("发布时间", "2021-03-11"), ("发文日期", "2021-03-10")),
        ),
    ],
)
def test_every_page_label_head_reads_ends_an_info_bar_value(
    bar: str, pairs: tuple[tuple[str, str], ...]
) -> None:
    """The info bar is read by the labels of kg.extract.head (发表时间 and
    发文日期 are dates it reads), so no value runs on into the next field."""
    lines = corpus_text("luozhuang-2021").split("\n")[6:14]
    body = (
        "<h1>罗庄区投资促进服务中心党组关于巡察整改进展情况的通报</h1>"
        f'<div class="info">{bar}</div>'
        '<div id="zoom">' + "".join(f"<p>{line}</p>" for line in lines) + "</div>"
    )
    assert source_from_bytes(_page(body), "page.html").metadata == pairs


def test_notice_table_inside_the_body_is_kept() -> None:
    rows = [
        ("序号", "问题", "整改措施"),
        ("1", "学习贯彻不够", "制定理论学习中心组学习计划"),
        ("2", "发文机关印章使用不规范", "修订《公文处理办法》"),
    ]
    table = (
        "<table>"
        + "".join(
            "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
            for row in rows
        )
        + "</table>"
    )
    body = (
        f'<div class="TRS_Editor"><p>一、整改情况</p>{table}<p>2021年3月11日</p></div>'
    )
    source = source_from_bytes(_page(body), "page.html")
    assert source.metadata == ()
    assert source.text.split("\n") == [
        "一、整改情况",
        *("\t".join(row) for row in rows),
        "2021年3月11日",
    ]


def test_page_without_text() -> None:
    with pytest.raises(InputError, match="no notice text"):
        source_from_bytes(_page("<script>var a = '巡察';</script>"), "page.html")
