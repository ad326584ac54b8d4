"""raw/manifest.csv: the data team's record of each downloaded document, read faithfully.

The file is decoded as the documents are (`extract.formats.encoding`: UTF-8 with or without a
BOM, CP932, EUC-JP, UTF-16 with a BOM or detected). Every row is kept with its line
number and its values as printed (text): a bad year, date, code or kind is a row-level problem
that the dbt project turns into a review row naming the line, never a reason to stop the build.
Only what makes the whole file unusable — undecodable bytes, a malformed CSV, no `file` column —
raises `ManifestError`, naming the file, the line and the reason.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from orchestration.extract.formats.encoding import decode_text
from orchestration.extract.model import DocumentError
from orchestration.land.unsafe_text import escaped

# The columns the data team fills in (README, "The data team's workflow").
FIELDS = (
    "file",
    "issuer_name",
    "issuer_code",
    "doc_kind",
    "fiscal_year",
    "title",
    "publisher",
    "retrieved_on",
    "source_url",  # optional: where the document was downloaded from
)
# raw.manifest: the line a row ends on, the fields as printed, and any fields beyond the header.
COLUMNS: dict[str, str] = {"line": "INTEGER", **dict.fromkeys(FIELDS, "VARCHAR"), "extra": "VARCHAR"}
REQUIRED = ("file",)


class ManifestError(ValueError):
    """raw/manifest.csv (or raw/corrections.csv, read alike) cannot be used at all; the message
    names the file, the line and the reason."""


def _first_bad_line(data: bytes) -> int:
    """The line holding the first byte that is not UTF-8 (what the file should be saved as)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return data.count(b"\n", 0, e.start) + 1
    return 1


def decode(path: Path, data: bytes) -> str:
    """The manifest's text, decoded as the documents are; `ManifestError` names the line of the
    first byte that does not read."""
    try:
        return decode_text(path, data)
    except DocumentError as e:
        raise ManifestError(f"{path.name}: line {_first_bad_line(data)}: {e.reason}; save it as UTF-8") from e


def _value(text: str | None) -> str | None:
    return (text or "").strip() or None


def _row(record: dict, line: int, fields: tuple[str, ...], line_column: str) -> dict:
    extra = record.get(None)
    values = {name: _value(record.get(name)) for name in fields}
    if values.get("file"):  # names a document as its doc_id does (control characters escaped)
        values["file"] = escaped(values["file"])
    return {
        line_column: line,
        **values,
        "extra": ",".join(extra) if extra else None,
    }


def parse_table(
    path: Path, text: str, fields: tuple[str, ...], required: tuple[str, ...], line_column: str = "line"
) -> list[dict]:
    """The rows of a hand-kept CSV file of raw/ (the manifest, the corrections): each with the
    line it ends on (`line_column`), `fields` as printed (text) and `extra`, the fields beyond
    the header. Header names are matched without case or spaces; `ManifestError` names the line
    of a file that cannot be used at all (no `required` column, a malformed CSV)."""
    # strict: a stray quote in a hand-edited file is named, not silently merged into a value.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        reader.fieldnames = [(name or "").strip().lower() for name in header]
        missing = [name for name in required if name not in reader.fieldnames]
        if missing:
            raise ManifestError(
                f"{path.name}: line 1: no column {', '.join(missing)} in the header ({', '.join(header) or 'empty'})"
            )
        return [_row(record, reader.line_num, fields, line_column) for record in reader]
    except csv.Error as e:
        raise ManifestError(f"{path.name}: line {reader.line_num + 1}: {e}") from e  # the line not read


def parse(path: Path, text: str) -> list[dict]:
    """The manifest's rows (see `COLUMNS`)."""
    return parse_table(path, text, FIELDS, REQUIRED)


def read_manifest(path: Path) -> list[dict]:
    """Rows of the manifest at `path` ([] when there is none)."""
    if not path.is_file():
        return []
    return parse(path, decode(path, path.read_bytes()))
