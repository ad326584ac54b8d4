"""Partition keys for doc_ids, and runs over ranges of them."""

import dagster as dg
import pytest

from orchestration.defs.partitions import (
    contiguous_ranges,
    doc_id_from_key,
    documents_partitions,
    partition_key,
)


@pytest.mark.parametrize(
    "doc_id", ["a.txt", "2023/盛岡市/report.pdf", "v1...final.xlsx", "50%.csv", "tab\there.txt", "dots..txt"]
)
def test_partition_keys_are_valid_and_reversible(doc_id: str) -> None:
    key = partition_key(doc_id)
    assert doc_id_from_key(key) == doc_id
    with dg.instance_for_test() as instance:  # Dagster itself accepts the key
        instance.add_dynamic_partitions(documents_partitions.name, [key])
        assert instance.get_dynamic_partitions(documents_partitions.name) == [key]


def test_plain_names_are_their_own_keys() -> None:
    assert partition_key("004_9c18c498f3630c95.txt") == "004_9c18c498f3630c95.txt"


def test_contiguous_ranges_cover_exactly_the_wanted_keys() -> None:
    keys = ["a", "b", "c", "d", "e", "f"]
    assert contiguous_ranges(keys, {"b", "c", "e"}) == [("b", "c"), ("e", "e")]
    assert contiguous_ranges(keys, set(keys)) == [("a", "f")]
    assert contiguous_ranges(keys, set()) == []
    assert contiguous_ranges(keys, {"a", "f"}) == [("a", "a"), ("f", "f")]
