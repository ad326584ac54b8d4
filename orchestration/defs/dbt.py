"""The dbt project as assets: every seed, model and test, built into the candidate DuckDB."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.config import REPO_ROOT, Settings
from orchestration.defs.resources import SoseiSettings

DBT_DIR = REPO_ROOT / "dbt_project"
# A fresh clone has no target/manifest.json: `make install` runs `dbt parse` to produce it.
dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
dbt_project.prepare_if_dev()  # under `dagster dev`, re-parse so edits to the models show up


def dbt_resource() -> DbtCliResource:
    # The venv's dbt, whether or not the venv's bin/ is on PATH.
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt"))


@contextmanager
def dbt_env(settings: Settings) -> Iterator[None]:
    """The environment dbt's subprocess inherits: the candidate database, no version check."""
    wanted = {"SOSEI_DBT_DB_PATH": str(settings.candidate_db), "DBT_VERSION_CHECK": "false"}
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, name="sosei_dbt")
def sosei_dbt(context: AssetExecutionContext, dbt: DbtCliResource, sosei: SoseiSettings):
    settings = sosei.settings()
    # One reused target folder under the warehouse: keeps dbt's partial parse between runs and
    # keeps per-run folders out of the repository.
    target = settings.warehouse_dir / "build" / "dbt_target"
    with dbt_env(settings):
        yield from dbt.cli(["build"], context=context, target_path=target).stream()
