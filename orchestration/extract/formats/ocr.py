"""Scanned pages through Tesseract: an image in, the words it reads as pdfplumber-shaped chars
and the ruled lines found in the image as pdfplumber-shaped lines, so a scan goes through the
very same table and line reading as a PDF's text layer (`pdf.py`).

The image is deskewed (the angle whose projection makes text rows sharpest), binarised (Otsu;
a grainy scan is first cleaned by a median filter), its long horizontal and vertical rules found and erased
(they would otherwise be read as `|` and `一`), and the rest read by the `tesseract` binary with
its Japanese model, TSV output: words with their boxes and confidences (0–100). The Japanese
model often reads a thousands comma as a period, so words made of digits only are read again,
all at once, by the English model limited to digits and separators. Coordinates come back in
page points.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from xml.etree import ElementTree

import numpy as np
from PIL import Image, ImageFilter

from orchestration.extract.confidence import ocr_weighed
from orchestration.extract.formats.ocr_labels import match_label
from orchestration.extract.model import Document, Observation, ReviewItem
from orchestration.land.workers import Limits

RENDER_DPI = 300  # a scanned page is rendered at this resolution before OCR (small digits read)
CONFIDENCE_THRESHOLD = 80.0  # an OCR'd number read with less confidence goes to review
LANGUAGE = "jpn"
DIGITS_LANGUAGE = "eng"  # numbers are read again by this model, limited to _DIGIT_CHARS
PACKAGES = {"binary": "tesseract-ocr", LANGUAGE: "tesseract-ocr-jpn", DIGITS_LANGUAGE: "tesseract-ocr-eng"}
_TIMEOUT = 120  # seconds one page may take
_MAX_SKEW = 5.0  # degrees searched either way when deskewing
_RULE_H = 40.0  # points: a horizontal dark run at least this long is a ruled line
_NUMBER = re.compile(r"[-△▲]?[0-9][0-9,.]*")  # a word the digits model reads again
_DIGIT_CHARS = "0123456789,.-"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_LINE_CLASSES = {"ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"}
_CJK_GAP = 0.8  # line heights: a narrower gap next to a Japanese char is no space
_SPECK_CONF = 60.0  # a "word" of punctuation only, read with less confidence, is a speck of dirt
_SPECK_PIXELS = 5  # ink pixels a 5×5 window around an ink pixel must hold for it to be kept
_PAD = 6  # pixels of margin around each number's crop in the strip re-read
_RULE_V = 20.0  # points: the same for vertical lines (table rows are at least this tall together)
# A median filter takes grain and dust off a scan but thins the strokes of dense kanji (関 reads
# 聞, 基 reads 革): only a page whose ink is this share specks (lone dots) is filtered. Measured:
# a clean 200 dpi office scan 0.05%; scans with grain σ 10, 0.3% dust and JPEG 70, 1.7-2.1%.
_GRAINY = 0.005
_TIME_SHARE = 0.8  # share of the document's time limit its OCR may take: the rest reads and lands


@dataclass
class Scan:
    """What OCR read on one page, in page points (origin top left)."""

    chars: list[dict]
    lines: list[dict]
    skew: float  # degrees the image was turned to level its text


@functools.cache
def missing_package() -> str | None:
    """The Debian package OCR lacks on this machine, or None when Tesseract and its Japanese
    model are both installed."""
    binary = shutil.which("tesseract")
    if binary is None:
        return PACKAGES["binary"]
    listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    return next((PACKAGES[lang] for lang in (LANGUAGE, DIGITS_LANGUAGE) if lang not in listed), None)


@functools.cache
def engine_version() -> str:
    """The OCR engine as its binary names itself (`tesseract 5.3.0`)."""
    done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
    return (done.stdout or done.stderr).splitlines()[0].strip()


def unavailable_reason() -> str | None:
    package = missing_package()
    return None if package is None else f"OCR unavailable: Debian package {package} is not installed"


def read_scan(
    image: Image.Image, bbox: tuple[float, float, float, float], doctop: float = 0.0, timeout: float = _TIMEOUT
) -> Scan:
    """OCR one page image that covers `bbox` (x0, top, x1, bottom in points), each Tesseract
    run given at most `timeout` seconds. A page with no ink (a blank page) reads nothing."""
    timeout = min(timeout, _TIMEOUT)
    gray = image.convert("L")
    darkest, lightest = gray.getextrema()
    if darkest == lightest:  # one grey level: a blank page, told without Otsu's passes over it
        return Scan(chars=[], lines=[], skew=0.0)
    skew = _skew_angle(_dark(gray))
    if abs(skew) > 0.05:
        gray = gray.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    dark = _dark(gray)
    if not dark.any():
        return Scan(chars=[], lines=[], skew=skew)
    if _grainy(dark):
        dark = _dark(gray.filter(ImageFilter.MedianFilter(3)))
    to_points = _Mapping(bbox, gray.size, doctop)
    rules = _rules(dark, to_points)
    for x0, y0, x1, y1 in rules:
        dark[max(y0 - 2, 0) : y1 + 3, max(x0 - 2, 0) : x1 + 3] = False
    clean = Image.fromarray(~_despeckle(dark))
    lines = _tesseract(clean, LANGUAGE, to_points.dpi, timeout=timeout)
    _reread_numbers(clean, lines, to_points.dpi, timeout)
    chars = [char for line in lines for char in to_points.chars(line)]
    return Scan(chars=chars, lines=[to_points.line(rule) for rule in rules], skew=skew)


def time_budget() -> float:
    """Seconds the OCR of one document may take: its share of the document time limit
    (SOSEI_DOC_TIMEOUT), so that the pages read are kept before the worker is stopped."""
    return Limits.from_env().wall_seconds * _TIME_SHARE


def cell_text(text: str, chars: list[dict]) -> str:
    """A table cell's text; when OCR read it, a label cell's misread vocabulary words put right
    (`ocr_labels.py`), where the characters OCR doubted were misread."""
    if not chars or "conf" not in chars[0]:
        return text  # a text layer: exact
    return match_label(text, {ch["text"] for ch in chars if ch["conf"] < CONFIDENCE_THRESHOLD})


def hold_uncertain(doc: Document, observations: list[Observation]) -> tuple[list[Observation], list[ReviewItem]]:
    """Observations read by OCR get their confidence; those under the threshold go to review
    instead, with the image region they were read from. Pages nothing could read are review
    items too."""
    review = [
        ReviewItem(doc=doc.name, reason=reason, fragment=f"page {page}", page=page, reader="ocr")
        for page, reason in doc.unread
    ]
    kept = []
    for obs in observations:
        mark = doc.ocr.get((obs.page, obs.cell or ""))
        if mark is not None:
            obs = replace(obs, ocr_confidence=mark.confidence, confidence=ocr_weighed(obs.confidence, mark.confidence))
        if mark is None or mark.confidence >= CONFIDENCE_THRESHOLD:
            kept.append(obs)
            continue
        region = ", ".join(f"{v:g}" for v in mark.region)
        review.append(
            ReviewItem(
                doc=obs.doc,
                fragment=obs.fragment,
                page=obs.page,
                line=obs.line,
                cell=obs.cell,
                reader=obs.reader,
                reason=f"OCR confidence {mark.confidence:.0f} below {CONFIDENCE_THRESHOLD:.0f}: check the scan at "
                f"page {obs.page}, region x0, top, x1, bottom = {region} pt",
            )
        )
    return kept, review


def _dark(gray: Image.Image) -> np.ndarray:
    """Ink pixels, by Otsu's threshold on the grey histogram; none on a page of one grey level
    (a blank page: no threshold splits it)."""
    pixels = np.asarray(gray)
    hist = np.bincount(pixels.ravel(), minlength=256).astype(float)
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    total, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total) ** 2 / (weight * (total - weight))
    if np.isnan(between).all():
        return np.zeros(pixels.shape, dtype=bool)
    threshold = int(np.nanargmax(between))
    return pixels <= threshold


def _grainy(dark: np.ndarray) -> bool:
    """Whether the page's ink is grain and dust enough to need the median filter."""
    return 1 - _despeckle(dark).sum() / dark.sum() >= _GRAINY


def _despeckle(dark: np.ndarray) -> np.ndarray:
    """Ink pixels with almost no ink around them (dust, noise) dropped: a 5×5 window count."""
    padded = np.pad(dark, 2).astype(np.int32).cumsum(0).cumsum(1)
    padded = np.pad(padded, ((1, 0), (1, 0)))
    window = padded[5:, 5:] - padded[:-5, 5:] - padded[5:, :-5] + padded[:-5, :-5]
    return dark & (window >= _SPECK_PIXELS)


def _skew_angle(dark: np.ndarray) -> float:
    """Degrees to turn the image (counter-clockwise) so its text rows run level: the angle
    whose row projection of the ink is sharpest, coarse then fine."""
    ys, xs = np.nonzero(dark)
    if len(ys) < 100:
        return 0.0
    step = max(1, len(ys) // 200_000)
    ys, xs = ys[::step].astype(float), xs[::step].astype(float)

    def sharpness(angle: float) -> float:
        rows = ys - xs * np.tan(np.radians(angle))
        counts = np.bincount((rows - rows.min()).astype(int))
        return float(np.dot(counts, counts))

    coarse = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 0.25), key=sharpness)
    fine = max(np.arange(coarse - 0.25, coarse + 0.26, 0.025), key=sharpness)
    return float(fine)


def _rules(dark: np.ndarray, to_points: _Mapping) -> list[tuple[int, int, int, int]]:
    """Ruled lines as pixel boxes (x0, y0, x1, y1): long straight runs of ink, one or two pixel
    gaps (noise, JPEG) bridged, neighbouring runs of one thick line merged."""
    horizontal = _runs(dark, int(_RULE_H * to_points.dpi / 72))
    vertical = [(y0, x0, y1, x1) for x0, y0, x1, y1 in _runs(dark.T, int(_RULE_V * to_points.dpi / 72))]
    return horizontal + vertical


def _runs(dark: np.ndarray, length: int) -> list[tuple[int, int, int, int]]:
    bridged = dark.copy()
    bridged[:, 1:] |= dark[:, :-1]
    bridged[:, :-1] |= dark[:, 1:]
    edges = np.diff(np.pad(bridged, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    keep = ends - starts >= length
    merged: list[list[int]] = []  # [x0, y0, x1, y1]
    for y, x0, x1 in zip(rows[keep], starts[keep], ends[keep], strict=True):
        last = next((m for m in reversed(merged[-8:]) if y - m[3] <= 2 and x0 < m[2] and x1 > m[0]), None)
        if last is None:
            merged.append([int(x0), int(y), int(x1), int(y)])
        else:
            last[0], last[2], last[3] = min(last[0], int(x0)), max(last[2], int(x1)), int(y)
    return [tuple(m) for m in merged]


def _reread_numbers(image: Image.Image, lines: list[list[dict]], dpi: float, timeout: float) -> None:
    """Words of digits and separators read again by the digits model, from one strip image
    that stacks their crops: its separators are taken when it reads the same digits; when the
    digits differ, the word keeps its reading with the lower of the two confidences."""
    numbers = [w for line in lines for w in line if _NUMBER.fullmatch(w["text"])]
    if not numbers:
        return
    slots, y = [], _PAD
    for w in numbers:
        slots.append((y, y + w["box"][3] - w["box"][1] + 2 * _PAD))
        y = slots[-1][1] + _PAD
    strip = Image.new("1", (max(w["box"][2] - w["box"][0] for w in numbers) + 4 * _PAD, y), 1)
    for w, (top, _) in zip(numbers, slots, strict=True):
        x0, y0, x1, y1 = w["box"]
        strip.paste(image.crop((x0, y0, x1, y1)), (2 * _PAD, top + _PAD))  # no neighbour's ink
    read: dict[int, list[dict]] = {}
    for word in (
        w
        for line in _tesseract(
            strip, DIGITS_LANGUAGE, dpi, "-c", f"tessedit_char_whitelist={_DIGIT_CHARS}", timeout=timeout
        )
        for w in line
    ):
        middle = (word["box"][1] + word["box"][3]) / 2
        slot = next((i for i, (top, bottom) in enumerate(slots) if top <= middle < bottom), None)
        if slot is not None:
            read.setdefault(slot, []).append(word)
    for i, w in enumerate(numbers):
        again = sorted(read.get(i, []), key=lambda word: word["box"][0])
        text = "".join(word["text"] for word in again)
        conf = min((word["conf"] for word in again), default=0.0)
        if _digits(text) == _digits(w["text"]):  # only the separators may change
            w.update(text=text, conf=max(conf, w["conf"]), chars=_even(text, w["box"]))
        else:  # the two models disagree on the digits: keep the reading, doubt it
            w["conf"] = min(conf, w["conf"])


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _even(text: str, box: tuple[int, int, int, int]) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Chars of equal width across a box."""
    left, top, right, bottom = box
    width = (right - left) / len(text)
    return [(ch, (round(left + i * width), top, round(left + (i + 1) * width), bottom)) for i, ch in enumerate(text)]


def _tesseract(image: Image.Image, language: str, dpi: float, *options: str, timeout: float) -> list[list[dict]]:
    """Lines of words Tesseract reads (the page as one block of text): each word's text, pixel
    box, confidence and chars with their boxes (hOCR with char boxes)."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per page: documents run in parallel
    done = subprocess.run(
        [
            "tesseract",
            "stdin",
            "stdout",
            "-l",
            language,
            "--psm",
            "6",
            "--dpi",
            str(round(dpi)),
            "-c",
            "hocr_char_boxes=1",
            *options,
            "hocr",
        ],
        input=png.getvalue(),
        capture_output=True,
        timeout=timeout,
        env=env,
        check=True,
    )
    root = ElementTree.fromstring(done.stdout)
    lines = []
    for line in root.iter(f"{_XHTML}span"):
        if line.get("class") not in _LINE_CLASSES:
            continue
        words = [_word(w) for w in line if w.get("class") == "ocrx_word"]
        words = [w for w in words if w["text"] and not _speck(w)]
        if words:
            line_box = _box(line.get("title", ""), "bbox")
            for w in words:  # one line, one height: pdfplumber groups chars into lines by top
                w["box"] = (w["box"][0], line_box[1], w["box"][2], line_box[3])
            lines.append(words)
    return lines


def _word(span: ElementTree.Element) -> dict:
    chars = [
        (c.text.strip(), _box(c.get("title", ""), "x_bboxes"))
        for c in span
        if c.get("class") == "ocrx_cinfo" and c.text and c.text.strip()
    ]
    title = span.get("title", "")
    conf = re.search(r"x_wconf (\d+)", title)
    return {
        "text": "".join(ch for ch, _ in chars),
        "box": _box(title, "bbox"),
        "chars": chars,
        "conf": float(conf.group(1)) if conf else 0.0,
    }


def _speck(word: dict) -> bool:
    return word["conf"] < _SPECK_CONF and not any(ch.isalnum() for ch in word["text"])


def _box(title: str, key: str) -> tuple[int, int, int, int]:
    found = re.search(key + r" (\d+) (\d+) (\d+) (\d+)", title)
    return tuple(int(v) for v in found.groups()) if found else (0, 0, 0, 0)


class _Mapping:
    """Image pixels to page points, and OCR results to pdfplumber's object shapes."""

    def __init__(self, bbox: tuple[float, float, float, float], size: tuple[int, int], doctop: float):
        self.x0, self.top, x1, bottom = bbox
        self.sx, self.sy = (x1 - self.x0) / size[0], (bottom - self.top) / size[1]
        self.dpi = 72 / self.sx
        self.doctop = doctop
        self.height = bottom

    def box(self, box: tuple[int, int, int, int]) -> dict:
        x0, top = self.x0 + box[0] * self.sx, self.top + box[1] * self.sy
        x1, bottom = self.x0 + box[2] * self.sx, self.top + box[3] * self.sy
        return {
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": self.doctop + top,
            "y0": self.height - bottom,
            "y1": self.height - top,
            "width": x1 - x0,
            "height": bottom - top,
        }

    def chars(self, line: list[dict]) -> list[dict]:
        """A line's chars in reading order. Tesseract's char boxes may overlap: each starts no
        earlier than the previous one ends. A gap inside a word, or a narrow one next to a
        Japanese char, is closed, so that pdfplumber puts no space there."""
        out: list[dict] = []
        height = line[0]["box"][3] - line[0]["box"][1]
        for word in line:
            for n, (ch, (x0, _, x1, _)) in enumerate(word["chars"]):
                end = self._px(out[-1]["x1"]) if out else x0
                x0 = max(x0, end)
                latin = ch.isascii() and out[-1]["text"].isascii() if out else True
                if out and (n > 0 or (x0 - end < height * _CJK_GAP and not latin)):
                    out[-1].update(self._span(self._px(out[-1]["x0"]), x0, word))
                out.append(
                    {
                        **self._span(x0, max(x1, x0 + 1), word),
                        "object_type": "char",
                        "text": ch,
                        "upright": True,
                        "size": height * self.sy,
                        "fontname": "OCR",
                        "conf": word["conf"],
                    }
                )
        return out

    def _px(self, x: float) -> float:
        return (x - self.x0) / self.sx

    def _span(self, x0: float, x1: float, word: dict) -> dict:
        return self.box((x0, word["box"][1], x1, word["box"][3]))

    def line(self, rule: tuple[int, int, int, int]) -> dict:
        x0, y0, x1, y1 = rule
        middle_y, middle_x = (y0 + y1) // 2, (x0 + x1) // 2
        box = self.box((x0, middle_y, x1, middle_y) if x1 - x0 >= y1 - y0 else (middle_x, y0, middle_x, y1))
        return {**box, "object_type": "line", "linewidth": 1.0, "stroke": True}
