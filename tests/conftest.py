"""Shared test fixtures: where the sample corpus lives."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_reports() -> list[Path]:
    """The sample reports committed under raw/ (copies of the shared seeds)."""
    reports = sorted(p for p in (REPO / "raw").iterdir() if p.name != "manifest.csv")
    assert reports, "raw/ holds no sample reports"
    return reports
