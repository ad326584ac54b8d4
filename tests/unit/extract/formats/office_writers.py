"""Writers of the formats `orchestration.synth.render` does not write, for the tests: xlwt and
python-docx make .xls and .docx files the way Excel and Word save them."""

import docx
import xlwt

from orchestration.synth import render
from orchestration.synth.render import Grid, Merge

# A KPI table with a two-row header, a measure spanning two year columns, a project spanning two
# KPI rows and a line break in a cell; and how a reader that fills merged cells must see it.
SPANS = Grid(
    [
        ["事業の名称", "指標", "目標値", "", "実績値"],
        ["", "", "R4", "R5", "R4"],
        ["観光振興事業", "来訪者数\n（年間）", "1839000", "71.62", "-22"],
        ["", "宿泊者数", "5", "6", "7"],
    ],
    merges=[Merge(0, 0, rows=2), Merge(0, 1, rows=2), Merge(0, 2, cols=2), Merge(2, 0, rows=2)],
    header_rows=2,
)
FILLED = [
    ["事業の名称", "指標", "目標値", "目標値", "実績値"],
    ["事業の名称", "指標", "R4", "R5", "R4"],
    ["観光振興事業", "来訪者数\n（年間）", "1839000", "71.62", "-22"],
    ["観光振興事業", "宿泊者数", "5", "6", "7"],
]


def _number(text: str) -> str | float:
    """Plain number strings become numeric cells, as `render.write_xlsx` writes them."""
    value = render._cell_value(text)
    return float(value) if isinstance(value, int) else value


def write_xls(path, blocks) -> None:
    """An Excel 97-2003 workbook laid out as `render.write_xlsx` lays out .xlsx: a line in column A
    then a blank row; a table's merged ranges merged; a blank row after each table."""
    book = xlwt.Workbook(encoding="utf-8")
    sheets = blocks if isinstance(blocks, dict) else {"Sheet1": blocks}
    wrap = xlwt.easyxf("alignment: wrap on")
    for title, sheet_blocks in sheets.items():
        sheet = book.add_sheet(title)
        row = 0
        for block in sheet_blocks:
            if isinstance(block, str):
                sheet.write(row, 0, block)
                row += 2
                continue
            grid = render.as_grid(block)
            origins = {(m.row, m.col): m for m in grid.merges}
            covered = {pos for m in grid.merges for pos in m.covers()}
            for r, values in enumerate(grid.printed_rows()):
                for c, text in enumerate(values):
                    if (r, c) in covered or (not text and (r, c) not in origins):
                        continue
                    value = _number(text)
                    if (m := origins.get((r, c))) is not None:
                        sheet.write_merge(row + r, row + r + m.rows - 1, c, c + m.cols - 1, value, wrap)
                    else:
                        sheet.write(row + r, c, value, wrap)
            row += len(grid.rows) + 1
    book.save(str(path))


def write_docx(path, blocks) -> None:
    """A Word document: a paragraph per line, a table per table, merged ranges merged (python-docx
    writes gridSpan and vMerge), a cell's lines as its paragraphs."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        grid = render.as_grid(block)
        rows = grid.printed_rows()
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                lines = text.split("\n")
                cell = table.cell(r, c)
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        for m in grid.merges:
            table.cell(m.row, m.col).merge(table.cell(m.row + m.rows - 1, m.col + m.cols - 1))
    document.save(str(path))


def html_in(charset: str):
    """A writer of `render.write_html`'s page re-encoded in `charset` and declaring it; Shift_JIS
    and EUC-JP as Windows writes them (cp932, and EUC-JP with NEC's circled numbers)."""

    def write(path, blocks) -> None:
        render.write_html(path, blocks)
        page = path.read_text(encoding="utf-8").replace('<meta charset="utf-8">', f'<meta charset="{charset}">')
        path.write_bytes(page.encode({"Shift_JIS": "cp932", "EUC-JP": "euc_jis_2004"}.get(charset, charset)))

    return write
