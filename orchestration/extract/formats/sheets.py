"""One reading for every spreadsheet format: a worksheet's filled cells into tables and lines.

The .xlsx and .xls readers each turn a worksheet into a `Sheet` (its filled cells with their
number formats, merged ranges, hidden rows and columns); `sheet_blocks` does the rest for both:
- the sheet is read inside its used area, the box around its filled cells, whatever its dimension
  record or a merged range claims (a workbook that says it reaches XFD1048576 costs what it holds);
- hidden rows and columns are not part of the report, and a hidden row is no gap between tables;
- a merged range gives its top-left cell's text to every cell it covers;
- cells print as the sheet displays them (`numfmt.display`);
- rows group into tables and lines as `base.group_rows` does for every sheet-like format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from orchestration.extract.formats.base import MAX_CELLS, group_rows
from orchestration.extract.formats.numfmt import display
from orchestration.extract.model import Block, Cell, DocumentError

Position = tuple[int, int]  # (row, column), 1-based


@dataclass
class Sheet:
    title: str
    values: dict[Position, tuple[object, str]] = field(default_factory=dict)  # filled cells: (value, format)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min row, min col, max row, max col
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


def sheet_blocks(sheet: Sheet, page: int, path: str) -> list[Block]:
    """The sheet's rows as blocks on `page`. Raises `DocumentError` when its used area holds more
    than `MAX_CELLS` cells."""
    texts = {pos: display(value, fmt) for pos, (value, fmt) in sheet.values.items()}
    texts = {pos: text for pos, text in texts.items() if text.strip()}
    if not texts:
        return []
    last_row = max(r for r, _ in texts)
    last_col = max(c for _, c in texts)
    area = f"its used area A1:{get_column_letter(last_col)}{last_row}"
    if not _fill_merges(texts, sheet.merges, last_row, last_col):
        raise DocumentError(path, f"sheet {sheet.title!r}: merged ranges cover more than {MAX_CELLS:,} cells of {area}")
    rows = sorted({r for r, _ in texts} - sheet.hidden_rows)
    cols = [c for c in range(1, last_col + 1) if c not in sheet.hidden_cols]
    if len(rows) * len(cols) > MAX_CELLS:
        raise DocumentError(
            path,
            f"sheet {sheet.title!r}: {area} has {len(rows):,} filled rows of {len(cols):,} columns, "
            f"more than {MAX_CELLS:,} cells",
        )
    return group_rows(_rows(sheet, texts, rows, cols), page)


def _fill_merges(
    texts: dict[Position, str], merges: list[tuple[int, int, int, int]], last_row: int, last_col: int
) -> bool:
    """Every cell a merged range covers takes its top-left cell's text, inside the used area.
    False, with nothing filled, when that would be more than `MAX_CELLS` cells."""
    clipped = [
        (text, min_row, min_col, min(max_row, last_row), min(max_col, last_col))
        for min_row, min_col, max_row, max_col in merges
        if (text := texts.get((min_row, min_col)))
    ]
    if sum((r2 - r1 + 1) * (c2 - c1 + 1) for _, r1, c1, r2, c2 in clipped) > MAX_CELLS:
        return False
    for text, r1, c1, r2, c2 in clipped:
        texts.update(dict.fromkeys(((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)), text))
    return True


def _rows(
    sheet: Sheet, texts: dict[Position, str], rows: list[int], cols: list[int]
) -> Iterator[tuple[int, list[Cell]]]:
    """`(row_number, cells)` of the filled visible rows; an empty row stands for each gap of
    visible empty rows, so that the tables either side stay apart."""
    letters = {c: get_column_letter(c) for c in cols}
    previous = None
    for r in rows:
        if previous is not None and any(g not in sheet.hidden_rows for g in range(previous + 1, r)):
            yield previous + 1, []
        yield r, [Cell(texts.get((r, c), ""), ref=f"{sheet.title}!{letters[c]}{r}") for c in cols]
        previous = r
