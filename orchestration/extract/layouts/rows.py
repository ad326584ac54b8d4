"""Table rows as printed, before any layout reads them: rows a text extract split over two
lines joined again, and rows that are a title or note spanning the table, told apart from data.

    事業の名称 | 実施内容 | 実績（KPI等） | 備考           (a header of four cells)
    <project>  | <first half of a cell>                   (a line break inside a cell ends the
    <second half of that cell> | <KPI text> | <remarks>   printed line; the next one goes on)
"""

from __future__ import annotations

import re
from dataclasses import replace

from orchestration import vocab
from orchestration.extract.layouts.columns import header_hits
from orchestration.extract.layouts.context import find_grant
from orchestration.extract.model import Block, Cell, Line, Table
from orchestration.extract.normalize import CJK, nfkc


def spanning_text(row: list[Cell]) -> str | None:
    """The text of a row that prints one text from its first cell on (a merged title or note row
    spread over the table's width), else None. A single filled cell does not count: that is a
    data row with its other cells blank."""
    texts = [c.norm for c in row]
    filled = [t for t in texts if t]
    width = len(filled)
    if width >= 2 and len(set(filled)) == 1 and texts[:width] == filled:
        return filled[0]
    return None


def join_split_rows(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """Rejoin rows that a line break inside one cell cut in two: a row short of the table's
    width followed by one that has exactly the cells it lacks (the cut cell counted in both)."""
    out: list[list[Cell]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and 1 < len(row) < width and len(row) + len(nxt) - 1 == width and not _key_values(row, nxt):
            out.append(_joined(row, nxt))
            i += 2
            continue
        out.append(row)
        i += 1
    return out


_MAX_CONTEXT_KEY = vocab.threshold("max_context_key")


def _key_values(row: list[Cell], nxt: list[Cell]) -> bool:
    """A key-value row (交付金名称 | …, 事業名 | …) and a two-cell row after it, in a table whose
    other rows are wider (No. | 担当課 | 観光課): two rows of facts, not the halves of a cut cell.
    A data row's first cell is data, not a role label; a cut cell goes on in a row of the rest."""
    key = row[0].norm
    return len(row) == len(nxt) == 2 and len(key) <= _MAX_CONTEXT_KEY and bool(header_hits(key))


def _joined(first: list[Cell], second: list[Cell]) -> list[Cell]:
    cut, rest = first[-1], second[0]
    cell = Cell(f"{cut.text}\n{rest.text}", line=cut.line, ref=cut.ref)
    return [*first[:-1], cell, *second[1:]]


# The section under a project's name: an office of the government (【企画課】, 【観光振興室】).
_SECTION = re.compile(r"^【[^】]{0,12}(?:課|室|係|部|局|所|センター|グループ|班)】$")


def is_fragment(text: str) -> bool:
    """A piece of a cell printed on a line of its own: one character of a word set one per line
    in a narrow cell, or the section under a project's name (【企画課】)."""
    s = nfkc(text)
    if _SECTION.match(s):
        return is_section(s)  # a section naming a grant is a context row (engine)
    return len(s) == 1 and bool(CJK.match(s))


def is_section(text: str) -> bool:
    """The section under a project's name (【企画課】) and nothing else."""
    s = nfkc(text)
    return bool(_SECTION.match(s)) and find_grant(s) is None


def continued(text: str, fragment: str) -> str:
    """A cell's text with the fragment printed under it: a section after a space (`<name>
    【企画課】`), one character of a word set one per line on a line of its own (one word)."""
    if is_section(fragment):
        return f"{text.rstrip()} {fragment.strip()}"
    return f"{text}\n{fragment}"


def fold_section_cells(rows: list[list[Cell]], col: int | None) -> list[list[Cell]]:
    """A cell of column `col` that prints only the section under the name above it (a project's
    name over 【商工振興課】, the row going on with the project's next KPI) continues that name:
    the section joins it, and the row keeps its other cells under the same project."""
    if col is None:
        return rows
    out: list[list[Cell]] = []
    for row in rows:
        cell = row[col] if col < len(row) else None
        above = next((r for r in reversed(out) if col < len(r) and r[col].norm), None)
        if cell is None or above is None or not is_section(cell.text) or is_section(above[col].text):
            out.append(list(row))
            continue
        name = above[col]
        above[col] = Cell(continued(name.text, cell.text), line=name.line, ref=name.ref)
        out.append([*row[:col], Cell("", line=cell.line, ref=cell.ref), *row[col + 1 :]])
    return out


def fold_fragment_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rows that print only fragments continue the row above, each in its own column: no new
    row, project or KPI."""
    out: list[list[Cell]] = []
    for row in map(list, rows):
        filled = [(c, cell) for c, cell in enumerate(row) if cell.norm]
        only_fragments = bool(filled) and all(is_fragment(cell.text) for _, cell in filled)
        above = next((r for r in reversed(out) if any(c.norm for c in r)), None) if only_fragments else None
        if above is None:
            out.append(row)
            continue
        for c, cell in filled:
            if c < len(above):
                above[c] = Cell(continued(above[c].text, cell.text), line=above[c].line, ref=above[c].ref)
    return out


def fold_fragment_lines(blocks: list[Block]) -> list[Block]:
    """A text line that is only a fragment, right after a table whose last row starts with a
    name, continues that name (the row's first cell); a table that follows on the same page
    with the same width goes on the same table."""
    out: list[Block] = []
    folded = False
    for block in blocks:
        last = out[-1] if out else None
        if (
            isinstance(block, Line)
            and isinstance(last, Table)
            and is_fragment(block.text)
            and last.rows
            and last.rows[-1][0].norm
        ):
            row = list(last.rows[-1])
            row[0] = Cell(continued(row[0].text, block.text), line=row[0].line, ref=row[0].ref)
            out[-1] = replace(last, rows=[*last.rows[:-1], row])
            folded = True
            continue
        if (
            folded
            and isinstance(block, Table)
            and isinstance(last, Table)
            and last.page == block.page
            and max(map(len, block.rows)) == max(map(len, last.rows))
        ):
            out[-1] = replace(last, rows=[*last.rows, *block.rows])
            continue
        folded = False
        out.append(block)
    return out
