"""The registry's checks on one landed document, run at landing, before dbt.

`check_landed_document(frame)` sees one document's `kpi_observations` rows (any frame DuckDB
scans: a pyarrow Table, a pandas DataFrame) through the same SQL as the gate's
`raw_kpi_observations` suite, with the unit scales of the vocabulary, and returns the rules of
relation `landed` in `rules.toml` that the document breaks. A `block` violation (a unit read at
the wrong scale, an unknown measure) means the document's numbers are not to be trusted:
landing lands it as unreadable, with the violation as its reason, so it goes to review and the
other documents publish; `quarantine` rules are left to the dbt models, row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

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
    if rule.rule == "between":
        bounds = [(op, rules.resolve(v, run)) for op, v in (("<", rule.min), (">", rule.max)) if v is not None]
        return " or ".join(f'"{rule.column}" {op} ?' for op, _ in bounds), [v for _, v in bounds]
    return f'"{rule.column}" is not null and not list_contains(?, "{rule.column}")', [rules.resolve(rule.values, run)]


def _violation(
    con: duckdb.DuckDBPyConnection, rule: rules.Rule, severity: str, run: dict[str, Any]
) -> Violation | None:
    condition, values = _condition(rule, run)
    total, broken, ids = con.execute(
        f'select count("{rule.column}"), count(*) filter (where {condition}),'
        f" list(observation_id order by observation_id) filter (where {condition})"
        " from landed",
        values + values,
    ).fetchone()
    allowed = (1 - rules.resolve(rule.mostly, run)) * total if rule.mostly is not None else 0
    if not broken or broken <= allowed:
        return None
    return Violation(rule.name, severity, rule.column, broken, tuple(ids[:_EXAMPLES]))


def check_landed_document(frame: Any, today: dt.date | None = None) -> list[Violation]:
    """The registry's `landed` rules that one document's observations break."""
    scales = vocabulary("units")["scales"]
    run = rules.run_parameters(today or dt.date.today(), list(scales))
    with duckdb.connect() as con:
        con.execute("create schema raw; create schema reference")
        con.register("frame", frame)
        con.execute("create table raw.kpi_observations as select * from frame")
        con.execute("create table reference.unit_scales (unit varchar, base_unit varchar, scale_factor double)")
        con.executemany(
            "insert into reference.unit_scales values (?, ?, ?)",
            [(unit, base, factor) for unit, (base, factor, _) in scales.items()],
        )
        con.execute(f"create table landed as {catalog.SUITES['raw_kpi_observations'].sql}")
        found = [_violation(con, rule, severity, run) for rule, severity in rules.for_relation(rules.LANDED)]
    return [v for v in found if v is not None]


def blocking_reason(violations: list[Violation]) -> str | None:
    """Why the document must not land its numbers, or None."""
    blocking = [v.describe() for v in violations if v.severity == "block"]
    return "; ".join(blocking) or None
