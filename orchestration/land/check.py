"""Landed data checked against itself: each landing file's rows and checksum are recorded with its
document when it lands (the `documents` row's `landing_files`), and a build checks them before it
plans. A file that is missing, replaced, truncated, emptied or unreadable makes its document
damaged: the build lands it again (or, if its raw file is gone, drops it with the rest of it) and
says so, instead of publishing it short.

A file whose size, mtime and inode are those recorded is not read (a rewrite changes its inode);
any other is hashed and compared with the recorded checksum.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.parquet as pq


class _Landed(Protocol):
    n_observations: int
    landing_files: str | None


def file_record(path: Path, rows: int) -> dict:
    """What is recorded of one landing file just written: rows, sha256, size, mtime and inode."""
    info = path.stat()
    with path.open("rb") as f:
        sha = hashlib.file_digest(f, "sha256").hexdigest()
    return {"rows": rows, "sha256": sha, "key": [info.st_size, info.st_mtime_ns, info.st_ino]}


def records_text(records: Mapping[str, dict]) -> str:
    return json.dumps(records, sort_keys=True, separators=(",", ":"))


def file_damage(path: Path, record: dict) -> str | None:
    """Why the landing file at `path` is not the one recorded, or None when it is."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return f"{path.parent.name} landing file is missing"
    if [info.st_size, info.st_mtime_ns, info.st_ino] == record["key"]:
        return None
    with path.open("rb") as f:
        if hashlib.file_digest(f, "sha256").hexdigest() == record["sha256"]:
            return None  # the same bytes (a copied warehouse)
    try:
        rows = pq.read_metadata(path).num_rows
    except (OSError, pa.ArrowException) as e:
        return f"{path.parent.name} landing file is unreadable ({type(e).__name__}: {str(e)[:120]})"
    return f"{path.parent.name} landing file differs from the one landed ({rows} rows, {record['rows']} landed)"


def damaged_documents(docs: Mapping[str, _Landed], path_of: Callable[[str, str], Path]) -> dict[str, str]:
    """doc_id → why its landing files are not what landed, for each damaged document.
    `path_of(table, doc_id)`: where a landing file is."""
    damaged = {}
    for doc_id, doc in docs.items():
        reason = _document_damage(doc_id, doc, path_of)
        if reason:
            damaged[doc_id] = reason
    return damaged


def _document_damage(doc_id: str, doc: _Landed, path_of: Callable[[str, str], Path]) -> str | None:
    if not doc.landing_files:
        return "landed without checksums (by an older version of sosei)"
    try:
        records = json.loads(doc.landing_files)
    except ValueError:
        return "its record of landing files is unreadable"
    for table, record in records.items():
        reason = file_damage(path_of(table, doc_id), record)
        if reason:
            return reason
    return None


def is_readable_parquet(path: Path) -> bool:
    try:
        pq.read_metadata(path)
    except (OSError, pa.ArrowException):
        return False
    return os.path.getsize(path) > 0
