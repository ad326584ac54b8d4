"""One registry of quality rules: what GX, landing and dbt run comes from rules.toml."""

from __future__ import annotations

import datetime as dt
import re

from orchestration.config import DBT_PROJECT_DIR, DBT_QUALITY_MACROS
from orchestration.quality import rules
from orchestration.quality.catalog import SUITES
from orchestration.quality.suites import build_suites


def test_the_dbt_constants_are_written_from_the_registry():
    assert not rules.drifted(), "run python -m orchestration.quality.rules --write"
    macro = DBT_QUALITY_MACROS.read_text(encoding="utf-8")
    for name, value in rules.parameters().items():
        assert f"{name!r}: {value!r}" in macro


def test_no_dbt_file_writes_a_registry_constant_itself():
    dbt = DBT_PROJECT_DIR
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
        assert set(rule.severity) <= set(SUITES) | rules.NOT_SUITES, rule.name
        run = rules.run_parameters(dt.date(2026, 12, 1), ["人"])
        for value in (rule.min, rule.max, rule.values, rule.mostly, rule.document_mostly, rule.document_mostly_from):
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


def test_dbt_quarantines_by_the_registry_rules_of_relation_quarantine():
    quarantine = [rule for rule, _ in rules.for_relation(rules.QUARANTINE)]
    cases = rules.quarantine_reasons()
    assert len(cases) == len(quarantine) >= 5
    model = DBT_PROJECT_DIR / "models/intermediate/int_kpi_observations__checked.sql"
    assert "{{ quality_quarantine_reasons() }}" in model.read_text(encoding="utf-8")
    # a rule's bounds come from the registry, its run parameters from dbt's own macros
    (actual,) = [c for rule, c in zip(quarantine, cases, strict=True) if rule.column == "actual_fiscal_year"]
    assert "{{ quality_param('first_fiscal_year') }}" in actual and "{{ current_fiscal_year() }}" in actual
    assert "is in the future" in actual


def test_a_row_breaking_a_quarantine_rule_gets_its_reason_in_sql():
    import duckdb

    (percentage,) = [
        c
        for r, c in zip(rules.for_relation(rules.QUARANTINE), rules.quarantine_reasons(), strict=True)
        if r[0].column == "rate_value"
    ]
    con = duckdb.connect()
    rows = con.execute(
        f"select {percentage} from (values (true, 'actual', 150.0), (true, 'target_increment', -150.0),"
        " (true, 'actual', 99.0), (false, 'actual', 150.0)) as t(is_rate, measure, value)"
    ).fetchall()
    assert [r[0] for r in rows] == ["percentage 150.0 outside -100..100", None, None, None]
