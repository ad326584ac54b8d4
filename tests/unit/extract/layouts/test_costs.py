"""The costs family: a table of projects and what they cost lands as project costs, not as
observations and not in review."""

from __future__ import annotations

import pytest
from families import SHEET_FORMATS, render

from orchestration.extract.engine import extract_file


@pytest.mark.parametrize("fmt", SHEET_FORMATS)
def test_a_cost_table_gives_each_project_its_cost(tmp_path, fmt):
    blocks = [
        "令和4年度 地方創生推進交付金 事業費一覧",
        [
            ["事業名", "交付金充当額（千円）", "事業効果"],
            ["観光振興事業", "12,430", "地方創生に効果があった"],
            ["移住定住促進事業", "3,960千円", "地方創生に非常に効果的だった"],
        ],
    ]
    result = extract_file(render(fmt, tmp_path, blocks))
    assert result.observations == [] and result.review == []
    costs = {(p.project_name, p.cost_value, p.cost_unit, p.grant_program) for p in result.projects}
    assert costs == {
        ("観光振興事業", 12430.0, "千円", "地方創生推進交付金"),
        ("移住定住促進事業", 3960.0, "千円", "地方創生推進交付金"),
    }
    assert "costs" in result.layouts
