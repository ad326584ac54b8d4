"""A dbt model edited: the next `sosei build` re-parses the dbt project before anything reads its
manifest, the published warehouse's code version among them (hashed from the manifest when
`defs.publish` is imported), so the build after it, with nothing changed, skips.

Each build is a `sosei build` child process, which imports that version afresh, run from a copy of
the repository's code whose model is edited.
"""

import shutil
from pathlib import Path

import pytest
from cli_build import run_build

from orchestration.config import REPO_ROOT

pytestmark = pytest.mark.integration


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The code a build runs (`orchestration`, the dbt project with its parsed manifest, the
    expectations), copied with their mtimes."""
    copy = tmp_path / "repo"
    for folder in ("orchestration", "dbt_project", "expectations"):
        shutil.copytree(REPO_ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__", "logs"))
    return copy


def test_after_a_model_edit_a_build_parses_it_and_the_next_build_skips(
    tmp_path: Path, repo: Path, copy_sample_raw
) -> None:
    copy_sample_raw(tmp_path / "raw")
    model = repo / "dbt_project" / "models" / "marts" / "dim_document.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n-- edited after the manifest was parsed\n", "utf-8")
    first = run_build(tmp_path, repo=repo)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "dbt project changed: dbt parse" in first.stdout
    again = run_build(tmp_path, repo=repo)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "skipped, nothing changed" in again.stdout, again.stdout
