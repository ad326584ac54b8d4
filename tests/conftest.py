"""Shared test fixtures: where the sample corpus lives."""

from pathlib import Path

import pytest

from orchestration.config import SAMPLES_DIR


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow files (whole builds, marked integration) first: `make test` gives each worker a
    file at a time, and a long file started last keeps one worker busy while the other idles."""
    items.sort(key=lambda item: item.get_closest_marker("integration") is None)


@pytest.fixture(scope="session")
def sample_reports() -> list[Path]:
    """The sample reports committed under raw/ (copies of the shared seeds)."""
    reports = sorted(p for p in SAMPLES_DIR.iterdir() if p.name != "manifest.csv")
    assert reports, "raw/ holds no sample reports"
    return reports
