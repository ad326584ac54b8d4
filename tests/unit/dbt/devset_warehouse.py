"""The development set's documents built into a warehouse and judged against their gold, for
the verification test and its figures (issue 23: every `verified` number is right; how many of
the wrong ones are `contradicted`).

Each document is read and landed as `sosei build` lands it (extract_file → land_document →
load_raw_schema), then dbt runs. `corrupt=N` flips one digit of every N-th actual as landed,
before dbt: a misread number, with the report's own evidence (its 達成率, its marks) as printed.
The scan (h22) takes OCR minutes, so it is left out unless asked for. As a script it prints the
figures:

    .venv/bin/python tests/unit/dbt/devset_warehouse.py [--with-scan] [--corrupt N]
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections import Counter
from pathlib import Path

import duckdb
from dbt_harness import query, run_dbt

from orchestration.config import SHARED_DIR, Settings
from orchestration.extract.engine import extract_file
from orchestration.land.raw_schema import load_raw_schema
from orchestration.land.store import land_document

DEVSET = SHARED_DIR / "extraction" / "devset"
SCANS = (".png", ".jpg", ".tif")


def _score_module():
    spec = importlib.util.spec_from_file_location("shared_score", DEVSET.parent / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def devset_documents(with_scan: bool) -> list[Path]:
    """The devset's documents; without the scan (a PDF with no text layer) unless asked."""
    docs = sorted((DEVSET / "docs").iterdir())
    return [d for d in docs if with_scan or not ("scanned" in d.stem or d.suffix in SCANS)]


def build(work: Path, with_scan: bool = False, corrupt: int = 0) -> Path:
    """Land the devset into `work` and build it with dbt; returns the warehouse."""
    settings = Settings(root=work, raw_dir=DEVSET / "docs", warehouse_dir=work / "wh")
    for path in devset_documents(with_scan):
        land_document(extract_file(path), path.name, settings)
    db = work / "warehouse.duckdb"
    load_raw_schema(db, settings)
    if corrupt:
        flip_digits(db, corrupt)
    for command in ("seed", "run"):
        result = run_dbt(db, work, command)
        if result.returncode != 0:
            raise RuntimeError(result.stdout[-4000:])
    return db


def flip_digits(db: Path, every: int) -> int:
    """Change one digit (the leading one, +1 mod 10, never to a leading 0) of every `every`-th
    landed actual with a value of two digits or more; returns how many were changed."""
    with duckdb.connect(str(db)) as con:
        rows = con.execute(
            "select observation_id, value from raw.kpi_observations"
            " where measure = 'actual' and abs(value) >= 10 order by doc_id, seq"
        ).fetchall()
        changed = [(observation_id, _flipped(value)) for observation_id, value in rows[::every]]
        con.executemany(
            "update raw.kpi_observations set value = ? where observation_id = ?",
            [(value, observation_id) for observation_id, value in changed],
        )
    return len(changed)


def _flipped(value: float) -> float:
    text = f"{value:g}"
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    lead = str(int(digits[0]) % 9 + 1)  # 1→2 … 8→9, 9→1: never 0, always another digit
    return float(sign + lead + digits[1:])


def judged_observations(db: Path) -> list[dict]:
    """Each published observation with its verification and whether the devset gold has it right
    (its document, KPI, measure and year hold a gold row with its value, unit and status)."""
    score = _score_module()
    gold = score.load(str(DEVSET / "gold.csv"))
    by_key: dict[tuple, list[dict]] = {}
    for g in gold:
        by_key.setdefault((g["doc"], g["kpi"], g["measure"], g["year"]), []).append(g)
    rows = query(
        db,
        "select observation_id, doc_id, extracted_kpi_name, measure, fiscal_year, value, unit, status,"
        " verification, verification_evidence from marts.fct_kpi_observation order by observation_id",
    )
    judged = []
    for observation_id, doc, kpi, measure, year, value, unit, status, verification, evidence in rows:
        p = {"value": value, "unit": score.norm_text(unit), "status": score.norm_text(status)}
        key = (doc, score.kpi_key(kpi), measure, score.year(year))
        right = any(score.correct(g, p) for g in by_key.get(key, []))
        judged.append(
            {"observation_id": observation_id, "verification": verification, "right": right, "evidence": evidence}
        )
    return judged


def figures(judged: list[dict]) -> dict[str, float]:
    """Shares of the verifications, and of the wrong observations the contradicted ones."""
    counts = Counter(j["verification"] for j in judged)
    wrong = [j for j in judged if not j["right"]]
    return {
        "observations": len(judged),
        **{f"share_{v}": counts[v] / len(judged) for v in ("verified", "consistent", "unchecked", "contradicted")},
        "wrong": len(wrong),
        "wrong_contradicted": sum(j["verification"] == "contradicted" for j in wrong),
        "verified_wrong": sum(j["verification"] == "verified" and not j["right"] for j in judged),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-scan", action="store_true")
    parser.add_argument("--corrupt", type=int, default=0, help="flip a digit of every N-th actual")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sosei-devset-verification"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    db = build(args.work, args.with_scan, args.corrupt)
    built = time.perf_counter() - started
    result = figures(judged_observations(db))
    print(f"built in {built:.1f} s: {db}")
    for name, value in result.items():
        print(f"{name}: {value:.3f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
