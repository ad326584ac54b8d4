"""Write–audit–publish: a validated candidate replaces the published warehouse atomically.

Layout under `published_dir` (see docs/ARCHITECTURE.md):

    sosei.duckdb                  the marts (schema `marts`) and `main.sosei_run`; replaced by
                                  os.replace, so a reader has the old file or the new, never a mix
    parquet -> releases/<run_id>/parquet   a symlink swapped atomically; one file per mart
    run_record.json               the current release's record
    releases/<run_id>/            the last `keep` releases (parquet + run_record.json)

The DuckDB file is written with STORAGE_VERSION 'v1.4.0': duckdb 2.x writes storage format 69
by default, which DuckDB 1.x shells and the BI drivers that embed it refuse to open.

Only `publish` touches `published_dir`, and only after everything new is complete on disk; a
failed gate calls `record_failed_run`, which writes `runs/<run_id>.json` and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

STORAGE_VERSION = "v1.4.0"
MARTS_SCHEMA = "marts"
DB_NAME = "sosei.duckdb"
KEEP_RELEASES = 3
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class PublishError(RuntimeError):
    pass


@dataclass
class RunRecord:
    run_id: str
    status: str  # "published" or "failed"
    recorded_at: str
    documents: int
    gate: Mapping[str, Any]  # GateResult.summary()
    row_counts: dict[str, int] = field(default_factory=dict)
    published_db: str | None = None
    parquet_dir: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # sha256 of each published file

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, default=str)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def fingerprint(root: Path) -> dict[str, str]:
    """sha256 of every file under `root`, following symlinks, keyed by relative path."""
    return dict(sorted(
        ((Path(dirpath) / name).relative_to(root).as_posix(), _sha256(Path(dirpath) / name))
        for dirpath, _dirs, names in os.walk(root, followlinks=True) for name in names))


def _check_run_id(run_id: str) -> None:
    if not _RUN_ID.match(run_id):
        raise ValueError(f"run id {run_id!r} must be letters, digits, '.', '_' or '-' (it names files)")


def record_failed_run(runs_dir: Path, run_id: str, documents: int,
                      gate: Mapping[str, Any]) -> RunRecord:
    """Record a run whose gate failed in `runs/<run_id>.json`; the published files stay as they were."""
    _check_run_id(run_id)
    record = RunRecord(run_id=run_id, status="failed", recorded_at=_now(), documents=documents,
                       gate=gate)
    Path(runs_dir).mkdir(parents=True, exist_ok=True)
    _write_atomically(Path(runs_dir) / f"{run_id}.json", record.to_json())
    return record


def _mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'candidate' and table_schema = ? order by table_name",
        [MARTS_SCHEMA]).fetchall()
    return [r[0] for r in rows]


def _build_release(candidate_db: Path, tmp_db: Path, parquet_dir: Path, run_id: str,
                   documents: int, published_at: str) -> dict[str, int]:
    """Copy the candidate's marts into `tmp_db` (old storage format) and export them to Parquet."""
    con = duckdb.connect()
    try:
        con.execute("attach ? as candidate (read_only)", [str(candidate_db)])
        con.execute(f"attach ? as release (storage_version '{STORAGE_VERSION}')", [str(tmp_db)])
        marts = _mart_names(con)
        if not marts:
            raise PublishError(f"{candidate_db}: no tables in schema {MARTS_SCHEMA}; nothing to publish")
        con.execute(f"create schema release.{MARTS_SCHEMA}")
        counts = {}
        for mart in marts:
            # Views become tables: the published file must stand alone.
            con.execute(f'create table release.{MARTS_SCHEMA}."{mart}" as '
                        f'select * from candidate.{MARTS_SCHEMA}."{mart}"')
            counts[mart] = con.execute(f'select count(*) from release.{MARTS_SCHEMA}."{mart}"').fetchone()[0]
            con.execute(f'copy release.{MARTS_SCHEMA}."{mart}" to ? (format parquet)',
                        [str(parquet_dir / f"{mart}.parquet")])
        con.execute("create table release.main.sosei_run as "
                    "select ?::varchar as run_id, ?::timestamptz as published_at, ?::integer as documents",
                    [run_id, published_at, documents])
        con.execute("detach release")
    finally:
        con.close()
    with open(tmp_db, "rb") as f:  # durable before the rename makes it visible
        os.fsync(f.fileno())
    return counts


def _swap_symlink(link: Path, target: str) -> None:
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link}: expected a symlink to a release, found a real file or directory")
    tmp = link.with_name(f".{link.name}.tmp")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target, target_is_directory=True)
    os.replace(tmp, link)


def _prune_releases(releases: Path, current: str, keep: int) -> None:
    others = sorted((p for p in releases.iterdir() if p.is_dir() and p.name != current),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[max(keep - 1, 0):]:
        shutil.rmtree(old)


def publish(candidate_db: Path, published_dir: Path, run_id: str, documents: int,
            gate: Mapping[str, Any], runs_dir: Path, keep: int = KEEP_RELEASES) -> RunRecord:
    """Publish the marts of a candidate that passed the gate; returns the run's record.

    `gate` is `GateResult.summary()`; a gate that did not pass is refused.
    """
    _check_run_id(run_id)
    if not gate.get("passed"):
        raise PublishError(f"run {run_id}: the gate did not pass; refusing to publish {candidate_db}")
    candidate_db, published_dir = Path(candidate_db), Path(published_dir)
    if not candidate_db.is_file():
        raise FileNotFoundError(f"{candidate_db}: candidate warehouse not found")
    release = published_dir / "releases" / run_id
    if release.exists():
        raise PublishError(f"{release}: run {run_id} was already published")
    parquet_dir = release / "parquet"
    parquet_dir.mkdir(parents=True)
    tmp_db = published_dir / f".{DB_NAME}.{run_id}.tmp"
    published_at = _now()
    try:
        counts = _build_release(candidate_db, tmp_db, parquet_dir, run_id, documents, published_at)
        files = {DB_NAME: _sha256(tmp_db)} | {
            f"parquet/{name}": digest for name, digest in fingerprint(parquet_dir).items()}
        record = RunRecord(run_id=run_id, status="published", recorded_at=published_at,
                           documents=documents, gate=gate, row_counts=counts,
                           published_db=str(published_dir / DB_NAME),
                           parquet_dir=str(published_dir / "parquet"), files=files)
        (release / "run_record.json").write_text(record.to_json(), encoding="utf-8")
    except BaseException:
        tmp_db.unlink(missing_ok=True)
        shutil.rmtree(release, ignore_errors=True)
        raise
    # Everything new is complete; each swap below is one rename.
    os.replace(tmp_db, published_dir / DB_NAME)
    _swap_symlink(published_dir / "parquet", f"releases/{run_id}/parquet")
    _write_atomically(published_dir / "run_record.json", record.to_json())
    Path(runs_dir).mkdir(parents=True, exist_ok=True)
    _write_atomically(Path(runs_dir) / f"{run_id}.json", record.to_json())
    _prune_releases(published_dir / "releases", run_id, keep)
    return record
