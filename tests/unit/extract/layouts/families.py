"""Render one report structure in each format a family occurs in, and read it back."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "formats"))  # the formats tests' writers
from office_writers import write_docx, write_xls

from orchestration.extract.engine import extract_file
from orchestration.extract.model import ExtractionResult
from orchestration.synth.render import Block, as_grid, write_csv, write_html, write_pdf, write_text, write_xlsx

OFFICE_WRITERS = {"docx": write_docx, "xls": write_xls}
SHEET_FORMATS = ("txt", "csv", "xlsx", "pdf", "html", "docx", "xls")


def _csv_rows(blocks: Sequence[Block]) -> list[list[str]]:
    rows: list[list[str]] = []
    for block in blocks:
        rows.extend([[block]] if isinstance(block, str) else as_grid(block).printed_rows())
        rows.append([])
    return rows


def render(fmt: str, directory: Path, blocks: Sequence[Block] | dict[str, Sequence[Block]]) -> Path:
    """`blocks` as a file of format `fmt`; a dict of sheets is an .xlsx only."""
    path = directory / f"report.{fmt}"
    if isinstance(blocks, dict) or fmt == "xlsx":
        write_xlsx(path, blocks)
    elif fmt == "txt":
        write_text(path, blocks)
    elif fmt == "csv":
        write_csv(path, _csv_rows(blocks))
    elif fmt == "pdf":
        write_pdf(path, blocks, landscape=True)
    elif fmt == "html":
        write_html(path, blocks)
    elif fmt in OFFICE_WRITERS:
        OFFICE_WRITERS[fmt](path, blocks)
    else:
        raise ValueError(fmt)
    return path


def expect(rows: list[tuple]) -> list[tuple]:
    """Observations in the order `observations` gives them."""
    return sorted(set(rows), key=lambda r: tuple(str(x) for x in r))


def observations(result: ExtractionResult) -> list[tuple]:
    """(grant, project, kpi, measure, year, value, unit, status), sorted."""
    assert result.error is None, result.error
    return expect(
        [
            (o.grant_program, o.project_name, o.kpi_name, o.measure, o.fiscal_year, o.value, o.unit, o.status)
            for o in result.observations
        ]
    )


def read(fmt: str, directory: Path, blocks) -> list[tuple]:
    return observations(extract_file(render(fmt, directory, blocks)))
