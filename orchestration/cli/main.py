"""The `sosei` command: extract files, build the warehouse (through Dagster), show its status."""

from __future__ import annotations

import argparse
import csv
import errno
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from orchestration.cli.buildlock import BuildLocked, exclusive_build
from orchestration.cli.terminal import escaped_output
from orchestration.config import DAGSTER_ENV, DBT_MANIFEST, DBT_PROJECT_DIR, Settings, environment
from orchestration.dashboard import serve as dashboard  # starts Streamlit in a subprocess
from orchestration.extract.model import Observation
from orchestration.land.progress import PROGRESS_ENV

if TYPE_CHECKING:
    from orchestration.land.registry import Plan
    from orchestration.land.store import LandedDocument

T = TypeVar("T")
DBT_LINES_ENV = "SOSEI_DBT_LINES"  # read by orchestration.defs.dbt, which cli must not import early
DBT_LINES_FILE = "dbt-build.log"

# The contract's fields, then where each number was read.
OUTPUT_COLUMNS = (
    *Observation.CONTRACT_FIELDS,
    "page",
    "line",
    "cell",
    "fragment",
    "reader",
    "ocr_confidence",
    "confidence",
)


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

    return dg.DagsterInstance.from_config(str(_dagster_home(settings)))


def _dagster_home(settings: Settings) -> Path:
    """The Dagster instance's folder, shared by `sosei build`, `sosei status` and `sosei dev`.

    Its configuration is rewritten when it differs (an older one, or a warehouse moved)."""
    home = settings.warehouse_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    config, text = home / "dagster.yaml", _instance_config(home)
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return home


def _instance_config(home: Path) -> str:
    """dagster.yaml: no telemetry, and the event log in one SQLite file (Dagster's documented
    `ConsolidatedSqliteEventLogStorage`) rather than a file per run plus an index: an asset
    event is written once instead of twice, and a run creates no database of its own."""
    history = json.dumps(str(home.resolve() / "history"))  # a JSON string is a YAML string
    return (
        "telemetry:\n  enabled: false\n"
        "event_log_storage:\n"
        "  module: dagster._core.storage.event_log\n"
        "  class: ConsolidatedSqliteEventLogStorage\n"
        f"  config:\n    base_dir: {history}\n"
    )


def dev(settings: Settings, extra: Sequence[str]) -> int:
    """The Dagster UI and daemon (`dagster dev`) on the builds' instance, with sosei's Dagster
    settings; replaces this process."""
    dagster = Path(sys.executable).parent / "dagster"  # the venv's, whether or not on PATH
    env = os.environ | DAGSTER_ENV | {"DAGSTER_HOME": str(_dagster_home(settings))}
    env |= {"SOSEI_RAW_DIR": str(settings.raw_dir), "SOSEI_WAREHOUSE_DIR": str(settings.warehouse_dir)}
    argv = [str(dagster), "dev", "-m", "orchestration.definitions", *extra]
    os.execve(argv[0], argv, env | {"PATH": f"{dagster.parent}{os.pathsep}{env.get('PATH', '')}"})


def _refresh_dbt_manifest(settings: Settings) -> None:
    """Re-parse the dbt project when its manifest is missing or older than any of its files.

    The Dagster assets are built from target/manifest.json when the definitions are imported,
    so a stale one would not know a model that `dbt build` then runs.
    """
    manifest, project = DBT_MANIFEST, DBT_PROJECT_DIR
    sources = [p for folder in ("models", "seeds", "macros", "tests") for p in (project / folder).rglob("*")]
    newest = max((p.stat().st_mtime for p in [*sources, project / "dbt_project.yml"] if p.is_file()), default=0.0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    print("dbt project changed: dbt parse")
    env = {**os.environ, "SOSEI_DBT_DB_PATH": str(settings.candidate_db), "DBT_VERSION_CHECK": "false"}
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--quiet",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
        ],
        env=env,
        check=True,
    )


def _current_publication(settings: Settings, instance) -> str | None:
    """The run id of the published warehouse when Dagster's records say it is current (see
    `orchestration.defs.staleness`), else None."""
    from orchestration.defs.staleness import published_run, stale_reason
    from orchestration.land.registry import raw_file_versions
    from orchestration.publish.rebuild_version import rebuild_version

    if not settings.published_db.exists():
        return None
    if stale_reason(instance, rebuild_version(), raw_file_versions(settings.raw_dir)):
        return None
    return published_run(instance)


def _log_config(verbose: bool) -> dict:
    # Quiet by default: errors only (the summary names what failed); -v shows every Dagster event and dbt line.
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "ERROR"}}}}


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


def build(settings: Settings, verbose: bool = False, force: bool = False, wait: bool = True) -> BuildSummary:
    """One build at a time: register raw/, land what the plan says, rebuild, gate and publish."""
    # Landing draws a progress bar; dbt's per-node lines go to a log file unless -v.
    env = DAGSTER_ENV | {PROGRESS_ENV: "1"}
    env |= {} if verbose else {DBT_LINES_ENV: str(settings.dbt_log_dir / DBT_LINES_FILE)}
    with exclusive_build(settings.warehouse_dir, wait=wait), _stop_on_sigterm(), environment(env):
        return _build(settings, verbose, force)


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops a build as Ctrl-C does: workers and dbt are stopped on the way out. (While a
    run executes, Dagster maps SIGTERM to its own interrupt, which forwards SIGINT to dbt; the
    interrupted run is then reported as stopped, not failed: see `_raise_if_interrupted`.)"""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(settings: Settings, verbose: bool, force: bool) -> BuildSummary:
    from orchestration.land.registry import hash_raw, plan, scan_raw
    from orchestration.land.store import landed_documents, prune_landing, sound_landed_documents

    # Before anything reads the manifest: the Dagster assets and the rebuild's version (the
    # published warehouse's code version, hashed when `defs.publish` is imported).
    _refresh_dbt_manifest(settings)
    entries = scan_raw(settings.raw_dir)
    now = hash_raw(entries, settings.raw_hashes)
    landed, damaged = sound_landed_documents(settings)  # read once per phase: 10,000 files cost a second
    changes = plan(landed, now)
    print(f"raw/: {len(now)} documents ({changes.describe()})")
    for doc_id, reason in damaged.items():
        fate = "landed again" if doc_id in now else "its raw file is gone: removed"
        print(f"  landing damaged: {doc_id}: {reason}; {fate}")
    instance = _instance(settings)
    # Nothing to land or remove: Dagster's records say whether the published warehouse is current
    # (the partitions match the landing records then, or the sensor syncs them).
    published_run = None if force or changes.to_land or changes.removed else _current_publication(settings, instance)
    if published_run:
        print(f"raw → dbt → gate → publish: skipped, nothing changed since run {published_run} (--force rebuilds)")
        return _summarise(settings, published_run, True, changes, landed)

    from orchestration.defs.partitions import sync_partitions

    order = sync_partitions(instance, now)
    prune_landing(now, settings, landed)  # a removed report's facts go at this build, whatever is skipped
    for entry in entries.values():
        if entry.rejected and entry.doc_id in changes.to_land:
            print(f"  not read: {entry.doc_id}: {entry.rejected}")
    *earlier, last = _landing_ranges(order, changes.to_land) or [None]
    for first_last in earlier:
        _land(settings, instance, first_last, verbose)
    run_id, success, failure = _rebuild(settings, instance, verbose, last)
    landed = landed_documents(settings) if changes.to_land or changes.removed else landed
    return replace(_summarise(settings, run_id, success, changes, landed), failure=failure)


def _landing_ranges(order: list[str], doc_ids: list[str]) -> list[tuple[str, str]]:
    """The partition ranges (in registration order) that cover the documents to land: one run
    each; the last is landed in the rebuild's own run, as the sensor's runs do."""
    from orchestration.defs.partitions import contiguous_ranges, partition_key

    return contiguous_ranges(order, {partition_key(d) for d in doc_ids})


def _definitions(settings: Settings):
    import dagster as dg

    # The single-run backfill policy is beta in Dagster 1.13; the build's output says so once, in
    # the README, not on every run.
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    from orchestration.definitions import build_definitions

    return build_definitions(settings)


def _land(settings: Settings, instance, first_last: tuple[str, str], verbose: bool) -> None:
    """A landing-only run for one range of documents, before the range the rebuild lands."""
    from orchestration.defs.keys import LANDED_DOCUMENT
    from orchestration.defs.partitions import partition_range_tags

    started = time.perf_counter()
    result = (
        _definitions(settings)
        .resolve_job_def("sosei_build")
        .execute_in_process(
            instance=instance,
            tags=partition_range_tags(*first_last),
            run_config=_log_config(verbose),
            asset_selection=[LANDED_DOCUMENT],
            raise_on_error=False,
        )
    )
    _raise_unless_success(instance, result, settings)
    print(f"land:      {_landing_line(result)} ({time.perf_counter() - started:.1f} s)")
    _print_failed_documents(result)


def _landing_line(result) -> str:
    meta = _materialization_metadata(result, "landed_document")
    return f"{meta['documents']} documents, {meta['observations']} observations, {meta['review_rows']} review rows"


def _print_failed_documents(result) -> None:
    for doc, reason in _materialization_metadata(result, "landed_document")["failed_documents"].items():
        print(f"  failed: {doc}: {reason}")


def _raise_unless_success(instance, result, settings: Settings) -> None:
    from orchestration.defs.stages import failed_stage, was_interrupted

    if was_interrupted(instance, result.run_id):
        raise KeyboardInterrupt("interrupted")
    if not result.success:
        raise BuildFailed(failed_stage(instance, result.run_id, settings))


class BuildFailed(RuntimeError):
    """A stage failed outside the rebuild (which records its failure and publishes nothing)."""


def _rebuild(
    settings: Settings, instance, verbose: bool, landing: tuple[str, str] | None
) -> tuple[str, bool, str | None]:
    """Land the `landing` range of documents (if any), then raw → dbt → gate → publish, in one
    Dagster run; a line per stage; the failed stage named."""
    job = _definitions(settings).resolve_job_def("sosei_build" if landing else "sosei_rebuild")
    from orchestration.defs.partitions import partition_range_tags
    from orchestration.defs.publish import record_run_failure
    from orchestration.defs.resources import SoseiSettings
    from orchestration.defs.stages import failed_stage, print_stages, was_interrupted

    tags = partition_range_tags(*landing) if landing else {}
    result = job.execute_in_process(instance=instance, tags=tags, run_config=_log_config(verbose), raise_on_error=False)
    landed = bool(landing) and bool(result.asset_materializations_for_node("landed_document"))
    print_stages(instance, result.run_id, {"land": _landing_line(result)} if landed else None)
    if landed:
        _print_failed_documents(result)
    if was_interrupted(instance, result.run_id):
        raise KeyboardInterrupt("interrupted")
    if result.success:
        return result.run_id, True, None
    failure = failed_stage(instance, result.run_id, settings)
    record_run_failure(instance, result.run_id, SoseiSettings.from_settings(settings), failure)
    return result.run_id, False, failure


def _materialization_metadata(result, asset: str) -> dict:
    """The metadata of the last materialization of `asset` in a run, as plain values."""
    events = result.asset_materializations_for_node(asset)
    return {k: v.value for k, v in events[-1].metadata.items()}


def _count(db: Path, sql: str) -> int | None:
    row = _count_rows(db, sql)
    return row[0] if row else None


def _count_rows(db: Path, sql: str) -> tuple | None:
    import duckdb

    if not db.exists():
        return None
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(sql).fetchone()
    except duckdb.Error:  # the relation does not exist: dbt did not get that far
        return None


def _summarise(
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


# --- sosei status ---------------------------------------------------------------------------------


def status(settings: Settings) -> None:
    from orchestration.defs.partitions import DOCUMENTS, doc_id_from_key
    from orchestration.land.registry import hash_raw, plan, scan_raw
    from orchestration.land.store import landed_documents

    registered = [doc_id_from_key(k) for k in _instance(settings).get_dynamic_partitions(DOCUMENTS)]
    docs = landed_documents(settings)
    pending = plan(docs, hash_raw(scan_raw(settings.raw_dir), settings.raw_hashes))
    print(f"registered: {len(registered)} documents")
    print(f"landed:     {len(docs)} documents, {sum(d.n_observations for d in docs.values())} observations")
    for doc in sorted(docs.values(), key=lambda d: d.doc_id):
        state = (
            f"ERROR {doc.error}"
            if doc.read_status == "error"
            else (f"{doc.n_observations} observations, {doc.n_review} in review")
        )
        print(f"  {doc.doc_id}: {state}")
    unreadable = sum(d.read_status == "error" for d in docs.values())
    record_path = settings.published_dir / "run_record.json"
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else None
    # the build's count: rows of the published review_queue (extraction's fragments are some of them)
    published_review = (record or {}).get("row_counts", {}).get("review_queue")
    print(
        f"in review:  {'n/a' if published_review is None else published_review} rows in the published review_queue; "
        f"{sum(d.n_review for d in docs.values())} fragments landed for review, {unreadable} unreadable documents"
    )
    print(f"pending:    {pending.describe()} (raw/ against the last landing)")
    if record is not None:
        print(
            f"published:  {record['published_db']} (run {record['run_id']}, {record['recorded_at']}, "
            f"{record['documents']} documents)"
        )
        for table, rows in sorted(record.get("row_counts", {}).items()):
            print(f"  {table}: {rows} rows")  # review_queue: everything a person must look at
    elif (settings.published_dir / "current").is_symlink():  # a release deleted by hand
        target = os.readlink(settings.published_dir / "current")
        print(f"published:  NONE: current points to {target}, which is missing (the next build publishes again)")
    else:
        print("published:  nothing yet")


# --- entry point ----------------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.raw:
        settings = replace(settings, raw_dir=Path(args.raw).resolve())
    if args.warehouse:
        settings = replace(settings, warehouse_dir=Path(args.warehouse).resolve())
    if getattr(args, "dask", None):
        settings = replace(settings, dask_scheduler=args.dask)
    return settings


def _repairing_storage(settings: Settings, command: Callable[[], T]) -> T:
    """Run `command`; if the Dagster instance's SQLite storage turns out damaged, move the damaged
    files aside, say so, and run it once more on storage Dagster creates anew."""
    from orchestration.cli.dagster_storage import is_storage_error, set_aside_damaged

    try:
        return command()
    except Exception as e:
        moved = set_aside_damaged(_dagster_home(settings)) if is_storage_error(e) else []
        if not moved:
            raise
        names = ", ".join(str(p.relative_to(settings.warehouse_dir)) for p in moved)
        print(
            f"sosei: Dagster's storage was damaged ({e.__class__.__name__}); moved aside: {names}; "
            "its history starts again",
            file=sys.stderr,
        )
    return command()


def _settings_problem(settings: Settings) -> str | None:
    """Why the settings cannot be used (no raw/ folder, a bad Dask address), or None."""
    if not settings.raw_dir.is_dir():
        return f"{settings.raw_dir}: no such folder"
    if settings.dask_scheduler:
        from orchestration.land.cluster import ClusterError, parse_address  # distributed: only when asked

        try:
            parse_address(settings.dask_scheduler)
        except ClusterError as e:
            return str(e)
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sosei", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    p_extract = commands.add_parser("extract", help="print the KPI observations of files (no warehouse)")
    p_extract.add_argument("paths", nargs="+", metavar="PATH")
    p_extract.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    for name, text in (
        ("build", "land raw/, build, gate and publish the warehouse"),
        ("status", "what is registered, landed, in review and published"),
        ("dashboard", "serve the analysts' dashboard over the published warehouse"),
        ("dev", "the Dagster UI and daemon on the builds' instance (arguments after -- go to `dagster dev`)"),
    ):
        p = commands.add_parser(name, help=text)
        p.add_argument("--raw", help="the reports folder (default: $SOSEI_RAW_DIR or <repo>/raw)")
        p.add_argument("--warehouse", help="output folder (default: $SOSEI_WAREHOUSE_DIR or <repo>/warehouse)")
        if name == "build":
            p.add_argument("-v", "--verbose", action="store_true", help="show every Dagster event")
            p.add_argument("--force", action="store_true", help="rebuild and republish even when nothing changed")
            p.add_argument("--no-wait", action="store_true", help="fail at once (exit 3) when another build is running")
            p.add_argument(
                "--dask",
                metavar="ADDR",
                help="land on Dask: local:N (a LocalCluster of N workers) or a scheduler's tcp://host:8786 "
                "(default: $SOSEI_DASK_SCHEDULER; unset: this machine's worker processes)",
            )
        if name == "dashboard":
            p.add_argument(
                "--address",
                default=dashboard.DEFAULT_ADDRESS,
                help=f"address to listen on (default: {dashboard.DEFAULT_ADDRESS}, this host only)",
            )
            p.add_argument("--port", type=int, default=dashboard.DEFAULT_PORT)
        if name == "dev":
            p.add_argument("dagster_args", nargs=argparse.REMAINDER, help="e.g. -- --port 3001")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Data in a terminal is text: escaped. `sosei extract`'s rows are data as they are when written
    # to a file or a pipe.
    with escaped_output(stdout=args.command != "extract" or sys.stdout.isatty()):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    if args.command == "extract":
        try:
            return extract(args.paths, args.format)
        except BrokenPipeError:  # `sosei extract ... | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    settings = _settings(args)
    if args.command == "dashboard":
        return dashboard.serve(settings, args.address, args.port)
    if args.command == "dev":
        return dev(settings, [a for a in args.dagster_args if a != "--"])
    if problem := _settings_problem(settings):
        print(f"sosei: {problem}", file=sys.stderr)
        return 2
    try:
        return _warehouse_command(args, settings)
    except OSError as e:
        if e.errno not in _NOT_WRITABLE:
            raise
        print(
            f"sosei: the warehouse cannot be written ({e.strerror}: {e.filename}); give a writable --warehouse",
            file=sys.stderr,
        )
        return 2


_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


def _warehouse_command(args: argparse.Namespace, settings: Settings) -> int:
    """`sosei status` or `sosei build`, with the build's exit codes."""
    if args.command == "status":
        _repairing_storage(settings, lambda: status(settings))
        return 0
    try:
        summary = _repairing_storage(
            settings, lambda: build(settings, verbose=args.verbose, force=args.force, wait=not args.no_wait)
        )
    except BuildLocked as e:
        print(f"sosei: {e}", file=sys.stderr)
        return 3
    except BuildFailed as e:
        print(f"sosei: FAILED: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        print(f"sosei: build stopped ({e or 'interrupted'}); the published warehouse is unchanged", file=sys.stderr)
        return 130
    print_summary(summary)
    return 0 if summary.gate_passed else 1
