"""Forms of the national effect check (国の基準による効果検証) and their cells: a section under a
project's name, unused KPI slots, a KPI column whose header names the target too, and the year
of an actual that only the title prints. Each is rendered in every format it occurs in."""

from __future__ import annotations

import pytest
from families import SHEET_FORMATS, expect, read

SUISHIN = "地方創生推進交付金"
KYOTEN = "地方創生拠点整備交付金"
# The title names the year and no grant; three lines stand between it and the table, so the
# table's year is the document's, which the title gives.
PREAMBLE = [
    "令和3年度 地方創生関係交付金事業の効果検証結果",
    "〜国の基準による効果検証〜",
    "本町が実施した事業について、重要業績評価指標の実績値を取りまとめた。",
    f"(1) {SUISHIN}",
]


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_section_cell_under_a_name_continues_it_and_an_unused_slot_is_no_kpi(tmp_path, fmt):
    blocks = [
        *PREAMBLE,
        [
            ["No", "区分", "交付対象事業の名称", "指標", "指標値", "単位", "目標年月", "実績値"],
            ["1", "新", "農業担い手育成事業", "①新規就農者数", "8", "人", "R4.3", "9"],
            ["", "規", "【農林振興課】", "②農地集積面積", "120", "ha", "R4.3", "95.5"],
            ["2", "継", "移住相談窓口運営事業", "①移住相談件数", "300", "件", "R4.3", "－"],
            ["", "続", "【企画調整課】", "", "", "", "", ""],
            ["3", "継", "町史編さん事業（文化振興課）", "①－", "－", "－", "－", "－"],
        ],
    ]
    farm, office = "農業担い手育成事業 【農林振興課】", "移住相談窓口運営事業"
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (SUISHIN, farm, "新規就農者数", "actual", 2021, 9.0, "人", ""),
            (SUISHIN, farm, "新規就農者数", "target", 2021, 8.0, "人", ""),
            (SUISHIN, farm, "農地集積面積", "actual", 2021, 95.5, "ha", ""),
            (SUISHIN, farm, "農地集積面積", "target", 2021, 120.0, "ha", ""),
            (SUISHIN, f"{office} 【企画調整課】", "移住相談件数", "actual", 2021, None, "", "-"),
            (SUISHIN, f"{office} 【企画調整課】", "移住相談件数", "target", 2021, 300.0, "件", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_kpi_column_whose_header_names_the_target_prints_each_name_with_its_target(tmp_path, fmt):
    blocks = [
        f"(2) {KYOTEN}",
        [
            [
                "No",
                "交付対象事業の名称",
                "事業の概要",
                "実績額（円）",
                "重要業績評価指標（KPI）及び目標値（令和5年度）",
                "実績値（令和5年度）",
            ],
            [
                "1",
                "道の駅機能強化事業",
                "案内所を増築した。",
                "30,000,000",
                "道の駅の年間利用者数 250,000人",
                "261,300人",
            ],
            ["", "", "", "", "75歳以上の利用者割合 15.0%", "14.2%"],
            ["2", "子育て拠点整備事業", "子育て支援施設を整備した。", "12,000,000", "1日当たり相談件数 40件", "集計中"],
        ],
    ]
    station, care = "道の駅機能強化事業", "子育て拠点整備事業"
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (KYOTEN, station, "道の駅の年間利用者数", "actual", 2023, 261300.0, "人", ""),
            (KYOTEN, station, "道の駅の年間利用者数", "target", 2023, 250000.0, "人", ""),
            (KYOTEN, station, "75歳以上の利用者割合", "actual", 2023, 14.2, "%", ""),
            (KYOTEN, station, "75歳以上の利用者割合", "target", 2023, 15.0, "%", ""),
            (KYOTEN, care, "1日当たり相談件数", "actual", 2023, None, "", "集計中"),
            (KYOTEN, care, "1日当たり相談件数", "target", 2023, 40.0, "件", ""),
        ]
    )
