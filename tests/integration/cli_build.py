"""`sosei build` as a child process, as an operator runs it, on a tree holding raw/ and
warehouse/: its own imports, its own signals."""

import subprocess
import sys
from pathlib import Path

from orchestration.config import REPO_ROOT


def build_command(root: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "orchestration.cli",
        "build",
        "--raw",
        str(root / "raw"),
        "--warehouse",
        str(root / "warehouse"),
        *extra,
    ]


def run_build(root: Path, *extra: str, repo: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    """A build to its end; `repo`: the checkout whose code runs (the child imports it from there)."""
    return subprocess.run(build_command(root, *extra), cwd=repo, capture_output=True, text=True, timeout=900)
