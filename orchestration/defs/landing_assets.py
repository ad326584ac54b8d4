"""Landing assets: each document's extracts (partitioned), then the candidate's `raw` schema."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
from dagster import AssetExecutionContext

from orchestration.defs.keys import LANDED_DOCUMENT, raw_table
from orchestration.defs.partitions import DOCUMENTS, doc_id_from_key, documents_partitions
from orchestration.defs.resources import SoseiSettings
from orchestration.land import extraction_version
from orchestration.land.progress import report_progress
from orchestration.land.raw_schema import load_raw_schema
from orchestration.land.registry import HAND_KEPT, RawEntry, content_hash, raw_file_versions, scan_raw
from orchestration.land.store import (
    RAW_SCHEMA_TABLES,
    failed_result,
    land_document,
    land_many,
    landed_documents,
    prune_landing,
)
from orchestration.land.workers import LIMIT_REASONS

# Transient failures (a file briefly locked, a full disk freed, memory) are retried with backoff;
# on the last attempt a document that still fails lands as an error row, for review.
LANDING_RETRY = dg.RetryPolicy(max_retries=2, delay=1, backoff=dg.Backoff.EXPONENTIAL)


@dg.asset(
    key=LANDED_DOCUMENT,
    partitions_def=documents_partitions,
    code_version=extraction_version.EXTRACTION_VERSION,  # a document landed by another extraction version is stale
    backfill_policy=dg.BackfillPolicy.single_run(),
    retry_policy=LANDING_RETRY,
    group_name="landing",
    kinds={"python", "parquet"},
    description="One document read by the extraction engine and landed as parquet, one file per raw table.",
)
def landed_document(context: AssetExecutionContext, sosei: SoseiSettings) -> dg.MaterializeResult:
    with _interrupts_stop_landing():
        return _land_partitions(context, sosei.settings())


@contextmanager
def _interrupts_stop_landing() -> Iterator[None]:
    """SIGINT, or SIGTERM that Dagster maps to it, stops landing for good: the workers are stopped
    on the way out (`run_limited`) and the run fails as interrupted. Dagster would otherwise apply
    the retry policy to the interrupt and land everything on the next attempt, then publish."""
    try:
        yield
    except (dg.DagsterExecutionInterruptedError, KeyboardInterrupt) as e:
        raise dg.Failure("Interrupted by a signal: landing stopped", allow_retries=False) from e


def _land_partitions(context: AssetExecutionContext, settings) -> dg.MaterializeResult:
    doc_ids = [doc_id_from_key(key) for key in context.partition_keys]
    final_attempt = context.retry_number >= LANDING_RETRY.max_retries
    todo = _not_yet_landed(doc_ids, settings, retry=context.retry_number > 0)
    totals: Counter[str] = Counter()
    failures: dict[str, str] = {}
    for n, (doc, counts, error) in enumerate(land_many(list(todo.values()), settings), start=1):
        report_progress(n, len(todo))
        if error:  # any failure is per document: the others still land
            failures[doc] = error
            context.log.warning(f"[{n}/{len(todo)}] {doc}: {error}")
            continue
        totals.update(counts)  # no event per document: each is a write to the event log
    if failures and not final_attempt and not all(_is_limit(e) for e in failures.values()):
        raise dg.Failure(f"{len(failures)} document(s) failed, will retry: {', '.join(failures)}")
    for doc, reason in failures.items():
        attempts = "" if _is_limit(reason) else f"failed {context.retry_number + 1} times: "
        land_document(failed_result(todo[doc], attempts + reason), doc, settings)
    return dg.MaterializeResult(
        metadata={
            "documents": len(doc_ids),
            "observations": totals["kpi_observations"],
            "projects": totals["projects"],
            "review_rows": totals["review_items"],
            "failed_documents": dg.MetadataValue.json(failures),
        }
    )


def _is_limit(reason: str) -> bool:
    """A limit that was hit is not transient: retrying would hit it again."""
    return reason.startswith(LIMIT_REASONS)


def _not_yet_landed(doc_ids: list[str], settings, retry: bool) -> dict[str, RawEntry]:
    """The raw/ entries of `doc_ids`, less those an earlier attempt of this run already landed."""
    entries = scan_raw(settings.raw_dir)
    missing = [doc for doc in doc_ids if doc not in entries]
    if missing:  # registered but gone from raw/ since: the next sync drops the partition
        raise dg.Failure(f"{len(missing)} document(s) no longer in raw/: {', '.join(missing)}")
    landed = landed_documents(settings) if retry else {}
    return {
        doc: entries[doc]
        for doc in doc_ids
        if not (
            doc in landed
            and landed[doc].sha256 == content_hash(entries[doc])
            and landed[doc].reader_version == extraction_version.EXTRACTION_VERSION
        )
    }


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            raw_table(table),
            deps=[] if table in HAND_KEPT else [landed_document],
            group_name="raw",
            kinds={"duckdb"},
        )
        for table in RAW_SCHEMA_TABLES
    ],
    name="raw_tables",
    description=(
        "The candidate warehouse's `raw` schema: the rows of the documents landed or removed since "
        "the last load replaced, raw/manifest.csv and raw/corrections.csv reloaded."
    ),
)
def raw_tables(context: AssetExecutionContext, sosei: SoseiSettings):
    settings = sosei.settings()
    file_versions = raw_file_versions(settings.raw_dir)  # hashed before they are read
    registered = {doc_id_from_key(key) for key in context.instance.get_dynamic_partitions(DOCUMENTS)}
    removed = prune_landing(registered, settings)
    if removed:
        context.log.info(f"removed {len(removed)} document(s) no longer in raw/: {', '.join(removed)}")
    load = load_raw_schema(settings.candidate_db, settings)
    if load.missing_from_manifest:
        context.log.warning(
            f"{len(load.missing_from_manifest)} document(s) not in the manifest, loaded "
            f"with what extraction inferred: {', '.join(load.missing_from_manifest)}"
        )
    for table in RAW_SCHEMA_TABLES:
        metadata = {"dagster/row_count": load.row_counts[table], "database": str(settings.candidate_db)}
        if table == "documents":
            metadata["documents_read"] = len(load.loaded)  # landed since the last load; the rest kept
            metadata["documents_dropped"] = len(load.deleted)
            metadata["removed_documents"] = dg.MetadataValue.json(removed)
            metadata["missing_from_manifest"] = dg.MetadataValue.json(load.missing_from_manifest)
        version = file_versions.get(table)  # what `staleness` compares raw/'s hand-kept files with
        yield dg.MaterializeResult(
            asset_key=raw_table(table), metadata=metadata, data_version=version and dg.DataVersion(version)
        )
