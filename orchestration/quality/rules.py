"""The quality rule registry (`rules.toml`): each invariant declared once, read here for the
gate's suites, the per-document checks at landing and the dbt models' constants.

No Great Expectations or DuckDB import: landing and the Dagster definitions read it cheaply.

    python -m orchestration.quality.rules --write   # dbt_project/macros/quality_rules.sql
    python -m orchestration.quality.rules --check   # exit 1 if it differs from the registry
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from orchestration.config import DBT_QUALITY_MACROS
from orchestration.extract.model import MEASURES

SEVERITIES = ("block", "warn", "quarantine")
KINDS = ("key", "unique_together", "not_null", "in_set", "between", "references", "at_least", "equal", "row_count")
_PAIRS = ("unique_together", "at_least", "equal")  # kinds about their columns together
LANDED = "landed"  # the relation of the checks landing runs on one document
LANDED_FRAME = "raw_kpi_observations"  # the gate suite whose frame those checks see the document through
LANDING_RELATIONS = (LANDED, LANDED_FRAME)  # what landing reads of the registry (`registry_part`)
QUARANTINE = "quarantine"  # the dbt model that routes rows to quarantine (dbt_quarantine_reasons)
NOT_SUITES = frozenset({LANDED, QUARANTINE})  # relations no gate suite validates
_VOCABULARY = {"measures": list(MEASURES)}


@dataclass(frozen=True)
class Rule:
    name: str
    rule: str  # one of KINDS
    severity: dict[str, str]  # relation (suite name, or LANDED) → block / warn / quarantine
    column: str | None = None  # the column checked, or
    columns: tuple[str, ...] = ()  # several: each on its own, or together (unique_together, pairs)
    values: Any = None  # in_set: a list, or the name of a parameter
    min: Any = None  # between: a number, or the name of a parameter
    max: Any = None
    mostly: Any = None  # in_set: the share of values that must be in the set
    document_mostly: Any = None  # landed: the share one document must reach (default: mostly)
    document_mostly_from: Any = None  # landed: a document with fewer values is not judged by a share
    to: str | None = None  # references: "schema.table.column"
    unless: str | None = None  # references: SQL true for the rows the rule does not apply to
    reason: Any = None  # relation quarantine: why a breaking row is quarantined (see rules.toml)
    value: Any = None  # row_count

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns) or ((self.column,) if self.column else ()))

    @property
    def each_column(self) -> tuple[str, ...]:
        """The columns checked one by one (none for a rule about columns together)."""
        return () if self.rule in _PAIRS else self.columns

    @property
    def target(self) -> tuple[str, str]:
        """references: the relation ("schema.table") and the column referred to."""
        relation, _, column = (self.to or "").rpartition(".")
        return relation, column


@cache
def _registry() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("rules.toml").read_text(encoding="utf-8"))


def registry_part(text: str, relations: Iterable[str]) -> str:
    """What checks of `relations` read of a registry's `text`, as canonical JSON: the parameters,
    the derived columns and the rules of those relations (with their severities there). The
    extraction's version hashes it, so that a rule of the gate alone re-lands nothing."""
    registry, wanted = tomllib.loads(text), set(relations)
    read = [
        {**rule, "severity": {r: s for r, s in rule["severity"].items() if r in wanted}}
        for rule in registry["rules"]
        if wanted & rule["severity"].keys()
    ]
    part = {"parameters": registry["parameters"], "derived": registry["derived"], "rules": read}
    return json.dumps(part, sort_keys=True, ensure_ascii=False)


def parameters() -> dict[str, Any]:
    return dict(_registry()["parameters"])


def derived() -> dict[str, str]:
    """Columns computed from an observation's own columns: name → SQL expression."""
    return dict(_registry()["derived"])


def derived_sql(names: Iterable[str]) -> list[str]:
    """`<expression> as <name>` for those of `names` that are derived columns."""
    return [f"{derived()[name]} as {name}" for name in dict.fromkeys(names) if name in derived()]


@cache
def rules() -> tuple[Rule, ...]:
    declared = tuple(Rule(**entry) for entry in _registry()["rules"])
    for rule in declared:
        bad = {s for s in rule.severity.values() if s not in SEVERITIES}
        if bad or rule.rule not in KINDS:
            raise ValueError(f"rules.toml: rule {rule.name!r}: unknown rule or severity {sorted(bad)}")
        if rule.rule == "references" and not all(rule.target):
            raise ValueError(f"rules.toml: rule {rule.name!r}: `to` must be schema.table.column")
        if QUARANTINE in rule.severity and (rule.reason is None or rule.rule not in ("between", "in_set", "not_null")):
            raise ValueError(
                f"rules.toml: rule {rule.name!r}: a quarantine rule is between, in_set or not_null, with a reason"
            )
        if rule.unless and rule.rule != "references":
            raise ValueError(f"rules.toml: rule {rule.name!r}: only a references rule takes `unless`")
        if bool(rule.columns) == (rule.rule == "row_count"):
            raise ValueError(
                f"rules.toml: rule {rule.name!r}: a {rule.rule} rule names {'no' if rule.columns else 'its'} columns"
            )
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


def violations(rule: Rule, column: str, value: Callable[[Any], str]) -> list[str | None]:
    """SQL true for a row that breaks `rule` on `column` (an SQL expression), one condition per
    way to break it (between: below min, above max; None where the rule sets no bound). NULLs
    break nothing, as in GX. `value` renders a parameter of the rule as SQL."""
    if rule.rule == "between":
        return [None if v is None else f"{column} {op} {value(v)}" for op, v in (("<", rule.min), (">", rule.max))]
    if rule.rule == "in_set":
        return [f"{column} is not null and not list_contains({value(rule.values)}, {column})"]
    if rule.rule == "not_null":
        return [f"{column} is null"]
    raise ValueError(f"rules.toml: rule {rule.name!r}: a {rule.rule} rule is not checked row by row")


# The run parameters as dbt computes them (the same rules as run_parameters).
_DBT_RUN_PARAMETERS = {
    "current_fiscal_year": "{{ current_fiscal_year() }}",
    "max_target_fiscal_year": "({{ current_fiscal_year() }} + {{ quality_param('target_horizon_years') }})",
}


def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_sql_literal(v) for v in value) + "]"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _dbt_value(value: Any) -> str:
    """A rule's parameter in dbt SQL: a run parameter by dbt's macros, a registry one by name."""
    if isinstance(value, str) and value.startswith("$"):
        return _DBT_RUN_PARAMETERS[value[1:]]
    if isinstance(value, str) and value in parameters():
        return f"{{{{ quality_param('{value}') }}}}"
    return _sql_literal(resolve(value))


def _message(template: str, rule: Rule) -> str:
    """A reason template as SQL text: {column} the row's value, {min} {max} {values} the rule's."""
    sql = []
    for i, part in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2 == 0:
            sql += [_sql_literal(part)] if part else []
        elif part in ("min", "max"):
            sql.append(f"cast({_dbt_value(getattr(rule, part))} as varchar)")
        elif part == "values":
            sql.append(_sql_literal("/".join(map(str, resolve(rule.values)))))
        else:
            sql.append(f"coalesce(cast({part} as varchar), 'null')")
    return " || ".join(sql) or "''"


def quarantine_reasons() -> list[str]:
    """One SQL `case` per rule of relation `quarantine`: its reason where a row breaks it."""
    cases = []
    for rule, _ in for_relation(QUARANTINE):
        column = derived().get(rule.column, rule.column)
        reasons = rule.reason if isinstance(rule.reason, list) else [rule.reason] * 2
        branches = [
            f"when {condition} then {_message(reason, rule)}"
            for condition, reason in zip(violations(rule, f"({column})", _dbt_value), reasons, strict=False)
            if condition
        ]
        cases.append(f"case {' '.join(branches)} end")
    return cases


def dbt_macros() -> str:
    """The registry as dbt macros: its parameters, `{{ quality_param('first_fiscal_year') }}`, and
    the quarantine reasons of its `quarantine` rules, `{{ quality_quarantine_reasons() }}`."""
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
        "{#- Why a row is quarantined, one expression per rule of relation `quarantine` (null where",
        "    the row keeps the rule), for concat_ws: the columns are the model's. -#}",
        "{% macro quality_quarantine_reasons() -%}",
        ",\n".join(f"    {case}" for case in quarantine_reasons()),
        "{%- endmacro %}",
        "",
    ]
    return "\n".join(lines)


def drifted(path: Path = DBT_QUALITY_MACROS) -> bool:
    return not path.is_file() or path.read_text(encoding="utf-8") != dbt_macros()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.quality.rules",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help=f"write {DBT_QUALITY_MACROS.name}")
    action.add_argument("--check", action="store_true", help="fail if it differs from the registry")
    args = parser.parse_args(argv)
    if args.write:
        DBT_QUALITY_MACROS.write_text(dbt_macros(), encoding="utf-8")
        print(f"wrote {DBT_QUALITY_MACROS}")
        return 0
    if drifted():
        print(
            f"{DBT_QUALITY_MACROS} differs from rules.toml; run python -m orchestration.quality.rules --write",
            file=sys.stderr,
        )
        return 1
    print(f"{DBT_QUALITY_MACROS.name} matches rules.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
