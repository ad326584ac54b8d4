import datetime as dt

import openpyxl
import pytest

from orchestration.extract.formats import load_document
from orchestration.extract.model import DocumentError, Line
from orchestration.synth.render import Grid, Merge, write_xlsx


def test_merged_cells_and_a_two_row_header(tmp_path, cell_texts):
    grid = Grid(
        [
            ["事業の名称", "指標", "目標値", "", "実績値"],
            ["", "", "R4", "R5", "R4"],
            ["観光振興事業", "来訪者数", "1839000", "71.62", "-22"],
            ["", "宿泊者数", "5", "6", "7"],
        ],
        merges=[
            Merge(0, 0, rows=2),
            Merge(0, 1, rows=2),
            Merge(0, 2, cols=2),
            Merge(0, 4, rows=1),
            Merge(2, 0, rows=2),
        ],
        header_rows=2,
    )
    path = tmp_path / "kpi.xlsx"
    write_xlsx(path, {"実績": ["令和3年度 地方創生推進交付金事業", grid], "概要": [[["a", "b"]]]})
    doc = load_document(path)
    assert doc.format == "xlsx" and doc.sheet_names == ["実績", "概要"]
    assert doc.blocks[0] == Line("令和3年度 地方創生推進交付金事業", 1, 1)
    kpi, summary = doc.tables()
    assert cell_texts(kpi) == [
        ["事業の名称", "指標", "目標値", "目標値", "実績値"],
        ["事業の名称", "指標", "R4", "R5", "R4"],
        ["観光振興事業", "来訪者数", "1839000", "71.62", "-22"],
        ["観光振興事業", "宿泊者数", "5", "6", "7"],
    ]
    assert kpi.page == 1 and summary.page == 2
    assert kpi.rows[1][3].ref == "実績!D4" and kpi.rows[3][0].ref == "実績!A6"
    assert summary.rows[0][1].ref == "概要!B1"


def test_values_are_rendered_as_printed(tmp_path, cell_texts):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet.append(["整数", 14700.0, "日付", dt.datetime(2022, 3, 31), dt.date(2021, 4, 1)])
    sheet.append(["率", 0.7162, None, "小数", 2.5])
    sheet["B2"].number_format = "0.00%"
    sheet.append([])
    sheet.append(["", "", "見出しだけの行"])
    path = tmp_path / "values.xlsx"
    book.save(path)
    doc = load_document(path)
    assert cell_texts(doc.tables()[0]) == [
        ["整数", "14700", "日付", "2022/3/31", "2021/4/1"],
        ["率", "71.62%", "", "小数", "2.5"],
    ]
    assert doc.blocks[-1] == Line("見出しだけの行", 1, 4)


def test_an_xlsx_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_text("事業の名称,指標\n", encoding="utf-8")
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "broken.xlsx" in str(err.value) and err.value.reason.startswith("not a readable .xlsx")
