"""PDF reports through pdfplumber: ruled tables become `Table`s, the remaining text `Line`s."""

from __future__ import annotations

import io
from bisect import bisect_right
from itertools import pairwise
from pathlib import Path

import pdfplumber
from pdfplumber.utils import cluster_objects, extract_text

from orchestration.extract.formats.base import Content
from orchestration.extract.formats.cells import join_wrapped
from orchestration.extract.model import Block, Cell, DocumentError, Line, Table

_LINE_TOLERANCE = 3  # points: chars whose tops differ less sit on one printed line
_SLACK = 1.0  # points of rounding allowed when deciding that a line was wrapped


def read_pdf(path: Path, data: bytes) -> Content:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blocks: list[Block] = []
            has_text = False
            for number, page in enumerate(pdf.pages, start=1):
                has_text = has_text or bool(page.chars)
                blocks.extend(_page_blocks(page, number))
                page.close()  # drop the parsed objects: long reports would otherwise pile them up
            pages = len(pdf.pages)
    except Exception as e:  # pdfminer raises many unrelated types for damaged files
        raise DocumentError(str(path), f"not a readable PDF: {type(e).__name__}: {e}") from e
    if not has_text:
        raise DocumentError(str(path), "PDF has no text layer (scanned image?)")
    return Content(blocks, pages=pages)


# Tables drawn with horizontal rules only (a common word-processor style) have no grid for the
# default strategy to find; on a page with no ruled table, columns are read from the text's
# alignment instead.
_TEXT_ALIGNED = {"vertical_strategy": "text", "horizontal_strategy": "text"}


def _page_blocks(page, number: int) -> list[Block]:
    """One page's tables and out-of-table text lines, top to bottom."""
    placed: list[tuple[float, int, Block]] = []
    rest = page
    ruled = page.find_tables()
    for i, found in enumerate(ruled, start=1):
        placed.append((found.bbox[1], 0, _table(found, page.chars, number, i)))
        rest = rest.outside_bbox(found.bbox)
    if not ruled:
        # A table guessed from alignment may be prose; its text stays as lines too, and the
        # readers take it only if its header names KPI columns.
        aligned = [t for t in page.find_tables(_TEXT_ALIGNED) if len(t.columns) >= 3 and len(t.rows) >= 2]
        for i, found in enumerate(aligned, start=1):
            table = _table(found, page.chars, number, i)
            table.ruled = False
            placed.append((found.bbox[1], 0, table))
    text_lines = [t for t in rest.extract_text_lines() if t["text"].strip()]
    for i, text_line in enumerate(text_lines, start=1):
        placed.append((text_line["top"], 1, Line(text_line["text"].strip(), number, line=i)))
    placed.sort(key=lambda item: item[:2])
    return [block for *_, block in placed]


def _table(found, chars: list[dict], page: int, i: int) -> Table:
    """A ruled table as a full grid: a spanned cell's text is repeated in every position it
    covers, as the xlsx and HTML readers do."""
    tops = [row.bbox[1] for row in found.rows]
    lefts = [col.bbox[0] for col in found.columns]
    middles_y = [(a + b) / 2 for a, b in zip(tops, [*tops[1:], found.bbox[3]], strict=True)]
    middles_x = [(a + b) / 2 for a, b in zip(lefts, [*lefts[1:], found.bbox[2]], strict=True)]
    # The cell box that covers each grid position (pdfplumber leaves spanned positions empty).
    boxes = {
        (r, c): box or next((b for b in found.cells if _inside((middles_x[c], middles_y[r]), b)), None)
        for r, row in enumerate(found.rows)
        for c, box in enumerate(row.cells)
    }
    chars_in: dict[tuple, list[dict]] = {}
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        r, c = bisect_right(tops, y) - 1, bisect_right(lefts, x) - 1
        box = boxes.get((r, c))
        if box is not None and _inside((x, y), box):
            chars_in.setdefault(box, []).append(char)
    texts = {box: _cell_text(box, cell_chars) for box, cell_chars in chars_in.items()}
    rows = [
        [Cell(texts.get(boxes[r, c], ""), ref=f"p{page}:t{i}:r{r + 1}:c{c + 1}")
         for c in range(len(lefts))]
        for r in range(len(tops))
    ]
    return Table(rows, page)


def _inside(point: tuple[float, float], box) -> bool:
    x, y = point
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _cell_text(box, chars: list[dict]) -> str:
    """The cell's printed lines, with lines that only wrapped at the cell edge joined again:
    a line ends by wrapping when the next line's first word would not have fitted after it."""
    lines = [sorted(line, key=lambda ch: ch["x0"])
             for line in cluster_objects(chars, "top", _LINE_TOLERANCE)]
    padding = min(line[0]["x0"] for line in lines) - box[0]
    wrapped = [
        box[2] - line[-1]["x1"] < padding + _first_word_width(following) + _SLACK
        for line, following in pairwise(lines)
    ]
    return join_wrapped([extract_text(line).strip() for line in lines], wrapped)


def _first_word_width(chars: list[dict]) -> float:
    """Width of the leading word: a run of Latin letters and digits, or a single CJK char."""
    end = 0
    while (end + 1 < len(chars) and chars[end]["text"].isascii() and chars[end]["text"].isalnum()
           and chars[end + 1]["text"].isascii() and chars[end + 1]["text"].isalnum()):
        end += 1
    return chars[end]["x1"] - chars[0]["x0"]
