"""The dbt project as assets: every seed, model and test, built into the candidate DuckDB."""

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets, get_asset_key_for_model

from orchestration.config import DBT_LINES_ENV, DBT_PROJECT_DIR, Settings, environment
from orchestration.defs.resources import SoseiSettings
from orchestration.publish.dbt_nodes import keep_args, kept_nodes
from orchestration.publish.rebuild_version import code_fingerprint
from orchestration.quality import preload

# Two cores: independent models and tests run side by side (DuckDB takes one writer process, and
# dbt-duckdb's threads share its one connection).
DBT_THREADS = int(os.environ.get("SOSEI_DBT_THREADS", "2"))
# The code the candidate's models were last built by (code_fingerprint), beside dbt's target.
BUILT_CODE_FILE = "built_code.txt"
# A fresh clone has no target/manifest.json: `make install` runs `dbt parse` to produce it.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()  # under `dagster dev`, re-parse so edits to the models show up


def dbt_resource() -> DbtCliResource:
    # The venv's dbt, whether or not the venv's bin/ is on PATH.
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt"))


@contextmanager
def dbt_env(settings: Settings) -> Iterator[None]:
    """The environment dbt's subprocess inherits: the candidate database, no version check."""
    with environment({"SOSEI_DBT_DB_PATH": str(settings.candidate_db), "DBT_VERSION_CHECK": "false"}):
        yield


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, name="sosei_dbt")
def sosei_dbt(context: AssetExecutionContext, dbt: DbtCliResource, sosei: SoseiSettings):
    settings = sosei.settings()
    # One reused target folder under the warehouse: keeps dbt's partial parse between runs and
    # keeps per-run folders out of the repository. dbt's per-node lines go to its log file.
    args = ["build", "--threads", str(DBT_THREADS), "--log-path", str(settings.dbt_log_dir)]
    # dbt's unit tests check the models' logic, not the data: the test suite's builds run them,
    # a build of the warehouse does not pay for them (as dbt advises for production).
    args += ["--exclude-resource-type", "unit_test"]
    # Models rebuilt per document (dbt_project/macros/incremental.sql) keep rows from earlier
    # builds: after any change to the code they would be computed by, everything is rebuilt.
    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    code = code_fingerprint(manifest, dt.date.today())
    record = settings.dbt_target_dir / BUILT_CODE_FILE
    same_code = record.is_file() and record.read_text(encoding="utf-8") == code
    if not same_code:
        args.append("--full-refresh")
    # By the same code, what depends on the code alone stays as the last build left it.
    kept = kept_nodes(manifest, settings.candidate_db) if same_code and not context.is_subset else []
    args += keep_args(kept)
    preload.start()  # the gate's GX import, on another thread while this one waits on dbt
    for node in kept:  # current: Dagster materialises whatever depends on them as usual
        key = get_asset_key_for_model([context.assets_def], node["name"])
        yield MaterializeResult(asset_key=key, metadata={"unique_id": node["unique_id"], "rebuilt": False})
    with dbt_env(settings), _node_lines_to(os.environ.get(DBT_LINES_ENV)):
        yield from dbt.cli(args, context=context, target_path=settings.dbt_target_dir).stream()
    if not context.is_subset:  # only a build of every model, and one that succeeded
        record.write_text(code, encoding="utf-8")


@contextmanager
def _node_lines_to(path: str | None) -> Iterator[None]:
    """dagster-dbt echoes each dbt line on stdout; `sosei build` (without -v) sends them to a file."""
    if not path:
        yield
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as lines, redirect_stdout(lines):
        yield
