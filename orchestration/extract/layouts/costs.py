"""Cost tables: one row per project with what it cost, and no KPI.

    事業名             | 交付金充当額（千円） | 事業効果
    観光振興事業       | 12,430               | 地方創生に効果があった

Costs are no observations (the contract): each row lands as the project's cost, with the unit
printed in the cell or its header, and the table is read, not sent to review.
"""

from __future__ import annotations

from orchestration.extract.layouts.base import Family, Segment, cell_at, text_of
from orchestration.extract.layouts.columns import ColumnMap
from orchestration.extract.layouts.wide import project_attrs
from orchestration.extract.normalize import clean_project_name

READER = "costs"


def accepts(cmap: ColumnMap) -> bool:
    has_kpis = cmap.name_col is not None or cmap.col("kpi_text") is not None or bool(cmap.measure_columns())
    return not has_kpis and cmap.col("project") is not None and cmap.col("cost") is not None


def read(segment: Segment) -> None:
    cmap, ctx = segment.cmap, segment.ctx
    pcol = cmap.col("project")
    for row in segment.rows:
        name = clean_project_name(text_of(row, pcol))
        if name:
            ctx.project = name
            segment.sink.project(ctx, cell_at(row, pcol), segment.page, READER, **project_attrs(row, cmap))
    segment.sink.layouts.add(READER)


FAMILY = Family(READER, accepts, read)
