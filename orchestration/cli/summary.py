"""What `sosei build` prints at the end: what landed, what the candidate holds, the gate, the release."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.config import Settings
from orchestration.land.registry import Plan
from orchestration.land.store import LandedDocument

DBT_LINES_FILE = "dbt-build.log"


@dataclass
class BuildSummary:
    run_id: str
    documents: int
    documents_in_error: int
    observations: int
    review_rows: int | None
    gate_passed: bool
    published_db: str | None
    data_docs: str | None
    landed: list[str]
    skipped: list[str]
    removed: list[str]
    plan: str = ""
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    reextracted: list[str] = field(default_factory=list)
    failure: str | None = None  # the stage that failed and why
    dbt_log: str | None = None
    unreadable: list[str] = field(default_factory=list)  # why each document landed now went to review whole


def landing_line(result) -> str:
    meta = _materialization_metadata(result, "landed_document")
    return f"{meta['documents']} documents, {meta['observations']} observations, {meta['review_rows']} review rows"


def print_failed_documents(result) -> None:
    for doc, reason in _materialization_metadata(result, "landed_document")["failed_documents"].items():
        print(f"  failed: {doc}: {reason}")


def _materialization_metadata(result, asset: str) -> dict:
    """The metadata of the last materialization of `asset` in a run, as plain values."""
    events = result.asset_materializations_for_node(asset)
    return {k: v.value for k, v in events[-1].metadata.items()}


def _count(db: Path, sql: str) -> int | None:
    row = _count_rows(db, sql)
    return row[0] if row else None


def _count_rows(db: Path, sql: str) -> tuple | None:
    if not db.exists():
        return None
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(sql).fetchone()
    except duckdb.Error:  # the relation does not exist: dbt did not get that far
        return None


def summarise(
    settings: Settings, run_id: str, success: bool, changes: Plan, docs: Mapping[str, LandedDocument]
) -> BuildSummary:
    record_path = settings.runs_dir / f"{run_id}.json"
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
    loaded = _count_rows(
        settings.candidate_db,
        "SELECT (SELECT count(*) FROM raw.documents), (SELECT count(*) FILTER (WHERE read_status = 'error') "
        "FROM raw.documents), (SELECT count(*) FROM raw.kpi_observations)",
    )
    landed = (
        len(docs),
        sum(d.read_status == "error" for d in docs.values()),
        sum(d.n_observations for d in docs.values()),
    )
    documents, in_error, observations = loaded or landed  # what the candidate (and the release) holds
    return BuildSummary(
        run_id=run_id,
        documents=documents,
        documents_in_error=in_error,
        observations=observations,
        review_rows=_count(settings.candidate_db, "SELECT count(*) FROM marts.review_queue"),
        gate_passed=success and record.get("status") == "published",
        published_db=record.get("published_db"),
        data_docs=record.get("gate", {}).get("data_docs"),
        landed=changes.to_land,
        skipped=changes.unchanged,
        removed=changes.removed,
        plan=changes.describe(),
        new=changes.new,
        changed=changes.changed,
        reextracted=changes.reextracted,
        dbt_log=str(settings.dbt_log_dir / DBT_LINES_FILE),
        unreadable=[
            doc.error or doc.doc_id for d in changes.to_land if (doc := docs.get(d)) and doc.read_status == "error"
        ],
    )


def print_summary(summary: BuildSummary) -> None:
    print(
        f"landed:         {len(summary.landed)} ({len(summary.new)} new, {len(summary.changed)} changed, "
        f"{len(summary.reextracted)} by another extraction version); {len(summary.skipped)} unchanged, "
        f"{len(summary.removed)} removed"
    )
    print(f"documents:      {summary.documents} ({summary.documents_in_error} unreadable)")
    for reason in summary.unreadable:  # each names its document (landing removed control characters)
        print(f"  unreadable:   {reason}")
    print(f"observations:   {summary.observations}")
    print(f"rows in review: {'n/a' if summary.review_rows is None else summary.review_rows}")
    if summary.failure:
        print(f"FAILED:         {summary.failure} (run {summary.run_id})")
    else:
        print(f"gate:           {'passed' if summary.gate_passed else 'FAILED'} (run {summary.run_id})")
    print(f"published:      {summary.published_db or 'not published (the last good warehouse stays)'}")
    print(f"data docs:      {summary.data_docs or 'n/a'}")
    print(f"dbt log:        {summary.dbt_log}")
