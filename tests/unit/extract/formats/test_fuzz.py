"""A fuzz of the readers: random bytes and mutated real files (the sample reports, the development
set, and files of every format rendered here), under every extension sosei reads.

Each case asserts that `engine.extract_file` returns (no exception escapes), within a bounded time,
and that a rejected file carries a reason naming it, given by the reader (a `DocumentError`), not
an "unexpected error" (a reader or layout bug caught by the engine's last resort).

The example counts keep CI at a few seconds and the run reproducible; `SOSEI_FUZZ_EXAMPLES=5000`
runs a longer, randomised fuzz.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from office_writers import SPANS, write_docx, write_xls

from orchestration.config import SAMPLES_DIR, SHARED_DIR
from orchestration.extract.engine import extract_file
from orchestration.land.registry import scan_raw
from orchestration.synth.render import write_csv, write_html, write_pdf, write_text, write_xlsx

DEVSET_DOCS = SHARED_DIR / "extraction" / "devset" / "docs"
EXTENSIONS = ["", ".txt", ".csv", ".html", ".pdf", ".xlsx", ".xls", ".docx"]
BOUND_SECONDS = 15  # per file: generous for a shared CI core; the unbounded cases took minutes
EXAMPLES = int(os.environ.get("SOSEI_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 25,
    derandomize=not EXAMPLES,
    deadline=None,  # time is asserted per file below, with a clearer message
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BLOCKS = ["令和4年度 地方創生推進交付金 実施状況報告", SPANS, "以上"]
WRITERS = {
    ".txt": write_text,
    ".html": write_html,
    ".pdf": write_pdf,
    ".xlsx": write_xlsx,
    ".xls": write_xls,
    ".docx": write_docx,
    ".csv": lambda path, blocks: write_csv(
        path, [r for b in blocks for r in ([[b]] if isinstance(b, str) else b.rows)]
    ),
}


@cache
def corpus() -> tuple[tuple[str, bytes], ...]:
    """(extension, bytes) of the real files the mutations start from."""
    out = tempfile.mkdtemp(prefix="sosei-fuzz-")
    rendered = []
    for ext, write in WRITERS.items():
        path = Path(out) / f"rendered{ext}"
        write(path, BLOCKS)
        rendered.append(path)
    samples = [entry.path for entry in scan_raw(SAMPLES_DIR).values()]
    devset = sorted(DEVSET_DOCS.iterdir()) if DEVSET_DOCS.is_dir() else []
    return tuple((p.suffix, p.read_bytes()) for p in [*rendered, *samples, *devset] if p.stat().st_size)


def check(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    start = time.perf_counter()
    result = extract_file(path)
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND_SECONDS, f"{name} ({len(data)} bytes) took {elapsed:.1f} s"
    if result.error is not None:
        assert result.error.startswith(f"{path}: ") and result.error[len(f"{path}: ") :].strip(), result.error
        assert "unexpected error" not in result.error, result.error


def _flip(data: bytes, at: int, chunk: bytes) -> bytes:
    return data[:at] + chunk + data[at + len(chunk) :]


def _insert(data: bytes, at: int, chunk: bytes) -> bytes:
    return data[:at] + chunk + data[at:]


def _delete(data: bytes, at: int, chunk: bytes) -> bytes:
    return data[:at] + data[at + max(1, len(chunk)) * 16 :]


def _repeat(data: bytes, at: int, chunk: bytes) -> bytes:
    return data[:at] + data[at : at + 64] * (len(chunk) + 2) + data[at:]


def _truncate(data: bytes, at: int, _chunk: bytes) -> bytes:
    return data[:at]


MUTATIONS = [_flip, _insert, _delete, _repeat, _truncate]
mutation = st.tuples(st.sampled_from(MUTATIONS), st.floats(0, 1), st.binary(min_size=1, max_size=24))


def mutate(data: bytes, edits) -> bytes:
    for edit, where, chunk in edits:
        data = edit(data, int(where * len(data)), chunk)
    return data


def mutate_zip(data: bytes, member: float, edits) -> bytes:
    """A zipped format with one member's XML mutated and the archive rebuilt, so the mutation
    reaches the XML parsers instead of failing the archive's checksum."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    names = sorted(parts)
    target = names[min(int(member * len(names)), len(names) - 1)]
    parts[target] = mutate(parts[target], edits)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in parts.items():
            z.writestr(name, part)
    return buffer.getvalue()


@FUZZ
@given(data=st.binary(max_size=4096), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes(tmp_path_factory, data, ext):
    check(tmp_path_factory.mktemp("fuzz"), f"random{ext}", data)


@FUZZ
@given(
    pick=st.integers(min_value=0),
    edits=st.lists(mutation, min_size=1, max_size=4),
    member=st.floats(0, 1),
    rename=st.sampled_from([None, *EXTENSIONS]),
)
def test_mutated_real_files(tmp_path_factory, pick, edits, member, rename):
    files = corpus()
    ext, data = files[pick % len(files)]
    mutated = mutate_zip(data, member, edits) if data.startswith(b"PK\x03\x04") else mutate(data, edits)
    check(tmp_path_factory.mktemp("fuzz"), f"mutated{ext if rename is None else rename}", mutated)
