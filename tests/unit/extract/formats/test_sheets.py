"""Spreadsheets as displayed, the same in .xlsx and .xls: number formats, dates, numbers stored as
text, hidden rows, columns and sheets, several tables on one sheet, and used-area clipping."""

import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

import openpyxl
import pytest
import xlwt

from orchestration.extract.engine import extract_file
from orchestration.extract.formats import load_document
from orchestration.extract.formats.numfmt import display
from orchestration.extract.model import DocumentError


@dataclass
class SheetSpec:
    rows: list[list[object]]  # a value, or (value, number format); None is an empty cell
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    hidden_cols: set[int] = field(default_factory=set)
    hidden: bool = False


def write_book(path, sheets: dict[str, SheetSpec]) -> None:
    (_write_xls if path.suffix == ".xls" else _write_xlsx)(path, sheets)


def _write_xlsx(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, spec in sheets.items():
        ws = book.create_sheet(title)
        for r, row in enumerate(spec.rows, start=1):
            for c, item in enumerate(row, start=1):
                value, fmt = item if isinstance(item, tuple) else (item, None)
                if value is not None:
                    cell = ws.cell(r, c, value)
                    cell.number_format = fmt or cell.number_format
        for r in spec.hidden_rows:
            ws.row_dimensions[r + 1].hidden = True
        for c in spec.hidden_cols:
            ws.column_dimensions[openpyxl.utils.get_column_letter(c + 1)].hidden = True
        ws.sheet_state = "hidden" if spec.hidden else "visible"
    book.save(path)


def _write_xls(path, sheets):
    book = xlwt.Workbook(encoding="utf-8")
    for title, spec in sheets.items():
        ws = book.add_sheet(title)
        for r, row in enumerate(spec.rows):
            for c, item in enumerate(row):
                value, fmt = item if isinstance(item, tuple) else (item, None)
                if isinstance(value, dt.date) and not fmt:
                    fmt = "yyyy/m/d"
                if value is not None:
                    ws.write(r, c, value, xlwt.easyxf(num_format_str=fmt or "General"))
        for r in spec.hidden_rows:
            ws.row(r).hidden = True
        for c in spec.hidden_cols:
            ws.col(c).hidden = True
        ws.visibility = int(spec.hidden)
    book.save(str(path))


@pytest.fixture(params=[".xlsx", ".xls"])
def ext(request) -> str:
    return request.param


def texts(table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def test_cells_read_as_displayed(tmp_path, ext):
    path = tmp_path / f"values{ext}"
    write_book(
        path,
        {
            "S": SheetSpec(
                [
                    ["率", (0.125, "0.0%"), (0.7162, "0.00%"), (0.5, "0%")],
                    ["数", (14700.0, "#,##0"), (1234.5678, "#,##0.00"), (2.5, "0")],
                    ["単位", (1839000, '#,##0"人"'), (2500, '#,##0,"千円"'), (-22, '#,##0;"▲"#,##0')],
                    [
                        "日付",
                        (dt.datetime(2024, 3, 31), "yyyy/m/d"),
                        (dt.datetime(2022, 12, 1), 'yyyy"年"m"月"'),
                        "R4.3",
                    ],
                    ["文字の数", "1,234", "０１２", "'7"],
                ]
            )
        },
    )
    table = load_document(path).tables()[0]
    assert texts(table) == [
        ["率", "12.5%", "71.62%", "50%"],
        ["数", "14700", "1234.57", "3"],
        ["単位", "1839000人", "3千円", "▲22"],
        ["日付", "2024/3/31", "2022/12", "R4.3"],
        ["文字の数", "1,234", "０１２", "'7"],
    ]


def test_a_date_in_a_target_month_column_is_a_point_in_time(tmp_path, ext):
    path = tmp_path / f"dates{ext}"
    write_book(
        path,
        {
            "KPI": SheetSpec(
                [
                    ["事業の名称", "KPI", "単位", "目標値", "目標年月", "実績値"],
                    ["観光振興事業", "観光入込客数", "人", 120000, (dt.datetime(2024, 3, 31), "yyyy/m/d"), 98500],
                    ["観光振興事業", "移住者数", "人", 40, (dt.datetime(2025, 9, 30), 'yyyy"年"m"月"'), 12],
                ]
            )
        },
    )
    targets = {(o.kpi_name, o.fiscal_year, o.value) for o in extract_file(path).observations if o.measure == "target"}
    assert targets == {("観光入込客数", 2023, 120000), ("移住者数", 2025, 40)}


def test_hidden_rows_columns_and_sheets_are_not_part_of_the_report(tmp_path, ext):
    path = tmp_path / f"hidden{ext}"
    write_book(
        path,
        {
            "KPI": SheetSpec(
                [
                    ["事業の名称", "KPI", "単位", "目標値", "作業列", "実績値"],
                    ["観光振興事業", "観光入込客数", "人", 120000, 999, 98500],
                    ["観光振興事業", "旧指標", "件", 5, 999, 4],
                    ["観光振興事業", "宿泊者数", "人泊", 5000, 999, 4100],
                ],
                hidden_rows={2},
                hidden_cols={4},
            ),
            "作業用": SheetSpec([["事業の名称", "KPI", "目標値"], ["隠し事業", "隠し指標", 1]], hidden=True),
        },
    )
    doc = load_document(path)
    assert doc.sheet_names == ["KPI"]
    assert texts(doc.tables()[0]) == [
        ["事業の名称", "KPI", "単位", "目標値", "実績値"],
        ["観光振興事業", "観光入込客数", "人", "120000", "98500"],
        ["観光振興事業", "宿泊者数", "人泊", "5000", "4100"],
    ]
    assert doc.tables()[0].rows[2][4].ref == "KPI!F4"
    observed = {(o.kpi_name, o.measure, o.value) for o in extract_file(path).observations}
    assert observed == {
        ("観光入込客数", "target", 120000),
        ("観光入込客数", "actual", 98500),
        ("宿泊者数", "target", 5000),
        ("宿泊者数", "actual", 4100),
    }


def test_tables_apart_by_a_blank_row_or_a_heading_stay_apart_and_a_hidden_row_is_no_gap(tmp_path, ext):
    path = tmp_path / f"two{ext}"
    write_book(
        path,
        {
            "S": SheetSpec(
                [
                    ["令和4年度 地方創生推進交付金"],
                    ["指標", "実績値"],
                    ["来訪者数", 143],
                    [None],
                    ["指標", "目標値"],
                    ["注記"],
                    ["宿泊者数", 5],
                    ["令和5年度 地方創生推進交付金"],
                    ["指標", "実績値"],
                    ["移住者数", 12],
                ],
                hidden_rows={5},
            )
        },
    )
    doc = load_document(path)
    assert [texts(t) for t in doc.tables()] == [
        [["指標", "実績値"], ["来訪者数", "143"]],
        [["指標", "目標値"], ["宿泊者数", "5"]],
        [["指標", "実績値"], ["移住者数", "12"]],
    ]


def test_a_formula_reads_as_its_cached_value(tmp_path):
    path = tmp_path / "formula.xlsx"
    write_book(path, {"S": SheetSpec([["指標", "目標値", "実績値"], ["来訪者数", 100, "=B2*1.2"]])})
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(
        rb"(<c r=\"C2\"[^>]*>)<f>B2\*1.2</f><v\s*/?>(</v>)?", rb"\1<f>B2*1.2</f><v>120</v>", parts[sheet]
    )
    assert b"<v>120</v>" in parts[sheet]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert texts(load_document(path).tables()[0])[1] == ["来訪者数", "100", "120"]


def test_number_formats_beyond_the_sheet_tests():
    assert display(1.0, "0.0#") == "1.0" and display(1.25, "0.0#") == "1.25"
    assert display(0, '#,##0;-#,##0;"-"') == "-"
    assert display(100, "[$¥-411]#,##0") == "¥100" and display(12, "[Red]0.0") == "12.0"
    assert display(0.1 + 0.2, "General") == "0.3" and display(3, 'General"件"') == "3件"
    assert display(5, "@") == "5" and display(0.5, "# ?/?") == "0.5"


def bomb_xlsx(path, extra_sheet_xml: bytes) -> None:
    """A tiny workbook whose sheet claims the whole grid."""
    book = openpyxl.Workbook()
    book.active["A1"] = "事業の名称"
    book.active["B1"] = "指標"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", b"</sheetData>" + extra_sheet_xml)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.parametrize(
    ("extra", "first_row"),
    [
        (b"", ["事業の名称", "指標"]),
        (b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', ["事業の名称", "事業の名称"]),
        (b'<mergeCells count="1"><mergeCell ref="A1:A40000"/></mergeCells>', ["事業の名称", "指標"]),
    ],
)
def test_a_sheet_is_read_inside_its_used_area(tmp_path, extra, first_row):
    path = tmp_path / "bomb.xlsx"
    bomb_xlsx(path, extra)
    assert path.stat().st_size < 6000
    start = time.perf_counter()
    result = extract_file(path)
    elapsed = time.perf_counter() - start
    assert result.error is None
    doc = load_document(path)
    assert texts(doc.tables()[0]) == [first_row]
    assert elapsed < 20  # a generous bound: the unclipped read took minutes and gigabytes


def test_a_sheet_beyond_the_cell_limit_is_refused_with_a_reason(tmp_path, monkeypatch):
    monkeypatch.setattr("orchestration.extract.formats.sheets.MAX_CELLS", 10)
    path = tmp_path / "big.xlsx"
    write_book(path, {"S": SheetSpec([["a", "b", "c", "d"]] * 3)})
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert "big.xlsx" in str(err.value) and "3 filled rows of 4 columns, more than 10 cells" in err.value.reason


def test_a_date_format_on_a_serial_number_prints_the_date():
    assert display(45382.0, '[$-411]ggge"年"m"月"d"日"') == "2024/3/31"
    assert display(45352, 'yyyy"年"m"月"') == "2024/3"
    assert display(12345.678, "0.00E+00") == "12345.678" and display(30, "[h]:mm") == "30"


def test_each_table_on_a_sheet_keeps_its_own_heading(tmp_path, ext):
    path = tmp_path / f"years{ext}"
    header = ["事業の名称", "KPI", "実績値", "単位"]
    write_book(
        path,
        {
            "S": SheetSpec(
                [
                    ["令和4年度 地方創生推進交付金 実績"],
                    header,
                    ["観光振興事業", "来訪者数", 143, "人"],
                    [None],
                    ["令和5年度 地方創生推進交付金 実績"],
                    header,
                    ["移住促進事業", "移住者数", 12, "人"],
                ]
            )
        },
    )
    observed = {(o.project_name, o.fiscal_year, o.value, o.cell) for o in extract_file(path).observations}
    assert observed == {("観光振興事業", 2022, 143, "S!C3"), ("移住促進事業", 2023, 12, "S!C7")}
