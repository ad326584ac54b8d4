"""A PDF page's chars and straight rules as pdfplumber's object dicts, read through pdfium (C)
instead of pdfminer (Python): about ten times faster, and the same table and line reading
(`pdf.py`) then runs on them. Chars carry pdfium's loose boxes (advance width × font height),
which match pdfminer's; rules are the horizontal and vertical straight segments of painted
paths, as pdfplumber's line, rect and curve edges are.

A page that this cannot render faithfully returns None and is parsed by pdfminer instead: one
turned or with a shifted media box, one with form XObjects (their objects sit in the form's
own coordinate space), or one with text pdfium cannot map to Unicode.
"""

from __future__ import annotations

import ctypes

import pypdfium2
import pypdfium2.raw as pdfium_c

_UNMAPPED = {0, 0xFFFD, 0xFFFE}
_LINE_BREAKS = {0x0A, 0x0D}
_STRAIGHT = 0.01  # points: a segment whose ends differ less in x (y) is vertical (horizontal)


def page_objects(page, twin: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage) -> dict[str, list[dict]] | None:
    """{"char": [...], "line": [...]} for the pdfplumber `page` that `twin` is, or None."""
    if twin.get_rotation() or tuple(page.mediabox[:2]) != (0, 0):
        return None  # coordinates pdfplumber would turn or shift
    if next(twin.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_FORM], max_depth=1), None) is not None:
        return None
    chars = _chars(page, textpage)
    if chars is None:
        return None
    lines = [
        line for obj in twin.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1) for line in _rules(page, obj)
    ]
    return {"char": chars, "line": lines, "rect": [], "curve": []}


def _chars(page, textpage: pypdfium2.PdfTextPage) -> list[dict] | None:
    raw = textpage.raw
    height, doctop = page.height, page.initial_doctop
    chars = []
    for i in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(raw, i):
            continue  # a space or line break pdfium inferred: pdfplumber infers its own
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in _LINE_BREAKS:
            continue
        if code in _UNMAPPED:
            return None
        x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
        top, bottom = height - y1, height - y0
        chars.append(
            {
                "object_type": "char",
                "text": chr(code),
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "doctop": doctop + top,
                "y0": y0,
                "y1": y1,
                "width": x1 - x0,
                "height": y1 - y0,
                "size": y1 - y0,
                "upright": True,
                "fontname": "",
            }
        )
    return chars


def _rules(page, obj: pypdfium2.PdfObject) -> list[dict]:
    """The straight horizontal and vertical segments of a painted path, in page space."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
    if not fill.value and not stroke.value:
        return []  # a clipping or invisible path
    a, b, c, d, e, f = obj.get_matrix().get()
    x, y = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    rules = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and previous is not None:
            rules.extend(_rule(page, previous, point))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            rules.extend(_rule(page, point, start))
        previous = point
    return rules


def _rule(page, p: tuple[float, float], q: tuple[float, float]) -> list[dict]:
    (x0, x1), (y0, y1) = sorted((p[0], q[0])), sorted((p[1], q[1]))
    if x1 - x0 > _STRAIGHT and y1 - y0 > _STRAIGHT:
        return []  # a diagonal: no table rule
    if x1 - x0 <= _STRAIGHT:
        x1 = x0
    else:
        y1 = y0
    top, bottom = page.height - y1, page.height - y0
    return [
        {
            "object_type": "line",
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "y0": y0,
            "y1": y1,
            "doctop": page.initial_doctop + top,
            "width": x1 - x0,
            "height": y1 - y0,
            "stroke": True,
        }
    ]
