"""A `raw` schema built from the extraction gold file, for building the dbt project in tests.

The gold observations (../shared/extraction/gold/seeds.csv) are what extraction must land for
the sample corpus, so a warehouse built from them is the warehouse the real pipeline should
build. Provenance columns are synthesised (line = row number in the gold file) because the gold
file carries none. Run as a script to write a development database (or, with a number, one document with that many
projects, to measure the build at scale):

    .venv/bin/python tests/unit/dbt/raw_fixture.py /tmp/dev.duckdb
    .venv/bin/python tests/unit/dbt/raw_fixture.py /tmp/large.duckdb 24000
"""

from __future__ import annotations

import csv
import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.config import SAMPLES_DIR, SHARED_DIR
from orchestration.land.corrections import COLUMNS as CORRECTION_COLUMNS
from orchestration.land.corrections import read_corrections
from orchestration.land.manifest import COLUMNS as MANIFEST_COLUMNS
from orchestration.land.manifest import read_manifest
from orchestration.land.store import RAW_TABLES

GOLD_CSV = SHARED_DIR / "extraction" / "gold" / "seeds.csv"
MANIFEST_CSV = SAMPLES_DIR / "manifest.csv"
READER = "gold"

# The landed tables' schema, from the one place landing declares it.
DDL = "create schema if not exists raw;\n" + "\n".join(
    f"create or replace table raw.{table} ({', '.join(f'{name} {sql_type}' for name, sql_type in columns.items())});"
    for table, columns in RAW_TABLES.items()
)
MANIFEST_DDL = "create or replace table raw.manifest ({})".format(
    ", ".join(f"{name} {sql_type}" for name, sql_type in MANIFEST_COLUMNS.items())
)
CORRECTIONS_DDL = "create or replace table raw.corrections ({})".format(
    ", ".join(f"{name} {sql_type}" for name, sql_type in CORRECTION_COLUMNS.items())
)


def load_corrections(db_path: Path, corrections_csv: Path | None) -> None:
    """Replace raw.corrections with the rows of `corrections_csv`, read as the raw load reads it
    (None: no corrections file)."""
    rows = read_corrections(corrections_csv) if corrections_csv else []
    with duckdb.connect(str(db_path)) as con:
        con.execute(CORRECTIONS_DDL)
        if rows:
            con.executemany(
                f"insert into raw.corrections values ({','.join('?' * len(CORRECTION_COLUMNS))})",
                [[row[name] for name in CORRECTION_COLUMNS] for row in rows],
            )


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Rows that give the table's first columns (the fixture leaves the rest, e.g. OCR confidence, empty)."""
    if rows:
        columns = list(RAW_TABLES[table])[: len(rows[0])]
        con.executemany(
            f"insert into raw.{table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})", rows
        )


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not found (needed to build the raw schema)")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fixture_sha256(doc_id: str) -> str:
    """The content hash the fixture lands a document with (the gold file has no content)."""
    return hashlib.sha256(doc_id.encode()).hexdigest()


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def load_raw(
    db_path: Path,
    gold_csv: Path = GOLD_CSV,
    manifest_csv: Path | None = MANIFEST_CSV,
    corrections_csv: Path | None = None,
) -> None:
    """Create (or replace) the raw schema in `db_path` from the gold observations, a manifest and
    a corrections file (read as landing reads them; None: no such file). Every document of the
    gold and the manifest is landed, with its sha256 that of its doc_id's text."""
    gold = _read_csv(gold_csv)
    manifest = read_manifest(manifest_csv) if manifest_csv else []
    by_doc = {m["file"]: m for m in manifest}
    observations, projects, seqs, project_seqs = [], [], {}, {}
    for line_no, row in enumerate(gold, start=2):
        doc = row["doc"]
        seq = seqs[doc] = seqs.get(doc, 0) + 1
        value = _number(row["value"])
        observations.append(
            (
                f"{doc}#{seq}",
                doc,
                doc,
                seq,
                row["grant_program"],
                row["project_name"],
                row["kpi_name"],
                0,
                row["measure"],
                int(row["fiscal_year"]) if row["fiscal_year"] else None,
                value,
                row["value"],
                row["unit"],
                row["status"],
                None,
                line_no,
                None,
                f"{row['kpi_name']} {row['value'] or row['status']}{row['unit']}",
                READER,
                "0",
            )
        )
        project_key = (doc, row["grant_program"], row["project_name"])
        if project_key not in project_seqs:
            pseq = project_seqs[project_key] = len([k for k in project_seqs if k[0] == doc]) + 1
            fiscal_year = by_doc.get(doc, {}).get("fiscal_year")
            projects.append(
                (
                    f"{doc}#p{pseq}",
                    doc,
                    doc,
                    pseq,
                    row["grant_program"],
                    row["project_name"],
                    int(fiscal_year) if fiscal_year else None,
                    None,
                    "",
                    "",
                    "",
                    None,
                    line_no,
                    None,
                    READER,
                )
            )
    landed_at = datetime.now(UTC).replace(tzinfo=None)
    documents = [
        (
            doc,
            doc,
            f"raw/{doc}",
            fixture_sha256(doc),
            0,
            "text",
            1,
            "",
            "",
            None,
            "",
            "",
            "ok",
            None,
            seqs.get(doc, 0),
            sum(1 for k in project_seqs if k[0] == doc),
            0,
            "0",
            landed_at,
        )
        for doc in sorted(set(seqs) | {m["file"] for m in manifest if m["file"]})
    ]
    with duckdb.connect(str(db_path)) as con:
        con.execute(DDL)
        _insert(con, "kpi_observations", observations)
        _insert(con, "projects", projects)
        _insert(con, "documents", documents)
        con.execute(MANIFEST_DDL)
        con.executemany(
            f"insert into raw.manifest values ({','.join('?' * len(MANIFEST_COLUMNS))})",
            [[m[name] for name in MANIFEST_COLUMNS] for m in manifest],
        )
    load_corrections(db_path, corrections_csv)


# One report listing many projects (a national compilation: 586 pages, 24,000 projects), each
# with a few KPIs whose names come from a small vocabulary, as real KPI names repeat.
LARGE_DOCUMENT = "national/compilation.pdf"


def load_one_large_document(db_path: Path, n_projects: int, kpis_per_project: int = 4, kpi_names: int = 20) -> int:
    """A raw schema of one document with `n_projects` projects, each with `kpis_per_project` KPIs
    (a target and an actual each); returns the number of observations."""
    with duckdb.connect(str(db_path)) as con:
        con.execute(DDL)
        con.execute(MANIFEST_DDL)
        con.execute(CORRECTIONS_DDL)
        con.execute(
            """
            insert into raw.kpi_observations
            select ? || '#' || row_number() over (order by p, k, m), ?, ?,
                   row_number() over (order by p, k, m), '地方創生推進交付金', '事業' || p || '（企画課）',
                   '指標' || ((p + k) % ?), k, m, 2021, 100 + p % 7, null, '人', null, 1 + p // 40,
                   p, null, '指標 100人', ?, '0', null, null
            from range(?) as projects(p), range(?) as kpis(k), (values ('target'), ('actual')) as measures(m)
            """,
            [LARGE_DOCUMENT, LARGE_DOCUMENT, LARGE_DOCUMENT, kpi_names, READER, n_projects, kpis_per_project],
        )
        ((n,),) = con.execute("select count(*) from raw.kpi_observations").fetchall()
        con.execute(
            "insert into raw.documents (doc_id, doc, path, read_status, issuer_name, fiscal_year, doc_kind,"
            " n_observations) values (?, ?, ?, 'ok', '', 2021, 'results', ?)",
            [LARGE_DOCUMENT, LARGE_DOCUMENT, f"raw/{LARGE_DOCUMENT}", n],
        )
    return n


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(load_one_large_document(Path(sys.argv[1]), int(sys.argv[2])), "observations")
    elif len(sys.argv) == 2:
        load_raw(Path(sys.argv[1]))
    else:
        sys.exit("usage: raw_fixture.py DB_PATH [N_PROJECTS_IN_ONE_DOCUMENT]")
