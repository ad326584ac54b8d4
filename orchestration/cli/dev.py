"""`sosei dev`: the Dagster UI and daemon on the builds' instance."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from orchestration.cli.instance import dagster_home
from orchestration.config import DAGSTER_ENV, Settings


def run(settings: Settings, extra: Sequence[str]) -> int:
    """The Dagster UI and daemon (`dagster dev`) on the builds' instance, with sosei's Dagster
    settings; replaces this process."""
    dagster = Path(sys.executable).parent / "dagster"  # the venv's, whether or not on PATH
    env = os.environ | DAGSTER_ENV | {"DAGSTER_HOME": str(dagster_home(settings))}
    env |= {"SOSEI_RAW_DIR": str(settings.raw_dir), "SOSEI_WAREHOUSE_DIR": str(settings.warehouse_dir)}
    argv = [str(dagster), "dev", "-m", "orchestration.definitions", *extra]
    os.execve(argv[0], argv, env | {"PATH": f"{dagster.parent}{os.pathsep}{env.get('PATH', '')}"})
