"""Evidence: the 達成率, marks with their legend and second printings extraction keeps."""

from __future__ import annotations

from pathlib import Path

from orchestration.extract.engine import extract_file
from orchestration.extract.evidence import derived_reading, legend_entries
from orchestration.extract.layouts.base import Context, Sink
from orchestration.extract.layouts.kpi_text import read_kpi_cell
from orchestration.extract.model import Cell

_REPORT = """令和5年度 地方創生推進交付金 KPIの達成状況

事業名\tKPI\t単位\t目標値\t実績値\t達成率\t評価
観光推進事業\t観光客数\t人\t1,000\t1,100\t110.0%\t○
観光推進事業\t宿泊者数\t人\t500\t450\t90.0%\t△

評価の区分：○ 目標を達成 △ 目標の80％以上 × 目標の80％未満

事業名\tKPI\t単位\t目標値\t実績値
観光推進事業\t観光客数\t人\t1,000\t1,100
観光推進事業\t宿泊者数\t人\t500\t540
"""


def test_a_legend_says_what_each_mark_means() -> None:
    entries = legend_entries("評価の区分：○ 目標を達成 △ 目標の80％以上 × 目標の80％未満")
    assert (entries["○"].meaning, entries["△"].meaning, entries["×"].meaning) == ("met", "", "not_met")
    assert (entries["△"].rate_min, entries["×"].rate_max) == (80.0, 80.0)
    grades = legend_entries("達成度　A：目標値の100%以上　B：目標値の80%以上100%未満　C：目標値の80%未満")
    assert {m: (e.meaning, e.rate_min, e.rate_max) for m, e in grades.items()} == {
        "A": ("met", 100.0, None),
        "B": ("not_met", 80.0, 100.0),
        "C": ("not_met", None, 80.0),
    }
    # "目標未達成" holds 達成: not met is read first
    assert legend_entries("○：単年度目標を達成 △：単年度目標を未達成")["△"].meaning == "not_met"


def test_a_sentence_with_one_mark_is_no_legend() -> None:
    assert legend_entries("KPIの達成状況は○のとおり") == {}
    assert legend_entries("KPI A の実績") == {}


def test_a_derived_cell_is_a_rate_a_mark_or_nothing() -> None:
    assert derived_reading("113.5%", "") == ("achievement_rate", 113.5, "%")
    assert derived_reading("95.4", "%") == ("achievement_rate", 95.4, "%")
    assert derived_reading("◎", "") == ("mark", None, "")
    assert derived_reading("未達成", "") == ("mark", None, "")
    assert derived_reading("3", "") is None  # a score of 1-5 is no rate
    assert derived_reading("－", "") is None


def test_a_report_lands_its_rates_marks_and_second_printings(tmp_path: Path) -> None:
    path = tmp_path / "r5.txt"
    path.write_text(_REPORT, encoding="utf-8")
    result = extract_file(path)
    assert len(result.observations) == 5  # 540 lands beside 450: the report prints both
    found = {(e.kind, e.kpi_name, e.measure, e.fiscal_year, e.value_text, e.meaning, e.line) for e in result.evidence}
    assert found == {
        ("achievement_rate", "観光客数", "", 2023, "110.0%", "", 4),
        ("mark", "観光客数", "", 2023, "○", "met", 4),
        ("achievement_rate", "宿泊者数", "", 2023, "90.0%", "", 5),
        ("mark", "宿泊者数", "", 2023, "△", "", 5),  # the legend gives a band, not met or not
        ("repeat", "観光客数", "target", 2023, "1,000", "", 10),
        ("repeat", "観光客数", "actual", 2023, "1,100", "", 10),
        ("repeat", "宿泊者数", "target", 2023, "500", "", 11),
        ("repeat", "宿泊者数", "actual", 2023, "540", "", 11),  # the second printing differs…
        ("repeat", "宿泊者数", "actual", 2023, "450", "", 5),  # …and each bears on the other
    }
    mark = next(e for e in result.evidence if e.value_text == "△")
    assert (mark.rate_min, mark.cell, mark.legend) == (
        80.0,
        "L5:C7",
        "評価の区分：○ 目標を達成 △ 目標の80％以上 × 目標の80％未満",
    )


def test_a_rate_in_free_text_is_evidence_on_the_kpi_just_read() -> None:
    reading = read_kpi_cell("・移住相談件数 目標値：120件／実績値：98件 達成率：81.7％", 2023)
    assert [(r.measure, r.value) for r in reading.readings] == [("target", 120.0), ("actual", 98.0)]
    sink = Sink(doc="d.txt")
    sink.free_text(Context(doc="d.txt", project="移住促進事業"), Cell("…", line=7), 1, "block", reading)
    (rate,) = sink.evidence
    assert (rate.kind, rate.project_name, rate.kpi_name, rate.fiscal_year, rate.value, rate.value_text, rate.line) == (
        "achievement_rate",
        "移住促進事業",
        "移住相談件数",
        2023,
        81.7,
        "81.7%",
        7,
    )
    assert read_kpi_cell("満足度 目標 4 実績 4 評価 3", 2023).rates == []  # a score is no rate
