"""Tables printed on their side: role labels down the first column, one column per KPI.

    区分              | ブランド認証品目数 | 首都圏での商談件数        事業名 | 地域ブランド創出事業
    基準値（R3年度）  | 4                  | 10                        指標   | ブランド認証品目数
    目標値（R5年度）  | 12                 | 40                        目標値 | 12
    単位              | 品目               | 件                        実績値 | 15

Both a transposed table (KPIs as columns, measures as rows) and a key-value evaluation sheet
(one project's facts, one label per row) are turned the right way round, so the column readers
read them: each KPI column yields its measures with the years of the row labels.
"""

from __future__ import annotations

from orchestration.extract.layouts.columns import MEASURE_ROLES, header_hits
from orchestration.extract.model import Cell
from orchestration.extract.normalize import nfkc

# Labels a record prints down its first column.
RECORD_ROLES = frozenset(
    {"kpi_name", "baseline", "target", "actual", "unit", "target_increment", "project", "target_date"}
)


def labels_down_first_column(rows: list[list[Cell]], max_label: int) -> bool:
    """Role labels down the first column: three record roles with a measure among them (指標 /
    目標値 / 実績値), or two measures on rows of their own (令和3年度 目標 / 令和3年度 実績)."""
    if not rows or max(len(r) for r in rows) < 2:
        return False
    labels = [header_hits(r[0].text) for r in rows if r and len(nfkc(r[0].text)) <= max_label]
    roles = {h.role for hits in labels for h in hits}
    measures = roles & set(MEASURE_ROLES)
    measure_rows = sum(1 for hits in labels if any(h.role in MEASURE_ROLES for h in hits))
    return bool(measures) and (len(roles & RECORD_ROLES) >= 3 or (len(measures) >= 2 and measure_rows >= 2))


def transpose(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    padded = [r + [Cell("", line=r[0].line if r else None)] * (width - len(r)) for r in rows]
    return [list(col) for col in zip(*padded, strict=True)]


_KPI_ROLES = frozenset(MEASURE_ROLES) | {"kpi_name", "kpi_text"}


def is_fact_sheet(rows: list[list[Cell]]) -> bool:
    """Key-value rows of a project's facts (事業期間 | …, 事業費 | 24,800千円, 担当課 | 産業政策課):
    a label and one value on every row, labels that name facts and no KPI or measure. Not a KPI
    table: it holds no observation and nothing to review."""
    pairs = [[c for c in r if c.norm] for r in rows]
    if not pairs or any(len(p) != 2 for p in pairs):
        return False
    roles = {h.role for p in pairs for h in header_hits(p[0].text)}
    return bool(roles) and not roles & _KPI_ROLES
