"""KPI blocks: one KPI's numbers in a 数値 row, each dated by the 時点 row under it.

    KPI①   | 移住相談件数                                      (or a key-value table above:
           | 基準値 | 今年度目標値 | 今年度実績値 | 最終目標値      指標名 | 移住相談件数)
    数値   | 80件   | 120件        | 118件        | 150件
    時点   | R4.3   | R6.3         | R6.3         | R9.3

Each number takes its measure from its column, its year from the 時点 cell under it and its unit
from a 単位 row, where there is one; the KPI's
name is the one the block's key-value row names. Before the columns are mapped, the block is
turned into the wide shape the wide reader already reads: the 時点 row becomes a year note on
each number above it (`80件（R4.3）`, as a target printed with its own year), the 数値 label the
KPI's name, and the header over that label column names the KPI column. A value table with
measure columns and no KPI column, under a KPI named just above it, gets a first column naming it.
A 数値 row with no name shown anywhere keeps no name, and so yields no observation.
"""

from __future__ import annotations

import re

from orchestration.extract.layouts.base import Context
from orchestration.extract.layouts.columns import MEASURE_ROLES, cell_kind, header_hits, header_unit
from orchestration.extract.model import Cell
from orchestration.extract.normalize import PLAIN_NUMBER, find_fiscal_year, is_bracket_unit, is_unit
from orchestration.vocab import load, words

_WORDS = words()["kpi_block"]
VALUE_LABELS = frozenset(_WORDS["value_labels"])
POINT_LABELS = frozenset(_WORDS["point_labels"])
UNIT_LABELS = frozenset(_WORDS["unit_labels"])
_DIGIT = re.compile(r"\d")
_NUMBER_AND_NOTE = re.compile(rf"^\s*(?P<number>{PLAIN_NUMBER.pattern})\s*(?P<note>（[^（）]*）)?\s*$")
_KPI_HEADER = load("headers")["roles"]["kpi_name"]["patterns"][0]  # a header naming the KPI column


def fold(headers: list[list[Cell]], rows: list[list[Cell]], ctx: Context) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """The header and data rows with each 時点 row folded into the row above it, each 数値 label
    named, and the header over a named label column naming the KPI column."""
    if not any(_label(row) in POINT_LABELS | VALUE_LABELS for row in rows):
        return _with_name_column(headers, rows, ctx)
    out: list[list[Cell]] = []
    named: set[int] = set()
    unit = _nearest_unit(headers, rows, ctx)
    for row in rows:
        if out and _is_point_row(row):
            out[-1] = _dated(out[-1], row)
        elif out and _is_unit_row(row):
            out[-1] = _united(out[-1], row)
        elif _label(row) in VALUE_LABELS:
            row, col = _named(row, ctx.kpi, unit)
            ctx.named_above = ctx.kpi
            out.append(row)
            named.add(col)
        else:
            out.append(row)
    return _naming_columns(headers, named), out


def _with_name_column(
    headers: list[list[Cell]], rows: list[list[Cell]], ctx: Context
) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """A value table with measure columns and no KPI column under a KPI named just above it (a
    key-value table or a line, 指標名 | 移住相談件数): a first column naming that KPI on each row;
    the name is used up. Any other table as it is."""
    if not (ctx.kpi and headers and rows) or _names_a_column(headers) or any(_has_text(r) for r in rows):
        return headers, rows
    name = _kpi_label(ctx.kpi, ctx.kpi_unit)
    ctx.named_above, ctx.kpi, ctx.kpi_unit = ctx.kpi, "", ""
    last = len(headers) - 1
    named_headers = [[Cell(_KPI_HEADER if i == last else ""), *r] for i, r in enumerate(headers)]
    return named_headers, [[Cell(name, line=r[0].line if r else None), *r] for r in rows]


def _names_a_column(headers: list[list[Cell]]) -> bool:
    """A header naming a KPI, a project or a free-text column, or no measure at all."""
    roles = {h.role for r in headers for c in r for h in header_hits(c.text)}
    return bool(roles & {"kpi_name", "kpi_text", "project"}) or not roles & set(MEASURE_ROLES)


def _has_text(row: list[Cell]) -> bool:
    return any(cell_kind(c.text) in ("text", "named") for c in row if c.norm)


def _kpi_label(kpi: str, unit: str) -> str:
    """The KPI's name, with its unit in brackets where one was found (the name's unit, which the
    readers split off again); blank where no name is shown."""
    if kpi and unit and is_bracket_unit(unit):
        return f"{kpi}({unit})"
    return kpi


def _naming_columns(headers: list[list[Cell]], named: set[int]) -> list[list[Cell]]:
    if not headers or not named:
        return headers
    last = list(headers[-1])
    for col in named:
        if col < len(last):
            last[col] = Cell(_KPI_HEADER, line=last[col].line, ref=last[col].ref)
    return [*headers[:-1], last]


def is_block(rows: list[list[Cell]]) -> bool:
    """A table with a 時点 row: a KPI block, whatever labels run down its first column (so it is
    not a record to be turned on its side)."""
    return any(_is_point_row(row) for row in rows)


def _label(row: list[Cell]) -> str:
    first = next((c for c in row if c.norm), None)
    return first.norm.replace(" ", "") if first else ""


def _is_point_row(row: list[Cell]) -> bool:
    """A row labelled 時点 whose other cells are all points in time or fiscal years."""
    filled = [c for c in row if c.norm]
    return len(filled) >= 2 and _label(row) in POINT_LABELS and all(_is_point(c.norm) for c in filled[1:])


def _is_point(text: str) -> bool:
    found = find_fiscal_year(text)
    return bool(found) and found[1][1] - found[1][0] >= len(text.replace("末", "").replace("時点", "")) - 1


def _is_unit_row(row: list[Cell]) -> bool:
    """A row labelled 単位 whose other cells are all units."""
    filled = [c for c in row if c.norm]
    return (
        len(filled) >= 2
        and _label(row) in UNIT_LABELS
        and all(is_unit(c.norm) and not _DIGIT.search(c.norm) for c in filled[1:])
    )


def _united(above: list[Cell], units: list[Cell]) -> list[Cell]:
    """Each plain number above a unit with that unit printed after it (before a year note)."""
    united = list(above)
    label = next(i for i, c in enumerate(units) if c.norm)
    for i, unit in enumerate(units):
        if i == label or not unit.norm or i >= len(united):
            continue
        m = _NUMBER_AND_NOTE.match(united[i].text)
        if m:
            text = f"{m.group('number')}{unit.norm}{m.group('note') or ''}"
            united[i] = Cell(text, line=united[i].line, ref=united[i].ref)
    return united


def _dated(above: list[Cell], points: list[Cell]) -> list[Cell]:
    """Each number above a point in time with that point as its own year note."""
    dated = list(above)
    label = next(i for i, c in enumerate(points) if c.norm)
    for i, point in enumerate(points):
        if i != label and point.norm and i < len(dated) and dated[i].norm:
            dated[i] = Cell(f"{dated[i].text}（{point.norm}）", line=dated[i].line, ref=dated[i].ref)
    return dated


def _nearest_unit(headers: list[list[Cell]], rows: list[list[Cell]], ctx: Context) -> str:
    """The block's unit, nearest first: a unit note in the header cell over the 数値 label
    (区分（単位：千人）), else the key-value row or note line above the table (単位 | 件,
    （単位：千人）). A number's own unit and a 単位 row under it are nearer still: they are printed
    after the number itself (`_united`), which the wide reader reads before the name's unit."""
    labels = {next(i for i, c in enumerate(r) if c.norm) for r in rows if _label(r) in VALUE_LABELS}
    for col in sorted(labels):
        for header in reversed(headers):
            if col < len(header) and header_unit(header[col].norm):
                return header_unit(header[col].norm)
    return ctx.kpi_unit


def _named(row: list[Cell], kpi: str, unit: str) -> tuple[list[Cell], int]:
    """The 数値 label replaced by the KPI's name from the block's key-value row or heading, with
    its unit in brackets where one was found (blank where no name is shown); and the label's column."""
    label = next(i for i, c in enumerate(row) if c.norm)
    named = list(row)
    named[label] = Cell(_kpi_label(kpi, unit), line=row[label].line, ref=row[label].ref)
    return named, label
