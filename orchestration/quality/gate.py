"""Validate a candidate warehouse against the committed expectation suites.

GX's SQL datasource fails on DuckDB files, so each suite's frame is read into pandas through a
short-lived read-only connection (closed once the last frame is read: a reader blocks DuckDB's
one writer) and validated by GX's pandas datasource, the next frames being read on another
thread meanwhile.

Validation runs in a throwaway GX context whose stores live under `out_dir` (the caller's
choice, e.g. `<warehouse>/quality`): validation results and Data Docs go there, never into the
repository, and the committed suites in `expectations/` are only read.

API for the Dagster assets:
    run_gate(db_path, out_dir) -> GateResult               # every suite, Data Docs built once
    validate_suite(db_path, name, out_dir) -> SuiteOutcome # one suite, for one asset check
`SuiteOutcome.passed` is False only for failed ERROR (critical) expectations; `.metadata` is
flat and JSON-safe for `AssetCheckResult(passed=..., metadata=...)`.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import great_expectations.execution_engine.pandas_execution_engine as gx_pandas_engine
import great_expectations.expectations as gxe
import pandas as pd
import pyarrow as pa
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    FilesystemStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)
from great_expectations.validator.v1_validator import Validator

from orchestration.config import Settings
from orchestration.quality import catalog, rules
from orchestration.quality.datadocs import escape_results, no_call_home
from orchestration.quality.gate_page import write_gate_page
from orchestration.quality.suites import ERROR, file_context

_DATASOURCE = "sosei_candidate"
_MAX_EXAMPLES = 10
# Frames come through Arrow (a third of the time of DuckDB's own `.df()` at national scale),
# with integers and booleans kept nullable as `.df()` keeps them (a year stays 2021, not 2021.0).
_PANDAS = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}
_NAMED_ROWS = {"result_format": "SUMMARY", "partial_unexpected_count": _MAX_EXAMPLES}
# Validation results kept per suite: Data Docs show this much history, and the cost of building
# the site index grows with it.
KEEP_RESULTS = 10

# GX fingerprints each pandas batch (an md5 of `hash_pandas_object` of the whole frame, about a
# second of CPU at national scale) for its batch markers, unless the frame's memory is at least
# this threshold. The gate reads each frame once from the candidate and compares no batches, so
# the fingerprint is never used: a threshold of 0 skips it.
gx_pandas_engine.HASH_THRESHOLD = 0

# GX logs every store write at INFO; the outcome objects carry what matters.
logging.getLogger("great_expectations").setLevel(logging.WARNING)


@dataclass
class FailedExpectation:
    expectation: str
    severity: str  # "critical" (ERROR, blocks publication) or "warning" (WARN, reported)
    kwargs: dict[str, Any]
    unexpected_count: int | None = None
    examples: list[Any] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)  # ids of failing rows, where the frame has ids
    observed_value: Any = None
    printed_in: list[str] = field(default_factory=list)  # each failing row's document, page, line

    def describe(self) -> str:
        column = self.kwargs.get("column") or ",".join(
            str(self.kwargs[k]) for k in ("column_A", "column_B", "column_list") if k in self.kwargs
        )
        where = f" in rows {self.rows}" if self.rows else ""
        where += f" printed in {'; '.join(self.printed_in)}" if self.printed_in else ""
        found = (
            f"{self.unexpected_count} unexpected{where}, e.g. {self.examples}"
            if self.unexpected_count is not None
            else f"observed {self.observed_value!r}"
        )
        return f"[{self.severity}] {self.expectation}({column}): {found}"


@dataclass
class SuiteOutcome:
    suite: str
    relation: str
    rows: int
    passed: bool  # no ERROR expectation failed
    errors: list[FailedExpectation] = field(default_factory=list)
    warnings: list[FailedExpectation] = field(default_factory=list)
    problem: str | None = None  # the frame could not be read at all (missing table, bad SQL)
    data_docs: Path | None = None

    @property
    def metadata(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "relation": self.relation,
            "rows": self.rows,
            "failed_errors": len(self.errors),
            "failed_warnings": len(self.warnings),
            "details": "\n".join(filter(None, [self.problem, *(f.describe() for f in self.errors + self.warnings)]))
            or "all passed",
            "data_docs": str(self.data_docs) if self.data_docs else "",
        }


@dataclass
class GateResult:
    passed: bool
    suites: list[SuiteOutcome]
    data_docs: Path | None
    validated_at: str

    def summary(self) -> dict[str, Any]:
        """A JSON-safe account for run records."""
        return {
            "passed": self.passed,
            "validated_at": self.validated_at,
            "data_docs": str(self.data_docs) if self.data_docs else None,
            "suites": {
                s.suite: {
                    "passed": s.passed,
                    "rows": s.rows,
                    "problem": s.problem,
                    "errors": [f.describe() for f in s.errors],
                    "warnings": [f.describe() for f in s.warnings],
                }
                for s in self.suites
            },
        }


def run_parameters(con: duckdb.DuckDBPyConnection, today: dt.date) -> dict[str, Any]:
    """Values the suites leave open: this year's limits and the units the dbt seed knows."""
    units = [row[0] for row in con.execute("select unit from reference.unit_scales").fetchall()]
    return rules.run_parameters(today, units)


def _open(db_path: Path, today: dt.date) -> tuple[duckdb.DuckDBPyConnection, dict[str, Any]]:
    """A read-only connection to the candidate and the run's parameters."""
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: candidate warehouse not found")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con, run_parameters(con, today)
    except duckdb.Error as exc:
        con.close()
        raise RuntimeError(f"{db_path}: cannot read reference.unit_scales (dbt seeds): {exc}") from exc


def _smallest_first(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    """The suites by the size DuckDB estimates for their relation, smallest first: validation
    can begin as soon as the first frame is read."""
    sizes = dict(con.execute("select schema_name || '.' || table_name, estimated_size from duckdb_tables()").fetchall())
    return sorted(names, key=lambda name: sizes.get(catalog.SUITES[name].relation, 0))


def _read_frame(con: duckdb.DuckDBPyConnection, db_path: Path, name: str) -> pd.DataFrame | str:
    """The suite's frame, or the reason it could not be read."""
    try:
        return con.sql(catalog.SUITES[name].sql).to_arrow_table().to_pandas(types_mapper=_PANDAS.get)
    except duckdb.Error as exc:
        return f"{db_path}: cannot read {catalog.SUITES[name].relation}: {exc}"


def _run_context(out_dir: Path):
    config = DataContextConfig(
        store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=str(out_dir)),
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _native(value: Any) -> Any:
    """numpy scalars → Python values, so outcomes serialise to JSON."""
    return value.item() if hasattr(value, "item") else value


def printed_at(row: dict[str, Any], spec: catalog.SuiteSpec) -> str | None:
    """Where a failing row was printed: `raw/<doc_id> p.3 line 12 cell B4`, or None."""
    doc, *where = [None if pd.isna(v) else _native(v) for v in (row.get(c) for c in spec.locators)] or [None]
    if doc is None:
        return None
    labels = [f"{label}{v}" for label, v in zip(("p.", "line ", "cell "), where, strict=False) if v is not None]
    return " ".join([f"raw/{doc}", *labels])


def _failure(result, spec: catalog.SuiteSpec) -> FailedExpectation:
    config = result.expectation_config
    details = result.result or {}
    # GX lists the failing rows by id and document, which says more than the bad values.
    named = [r for r in details.get("partial_unexpected_index_list") or [] if isinstance(r, dict)]
    rows = [_native(r.get(spec.id_column)) for r in named] if spec.id_column else []
    printed = list(dict.fromkeys(p for r in named if (p := printed_at(r, spec))))
    return FailedExpectation(
        expectation=config.type,
        severity=str(getattr(config.severity, "value", config.severity)),
        kwargs={k: v for k, v in config.kwargs.items() if k != "batch_id"},
        unexpected_count=details.get("unexpected_count"),
        examples=[_native(v) for v in details.get("partial_unexpected_list") or []][:_MAX_EXAMPLES],
        rows=rows[:_MAX_EXAMPLES],
        observed_value=_native(details.get("observed_value")),
        printed_in=printed[:_MAX_EXAMPLES],
    )


def _expectation_key(config) -> tuple[str, str]:
    return config.type, repr(sorted((k, v) for k, v in config.kwargs.items() if k != "batch_id"))


def _run(batch, frame: pd.DataFrame, suite, params: dict[str, Any], result_format: dict[str, Any]):
    return Validator(
        batch_definition=batch, batch_parameters={"dataframe": frame}, result_format=result_format
    ).validate_expectation_suite(suite, params)


def _name_rows_by_value(result, frame: pd.DataFrame, row_names: list[str]) -> bool:
    """Name the failing rows of a one-column expectation (in set, between, not null, unique) in
    its result, as GX's `partial_unexpected_index_list` would: the rows holding the unexpected
    values GX reported are exactly its failing rows. False for another kind of expectation."""
    column = result.expectation_config.kwargs.get("column")
    details = result.result
    if column is None or not details or "partial_unexpected_list" not in details:
        return False
    values = details["partial_unexpected_list"]
    present = [v for v in values if not pd.isna(v)]
    mask = frame[column].isin(present) | (frame[column].isna() if len(present) < len(values) else False)
    named = frame.loc[mask, row_names].head(_MAX_EXAMPLES)
    details["partial_unexpected_index_list"] = named.astype(object).where(named.notna(), None).to_dict("records")
    return True


def _in_bulk(frame: pd.DataFrame, suite) -> tuple[pd.DataFrame, set[str]]:
    """The frame with the nullable integer columns of `between` expectations as float64, and
    those columns. GX compares a nullable integer column with its bounds in a Python call per
    value (0.4 s of CPU for the fiscal years at national scale), a float64 one in bulk; 32-bit
    integers are exact as floats, and `_as_read` turns the values GX reports back."""
    between = {e.column for e in suite.expectations if isinstance(e, gxe.ExpectColumnValuesToBeBetween)}
    columns = {c for c in between if pd.api.types.is_integer_dtype(frame[c].dtype) and frame[c].dtype.itemsize <= 4}
    return frame.astype(dict.fromkeys(columns, "float64")), columns


def _as_read(result, columns: set[str]) -> None:
    """The values GX reports on `columns` as the integers they were read as (2021, not 2021.0)."""
    for r in result.results:
        details = r.result or {}
        if r.expectation_config.kwargs.get("column") not in columns:
            continue
        if "partial_unexpected_list" in details:
            details["partial_unexpected_list"] = [_integer(v) for v in details["partial_unexpected_list"]]
        if "partial_unexpected_counts" in details:
            details["partial_unexpected_counts"] = [
                {**c, "value": _integer(c["value"])} for c in details["partial_unexpected_counts"]
            ]


def _integer(value: Any) -> Any:
    return value if pd.isna(value) else int(value)


def _validated(context, suite, name: str, frame: pd.DataFrame, params: dict[str, Any], run_id: RunIdentifier):
    """The suite's validation result, stored for Data Docs. Every expectation is evaluated once,
    with GX's BASIC result (counts, observed values, example values); the failing rows of a
    failed one are then named by id and document: a one-column expectation's from the values GX
    reported, another's by GX again (its SUMMARY lists every failing row, a Python loop per row
    that costs seconds at national scale)."""
    spec = catalog.SUITES[name]
    batch = (
        context.data_sources.get(_DATASOURCE)
        .add_dataframe_asset(name=name)
        .add_batch_definition_whole_dataframe("whole")
    )
    # GX filters the whole frame per expectation (nulls, unexpected rows): the first pass sees
    # only the columns the expectations read, not the row names (a quarter of the gate's CPU).
    checked, as_floats = _in_bulk(frame[spec.checked_columns], suite)
    result = _run(batch, checked, suite, params, {"result_format": "BASIC"})
    _as_read(result, as_floats)
    failing = [r for r in result.results if not r.success] if spec.row_names else []
    failed = [
        _expectation_key(r.expectation_config) for r in failing if not _name_rows_by_value(r, frame, spec.row_names)
    ]
    if failed:
        again = gx.ExpectationSuite(
            name=suite.name,
            expectations=[copy.copy(e) for e in suite.expectations if _expectation_key(e.configuration) in failed],
        )
        rows_named = _NAMED_ROWS | {"unexpected_index_column_names": spec.row_names}
        named = {
            _expectation_key(r.expectation_config): r for r in _run(batch, frame, again, params, rows_named).results
        }
        result.results = [named.get(_expectation_key(r.expectation_config), r) for r in result.results]
    result.meta |= {"run_id": run_id, "validation_time": run_id.run_time, "batch_parameters": {"dataframe": name}}
    return result


def _store(context, result, run_id: RunIdentifier) -> None:
    escape_results(result)  # landed text is data, not HTML
    suite_id = ExpectationSuiteIdentifier(name=result.suite_name)
    context.validation_results_store.store_validation_results(
        suite_validation_result=result,
        suite_validation_result_identifier=ValidationResultIdentifier(
            expectation_suite_identifier=suite_id, run_id=run_id, batch_identifier=result.batch_id
        ),
        expectation_suite_identifier=suite_id,
    )


def _validate(
    context, committed, name: str, frame: pd.DataFrame | str, params: dict[str, Any], run_id: RunIdentifier
) -> SuiteOutcome:
    spec = catalog.SUITES[name]
    if isinstance(frame, str):
        return SuiteOutcome(suite=name, relation=spec.relation, rows=0, passed=False, problem=frame)
    result = _validated(context, committed, name, frame, params, run_id)
    failed = [_failure(r, spec) for r in result.results if not r.success]
    _store(context, result, run_id)  # after the verdicts are read: the stored copy is escaped
    errors = [f for f in failed if f.severity == ERROR.value]
    return SuiteOutcome(
        suite=name,
        relation=spec.relation,
        rows=len(frame),
        passed=not errors,
        errors=errors,
        warnings=[f for f in failed if f.severity != ERROR.value],
    )


def _prune_results(context, site: Path, keep: int) -> None:
    """Drop all but the newest `keep` validation results of each suite, with their pages."""
    store = context.validation_results_store
    by_suite: dict[str, list] = {}
    for key in store.list_keys():
        by_suite.setdefault(key.expectation_suite_identifier.name, []).append(key)
    for keys in by_suite.values():
        for key in sorted(keys, key=lambda k: k.run_id.run_time, reverse=True)[keep:]:
            store.remove_key(key)
            page = site / "validations" / Path(*key.to_tuple())
            page.with_name(page.name + ".html").unlink(missing_ok=True)
    for root in (site.parent.parent / "validations", site / "validations"):
        for dirpath, _dirs, _files in os.walk(root, topdown=False):
            if Path(dirpath) != root and not os.listdir(dirpath):
                os.rmdir(dirpath)


def _validate_all(context, committed, con, db_path: Path, names: list[str], params, run_id) -> list[SuiteOutcome]:
    """Each suite's outcome (in the order of `names`), its results stored in `context`."""
    # DuckDB and Arrow release the GIL: the next frames are read on another thread while GX
    # validates this one. The connection closes once the last frame is read.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sosei-gate-read") as reader:
        read = {n: reader.submit(_read_frame, con, db_path, n) for n in _smallest_first(con, names)}
        reader.submit(con.close)
        validated = {
            n: _validate(context, _committed_suite(committed, n), n, frame.result(), params, run_id)
            for n, frame in read.items()
        }
    return [validated[n] for n in names]


def run_gate(
    db_path: Path,
    out_dir: Path,
    suites: list[str] | None = None,
    *,
    run_name: str | None = None,
    gx_dir: Path | None = None,
    today: dt.date | None = None,
    keep_results: int = KEEP_RESULTS,
) -> GateResult:
    """Validate `db_path` with the named suites (default: all); results and Data Docs go under
    `out_dir`. `run_name` (the Dagster run id; else the time) groups this run's results in Data
    Docs; `GateResult.data_docs` is the gate's own page (`gate_page`), which links them."""
    names = list(suites or catalog.SUITES)
    unknown = sorted(set(names) - set(catalog.SUITES))
    if unknown:
        raise ValueError(f"unknown suites {unknown}; known: {sorted(catalog.SUITES)}")
    db_path = Path(db_path)
    con, params = _open(db_path, today or dt.date.today())
    try:
        committed_context = file_context(gx_dir or Settings.from_env().gx_dir)
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        context = _run_context(out_dir)
        context.data_sources.add_pandas(_DATASOURCE)
        run_time = dt.datetime.now(dt.UTC)
        run_id = RunIdentifier(run_name=run_name or run_time.strftime("%Y%m%dT%H%M%SZ"), run_time=run_time)
        outcomes = _validate_all(context, committed_context, con, db_path, names, params, run_id)
    finally:
        con.close()  # closed already, unless the gate stopped early
    site = out_dir / "uncommitted" / "data_docs" / "local_site"
    _prune_results(context, site, keep_results)
    # Render only this run's pages (older ones are on disk already); the index lists them all.
    this_run = [k for k in context.validation_results_store.list_keys() if k.run_id == run_id]
    built = context.build_data_docs(resource_identifiers=this_run)
    no_call_home(Path(built["local_site"].removeprefix("file://")))
    gate = GateResult(
        passed=all(o.passed for o in outcomes),
        suites=outcomes,
        data_docs=None,
        validated_at=run_id.run_time.isoformat(timespec="seconds"),
    )
    pages = {
        k.expectation_suite_identifier.name: site / "validations" / f"{Path(*k.to_tuple())}.html" for k in this_run
    }
    # The page the build prints: GX's own pages need the internet for their styles and scripts.
    gate.data_docs = write_gate_page(site, gate, run_id.run_name, pages)
    for outcome in outcomes:
        outcome.data_docs = gate.data_docs
    return gate


def validate_suite(
    db_path: Path,
    name: str,
    out_dir: Path,
    *,
    run_name: str | None = None,
    gx_dir: Path | None = None,
    today: dt.date | None = None,
) -> SuiteOutcome:
    """One suite, for a Dagster asset check: `AssetCheckResult(passed=o.passed, metadata=o.metadata)`."""
    return run_gate(db_path, out_dir, [name], run_name=run_name, gx_dir=gx_dir, today=today).suites[0]


def _committed_suite(context, name: str):
    try:
        return context.suites.get(name)
    except Exception as exc:  # GX raises its own DataContextError subclasses here
        raise RuntimeError(
            f"suite {name!r} is not in the committed expectations: run python -m orchestration.quality.suites --write"
        ) from exc
