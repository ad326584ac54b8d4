"""Table rows as printed, before any layout reads them: rows a text extract split over two
lines joined again, and rows that are a title or note spanning the table, told apart from data.

    事業の名称 | 実施内容 | 実績（KPI等） | 備考           (a header of four cells)
    <project>  | <first half of a cell>                   (a line break inside a cell ends the
    <second half of that cell> | <KPI text> | <remarks>   printed line; the next one goes on)
"""

from __future__ import annotations

from orchestration.extract.model import Cell
from orchestration.extract.normalize import nfkc


def spanning_text(row: list[Cell]) -> str | None:
    """The text of a row whose filled cells all print one text (a merged title or note row
    spread over the table's width), else None. A single filled cell does not count: that is a
    data row with its other cells blank."""
    texts = [nfkc(c.text) for c in row if nfkc(c.text)]
    if len(texts) >= 2 and len(set(texts)) == 1:
        return texts[0]
    return None


def join_split_rows(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """Rejoin rows that a line break inside one cell cut in two: a row short of the table's
    width followed by one that has exactly the cells it lacks (the cut cell counted in both)."""
    out: list[list[Cell]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and 1 < len(row) < width and len(row) + len(nxt) - 1 == width:
            out.append(_joined(row, nxt))
            i += 2
            continue
        out.append(row)
        i += 1
    return out


def _joined(first: list[Cell], second: list[Cell]) -> list[Cell]:
    cut, rest = first[-1], second[0]
    cell = Cell(f"{cut.text}\n{rest.text}", line=cut.line, ref=cut.ref)
    return [*first[:-1], cell, *second[1:]]
