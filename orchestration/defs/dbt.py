"""The dbt project as assets: every seed, model and test, built into the candidate DuckDB."""

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from orchestration.config import REPO_ROOT, Settings, environment
from orchestration.defs.resources import SoseiSettings
from orchestration.quality import preload
from orchestration.rebuild_version import code_fingerprint

DBT_DIR = REPO_ROOT / "dbt_project"
# Two cores: independent models and tests run side by side (DuckDB takes one writer process, and
# dbt-duckdb's threads share its one connection).
DBT_THREADS = int(os.environ.get("SOSEI_DBT_THREADS", "2"))
DBT_LINES_ENV = "SOSEI_DBT_LINES"  # a file for dbt's per-node lines instead of stdout
# The code the candidate's models were last built by (code_fingerprint), beside dbt's target.
BUILT_CODE_FILE = "built_code.txt"
# A fresh clone has no target/manifest.json: `make install` runs `dbt parse` to produce it.
dbt_project = DbtProject(project_dir=DBT_DIR, profiles_dir=DBT_DIR)
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
    # Models rebuilt per document (dbt_project/macros/incremental.sql) keep rows from earlier
    # builds: after any change to the code they would be computed by, everything is rebuilt.
    code = code_fingerprint(json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8")), dt.date.today())
    record = settings.dbt_target_dir / BUILT_CODE_FILE
    if not record.is_file() or record.read_text(encoding="utf-8") != code:
        args.append("--full-refresh")
    preload.start()  # the gate's GX import, on another thread while this one waits on dbt
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
