"""Where sosei reads and writes, from the environment so that tests can use a temporary tree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    root: Path
    raw_dir: Path
    warehouse_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        root = Path(os.environ.get("SOSEI_ROOT", REPO_ROOT)).resolve()
        raw = Path(os.environ.get("SOSEI_RAW_DIR", root / "raw")).resolve()
        warehouse = Path(os.environ.get("SOSEI_WAREHOUSE_DIR", root / "warehouse")).resolve()
        return cls(root=root, raw_dir=raw, warehouse_dir=warehouse)

    @property
    def dbt_project_dir(self) -> Path:
        return REPO_ROOT / "dbt_project"

    @property
    def gx_dir(self) -> Path:
        return REPO_ROOT / "expectations"

    @property
    def manifest_path(self) -> Path:
        return self.raw_dir / "manifest.csv"

    @property
    def landing_dir(self) -> Path:
        return self.warehouse_dir / "landing"

    @property
    def candidate_db(self) -> Path:
        return self.warehouse_dir / "build" / "candidate.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.warehouse_dir / "published"

    @property
    def published_db(self) -> Path:
        return self.published_dir / "sosei.duckdb"

    @property
    def runs_dir(self) -> Path:
        return self.warehouse_dir / "runs"
