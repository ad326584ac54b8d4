"""`sosei extract`: the KPI observations of files, as CSV or JSON lines (no warehouse)."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Sequence

from orchestration.extract.engine import extract_file
from orchestration.extract.model import Observation

# The contract's fields, then where each number was read.
OUTPUT_COLUMNS = (
    *Observation.CONTRACT_FIELDS,
    "page",
    "line",
    "cell",
    "fragment",
    "reader",
    "ocr_confidence",
    "confidence",
)


def run(paths: Sequence[str], fmt: str) -> int:
    try:
        return extract(paths, fmt)
    except BrokenPipeError:  # `sosei extract ... | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def extract(paths: Sequence[str], fmt: str) -> int:
    writer = csv.DictWriter(sys.stdout, OUTPUT_COLUMNS, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writeheader()
    read = 0
    for path in paths:
        result = extract_file(path)
        if result.error:
            print(f"sosei extract: {result.error}", file=sys.stderr)
            continue
        read += 1
        for observation in result.observations:
            row = {k: getattr(observation, k) for k in OUTPUT_COLUMNS}
            if isinstance(row["value"], float) and row["value"].is_integer():
                row["value"] = int(row["value"])  # 14700, as printed, not 14700.0
            if writer:
                writer.writerow(row)
            else:
                print(json.dumps(row, ensure_ascii=False))
    return 0 if read else 1
