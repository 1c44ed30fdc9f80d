"""kg/extract/reading.py: a notice republished in traditional characters with
pinyin glosses is read like its simplified original and given back as
written. The text is written for this test in the shape such mirrors have."""

from __future__ import annotations

from kg.export import notice_to_dict
from kg.extract.reading import reading_of
from kg.pipeline import extract_notice
from kg.rdf.build import notice_quads

MIRROR = (
    "中共某某縣林業(yè)局黨組關於巡察整改進(jìn)展情況的通報\n"
    "根據(jù)縣委統(tǒng)一部署,2019年2月14日至3月24日,縣委第八輪巡察第三巡察組對某某縣"
    "林業(yè)和草原局黨委開展了巡察,2019年7月9日,縣委第三巡察組對我局反饋了巡察意見,"
    "指出4個方面12個問題。按照《中國共產(chǎn)黨巡視工作條例》有關(guān)規(guī)定,現(xiàn)將巡察整改"
    "進(jìn)展情況予以公佈。\n"
    "一、整改落實情況\n"
    "局黨組書記、局長張立強主持召開專題會議。\n"
)


def test_a_traditional_mirror_is_read_and_given_back_as_written() -> None:
    notice = extract_notice(MIRROR)
    found = notice_to_dict(notice)
    assert found["inspected_org"] == "某某縣林業(yè)和草原局黨委"
    assert found["inspection_group"] == "縣委第三巡察組"
    assert found["inspecting_body"] == "縣委"
    assert (found["inspection_start"], found["inspection_end"]) == (
        "2019-02-14", "2019-03-24"
    )
    assert found["feedback_date"] == "2019-07-09"
    assert found["announced_counts"]["aspects"] == 4
    assert found["announced_counts"]["problems"] == 12
    assert [(p["name"], p["role"]) for p in found["persons"]] == [("張立強", "局長")]
    [regulation] = found["regulations"]
    assert regulation["title"] == "中國共產(chǎn)黨巡視工作條例"
    assert regulation["kind"] == "party_regulation"
    # linking across notices uses the simplified form
    assert regulation["canonical"] == "中国共产党巡视工作条例"
    assert any("traditional characters" in w for w in notice.warnings)


def test_every_span_is_the_source_text_it_claims() -> None:
    notice = extract_notice(MIRROR)
    text = notice.source.text
    assert text == MIRROR.strip()  # the source, not the reading copy
    assert notice_quads(notice)
    org = notice.inspected_org
    assert org is not None
    spans = [org.span, *(p.span for p in notice.persons)]
    spans += [m.span for r in notice.regulations for m in r.mentions]
    for span in spans:
        assert text[span.start : span.end] == span.text


def test_a_simplified_notice_is_read_as_it_is() -> None:
    assert reading_of("根据县委统一部署,县委第三巡察组对某局党组进行了巡察。") is None


def test_the_reading_copy_drops_glosses_and_keeps_offsets_back() -> None:
    reading = reading_of("根據(jù)縣委統(tǒng)一部署")
    assert reading is not None
    assert reading.text == "根据县委统一部署"
    assert reading.starts[2] == len("根據(jù)")
