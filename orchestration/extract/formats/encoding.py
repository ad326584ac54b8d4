"""Bytes into text for every text-like format (HTML, text extracts, CSV): one decision, here.

The charset a file states wins: a byte-order mark, then a declaration (`<meta charset>`,
`<meta http-equiv="Content-Type" content="…; charset=…">`, `<?xml … encoding=…?>`); a declared
Shift_JIS is read as Windows-31J (cp932), the superset Japanese Windows writes. A file that states
nothing, or whose bytes are not what it states, is detected: UTF-16 (the NUL bytes of its ASCII),
UTF-8, cp932 or EUC-JP, the last two told apart by which one reads as Japanese text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

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
_ISO_2022_JP = re.compile(rb"\x1b\$[@B]")  # the escape into JIS X 0208
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
_DETECTED = ("cp932", "euc_jp")  # after UTF-8, which is never ambiguous
# Share of a UTF-16 reading's characters that must be ordinary text: UTF-16 decodes almost any
# even-length bytes, so only this tells text from binary. A double-byte reading (cp932, EUC-JP)
# needs no such share: a strict decode is the evidence, and old systems print half-width kana.
_UTF16_PLAIN_SHARE = 0.9
# What ordinary Japanese documents print: ASCII, Latin-1, punctuation, circled numbers, box
# drawing, kana, kanji, full-width forms. Half-width katakana, the sign of a wrong double-byte
# guess, is not in it.
_NOT_PLAIN = re.compile(
    "[^\t\n\r\f\x20-\x7e\xa0-\xff\u2010-\u2312\u2460-\u24ff\u2500-\u257f\u25a0-\u26ff"
    "\u3000-\u30ff\u3200-\u33ff\u4e00-\u9fff\uff01-\uff5e]"
)
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
    if b"\x00" in data:
        text = _most_plain(data, (("utf-16-le",), ("utf-16-be",)), _UTF16_PLAIN_SHARE) if len(data) % 2 == 0 else None
        if text is None:
            raise DocumentError(str(path), "binary content, not text (NUL bytes, and not UTF-16)")
        return text
    if _ISO_2022_JP.search(data):  # 7-bit, so it would read as UTF-8 with escapes left in
        text = _first_fit(data, ("iso2022_jp_ext",))
        if text is not None:
            return text
    text = _first_fit(data, ("utf-8",)) or _most_plain(data, tuple(_FAMILIES[c] for c in _DETECTED), 0.0)
    if text is None:
        stated = f"declares charset {declared!r} but is not valid in it, and " if declared else ""
        raise DocumentError(str(path), f"unknown text encoding: {stated}not {NAMES}")
    return text


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


def plain_share(text: str) -> float:
    """Share of a text's characters that ordinary Japanese documents print."""
    return 1 - len(_NOT_PLAIN.findall(text)) / len(text) if text else 1.0


def _most_plain(data: bytes, families: tuple[tuple[str, ...], ...], minimum: float) -> str | None:
    """The reading, among the codec families that decode `data`, most like ordinary text, if at
    least `minimum` of its characters are."""
    readings = [t for family in families if (t := _first_fit(data, family)) is not None]
    best = max(readings, key=plain_share, default=None)
    return best if best is not None and plain_share(best) >= minimum else None
