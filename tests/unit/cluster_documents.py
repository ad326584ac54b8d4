"""Misbehaving documents for the cluster tests, told by their bytes: imported by name in the Dask
workers' limited children, so it imports no more than landing does."""

from __future__ import annotations

import os
import time
from pathlib import Path

from orchestration.land.store import read_to_parquet


def misbehave(task: tuple[str, str, str], version: str) -> dict[str, bytes]:
    data = Path(task[1]).read_bytes()
    if data == b"sleep":
        time.sleep(120)
    elif data == b"memory":
        bytearray(8 * 1024**3)  # past any limit the tests set
    elif data == b"raise":
        raise ValueError("a reader bug")
    elif data == b"exit":
        os._exit(3)
    return read_to_parquet(task, version)


def comparable_landing(landing_dir: Path) -> dict[str, list[tuple]]:
    """Every landing table's rows in a stable order, less what differs between two landings of the
    same documents: when (`landed_at`) and the files' mtime and inode (in `landing_files`, whose
    rows and sha256 of each file stay)."""
    import json

    import duckdb

    from orchestration.land.store import RAW_TABLES

    tables = {}
    with duckdb.connect() as con:
        for table, columns in RAW_TABLES.items():
            kept = [c for c in columns if c != "landed_at"]
            rows = con.execute(
                f"select {', '.join(kept)} from read_parquet('{landing_dir / table / '*.parquet'}') order by all"
            ).fetchall()
            if "landing_files" in kept:
                at = kept.index("landing_files")
                rows = [(*r[:at], _without_keys(json.loads(r[at])), *r[at + 1 :]) for r in rows]
            tables[table] = rows
    return tables


def _without_keys(records: dict) -> str:
    return str(sorted((table, record["rows"], record["sha256"]) for table, record in records.items()))


def executing(dask_worker) -> int:  # Client.run passes the Worker by this name
    """On a Dask worker: the tasks its threads are running (a cancelled one runs on until it returns)."""
    return len(dask_worker.state.executing)
