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

from pathlib import Path

from orchestration.land.manifest import decode, parse_table

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
