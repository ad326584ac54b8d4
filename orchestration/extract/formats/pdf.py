"""PDF reports through pdfplumber: ruled tables become `Table`s, the remaining text `Line`s.

pypdfium2 opens the file first: it tells an encrypted or damaged file from a readable one and
which pages have a text layer. A text page's chars and rules come from pdfium too
(`pdfium_objects.py`, ten times faster than pdfminer's parse), pdfminer's parse only where they
cannot. A page without text that carries an image is a scan: it is rendered and read by OCR
(`ocr.py`). Whichever source, the chars and rules take the place of pdfplumber's parsed objects,
so the same table and line reading below applies to every page.
"""

from __future__ import annotations

import io
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfplumber.utils import cluster_objects, extract_text

from orchestration.extract.formats import ocr
from orchestration.extract.formats.aligned import AlignedTable, aligned_tables
from orchestration.extract.formats.base import Content
from orchestration.extract.formats.cells import join_wrapped
from orchestration.extract.formats.pdfium_objects import page_objects
from orchestration.extract.model import Block, Cell, DocumentError, Line, OcrMark, Table

MAX_PAGES = 1000  # pages one document may have: a longer file is refused with the reason
_LINE_TOLERANCE = 3  # points: chars whose tops differ less sit on one printed line
_SLACK = 1.0  # points of rounding allowed when deciding that a line was wrapped
_CID = "(cid:"  # pdfminer's text for a glyph it cannot map to Unicode


def read_pdf(path: Path, data: bytes) -> Content:
    rendered = _open(path, data)
    count = len(rendered)
    try:
        if count > MAX_PAGES:
            raise DocumentError(str(path), f"PDF has {count} pages, more than the {MAX_PAGES} a document may have")
        pages = _Pages(started=time.monotonic())
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, (page, twin) in enumerate(zip(pdf.pages, rendered, strict=True), start=1):
                pages.read(page, twin, number)
                page.close()  # drop the parsed objects: long reports would otherwise pile them up
    except DocumentError:
        raise
    except Exception as e:  # pdfminer raises many unrelated types for damaged files
        raise DocumentError(str(path), f"not a readable PDF (damaged): {type(e).__name__}: {e}") from e
    finally:
        rendered.close()
    return pages.content(path, count)


def _open(path: Path, data: bytes) -> pypdfium2.PdfDocument:
    """The document as pdfium sees it; an empty user password opens owner-password files."""
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as e:
        if getattr(e, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentError(str(path), "encrypted PDF: it needs a password to open") from e
        raise DocumentError(str(path), f"not a readable PDF (damaged or not a PDF): {e}") from e


@dataclass
class _Pages:
    """Blocks of the pages read so far, and what could not be read."""

    blocks: list[Block] = field(default_factory=list)
    marks: dict[tuple[int, str], OcrMark] = field(default_factory=dict)
    unread: list[tuple[int, str]] = field(default_factory=list)  # (page, reason)
    text_pages: int = 0
    scans: int = 0
    started: float = 0.0  # time.monotonic() when the document's reading began
    slowest: float = 0.0  # seconds the slowest page OCR'd so far took

    def read(self, page, twin: pypdfium2.PdfPage, number: int) -> None:
        textpage = twin.get_textpage()
        if textpage.count_chars():
            self.text_pages += 1
            objects = page_objects(page, twin, textpage)
            if objects is None:  # pdfminer parses what pdfium's objects cannot stand for
                _map_cids(page, textpage)
            else:
                page._objects = objects
        elif _has_image(twin):
            self.scans += 1
            if not self._ocr(page, twin, number):
                return
        else:
            return  # a blank page (or vector art only): nothing printed to read
        self.blocks.extend(_page_blocks(page, number, self.marks))

    def _ocr(self, page, twin: pypdfium2.PdfPage, number: int) -> bool:
        """Put what OCR reads in place of the page's (empty) text layer; False when it cannot.
        A page is the unit of failure: one OCR cannot read, or one past the document's OCR time
        budget, is a review row and the other pages are kept."""
        reason = ocr.unavailable_reason() or self._out_of_time()
        if reason:
            self.unread.append((number, f"scanned page (no text layer); {reason}"))
            return False
        start = time.monotonic()
        try:
            image = twin.render(scale=ocr.RENDER_DPI / 72).to_pil()
            scan = ocr.read_scan(image, page.bbox, page.initial_doctop, self._left())
        except MemoryError:
            raise
        except Exception as e:  # Tesseract failed or ran out of time on this page
            self.unread.append((number, f"scanned page (no text layer): OCR failed: {type(e).__name__}: {e}"))
            return False
        finally:
            self.slowest = max(self.slowest, time.monotonic() - start)
        if not scan.chars:
            self.unread.append((number, "scanned page (no text layer): OCR read no text on it (a blank page?)"))
            return False
        # In place of the parsed objects, as pdfplumber's own derived pages do.
        page._objects = {"char": scan.chars, "line": scan.lines, "rect": [], "curve": []}
        return True

    def _left(self) -> float:
        """Seconds left of the document's OCR time budget."""
        return self.started + ocr.time_budget() - time.monotonic()

    def _out_of_time(self) -> str | None:
        """Why the next page is not OCR'd: the budget would run out before a page as slow as the
        slowest so far is read."""
        if self._left() > self.slowest:
            return None
        spent = time.monotonic() - self.started
        return (
            f"not read: OCR of this document took {spent:.0f} s of its {ocr.time_budget():.0f} s budget "
            "(a share of the time limit SOSEI_DOC_TIMEOUT); the pages before it were kept"
        )

    def content(self, path: Path, pages: int) -> Content:
        if not self.text_pages and not self.scans:
            raise DocumentError(str(path), "PDF has no text layer and no images: nothing printed to read")
        if not self.text_pages and len(self.unread) == self.scans:
            raise DocumentError(str(path), "; ".join(sorted({reason for _, reason in self.unread})))
        return Content(self.blocks, pages=pages, ocr=self.marks, unread=self.unread)


def _has_image(twin: pypdfium2.PdfPage) -> bool:
    return next(twin.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]), None) is not None


def _map_cids(page, textpage: pypdfium2.PdfTextPage) -> None:
    """Glyphs pdfminer cannot map to Unicode (a CID font whose system info it cannot read, as in
    some encrypted files) take the character pdfium reads at the same place, a space where pdfium
    finds none (a blank glyph)."""
    bottom = page.mediabox[1]
    for char in page.chars:
        if char["text"].startswith(_CID):
            index = textpage.get_index((char["x0"] + char["x1"]) / 2, bottom + (char["y0"] + char["y1"]) / 2, 2, 2)
            found = index is not None and index >= 0
            char["text"] = textpage.get_text_range(index, 1) if found else " "  # pdfium sees no glyph: a blank


# Tables drawn with horizontal rules only (a common word-processor style) or with no rules have
# no grid for the default strategy to find: outside the ruled tables, columns are read from the
# text's alignment instead (aligned.py). A table guessed from alignment may be prose; its text
# stays as lines too, and the readers take it only if its header names KPI columns.
_ALIGNED_MIN_COLUMNS = 3


def _page_blocks(page, number: int, marks: dict[tuple[int, str], OcrMark]) -> list[Block]:
    """One page's tables and out-of-table text lines, top to bottom. Text read by OCR leaves
    its confidence and place in `marks`, keyed by page and cell ref (`L<n>` for a line)."""
    placed: list[tuple[float, int, Block]] = []
    rest = page
    ruled = page.find_tables()
    for i, found in enumerate(ruled, start=1):
        placed.append((found.bbox[1], 0, _table(found, page.chars, number, i, marks)))
        rest = rest.outside_bbox(found.bbox)
    text_lines = [t for t in rest.extract_text_lines() if t["text"].strip()]
    count = len(ruled)
    for band in _bands(page, [found.bbox for found in ruled]):
        inside = [t for t in text_lines if band[0] <= t["top"] and t["bottom"] <= band[1]]
        for found in aligned_tables(inside, _ALIGNED_MIN_COLUMNS):
            count += 1
            placed.append((found.bbox[1], 0, _unruled_table(found, number, count, marks)))
    for i, text_line in enumerate(text_lines, start=1):
        placed.append((text_line["top"], 1, Line(text_line["text"].strip(), number, line=i)))
        _mark(marks, (number, f"L{i}"), text_line["chars"], text_line)
    placed.sort(key=lambda item: item[:2])
    return [block for *_, block in placed]


def _bands(page, ruled: list[tuple]) -> list[tuple[float, float]]:
    """The page's horizontal bands (top, bottom) that no ruled table reaches into: above,
    between and below them. Text beside a ruled table stays lines."""
    bands, top = [], page.bbox[1]
    for _x0, y0, _x1, y1 in sorted(ruled, key=lambda b: b[1]):
        if y0 > top:
            bands.append((top, y0))
        top = max(top, y1)
    if top < page.bbox[3]:
        bands.append((top, page.bbox[3]))
    return bands


def _unruled_table(found: AlignedTable, page: int, i: int, marks: dict[tuple[int, str], OcrMark]) -> Table:
    """An unruled table's grid: each printed line a row, each cell the text of its chars."""
    rows = []
    for r, cells in enumerate(found.rows):
        row = []
        for c, chars in enumerate(cells):
            box = _box(chars)
            cell = Cell(_cell_text(box, chars) if chars else "", ref=f"p{page}:t{i}:r{r + 1}:c{c + 1}")
            if chars:
                _mark(marks, (page, cell.ref), chars, dict(zip(("x0", "top", "x1", "bottom"), box, strict=True)))
            row.append(cell)
        rows.append(row)
    return Table(rows, page, ruled=False)


def _box(chars: list[dict]) -> tuple[float, float, float, float]:
    if not chars:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
    )


def _table(found, chars: list[dict], page: int, i: int, marks: dict[tuple[int, str], OcrMark]) -> Table:
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
    texts = {box: ocr.cell_text(_cell_text(box, cell_chars), cell_chars) for box, cell_chars in chars_in.items()}
    rows = [
        [Cell(texts.get(boxes[r, c], ""), ref=f"p{page}:t{i}:r{r + 1}:c{c + 1}") for c in range(len(lefts))]
        for r in range(len(tops))
    ]
    for r, c in boxes:
        box = boxes[r, c]
        if box in chars_in:
            region = dict(zip(("x0", "top", "x1", "bottom"), box, strict=True))
            _mark(marks, (page, rows[r][c].ref), chars_in[box], region)
    return Table(rows, page)


def _mark(marks: dict[tuple[int, str], OcrMark], key: tuple[int, str], chars: list[dict], box: dict) -> None:
    """Record the OCR confidence (the least of its words') and region of text read by OCR."""
    if chars and "conf" in chars[0]:
        region = tuple(round(box[k], 1) for k in ("x0", "top", "x1", "bottom"))
        marks[key] = OcrMark(min(ch["conf"] for ch in chars), region)


def _inside(point: tuple[float, float], box) -> bool:
    x, y = point
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _cell_text(box, chars: list[dict]) -> str:
    """The cell's printed lines, with lines that only wrapped at the cell edge joined again:
    a line ends by wrapping when the next line's first word would not have fitted after it."""
    lines = [sorted(line, key=lambda ch: ch["x0"]) for line in cluster_objects(chars, "top", _LINE_TOLERANCE)]
    padding = min(line[0]["x0"] for line in lines) - box[0]
    wrapped = [
        box[2] - line[-1]["x1"] < padding + _first_word_width(following) + _SLACK for line, following in pairwise(lines)
    ]
    return join_wrapped([extract_text(line).strip() for line in lines], wrapped)


def _first_word_width(chars: list[dict]) -> float:
    """Width of the leading word: a run of Latin letters and digits, or a single CJK char."""
    end = 0
    while (
        end + 1 < len(chars)
        and chars[end]["text"].isascii()
        and chars[end]["text"].isalnum()
        and chars[end + 1]["text"].isascii()
        and chars[end + 1]["text"].isalnum()
    ):
        end += 1
    return chars[end]["x1"] - chars[0]["x0"]
