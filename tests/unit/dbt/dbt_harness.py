"""Running dbt against a DuckDB file, and reading the result, for the dbt tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.config import DBT_PROJECT_DIR as DBT_PROJECT

DBT = Path(sys.executable).with_name("dbt")


def run_dbt(db_path: Path, work_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run dbt against `db_path`, keeping its target/ and logs/ out of the repository."""
    env = {**os.environ, "SOSEI_DBT_DB_PATH": str(db_path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [
            str(DBT),
            *args,
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def query(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
