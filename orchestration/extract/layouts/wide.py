"""Wide KPI tables and plan tables: one row per KPI, one column per measure.

    交付金事業の名称 | 実績額(千円) | 指標 | 事業開始前 | 目標値(R4.3時点) | 単位 | 実績値(R4.3) | 事業効果
    <project>        | 43,840      | <KPI> | 0        | 1,839,000        | 千円 | 434,000      | …
                     |             | <KPI> | 2        | 16               | 件   | 31           |

A project row spans the KPI rows under it. Plans are the same shape with a baseline and one
planned yearly increase (増加分) per fiscal-year column, and name their project outside the table.
Each column's role and year come from its header (columns.py), or from the row (目標年月).
"""

from __future__ import annotations

import re

from orchestration.extract.evidence import derived_reading
from orchestration.extract.layouts.base import Context, Family, Segment, Sink, cell_at, norm_of, text_of
from orchestration.extract.layouts.columns import DATE_ROLES, Column, ColumnMap, read_row_label, strip_year_note
from orchestration.extract.layouts.kpi_text import CellReading, carried_target, clean_kpi_name
from orchestration.extract.layouts.rows import fold_section_cells
from orchestration.extract.model import Cell, Observation
from orchestration.extract.normalize import (
    clean_name,
    clean_project_name,
    find_fiscal_year,
    normalize_unit,
    parse_status,
    split_compound,
    split_value_unit,
    strip_running_total,
)
from orchestration.vocab import alternation, words

_TOTAL = re.compile(rf"^(?:{alternation(words()['rows']['totals'])})$")
_WESTERN_YEAR = re.compile(r"(?:19|20)\d\d")
_NO_NAME = re.compile(r"[-－―ー−\s]+")


def reader_name(cmap: ColumnMap) -> str:
    return "plan" if any(s.role == "target_increment" for _, s in cmap.measure_columns()) else "wide"


def accepts(cmap: ColumnMap) -> bool:
    return cmap.name_col is not None and bool(cmap.measure_columns())


def read(segment: Segment) -> None:
    rows, cmap, ctx, sink, page = segment.rows, segment.cmap, segment.ctx, segment.sink, segment.page
    reader = segment.reader or reader_name(cmap)
    sink.layouts.add(reader)
    pcol, gcol = cmap.col("project"), cmap.col("grant")
    if pcol is None and ctx.doc_project and not ctx.project:
        ctx.project = ctx.doc_project
    previous: list[Cell] | None = None
    for row in fold_section_cells(rows, pcol):
        project_text = clean_project_name(text_of(row, pcol))
        if gcol is not None and norm_of(row, gcol):
            ctx.grant = norm_of(row, gcol)
        if project_text and not _TOTAL.match(project_text):
            ctx.project = project_text
            sink.project(ctx, cell_at(row, pcol), page, reader, **project_attrs(row, cmap))
        years = _row_years(row, cmap)
        row_measure = _row_measure(row, cmap, years)
        if row_measure is None:
            sink.unread(
                cell_at(row, cmap.col("row_measure")),
                page,
                reader,
                " | ".join(c.norm for c in row),
                "row label names no measure",
            )
            continue
        if row_measure == _DERIVED:  # a derived row (達成率) holds no observation, but evidence
            _note_derived_row(row, cmap, years, ctx, sink, page, reader)
            continue
        for name_col, measure_cols in cmap.kpi_groups():
            if row_measure and not norm_of(row, name_col) and cmap.col("row_measure") is not None:
                row = _carry_down(row, previous, name_col, cmap)  # 実績 row under its 目標 row
            _read_kpi(
                row, name_col, measure_cols, cmap, years, ctx, sink, page, reader, bool(project_text), row_measure
            )
        previous = row


_DERIVED = ""  # the row measure of a derived row (達成率)


def _row_measure(row: list[Cell], cmap: ColumnMap, years: dict[str, int]) -> str | None:
    """The measure a row's label names (区分: 目標 / 実績), `actual` where the table has no label
    column or the label is blank, _DERIVED for a derived row, None for a label naming no
    measure. A year printed with the label dates that measure (`目標値（R5年度）`)."""
    col = cmap.col("row_measure")
    text = norm_of(row, col) if col is not None else ""
    if not text:
        return "actual"
    label = read_row_label(text)
    if label is None:
        return None
    measure, year = label
    if measure and year:
        years[measure] = year
    return measure or _DERIVED


def _row_years(row: list[Cell], cmap: ColumnMap) -> dict[str, int]:
    """The years a row's date columns print: its own (年度), and per measure (目標年月, 基準年度)."""
    years: dict[str, int] = {}
    for role, key in DATE_ROLES.items():
        col = cmap.col(role)
        if col is None:
            continue  # no such column: no year
        text = norm_of(row, col)
        found = find_fiscal_year(text)
        if found:
            years[key] = found[0]
        elif _WESTERN_YEAR.fullmatch(text):
            years[key] = int(text)  # a date column (年度, 基準年度) may print the bare Western year
    return years


def _measure_year(measure: str, spec: Column, years: dict[str, int], ctx: Context) -> int | None:
    """A number's year where its cell prints none: its measure's date column, the row's year,
    the column's header, the table's heading; a baseline only from its own date or header, or
    from the year of a row that holds it alone (a tidy long export's 区分 基準値 row)."""
    if measure == "baseline":
        return years.get("baseline") or (years.get("row") if spec.role == "by_row" else None) or spec.year
    return years.get(measure) or years.get("row") or spec.year or ctx.fiscal_year


def _year_in_table(measure: str, spec: Column, years: dict[str, int]) -> bool:
    """Whether `_measure_year` finds a number's year in its table, not the heading's or document's."""
    return bool(years.get(measure) or years.get("row") or spec.year)


def _carry_down(row: list[Cell], previous: list[Cell] | None, name_col: int, cmap: ColumnMap) -> list[Cell]:
    """A sub-row that leaves the KPI name (and unit) to the row above it."""
    if previous is None:
        return row
    row = list(row)
    for col in (name_col, cmap.col("unit")):
        if col is not None and col < len(row) and col < len(previous):
            row[col] = Cell(previous[col].text, line=row[col].line, ref=row[col].ref)
    return row


def _read_kpi(
    row: list[Cell],
    name_col: int,
    measure_cols: tuple[tuple[int, Column], ...],
    cmap: ColumnMap,
    years: dict[str, int],
    ctx: Context,
    sink: Sink,
    page: int,
    reader: str,
    project_row: bool,
    row_measure: str = "actual",
) -> None:
    raw_name, shown_name = text_of(row, name_col), norm_of(row, name_col)
    measures = [(c, spec) for c, spec in measure_cols if norm_of(row, c)]
    carried = carried_target(raw_name, ctx.fiscal_year)
    if carried:  # `移住相談件数 令和7年度まで 300件`: the name, and the target for its deadline
        raw_name, targets = carried
        sink.free_text(ctx, cell_at(row, name_col), page, reader, CellReading(targets))
    name, name_unit = clean_kpi_name(raw_name)
    if not name or _NO_NAME.fullmatch(name):
        # An unnamed KPI slot is no KPI; numbers under no name at all go to review (a totals
        # row prints only under the cost column, so it never gets here).
        if measures and not project_row and not all(parse_status(text_of(row, c)) for c, _ in measures):
            sink.unread(
                cell_at(row, measures[0][0]),
                page,
                reader,
                " | ".join(c.norm for c in row),
                "values in a row with no KPI name",
            )
        return
    if _TOTAL.match(name):
        return
    first = len(sink.observations)
    for col, spec in measures:
        printed = text_of(row, col)
        text, own_year = strip_year_note(printed)
        text = strip_running_total(text, spec.cumulative)
        unit_text = text_of(row, cmap.unit_col_for(col))
        values = _cell_values(text, unit_text)
        if not values:
            sink.unread(cell_at(row, col), page, reader, f"{name}: {printed}", f"unreadable {spec.role} value")
            continue
        measure = row_measure if spec.role == "by_row" else spec.role
        year = own_year or _measure_year(measure, spec, years, ctx)
        for value, unit, status in values:
            if value is not None:
                unit = unit or normalize_unit(unit_text) or name_unit or spec.unit
            sink.observe(
                ctx,
                cell_at(row, col),
                page,
                reader,
                kpi_name=name,
                measure=measure,
                fiscal_year=year,
                value=value,
                unit=unit,
                status=status,
                value_text=norm_of(row, col),
                fragment=f"{shown_name} | {norm_of(row, col)}",
                year_in_table=_year_in_table(measure, spec, years),
            )
    _note_derived_cells(row, name_col, cmap, ctx, sink, page, reader, name, sink.observations[first:])


def _note_derived_cells(
    row: list[Cell],
    name_col: int,
    cmap: ColumnMap,
    ctx: Context,
    sink: Sink,
    page: int,
    reader: str,
    name: str,
    read: list[Observation],
) -> None:
    """The 達成率 and marks a KPI's row prints, as evidence on the year of its latest actual
    (a multi-year row's 達成 column judges its last year), else of its target."""
    years = [o.fiscal_year for o in read if o.measure == "actual" and o.fiscal_year] or [
        o.fiscal_year for o in read if o.measure == "target" and o.fiscal_year
    ]
    for col in cmap.derived_for(name_col):
        found = derived_reading(text_of(row, col), cmap.columns[col].unit)
        if found:
            year = cmap.columns[col].year or (max(years) if years else ctx.fiscal_year)
            _note_reading(row, name_col, col, name, found, year, ctx, sink, page, reader)


def _note_derived_row(
    row: list[Cell], cmap: ColumnMap, years: dict[str, int], ctx: Context, sink: Sink, page: int, reader: str
) -> None:
    """A derived row's (区分 達成率) number, as evidence on its KPI's year (a tidy long export)."""
    for name_col, measure_cols in cmap.kpi_groups():
        name, _unit = clean_kpi_name(text_of(row, name_col))
        for col, spec in measure_cols:
            found = derived_reading(text_of(row, col), text_of(row, cmap.unit_col_for(col)) or spec.unit)
            if name and found:
                year = years.get("row") or spec.year or ctx.fiscal_year
                _note_reading(row, name_col, col, name, found, year, ctx, sink, page, reader)


def _note_reading(
    row: list[Cell],
    name_col: int,
    col: int,
    name: str,
    found: tuple[str, float | None, str],
    year: int | None,
    ctx: Context,
    sink: Sink,
    page: int,
    reader: str,
) -> None:
    """A derived cell's reading (kind, value, unit) as evidence on the KPI named in `name_col`."""
    kind, value, unit = found
    fragment = f"{norm_of(row, name_col)} | {norm_of(row, col)}"
    where = (ctx, row[col], page, reader)
    sink.note_evidence(*where, kind=kind, kpi_name=name, fiscal_year=year, value=value, unit=unit, fragment=fragment)


def _cell_values(text: str, unit_text: str) -> list[tuple[float | None, str, str]]:
    """A value cell's (value, unit, status) readings: one number or status, or the numbers of a
    compound (`150・2,800` under `回・人`), each with its part of the unit; [] if unreadable."""
    value, unit, status = split_value_unit(text)
    if value is not None or status:
        return [(value, unit, status)]
    return [(v, u, "") for v, u in split_compound(text, unit_text) or []]


def project_attrs(row: list[Cell], cmap: ColumnMap) -> dict:
    """What a row says about its project besides its KPIs: cost (実績額), effect, future plan."""
    attrs: dict = {}
    cost_col = cmap.col("cost")
    if cost_col is not None and norm_of(row, cost_col):
        value, unit, _status = split_value_unit(text_of(row, cost_col))
        attrs["cost_value"] = value
        attrs["cost_unit"] = unit or cmap.columns[cost_col].unit
    for role, key in (("effect", "effect_rating"), ("plan", "future_plan")):
        col = cmap.col(role)
        if col is not None:
            attrs[key] = clean_name(text_of(row, col))
    return attrs


FAMILY = Family("wide", accepts, read)
