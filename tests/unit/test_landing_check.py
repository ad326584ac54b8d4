"""Landed data checked against itself: a landing file replaced, emptied, truncated or turned to
garbage after its document landed is found, named, and its document is not taken as landed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from test_landing import _result

from orchestration.config import Settings
from orchestration.land.store import (
    RAW_TABLES,
    arrow_schema,
    land_document,
    landed_documents,
    landing_path,
    sound_landed_documents,
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "raw").mkdir()
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    land_document(_result("a.txt", n_obs=3), "a.txt", settings)
    land_document(_result("b.txt", n_obs=2), "b.txt", settings)
    return settings


def test_freshly_landed_documents_are_sound(settings: Settings) -> None:
    landed, damaged = sound_landed_documents(settings)
    assert set(landed) == {"a.txt", "b.txt"} and damaged == {}


def test_an_empty_valid_parquet_in_place_of_the_observations_is_damage(settings: Settings) -> None:
    path = landing_path(settings, "kpi_observations", "a.txt")
    pq.write_table(arrow_schema(RAW_TABLES["kpi_observations"]).empty_table(), path)
    landed, damaged = sound_landed_documents(settings)
    assert set(landed) == {"b.txt"}
    assert damaged == {"a.txt": "kpi_observations landing file differs from the one landed (0 rows, 3 landed)"}
    land_document(_result("a.txt", n_obs=3), "a.txt", settings)  # what the build does next
    assert sound_landed_documents(settings)[1] == {}


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), "unreadable"),
        (lambda p: p.write_bytes(b"garbage" * 100), "unreadable"),
        (lambda p: p.unlink(), "missing"),
    ],
    ids=["truncated", "garbage", "deleted"],
)
def test_a_truncated_garbage_or_missing_landing_file_is_damage(settings: Settings, damage, reason: str) -> None:
    damage(landing_path(settings, "review_items", "b.txt"))
    landed, damaged = sound_landed_documents(settings)
    assert set(landed) == {"a.txt"} and reason in damaged["b.txt"]


def test_the_same_bytes_copied_elsewhere_are_sound(settings: Settings, tmp_path: Path) -> None:
    """A warehouse copied (new inodes and times) is checked by content, and passes."""
    shutil.copytree(settings.warehouse_dir, tmp_path / "copy")
    copied = Settings(root=tmp_path, raw_dir=settings.raw_dir, warehouse_dir=tmp_path / "copy")
    landed, damaged = sound_landed_documents(copied)
    assert set(landed) == {"a.txt", "b.txt"} and damaged == {}


def test_a_truncated_documents_file_is_a_document_not_landed_not_a_crash(settings: Settings) -> None:
    path = landing_path(settings, "documents", "a.txt")
    path.write_bytes(path.read_bytes()[:40])
    assert set(landed_documents(settings)) == {"b.txt"}


def test_a_document_landed_without_checksums_lands_again(settings: Settings) -> None:
    path = landing_path(settings, "documents", "a.txt")
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["landing_files"]), path)  # as an older sosei wrote it
    landed, damaged = sound_landed_documents(settings)
    assert set(landed) == {"b.txt"} and "older version" in damaged["a.txt"]
