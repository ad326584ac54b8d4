"""The benchmark runs end to end at a tiny size and writes its report. It measures nothing
here: a stage is skipped only when the code it measures is genuinely not there."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from orchestration.config import REPO_ROOT
from orchestration.synth import generator

pytestmark = pytest.mark.skipif(not generator.DEFAULT_CODES.exists(),
                                reason=f"{generator.DEFAULT_CODES} is not on this machine")


def present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def test_benchmark_runs_at_a_tiny_size_and_writes_its_report(tmp_path):
    run = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--sizes", "4", "--sample", "1",
         "--repeats", "2", "--jobs", "2", "--out", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    report = (tmp_path / "REPORT.md").read_text(encoding="utf-8")
    assert "Corpus: 4 documents" in report
    for layout in generator.LAYOUTS:
        assert f"{layout}/" in report  # the tiny corpus has every layout family
    if present("orchestration.extract.engine"):
        assert "| layout | format | docs | docs/s |" in report
        assert "| all | " in report  # scored with score.py
    else:
        assert "extraction engine is not importable" in report
    if present("orchestration.cli"):
        assert "| fresh build, 4 docs | 4 |" in report
        assert "| no-change rebuild |" in report
        assert "median ms" in report
    assert "## Peak memory" in report
