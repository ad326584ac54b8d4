"""Several KPIs in one cell, each starting with its own marker (①, (1)) and ending with its number:

    事業名       | 重要業績評価指標及び目標値                        | 目標年月     | 実績値
    農業振興事業 | ①新規就農者数 15人 ②農産物直売所の売上額 3,000万円 | ①R7.3 ②R8.3 | 12人\\n2,400万円

Where the header names that cell's column a KPI column, the row becomes one row per KPI before
its columns are mapped, so every reader reads it as it reads
one KPI a row. A paragraph without a marker continues the KPI above. A companion cell that lists one
entry per KPI (by marker, else by line) gives each KPI its entry, in order; a cell with one entry
that is text or a date (the project, a unit, a shared 目標年月) serves every KPI; a number that could
belong to any of them is no observation and goes to review. A cell whose items state their measures
(目標 100人 実績 143人) is free text, which the KPI grammar reads whole.
"""

from __future__ import annotations

import re

from orchestration.extract.layouts.columns import NAME_LABELS, cell_kind, header_hits
from orchestration.extract.model import Cell

_ITEM = re.compile(r"[①-⑳]|(?:^|(?<=\n))[ \t\u3000]*[(（][0-9０-９]{1,2}[)）]")
_LEADING_MARK = re.compile(r"^\s*(?:[①-⑳]|[(（][0-9０-９]{1,2}[)）])\s*")
_SHARED_KINDS = ("text", "date", "unit", "label", None)


def split_rows(rows: list[list[Cell]], header: list[list[str]]) -> tuple[list[list[Cell]], list[Cell]]:
    """The rows with each row of several marked KPIs in a KPI column split into one row per KPI,
    and the cells whose numbers no single KPI can be given."""
    kpi_columns = {
        c for r in header for c, text in enumerate(r) if any(h.role == "kpi_name" for h in header_hits(text))
    }
    if not kpi_columns:
        return rows, []
    out: list[list[Cell]] = []
    unread: list[Cell] = []
    for row in rows:
        key = _key_items(row, kpi_columns)
        if key is None:
            out.append(row)
            continue
        col, items = key
        split, ambiguous = _split(row, col, items)
        out.extend(split)
        unread.extend(ambiguous)
    return out, unread


def _key_items(row: list[Cell], kpi_columns: set[int]) -> tuple[int, list[str]] | None:
    """The first cell of a KPI column listing two or more marked KPIs, with its items; None for a
    plain row."""
    for c, cell in enumerate(row):
        found = items(cell.text) if c in kpi_columns else []
        if len(found) >= 2:
            if any(label in item for item in found for label in NAME_LABELS):
                return None  # free text: the KPI grammar reads it whole
            return c, found
    return None


def items(text: str) -> list[str]:
    """The marked items of a cell (`①A 15人 ②B 3,000万円` → [`①A 15人`, `②B 3,000万円`]); a
    paragraph without a marker stays with the item above. [] for a cell of one item."""
    starts = [m.start() for m in _ITEM.finditer(text)]
    if len(starts) < 2:
        return []
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def _entries(text: str, n: int) -> list[str] | None:
    """A companion cell's n entries, by marker or else by line, markers stripped; None if it
    lists another number of them."""
    found = items(text)
    if len(found) != n:
        found = [line for line in text.split("\n") if line.strip()]
    if len(found) != n:
        return None
    return [_LEADING_MARK.sub("", entry) for entry in found]


def _split(row: list[Cell], key: int, keys: list[str]) -> tuple[list[list[Cell]], list[Cell]]:
    n = len(keys)
    columns: list[list[str] | None] = []
    ambiguous: list[Cell] = []
    for c, cell in enumerate(row):
        if c == key:
            columns.append([_LEADING_MARK.sub("", k) for k in keys])
        elif not cell.norm:
            columns.append([cell.text] * n)
        else:
            entries = _entries(cell.text, n)
            if entries is None and cell_kind(cell.text) not in _SHARED_KINDS:
                ambiguous.append(cell)  # one number, several KPIs: whose is it?
                entries = [""] * n
            columns.append(entries or [cell.text] * n)
    return [
        [Cell(columns[c][i], line=cell.line, ref=cell.ref) for c, cell in enumerate(row)] for i in range(n)
    ], ambiguous
