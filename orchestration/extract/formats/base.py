"""What every format reader returns, and the row grouping that sheet-like formats share."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.extract.model import Block, Cell, DocumentError, Line, OcrMark, Table

# Cells one sheet or table may print (rows x columns of its used area): a flat export of 20,000
# KPI rows of 40 columns is 800,000; what is beyond is a fault or an attack, refused with a reason.
MAX_CELLS = 1_000_000
# What a zipped format (.xlsx, .docx) may unpack to: a zip bomb is refused before it is opened.
MAX_UNZIPPED_BYTES = 1 << 30
# A workbook's shared-strings part, which openpyxl parses whole before any sheet: MAX_CELLS distinct
# strings of about 100 bytes. A bomb of millions of tiny strings (megabytes zipped) is refused
# before it is parsed, instead of holding a worker and gigabytes until its time limit.
MAX_SHARED_STRINGS_BYTES = 128 << 20


@dataclass
class Content:
    blocks: list[Block]
    pages: int = 1
    sheet_names: list[str] = field(default_factory=list)
    ocr: dict[tuple[int, str], OcrMark] = field(default_factory=dict)  # what OCR read (pdf.py)
    unread: list[tuple[int, str]] = field(default_factory=list)  # (page, reason)


def check_cells(path: Path, count: int) -> None:
    """Refuse a file whose tables hold more than `MAX_CELLS` cells."""
    if count > MAX_CELLS:
        raise DocumentError(str(path), f"{count:,} table cells, more than {MAX_CELLS:,}")


def check_unzipped_size(path: Path, data: bytes) -> None:
    """Refuse a zip archive whose members unpack to more than `MAX_UNZIPPED_BYTES`."""
    try:
        total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader names the damage
    if total > MAX_UNZIPPED_BYTES:
        raise DocumentError(str(path), f"zip archive unpacks to {total:,} bytes, more than {MAX_UNZIPPED_BYTES:,}")


def group_rows(rows: Iterable[tuple[int, list[Cell]]], page: int) -> list[Block]:
    """Sheet rows into blocks: a row with two or more filled cells is a table row, consecutive
    ones form one `Table`; a row with one filled cell is a `Line` (titles, section headings);
    an empty row ends a table. Rows are `(row_number, cells)`; trailing columns that are empty
    in every row of a table are dropped, all other cells kept so positions hold."""
    blocks: list[Block] = []
    table: list[list[Cell]] = []

    def close() -> None:
        if table:
            width = max(i + 1 for row in table for i, c in enumerate(row) if c.norm)
            blocks.append(Table([row[:width] for row in table], page))
            table.clear()

    for number, cells in rows:
        filled = [c for c in cells if c.norm]  # blank once normalised: white space only
        if len(filled) >= 2:
            table.append(cells)
            continue
        close()
        if filled:
            blocks.append(Line(filled[0].text.strip(), page, line=number))
    close()
    return blocks
