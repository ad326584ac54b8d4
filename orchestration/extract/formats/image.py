"""Scanned images (.png, .jpg, .tif): each frame becomes one page of an image-only PDF, which
`read_pdf` reads like any scanned PDF (OCR of every page, the same table reading)."""

from __future__ import annotations

import io
from itertools import islice
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from orchestration.extract.formats.base import Content
from orchestration.extract.formats.pdf import MAX_PAGES, read_pdf
from orchestration.extract.model import DocumentError

DEFAULT_DPI = 200  # an image that does not say its resolution is taken as a 200-dpi scan


def read_image(path: Path, data: bytes) -> Content:
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.convert("L") for frame in islice(ImageSequence.Iterator(image), MAX_PAGES + 1)]
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise DocumentError(str(path), f"not a readable image: {e}") from e
    dpi = image.info.get("dpi", (DEFAULT_DPI,))[0] or DEFAULT_DPI
    pdf = io.BytesIO()
    frames[0].save(pdf, format="PDF", save_all=True, append_images=frames[1:], resolution=float(dpi))
    return read_pdf(path, pdf.getvalue())
