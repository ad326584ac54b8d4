"""A KPI whose name, unit and year sit in three different places, in an arrangement no layout
family was written for: each number of a value table finds its labels wherever the page prints
them (its own cell, a label row under it, the table's header, the heading above the table, the
document's title), the nearest of each kind winning."""

from __future__ import annotations

import pytest
from families import expect, read

SUISHIN = "地方創生推進交付金"
TITLE = f"令和5年度 {SUISHIN} 効果検証報告（潮見台町）"
PROJECT = "潮見台ワーケーション推進事業"
KPI = "ワーケーション滞在者数"

# Name in a heading line; unit in the header's （単位：千人）; year in a 時点 row under the values.
_UNIT_IN_HEADER = [
    TITLE,
    f"事業名：{PROJECT}",
    f"■ 指標：{KPI}",
    [
        ["区分（単位：千人）", "基準値", "目標値", "実績値"],
        ["数値", "1.2", "3.0", "2.6"],
        ["時点", "R3年度", "R7年度", "R5年度"],
    ],
]
# Name in a heading line; unit in a note line above the table; year in a 時点 row.
_UNIT_IN_A_NOTE = [
    TITLE,
    f"事業名：{PROJECT}",
    f"KPI名：{KPI}",
    "（単位：千人）",
    [
        ["", "基準値", "目標値", "実績値"],
        ["数値", "1.2", "3.0", "2.6"],
        ["時点", "R3年度", "R7年度", "R5年度"],
    ],
]
# Name in a heading line; unit in a 単位 row under the values; baseline's and target's years in
# the header, the actual's in the title.
_YEAR_IN_THE_TITLE = [
    TITLE,
    f"事業名：{PROJECT}",
    f"【成果指標】{KPI}",
    [
        ["", "基準値（R3年度）", "目標値（R7年度）", "実績値"],
        ["数値", "1.2", "3.0", "2.6"],
        ["単位", "千人", "千人", "千人"],
    ],
]

_EXPECTED = [
    (SUISHIN, PROJECT, KPI, "baseline", 2021, 1.2, "千人", ""),
    (SUISHIN, PROJECT, KPI, "target", 2025, 3.0, "千人", ""),
    (SUISHIN, PROJECT, KPI, "actual", 2023, 2.6, "千人", ""),
]


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
@pytest.mark.parametrize(
    "blocks", (_UNIT_IN_HEADER, _UNIT_IN_A_NOTE, _YEAR_IN_THE_TITLE), ids=("unit_in_header", "unit_note", "title_year")
)
def test_a_kpi_whose_name_unit_and_year_sit_in_three_places(tmp_path, fmt, blocks):
    assert read(fmt, tmp_path, blocks) == expect(_EXPECTED)


@pytest.mark.parametrize("fmt", ("txt", "xlsx"))
def test_a_heading_kpi_name_does_not_name_the_block_of_the_next_project(tmp_path, fmt):
    blocks = [
        *_UNIT_IN_HEADER,
        "事業名：潮見台関係人口創出事業",
        [["", "基準値", "目標値"], ["数値", "40", "90"], ["時点", "R3年度", "R7年度"]],
    ]
    assert read(fmt, tmp_path, blocks) == expect(_EXPECTED)
