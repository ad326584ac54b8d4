"""The Dagster instance's SQLite files (`warehouse/dagster_home`), checked when they fail.

A damaged file (truncated, overwritten: "database disk image is malformed", "file is not a
database") would fail every build and `sosei status` with a raw traceback. It is history, not
data: the registry syncs the partitions again and a build whose records are gone rebuilds. So a
damaged file is moved aside (`<name>.damaged-<time>`), the caller says so, and Dagster creates it
anew. A file that is merely busy ("database is locked") is not damaged.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path


def is_storage_error(error: BaseException) -> bool:
    """Whether `error` (or what it wraps, as SQLAlchemy does) is an SQLite database error."""
    while error is not None:
        if isinstance(error, sqlite3.DatabaseError):
            return True
        error = getattr(error, "orig", None) or error.__cause__
    return False


def _damaged(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as con:
            return con.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok"
    except sqlite3.OperationalError as e:  # busy, or unopenable (permissions): not damage
        return "malformed" in str(e) or "not a database" in str(e)
    except sqlite3.DatabaseError:
        return True


def set_aside_damaged(home: Path) -> list[Path]:
    """Move the damaged SQLite files under `home` (with their journals) aside; returns their new paths."""
    moved = []
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for path in sorted(home.rglob("*.db")):
        if not _damaged(path):
            continue
        target = path.with_name(f"{path.name}.damaged-{stamp}")
        os.replace(path, target)
        for journal in ("-wal", "-shm", "-journal"):
            side = path.with_name(path.name + journal)
            if side.exists():
                os.replace(side, target.with_name(target.name + journal))
        moved.append(target)
    return moved
