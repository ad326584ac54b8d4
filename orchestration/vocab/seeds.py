"""The dbt seeds that come from the vocabulary, written from it so they cannot drift.

python -m orchestration.vocab.seeds --write     # rewrite dbt_project/seeds/*.csv
python -m orchestration.vocab.seeds --check     # exit 1 if a committed seed differs
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from orchestration.config import DBT_SEEDS_DIR
from orchestration.vocab import load


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def grant_programs() -> str:
    rows = [
        [
            p["id"],
            p["name_ja"],
            p["family"],
            p.get("type_ja", ""),
            p["first_fiscal_year"],
            p.get("last_fiscal_year", ""),
            p.get("successor", ""),
        ]
        for p in load("grants")["programme"]
    ]
    return _csv(
        ["grant_program_id", "name_ja", "family", "type_ja", "first_fiscal_year", "last_fiscal_year", "successor_id"],
        rows,
    )


def grant_program_aliases() -> str:
    return _csv(["alias", "grant_program_id"], [[a, i] for a, i in load("grants")["aliases"].items()])


def unit_scales() -> str:
    scales = load("units")["scales"]
    rows = [[unit, base, factor, str(is_rate).lower()] for unit, (base, factor, is_rate) in scales.items()]
    return _csv(["unit", "base_unit", "scale_factor", "is_rate"], rows)


SEEDS = {
    "grant_programs.csv": grant_programs,
    "grant_program_aliases.csv": grant_program_aliases,
    "unit_scales.csv": unit_scales,
}


def drift(seeds_dir: Path = DBT_SEEDS_DIR) -> list[str]:
    """The seed files whose committed text differs from what the vocabulary writes."""
    return [
        name
        for name, render in SEEDS.items()
        if not (seeds_dir / name).exists() or (seeds_dir / name).read_text(encoding="utf-8") != render()
    ]


def write(seeds_dir: Path = DBT_SEEDS_DIR) -> None:
    for name, render in SEEDS.items():
        (seeds_dir / name).write_text(render(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the seeds from the vocabulary")
    parser.add_argument("--check", action="store_true", help="exit 1 if a seed differs from the vocabulary")
    args = parser.parse_args(argv)
    if args.write:
        write()
    stale = drift()
    if stale:
        print("seeds differ from orchestration/vocab: " + ", ".join(stale), file=sys.stderr)
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
