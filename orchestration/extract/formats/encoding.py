"""Bytes into text for every text-like format (HTML, text extracts, CSV): one decision, here.

The charset a file states wins: a byte-order mark, then a declaration (`<meta charset>`,
`<meta http-equiv="Content-Type" content="…; charset=…">`, `<?xml … encoding=…?>`); a declared
Shift_JIS is read as Windows-31J (cp932), the superset Japanese Windows writes. A file that states
nothing, or whose bytes are not what it states, is detected by charset-normalizer among the
charsets Japanese reports are written in: UTF-8, cp932, EUC-JP, UTF-16 and ISO-2022-JP.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from orchestration.extract.model import DocumentError

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARATION = re.compile(
    rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)|<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)",
    re.IGNORECASE,
)
_DECLARATION_BYTES = 4096  # a declaration belongs in the head; HTML's own prescan reads 1024
# Labels Japanese pages use, to the codec that reads what they mean in practice.
_LABELS = {
    **dict.fromkeys(
        (
            "shift_jis",
            "shift-jis",
            "sjis",
            "x-sjis",
            "ms_kanji",
            "csshiftjis",
            "windows-31j",
            "cp932",
            "ms932",
            "x-ms-cp932",
        ),
        "cp932",
    ),
    **dict.fromkeys(("euc-jp", "euc_jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese"), "euc_jp"),
}
# EUC-JP as Windows writes it has NEC's row 13 (①, ㈱ …), which only the JIS X 0213 codec reads.
_FAMILIES = {"euc_jp": ("euc_jp", "euc_jis_2004"), "cp932": ("cp932",)}
# What detection chooses among (charset-normalizer's names): the double-byte readings of EUC-JP
# include the JIS X 0213 one for the same reason as above.
_DETECTED = ["utf_8", "cp932", "euc_jp", "euc_jis_2004", "utf_16_le", "utf_16_be", "iso2022_jp_ext"]
NAMES = "UTF-8, UTF-16, Shift_JIS (cp932), EUC-JP"


def decode_text(path: Path, data: bytes) -> str:
    """The text of a file in the charset it states or, failing that, the one detected; line ends
    made `\\n`. Raises `DocumentError` naming the file when no charset reads it."""
    text = _decode(path, data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(path: Path, data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(path, data[len(bom) :], codec)
    declared = declared_charset(data)
    if declared:
        text = _first_fit(data, _FAMILIES.get(declared, (declared,)))
        if text is not None:
            return text
    if b"\x1b" not in data:  # UTF-8 decodes only UTF-8 (and 7-bit ISO-2022-JP, which escapes)
        text = _first_fit(data, ("utf-8",))
        if text is not None:
            return text
    found = from_bytes(data, cp_isolation=_DETECTED).best()
    if found is not None:
        return str(found)
    if b"\x00" in data:
        raise DocumentError(str(path), "binary content, not text (NUL bytes, and not UTF-16)")
    stated = f"declares charset {declared!r} but is not valid in it, and " if declared else ""
    raise DocumentError(str(path), f"unknown text encoding: {stated}not {NAMES}")


def declared_charset(data: bytes) -> str | None:
    """The codec a file's head declares, or None when it declares none Python knows (a UTF-16 label
    in a file that could be read far enough to find it is a mistake: such a file is ASCII-based)."""
    m = _DECLARATION.search(data[:_DECLARATION_BYTES])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").strip().lower()
    if label in _LABELS:
        return _LABELS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name.startswith(("utf-16", "utf-32")) else name


def _strict(path: Path, data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise DocumentError(
            str(path), f"starts with a {codec} byte-order mark but is not valid {codec}: {e.reason} at byte {e.start}"
        ) from e


def _first_fit(data: bytes, codecs_: tuple[str, ...]) -> str | None:
    for codec in codecs_:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None
