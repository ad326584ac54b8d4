"""Files into `Document`s. The format is sniffed from the content first, then the extension.

from orchestration.extract.formats import load_document
doc = load_document("raw/report.pdf")   # raises DocumentError naming the file and reason
"""

from __future__ import annotations

import codecs
import hashlib
import importlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from orchestration.extract.formats.base import Content
from orchestration.extract.model import Document, DocumentError

__all__ = ["READERS", "load_document", "reader", "sniff_format"]

# format → "module:function" that reads it, imported when a file of that format is first read: a
# process that only decodes text (the manifest) loads no pdfplumber, openpyxl or OCR. The
# extraction version reads these names as imports (`land.extraction_version`).
READERS: dict[str, str] = {
    "pdf": "orchestration.extract.formats.pdf:read_pdf",
    "xlsx": "orchestration.extract.formats.xlsx:read_xlsx",
    "xls": "orchestration.extract.formats.xls:read_xls",
    "docx": "orchestration.extract.formats.docx:read_docx",
    "html": "orchestration.extract.formats.html:read_html",
    "csv": "orchestration.extract.formats.csv:read_csv",
    "text": "orchestration.extract.formats.text:read_text",
    "image": "orchestration.extract.formats.image:read_image",  # scans: OCR
}
_EXTENSIONS = {
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97-2003 (and of encrypted OOXML)
# Streams that tell what a compound file holds (directory entries name them in UTF-16LE).
_OLE2_STREAMS = (
    ("EncryptedPackage", "password-protected (encrypted) Office file: it cannot be read without the password"),
    ("WordDocument", "Word 97-2003 .doc file: not read (save it as .docx or PDF)"),
    ("PowerPoint Document", "PowerPoint file: not a report format sosei reads"),
    ("Workbook", None),
    ("Book", None),  # Excel 5.0/95
)
_HTML_MARKERS = (b"<html", b"<table", b"<!doctype html")
_SNIFF_BYTES = 1024


def sniff_format(path: Path, data: bytes) -> str:
    """pdf / xlsx / xls / docx / html / csv / text. Magic bytes decide; the extension only breaks the tie
    for content with no signature, so a misnamed file is still read for what it is."""
    head = data[:_SNIFF_BYTES]
    # Magic at offset 0 decides. The PDF spec lets junk precede its header: that is a PDF's only
    # when the file is named one (a CSV may quote "%PDF-" in its first kilobyte).
    if head.startswith(b"%PDF-") or (b"%PDF-" in head and path.suffix.lower() == ".pdf"):
        return "pdf"
    if head.startswith(_OLE2):
        return _compound_format(path, data)
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as e:
            raise DocumentError(str(path), f"damaged zip archive: {e}") from e
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        raise DocumentError(str(path), "zip archive that is neither an .xlsx workbook nor a .docx document")
    start = _utf8_head(head).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<") and any(marker in start for marker in _HTML_MARKERS):
        return "html"
    return _EXTENSIONS.get(path.suffix.lower(), "text")


def _utf8_head(head: bytes) -> bytes:
    """The head in UTF-8: a UTF-16 one (a byte-order mark, or ASCII with a NUL beside each byte)
    decoded, so that its markup is seen."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(codec, "ignore").encode()
    half = len(head) // 4
    if head[1::2].count(0) > half:
        return head.decode("utf-16-le", "ignore").encode()
    if head[0::2].count(0) > half:
        return head.decode("utf-16-be", "ignore").encode()
    return head


def _compound_format(path: Path, data: bytes) -> str:
    for stream, refusal in _OLE2_STREAMS:
        if stream.encode("utf-16-le") in data:
            if refusal:
                raise DocumentError(str(path), refusal)
            return "xls"
    raise DocumentError(str(path), "Office 97-2003 compound file that is not an Excel workbook")


def reader(fmt: str) -> Callable[[Path, bytes], Content]:
    """The function that reads format `fmt` (`READERS`), its module imported on first use."""
    module, function = READERS[fmt].split(":")
    return getattr(importlib.import_module(module), function)


def import_readers() -> None:
    """Import every format's reader now (a landing worker does, before its memory limit is set:
    the limit bounds what a document costs, not the size of the reader libraries)."""
    for fmt in READERS:
        reader(fmt)


def load_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DocumentError(str(path), f"cannot read file: {e.strerror or e}") from e
    if not data:
        raise DocumentError(str(path), "empty file")
    fmt = sniff_format(path, data)
    content = reader(fmt)(path, data)
    return Document(
        path=str(path),
        name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        format=fmt,
        blocks=content.blocks,
        pages=content.pages,
        sheet_names=content.sheet_names,
        ocr=content.ocr,
        unread=content.unread,
    )
