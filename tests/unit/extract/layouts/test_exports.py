"""Exports of a KPI database: one row per KPI and year (flat), or one row per number (tidy long).
Contract: "A per-row fiscal year …" and "A tidy long export …"."""

from __future__ import annotations

import pytest
from families import SHEET_FORMATS, expect, read

OLD = "地方創生推進交付金"
NEW = "デジタル田園都市国家構想交付金（地方創生推進タイプ）"
NEW_NAME = "デジタル田園都市国家構想交付金(地方創生推進タイプ)"


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_flat_export_dates_each_baseline_by_its_own_base_year_column_and_keeps_it_once(tmp_path, fmt):
    head = ["年度", "交付金名称", "事業名", "KPI名", "単位", "基準値", "基準年度", "目標値", "実績値", "達成率", "備考"]
    spa = ["湯けむり観光再生事業", "日帰り入浴客数", "千人", "820", "2020"]
    shop = ["地域商社育成事業", "ふるさと産品の販売額", "百万円", "36", "2021"]
    rows = [
        ["2022", OLD, *spa, "900", "934", "103.8%", ""],
        ["2022", OLD, *shop, "48", "41", "85.4%", ""],
        ["2023", NEW, *spa, "950", "集計中", "", "令和6年11月確定予定"],
        ["2023", NEW, *shop, "60", "63", "105.0%", "見込値（令和6年3月末時点）"],
    ]
    blocks = [
        [head, *rows],
        "※達成率は実績値÷目標値。",
        "※令和5年度から2024年度までの数値は速報値です。",
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (OLD, "湯けむり観光再生事業", "日帰り入浴客数", "baseline", 2020, 820.0, "千人", ""),
            (OLD, "湯けむり観光再生事業", "日帰り入浴客数", "target", 2022, 900.0, "千人", ""),
            (OLD, "湯けむり観光再生事業", "日帰り入浴客数", "actual", 2022, 934.0, "千人", ""),
            (NEW_NAME, "湯けむり観光再生事業", "日帰り入浴客数", "target", 2023, 950.0, "千人", ""),
            (NEW_NAME, "湯けむり観光再生事業", "日帰り入浴客数", "actual", 2023, None, "", "集計中"),
            (OLD, "地域商社育成事業", "ふるさと産品の販売額", "baseline", 2021, 36.0, "百万円", ""),
            (OLD, "地域商社育成事業", "ふるさと産品の販売額", "target", 2022, 48.0, "百万円", ""),
            (OLD, "地域商社育成事業", "ふるさと産品の販売額", "actual", 2022, 41.0, "百万円", ""),
            (NEW_NAME, "地域商社育成事業", "ふるさと産品の販売額", "target", 2023, 60.0, "百万円", ""),
            (NEW_NAME, "地域商社育成事業", "ふるさと産品の販売額", "actual", 2023, 63.0, "百万円", ""),
        ]
    )


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_tidy_long_export_dates_every_number_by_its_own_row_baselines_too(tmp_path, fmt):
    head = ["年度", "交付金名称", "事業名", "指標名", "区分", "数値", "単位", "備考"]
    kpi = ["2023", NEW, "港まち賑わい創出事業"]
    rows = [
        ["2020", *kpi[1:], "65歳以上の就業率", "基準値", "24.0", "%", ""],
        [*kpi, "65歳以上の就業率", "目標値", "26.5", "%", ""],
        [*kpi, "65歳以上の就業率", "実績値", "未公表", "%", "令和7年6月公表予定"],
        [*kpi, "65歳以上の就業率", "達成率", "—", "%", ""],
        ["2021", *kpi[1:], "朝市の来場者数", "基準値", "7,300", "人", ""],
        ["2022", *kpi[1:], "朝市の来場者数", "目標値", "8,000", "人", ""],
        ["2022", *kpi[1:], "朝市の来場者数", "実績値", "8,145", "人", "見込み"],
        ["2022", *kpi[1:], "朝市の来場者数", "達成率", "101.8", "%", ""],
        [*kpi, "朝市の来場者数", "目標値", "8,500", "人", ""],
    ]
    assert read(fmt, tmp_path, [[head, *rows]]) == expect(
        [
            (NEW_NAME, "港まち賑わい創出事業", "65歳以上の就業率", "baseline", 2020, 24.0, "%", ""),
            (NEW_NAME, "港まち賑わい創出事業", "65歳以上の就業率", "target", 2023, 26.5, "%", ""),
            (NEW_NAME, "港まち賑わい創出事業", "65歳以上の就業率", "actual", 2023, None, "", "未公表"),
            (NEW_NAME, "港まち賑わい創出事業", "朝市の来場者数", "baseline", 2021, 7300.0, "人", ""),
            (NEW_NAME, "港まち賑わい創出事業", "朝市の来場者数", "target", 2022, 8000.0, "人", ""),
            (NEW_NAME, "港まち賑わい創出事業", "朝市の来場者数", "actual", 2022, 8145.0, "人", ""),
            (NEW_NAME, "港まち賑わい創出事業", "朝市の来場者数", "target", 2023, 8500.0, "人", ""),
        ]
    )
