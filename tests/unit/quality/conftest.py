"""Candidate warehouses built the way the pipeline builds them: a raw schema (the extraction gold
observations, through the dbt tests' raw fixture), optionally with a fault injected, then the
real dbt project on top."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from orchestration.config import DBT_PROJECT_DIR
from orchestration.config import REPO_ROOT as REPO

DBT = Path(sys.executable).parent / "dbt"


def _raw_fixture():
    spec = importlib.util.spec_from_file_location("raw_fixture", REPO / "tests/unit/dbt/raw_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dbt(db: Path, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    project = DBT_PROJECT_DIR
    return subprocess.run(
        [
            str(DBT),
            *args,
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
        ],
        env=os.environ | {"SOSEI_DBT_DB_PATH": str(db)},
        capture_output=True,
        text=True,
        check=False,
    )


def build_candidate(workdir: Path, fault_sql: str = "") -> Path:
    """Land the gold observations in `workdir/candidate.duckdb`, apply `fault_sql` to the raw
    schema, and build seeds and models with dbt (its tests are left to the gate)."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "candidate.duckdb"
    _raw_fixture().load_raw(db)
    if fault_sql:
        with duckdb.connect(str(db)) as con:
            con.execute(fault_sql)
    done = _dbt(db, workdir, "build", "--exclude-resource-type", "test")
    if done.returncode:
        raise RuntimeError(f"dbt build failed for {db}:\n{done.stdout[-3000:]}")
    return db


@pytest.fixture(scope="session")
def clean_candidate(tmp_path_factory) -> Path:
    return build_candidate(tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="session")
def candidate_with(tmp_path_factory) -> Callable[[str], Path]:
    """A candidate with a fault; built once per fault (a dbt build costs seconds). Tests that
    change the file must copy it first."""
    built: dict[str, Path] = {}

    def build(fault_sql: str) -> Path:
        if fault_sql not in built:
            built[fault_sql] = build_candidate(tmp_path_factory.mktemp("faulty"), fault_sql)
        return built[fault_sql]

    return build


@pytest.fixture(scope="session")
def run_dbt_tests() -> Callable[[Path, Path], subprocess.CompletedProcess]:
    """dbt's own tests on a built candidate (what the pipeline runs before the gate)."""
    return lambda db, workdir: _dbt(db, workdir, "test")
