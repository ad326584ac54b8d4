"""Shared test fixtures: where the sample corpus lives."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestration.config import SAMPLES_DIR
from orchestration.land.registry import HAND_KEPT, scan_raw


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow files (whole builds, marked integration) first: `make test` gives each worker a
    file at a time, and a long file started last keeps one worker busy while the other idles."""
    items.sort(key=lambda item: item.get_closest_marker("integration") is None)


@pytest.fixture(scope="session")
def copy_sample_raw() -> Callable[[Path], Path]:
    """A function that copies raw/'s sample reports and manifest to a folder, not the hand-kept
    files a data team adds beside them (corrections.csv, its lock): tests count on the samples."""
    others = [name for table, name in HAND_KEPT.items() if table != "manifest"]

    def copy(dest: Path) -> Path:
        shutil.copytree(SAMPLES_DIR, dest, ignore=shutil.ignore_patterns(*others, ".*"))
        return dest

    return copy


@pytest.fixture(scope="session")
def sample_reports() -> list[Path]:
    """The sample reports committed under raw/ (copies of the shared seeds)."""
    reports = [entry.path for entry in scan_raw(SAMPLES_DIR).values()]  # as a build tells the reports
    assert reports, "raw/ holds no sample reports"
    return reports
