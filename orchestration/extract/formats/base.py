"""What every format reader returns, and the row grouping that sheet-like formats share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.extract.model import Block, Cell, DocumentError, Line, Table

ENCODINGS = ("utf-8-sig", "cp932")  # utf-8-sig also reads plain UTF-8


@dataclass
class Content:
    blocks: list[Block]
    pages: int = 1
    sheet_names: list[str] = field(default_factory=list)


def decode_text(path: Path, data: bytes) -> str:
    """Text of a UTF-8 (with or without BOM) or CP932 (Shift_JIS) file; line ends made `\\n`."""
    if b"\x00" in data:
        raise DocumentError(str(path), "binary content, not text (NUL bytes)")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise DocumentError(str(path), "unknown text encoding (tried UTF-8, UTF-8-SIG, CP932)")


def group_rows(rows: Iterable[tuple[int, list[Cell]]], page: int) -> list[Block]:
    """Sheet rows into blocks: a row with two or more filled cells is a table row, consecutive
    ones form one `Table`; a row with one filled cell is a `Line` (titles, section headings);
    an empty row ends a table. Rows are `(row_number, cells)`; trailing columns that are empty
    in every row of a table are dropped, all other cells kept so positions hold."""
    blocks: list[Block] = []
    table: list[list[Cell]] = []

    def close() -> None:
        if table:
            width = max(i + 1 for row in table for i, c in enumerate(row) if c.text.strip())
            blocks.append(Table([row[:width] for row in table], page))
            table.clear()

    for number, cells in rows:
        filled = [c for c in cells if c.text.strip()]
        if len(filled) >= 2:
            table.append(cells)
            continue
        close()
        if filled:
            blocks.append(Line(filled[0].text.strip(), page, line=number))
    close()
    return blocks
