"""The quality rule registry (`rules.toml`): each invariant declared once, read here for the
gate's suites, the per-document checks at landing and the dbt models' constants.

No Great Expectations or DuckDB import: landing and the Dagster definitions read it cheaply.

    python -m orchestration.quality.rules --write   # dbt_project/macros/quality_rules.sql
    python -m orchestration.quality.rules --check   # exit 1 if it differs from the registry
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from orchestration.config import REPO_ROOT
from orchestration.extract.model import MEASURES

SEVERITIES = ("block", "warn", "quarantine")
LANDED = "landed"  # the relation of the checks landing runs on one document
DBT_MACROS = REPO_ROOT / "dbt_project" / "macros" / "quality_rules.sql"
_VOCABULARY = {"measures": list(MEASURES)}


@dataclass(frozen=True)
class Rule:
    name: str
    column: str
    rule: str  # "between" or "in_set"
    severity: dict[str, str]  # relation (suite name, or LANDED) → block / warn / quarantine
    values: Any = None  # in_set: a list, or the name of a parameter
    min: Any = None  # between: a number, or the name of a parameter
    max: Any = None
    mostly: Any = None  # in_set: the share of values that must be in the set


@cache
def _registry() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("rules.toml").read_text(encoding="utf-8"))


def parameters() -> dict[str, Any]:
    return dict(_registry()["parameters"])


@cache
def rules() -> tuple[Rule, ...]:
    declared = tuple(Rule(**entry) for entry in _registry()["rules"])
    for rule in declared:
        bad = {s for s in rule.severity.values() if s not in SEVERITIES}
        if bad or rule.rule not in ("between", "in_set"):
            raise ValueError(f"rules.toml: rule {rule.name!r}: unknown rule or severity {sorted(bad)}")
    return declared


def for_relation(relation: str) -> list[tuple[Rule, str]]:
    """The rules that apply to `relation`, each with its severity there."""
    return [(rule, rule.severity[relation]) for rule in rules() if relation in rule.severity]


def relations() -> set[str]:
    return {relation for rule in rules() for relation in rule.severity}


def current_fiscal_year(today: dt.date) -> int:
    """Japanese fiscal years start in April: January–March belong to the previous year."""
    return today.year if today.month >= 4 else today.year - 1


def run_parameters(today: dt.date, known_units: list[str]) -> dict[str, Any]:
    """The values rules leave to run time (`$name`): this year's limits and the known units."""
    fiscal_year = current_fiscal_year(today)
    return {
        "current_fiscal_year": fiscal_year,
        "max_target_fiscal_year": fiscal_year + parameters()["target_horizon_years"],
        "known_units": known_units,
        "max_quarantine_share": parameters()["max_quarantine_share"],
    }


def resolve(value: Any, run: dict[str, Any] | None = None) -> Any:
    """A rule's parameter as a value: `$name` from `run` (None: GX's `{"$PARAMETER": name}`, which
    the gate fills in), another string from [parameters] or the vocabulary, else as written."""
    if not isinstance(value, str):
        return value
    if value.startswith("$"):
        return {"$PARAMETER": value[1:]} if run is None else run[value[1:]]
    return _VOCABULARY[value] if value in _VOCABULARY else parameters()[value]


def dbt_macros() -> str:
    """The registry's parameters as a dbt macro: `{{ quality_param('first_fiscal_year') }}`."""
    lines = [
        "{#- Written by `python -m orchestration.quality.rules --write` from",
        "    orchestration/quality/rules.toml: edit that file, not this one. -#}",
        "{% macro quality_param(name) -%}",
        "    {%- set params = {",
        *(f"        {name!r}: {value!r}," for name, value in parameters().items()),
        "    } -%}",
        "    {{- return(params[name]) -}}",
        "{%- endmacro %}",
        "",
    ]
    return "\n".join(lines)


def drifted(path: Path = DBT_MACROS) -> bool:
    return not path.is_file() or path.read_text(encoding="utf-8") != dbt_macros()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.quality.rules",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help=f"write {DBT_MACROS.name}")
    action.add_argument("--check", action="store_true", help="fail if it differs from the registry")
    args = parser.parse_args(argv)
    if args.write:
        DBT_MACROS.write_text(dbt_macros(), encoding="utf-8")
        print(f"wrote {DBT_MACROS}")
        return 0
    if drifted():
        print(
            f"{DBT_MACROS} differs from rules.toml; run python -m orchestration.quality.rules --write", file=sys.stderr
        )
        return 1
    print(f"{DBT_MACROS.name} matches rules.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
