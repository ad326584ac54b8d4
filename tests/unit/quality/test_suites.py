"""The committed suites are exactly what the code defines, and drift is detected."""

from __future__ import annotations

import json

from orchestration.config import REPO_ROOT
from orchestration.quality import catalog
from orchestration.quality.suites import ERROR, build_suites, drifted_suites, main, write_suites


def test_committed_suites_equal_the_code():
    assert drifted_suites(REPO_ROOT / "expectations") == []


def test_an_edited_committed_suite_is_reported(tmp_path):
    write_suites(tmp_path)
    path = tmp_path / "gx" / "expectations" / "reconciliation.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["severity"] = "warning"
    path.write_text(json.dumps(suite), encoding="utf-8")

    assert drifted_suites(tmp_path) == ["reconciliation"]


def test_rewriting_unchanged_suites_is_not_drift(tmp_path):
    write_suites(tmp_path)
    write_suites(tmp_path)  # new ids, same content

    assert drifted_suites(tmp_path) == []


def test_check_command_passes_on_the_repository(capsys):
    assert main(["--check"]) == 0
    assert "match" in capsys.readouterr().out


def test_every_suite_has_a_blocking_expectation_and_a_catalog_entry():
    suites = build_suites()
    assert set(suites) == set(catalog.SUITES)
    for suite in suites.values():
        assert any(e.severity == ERROR for e in suite.expectations), suite.name


def test_each_suite_is_validated_on_exactly_the_columns_its_expectations_read():
    """The gate's first pass hands GX only `checked_columns`: one missing would fail the suite."""
    for name, suite in build_suites().items():
        read = set()
        for expectation in suite.expectations:
            kwargs = expectation.configuration.kwargs
            read |= {
                kwargs.get("column"),
                kwargs.get("column_A"),
                kwargs.get("column_B"),
                *kwargs.get("column_list", []),
            }
        assert read - {None} == set(catalog.SUITES[name].checked_columns), name
