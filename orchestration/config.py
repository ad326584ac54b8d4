"""Where sosei reads and writes: the repository's own folders (the one place their paths are
built), and the data folders, from the environment so that tests can use a temporary tree."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent  # orchestration/
REPO_ROOT = PACKAGE_DIR.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"  # written by `dbt parse`
DBT_SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
DBT_QUALITY_MACROS = DBT_PROJECT_DIR / "macros" / "quality_rules.sql"  # generated from quality/rules.toml
GX_DIR = REPO_ROOT / "expectations"
SAMPLES_DIR = REPO_ROOT / "raw"  # the sample corpus and its manifest (the default raw/)
SHARED_DIR = REPO_ROOT.parent / "shared"  # beside the repository: reference codes, the devset, score.py


@dataclass(frozen=True)
class Settings:
    root: Path
    raw_dir: Path
    warehouse_dir: Path
    # Where landing runs: "" this machine's worker processes, "local:N" a Dask LocalCluster of N
    # workers, "tcp://host:8786" a Dask cluster's scheduler (`orchestration.land.cluster`).
    dask_scheduler: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        root = Path(os.environ.get("SOSEI_ROOT", REPO_ROOT)).resolve()
        raw = Path(os.environ.get("SOSEI_RAW_DIR", root / SAMPLES_DIR.name)).resolve()
        warehouse = Path(os.environ.get("SOSEI_WAREHOUSE_DIR", root / "warehouse")).resolve()
        dask = os.environ.get("SOSEI_DASK_SCHEDULER", "")
        return cls(root=root, raw_dir=raw, warehouse_dir=warehouse, dask_scheduler=dask)

    @property
    def dbt_project_dir(self) -> Path:
        return DBT_PROJECT_DIR

    @property
    def gx_dir(self) -> Path:
        return GX_DIR

    @property
    def manifest_path(self) -> Path:
        return self.raw_dir / "manifest.csv"

    @property
    def corrections_path(self) -> Path:
        return self.raw_dir / "corrections.csv"

    @property
    def landing_dir(self) -> Path:
        return self.warehouse_dir / "landing"

    @property
    def candidate_db(self) -> Path:
        return self.warehouse_dir / "build" / "candidate.duckdb"

    @property
    def raw_hashes(self) -> Path:
        """The registry's record of each raw/ file's stat and sha256 (`registry.hash_raw`)."""
        return self.warehouse_dir / "build" / "raw_hashes.json"

    @property
    def published_dir(self) -> Path:
        return self.warehouse_dir / "published"

    @property
    def published_db(self) -> Path:
        return self.published_dir / "sosei.duckdb"

    @property
    def quality_dir(self) -> Path:
        """The gate's validation results and Data Docs (`quality.gate.run_gate`)."""
        return self.warehouse_dir / "quality"

    @property
    def runs_dir(self) -> Path:
        return self.warehouse_dir / "runs"

    @property
    def dbt_target_dir(self) -> Path:
        """dbt's target folder for builds: kept between runs (partial parse), out of the repository."""
        return self.warehouse_dir / "build" / "dbt_target"

    @property
    def dbt_log_dir(self) -> Path:
        """Where dbt writes `dbt.log`, and `sosei build` the per-node lines (`dbt-build.log`)."""
        return self.warehouse_dir / "logs"


# How Dagster runs here, for every process that creates runs (`sosei build`, `sosei dev`'s
# webserver and daemon). A landing run over a range of documents records one planned event for
# the range instead of one per document: 10,000 sqlite writes (about 100 s) saved on a fresh
# build; the cost, per Dagster's own note, is that a crashed landing run does not mark its
# partitions failed (sosei's landing records say which documents landed).
DAGSTER_ENV = {"DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true"}
# A file that the dbt asset writes dbt's per-node lines to instead of standard output (`sosei
# build` without -v sets it).
DBT_LINES_ENV = "SOSEI_DBT_LINES"


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables (which child processes inherit) for a block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
