"""raw/corrections.csv: the data team's fixes to what extraction read, kept beside the reports.

Read exactly as the manifest is (`orchestration.land.manifest`: any encoding the manifest accepts,
every row kept with the line it ends on and its values as printed). A row names an observation
by keys that survive re-extraction — the document's content hash (sha256), where the number is
printed (page, line, cell) and what extraction read there (KPI name, measure, fiscal year) — and
says what to do with it (`ACTIONS`), who, when and why. Whether a row checks out, and what it
applies to, is decided in dbt (int_corrections__checked): a row that does not is a review row
naming `corrections.csv line N`. Only a file that cannot be used at all (undecodable bytes, a
malformed CSV, no `sha256` / `action` / `author` / `reason` column) raises `ManifestError`,
naming the file and the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from filelock import FileLock

from orchestration.land.manifest import ManifestError, decode, parse_table

FIELDS = (
    "sha256",
    "file",
    "page",
    "line",
    "cell",
    "project_name",
    "kpi_name",
    "measure",
    "fiscal_year",
    "action",
    "value",
    "unit",
    "author",
    "corrected_on",
    "reason",
)
REQUIRED = ("sha256", "action", "author", "reason")
# raw.corrections: the line of the file a row ends on, the fields as printed, fields beyond the header.
COLUMNS: dict[str, str] = {"correction_line": "INTEGER", **dict.fromkeys(FIELDS, "VARCHAR"), "extra": "VARCHAR"}


def read_corrections(path: Path) -> list[dict]:
    """Rows of the corrections file at `path` ([] when there is none)."""
    if not path.is_file():
        return []
    return parse_table(path, decode(path, path.read_bytes()), FIELDS, REQUIRED, line_column="correction_line")


# The codecs a hand-kept file may be in (as the manifest reader accepts them): an appended line is
# written in the one the file already reads as, so the file stays one encoding.
_CODECS = ("utf-8", "cp932", "euc_jp", "utf-16-le", "utf-16-be")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
LOCK_TIMEOUT = 10.0  # seconds a writer waits for another to finish appending


def lock_path(path: Path) -> Path:
    """The lock beside the corrections file: hidden, so raw/'s scan does not take it for a report."""
    return path.with_name(f".{path.name}.lock")


def append_correction(path: Path, row: Mapping[str, str | None]) -> int:
    """Append one line (FIELDS → value) to the corrections file at `path`, creating it with the
    header if there is none, under a file lock; return the line it ends on.

    The file keeps its encoding, column order and line ends. The whole new file is first read
    back by the build's reader (`parse_table`, as `read_corrections`): the old lines must read as
    before and the new one as given, else `ManifestError` names the file and nothing is written.
    Whether the line checks out (its action, value, date …) the build decides, as for a line
    typed by hand (int_corrections__checked)."""
    unknown = set(row) - set(FIELDS)
    if unknown:
        raise ValueError(f"not columns of {path.name}: {', '.join(sorted(unknown))}")
    values = {name: (str(row.get(name) or "")).strip() for name in FIELDS}
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(lock_path(path), timeout=LOCK_TIMEOUT):
        data = path.read_bytes() if path.is_file() else b""
        before = parse_table(path, decode(path, data), FIELDS, REQUIRED, "correction_line") if data else []
        new = data + _line_bytes(path, data, values)
        after = parse_table(path, decode(path, new), FIELDS, REQUIRED, "correction_line")
        last = after[-1] if len(after) == len(before) + 1 else {}
        if after[: len(before)] != before or {name: last.get(name) or "" for name in FIELDS} != values:
            raise ManifestError(f"{path.name}: the appended line does not read back as written; nothing written")
        _replace(path, new)
        return last["correction_line"]


def _line_bytes(path: Path, data: bytes, values: Mapping[str, str]) -> bytes:
    """`values` as one CSV line in the file's codec and column order (with the header first in a
    new file), after a line end if the file does not end with one."""
    if not data:
        return _csv_line(FIELDS, "\n").encode() + _csv_line([values[name] for name in FIELDS], "\n").encode()
    text = decode(path, data)
    codec, bom = _codec(data, text)
    header = [name.strip().lower() for name in next(csv.reader(io.StringIO(text)))]
    absent = [name for name in FIELDS if values[name] and name not in header]
    if absent:
        raise ManifestError(f"{path.name}: line 1: no column {', '.join(absent)} in the header, which this line needs")
    end = "\r\n" if "\r\n".encode(codec) in data[len(bom) :] else "\n"
    line = ("" if text.endswith("\n") else end) + _csv_line([values.get(name, "") for name in header], end)
    try:
        return line.encode(codec)
    except UnicodeEncodeError as e:
        raise ManifestError(
            f"{path.name}: {line[e.start : e.end]!r} cannot be written in its encoding ({codec})"
        ) from e


def _codec(data: bytes, text: str) -> tuple[str, bytes]:
    """The codec (and BOM) in which `data` reads as `text`, the reader's decoding of it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, bom
    for codec in _CODECS:
        try:
            if data.decode(codec).replace("\r\n", "\n").replace("\r", "\n") == text:
                return codec, b""
        except UnicodeDecodeError:
            continue
    raise ManifestError("corrections.csv: its encoding is not one a line can be appended in; save it as UTF-8")


def _csv_line(fields: Sequence[str], end: str) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=end).writerow(fields)
    return out.getvalue()


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (a reader sees the old file or the new one)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    if path.exists():
        shutil.copymode(path, temporary)
    with temporary.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(temporary, path)
