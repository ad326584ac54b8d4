"""raw/manifest.csv: the data team's record of each downloaded document, read faithfully.

The file is decoded from any encoding the documents themselves may use (UTF-8 with or without a
BOM, CP932, UTF-16 with a BOM or detected from its NUL bytes). Every row is kept with its line
number and its values as printed (text): a bad year, date, code or kind is a row-level problem
that the dbt project turns into a review row naming the line, never a reason to stop the build.
Only what makes the whole file unusable — undecodable bytes, a malformed CSV, no `file` column —
raises `ManifestError`, naming the file, the line and the reason.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from orchestration.extract.formats.base import ENCODINGS

# The columns the data team fills in (README, "The data team's workflow").
FIELDS = ("file", "issuer_name", "issuer_code", "doc_kind", "fiscal_year", "title", "publisher", "retrieved_on")
# raw.manifest: the line a row ends on, the fields as printed, and any fields beyond the header.
COLUMNS: dict[str, str] = {"line": "INTEGER", **dict.fromkeys(FIELDS, "VARCHAR"), "extra": "VARCHAR"}
REQUIRED = ("file",)

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class ManifestError(ValueError):
    """raw/manifest.csv cannot be used at all; the message names the file, the line and the reason."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: text of mostly ASCII or kana has NULs on one side of each pair."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < len(data) // 8:
        return None
    return "utf-16-be" if even > odd else "utf-16-le"


def _encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    if b"\x00" in data:
        return _utf16_without_bom(data)
    return None


def decode(path: Path, data: bytes) -> str:
    """The manifest's text; `ManifestError` names the line of the first byte no encoding reads."""
    detected = _encoding(data)
    encodings = (detected,) if detected else ENCODINGS
    errors: list[UnicodeDecodeError] = []
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as e:
            errors.append(e)
    offset = errors[0].start  # where the first encoding tried stopped reading
    raise ManifestError(
        f"{path.name}: line {_line_of(data, offset)}: byte {data[offset : offset + 1]!r} is not "
        f"{' or '.join(encodings)} text; save the manifest as UTF-8"
    )


def _value(text: str | None) -> str | None:
    return (text or "").strip() or None


def _row(record: dict, line: int) -> dict:
    extra = record.get(None)
    return {
        "line": line,
        **{name: _value(record.get(name)) for name in FIELDS},
        "extra": ",".join(extra) if extra else None,
    }


def parse(path: Path, text: str) -> list[dict]:
    """The manifest's rows (see `COLUMNS`); header names are matched without case or spaces."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        reader.fieldnames = [(name or "").strip().lower() for name in header]
        missing = [name for name in REQUIRED if name not in reader.fieldnames]
        if missing:
            raise ManifestError(
                f"{path.name}: line 1: no column {', '.join(missing)} in the header ({', '.join(header) or 'empty'})"
            )
        return [_row(record, reader.line_num) for record in reader]
    except csv.Error as e:
        raise ManifestError(f"{path.name}: line {reader.line_num + 1}: {e}") from e  # the line not read


def read_manifest(path: Path) -> list[dict]:
    """Rows of the manifest at `path` ([] when there is none)."""
    if not path.is_file():
        return []
    return parse(path, decode(path, path.read_bytes()))
