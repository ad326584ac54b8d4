"""The registry's checks on one landed document, run at landing, before dbt.

`check_landed_document(frame)` sees one document's `kpi_observations` rows (any frame DuckDB
scans: a pyarrow Table, a pandas DataFrame) through the same SQL as the gate's
`raw_kpi_observations` suite, with the unit scales of the vocabulary, and returns the rules of
relation `landed` in `rules.toml` that the document breaks. A `block` violation (a unit read at
the wrong scale, an unknown measure, units mostly unknown, observations mostly quarantined) means
the document's numbers are not to be trusted:
landing lands it as unreadable, with the violation as its reason, so it goes to review and the
other documents publish; `quarantine` rules are left to the dbt models, row by row.
"""

from __future__ import annotations

import atexit
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb
import pyarrow as pa

from orchestration.quality import catalog, rules
from orchestration.vocab import load as vocabulary

_EXAMPLES = 5


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: str  # block / warn / quarantine
    column: str
    n_rows: int
    observation_ids: tuple[str, ...]  # the first few rows that break it

    def describe(self) -> str:
        rows = ", ".join(self.observation_ids)
        return f"quality rule '{self.rule}' ({self.column}) broken by {self.n_rows} observation(s): {rows}"


def _condition(rule: rules.Rule, run: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQL that is true for a row breaking `rule` (NULLs break nothing, as in GX), with its values."""
    values: list[Any] = []

    def bind(value: Any) -> str:
        values.append(rules.resolve(value, run))
        return "?"

    conditions = rules.violations(rule, f'"{rule.column}"', bind)
    return " or ".join(f"({c})" for c in conditions if c), values


@cache
def _connection() -> duckdb.DuckDBPyConnection:
    """One in-memory database per process, holding the vocabulary's unit scales; each document's
    frame is seen through the view raw.kpi_observations. One thread: landing runs one worker
    process per core already, and DuckDB's own threads only contend with them on a document's
    few rows."""
    con = duckdb.connect(config={"threads": 1})
    scales = vocabulary("units")["scales"]
    units = pa.table(
        {
            "unit": list(scales),
            "base_unit": [v[0] for v in scales.values()],
            "scale_factor": [float(v[1]) for v in scales.values()],
        }
    )
    con.execute("create schema raw; create schema reference")
    con.register("unit_scales_frame", units)
    con.execute("create table reference.unit_scales as select * from unit_scales_frame")
    con.register("frame", pa.table({"observation_id": pa.array([], pa.string())}))  # replaced per call
    con.execute("create view raw.kpi_observations as select * from frame")
    # Freed before the interpreter shuts down: a DuckDB object still alive then, while any daemon
    # thread runs (Dagster's, Dask's, GX's), makes duckdb's nanobind print "leaked N instances".
    atexit.register(_connection.cache_clear)
    return con


def _allowed(rule: rules.Rule, total: int, run: dict[str, Any]) -> float:
    """How many of a document's `total` values may break `rule`: none, or for a `mostly` rule the
    share it leaves, or all of them when the document has too few values to judge a share by."""
    mostly = rule.document_mostly if rule.document_mostly is not None else rule.mostly
    if mostly is None:
        return 0
    if total < (rules.resolve(rule.document_mostly_from, run) if rule.document_mostly_from is not None else 0):
        return total
    return (1 - rules.resolve(mostly, run)) * total


def _document_frame(checked: list[tuple[rules.Rule, str, str, list[Any]]]) -> tuple[str, list[Any]]:
    """The frame landing sees a document through, with its SQL's values: the gate's frame of landed
    observations and `quarantined`, true for a row a `quarantine` rule of landing would quarantine
    (a `landed` rule on it judges the document's share, as any other column's)."""
    conditions = [(condition, values) for _, severity, condition, values in checked if severity == "quarantine"]
    flag = " or ".join(f"({condition})" for condition, _ in conditions) or "false"
    sql = f"select *, coalesce({flag}, false) as quarantined from ({catalog.SUITES[rules.LANDED_FRAME].sql})"
    return sql, [v for _, values in conditions for v in values]


def check_landed_document(frame: Any, today: dt.date | None = None) -> list[Violation]:
    """The registry's `landed` rules that one document's observations break."""
    run = rules.run_parameters(today or dt.date.today(), list(vocabulary("units")["scales"]))
    checked = [(rule, severity, *_condition(rule, run)) for rule, severity in rules.for_relation(rules.LANDED)]
    frame_sql, frame_values = _document_frame(checked)
    con = _connection().cursor()
    try:
        con.register("frame", frame)
        counts = con.execute(  # the select list's values, then the frame's
            "select "
            + ", ".join(f'count("{r.column}"), count(*) filter (where {c})' for r, _, c, _ in checked)
            + f" from ({frame_sql})",
            [v for *_, values in checked for v in values] + frame_values,
        ).fetchone()
        found = []
        for i, (rule, severity, condition, values) in enumerate(checked):
            total, broken = counts[2 * i : 2 * i + 2]
            allowed = _allowed(rule, total, run)
            if broken > allowed:  # only then are the rows named (a second, rarer query)
                ids = con.execute(
                    f"select observation_id from ({frame_sql}) where {condition}"
                    f" order by observation_id limit {_EXAMPLES}",
                    frame_values + values,
                ).fetchall()
                found.append(Violation(rule.name, severity, rule.column, broken, tuple(i for (i,) in ids)))
    finally:
        con.close()
    return found


def blocking_reason(violations: list[Violation]) -> str | None:
    """Why the document must not land its numbers, or None."""
    blocking = [v.describe() for v in violations if v.severity == "block"]
    return "; ".join(blocking) or None
