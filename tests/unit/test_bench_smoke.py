"""The benchmark runs end to end at a tiny size and writes its report. It measures nothing
here: a stage is skipped only when the code it measures is genuinely not there."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT
from orchestration.synth import generator

pytestmark = [
    pytest.mark.integration,  # whole benchmark builds
    pytest.mark.skipif(
        not generator.DEFAULT_CODES.exists(), reason=f"{generator.DEFAULT_CODES} is not on this machine"
    ),
]


def present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def bench(out: Path, *flags: str) -> str:
    run = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "bench" / "run.py"),
            "--sizes",
            "4",
            "--sample",
            "1",
            "--repeats",
            "2",
            "--jobs",
            "2",
            "--out",
            str(out),
            *flags,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return (out / "REPORT.md").read_text(encoding="utf-8")


def test_benchmark_generates_extracts_scores_and_reports(tmp_path):
    report = bench(tmp_path, "--skip-build")
    assert "Corpus: 4 documents" in report
    for layout in generator.LAYOUTS:
        assert f"{layout}/" in report  # the tiny corpus has every layout family
    if present("orchestration.extract.engine"):
        assert "| layout | format | docs | MB | load docs/s | extract docs/s |" in report
        assert "| all | " in report  # scored with score.py
    else:
        assert "extraction engine is not importable" in report
    assert "## Peak memory" in report


@pytest.mark.integration
@pytest.mark.skipif(not present("orchestration.cli"), reason="no build command yet")
def test_benchmark_builds_rebuilds_and_queries(tmp_path):
    report = bench(tmp_path)
    assert "| fresh build, 4 docs | 4 |" in report
    assert "| no-change rebuild | 4 |" in report
    assert "| one correction appended (no landing) | 4 |" in report
    assert "| one document changed (" in report
    assert "| extraction version changed (every document re-lands) | 4 |" in report
    assert report.count("| ok |") == 5, report
    assert "median ms" in report and "failed:" not in report
