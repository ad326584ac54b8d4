"""The raw registry: what raw/ holds, what has landed, what a build must land, and the
partition sync that makes Dagster's per-document partitions match raw/.

One module for the sensor, the schedule and `sosei build`, so the three agree on every rule:

- only regular files inside raw/ are read; a symbolic link that leaves raw/, a FIFO, a device or
  a socket is an entry with the reason it is not read (it lands as an error row, for review);
- a document is to land when it is new, its content changed (sha256), or it was landed by
  another extraction version (`extraction_version.EXTRACTION_VERSION`);
- a removed document's partition and landing files are deleted at the sync, so the next build
  rebuilds without it whatever else is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.land import extraction_version
from orchestration.land.unsafe_text import escaped

if TYPE_CHECKING:
    from orchestration.land.store import LandedDocument

MANIFEST_NAME = "manifest.csv"
# The files of raw/ the data team keeps by hand, read whole at each load, never landed as documents.
HAND_KEPT = {"manifest": MANIFEST_NAME, "corrections": "corrections.csv"}
_RACY_NS = 2_000_000_000  # file systems keep mtimes at 1–2 s granularity at worst (FAT, some NFS)
_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


@dataclass(frozen=True)
class RawEntry:
    """One file under raw/: a document to read, or (with `rejected`) one that is not read."""

    doc_id: str
    path: Path
    rejected: str | None = None

    @property
    def name(self) -> str:
        """The file name as published (escaped as in its doc_id)."""
        return self.doc_id.rsplit("/", 1)[-1]


def doc_id_of(rel: str) -> str:
    """The doc_id of a path relative to raw/: itself, with bytes that are not UTF-8, control
    characters and bidirectional overrides as \\xNN or \\uNNNN, so that no mart, CSV or screen
    showing it is steered by the name (`unsafe_text`)."""
    return escaped(rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))


def _rejection(path: Path, raw_dir: Path) -> str | None:
    """Why `path` is not read, or None for a regular file inside raw/."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve(strict=True)
            if not target.is_relative_to(raw_dir):
                return "a symbolic link to a file outside raw/: not read"
            info = target.stat()
    except (OSError, RuntimeError) as e:  # a dangling or looping link, a vanished file
        return f"cannot be inspected: {type(e).__name__}: {e.strerror if isinstance(e, OSError) else e}"
    for test, kind in _FILE_KINDS:
        if test(info.st_mode):
            return f"{kind}, not a regular file: not read"
    return None if stat.S_ISREG(info.st_mode) else "not a regular file: not read"


def _walk(raw_dir: Path) -> Iterator[Path]:
    """Every non-hidden entry under raw/ that is not a folder; links to folders are not followed."""
    for dirpath, dirnames, filenames in os.walk(raw_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        linked = [d for d in dirnames if (Path(dirpath) / d).is_symlink()]
        for name in sorted([*filenames, *linked]):
            if not name.startswith("."):  # editor swap files, .DS_Store
                yield Path(dirpath) / name


def scan_raw(raw_dir: Path) -> dict[str, RawEntry]:
    """Every entry under raw/ keyed by doc_id (the POSIX path relative to raw/); no file is read."""
    raw_dir = raw_dir.resolve()
    entries = {}
    for path in _walk(raw_dir):
        rel = path.relative_to(raw_dir).as_posix()
        if rel in HAND_KEPT.values():
            continue
        reason = _rejection(path, raw_dir)
        if reason is None and path.is_dir():
            reason = "a symbolic link to a folder: its files are read where they are"
        entries[doc_id_of(rel)] = RawEntry(doc_id_of(rel), path, reason)
    return dict(sorted(entries.items()))


def sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def manifest_version(path: Path) -> str:
    """The data version of raw/manifest.csv (or raw/corrections.csv): its sha256, or "none"
    when there is none."""
    return sha256_file(path) if path.is_file() else "none"


def raw_file_versions(raw_dir: Path) -> dict[str, str]:
    """The data version of each hand-kept file of raw/, by the raw table it is loaded into."""
    return {table: manifest_version(raw_dir / name) for table, name in HAND_KEPT.items()}


def content_hash(entry: RawEntry) -> str:
    """sha256 of a readable entry; "" for one that is not read."""
    return "" if entry.rejected else sha256_file(entry.path)


def _file_key(path: Path) -> list[int]:
    """What changes whenever a file's content may have: size, mtime, ctime (which no tool can set
    back) and inode (a file replaced by rename)."""
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _read_cache(path: Path | None) -> tuple[dict[str, list], int]:
    try:
        cached = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):  # none yet, or unreadable: everything is hashed again
        cached = {}
    return cached.get("files", {}), cached.get("written_ns", 0)


def hash_raw(entries: dict[str, RawEntry], cache: Path | None = None) -> dict[str, str]:
    """doc_id → sha256 of every entry ("" for one not read).

    With `cache`, a file whose size, mtime, ctime and inode are those recorded there is not read
    again, as git's index does: a no-change build of 10,000 reports (gigabytes of PDF) stats
    them instead of hashing them. A file modified within a second before the cache was written
    could share its timestamps with its previous content, so it is hashed again next time.
    """
    files, written_ns = _read_cache(cache)
    now: dict[str, str] = {}
    keys: dict[str, list] = {}
    for doc_id, entry in entries.items():
        key = None if entry.rejected else _file_key(entry.path)
        known = files.get(doc_id)
        racy = key is not None and key[1] >= written_ns - _RACY_NS
        reuse = known is not None and known[:4] == key and not racy
        now[doc_id] = known[4] if reuse else content_hash(entry)
        if key is not None:
            keys[doc_id] = [*key, now[doc_id]]
    if cache:
        _write_cache(cache, keys)
    return now


def _write_cache(path: Path, files: dict[str, list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # the sensor and a build may both write
    tmp.write_text(json.dumps({"written_ns": time.time_ns(), "files": files}), encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class Plan:
    """What a build lands: each list sorted by doc_id."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    reextracted: list[str] = field(default_factory=list)  # landed by another extraction version
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def to_land(self) -> list[str]:
        return sorted(self.new + self.changed + self.reextracted)

    def describe(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.reextracted)} landed "
            f"by another extraction version, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed"
        )


def plan(landed: Mapping[str, LandedDocument], now: Mapping[str, str]) -> Plan:
    """Compare what landed (with its sha256 and extraction version) with raw/ now (doc_id → sha256)."""
    version = extraction_version.EXTRACTION_VERSION

    def state(doc: str) -> str:
        if doc not in landed:
            return "new"
        if landed[doc].sha256 != now[doc]:
            return "changed"
        return "reextracted" if landed[doc].reader_version != version else "unchanged"

    groups: dict[str, list[str]] = {"new": [], "changed": [], "reextracted": [], "unchanged": []}
    for doc in sorted(now):
        groups[state(doc)].append(doc)
    return Plan(**groups, removed=sorted(set(landed) - set(now)))
