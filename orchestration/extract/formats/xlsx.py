"""Excel workbooks (.xlsx, .xlsm): each visible sheet read as `sheets.sheet_blocks` reads any sheet.

The workbook is streamed (openpyxl's read-only mode), so a sheet costs the cells it holds, never
the dimension it claims; formulas read as their cached values. Merged ranges, hidden rows and
hidden columns come from the same pass over the sheet's XML.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

from orchestration.extract.formats.base import MAX_CELLS, MAX_SHARED_STRINGS_BYTES, Content, check_unzipped_size
from orchestration.extract.formats.sheets import Sheet, sheet_blocks
from orchestration.extract.model import Block, DocumentError


def read_xlsx(path: Path, data: bytes) -> Content:
    check_unzipped_size(path, data)
    _check_shared_strings(path, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # a damaged workbook fails in zipfile, lxml or openpyxl alike
        raise DocumentError(str(path), f"not a readable .xlsx: {type(e).__name__}: {e}") from e
    try:
        visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
        blocks: list[Block] = []
        for page, ws in enumerate(visible, start=1):
            blocks.extend(sheet_blocks(_sheet(ws, path), page, str(path)))
    except DocumentError:
        raise
    except Exception as e:  # a sheet's XML damaged past the workbook part
        raise DocumentError(str(path), f"not a readable .xlsx: {type(e).__name__}: {e}") from e
    finally:
        book.close()
    return Content(blocks, sheet_names=[ws.title for ws in visible])


def _check_shared_strings(path: Path, data: bytes) -> None:
    """Refuse shared strings that unpack to more than `MAX_SHARED_STRINGS_BYTES`."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl names the damage
    size = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if size > MAX_SHARED_STRINGS_BYTES:
        raise DocumentError(
            str(path), f"shared strings unpack to {size:,} bytes, more than {MAX_SHARED_STRINGS_BYTES:,}"
        )


def _sheet(ws, path: Path) -> Sheet:
    """One pass over a worksheet's XML: filled cells with their number formats, then (the parser
    has seen them by the end) merged ranges and hidden rows and columns."""
    sheet = Sheet(ws.title)
    book = ws.parent
    with ws._get_source() as source:  # the sheet's part in the archive openpyxl keeps open
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        formats: dict[int, str] = {}  # style id → number format, looked up once per style
        for _, cells in parser.parse():
            for cell in cells:
                if cell["value"] is not None and cell["value"] != "":
                    position = (cell["row"], cell["column"])
                    style = cell["style_id"]
                    if style not in formats:
                        formats[style] = ReadOnlyCell(ws, *position, None, "n", style).number_format
                    sheet.values[position] = (cell["value"], formats[style])
            if len(sheet.values) > MAX_CELLS:
                raise DocumentError(str(path), f"sheet {ws.title!r} holds more than {MAX_CELLS:,} filled cells")
    sheet.hidden_rows = {int(r) for r, attrs in parser.row_dimensions.items() if _true(attrs.get("hidden"))}
    last_col = max((c for _, c in sheet.values), default=0)  # a hidden range A:XFD costs the used columns
    sheet.hidden_cols = {
        c
        for attrs in parser.column_dimensions.values()
        if _true(attrs.get("hidden"))
        for c in range(int(attrs["min"]), min(int(attrs.get("max", attrs["min"])), last_col) + 1)
    }
    if parser.merged_cells is not None:
        for merge in parser.merged_cells.mergeCell:
            min_col, min_row, max_col, max_row = range_boundaries(merge.ref)
            sheet.merges.append((min_row, min_col, max_row, max_col))
    return sheet


def _true(flag: str | None) -> bool:
    return flag in ("1", "true")
