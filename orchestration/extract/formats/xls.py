"""Excel 97–2003 workbooks (.xls, BIFF8): each visible sheet read as `sheets.sheet_blocks` reads any
sheet, so a report reads the same saved as .xls or .xlsx.

xlrd gives formulas by their cached values; `formatting_info` brings the number formats, merged
ranges and hidden rows and columns.
"""

from __future__ import annotations

from pathlib import Path

import xlrd
from xlrd.xldate import XLDateError, xldate_as_datetime

from orchestration.extract.formats.base import Content
from orchestration.extract.formats.sheets import Sheet, sheet_blocks
from orchestration.extract.model import Block, DocumentError

_FILLED = {xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE, xlrd.XL_CELL_BOOLEAN, xlrd.XL_CELL_ERROR}


def read_xls(path: Path, data: bytes) -> Content:
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, on_demand=True, logfile=_Quiet()
        )
    except Exception as e:  # xlrd raises its own errors, struct, index and assertion errors alike
        raise DocumentError(str(path), f"not a readable .xls: {type(e).__name__}: {e}") from e
    try:
        blocks: list[Block] = []
        names: list[str] = []
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            if ws.visibility:
                continue
            names.append(ws.name)
            blocks.extend(sheet_blocks(_sheet(book, ws), len(names), str(path)))
    except DocumentError:
        raise
    except Exception as e:
        raise DocumentError(str(path), f"not a readable .xls: {type(e).__name__}: {e}") from e
    finally:
        book.release_resources()
    return Content(blocks, sheet_names=names)


def _sheet(book: xlrd.Book, ws: xlrd.sheet.Sheet) -> Sheet:
    sheet = Sheet(ws.name)
    for r in range(ws.nrows):
        for c, cell in enumerate(ws.row(r)):
            if cell.ctype in _FILLED and cell.value != "":
                sheet.values[r + 1, c + 1] = (_value(book, cell), _format(book, cell.xf_index))
    sheet.merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells]
    sheet.hidden_rows = {r + 1 for r, info in ws.rowinfo_map.items() if info.hidden}
    sheet.hidden_cols = {c + 1 for c, info in ws.colinfo_map.items() if info.hidden}
    return sheet


def _value(book: xlrd.Book, cell: xlrd.sheet.Cell) -> object:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xldate_as_datetime(cell.value, book.datemode)
        except (XLDateError, ValueError, OverflowError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return cell.value


def _format(book: xlrd.Book, xf_index: int | None) -> str:
    if xf_index is None or xf_index >= len(book.xf_list):
        return "General"
    fmt = book.format_map.get(book.xf_list[xf_index].format_key)
    return fmt.format_str if fmt is not None else "General"


class _Quiet:
    """xlrd's log of oddities it read past: not wanted on the console."""

    def write(self, _text: str) -> None:
        pass
