"""The headline marts as Excel workbooks that keep what they hold (`csv/<mart>.xlsx` of a release).

Excel damages a CSV on opening it: `012131` becomes 12131, a share prints as 0.6103896103896104.
The workbook instead holds every text column as text cells (codes keep their zeros; a cell that
starts with `=` is text, never a formula), rates as numbers shown as percentages, the Japanese
label of each column (`main.column_labels`, from the dbt ymls' `meta.label_ja`) as its header, and the
ids last, where they do not get in a reader's way.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from orchestration.publish.release import labelled_columns

PERCENT_FORMAT = "0.0%"
TEXT_FORMAT = "@"
_ROWS_PER_FETCH = 10_000
# Text openpyxl would not write as plain text: a formula, or characters XML 1.0 cannot hold.
_NEEDS_CELL = re.compile(r"^=|" + ILLEGAL_CHARACTERS_RE.pattern)


def is_rate(column: str) -> bool:
    return column.startswith("share_") or column.endswith("_ratio")


def is_id(column: str) -> bool:
    return column.endswith("_id")


def write_xlsx(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str, path: Path) -> None:
    """`catalog.schema.table` as one sheet of an .xlsx at `path`: labelled, typed, ids last."""
    ordered = sorted(labelled_columns(con, catalog, schema, table), key=lambda c: is_id(c[0]))
    sheet_book = Workbook(write_only=True)
    sheet = sheet_book.create_sheet(table[:31])
    bold = Font(bold=True)
    sheet.append([_header(sheet, name, label, bold) for name, _, label in ordered])
    formats = [_format(name, data_type) for name, data_type, _ in ordered]
    columns = ", ".join(f'"{name}"' for name, _, _ in ordered)
    cursor = con.execute(f'select {columns} from "{catalog}"."{schema}"."{table}"')
    while rows := cursor.fetchmany(_ROWS_PER_FETCH):
        for row in rows:
            sheet.append(
                [_cell(sheet, value, number_format) for value, number_format in zip(row, formats, strict=True)]
            )
    sheet_book.save(path)


def _header(sheet, name: str, label: str | None, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=label or name)
    cell.data_type = "s"
    cell.font = font
    return cell


def _format(name: str, data_type: str) -> str | None:
    if data_type == "VARCHAR":
        return TEXT_FORMAT
    return PERCENT_FORMAT if is_rate(name) else None


def _cell(sheet, value, number_format: str | None):
    """A value as openpyxl writes it: text is a text cell (codes keep their zeros) unless it starts
    with "=", which openpyxl would write as a formula; rates get the percent format."""
    if value is None or number_format is None:
        return value
    if number_format == TEXT_FORMAT:
        if _NEEDS_CELL.search(value) is None:
            return value
        # a control character XML cannot hold shows as U+FFFD (the CSV beside it keeps it)
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"  # text, even when it starts with "="
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell
