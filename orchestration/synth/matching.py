"""score.py's matching, in small, for tests and benchmarks that compare two readings of one
document: an observation is keyed on what score.py matches (KPI, measure, year) and judges
(value, unit, status), NFKC and whitespace folded."""

from __future__ import annotations

import unicodedata
from collections import Counter


def key(observation) -> tuple[str, ...]:
    o = observation
    return tuple(
        "".join(unicodedata.normalize("NFKC", str(v)).split())
        for v in (o.kpi_name, o.measure, o.fiscal_year, o.value, o.unit, o.status)
    )


def f1(gold: list, got: list) -> float:
    """F1 of `got` against `gold`, each observation matched at most once."""
    hits = sum((Counter(map(key, gold)) & Counter(map(key, got))).values())
    return 2 * hits / (len(gold) + len(got)) if gold or got else 1.0
