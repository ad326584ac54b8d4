"""One registry of quality rules: what GX, landing and dbt run comes from rules.toml."""

from __future__ import annotations

import datetime as dt
import re

from orchestration.quality import rules
from orchestration.quality.catalog import SUITES
from orchestration.quality.suites import build_suites


def test_the_dbt_constants_are_written_from_the_registry():
    assert not rules.drifted(), "run python -m orchestration.quality.rules --write"
    macro = rules.DBT_MACROS.read_text(encoding="utf-8")
    for name, value in rules.parameters().items():
        assert f"{name!r}: {value!r}" in macro


def test_no_dbt_file_writes_a_registry_constant_itself():
    dbt = rules.REPO_ROOT / "dbt_project"
    files = [
        *dbt.glob("models/**/*.sql"),
        *dbt.glob("models/**/*.yml"),
        *dbt.glob("tests/**/*.sql"),
        dbt / "dbt_project.yml",
    ]
    first_year = str(rules.parameters()["first_fiscal_year"])
    offenders = [f.name for f in files if re.search(rf"\b{first_year}\b", f.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_rule_applies_to_a_suite_or_to_landing_and_resolves():
    for rule in rules.rules():
        assert set(rule.severity) <= set(SUITES) | {rules.LANDED}, rule.name
        run = rules.run_parameters(dt.date(2026, 12, 1), ["人"])
        for value in (rule.min, rule.max, rule.values, rule.mostly):
            rules.resolve(value, run)


def test_a_registry_rule_becomes_the_gate_expectation_with_its_severity():
    published = build_suites()["fct_kpi_observation"]
    (actual,) = [e for e in published.expectations if getattr(e, "column", None) == "actual_fiscal_year"]
    assert actual.min_value == rules.parameters()["first_fiscal_year"]
    assert actual.max_value == {"$PARAMETER": "current_fiscal_year"}
    assert str(actual.severity.value) == "critical"  # block once published
    raw = build_suites()["raw_kpi_observations"]
    (raw_actual,) = [e for e in raw.expectations if getattr(e, "column", None) == "actual_fiscal_year"]
    assert str(raw_actual.severity.value) == "warning"  # quarantined row by row on landed data
