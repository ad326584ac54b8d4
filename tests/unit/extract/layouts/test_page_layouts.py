"""A results page laid out in an outer table (site header, side menu, main column) around each
project's numbered heading, its key-value table of facts and its KPI table printed on its side
(contract: "A transposed table …", "A page is read in the charset it declares … Layout tables
around the data and key-value tables of project facts are not KPI tables")."""

from __future__ import annotations

import pytest
from families import SHEET_FORMATS, expect, observations, read

from orchestration.extract.engine import extract_file

GRANT = "地方創生推進交付金"


def _facts(period: str, cost: str, section: str) -> str:
    return (
        '<table class="info" border="1">'
        f'<tr><th scope="row">事業期間</th><td>{period}</td></tr>'
        f'<tr><th scope="row">事業費（令和6年度）</th><td align="right">{cost}</td></tr>'
        f'<tr><th scope="row">担当課</th><td>{section}</td></tr></table>'
    )


def _kpis(rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{t}</th>' for t in rows[0])
    body = "".join(
        f'<tr><th scope="row">{r[0]}</th>' + "".join(f'<td align="right">{t}</td>' for t in r[1:]) + "</tr>"
        for r in rows[1:]
    )
    return f'<table class="kpi" border="1"><caption>KPIの達成状況</caption><tr>{head}</tr>{body}</table>'


PAGE = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="EUC-JP"><title>効果検証 | 新見市</title></head><body>'
    '<table class="layout" width="100%"><tr><td colspan="2"><img src="logo.gif" alt="新見市"> 文字サイズ '
    '<a href="#">標準</a></td></tr><tr><td class="side"><ul><li><a href="r5.html">令和5年度の効果検証</a></li>'
    '<li><a href="r4.html">令和4年度の効果検証</a></li></ul></td><td class="main">'
    "<h1>令和6年度 地方創生関係交付金事業の効果検証</h1>"
    "<p>本市では交付金を活用した事業の効果を、令和7年8月6日の審議会で検証しました。</p>"
    f"<h2>1 {GRANT}</h2>"
    "<h3>(1) 森林資源循環推進事業</h3>"
    + _facts("令和5年度〜令和7年度", "31,200千円", "林業振興課")
    + _kpis(
        [
            ["項目", "間伐材の搬出量", "森林整備の担い手数"],
            ["単位", "m3", "人"],
            ["基準値<br>（令和4年度）", "8,400", "31"],
            ["目標値<br>（令和6年度）", "9,500", "36"],
            ["実績値<br>（令和6年度）", "9,812", "未集計"],
            ["達成率", "103.3%", "−"],
        ]
    )
    + "<h3>(2) 空き家活用移住促進事業</h3>"
    + _facts("令和6年度", "5,050千円", "定住促進課")
    + _kpis(
        [
            ["区分", "空き家バンク成約件数"],
            ["現状値", "14"],
            ["目標値", "25"],
            ["実績値", "27"],
            ["達成率", "108.0%"],
            ["単位", "件"],
        ]
    )
    + "</td></tr><tr><td colspan=2>新見市役所 企画政策課 電話：0867-72-6111</td></tr></table></body></html>"
)

EXPECTED = [
    (GRANT, "森林資源循環推進事業", "間伐材の搬出量", "actual", 2024, 9812.0, "m3", ""),
    (GRANT, "森林資源循環推進事業", "間伐材の搬出量", "baseline", 2022, 8400.0, "m3", ""),
    (GRANT, "森林資源循環推進事業", "間伐材の搬出量", "target", 2024, 9500.0, "m3", ""),
    (GRANT, "森林資源循環推進事業", "森林整備の担い手数", "actual", 2024, None, "", "未集計"),
    (GRANT, "森林資源循環推進事業", "森林整備の担い手数", "baseline", 2022, 31.0, "人", ""),
    (GRANT, "森林資源循環推進事業", "森林整備の担い手数", "target", 2024, 36.0, "人", ""),
    # rows with no year of their own: the title's year, a baseline none
    (GRANT, "空き家活用移住促進事業", "空き家バンク成約件数", "actual", 2024, 27.0, "件", ""),
    (GRANT, "空き家活用移住促進事業", "空き家バンク成約件数", "baseline", None, 14.0, "件", ""),
    (GRANT, "空き家活用移住促進事業", "空き家バンク成約件数", "target", 2024, 25.0, "件", ""),
]


def test_a_layout_page_reads_its_nested_transposed_kpi_tables(tmp_path):
    path = tmp_path / "kouka.html"
    path.write_bytes(PAGE.encode("euc_jp"))
    result = extract_file(path)
    assert observations(result) == expect(EXPECTED)
    assert result.fiscal_year == 2024  # the title's, not the side menu's links to past years
    assert not [r for r in result.review if "事業期間" in r.fragment]  # a table of facts is no KPI table


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_numbered_headings_facts_and_transposed_kpi_tables_in_any_format(tmp_path, fmt):
    blocks = [
        "令和6年度 地方創生関係交付金事業の効果検証",
        f"1 {GRANT}",
        "(1) 森林資源循環推進事業",
        [["事業期間", "令和5年度〜令和7年度"], ["事業費（令和6年度）", "31,200千円"], ["担当課", "林業振興課"]],
        [
            ["項目", "間伐材の搬出量", "森林整備の担い手数"],
            ["単位", "m3", "人"],
            ["基準値\n（令和4年度）", "8,400", "31"],
            ["目標値\n（令和6年度）", "9,500", "36"],
            ["実績値\n（令和6年度）", "9,812", "未集計"],
            ["達成率", "103.3%", "−"],
        ],
        "(2) 空き家活用移住促進事業",
        [["事業期間", "令和6年度"], ["事業費（令和6年度）", "5,050千円"], ["担当課", "定住促進課"]],
        [
            ["区分", "空き家バンク成約件数"],
            ["現状値", "14"],
            ["目標値", "25"],
            ["実績値", "27"],
            ["達成率", "108.0%"],
            ["単位", "件"],
        ],
    ]
    assert read(fmt, tmp_path, blocks) == expect(EXPECTED)


SHORT_NAMES = {  # KPI names as short as a unit (来館者数), the corner cell empty or 区分, units anywhere
    "empty corner, unit row": [
        ["", "来館者数", "就業率"],
        ["基準値(R3)", "1,200", "61.5"],
        ["目標値(R5)", "1,500", "63.0"],
        ["実績値(R5)", "1,480", "64.2"],
        ["単位", "人", "%"],
    ],
    "units in the names": [
        ["区分", "来館者数（人）", "就業率（%）"],
        ["基準値（令和3年度）", "1,200", "61.5"],
        ["目標値（令和5年度）", "1,500", "63.0"],
        ["実績値（令和5年度）", "1,480", "64.2"],
    ],
    "units in the cells": [
        ["指標", "来館者数", "就業率"],
        ["基準値（令和3年度）", "1,200人", "61.5%"],
        ["目標値（令和5年度）", "1,500人", "63.0%"],
        ["実績値（令和5年度）", "1,480人", "64.2%"],
        ["達成率", "98.7%", "101.9%"],
    ],
}


@pytest.mark.parametrize("fmt", ["html", "xlsx", "txt", "pdf"])
@pytest.mark.parametrize("variant", SHORT_NAMES)
def test_a_transposed_table_of_short_kpi_names(tmp_path, fmt, variant):
    blocks = ["令和5年度 効果検証", GRANT, "(1) 生涯学習推進事業", SHORT_NAMES[variant]]
    assert [r[2:] for r in read(fmt, tmp_path, blocks)] == expect(
        [
            ("就業率", "actual", 2023, 64.2, "%", ""),
            ("就業率", "baseline", 2021, 61.5, "%", ""),
            ("就業率", "target", 2023, 63.0, "%", ""),
            ("来館者数", "actual", 2023, 1480.0, "人", ""),
            ("来館者数", "baseline", 2021, 1200.0, "人", ""),
            ("来館者数", "target", 2023, 1500.0, "人", ""),
        ]
    )


def test_an_old_style_layout_page_of_plain_cells_and_bold_titles(tmp_path):
    """No heading tags, no <th>: the title in <b> beside the one KPI table makes the cell a region."""
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>'
        "<table><tr><td><a href=/>ホーム</a></td><td>"
        "<font size=+1><b>令和5年度 地方創生推進交付金事業の実績</b></font><br>"
        "<b>【事業名】伝統工芸後継者育成事業</b><br>"
        "<table border=1><tr><td>区分</td><td>弟子入り研修生数</td></tr>"
        "<tr><td>単位</td><td>人</td></tr><tr><td>目標値</td><td>6</td></tr><tr><td>実績値</td><td>4</td></tr>"
        "</table></td></tr></table></body></html>"
    )
    path = tmp_path / "jisseki.htm"
    path.write_bytes(page.encode("cp932"))
    assert observations(extract_file(path)) == expect(
        [
            (GRANT, "伝統工芸後継者育成事業", "弟子入り研修生数", "actual", 2023, 4.0, "人", ""),
            (GRANT, "伝統工芸後継者育成事業", "弟子入り研修生数", "target", 2023, 6.0, "人", ""),
        ]
    )


@pytest.mark.parametrize(("suffix", "sep"), [(".txt", "\t"), (".csv", ",")])
def test_key_value_rows_of_two_cells_in_a_wider_facts_block_stay_apart(tmp_path, suffix, sep):
    """交付金の種類 | … over 交付対象事業名 | … in a block three cells wide (No. | 担当課 | …), with
    no separators after a row's last cell, are two pairs, not one row cut by a line break."""
    lines = [
        ["地方創生関係交付金事業 評価シート（令和5年度）"],
        [],
        ["No.3", "担当課", "まちづくり推進課"],
        ["交付金の種類", "地方創生推進交付金"],
        ["交付対象事業名", "中心市街地回遊性向上事業"],
        ["事業期間", "令和4年度から令和6年度"],
        ["事業費（令和5年度）", "決算額 7300000円", "うち交付金 3650000円"],
        [],
        ["指標名", "基準値", "基準値の時期", "目標値", "目標値の時期", "実績値", "実績値の時期"],
        ["①まちなか歩行者通行量", "8100人", "令和3年度", "9000人", "令和6年3月", "9240人", "令和5年11月"],
    ]
    path = tmp_path / f"sheet{suffix}"
    path.write_text("\n".join(sep.join(cells) for cells in lines) + "\n", encoding="utf-8")
    assert observations(extract_file(path)) == expect(
        [
            (GRANT, "中心市街地回遊性向上事業", "まちなか歩行者通行量", "actual", 2023, 9240.0, "人", ""),
            (GRANT, "中心市街地回遊性向上事業", "まちなか歩行者通行量", "baseline", 2021, 8100.0, "人", ""),
            (GRANT, "中心市街地回遊性向上事業", "まちなか歩行者通行量", "target", 2023, 9000.0, "人", ""),
        ]
    )


@pytest.mark.parametrize("fmt", ["html", "txt", "xlsx"])
def test_a_numbered_heading_over_a_projects_facts_names_it_whatever_its_words(tmp_path, fmt):
    """(2) 空き家の利活用と移住の推進 does not end in 事業, but it titles the facts table under it."""
    blocks = [
        "令和5年度 地方創生関係交付金事業の効果検証",
        f"1 {GRANT}",
        "(1) 森林資源循環推進事業",
        [["事業期間", "令和5年度"], ["担当課", "林業振興課"]],
        [["区分", "間伐材の搬出量"], ["目標値", "9,500"], ["実績値", "9,812"], ["単位", "m3"]],
        "(2) 空き家の利活用と移住の推進",
        [["事業期間", "令和4年度〜令和6年度"], ["担当課", "定住促進課"]],
        [["区分", "空き家バンク成約件数"], ["目標値", "25"], ["実績値", "27"], ["単位", "件"]],
    ]
    assert read(fmt, tmp_path, blocks) == expect(
        [
            (GRANT, "森林資源循環推進事業", "間伐材の搬出量", "actual", 2023, 9812.0, "m3", ""),
            (GRANT, "森林資源循環推進事業", "間伐材の搬出量", "target", 2023, 9500.0, "m3", ""),
            (GRANT, "空き家の利活用と移住の推進", "空き家バンク成約件数", "actual", 2023, 27.0, "件", ""),
            (GRANT, "空き家の利活用と移住の推進", "空き家バンク成約件数", "target", 2023, 25.0, "件", ""),
        ]
    )
