"""Unruled PDF tables (columns aligned by white space only) under a ruled table on the same page,
with what surrounds them in real reports: a heading above, rows with a blank project cell, a
note and a legend of several items under them, prose with spaces in it."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as pdf_canvas

from orchestration.extract.engine import extract_file
from orchestration.extract.formats import load_document
from orchestration.synth.render import FONT, Grid, Merge, write_pdf

SUISHIN = "地方創生推進交付金"
KYOTEN = "地方創生拠点整備交付金"


def _rows(c, xs: list[float], rows: list[list[str]], top: float, *, ruled: bool, pitch: float = 17) -> float:
    """Rows of text at fixed columns from `top` down, ruled on every side or not; returns the
    y under the last row."""
    for i, row in enumerate(rows):
        for x, text in zip(xs, row, strict=False):
            c.drawString(x + 4, top - i * pitch - 12, text)
    bottom = top - pitch * len(rows)
    if ruled:
        for i in range(len(rows) + 1):
            c.line(xs[0], top - i * pitch, 800, top - i * pitch)
        for x in [*xs, 800]:
            c.line(x, top, x, bottom)
    return bottom


@pytest.fixture(scope="module")
def two_tables_pdf(tmp_path_factory):
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path_factory.mktemp("aligned") / "report.pdf"
    width, height = landscape(A4)
    c = pdf_canvas.Canvas(str(path), pagesize=(width, height))
    c.setFont(FONT, 9)
    top = height - 50
    c.drawString(40, top, f"令和5年度 {SUISHIN}事業 効果検証結果")
    ruled = [["事業名", "KPI", "単位", "目標値（R5年度）", "実績値（R5年度）"]]
    ruled += [["子育て応援事業", "一時預かり利用者数", "人", "1,200", "1,315"]]
    bottom = _rows(c, [40, 200, 400, 480, 620], ruled, top - 15, ruled=True)
    c.drawString(40, bottom - 30, f"(2) {KYOTEN}")
    unruled = [
        ["施設整備計画の名称", "重要業績評価指標（KPI）", "単位", "目標値（R5年度）", "実績値（R5年度）", "評価"],
        ["森のテレワーク拠点整備計画", "拠点の年間利用者数", "人", "6,500", "7,012", "A"],
        ["", "拠点を利用した移住者数", "人", "12", "9", "C"],
        ["", "テレワーク相談件数", "件", "300", "287", "B"],
    ]
    bottom = _rows(c, [35, 230, 440, 500, 600, 700], unruled, bottom - 40, ruled=False)
    c.drawString(35, bottom - 10, "※拠点施設は令和5年6月に供用を開始したため、基準値はない。")
    c.drawString(35, bottom - 24, "※評価　A：100%以上　B：80%以上100%未満　C：80%未満")
    c.drawString(35, bottom - 38, "交付金充当額は、推進 41,860千円、拠点整備 96,500千円 である。")
    c.save()
    return path


def test_an_unruled_table_keeps_its_columns_apart_from_the_notes_under_it(two_tables_pdf):
    doc = load_document(two_tables_pdf)
    ruled, unruled = doc.tables()
    assert ruled.ruled and not unruled.ruled
    assert [[cell.norm for cell in row] for row in unruled.rows] == [
        ["施設整備計画の名称", "重要業績評価指標(KPI)", "単位", "目標値(R5年度)", "実績値(R5年度)", "評価"],
        ["森のテレワーク拠点整備計画", "拠点の年間利用者数", "人", "6,500", "7,012", "A"],
        ["", "拠点を利用した移住者数", "人", "12", "9", "C"],
        ["", "テレワーク相談件数", "件", "300", "287", "B"],
    ]


def test_an_unruled_table_under_a_ruled_one_reads_with_its_own_grant(two_tables_pdf):
    result = extract_file(two_tables_pdf)
    got = {
        (o.grant_program, o.project_name, o.kpi_name, o.measure, o.fiscal_year, o.value, o.unit)
        for o in result.observations
    }
    forest = "森のテレワーク拠点整備計画"
    assert got == {
        (SUISHIN, "子育て応援事業", "一時預かり利用者数", "target", 2023, 1200.0, "人"),
        (SUISHIN, "子育て応援事業", "一時預かり利用者数", "actual", 2023, 1315.0, "人"),
        (KYOTEN, forest, "拠点の年間利用者数", "target", 2023, 6500.0, "人"),
        (KYOTEN, forest, "拠点の年間利用者数", "actual", 2023, 7012.0, "人"),
        (KYOTEN, forest, "拠点を利用した移住者数", "target", 2023, 12.0, "人"),
        (KYOTEN, forest, "拠点を利用した移住者数", "actual", 2023, 9.0, "人"),
        (KYOTEN, forest, "テレワーク相談件数", "target", 2023, 300.0, "件"),
        (KYOTEN, forest, "テレワーク相談件数", "actual", 2023, 287.0, "件"),
    }


def _kpis(projects: int) -> list[tuple[int, int]]:
    """(project, KPI) of each row: two KPIs for the first project, three for each other."""
    return [(p, k) for p in range(1, projects + 1) for k in range(1, 3 if p == 1 else 4)]


def _results_grid(projects: int) -> Grid:
    """A results table under a three-row header (令和5年度 over 目標値 / 実績値 / 達成率 over
    (a) / (b) / (b)/(a)), KPI rows under each project, the project's cells blank after its first."""
    header = [
        ["No", "事業名", "KPI", "単位", "基準値（R3年度）", "令和5年度", "", "", "評価"],
        ["", "", "", "", "", "目標値", "実績値", "達成率", ""],
        ["", "", "", "", "", "(a)", "(b)", "(b)/(a)", ""],
    ]
    rows = []
    for p, k in _kpis(projects):
        no, name = (str(p), f"地域活性化事業{p}") if k == 1 else ("", "")
        rows.append([no, name, f"指標{p}の{k}", "人", str(10 * p + k), str(20 * p + k), str(21 * p + k), "105.0%", "A"])
    merges = [Merge(0, c, rows=3) for c in (0, 1, 2, 3, 4, 8)] + [Merge(0, 5, cols=3)]
    return Grid(header + rows, merges=merges, header_rows=0)  # the header is not repeated


def test_a_table_going_on_over_the_page_with_no_header_keeps_its_columns_and_its_project(tmp_path):
    path = tmp_path / "long.pdf"
    write_pdf(path, [f"令和5年度 {SUISHIN}事業 効果検証結果", _results_grid(16)], landscape=True)
    doc = load_document(path)
    assert doc.pages == 2
    second = next(t for t in doc.tables() if t.page == 2)
    assert second.rows[0][1].norm == ""  # page 2 opens inside a project, under no header
    got = {(o.project_name, o.kpi_name, o.measure, o.fiscal_year, o.value) for o in extract_file(path).observations}
    expected = set()
    for p, k in _kpis(16):
        name = f"指標{p}の{k}"
        expected |= {
            (f"地域活性化事業{p}", name, "baseline", 2021, 10.0 * p + k),
            (f"地域活性化事業{p}", name, "target", 2023, 20.0 * p + k),
            (f"地域活性化事業{p}", name, "actual", 2023, 21.0 * p + k),
        }
    assert got == expected
