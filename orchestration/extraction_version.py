"""The extraction's version: a hash over the code and data files that turn a report into rows.

Whatever changes what a document yields (a reader, the grammar, a header synonym, a vocabulary
word) changes this version, and every document landed under another version is re-landed at the
next build. It is the landing asset's Dagster code version. Computed from the package files at
import (a few hundred kilobytes: milliseconds).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parent
# The extraction library and the vocabulary it reads; a package that does not exist is skipped.
EXTRACTION_PACKAGES = ("extract", "vocab")
_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_SKIPPED_PARTS = {"__pycache__", "uncommitted"}  # bytecode; GX's run outputs (Data Docs, results)


def _source_files(root: Path, packages: tuple[str, ...]) -> list[Path]:
    files = [
        path
        for package in packages
        for path in ([root / package] if (root / package).is_file() else (root / package).rglob("*"))
        if path.is_file() and not _SKIPPED_PARTS.intersection(path.parts) and path.suffix not in _SKIPPED_SUFFIXES
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def version_of_files(root: Path = _PACKAGE_ROOT, packages: tuple[str, ...] = EXTRACTION_PACKAGES) -> str:
    """sha256 (16 hex digits) over the relative path and bytes of every file of `packages`
    (folders or files under `root`; one that does not exist is skipped)."""
    digest = hashlib.sha256()
    for path in _source_files(root, packages):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


EXTRACTION_VERSION = version_of_files()
