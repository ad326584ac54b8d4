"""Plain-text report extracts: tab-separated lines are table rows, other lines are text."""

from __future__ import annotations

from pathlib import Path

from orchestration.extract.formats.base import Content, check_cells
from orchestration.extract.formats.cells import html_to_text
from orchestration.extract.formats.encoding import decode_text
from orchestration.extract.model import Block, Cell, Line, Table


def read_text(path: Path, data: bytes) -> Content:
    """Consecutive lines holding a TAB form one `Table` (cells keep their column even when
    empty); a blank or tab-free line ends it. A form feed starts a new page (a trailing one,
    as pdftotext writes, adds no page)."""
    text = decode_text(path, data)
    check_cells(path, text.count("\t"))
    blocks: list[Block] = []
    rows: list[list[Cell]] = []
    page = last_page = 1

    def close() -> None:
        if rows:
            blocks.append(Table(list(rows), page))
            rows.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        if "\f" in raw:
            close()
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        if not raw.strip():
            close()
            continue
        last_page = page
        if "\t" in raw:
            rows.append(
                [
                    Cell(html_to_text(cell), line=number, ref=f"L{number}:C{col}")
                    for col, cell in enumerate(raw.split("\t"), start=1)
                ]
            )
        else:
            close()
            blocks.append(Line(raw.strip(), page, line=number))
    close()
    return Content(blocks, pages=last_page)
