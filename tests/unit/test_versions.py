"""The extraction's and the rebuild's versions cover what runs: every module the stage imports and
every data file it reads, found by running it in a fresh interpreter; a path that does not exist
fails; a landing rule changes the extraction version, a rule of the gate alone does not."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from orchestration.config import DBT_MANIFEST, PACKAGE_DIR
from orchestration.land import extraction_version
from orchestration.publish import rebuild_version
from orchestration.quality import rules

sys.path.insert(0, str(Path(__file__).resolve().parent / "extract" / "layouts"))  # the family tests' writers
from families import SHEET_FORMATS, render

PACKAGE = PACKAGE_DIR
REPORT = [
    "地方創生推進交付金 令和3年度 実施状況報告",
    [["事業名", "KPI", "単位", "目標値", "実績値"], ["観光振興事業", "観光客数", "人", "1,000", "1,200"]],
]

# Run in a fresh interpreter: record every file opened, run `code`, then print the package's
# modules that are loaded and the files of the package that were opened.
_PROBE = """
import json, os, sys
opened = set()
def audit(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.add(os.path.abspath(os.fsdecode(args[0])))
sys.addaudithook(audit)
{code}
modules = {{n: m.__file__ for n, m in list(sys.modules.items()) if n.split(".")[0] == "orchestration"}}
print(json.dumps({{"modules": modules, "opened": sorted(opened)}}))
"""

_LAND = """
from pathlib import Path
from orchestration.config import Settings
from orchestration.land.store import land_entry
from orchestration.land.registry import scan_raw
settings = Settings(root=Path(sys.argv[1]), raw_dir=Path(sys.argv[1]) / "raw", warehouse_dir=Path(sys.argv[1]) / "wh")
for entry in scan_raw(settings.raw_dir).values():
    land_entry(entry, settings)
"""

# The Dagster definitions and the raw load (the gate's Great Expectations import, seconds of CPU,
# is left out: `defs.gate` imports it in the function that runs it, which the version reads).
_PUBLISH = """
from pathlib import Path
import orchestration.definitions
from orchestration.config import Settings
from orchestration.land.raw_schema import load_raw_schema
settings = Settings(root=Path(sys.argv[1]), raw_dir=Path(sys.argv[1]) / "raw", warehouse_dir=Path(sys.argv[1]) / "wh")
load_raw_schema(settings.candidate_db, settings)
"""


def _run_probe(code: str, folder: Path) -> tuple[set[Path], set[Path]]:
    """The package's modules loaded and its other files opened by `code`, run in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code), str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    ).stdout
    found = json.loads(out.splitlines()[-1])
    modules = {Path(f).resolve() for f in found["modules"].values() if f}
    opened = {Path(f) for f in found["opened"]}
    data = {f for f in opened if f.is_relative_to(PACKAGE) and "__pycache__" not in f.parts and f.suffix != ".py"}
    return modules, data


def _uncovered(files: set[Path], hashed: list[Path]) -> list[str]:
    return sorted(f.relative_to(PACKAGE).as_posix() for f in files - set(hashed))


def test_every_module_and_file_landing_runs_is_in_the_extraction_version(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    for fmt in SHEET_FORMATS:
        folder = tmp_path / "raw" / fmt
        folder.mkdir()
        render(fmt, folder, REPORT)
    (tmp_path / "raw" / "empty.txt").write_bytes(b"")  # an unreadable one: the error path

    modules, data = _run_probe(_LAND, tmp_path)

    hashed = extraction_version.code_files(extraction_version.LANDING_ENTRY)
    assert PACKAGE / "quality" / "landed.py" in modules and PACKAGE / "vocab" / "units.toml" in data  # the probe works
    assert _uncovered(modules, hashed) == [], "modules landing imports that the extraction version leaves out"
    assert _uncovered(data, hashed) == [], "files landing reads that the extraction version leaves out"
    assert (tmp_path / "wh" / "landing" / "documents").is_dir()


@pytest.mark.skipif(not DBT_MANIFEST.is_file(), reason="needs the dbt manifest (dbt parse)")
def test_every_module_and_file_the_publication_runs_is_in_the_rebuild_version(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "manifest.csv").write_text("file,issuer_name\na.txt,盛岡市\n", encoding="utf-8")

    modules, data = _run_probe(_PUBLISH, tmp_path)

    hashed = extraction_version.code_files(rebuild_version.REBUILD_ENTRY)
    assert {PACKAGE / "land" / "manifest.py", PACKAGE / "publish" / "release.py"} <= modules  # the probe works
    assert _uncovered(modules, hashed) == [], "modules the publication imports that the rebuild version leaves out"
    assert _uncovered(data, hashed) == [], "files the publication reads that the rebuild version leaves out"


def _copy_package(tmp_path: Path) -> Path:
    root = tmp_path / "orchestration"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _with_landed_severity(text: str, name: str, severity: str) -> str:
    """rules.toml with the `landed` severity of rule `name` changed."""
    blocks = text.split("[[rules]]")
    for i, block in enumerate(blocks):
        if f'name = "{name}"' in block:
            blocks[i] = block.replace(f'landed = "{_landed_rules(text)[name]}"', f'landed = "{severity}"', 1)
    return "[[rules]]".join(blocks)


def _landed_rules(text: str) -> dict[str, str]:
    registry = tomllib.loads(text)["rules"]
    return {r["name"]: r["severity"][rules.LANDED] for r in registry if rules.LANDED in r["severity"]}


def test_each_landing_rule_is_in_the_extraction_version_and_a_gate_rule_is_not(tmp_path: Path) -> None:
    root = _copy_package(tmp_path)
    toml = root / "quality" / "rules.toml"
    text = toml.read_text(encoding="utf-8")
    before = extraction_version.landing_version(root)
    landed = _landed_rules(text)
    assert landed
    for name, severity in landed.items():  # each landing rule, made to act otherwise
        toml.write_text(_with_landed_severity(text, name, "warn" if severity == "block" else "block"), encoding="utf-8")
        assert extraction_version.landing_version(root) != before, f"landing rule {name!r} is not in the version"
    gate_only = next(r for r in tomllib.loads(text)["rules"] if not set(rules.LANDING_RELATIONS) & r["severity"].keys())
    toml.write_text(text.replace(f'name = "{gate_only["name"]}"', f'name = "{gate_only["name"]}, renamed"'), "utf-8")
    assert extraction_version.landing_version(root) == before  # a gate rule re-lands nothing


def test_the_extraction_version_follows_the_modules_landing_imports(tmp_path: Path) -> None:
    root = _copy_package(tmp_path)
    before = extraction_version.landing_version(root)
    (root / "publish" / "release.py").write_text("# not landing's\n", encoding="utf-8")
    (root / "extract" / "__pycache__").mkdir()
    (root / "extract" / "__pycache__" / "engine.cpython-311.pyc").write_bytes(b"\0")
    assert extraction_version.landing_version(root) == before
    changed_files = ["quality/landed.py", "land/workers.py", "extract/layouts/wide.py", "vocab/words.toml"]
    changed_files.append("extract/formats/xls.py")  # named only as data, by the format registry (READERS)
    for changed in changed_files:
        path = root / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert extraction_version.landing_version(root) != before, changed
        path.write_bytes(original)


def test_a_module_or_folder_that_does_not_exist_fails_loudly(tmp_path: Path) -> None:
    root = tmp_path / "orchestration"
    root.mkdir()
    (root / "__init__.py").write_text("")
    (root / "land").mkdir()
    (root / "land" / "store.py").write_text("from orchestration.gone import something\n")
    with pytest.raises(ModuleNotFoundError, match=r"orchestration\.gone"):
        extraction_version.version_of_code(["orchestration.land.store"], root)
    with pytest.raises(FileNotFoundError, match="expectations"):
        extraction_version.version_of_files(tmp_path, ["expectations"])


def test_the_dashboards_words_are_not_in_the_extraction_version() -> None:
    """Rewording the dashboard (its catalogue, its map) must re-land no document."""
    from importlib import resources

    from orchestration.dashboard import texts

    texts.catalogue()
    texts.data_file("prefecture_grid")
    folder = resources.files(texts.__package__)
    read = {Path(str(folder.joinpath(f"{name}.toml"))) for name in ("catalogue", "prefecture_grid")}
    assert read and all(p.is_file() for p in read)
    assert read.isdisjoint(extraction_version.code_files(extraction_version.LANDING_ENTRY))
