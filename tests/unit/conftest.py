"""A temporary raw/ + warehouse and a Dagster test instance, per test (for the unit tests of the
Dagster definitions and of the CLI around them)."""

import shutil
from pathlib import Path

import dagster as dg
import pytest

from orchestration.config import REPO_ROOT, Settings
from orchestration.defs.resources import SoseiSettings
from orchestration.land.registry import scan_raw

SAMPLE_RAW = REPO_ROOT / "raw"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    raw = tmp_path / "raw"
    raw.mkdir()
    return Settings(root=tmp_path, raw_dir=raw, warehouse_dir=tmp_path / "warehouse")


@pytest.fixture
def sosei(settings: Settings) -> SoseiSettings:
    return SoseiSettings.from_settings(settings)


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def sample_docs(settings: Settings, instance: dg.DagsterInstance):
    """Copy the first n sample reports into the test's raw/ and register them; returns their ids."""

    def copy(n: int) -> list[str]:
        names = [entry.path.name for entry in scan_raw(SAMPLE_RAW).values()][:n]
        for name in names:
            shutil.copy(SAMPLE_RAW / name, settings.raw_dir / name)
        instance.add_dynamic_partitions("documents", names)
        return names

    return copy
