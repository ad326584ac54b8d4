"""The vocabulary is data written once: the seeds come from it, every reader uses its words, and
the built wheel carries it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT as REPO
from orchestration.extract.engine import extract_file
from orchestration.extract.layouts.context import find_grant
from orchestration.extract.layouts.kpi_text import read_kpi_cell
from orchestration.extract.normalize import split_value_unit
from orchestration.vocab import seeds, statuses


def test_the_dbt_seeds_are_what_the_vocabulary_writes():
    assert seeds.drift() == [], "run: python -m orchestration.vocab.seeds --write"


def test_a_seed_edited_by_hand_is_drift(tmp_path):
    seeds.write(tmp_path)
    assert seeds.drift(tmp_path) == []
    with (tmp_path / "unit_scales.csv").open("a", encoding="utf-8") as f:
        f.write("羽,羽,1,false\n")
    assert seeds.drift(tmp_path) == ["unit_scales.csv"]


@pytest.mark.parametrize("word", statuses())
def test_a_status_word_reads_the_same_in_a_value_cell_and_in_free_text(word):
    assert split_value_unit(word) == (None, "", word)
    reading = read_kpi_cell(f"来訪者数 目標 100人 実績 {word}", 2023)
    assert [(r.measure, r.value, r.status) for r in reading.readings] == [("target", 100.0, ""), ("actual", None, word)]
    assert reading.unread == []


@pytest.mark.parametrize(
    ("printed", "grant"),
    [
        (
            "新しい地方経済・生活環境創生交付金（第２世代交付金 ソフト事業）",
            "新しい地方経済・生活環境創生交付金(第2世代交付金 ソフト事業)",
        ),
        (
            "令和7年度 新しい地方経済・生活環境創生交付金（第２世代交付金 拠点整備事業）事業の実績",
            "新しい地方経済・生活環境創生交付金(第2世代交付金 拠点整備事業)",
        ),
        (
            "デジタル田園都市国家構想交付金（デジタル実装タイプ TYPE1）",
            "デジタル田園都市国家構想交付金(デジタル実装タイプ TYPE1)",
        ),
        ("地方創生推進交付金（Society5.0タイプ）", "地方創生推進交付金(Society5.0タイプ)"),
        ("地方創生拠点整備交付金（補正予算）", "地方創生拠点整備交付金"),  # a bracket that is not a type
    ],
)
def test_a_grant_keeps_its_type_as_the_seeds_name_it(printed, grant):
    assert find_grant(printed) == grant


def test_every_programme_type_the_seeds_list_is_read_from_a_heading():
    names = [line.split(",")[1] for line in seeds.grant_programs().splitlines()[1:]]
    assert [n for n in names if find_grant(n) != n] == []


def test_the_built_wheel_installs_and_extracts_the_sample_corpus(tmp_path):
    """Build the wheel, install it alone in a fresh venv that borrows this venv's dependencies
    (no .pth processing, so the editable checkout is not on the path), extract `raw/`."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python3*/site-packages"))
    deps = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "openpyxl").exists())
    # Plain paths in a .pth file: added to sys.path, but the .pth files inside them are not run.
    (site / "zz_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    wheel = next(wheels.glob("sosei-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    code = (
        "import orchestration, sys; from orchestration.extract.engine import extract_file;"
        "assert 'site-packages' in orchestration.__file__, orchestration.__file__;"
        "rs = [extract_file(p) for p in sys.argv[1:]];"
        "assert all(r.error is None for r in rs), [r.error for r in rs];"
        "print(sum(len(r.observations) for r in rs))"
    )
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code, *map(str, sorted((REPO / "raw").glob("*.txt")))],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    expected = sum(len(extract_file(p).observations) for p in sorted((REPO / "raw").glob("*.txt")))
    assert int(out.stdout.strip()) == expected > 0
