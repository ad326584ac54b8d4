"""CSV exports (any charset `encoding.decode_text` reads; comma, TAB or semicolon separated)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from orchestration.extract.formats.base import Content, check_cells, group_rows
from orchestration.extract.formats.cells import html_to_text
from orchestration.extract.formats.encoding import decode_text
from orchestration.extract.model import Cell, DocumentError

DELIMITERS = (",", "\t", ";")
_SAMPLE_LINES = 50
# The csv module refuses fields over 128 KiB by default; a cell is as long as the file allows
# (sosei reads one file at a time, and MAX_CELLS bounds what the fields become).
csv.field_size_limit(2**31 - 1)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most sample records into the same number (>1) of fields.

    csv.Sniffer guesses wrongly on short Japanese files, hence this plain count; ties go to the
    comma."""
    sample = "\n".join(text.split("\n")[:_SAMPLE_LINES])

    def score(delimiter: str) -> int:
        widths = Counter(len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r)
        return max((n for width, n in widths.items() if width > 1), default=0)

    # A delimiter the sample does not print splits nothing: it scores 0 unread.
    return max(DELIMITERS, key=lambda d: score(d) if d in sample else 0)  # max keeps the first of equal scores


def read_csv(path: Path, data: bytes) -> Content:
    text = decode_text(path, data)
    delimiter = sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as e:
        raise DocumentError(str(path), f"not a readable CSV: {e}") from e
    check_cells(path, sum(len(record) for record in records))
    rows = (
        (r, [Cell(html_to_text(value), line=r, ref=f"R{r}C{c}") for c, value in enumerate(record, start=1)])
        for r, record in enumerate(records, start=1)
    )
    return Content(group_rows(rows, page=1))
