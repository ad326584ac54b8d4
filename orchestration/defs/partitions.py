"""Per-document partitions: one dynamic partition per file under raw/."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from orchestration.landing import escape_reversibly

DOCUMENTS = "documents"
documents_partitions = dg.DynamicPartitionsDefinition(name=DOCUMENTS)


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
    return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}


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
