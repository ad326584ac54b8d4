"""The gate's own page: self-contained (nothing fetched), every value escaped."""

from __future__ import annotations

import re

from orchestration.quality.gate import FailedExpectation, GateResult, SuiteOutcome
from orchestration.quality.gate_page import write_gate_page

HOSTILE = '<script src="https://evil.example/x.js"></script>'


def _gate() -> GateResult:
    failed = FailedExpectation("expect_column_values_to_be_in_set", "critical", {"column": "unit"}, 2, [HOSTILE])
    suites = [
        SuiteOutcome("dim_kpi", "marts.dim_kpi", 10, True),
        SuiteOutcome("raw_kpi_observations", "raw.kpi_observations", 5, False, errors=[failed]),
        SuiteOutcome("review_queue", "marts.review_queue", 0, False, problem="cannot read marts.review_queue"),
    ]
    return GateResult(passed=False, suites=suites, data_docs=None, validated_at="2026-12-07T21:00:00+00:00")


def test_the_page_loads_nothing_from_the_internet_and_escapes_every_value(tmp_path):
    page = tmp_path / "validations" / "dim_kpi" / "run-7" / "p.html"
    path = write_gate_page(tmp_path, _gate(), "run-7", {"dim_kpi": page})

    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "&lt;script src=&#34;https://evil.example/x.js&#34;&gt;" in text
    assert 'href="validations/dim_kpi/run-7/p.html"' in text and "run-7" in text
    assert "FAILED" in text and "cannot read marts.review_queue" in text
    assert "expect_column_values_to_be_in_set(unit): 2 unexpected" in text
