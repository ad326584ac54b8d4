"""PDF and OCR speed: sosei's reading of PDFs next to pdfplumber's own `extract_text`, and OCR of
scanned pages, on documents this script renders.

    python bench/pdf.py [--reports 3] [--scans 3] [--out bench/out] [--dask local:2]

- table reports: a results table running over 10 pages;
- prose reports: 30 pages of running text with the results table on 3 of them (as real reports
  are), KPI sentences in some paragraphs;
- scans: a results table rendered, and the development set's PDF layouts (../shared when at
  hand), scanned at 200 dpi (`synth.render.scan_page`: skew, grain, dust, JPEG) and wrapped
  image-only in a PDF; read by OCR and scored against the text layer they were scanned from.

Prints pages/s of both readers and the ratio (ours / pdfplumber's time; below 1 is faster), OCR
pages/s (wall and per core: per CPU-second), CPU seconds per page and F1 (one process, one
core), and OCR pages/s of landing the same scans (`landing.land_many`) on this machine's worker
processes and on each Dask scheduler of `--dask`; writes them to OUT/PDF.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

import pdfplumber
import pypdfium2
from run import time_landing  # bench/run.py, beside this script

from orchestration.config import SHARED_DIR
from orchestration.extract.engine import extract_file
from orchestration.extract.formats import ocr
from orchestration.synth.matching import f1
from orchestration.synth.render import scan_page, write_pdf

DEVSET = SHARED_DIR / "extraction" / "devset" / "docs"
HEADER = ["No", "交付金事業の名称", "指標", "事業開始前", "目標値", "単位", "実績値"]
KPIS = [("来訪者数（年間）", "千人"), ("移住者数", "人"), ("新規雇用者数", "人"), ("観光消費額", "百万円")]
PROSE = (
    "本市では、地方創生推進交付金を活用し、観光振興と移住定住の促進に取り組んできた。地域の関係者と"
    "連携しながら事業の効果を検証し、次年度以降の改善につなげていく。"
)


def rows(n: int, seed: int) -> list[list[str]]:
    return [
        [
            str(i),
            f"観光振興事業{seed}-{i}",
            KPIS[i % 4][0],
            f"{1000 + 37 * i + seed:,}",
            f"{2500 + 13 * i + seed:,}",
            KPIS[i % 4][1],
            f"{3141 + 7 * i:,}" if i % 5 else "集計中",
        ]
        for i in range(1, n + 1)
    ]


def table_report(path: Path, seed: int) -> None:
    write_pdf(path, ["令和3年度 地方創生推進交付金事業", [HEADER, *rows(380, seed)]])


def prose_report(path: Path, seed: int) -> None:
    blocks: list = []
    for chapter in range(1, 31):
        blocks.append(f"第{chapter}章 事業の実施状況と効果検証")
        blocks += [PROSE * 2] * 11
        if chapter % 7 == 3:
            blocks.append(f"移住相談の件数は目標 {100 + chapter} 件に対し実績 {90 + chapter} 件であった。")
        if chapter % 10 == 5:
            blocks += ["令和3年度 地方創生推進交付金事業", [HEADER, *rows(30, seed + chapter)]]
    write_pdf(path, blocks)


def plumber_seconds(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        pages = len(pdf.pages)
    return time.perf_counter() - start, pages


def ours_seconds(path: Path) -> float:
    start = time.perf_counter()
    result = extract_file(path)
    assert result.ok, result.error
    return time.perf_counter() - start


def bench_speed(kind: str, make, n: int, out: Path) -> list[str]:
    ours = theirs = pages = 0.0
    for seed in range(n):
        path = out / f"{kind}-{seed}.pdf"
        make(path, seed)
        extract_file(path)  # warm imports and caches once per file kind
        seconds, count = plumber_seconds(path)
        theirs, pages = theirs + seconds, pages + count
        ours += ours_seconds(path)
    return [kind, str(n), f"{pages:.0f}", f"{pages / ours:.1f}", f"{pages / theirs:.1f}", f"{ours / theirs:.2f}"]


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Tesseract runs as a child, one thread)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def scan_of(text_pdf: Path, scan_pdf: Path, seed: int) -> Path:
    """Every page of `text_pdf` scanned (200 dpi, skew, grain, dust, JPEG) into an image-only PDF."""
    pages = [scan_page(text_pdf, seed=seed, page=i).convert("L") for i in range(len(pypdfium2.PdfDocument(text_pdf)))]
    pages[0].save(scan_pdf, "PDF", resolution=200.0, save_all=True, append_images=pages[1:])
    return scan_pdf


def bench_ocr(kind: str, pairs: list[tuple[Path, Path]]) -> list[str]:
    """OCR of each scan, scored against the text layer it was scanned from: wall pages/s, pages
    per CPU-second (one core: a document's OCR runs one Tesseract at a time, one thread), F1."""
    wall = cpu = 0.0
    pages = 0
    scores = []
    for text_pdf, scan_pdf in pairs:
        start, start_cpu = time.perf_counter(), cpu_seconds()
        got = extract_file(scan_pdf)
        wall, cpu = wall + time.perf_counter() - start, cpu + cpu_seconds() - start_cpu
        pages += got.pages
        scores.append(f1(extract_file(text_pdf).observations, got.observations))
    return [
        kind,
        str(pages),
        f"{pages / wall:.3f}",
        f"{pages / cpu:.3f}",
        f"{cpu / pages:.2f}",
        f"{min(scores):.3f}",
        f"{sum(scores) / len(scores):.3f}",
    ]


def synthetic_scans(n: int, out: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for seed in range(n):
        text_pdf = out / f"scan-text-{seed}.pdf"
        write_pdf(text_pdf, ["令和3年度 地方創生推進交付金事業", [HEADER, *rows(20, seed)]])
        pairs.append((text_pdf, scan_of(text_pdf, out / f"scan-{seed}.pdf", seed)))
    return pairs


def devset_scans(out: Path) -> list[tuple[Path, Path]]:
    """The development set's PDF layouts (text layers) scanned: none where it is not at hand."""
    return [(pdf, scan_of(pdf, out / f"scan-{pdf.name}", 1)) for pdf in sorted(DEVSET.glob("*.pdf")) if _readable(pdf)]


def _readable(pdf: Path) -> bool:
    try:
        return bool(pypdfium2.PdfDocument(pdf)[0].get_textpage().count_chars())
    except pypdfium2.PdfiumError:  # the devset's damaged file
        return False


def bench_ocr_landing(scans: list[Path], schedulers: list[str], out: Path) -> list[list[str]]:
    """OCR pages/s of landing `scans` (each document under the per-document limits) on this
    machine's worker processes, then on each Dask scheduler (`run.time_landing`)."""
    raw = out / "ocr-raw"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir()
    for scan in scans:
        shutil.copy(scan, raw / scan.name)
    pages = sum(len(pypdfium2.PdfDocument(scan)) for scan in scans)
    return [
        [
            r.label,
            str(r.documents),
            str(pages),
            f"{r.seconds:.1f}",
            f"{pages / r.seconds:.3f}",
            str(r.failed),
            r.against_pool,
        ]
        for r in time_landing(raw, ["", *schedulers], out)
    ]


def table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in body])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=3, help="PDFs of each kind for the speed figures")
    ap.add_argument("--scans", type=int, default=3, help="scanned pages for the OCR figures")
    ap.add_argument("--out", type=Path, default=Path("bench/out"))
    ap.add_argument("--dask", default="local:2", help="Dask schedulers to land the scans on, comma-separated")
    a = ap.parse_args(argv)
    out = a.out / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    speed = [bench_speed("tables", table_report, a.reports, out), bench_speed("prose", prose_report, a.reports, out)]
    report = [
        "## PDF reading",
        "",
        table(
            [
                "kind",
                "files",
                "pages",
                "sosei pages/s",
                "pdfplumber extract_text pages/s",
                "ratio (sosei / pdfplumber time)",
            ],
            speed,
        ),
        "",
    ]
    if ocr.missing_package():
        report += ["## OCR", "", f"not measured: Debian package {ocr.missing_package()} is not installed"]
    else:
        synthetic = synthetic_scans(a.scans, out)
        groups = [bench_ocr("results table (synthetic)", synthetic)]
        if devset := devset_scans(out):
            groups.append(bench_ocr(f"devset PDF layouts ({len(devset)} files)", devset))
        scans = [scan for _, scan in synthetic + devset]
        landed = bench_ocr_landing(scans, [d for d in a.dask.split(",") if d], out)
        report += [
            f"## OCR ({ocr.engine_version()}; 200 dpi scans, skew 1.2°, grain, dust, JPEG 70)",
            "",
            table(["scans of", "pages", "pages/s", "pages/s per core", "CPU s/page", "F1 min", "F1 mean"], groups),
            "",
            "F1 against the text layer the scan was made from. Per core: pages per CPU-second of the",
            "process and its Tesseract children.",
            "",
            "### OCR through landing: the worker processes and Dask",
            "",
            table(["where", "documents", "pages", "seconds", "pages/s", "failed", "vs the pool"], landed),
            "",
            "The same scans landed by `land_many` (each document in a limited worker process; a",
            "LocalCluster's start counted), into a fresh warehouse each.",
        ]
    text = "\n".join(report) + "\n"
    (a.out / "PDF.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
