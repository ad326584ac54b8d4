"""Tables whose value cells print the KPI's name with its number, under measure headers only.

    事業名           | 目標（R4年度）          | 実績（R4年度）
    空き店舗活用事業 | 空き店舗の活用件数 5件   | 空き店舗の活用件数 3件

The text before the number is the KPI's name, the number its value, the rest its unit; the
column gives the measure and year. Each row becomes a wide row with its name in a column of its
own (one per name the row's cells print), so the wide reader's rules hold for it unchanged.
"""

from __future__ import annotations

from dataclasses import replace

from orchestration.extract.layouts import wide
from orchestration.extract.layouts.base import Family, Segment, text_of
from orchestration.extract.layouts.columns import NAME_LABELS, Column, ColumnMap
from orchestration.extract.model import Cell
from orchestration.extract.normalize import nfkc, split_named_cell

READER = "named_cells"


def accepts(cmap: ColumnMap) -> bool:
    return cmap.names_in_cells and cmap.name_col is None and bool(cmap.measure_columns())


def _rows_by_name(row: list[Cell], measure_cols: list[int], width: int) -> tuple[list[list[Cell]], list[Cell]]:
    """One wide row per KPI name the row's value cells print (name in column `width`, each value
    cell reduced to its number and unit), and the value cells no name can be given to. Where the
    row names one KPI, its other cells (a bare number, a status) are that KPI's."""
    padded = list(row) + [Cell("")] * (width - len(row))
    split = {c: split_named_cell(text_of(row, c), NAME_LABELS) for c in measure_cols if nfkc(text_of(row, c))}
    names = list(dict.fromkeys(s[0] for s in split.values() if s))
    if len(names) != 1:
        unnamed = [row[c] for c, found in split.items() if not found]
        if not names:
            return [], unnamed
    else:
        unnamed = []
    out = []
    for name in names:
        cells = list(padded)
        for c, found in split.items():
            keep = found is None and len(names) == 1
            if found and found[0] == name:
                cells[c] = Cell(found[1], line=row[c].line, ref=row[c].ref)
            elif not keep:
                cells[c] = Cell("", line=row[c].line, ref=row[c].ref)
        anchor = next(row[c] for c, f in split.items() if f and f[0] == name)
        out.append([*cells, Cell(name, line=anchor.line, ref=anchor.ref)])
    return out, unnamed


def read(segment: Segment) -> None:
    cmap = segment.cmap
    measure_cols = [c for c, _ in cmap.measure_columns()]
    rows = []
    for row in segment.rows:
        named_rows, unnamed = _rows_by_name(row, measure_cols, cmap.width)
        rows.extend(named_rows or [row])  # a row naming no KPI still sets its project
        for cell in unnamed:
            segment.sink.unread(cell, segment.page, READER, cell.text, "value cell whose KPI name cannot be read")
    named = ColumnMap(cmap.width + 1, {**cmap.columns, cmap.width: Column("kpi_name")})
    wide.read(replace(segment, rows=rows, cmap=named, reader=READER))


FAMILY = Family(READER, accepts, read)
