"""The `sosei` command: extract files, build the warehouse in process, show its status."""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from orchestration.config import REPO_ROOT, Settings

OUTPUT_COLUMNS = ("doc", "grant_program", "project_name", "kpi_name", "measure", "fiscal_year",
                  "value", "unit", "status", "page", "line", "cell", "fragment", "reader")


# --- sosei extract --------------------------------------------------------------------------------

def extract(paths: Sequence[str], fmt: str) -> int:
    from orchestration.extract.engine import extract_file

    writer = csv.DictWriter(sys.stdout, OUTPUT_COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    read = 0
    for path in paths:
        result = extract_file(path)
        if result.error:
            print(f"sosei extract: {result.error}", file=sys.stderr)
            continue
        read += 1
        for observation in result.observations:
            row = {k: getattr(observation, k) for k in OUTPUT_COLUMNS}
            if isinstance(row["value"], float) and row["value"].is_integer():
                row["value"] = int(row["value"])  # 14700, as printed, not 14700.0
            if writer:
                writer.writerow(row)
            else:
                print(json.dumps(row, ensure_ascii=False))
    return 0 if read else 1


# --- sosei build ----------------------------------------------------------------------------------

def _instance(settings: Settings):
    """A persistent Dagster instance under the warehouse, so re-runs know what is registered."""
    import dagster as dg

    home = settings.warehouse_dir / "dagster_home"  # the one `make dev` uses too
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    return dg.DagsterInstance.from_config(str(home))


def _refresh_dbt_manifest(settings: Settings) -> None:
    """Re-parse the dbt project when its manifest is missing or older than any of its files.

    The Dagster assets are built from target/manifest.json when the definitions are imported,
    so a stale one would not know a model that `dbt build` then runs.
    """
    project = REPO_ROOT / "dbt_project"
    manifest = project / "target" / "manifest.json"
    sources = [p for folder in ("models", "seeds", "macros", "tests") for p in (project / folder).rglob("*")]
    newest = max((p.stat().st_mtime for p in [*sources, project / "dbt_project.yml"] if p.is_file()),
                 default=0.0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    print("dbt project changed: dbt parse")
    env = {**os.environ, "SOSEI_DBT_DB_PATH": str(settings.candidate_db), "DBT_VERSION_CHECK": "false"}
    subprocess.run([str(Path(sys.executable).parent / "dbt"), "parse", "--quiet", "--project-dir",
                    str(project), "--profiles-dir", str(project)], env=env, check=True)


def _inputs_fingerprint(settings: Settings) -> str:
    """What the rebuild after landing depends on: the landed documents, the manifest, and the
    code and rules that turn them into the published warehouse (dbt, expectations, orchestration)."""
    from orchestration.landing import landed_documents

    digest = hashlib.sha256()
    for doc in sorted(landed_documents(settings).values(), key=lambda d: d.doc_id):
        digest.update(f"{doc.doc_id}\0{doc.sha256}\0{doc.landed_at.isoformat()}\n".encode())
    code = [REPO_ROOT / "dbt_project" / f for f in ("models", "seeds", "macros", "tests")]
    code += [settings.gx_dir, REPO_ROOT / "orchestration"]
    files = [settings.manifest_path, REPO_ROOT / "dbt_project" / "dbt_project.yml"]
    files += [p for folder in code for p in sorted(folder.rglob("*"))
              if p.is_file() and "uncommitted" not in p.parts and "__pycache__" not in p.parts]
    for path in files:
        if path.is_file():
            digest.update(f"{path}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def _last_published_inputs(settings: Settings) -> Path:
    return settings.warehouse_dir / "build" / "published_inputs.json"


def _unchanged_since_publish(settings: Settings, fingerprint: str) -> str | None:
    """The run id of the published warehouse if it was built from exactly these inputs."""
    marker, record = _last_published_inputs(settings), settings.published_dir / "run_record.json"
    if not (marker.exists() and record.exists() and settings.published_db.exists()):
        return None
    last = json.loads(marker.read_text(encoding="utf-8"))
    run_id = json.loads(record.read_text(encoding="utf-8"))["run_id"]
    return run_id if last == {"fingerprint": fingerprint, "run_id": run_id} else None


def _log_config(level: str) -> dict:
    return {"loggers": {"console": {"config": {"log_level": level}}}}


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


def build(settings: Settings, verbose: bool = False, force: bool = False) -> BuildSummary:
    """Register raw/ as partitions, land what changed, rebuild the rest; one process throughout."""
    _refresh_dbt_manifest(settings)
    from orchestration.definitions import build_definitions
    from orchestration.defs.partitions import (
        DOCUMENTS,
        contiguous_ranges,
        doc_id_from_key,
        partition_key,
        partition_range_tags,
    )
    from orchestration.defs.publish import record_run_failure
    from orchestration.defs.resources import SoseiSettings
    from orchestration.landing import diff_hashes, hash_raw, landed_documents

    instance = _instance(settings)
    defs = build_definitions(settings)
    log = _log_config("DEBUG" if verbose else "INFO")

    now = hash_raw(settings.raw_dir)
    landed = {d: doc.sha256 for d, doc in landed_documents(settings).items()}
    changes = diff_hashes(landed, now)
    registered = instance.get_dynamic_partitions(DOCUMENTS)
    keys = {partition_key(d): d for d in now}
    gone = [k for k in registered if k not in keys]
    for key in gone:
        instance.delete_dynamic_partition(DOCUMENTS, key)
    new_keys = [k for k in keys if k not in registered]
    if new_keys:
        instance.add_dynamic_partitions(DOCUMENTS, new_keys)
    removed = sorted(set(changes.removed) | {doc_id_from_key(k) for k in gone})
    print(f"raw/: {len(now)} documents ({len(changes.new)} new, {len(changes.changed)} changed, "
          f"{len(changes.unchanged)} unchanged, {len(removed)} removed)")
    if changes.unchanged:
        print(f"skipped as unchanged: {', '.join(changes.unchanged)}")

    build_job = defs.resolve_job_def("sosei_build")
    to_land = {partition_key(d) for d in changes.to_land}
    order = instance.get_dynamic_partitions(DOCUMENTS)
    for first, last in contiguous_ranges(order, to_land):
        started = time.perf_counter()
        result = build_job.execute_in_process(
            instance=instance, tags=partition_range_tags(first, last), run_config=log,
            asset_selection=[_key("landed_document")], raise_on_error=True)
        meta = _materialization_metadata(result, "landed_document")
        print(f"landed {meta['documents']} documents: {meta['observations']} observations, "
              f"{meta['review_rows']} review rows ({time.perf_counter() - started:.1f} s)")
        for doc, reason in meta["failed_documents"].items():
            print(f"  failed: {doc}: {reason}")

    fingerprint = _inputs_fingerprint(settings)
    published_run = None if force else _unchanged_since_publish(settings, fingerprint)
    if published_run:
        print(f"raw → dbt → gate → publish: skipped, nothing changed since run {published_run} "
              "(--force rebuilds)")
        return _summarise(settings, published_run, True, changes, removed)
    started = time.perf_counter()
    result = defs.resolve_job_def("sosei_rebuild").execute_in_process(
        instance=instance, run_config=log, raise_on_error=False)
    print(f"raw → dbt → gate → publish: {'ok' if result.success else 'FAILED'} "
          f"({time.perf_counter() - started:.1f} s)")
    if result.success:
        _last_published_inputs(settings).write_text(
            json.dumps({"fingerprint": fingerprint, "run_id": result.run_id}), encoding="utf-8")
    else:
        record_run_failure(instance, result.run_id, SoseiSettings.from_settings(settings),
                           "; ".join(_failure_messages(result)) or "run failed")
    return _summarise(settings, result.run_id, result.success, changes, removed)


def _key(name: str):
    import dagster as dg

    return dg.AssetKey(name)


def _materialization_metadata(result, asset: str) -> dict:
    """The metadata of the last materialization of `asset` in a run, as plain values."""
    events = result.asset_materializations_for_node(asset)
    return {k: v.value for k, v in events[-1].metadata.items()}


def _failure_messages(result) -> list[str]:
    return [e.message for e in result.all_events if e.is_step_failure and e.message]


def _count(db: Path, sql: str) -> int | None:
    import duckdb

    if not db.exists():
        return None
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(sql).fetchone()[0]
    except duckdb.Error:  # the relation does not exist: dbt did not get that far
        return None


def _summarise(settings: Settings, run_id: str, success: bool, changes, removed) -> BuildSummary:
    from orchestration.landing import landed_documents

    record_path = settings.runs_dir / f"{run_id}.json"
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
    docs = landed_documents(settings)
    return BuildSummary(
        run_id=run_id,
        documents=len(docs),
        documents_in_error=sum(d.read_status == "error" for d in docs.values()),
        observations=sum(d.n_observations for d in docs.values()),
        review_rows=_count(settings.candidate_db, "SELECT count(*) FROM marts.review_queue"),
        gate_passed=success and record.get("status") == "published",
        published_db=record.get("published_db"),
        data_docs=record.get("gate", {}).get("data_docs"),
        landed=changes.to_land, skipped=changes.unchanged, removed=removed,
    )


def print_summary(summary: BuildSummary) -> None:
    print(f"documents:      {summary.documents} ({summary.documents_in_error} unreadable)")
    print(f"observations:   {summary.observations}")
    print(f"rows in review: {'n/a' if summary.review_rows is None else summary.review_rows}")
    print(f"gate:           {'passed' if summary.gate_passed else 'FAILED'} (run {summary.run_id})")
    print(f"published:      {summary.published_db or 'not published (the last good warehouse stays)'}")
    print(f"data docs:      {summary.data_docs or 'n/a'}")


# --- sosei status ---------------------------------------------------------------------------------

def status(settings: Settings) -> None:
    from orchestration.defs.partitions import DOCUMENTS, doc_id_from_key
    from orchestration.landing import diff_hashes, hash_raw, landed_documents

    registered = [doc_id_from_key(k) for k in _instance(settings).get_dynamic_partitions(DOCUMENTS)]
    docs = landed_documents(settings)
    pending = diff_hashes({d: doc.sha256 for d, doc in docs.items()}, hash_raw(settings.raw_dir))
    print(f"registered: {len(registered)} documents")
    print(f"landed:     {len(docs)} documents, {sum(d.n_observations for d in docs.values())} observations")
    for doc in sorted(docs.values(), key=lambda d: d.doc_id):
        state = f"ERROR {doc.error}" if doc.read_status == "error" else (
            f"{doc.n_observations} observations, {doc.n_review} in review")
        print(f"  {doc.doc_id}: {state}")
    unreadable = sum(d.read_status == "error" for d in docs.values())
    print(f"in review:  {sum(d.n_review for d in docs.values())} fragments landed for review, "
          f"{unreadable} unreadable documents")
    print(f"pending:    {len(pending.new)} new, {len(pending.changed)} changed, "
          f"{len(pending.removed)} removed in raw/ since the last landing")
    record_path = settings.published_dir / "run_record.json"
    if record_path.exists():
        record = json.loads(record_path.read_text(encoding="utf-8"))
        print(f"published:  {record['published_db']} (run {record['run_id']}, {record['recorded_at']}, "
              f"{record['documents']} documents)")
        for table, rows in sorted(record.get("row_counts", {}).items()):
            print(f"  {table}: {rows} rows")  # review_queue: everything a person must look at
    else:
        print("published:  nothing yet")


# --- entry point ----------------------------------------------------------------------------------

def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.raw:
        settings = replace(settings, raw_dir=Path(args.raw).resolve())
    if args.warehouse:
        settings = replace(settings, warehouse_dir=Path(args.warehouse).resolve())
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sosei", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p_extract = commands.add_parser("extract", help="print the KPI observations of files (no warehouse)")
    p_extract.add_argument("paths", nargs="+", metavar="PATH")
    p_extract.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    for name, text in (("build", "land raw/, build, gate and publish the warehouse"),
                       ("status", "what is registered, landed, in review and published")):
        p = commands.add_parser(name, help=text)
        p.add_argument("--raw", help="the reports folder (default: $SOSEI_RAW_DIR or <repo>/raw)")
        p.add_argument("--warehouse", help="output folder (default: $SOSEI_WAREHOUSE_DIR or <repo>/warehouse)")
        if name == "build":
            p.add_argument("-v", "--verbose", action="store_true", help="show every Dagster event")
            p.add_argument("--force", action="store_true",
                           help="rebuild and republish even when nothing changed")
    args = parser.parse_args(argv)

    if args.command == "extract":
        try:
            return extract(args.paths, args.format)
        except BrokenPipeError:  # `sosei extract ... | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    settings = _settings(args)
    if not settings.raw_dir.is_dir():
        print(f"sosei: {settings.raw_dir}: no such folder", file=sys.stderr)
        return 2
    if args.command == "status":
        status(settings)
        return 0
    summary = build(settings, verbose=args.verbose, force=args.force)
    print_summary(summary)
    return 0 if summary.gate_passed else 1


if __name__ == "__main__":
    sys.exit(main())
