"""The rows behind a failed dbt test, named: the test's compiled SQL (from dbt's
run_results.json) queried again on the candidate warehouse, a few rows, by the columns that say
which document, manifest line or observation they are.

No Great Expectations import: `sosei build` reports a failed dbt stage with it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# The columns that name a row for a reader, in the order they are printed.
NAMING_COLUMNS = ("doc_id", "manifest_line", "observation_id", "page", "line", "cell")
EXAMPLES = 3


def failing_rows(sql: str, db_path: Path, limit: int = EXAMPLES) -> list[str]:
    """Up to `limit` rows the test's SQL returns, each as `doc_id=… page=…` (its naming columns,
    else its first three); empty when the warehouse or the query cannot be read."""
    if not Path(db_path).is_file():
        return []
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return []  # e.g. still locked by a writer: the test's name and message still say what failed
    try:
        cursor = con.execute(f"select * from ({sql.strip().rstrip(';')}) as failing limit {int(limit)}")
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
    named = [c for c in NAMING_COLUMNS if c in columns] or columns[:3]
    return [
        " ".join(f"{c}={row[columns.index(c)]}" for c in named if row[columns.index(c)] is not None) for row in rows
    ]
