"""Block tables: one row per project, KPIs written as free text in one column.

    交付金名称 | 地方創生推進交付金
    事業の名称 | 実施内容 | 実績（KPI等） | 備考
    <project>  | <what was done: budgets, events — not KPIs> | <KPI text> | <remarks>

A row whose table continues over a page break comes back without a header; its second part
belongs to the project its first part named.
"""

from __future__ import annotations

import re

from orchestration.extract.layouts.base import Context, Family, Segment, cell_at, text_of
from orchestration.extract.layouts.columns import ColumnMap
from orchestration.extract.layouts.kpi_text import read_kpi_cell
from orchestration.extract.normalize import clean_project_name

READER = "block"
# A project cell that starts mid-sentence (を促進するための…) is the tail of the row above.
_CONTINUES = re.compile(r"^(?:を|に|の|は|が|で|と|へ|も|や|から|より|及び|並びに|、)")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _first_marker(text: str) -> int | None:
    m = re.search(f"[{_CIRCLED}]", text)
    return _CIRCLED.index(m.group()) + 1 if m else None


def _is_continuation(ctx: Context, project_text: str, kpi_text: str) -> bool:
    if not ctx.project:
        return False
    if _CONTINUES.match(project_text):
        return True
    first = _first_marker(kpi_text)
    return first is not None and bool(ctx.kpi_markers) and first == max(ctx.kpi_markers) + 1


def accepts(cmap: ColumnMap) -> bool:
    """Block tables print KPIs as free text in one column, without value columns."""
    return cmap.col("kpi_text") is not None and not cmap.measure_columns()


def read(segment: Segment) -> None:
    ctx, sink, page, continued = segment.ctx, segment.sink, segment.page, segment.continued
    pcol, kcol = segment.cmap.col("project"), segment.cmap.col("kpi_text")
    for i, row in enumerate(segment.rows):
        project_text = clean_project_name(text_of(row, pcol))
        kpi_text = text_of(row, kcol)
        if project_text and not (continued and i == 0 and _is_continuation(ctx, project_text, kpi_text)):
            ctx.project = project_text
            ctx.kpi_markers = []
            sink.project(ctx, cell_at(row, pcol), page, READER)
        if not kpi_text.strip():
            continue
        cell = cell_at(row, kcol)
        reading = read_kpi_cell(kpi_text, ctx.fiscal_year)
        ctx.kpi_markers.extend(m for m in (_first_marker(x) for x in re.split(r"(?=[①-⑳])", kpi_text)) if m)
        sink.free_text(ctx, cell, page, READER, reading)


FAMILY = Family(READER, accepts, read)
