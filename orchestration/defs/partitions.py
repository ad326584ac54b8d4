"""Per-document partitions: one dynamic partition per file under raw/."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from urllib.parse import unquote

import dagster as dg

from orchestration.land.store import escape_reversibly

DOCUMENTS = "documents"
documents_partitions = dg.DynamicPartitionsDefinition(name=DOCUMENTS)
# The run tags with which Dagster runs one job over a range of partitions (a single-run backfill),
# as its docs give them for launching such runs from the CLI or GraphQL.
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


def partition_key(doc_id: str) -> str:
    """The partition key of a doc_id, reversibly.

    Dagster refuses `...` (its range separator) and control characters in partition keys, so
    those are percent-encoded, and `%` with them so that `unquote` gives the doc_id back.
    """
    return escape_reversibly(doc_id, r"\.{2,}")


def doc_id_from_key(key: str) -> str:
    return unquote(key)


def partition_range_tags(first: str, last: str) -> dict[str, str]:
    """Tags that make one run cover the keys first..last (in registration order)."""
    return {PARTITION_RANGE_START_TAG: first, PARTITION_RANGE_END_TAG: last}


def partition_sync(registered: Sequence[str], doc_ids: Collection[str]) -> tuple[list[str], list[str]]:
    """The partition keys to add and to delete so that the registered keys are raw/'s documents."""
    keys = {partition_key(d) for d in doc_ids}
    return sorted(keys - set(registered)), sorted(set(registered) - keys)


def sync_partitions(instance: dg.DagsterInstance, doc_ids: Collection[str]) -> list[str]:
    """Make the instance's partitions raw/'s documents; returns the keys in registration order."""
    to_add, to_delete = partition_sync(instance.get_dynamic_partitions(DOCUMENTS), doc_ids)
    for key in to_delete:
        instance.delete_dynamic_partition(DOCUMENTS, key)
    if to_add:
        instance.add_dynamic_partitions(DOCUMENTS, to_add)
    return instance.get_dynamic_partitions(DOCUMENTS)


def contiguous_ranges(ordered_keys: Sequence[str], wanted: set[str]) -> list[tuple[str, str]]:
    """The fewest (first, last) ranges of `ordered_keys` that cover exactly the `wanted` keys.

    A run covers a range of a dynamic partitions definition, in registration order; new files
    are registered last, so a batch of new files is a single range.
    """
    ranges: list[tuple[str, str]] = []
    start: str | None = None
    previous: str | None = None
    for key in ordered_keys:
        if key in wanted:
            start = start or key
            previous = key
        elif start is not None:
            ranges.append((start, previous))
            start = None
    if start is not None:
        ranges.append((start, previous))
    return ranges
