"""Writers that render one neutral report structure into each file format sosei reads.

A report is a list of blocks, each either a `str` (one line of text) or a table: a
`list[list[str]]` of rows, or a `Grid` when it needs merged cells or several header rows.

    blocks = ["令和3年度 地方創生推進交付金事業",
              Grid([["指標", "目標値", ""], ["", "R4", "R5"], ["来訪者数", "100", "120"]],
                   merges=[Merge(0, 0, rows=2), Merge(0, 1, cols=2)], header_rows=2)]
    write_pdf("r.pdf", blocks); write_xlsx("r.xlsx", blocks); write_html("r.html", blocks)

Cell text may hold "\\n" (a line break inside the cell). Each writer prints it the way that
format does: `<br>` in text and HTML exports, a wrapped paragraph in PDF, a multi-line cell
value in xlsx. Formats without merges (text, CSV) print a merged range's text in its top-left
cell only, as real exports do.

PDF text reads back NFKC-equal through pdfplumber, except: runs of spaces print as one; `～`
(U+FF5E) and `－` (U+FF0D) share a glyph with `〜` and `−` and read back as those; IBM extension
kanji such as `﨑` have no glyph in the font.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.styles import Alignment

FONT = "HeiseiKakuGo-W5"  # a CID font every PDF reader knows; pdfplumber reads its text back


@dataclass(frozen=True)
class Merge:
    """A merged range inside a table, 0-based from its top-left cell."""

    row: int
    col: int
    rows: int = 1
    cols: int = 1

    def covers(self) -> list[tuple[int, int]]:
        """Positions hidden under the range (all but the top-left)."""
        return [
            (r, c)
            for r in range(self.row, self.row + self.rows)
            for c in range(self.col, self.col + self.cols)
            if (r, c) != (self.row, self.col)
        ]


@dataclass
class Grid:
    """A table: rows of cell texts, merged ranges, and how many rows form the header."""

    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)
    header_rows: int = 1

    def printed_rows(self) -> list[list[str]]:
        """Rectangular rows with the cells under a merge left blank."""
        width = max((len(row) for row in self.rows), default=0)
        rows = [list(row) + [""] * (width - len(row)) for row in self.rows]
        for merge in self.merges:
            for r, c in merge.covers():
                rows[r][c] = ""
        return rows


Block = str | Grid | list[list[str]]


def as_grid(block: Grid | list[list[str]]) -> Grid:
    rows = block.rows if isinstance(block, Grid) else block
    if not rows or any(isinstance(row, str) for row in rows):
        raise ValueError(f"a table is a non-empty list of rows (lists of cell texts): {block!r:.80}")
    return block if isinstance(block, Grid) else Grid([list(row) for row in rows])


def write_text(path: str | Path, blocks: Sequence[Block], encoding: str = "utf-8") -> None:
    """A text extract: tab-separated table rows, a blank line between blocks."""
    parts = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(block)
        else:
            parts.append(
                "\n".join(
                    "\t".join(cell.replace("\t", " ").replace("\n", "<br>") for cell in row)
                    for row in as_grid(block).printed_rows()
                )
            )
    Path(path).write_text("\n\n".join(parts) + "\n", encoding=encoding)


def write_csv(path: str | Path, rows: Sequence[Sequence[str]], encoding: str = "utf-8", delimiter: str = ",") -> None:
    """A CSV file; `encoding` "utf-8", "utf-8-sig" or "cp932" as Japanese exports use."""
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(rows)


_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


def write_xlsx(path: str | Path, blocks: Sequence[Block] | dict[str, Sequence[Block]]) -> None:
    """A workbook; `blocks` for one sheet, or {sheet name: blocks} for several. Plain number
    strings ("1839000", "71.62") become numeric cells; a blank row separates blocks."""
    sheets = blocks if isinstance(blocks, dict) else {"Sheet1": blocks}
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, sheet_blocks in sheets.items():
        sheet = book.create_sheet(title)
        row = 1
        for block in sheet_blocks:
            if isinstance(block, str):
                sheet.cell(row, 1, block)
                row += 2
                continue
            grid = as_grid(block)
            for r, values in enumerate(grid.printed_rows()):
                for c, text in enumerate(values):
                    if text:
                        cell = sheet.cell(row + r, c + 1, _cell_value(text))
                        if "\n" in text:
                            cell.alignment = Alignment(wrap_text=True)
            for m in grid.merges:
                sheet.merge_cells(
                    start_row=row + m.row,
                    start_column=m.col + 1,
                    end_row=row + m.row + m.rows - 1,
                    end_column=m.col + m.cols,
                )
            row += len(grid.rows) + 1
    book.save(path)


def _cell_value(text: str) -> str | int | float:
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def write_html(path: str | Path, blocks: Sequence[Block], title: str = "") -> None:
    """An HTML page: lines as paragraphs, tables with `rowspan`/`colspan` and `<th>` headers."""
    body = []
    for block in blocks:
        if isinstance(block, str):
            body.append(f"<p>{html.escape(block)}</p>")
            continue
        grid = as_grid(block)
        hidden = {pos for m in grid.merges for pos in m.covers()}
        spans = {(m.row, m.col): m for m in grid.merges}
        rows = []
        for r, values in enumerate(grid.printed_rows()):
            tag = "th" if r < grid.header_rows else "td"
            cells = []
            for c, text in enumerate(values):
                if (r, c) in hidden:
                    continue
                attrs = ""
                if (m := spans.get((r, c))) is not None:
                    attrs += f' rowspan="{m.rows}"' * (m.rows > 1) + f' colspan="{m.cols}"' * (m.cols > 1)
                cells.append(f"<{tag}{attrs}>{html.escape(text).replace(chr(10), '<br>')}</{tag}>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        body.append('<table border="1">\n' + "\n".join(rows) + "\n</table>")
    page = (
        '<!DOCTYPE html>\n<html lang="ja">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    Path(path).write_text(page, encoding="utf-8")


def write_pdf(path: str | Path, blocks: Sequence[Block], *, font_size: float = 9, landscape: bool = False) -> None:
    """A PDF with a text layer: lines as paragraphs, tables ruled on every side (so
    pdfplumber finds them), cell text wrapped, header rows repeated on each page a long table
    continues to. Column widths follow the longest text in each column."""
    # reportlab is imported here: it is needed only by whoever renders PDFs
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turned
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("cell", fontName=FONT, fontSize=font_size, leading=font_size * 1.3, wordWrap="CJK")
    doc = SimpleDocTemplate(
        str(path),
        pagesize=turned(A4) if landscape else A4,
        leftMargin=36,
        rightMargin=36,
        topMargin=36,
        bottomMargin=36,
    )

    def paragraph(text: str) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = []
    for block in blocks:
        if isinstance(block, str):
            story.append(paragraph(block))
        else:
            grid = as_grid(block)
            rows = grid.printed_rows()
            table = PdfTable(
                [[paragraph(t) for t in row] for row in rows],
                colWidths=_column_widths(rows, doc.width),
                repeatRows=grid.header_rows,
            )
            commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            commands += [("SPAN", (m.col, m.row), (m.col + m.cols - 1, m.row + m.rows - 1)) for m in grid.merges]
            table.setStyle(commands)
            story.append(table)
        story.append(Spacer(1, font_size))
    doc.build(story)


def _column_widths(rows: list[list[str]], total: float) -> list[float]:
    """Share the page width by each column's longest line, so short columns stay narrow and
    long text wraps in the wide ones."""
    longest = [
        max((len(line) for row in rows for line in row[c].split("\n")), default=0)
        for c in range(len(rows[0]) if rows else 0)
    ]
    weights = [min(n, 40) + 2 for n in longest]
    return [total * w / sum(weights) for w in weights]


def scan_page(pdf_path: str | Path, *, dpi: int = 200, skew: float = 1.2, seed: int = 0, page: int = 0):
    """A page of a rendered PDF as a copier would scan it: `dpi`, turned `skew` degrees, grain
    (Gaussian, σ 10 grey levels) and dust (0.3% of pixels any grey), saved as JPEG (quality 70).
    Returns the PIL image (OCR tests and benchmarks wrap it image-only in a PDF)."""
    # imported here: needed only by whoever makes scans
    import io

    import numpy as np
    import pypdfium2
    from PIL import Image

    image = pypdfium2.PdfDocument(str(pdf_path))[page].render(scale=dpi / 72).to_pil().convert("L")
    image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image).astype(float) + rng.normal(0, 10, (image.height, image.width))
    dust = rng.random(pixels.shape) < 0.003
    pixels[dust] = rng.integers(0, 256, int(dust.sum()))
    jpeg = io.BytesIO()
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(jpeg, "JPEG", quality=70)
    return Image.open(jpeg)
