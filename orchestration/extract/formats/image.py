"""Scanned images (.png, .jpg, .tif): each frame becomes one page of an image-only PDF, which
`read_pdf` reads like any scanned PDF (OCR of every page, the same table reading).

Frames are decoded one at a time, and at most `MAX_FRAMES` of them: a small TIFF of a thousand
blank frames would otherwise take gigabytes decoded and the worker's whole time limit in OCR.
The frames past the limit are one review row saying so."""

from __future__ import annotations

import io
from itertools import islice
from pathlib import Path

import pypdfium2
from PIL import Image, ImageSequence, UnidentifiedImageError

from orchestration.extract.formats.base import Content
from orchestration.extract.formats.pdf import read_pdf
from orchestration.extract.model import DocumentError

# An image that does not say its resolution, or says one no scan has (Pillow writes 1 dpi when
# none is given: a 200-pixel frame would be a 200-inch page, rendered for OCR at 300 dpi, 14 GB),
# is taken as a 200-dpi scan.
DEFAULT_DPI = 200
_MIN_DPI = 72
# Frames (scanned pages) of one image that are read. OCR takes about 1.7 s a page, so the OCR
# budget (0.8 of SOSEI_DOC_TIMEOUT's 300 s) reads about 140: a longer scan is better split or a PDF.
MAX_FRAMES = 100


def read_image(path: Path, data: bytes) -> Content:
    try:
        image = Image.open(io.BytesIO(data))
        dpi = image.info.get("dpi", (DEFAULT_DPI,))[0]
        pdf = _pages(image, float(dpi if dpi >= _MIN_DPI else DEFAULT_DPI))
        past = _past_limit(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise DocumentError(str(path), f"not a readable image: {e}") from e
    try:
        content = read_pdf(path, pdf)
    except DocumentError as e:  # every frame read was blank or unreadable: say what was not read
        raise DocumentError(str(path), f"{e.reason}; {past}" if past else e.reason) from e
    if past:
        content.unread.append((MAX_FRAMES + 1, past))
    return content


def _pages(image: Image.Image, dpi: float) -> bytes:
    """The first `MAX_FRAMES` frames as the pages of a PDF, decoded one at a time."""
    pdf = pypdfium2.PdfDocument.new()
    for frame in islice(ImageSequence.Iterator(image), MAX_FRAMES):
        page = io.BytesIO()
        frame.convert("L").save(page, format="PDF", resolution=dpi)
        pdf.import_pages(pypdfium2.PdfDocument(page.getvalue()))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _past_limit(image: Image.Image) -> str | None:
    """Why frames past the limit were not read, when the image has any (found by seeking to the
    first of them, not by counting them all)."""
    try:
        image.seek(MAX_FRAMES)
    except EOFError:
        return None
    return (
        f"frames {MAX_FRAMES + 1} and after not read: an image is read for at most {MAX_FRAMES} frames "
        "(scanned pages); split a longer scan or send it as a PDF"
    )
