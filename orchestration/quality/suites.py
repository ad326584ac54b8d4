"""The expectation suites, defined in code and written once into the committed GX file context.

The invariants declared in the rule registry (`rules.toml`: fiscal years, value or status,
measures, units, the quarantine share) become expectations here; the structural ones (keys,
grains, counts that must agree) are written below. Severity uses GX's own field: `critical` is
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
from orchestration.quality import rules
from orchestration.quality.catalog import SUITES

ERROR = FailureSeverity.CRITICAL
WARN = FailureSeverity.WARNING

_GX_SEVERITY = {"block": ERROR, "warn": WARN, "quarantine": WARN}


def _declared(rule: rules.Rule, severity: str) -> gxe.Expectation:
    """A registry rule as the GX expectation that checks it."""
    common = {"column": rule.column, "severity": _GX_SEVERITY[severity]}
    if rule.rule == "between":
        bounds = {"min_value": rules.resolve(rule.min), "max_value": rules.resolve(rule.max)}
        return gxe.ExpectColumnValuesToBeBetween(**common, **{k: v for k, v in bounds.items() if v is not None})
    mostly = {"mostly": rules.resolve(rule.mostly)} if rule.mostly is not None else {}
    return gxe.ExpectColumnValuesToBeInSet(**common, value_set=rules.resolve(rule.values), **mostly)


def _registry(suite: str) -> list[gxe.Expectation]:
    return [_declared(rule, severity) for rule, severity in rules.for_relation(suite)]


def _is_true(column: str, severity: FailureSeverity) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], severity=severity)


def _key(column: str) -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column, severity=ERROR),
        gxe.ExpectColumnValuesToBeUnique(column=column, severity=ERROR),
    ]


def _unique_together(*columns: str) -> gxe.Expectation:
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns), severity=ERROR)


def _at_least(larger: str, smaller: str) -> gxe.Expectation:
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=larger, column_B=smaller, or_equal=True, severity=ERROR)


def _share(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1, severity=ERROR)


def _expectations() -> dict[str, list[gxe.Expectation]]:
    return {
        "raw_kpi_observations": [
            *_key("observation_id"),
            # The same observation twice from one document: a table landed twice.
            _unique_together(
                "doc_id",
                "grant_program",
                "project_name",
                "kpi_name",
                "measure",
                "fiscal_year",
                "value",
                "unit",
                "status",
            ),
        ],
        "stg_raw__kpi_observations": _key("observation_id"),
        "fct_kpi_observation": [
            *_key("observation_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="kpi_id", severity=ERROR),
            _unique_together("kpi_id", "doc_id", "measure", "fiscal_year"),
            _is_true("value_base_consistent", ERROR),
            gxe.ExpectColumnValuesToBeInSet(column="before_program_began", value_set=[False], severity=WARN),
        ],
        "quarantine_kpi_observation": [
            *_key("observation_id"),
            gxe.ExpectColumnValuesToNotBeNull(column="quarantine_reason", severity=ERROR),
        ],
        "reconciliation": [
            gxe.ExpectTableRowCountToEqual(value=1, severity=ERROR),
            gxe.ExpectColumnPairValuesToBeEqual(column_A="landed", column_B="accounted", severity=ERROR),
            gxe.ExpectColumnValuesToBeInSet(column="in_both", value_set=[0], severity=ERROR),
            gxe.ExpectColumnValuesToBeInSet(column="not_landed", value_set=[0], severity=ERROR),
        ],
        "fct_kpi_result": [
            *_key("kpi_result_id"),
            _unique_together("kpi_id", "fiscal_year"),
            gxe.ExpectColumnValuesToBeInSet(column="target_met", value_set=[True, False], severity=ERROR),
        ],
        "kpi_series": [*_key("kpi_result_id"), _unique_together("kpi_id", "fiscal_year")],
        "summary_kpi_achievement": [
            *_key("summary_id"),
            _share("share_kpis_met"),
            _share("share_projects_with_kpi_met"),
            _at_least("n_kpis", "n_kpis_with_result"),
            _at_least("n_kpis_with_result", "n_kpis_met"),
            _at_least("n_projects_with_result", "n_projects_with_kpi_met"),
        ],
        "dim_issuer": _key("issuer_code"),
        "dim_grant_program": _key("grant_program_id"),
        "dim_project": _key("project_id"),
        "dim_kpi": [
            *_key("kpi_id"),
            gxe.ExpectColumnValuesToBeInSet(
                column="direction", value_set=["higher_is_better", "lower_is_better"], severity=ERROR
            ),
        ],
        "review_queue": _key("review_id"),
    }


def build_suites() -> dict[str, gx.ExpectationSuite]:
    """The suites as the code defines them (not bound to any context)."""
    defined = _expectations()
    missing = set(SUITES) ^ set(defined) | (rules.relations() - set(SUITES) - {rules.LANDED})
    if missing:
        raise ValueError(f"catalog, suite definitions and rules.toml disagree on: {sorted(missing)}")
    return {
        name: gx.ExpectationSuite(
            name=name,
            expectations=[*defined[name], *_registry(name)],
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
