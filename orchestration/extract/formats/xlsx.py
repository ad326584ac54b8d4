"""Excel workbooks (.xlsx): each sheet's rows as tables and lines, merged cells filled."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from orchestration.extract.formats.base import Content, group_rows
from orchestration.extract.formats.cells import html_to_text
from orchestration.extract.model import Block, Cell, DocumentError

_PERCENT_DECIMALS = re.compile(r"0\.(0+)%")


def printed(value: object, number_format: str = "General") -> str:
    """A cell value as the sheet shows it: 14700.0 → "14700", 0.7162 in a `0.00%` cell →
    "71.62%", dates in ISO form, empty → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in number_format:
            match = _PERCENT_DECIMALS.search(number_format)
            return f"{value * 100:.{len(match.group(1)) if match else 0}f}%"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return html_to_text(str(value))


def read_xlsx(path: Path, data: bytes) -> Content:
    try:
        # not read-only: merged ranges are only known to a fully loaded sheet
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # a damaged workbook fails in zipfile, lxml or openpyxl alike
        raise DocumentError(str(path), f"not a readable .xlsx: {type(e).__name__}: {e}") from e
    blocks: list[Block] = []
    for page, sheet in enumerate(book.worksheets, start=1):
        blocks.extend(group_rows(_sheet_rows(sheet), page))
    return Content(blocks, sheet_names=book.sheetnames)


def _sheet_rows(sheet):
    """`(row_number, cells)` for every row, merged ranges filled with their top-left value."""
    merged: dict[tuple[int, int], object] = {}
    for rng in sheet.merged_cells.ranges:
        origin = sheet.cell(rng.min_row, rng.min_col)
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                merged[row, col] = origin
    for r in range(1, sheet.max_row + 1):
        cells = []
        for c in range(1, sheet.max_column + 1):
            source = merged.get((r, c)) or sheet.cell(r, c)
            ref = f"{sheet.title}!{get_column_letter(c)}{r}"
            cells.append(Cell(printed(source.value, source.number_format), ref=ref))
        yield r, cells
