"""Layout families as plug-ins. The engine cuts each table into header + data segments, maps the
header's columns (columns.py) and hands the segment to the first family here that accepts the
map. A new family is one module defining `FAMILY = Family(name, accepts, read)`, one line in
`FAMILIES`, and the header words it needs in `orchestration/vocab/headers.toml`.
"""

from __future__ import annotations

from orchestration.extract.layouts import block, costs, named_cells, wide
from orchestration.extract.layouts.base import Family

FAMILIES: tuple[Family, ...] = (
    block.FAMILY,  # 事業の名称 / 実施内容 / 実績（KPI等）: KPIs as free text in one column
    wide.FAMILY,  # one row per KPI, one column per measure (and plans: 事業開始前 + 増加分)
    named_cells.FAMILY,  # measure columns whose cells print the KPI's name with its number
    costs.FAMILY,  # one row per project with its cost and no KPI (事業名 | 交付金充当額)
)


def family_for(cmap) -> Family | None:
    return next((f for f in FAMILIES if f.accepts(cmap)), None)
