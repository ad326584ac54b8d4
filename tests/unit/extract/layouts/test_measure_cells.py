"""What a measure's cell takes from beside it: the unit column that serves it, and a year printed
in the cell itself (a final target beside the year's target). Rendered in every format."""

from __future__ import annotations

import pytest
from families import SHEET_FORMATS, expect, read

GRANT = "デジタル田園都市国家構想交付金(地方創生推進タイプ)"


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_unit_column_serves_the_measures_before_it_and_a_final_target_keeps_its_own_year(tmp_path, fmt):
    blocks = [
        "令和6年度 地方創生関係交付金事業の効果検証",
        f"(1) {GRANT}",
        [
            [
                "事業名",
                "KPI",
                "基準値（R5年度）",
                "目標値（R6年度）",
                "最終目標値",
                "単位",
                "実績値（R6年度）",
                "単位",
                "達成状況",
            ],
            [
                "特産品販路拡大事業",
                "ふるさと納税の寄附額",
                "85",
                "110",
                "150（R8年度）",
                "百万円",
                "126",
                "百万円",
                "◎",
            ],
            ["特産品販路拡大事業", "首都圏での商談件数", "12", "20", "R8年度 40", "件", "18", "件", "△"],
            ["里山体験推進事業", "体験プログラム参加者数", "0.8", "1.1", "R8年度1.6", "千人", "1,240", "人", "○"],
        ],
        "※達成状況 ◎：最終目標値に向け順調 ○：単年度目標を達成 △：単年度目標を未達成",
    ]
    tax, talks, farm = "ふるさと納税の寄附額", "首都圏での商談件数", "体験プログラム参加者数"
    sales, satoyama = "特産品販路拡大事業", "里山体験推進事業"
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (GRANT, sales, tax, "actual", 2024, 126.0, "百万円", ""),
            (GRANT, sales, tax, "baseline", 2023, 85.0, "百万円", ""),
            (GRANT, sales, tax, "target", 2024, 110.0, "百万円", ""),
            (GRANT, sales, tax, "target", 2026, 150.0, "百万円", ""),
            (GRANT, sales, talks, "actual", 2024, 18.0, "件", ""),
            (GRANT, sales, talks, "baseline", 2023, 12.0, "件", ""),
            (GRANT, sales, talks, "target", 2024, 20.0, "件", ""),
            (GRANT, sales, talks, "target", 2026, 40.0, "件", ""),
            (GRANT, satoyama, farm, "actual", 2024, 1240.0, "人", ""),
            (GRANT, satoyama, farm, "baseline", 2023, 0.8, "千人", ""),
            (GRANT, satoyama, farm, "target", 2024, 1.1, "千人", ""),
            (GRANT, satoyama, farm, "target", 2026, 1.6, "千人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_target_cell_printing_its_deadline_is_the_target_for_the_deadlines_year(tmp_path, fmt):
    blocks = [
        "令和6年度 地方創生推進交付金 効果検証",
        [
            ["事業名", "指標名", "基準値", "目標値", "実績値"],
            ["港まち賑わい再生事業", "観光案内所の利用者数", "3,200人", "令和8年度まで 5,000人", "4,120人"],
            ["港まち賑わい再生事業", "朝市の出店者数", "14店", "R7年度末までに20店", "17店"],
        ],
    ]
    grant, project = "地方創生推進交付金", "港まち賑わい再生事業"
    visitors, stalls = "観光案内所の利用者数", "朝市の出店者数"
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (grant, project, visitors, "actual", 2024, 4120.0, "人", ""),
            (grant, project, visitors, "baseline", None, 3200.0, "人", ""),
            (grant, project, visitors, "target", 2026, 5000.0, "人", ""),
            (grant, project, stalls, "actual", 2024, 17.0, "店", ""),
            (grant, project, stalls, "baseline", None, 14.0, "店", ""),
            (grant, project, stalls, "target", 2025, 20.0, "店", ""),
        ]
    )
