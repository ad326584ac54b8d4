"""The expectation suites, defined in code and written once into the committed GX file context.

Every expectation comes from a rule of the registry (`rules.toml`: keys, grains, required
columns, accepted values, references, fiscal years, units, counts that must agree, the
quarantine share); nothing is declared here. Severity uses GX's own field: `critical` is
a batch-level ERROR that blocks publication (registry severity block), `warning` a WARN that is
reported (warn, or quarantine: the dbt models already route the row to quarantine). Values that
change between runs (the current fiscal year, the known units from the dbt seed, the quarantine
threshold) are suite parameters, so the committed files never drift.

    python -m orchestration.quality.suites --write   # after changing a definition
    python -m orchestration.quality.suites --check   # exit 1 if the committed suites differ
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

from orchestration.config import Settings
from orchestration.quality import catalog, rules
from orchestration.quality.catalog import SUITES

ERROR = FailureSeverity.CRITICAL
WARN = FailureSeverity.WARNING

_GX_SEVERITY = {"block": ERROR, "warn": WARN, "quarantine": WARN}


def _between(rule: rules.Rule, column: str, severity: FailureSeverity) -> gxe.Expectation:
    bounds = {"min_value": rules.resolve(rule.min), "max_value": rules.resolve(rule.max)}
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, severity=severity, **{k: v for k, v in bounds.items() if v is not None}
    )


def _in_set(rule: rules.Rule, column: str, severity: FailureSeverity) -> gxe.Expectation:
    mostly = {"mostly": rules.resolve(rule.mostly)} if rule.mostly is not None else {}
    return gxe.ExpectColumnValuesToBeInSet(
        column=column, value_set=rules.resolve(rule.values), severity=severity, **mostly
    )


def _key(rule: rules.Rule, column: str, severity: FailureSeverity) -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column, severity=severity),
        gxe.ExpectColumnValuesToBeUnique(column=column, severity=severity),
    ]


def _references(rule: rules.Rule, column: str, severity: FailureSeverity) -> gxe.Expectation:
    # The frame carries the verdict as a column (quality.catalog: GX sees one frame at a time).
    return gxe.ExpectColumnValuesToBeInSet(
        column=catalog.reference_column(rule, column), value_set=[True], severity=severity
    )


_EACH_COLUMN = {
    "between": _between,
    "in_set": _in_set,
    "key": _key,
    "not_null": lambda rule, column, severity: gxe.ExpectColumnValuesToNotBeNull(column=column, severity=severity),
    "references": _references,
}
_TOGETHER = {
    "unique_together": lambda c, severity: gxe.ExpectCompoundColumnsToBeUnique(column_list=list(c), severity=severity),
    "at_least": lambda c, severity: gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=c[0], column_B=c[1], or_equal=True, severity=severity
    ),
    "equal": lambda c, severity: gxe.ExpectColumnPairValuesToBeEqual(column_A=c[0], column_B=c[1], severity=severity),
}


def declared(rule: rules.Rule, severity: str) -> list[gxe.Expectation]:
    """A registry rule as the GX expectations that check it."""
    gx_severity = _GX_SEVERITY[severity]
    if rule.rule == "row_count":
        return [gxe.ExpectTableRowCountToEqual(value=rule.value, severity=gx_severity)]
    if rule.rule in _TOGETHER:
        return [_TOGETHER[rule.rule](rule.columns, gx_severity)]
    made = [_EACH_COLUMN[rule.rule](rule, column, gx_severity) for column in rule.each_column]
    return [e for m in made for e in (m if isinstance(m, list) else [m])]


def _expectations(suite: str) -> list[gxe.Expectation]:
    return [e for rule, severity in rules.for_relation(suite) for e in declared(rule, severity)]


def build_suites() -> dict[str, gx.ExpectationSuite]:
    """The suites as the code defines them (not bound to any context)."""
    missing = set(SUITES) ^ (rules.relations() - rules.NOT_SUITES)
    if missing:
        raise ValueError(f"the catalog and rules.toml disagree on the suites: {sorted(missing)}")
    return {
        name: gx.ExpectationSuite(
            name=name,
            expectations=_expectations(name),
            meta={"relation": SUITES[name].relation, "description": SUITES[name].description},
        )
        for name in SUITES
    }


def comparable(suite: gx.ExpectationSuite) -> dict:
    """A suite without the ids GX assigns on save, for comparing code with committed files."""
    return {
        "name": suite.name,
        "meta": {k: v for k, v in suite.meta.items() if k != "great_expectations_version"},
        "expectations": sorted(
            (e.configuration.to_json_dict() | {"id": None} for e in suite.expectations),
            key=repr,
        ),
    }


def file_context(gx_dir: Path):
    return gx.get_context(mode="file", project_root_dir=str(gx_dir))


def write_suites(gx_dir: Path) -> list[str]:
    """Replace the committed suites with the code's definitions; returns the names written."""
    context = file_context(gx_dir)
    for name in context.suites.all():
        if name.name not in SUITES:
            context.suites.delete(name.name)
    for suite in build_suites().values():
        context.suites.add_or_update(suite)
    return sorted(SUITES)


def drifted_suites(gx_dir: Path) -> list[str]:
    """Names of suites whose committed file differs from the code (missing ones included)."""
    context = file_context(gx_dir)
    committed = {s.name: s for s in context.suites.all()}
    drifted = [
        name
        for name, suite in build_suites().items()
        if name not in committed or comparable(committed[name]) != comparable(suite)
    ]
    return sorted(drifted + [name for name in committed if name not in SUITES])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.quality.suites",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="write the suites into expectations/")
    action.add_argument("--check", action="store_true", help="fail if the committed suites drifted")
    args = parser.parse_args(argv)
    gx_dir = Settings.from_env().gx_dir
    if args.write:
        print("wrote suites:", ", ".join(write_suites(gx_dir)))
        return 0
    drifted = drifted_suites(gx_dir)
    if drifted:
        print(
            f"suites differ from the code in {gx_dir}: {', '.join(drifted)}; "
            "run python -m orchestration.quality.suites --write",
            file=sys.stderr,
        )
        return 1
    print("committed suites match the code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
