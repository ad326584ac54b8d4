"""Fixtures shared by the format round-trip tests."""

import pytest

from orchestration.extract.model import Table
from orchestration.synth.render import Grid, Merge


@pytest.fixture
def cell_texts():
    def texts(table: Table) -> list[list[str]]:
        return [[c.text for c in row] for row in table.rows]

    return texts


@pytest.fixture
def span_grid() -> tuple[Grid, list[list[str]]]:
    """A KPI table with a two-row header and a project spanning two KPI rows, and how a reader
    that fills merged cells must see it."""
    grid = Grid(
        [
            ["事業の名称", "指標", "目標値", ""],
            ["", "", "R4", "R5"],
            ["観光振興事業", "来訪者数", "100", "120"],
            ["", "宿泊者数", "5", "6\n(速報値)"],
        ],
        merges=[Merge(0, 0, rows=2), Merge(0, 1, rows=2), Merge(0, 2, cols=2), Merge(2, 0, rows=2)],
        header_rows=2,
    )
    filled = [
        ["事業の名称", "指標", "目標値", "目標値"],
        ["事業の名称", "指標", "R4", "R5"],
        ["観光振興事業", "来訪者数", "100", "120"],
        ["観光振興事業", "宿泊者数", "5", "6\n(速報値)"],
    ]
    return grid, filled
