"""Word documents (.docx): paragraphs and tables in reading order.

- A paragraph is a `Line` whose `line` is its paragraph number in the body (1-based, empty ones
  counted, so a person finds it); a line break inside it starts another `Line` of the same number.
- A table is a `Table` whose cells are referenced `t{table}:r{row}:c{column}` as in HTML. A cell
  spanning columns (gridSpan) gives its text to each column; a vertically merged cell (vMerge)
  belongs to every row it spans; the paragraphs of one cell are one text, a line each.
- Content controls (`w:sdt`) are read through, as Word shows their content.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from orchestration.extract.formats.base import MAX_CELLS, Content, check_unzipped_size
from orchestration.extract.formats.cells import tidy_lines
from orchestration.extract.model import Block, Cell, DocumentError, Line, Table

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")


def read_docx(path: Path, data: bytes) -> Content:
    check_unzipped_size(path, data)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as e:  # zipfile, lxml and python-docx each fail their own way
        raise DocumentError(str(path), f"not a readable .docx: {type(e).__name__}: {e}") from e
    blocks: list[Block] = []
    paragraphs = tables = 0
    for element in _body_elements(body):
        if element.tag == _P:
            paragraphs += 1
            text = tidy_lines(Paragraph(element, None).text)
            blocks.extend(Line(line, page=1, line=paragraphs) for line in text.split("\n") if line)
        else:
            tables += 1
            blocks.append(_table(element, tables, path))
    return Content(blocks)


def _body_elements(parent) -> Iterator:
    """Paragraphs and tables in document order, inside content controls too."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_elements(content)


def _cell_text(tc) -> str:
    """The paragraphs of a cell (a nested table's too), one line each."""
    return tidy_lines("\n".join(Paragraph(p, None).text for p in tc.iter(_P)))


def _table(tbl, number: int, path: Path) -> Table:
    grid_width = len(tbl.tblGrid.gridCol_lst) if tbl.tblGrid is not None else 0
    widest = max((len(tr.tc_lst) for tr in tbl.tr_lst), default=0)
    limit = max(grid_width, widest, 1)  # a span past the table's grid is clipped to it
    rows: list[dict[int, str]] = []
    for tr in tbl.tr_lst:
        row: dict[int, str] = {}
        col = min(tr.grid_before, limit)
        for tc in tr.tc_lst:
            span = max(1, min(tc.grid_span, limit - col))
            above = rows[-1].get(col, "") if rows else ""
            text = above if tc.vMerge == "continue" else _cell_text(tc)
            row.update(dict.fromkeys(range(col, col + span), text))
            col += span
        rows.append(row)
    width = max((c + 1 for row in rows for c in row), default=0)
    if len(rows) * width > MAX_CELLS:
        raise DocumentError(
            str(path), f"table {number} has {len(rows):,} rows of {width:,} columns, more than {MAX_CELLS:,} cells"
        )
    return Table(
        [
            [Cell(row.get(c, ""), ref=f"t{number}:r{r}:c{c + 1}") for c in range(width)]
            for r, row in enumerate(rows, start=1)
        ],
        page=1,
    )
