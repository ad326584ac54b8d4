"""The vocabulary sosei reads reports with, as data shipped inside the package: header roles
(`headers.toml`), grant programmes and their aliases (`grants.toml`), units and their scales
(`units.toml`), status words, measure labels, marks and thresholds (`words.toml`).

The extractor reads it, and the dbt seeds `grant_programs.csv`, `grant_program_aliases.csv` and
`unit_scales.csv` are written from it (`python -m orchestration.vocab.seeds --write`), so a word
is written once.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """One vocabulary file (`headers`, `grants`, `units`, `words`) as parsed TOML."""
    return tomllib.loads(resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def words() -> dict:
    return load("words")


def statuses() -> tuple[str, ...]:
    return tuple(words()["statuses"])


def measure_labels() -> dict[str, str | None]:
    """Label → measure; None for a derived label (達成率) that holds no observation."""
    return {k: v or None for k, v in words()["measure_labels"].items()}


def threshold(name: str) -> int:
    return words()["thresholds"][name]


def grant_names() -> tuple[str, ...]:
    """Every name a report may print for a grant programme, longest first."""
    data = load("grants")
    names = {p["family"] for p in data["programme"]} | set(data["also_named"])
    return tuple(sorted(names, key=len, reverse=True))


def bracket_units() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(scale prefixes, counters) a report prints in brackets as a unit."""
    data = load("units")["brackets"]
    return tuple(data["prefixes"]), tuple(data["counters"])


def alternation(texts: object) -> str:
    """A regex alternation of literal words, longest first (so 実績値 is tried before 実績)."""
    return "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
