"""Shared test fixtures: where the sample corpus lives."""

from pathlib import Path

import pytest

from orchestration.config import SAMPLES_DIR


@pytest.fixture(scope="session")
def sample_reports() -> list[Path]:
    """The sample reports committed under raw/ (copies of the shared seeds)."""
    reports = sorted(p for p in SAMPLES_DIR.iterdir() if p.name != "manifest.csv")
    assert reports, "raw/ holds no sample reports"
    return reports
