"""Shapes a report takes besides horizontal tables: label-per-row records and KPI sentences."""

from __future__ import annotations

from orchestration.extract.engine import extract_file
from orchestration.synth.render import write_text, write_xlsx


def _obs(result):
    return sorted(
        (
            (o.project_name, o.kpi_name, o.measure, o.fiscal_year, o.value, o.unit, o.status)
            for o in result.observations
        ),
        key=lambda r: tuple(str(x) for x in r),
    )


def test_record_layout_with_labels_down_the_first_column_reads_like_a_wide_table(tmp_path):
    path = tmp_path / "record.xlsx"
    write_xlsx(
        path,
        [
            "令和5年度 地方創生推進交付金 効果検証シート",
            [
                ["事業名", "地域ブランド創出事業", "地域ブランド創出事業"],
                ["指標", "ブランド認証品目数", "首都圏での商談件数"],
                ["基準値", "4", "10"],
                ["目標値", "12", "40"],
                ["実績値", "15", "集計中"],
                ["単位", "品目", "件"],
            ],
        ],
    )
    assert _obs(extract_file(path)) == [
        ("地域ブランド創出事業", "ブランド認証品目数", "actual", 2023, 15.0, "品目", ""),
        ("地域ブランド創出事業", "ブランド認証品目数", "baseline", None, 4.0, "品目", ""),
        ("地域ブランド創出事業", "ブランド認証品目数", "target", 2023, 12.0, "品目", ""),
        ("地域ブランド創出事業", "首都圏での商談件数", "actual", 2023, None, "", "集計中"),
        ("地域ブランド創出事業", "首都圏での商談件数", "baseline", None, 10.0, "件", ""),
        ("地域ブランド創出事業", "首都圏での商談件数", "target", 2023, 40.0, "件", ""),
    ]


def test_kpi_sentences_in_plain_lines_under_a_named_project(tmp_path):
    path = tmp_path / "lines.txt"
    write_text(
        path,
        [
            "令和4年度 地方創生推進交付金事業の実績",
            "■事業名：中心市街地にぎわい創出事業",
            "事業費 25,300千円（うち交付金 12,650千円）",
            "KPI①：歩行者通行量 目標 12,000人 → 実績 13,480人",
            "KPI②：空き店舗への出店数 目標値：6件／実績値：4件",
            "■事業名：移住定住促進事業",
            "移住相談件数 目標 300件 実績 352件",
        ],
    )
    result = extract_file(path)
    assert _obs(result) == [
        ("中心市街地にぎわい創出事業", "歩行者通行量", "actual", 2022, 13480.0, "人", ""),
        ("中心市街地にぎわい創出事業", "歩行者通行量", "target", 2022, 12000.0, "人", ""),
        ("中心市街地にぎわい創出事業", "空き店舗への出店数", "actual", 2022, 4.0, "件", ""),
        ("中心市街地にぎわい創出事業", "空き店舗への出店数", "target", 2022, 6.0, "件", ""),
        ("移住定住促進事業", "移住相談件数", "actual", 2022, 352.0, "件", ""),
        ("移住定住促進事業", "移住相談件数", "target", 2022, 300.0, "件", ""),
    ]
    # The budget line is not a KPI, and each observation points at its line.
    assert all(o.line for o in result.observations)
    assert {o.grant_program for o in result.observations} == {"地方創生推進交付金"}


def test_pdf_table_drawn_with_horizontal_rules_only(tmp_path):
    """No grid: the columns come from the text's alignment, and the wide reader reads them."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    rows = [
        ["事業名", "指標", "基準値", "目標値", "実績値", "単位"],
        ["観光振興事業", "観光入込客数", "1,200", "1,500", "1,380", "千人"],
        ["", "宿泊者数", "300", "360", "402", "千人"],
        ["移住促進事業", "移住者数", "50", "80", "71", "人"],
    ]
    table = Table(rows)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "HeiseiKakuGo-W5", 9),
                ("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black),
            ]
        )
    )
    heading = Paragraph("令和5年度 地方創生推進交付金 事業実績", ParagraphStyle("h", fontName="HeiseiKakuGo-W5"))
    path = tmp_path / "unruled.pdf"
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build([heading, table])
    result = extract_file(path)
    assert ("観光振興事業", "宿泊者数", "actual", 2023, 402.0, "千人", "") in _obs(result)
    assert ("移住促進事業", "移住者数", "target", 2023, 80.0, "人", "") in _obs(result)
    assert len(result.observations) == 9
    assert result.review == []


def test_key_value_rows_of_a_project_sheet_are_not_joined_as_one_split_row(tmp_path):
    """A sheet's facts block opens with a wider row (No. | 担当課 | …); its two-cell rows are
    key-value rows, each naming the grant or the project of the KPI table under it, not halves of
    one row that a line break cut (a text extract prints no trailing tabs)."""
    path = tmp_path / "sheets.txt"
    path.write_text(
        "令和5年度 事業評価シート\n\n"
        "番号 3\t所管課\t企画政策課\n"
        "交付金名称\tデジタル田園都市国家構想交付金\n"
        "事業名\t空き家バンク活用促進事業\n"
        "事業費\t決算額 4,200,000円\tうち交付金 2,100,000円\n\n"
        "指標名\t基準値\t目標値\t実績値\n"
        "空き家バンク成約件数\t8件\t20件\t23件\n",
        encoding="utf-8",
    )
    observations = extract_file(path).observations
    assert {(o.grant_program, o.project_name) for o in observations} == {
        ("デジタル田園都市国家構想交付金", "空き家バンク活用促進事業")
    }
    assert len(observations) == 3
