"""`sosei build` as a child process, as an operator runs it, on a tree holding raw/ and
warehouse/: its own imports, its own signals; and documents slow enough to stop it in landing."""

import subprocess
import sys
from pathlib import Path

from orchestration.config import REPO_ROOT
from orchestration.synth.render import scan_page, write_pdf


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


def slow_scans(raw: Path, documents: int, pages: int) -> list[Path]:
    """Scanned reports of `pages` pages each, read by OCR (seconds a page)."""
    header = ["No", "交付金事業の名称", "指標", "事業開始前", "目標値", "単位", "実績値"]
    rows = [
        [str(i), f"観光振興事業{i}", "移住者数", f"{1000 + i}", f"{2500 + i}", "人", f"{3000 + i}"]
        for i in range(1, 21)
    ]
    text = raw / "table.pdf"
    write_pdf(text, ["令和3年度 地方創生推進交付金事業", [header, *rows]])
    scan = scan_page(text, dpi=200, seed=3)
    text.unlink()
    paths = [raw / f"scan_{n}.pdf" for n in range(documents)]
    for path in paths:
        scan.save(path, "PDF", resolution=200.0, save_all=True, append_images=[scan] * (pages - 1))
    return paths
