"""The extraction's version: a hash over the code and data that turn a report into landed rows.

The files hashed are derived from what runs, not listed by hand: every `orchestration` module
that landing imports, directly or through others (`import` statements read from the source,
those inside functions included, and modules named as data like the format readers, from
`orchestration.land.store` on: the readers, the vocabulary, landing's own quality checks, the
worker pools), the data files in their folders, and of
`quality/rules.toml` the part that landing's checks read (`rules.registry_part`). Whatever
changes what a document yields — a reader, a header synonym, a landing rule — changes this
version, and every document landed under another version is re-landed at the next build. It
is the landing asset's Dagster code version and is recorded with each landed document and each
observation. Computed at import (about a hundred files: milliseconds).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from orchestration.config import PACKAGE_DIR
from orchestration.quality import rules

PACKAGE = PACKAGE_DIR.name
# What a landing process runs: the driver (land_many) and, in its workers, land_entry.
LANDING_ENTRY = ("orchestration.land.store",)
# Files of which only a part is what the code importing them reads: path → that part.
LANDING_PARTS: Mapping[str, Callable[[bytes], bytes]] = {
    "quality/rules.toml": lambda text: rules.registry_part(text.decode("utf-8"), rules.LANDING_RELATIONS).encode(),
}
_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_SKIPPED_PARTS = {"__pycache__", "uncommitted"}  # bytecode; GX's run outputs (Data Docs, results)
_NAME = rf"{PACKAGE}(?:\.\w+)*"
# `from x import y`, `from x import (y, z)` (names), `import x`, at any indentation.
_IMPORT = re.compile(rf"^[ \t]*(?:from[ \t]+({_NAME})[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)|import[ \t]+({_NAME}))", re.M)
# A module named as data in a string, imported when used: `module:function` (the format readers).
_NAMED = re.compile(rf"[\"']({_NAME}):\w+[\"']")


def package_modules(root: Path = PACKAGE_DIR) -> dict[str, Path]:
    """module name → source file of every module of the package at `root`."""
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        modules[".".join((root.name, *parts))] = path
    return modules


def _imports(source: str, modules: Mapping[str, Path]) -> list[str]:
    """The package's modules a module's source imports: `import x.y`, `from x import y` (y a
    module or a name of x), `"x.y:function"` (`_NAMED`), and every package above each of them."""
    found = _NAMED.findall(source)
    for base, names, plain in _IMPORT.findall(source):
        found.append(plain or base)
        for item in re.sub(r"#[^\n]*", "", names).strip("() \t").split(","):
            if item.split() and f"{base}.{item.split()[0]}" in modules:
                found.append(f"{base}.{item.split()[0]}")
    return [".".join(m.split(".")[: i + 1]) for m in found for i in range(m.count(".") + 1)]


def imported_modules(entries: Iterable[str], root: Path = PACKAGE_DIR) -> dict[str, Path]:
    """module name → source file of `entries` and every package module they import, directly or
    not. A module that is imported but not found raises: no code is skipped silently."""
    modules = package_modules(root)
    found: dict[str, Path] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        if name not in modules:
            raise ModuleNotFoundError(f"{name}: no such module in {root}")
        found[name] = modules[name]
        todo += _imports(found[name].read_text(encoding="utf-8"), modules)
    return dict(sorted(found.items()))


def data_files(modules: Iterable[Path]) -> list[Path]:
    """The files that are not Python in the folders of `modules` (the data a package reads from
    beside its code: the vocabulary's .toml files, the quality rules)."""
    folders = {path.parent for path in modules}
    skipped = (".py", *_SKIPPED_SUFFIXES)
    return sorted(p for f in folders for p in f.iterdir() if p.is_file() and p.suffix not in skipped)


def code_files(entries: Iterable[str], root: Path = PACKAGE_DIR) -> list[Path]:
    """The files a version of `entries` hashes: their modules and the data beside them."""
    modules = list(imported_modules(entries, root).values())
    return sorted({*modules, *data_files(modules)})


def _source_files(root: Path, paths: Iterable[str]) -> list[Path]:
    files = []
    for name in paths:
        path = root / name
        if not path.exists():
            raise FileNotFoundError(f"{path}: a versioned path that does not exist")
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return [p for p in files if not _SKIPPED_PARTS.intersection(p.parts) and p.suffix not in _SKIPPED_SUFFIXES]


def hash_files(root: Path, files: Iterable[Path], parts: Mapping[str, Callable[[bytes], bytes]] | None = None) -> str:
    """sha256 (16 hex digits) over the path relative to `root` and the bytes of each file (of a
    file in `parts`, the part its function returns)."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        digest.update(rel.encode() + b"\0")
        digest.update((parts[rel](data) if parts and rel in parts else data) + b"\0")
    return digest.hexdigest()[:16]


def version_of_files(root: Path, paths: Iterable[str]) -> str:
    """The version of files and folders under `root`, by their relative paths; a path that does
    not exist raises."""
    return hash_files(root, _source_files(root, paths))


def version_of_code(
    entries: Iterable[str], root: Path = PACKAGE_DIR, parts: Mapping[str, Callable[[bytes], bytes]] | None = None
) -> str:
    """The version of the code `entries` run (`code_files`)."""
    return hash_files(root, code_files(entries, root), parts)


def landing_version(root: Path = PACKAGE_DIR) -> str:
    return version_of_code(LANDING_ENTRY, root, LANDING_PARTS)


# This process's extraction code. A Dask worker must have the same to land for it.
CODE_VERSION = landing_version()
# The version landing records and plans with: the code's (the benchmark and the tests set
# another to act as a later code would).
EXTRACTION_VERSION = CODE_VERSION
