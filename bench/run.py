"""Benchmark sosei at national scale on a synthetic corpus, and say where the time goes.

    python bench/run.py [--sizes 100,1000,10000] [--out bench/out] [--seed 0] [--jobs 2]
    python bench/run.py --sizes 1000 --landing 1000 --dask local:2 --landing-only   # pool vs Dask
    python bench/run.py ... --landing-only --no-pool   # Dask alone, beside a pool-only run (--dask "")

One run: generates the corpus (orchestration.synth.generator); measures extraction throughput
per layout and format in a process pool, next to pdfplumber's own `extract_text` on the same
PDFs; scores the extraction against the generator's reference with
../shared/extraction/score.py; times `sosei build` at each size, then a no-change rebuild and a
one-document change at the largest; times typical BI queries on the published marts
(read-only); records peak memory. Prints the figures and writes them to OUT/REPORT.md. A stage
whose code is not there yet (no extraction engine, no build command) is reported as such.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.config import REPO_ROOT, SHARED_DIR
from orchestration.land.corrections import append_correction
from orchestration.land.registry import scan_raw
from orchestration.land.workers import collect_less  # extraction runs as in landing's workers
from orchestration.synth import generator

SCORE = SHARED_DIR / "extraction" / "score.py"
YEARS = 10  # a decade of fiscal years, as the national corpus has
PROSE_PAGES = (20, 40)  # pages of prose in each PDF of the prose corpus, as real reports have
QUERIES = {
    "headline achievement by year": """
        select fiscal_year, sum(n_kpis_met) / nullif(sum(n_kpis_with_result), 0) as share_met
        from {summary_kpi_achievement} group by fiscal_year order by fiscal_year""",
    "prefecture x year results": """
        select i.prefecture, r.fiscal_year, count(*) as n_results,
               avg(case when r.target_met then 1 else 0 end) as share_met
        from {fct_kpi_result} r join {dim_issuer} i using (issuer_code)
        group by all order by all""",
    "one issuer's KPI series": """
        select s.* from {kpi_series} s join {dim_kpi} k using (kpi_id)
        where k.issuer_code = (select min(issuer_code) from {dim_kpi})
        order by s.kpi_id, s.fiscal_year""",
    "top progress ratios": """
        select kpi_id, fiscal_year, progress_ratio from {fct_kpi_result}
        where progress_ratio is not null order by progress_ratio desc limit 50""",
    "observations by grant and measure": """
        select grant_program_id, measure, count(*) as n, count(value) as n_values
        from {fct_kpi_observation} group by all order by all""",
    "review queue size": "select count(*) from {review_queue}",
}


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)

    def add(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)

    def table(self, header: list[str], rows: list[list[object]]) -> None:
        self.add("| " + " | ".join(header) + " |")
        self.add("|" + "---|" * len(header))
        for row in rows:
            self.add("| " + " | ".join(fmt(v) for v in row) + " |")
        self.add()


def fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 10 else f"{v:,.1f}"
    return str(v)


def max_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


# ---- corpus ----------------------------------------------------------------------------------


def make_corpus(out: Path, largest: int, seed: int, jobs: int) -> tuple[Path, dict[str, str], list[str]]:
    """Generate `largest` documents; return the corpus dir, each document's layout, and the
    documents in corpus order (a prefix of it is a smaller corpus)."""
    issuers = math.ceil(largest / YEARS)
    corpus = out / "work" / f"corpus_s{seed}_{largest}"
    if not generator.reference_path(corpus).exists():
        generator.generate(corpus, issuers, YEARS, seed, docs_limit=largest, jobs=jobs)
    issuer_list = generator.load_issuers(generator.DEFAULT_CODES)
    plan = generator.plan_corpus(issuer_list, issuers, YEARS, seed, largest)
    by_key = {p.name.rsplit("_", 1)[0]: p.name for p in corpus.iterdir() if p.name != "manifest.csv"}
    order = [by_key[f"{i.code}_{fy}"] for i, fy, _ in plan]
    layouts = {by_key[f"{i.code}_{fy}"]: layout for i, fy, layout in plan}
    return corpus, layouts, order


def raw_dir(corpus: Path, docs: list[str], dest: Path) -> Path:
    """A raw directory of the first documents, hard-linked, with their manifest rows (and no
    reference answers, which are not a report)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    keep = set(docs)
    for name in docs:
        os.link(corpus / name, dest / name)
    with open(corpus / "manifest.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        manifest = [r for r in reader if r["file"] in keep]
    generator.write_csv(dest / "manifest.csv", generator.MANIFEST_FIELDS, manifest)
    return dest


# ---- extraction ------------------------------------------------------------------------------


def _extract(path: str) -> tuple[str, int, list[dict], str | None, float]:
    """One document's extraction in a worker, with the CPU seconds the worker spent on it."""
    from orchestration.extract.engine import extract_file

    start = time.process_time()
    result = extract_file(path)
    cpu = time.process_time() - start
    return Path(path).name, result.pages, [o.contract_row() for o in result.observations], result.error, cpu


def per_cpu_second(megabytes: float, results: list) -> float:
    """MB per CPU second of the workers: what one core extracts when nothing else runs on it
    (wall-clock MB/s per core also counts the pool's round trips and a shared machine's load)."""
    return megabytes / max(sum(r[4] for r in results), 1e-9)


def _load(path: str) -> int:
    from orchestration.extract.formats import load_document

    return load_document(path).pages


def _plumb(path: str) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def importable(module: str) -> str | None:
    """None when `module` imports, else why not."""
    try:
        __import__(module)
    except ImportError as e:
        return str(e)
    return None


def timed_map(pool: ProcessPoolExecutor, fn, paths: list[str]) -> tuple[float, list]:
    start = time.perf_counter()
    results = list(pool.map(fn, paths))
    return time.perf_counter() - start, results


def bench_extraction(report: Report, corpus: Path, layouts: dict[str, str], sample: int, jobs: int, work: Path) -> None:
    """Per layout and format: reading the file into a Document (formats), the whole extraction
    (engine), and for PDFs pdfplumber's bare extract_text, each over the same sample."""
    report.add("## Extraction throughput and accuracy")
    no_loader = importable("orchestration.extract.formats")
    no_engine = importable("orchestration.extract.engine")
    if no_loader and no_engine:
        report.add(f"Not measured: the extraction code is not importable yet ({no_engine}).")
        report.add()
        return
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in sorted(layouts):
        key = (layouts[name], Path(name).suffix.lstrip("."))
        if len(groups[key]) < sample:
            groups[key].append(name)
    rows, predicted, errors = [], [], []
    with ProcessPoolExecutor(jobs, initializer=collect_less) as pool:
        # start the workers and load what they use (imports, the PDF font's CMaps) once, so
        # the first group measured is not charged for it
        list(pool.map(importable, ["orchestration.extract.formats", "orchestration.extract.engine"] * jobs))
        pdfs = sorted(n for n in layouts if n.endswith(".pdf"))[:jobs]
        list(pool.map(_plumb, [str(corpus / n) for n in pdfs]))
        for (layout, ext), names in sorted(groups.items()):
            paths = [str(corpus / n) for n in names]
            megabytes = sum(os.path.getsize(p) for p in paths) / 1e6
            row: list[object] = [layout, ext, len(paths), megabytes, "", "", "", "", "", "", "", ""]
            if not no_loader:
                seconds, pages = timed_map(pool, _load, paths)
                row[4] = len(paths) / seconds
                load_seconds = seconds
            if not no_engine:
                seconds, results = timed_map(pool, _extract, paths)
                row[5], row[6], row[7] = len(paths) / seconds, megabytes / seconds, megabytes / seconds / jobs
                row[8] = per_cpu_second(megabytes, results)
                pages = [r[1] for r in results]
                for name, _, obs, error, _cpu in results:
                    predicted.extend(obs)
                    if error:
                        errors.append(f"{name}: {error}")
            else:
                seconds = load_seconds
            if ext == "pdf":
                floor_seconds, _ = timed_map(pool, _plumb, paths)
                row[9:] = [sum(pages) / seconds, sum(pages) / floor_seconds, seconds / floor_seconds]
            rows.append(row)
    report.add(
        f"A sample of up to {sample} documents per layout and format, {jobs} worker processes. "
        "`load` reads the file into a Document (formats only); `extract` is the whole "
        "`extract_file`; per core is the MB/s over the worker processes; MB per CPU-s divides by "
        "the CPU seconds the workers spent in `extract_file`. For PDFs, pages/s is "
        "compared with pdfplumber's bare "
        f"`page.extract_text()` on the same files (overhead = our time / its time"
        f"{', of load only: no engine yet' if no_engine else ''})."
    )
    report.add()
    report.table(
        [
            "layout",
            "format",
            "docs",
            "MB",
            "load docs/s",
            "extract docs/s",
            "extract MB/s",
            "MB/s per core",
            "MB per CPU-s",
            "pages/s",
            "pdfplumber pages/s",
            "overhead x",
        ],
        rows,
    )
    if no_engine:
        report.add(f"Accuracy not measured: the extraction engine is not importable yet ({no_engine}).")
        report.add()
        return
    if errors:
        report.add(f"{len(errors)} documents came back with an error, e.g. `{errors[0]}`")
        report.add()
    pred_path = work / "predicted.csv"
    generator.write_csv(pred_path, generator.REFERENCE_FIELDS, predicted)
    scored = sorted({n for names in groups.values() for n in names})
    report.add("Accuracy against the generator's reference (score.py):")
    report.add()
    score_rows = [["all", *score(generator.reference_path(corpus), pred_path, scored)]]
    for layout in generator.LAYOUTS:
        docs = [n for n in scored if layouts[n] == layout]
        score_rows.append([layout, *score(generator.reference_path(corpus), pred_path, docs)])
    report.table(["layout", "F1", "precision", "recall"], score_rows)


TEXT_FORMATS = ("txt", "csv", "html")


def make_large_corpus(corpus: Path, docs: int, scale: int, seed: int) -> dict[str, str]:
    """`docs` text, CSV and HTML reports with `scale` times the usual projects (the plan layout,
    one project by design, left out), their manifest and reference; returns each one's layout."""
    layouts: dict[str, str] = {}
    if (corpus / "layouts.csv").exists():
        with open(corpus / "layouts.csv", encoding="utf-8", newline="") as f:
            return {r["file"]: r["layout"] for r in csv.DictReader(f)}
    corpus.mkdir(parents=True, exist_ok=True)
    issuers = generator.load_issuers(generator.DEFAULT_CODES)
    manifest, reference = [], []
    for issuer, fy, layout in generator.plan_corpus(issuers, len(issuers), YEARS, seed, None):
        report = generator.build_report(seed, issuer, fy, layout, scale)
        if layout == "plan" or report.fmt not in TEXT_FORMATS:
            continue
        generator.write_report(report, corpus)
        layouts[report.file] = layout
        manifest.append(report.manifest_row())
        reference.extend(o.row(report.file) for o in report.observations)
        if len(layouts) == docs:
            break
    generator.write_csv(corpus / "manifest.csv", generator.MANIFEST_FIELDS, manifest)
    generator.write_csv(generator.reference_path(corpus), generator.REFERENCE_FIELDS, reference)
    generator.write_csv(
        corpus / "layouts.csv", ["file", "layout"], ({"file": k, "layout": v} for k, v in layouts.items())
    )
    return layouts


def bench_large_text(report: Report, out: Path, docs: int, scale: int, seed: int, jobs: int, work: Path) -> None:
    """Text and CSV reports of realistic size (a prefecture's: tens to hundreds of KB), where the
    per-byte cost shows rather than the per-document one: MB/s per core, docs/s, accuracy."""
    report.add("## Large text, CSV and HTML reports")
    corpus = out / "work" / f"corpus_large_s{seed}_{docs}x{scale}"
    layouts = make_large_corpus(corpus, docs, scale, seed)
    rows, predicted = [], []
    with ProcessPoolExecutor(jobs, initializer=collect_less) as pool:
        list(pool.map(importable, ["orchestration.extract.engine"] * jobs))
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for name, layout in sorted(layouts.items()):
            groups[(layout, Path(name).suffix.lstrip("."))].append(str(corpus / name))
        for (layout, ext), paths in sorted(groups.items()):
            megabytes = sum(os.path.getsize(p) for p in paths) / 1e6
            seconds, results = timed_map(pool, _extract, paths)
            predicted.extend(o for r in results for o in r[2])
            rows.append(
                [
                    layout,
                    ext,
                    len(paths),
                    megabytes,
                    len(paths) / seconds,
                    megabytes / seconds / jobs,
                    per_cpu_second(megabytes, results),
                ]
            )
    pred_path = work / "predicted_large.csv"
    generator.write_csv(pred_path, generator.REFERENCE_FIELDS, predicted)
    f1 = score(generator.reference_path(corpus), pred_path, sorted(layouts))
    report.add(
        f"{len(layouts)} reports with {scale}x the usual projects, {jobs} worker processes; "
        f"MB/s per core is the MB/s over the worker processes; MB per CPU-s divides by the CPU "
        f"seconds the workers spent in `extract_file`. F1 {fmt(f1[0])}, precision "
        f"{fmt(f1[1])}, recall {fmt(f1[2])}."
    )
    report.add()
    report.table(["layout", "format", "docs", "MB", "extract docs/s", "MB/s per core", "MB per CPU-s"], rows)


def bench_prose_pdfs(report: Report, out: Path, docs: int, seed: int, jobs: int, work: Path) -> None:
    """PDF reports of 20–40 pages with tables on a few: the whole extraction against pdfplumber's
    bare `extract_text` of every page, and accuracy against the generator's reference."""
    report.add("## PDF reports with prose pages around their tables")
    corpus = out / "work" / f"corpus_prose_s{seed}_{docs}"
    if not generator.reference_path(corpus).exists():
        generator.generate(
            corpus, math.ceil(docs / YEARS), YEARS, seed, docs_limit=docs, jobs=jobs, prose_pages=PROSE_PAGES
        )
    paths = sorted(str(p) for p in corpus.glob("*.pdf"))
    with ProcessPoolExecutor(jobs, initializer=collect_less) as pool:
        list(pool.map(importable, ["orchestration.extract.engine"] * jobs))
        list(pool.map(_plumb, paths[:jobs]))  # warm: imports and the font's CMaps
        seconds, results = timed_map(pool, _extract, paths)
        floor_seconds, pages = timed_map(pool, _plumb, paths)
    predicted = work / "predicted_prose.csv"
    generator.write_csv(predicted, generator.REFERENCE_FIELDS, (o for r in results for o in r[2]))
    f1 = score(generator.reference_path(corpus), predicted, [Path(p).name for p in paths])
    report.add(
        f"{len(paths)} PDFs of the {docs}-document corpus generated with `--prose-pages "
        f"{PROSE_PAGES[0]}-{PROSE_PAGES[1]}` ({sum(pages)} pages), {jobs} worker processes."
    )
    report.add()
    report.table(
        ["extract pages/s", "pdfplumber extract_text pages/s", "ours / pdfplumber", "F1", "precision", "recall"],
        [[sum(pages) / seconds, sum(pages) / floor_seconds, seconds / floor_seconds, *f1]],
    )


def score(reference: Path, predicted: Path, docs: list[str]) -> list[object]:
    cmd = [sys.executable, str(SCORE), str(reference), str(predicted), "--docs", ",".join(docs)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()[-200:]
    m = re.match(r"F1 (\S+) precision (\S+) recall (\S+)", last)
    return [float(x) for x in m.groups()] if m else [f"score.py failed: {last}", "", ""]


# ---- build -----------------------------------------------------------------------------------


@dataclass
class BuildRun:
    seconds: float
    ok: bool
    peak_mb: float
    note: str = ""
    timed_out: bool = False
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage `sosei build` printed

    def row(self, label: str, docs: int) -> list[object]:
        timed = [self.stages.get(stage, "") for stage in STAGES]
        rest = self.seconds - sum(self.stages.values())
        return [
            label,
            docs,
            self.seconds,
            1000 * self.seconds / docs,
            *timed,
            rest,
            self.peak_mb,
            "ok" if self.ok else self.note,
        ]


# What `sosei build` prints about its phases; a phase it does not report stays blank.
STAGES = ("land", "load raw", "dbt build", "gate", "publish")
STAGE_TIME = re.compile(r"^(land|load raw|dbt build|gate|publish): .*\(([\d.]+) s\)$", re.M)


# `sosei build` as the extraction at another version would run it: every document re-lands.
_AT_VERSION = (
    "import sys; from orchestration.land import extraction_version as v; v.EXTRACTION_VERSION = sys.argv.pop(1); "
    "from orchestration.cli import main; sys.exit(main(sys.argv[1:]))"
)


def sosei_build(raw: Path, warehouse: Path, timeout: float, log: Path, version: str | None = None) -> BuildRun:
    """`sosei build` in a child process, timed, with the child's peak memory (wait4); with
    `version`, as if the extraction's code were at that version."""
    args = ["build", "--raw", str(raw), "--warehouse", str(warehouse)]
    cmd = [sys.executable, *(["-c", _AT_VERSION, version] if version else ["-m", "orchestration.cli"]), *args]
    env = {
        **os.environ,
        "SOSEI_RAW_DIR": str(raw),
        "SOSEI_WAREHOUSE_DIR": str(warehouse),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    start = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, 9)
                _, status, usage = os.wait4(proc.pid, 0)
                return BuildRun(
                    time.perf_counter() - start,
                    False,
                    usage.ru_maxrss / 1024,
                    f"stopped after {timeout:.0f} s",
                    timed_out=True,
                )
            time.sleep(0.05)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    note = "" if code == 0 else f"exit {code}: {tail(log)}"
    stages: dict[str, float] = defaultdict(float)
    for stage, stage_seconds in STAGE_TIME.findall(log.read_text(errors="replace")):
        stages[stage] += float(stage_seconds)
    return BuildRun(seconds, code == 0, usage.ru_maxrss / 1024, note, stages=dict(stages))


def tail(log: Path) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    return " / ".join(lines[-2:])[-300:]


def build_available() -> str | None:
    probe = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "build", "--help"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    return None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ["no output"])[-1]


def bench_build(
    report: Report, corpus: Path, order: list[str], sizes: list[int], work: Path, timeout: float
) -> Path | None:
    """Build at each size; rebuild the largest that ran through (published or refused by the
    gate) unchanged, after one document changed and after the extraction version changed.
    Return the largest published warehouse."""
    report.add("## End-to-end build (`sosei build`: land, dbt, gate, publish)")
    missing = build_available()
    if missing:
        report.add(f"Not measured: `sosei build` is not available yet ({missing}).")
        report.add()
        return None
    rows, fresh = [], []
    published = finished = None
    for n in sizes:
        raw = raw_dir(corpus, order[:n], work / f"raw_{n}")
        warehouse = work / f"warehouse_{n}"
        shutil.rmtree(warehouse, ignore_errors=True)
        run = sosei_build(raw, warehouse, timeout, work / f"build_{n}.log")
        rows.append(run.row(f"fresh build, {n} docs", n))
        if run.timed_out:
            break
        # a build that ran through but was refused by the gate still timed every phase
        finished = (raw, warehouse, n)
        fresh.append((n, run.seconds))
        if run.ok:
            published = warehouse
    if finished:
        raw, warehouse, n = finished
        run = sosei_build(raw, warehouse, timeout, work / "rebuild_same.log")
        rows.append(run.row("no-change rebuild", n))
        rows.append(correction_run(raw, warehouse, timeout, work).row("one correction appended (no landing)", n))
        changed = change_one_document(raw)
        run = sosei_build(raw, warehouse, timeout, work / "rebuild_one.log")
        rows.append(run.row(f"one document changed ({changed})", n))
        run = sosei_build(raw, warehouse, timeout, work / "rebuild_version.log", version="bench-next-extraction")
        rows.append(run.row("extraction version changed (every document re-lands)", n))
    report.table(
        [
            "run",
            "docs",
            "seconds",
            "ms/doc",
            *(f"{s} s" for s in STAGES),
            "rest s (start-up, plan)",
            "peak RSS MB",
            "result",
        ],
        rows,
    )
    if len(fresh) >= 2:
        (n0, t0), (n1, t1) = fresh[-2], fresh[-1]
        slope = (t1 - t0) / (n1 - n0)
        report.add(
            f"Growth: {1000 * slope:.0f} ms per added document between {n0} and {n1} documents, "
            f"on a fixed cost of about {t0 - slope * n0:.0f} s. Projection, not a measurement: at "
            f"that rate 10,000 documents would take {(t0 + slope * (10_000 - n0)) / 60:.0f} min and "
            f"the national corpus (18,000) {(t0 + slope * (18_000 - n0)) / 60:.0f} min."
        )
        report.add()
    return published


def append_one_correction(raw: Path, warehouse: Path) -> tuple[str, float]:
    """Append to raw/corrections.csv, as the dashboard's form does (`append_correction`), a
    set_value on the first published extracted number; return its observation id and new value."""
    with duckdb.connect(str(warehouse / "published" / "sosei.duckdb"), read_only=True) as con:
        row = con.execute(
            """select o.observation_id, d.sha256, o.doc_id, o.page::varchar, o.line::varchar, o.cell,
                   o.extracted_project_name, o.extracted_kpi_name, o.extracted_measure,
                   coalesce(o.extracted_fiscal_year, d.fiscal_year)::varchar, o.value
            from marts.fct_kpi_observation o join marts.dim_document d using (doc_id)
            where o.origin = 'extracted' and o.value is not null and o.correction_actions is null
            order by o.observation_id limit 1"""
        ).fetchone()
    keys = ("sha256", "file", "page", "line", "cell", "project_name", "kpi_name", "measure", "fiscal_year")
    new_value = row[-1] + 1
    line = dict(zip(keys, row[1:-1], strict=True))
    append_correction(
        raw / "corrections.csv",
        {**line, "action": "set_value", "value": f"{new_value:g}", "author": "bench", "corrected_on": "2026-12-07",
         "reason": "benchmark: correction-to-publication time"},
    )  # fmt: skip
    return row[0], new_value


def correction_run(raw: Path, warehouse: Path, timeout: float, work: Path) -> BuildRun:
    """Correction to publication: one line appended to raw/corrections.csv, then `sosei build`
    until the corrected value is published (checked in the published warehouse)."""
    observation_id, new_value = append_one_correction(raw, warehouse)
    run = sosei_build(raw, warehouse, timeout, work / "rebuild_correction.log")
    with duckdb.connect(str(warehouse / "published" / "sosei.duckdb"), read_only=True) as con:
        published = con.execute(
            "select value from marts.fct_kpi_observation where observation_id = ?", [observation_id]
        ).fetchone()
    if run.ok and (published is None or published[0] != new_value):
        run.ok, run.note = False, f"{observation_id}: {published} published, not {new_value}"
    return run


def bench_correction_only(out: Path, raw: Path, warehouse: Path, timeout: float) -> None:
    """`--correction-only`: one correction appended and published, on a warehouse already built."""
    report = Report()
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    docs = len(scan_raw(raw))  # the reports, as a build counts them (not the corrections' lock file)
    report.add(f"# Correction to publication\n\n`{raw}` ({docs} documents) into `{warehouse}`.\n")
    run = correction_run(raw, warehouse, timeout, work)
    report.table(["run", "docs", "seconds", "ms/doc", *(f"{s} s" for s in STAGES), "rest s", "peak RSS MB", "result"],
                 [run.row("one correction appended (no landing)", docs)])  # fmt: skip
    (out / "CORRECTION.md").write_text("\n".join(report.lines) + "\n", encoding="utf-8")


def change_one_document(raw: Path) -> str:
    """Change one report's bytes in place (a new sha256, same doc_id): a note line in a text
    or HTML report, else a trailing newline, which CSV and PDF readers ignore. The hard link is
    broken first so the corpus itself stays as generated."""
    preference = {".txt": 0, ".html": 1, ".csv": 2, ".pdf": 3}
    name = min(
        (p.name for p in raw.iterdir() if p.suffix in preference and p.name != "manifest.csv"),
        key=lambda n: (preference[Path(n).suffix], n),
    )
    path = raw / name
    data = path.read_bytes()
    note = "\n※ 数値の一部を修正した。\n".encode() if path.suffix in (".txt", ".html") else b"\n"
    path.unlink()
    path.write_bytes(data + note)
    return name


# ---- queries ---------------------------------------------------------------------------------


def bench_queries(report: Report, warehouse: Path | None, repeats: int) -> None:
    report.add("## BI query latency on the published marts (read-only DuckDB)")
    db = warehouse / "published" / "sosei.duckdb" if warehouse else None
    if db is None or not db.exists():
        report.add("Not measured: no published warehouse.")
        report.add()
        return
    con = duckdb.connect(str(db), read_only=True)
    tables = {
        name: f'"{schema}"."{name}"'
        for schema, name in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
    }
    rows = []
    for label, sql in QUERIES.items():
        try:
            query = sql.format(**tables)
            n = len(con.execute(query).fetchall())
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                con.execute(query).fetchall()
                times.append(1000 * (time.perf_counter() - start))
            times.sort()
            p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
            rows.append([label, n, statistics.median(times), p95])
        except (KeyError, duckdb.Error) as e:
            rows.append([label, "", "", f"failed: {str(e).splitlines()[0][:120]}"])
    con.close()
    report.add(f"{repeats} runs of each after one warm-up; published file {db.stat().st_size / 1e6:.1f} MB.")
    report.add()
    report.table(["query", "rows", "median ms", "p95 ms"], rows)


# ---- main ------------------------------------------------------------------------------------


@dataclass
class Landed:
    label: str
    documents: int
    seconds: float
    failed: int
    against_pool: str  # "+12 %" for a Dask scheduler run after the pool, else ""


def time_landing(raw: Path, where: list[str], work: Path) -> Iterator[Landed]:
    """Land raw/'s documents (`land_many`, no Dagster) on each of `where` in turn ("": this
    machine's worker processes; else a Dask scheduler, a LocalCluster's start counted), each into
    a fresh warehouse under `work`, timed."""
    from orchestration.config import Settings
    from orchestration.land.store import land_many

    entries = list(scan_raw(raw).values())
    pool_seconds = None
    for scheduler in where:
        warehouse = work / "landing_wh"
        shutil.rmtree(warehouse, ignore_errors=True)
        settings = Settings(root=work, raw_dir=raw, warehouse_dir=warehouse, dask_scheduler=scheduler)
        start = time.perf_counter()
        failed = sum(error is not None for _, _, error in land_many(entries, settings))
        seconds = time.perf_counter() - start
        if not scheduler:
            pool_seconds = seconds
        label = f"Dask `{scheduler}`" if scheduler else f"process pool ({os.cpu_count()} workers)"
        vs = f"{(seconds / pool_seconds - 1) * 100:+.0f} %" if scheduler and pool_seconds else ""
        print(f"landing on {label}: {seconds:.1f} s, {len(entries) / seconds:.1f} documents/s", file=sys.stderr)
        yield Landed(label, len(entries), seconds, failed, vs)


def bench_landing(report: Report, corpus: Path, order: list[str], n: int, where: list[str], work: Path) -> None:
    """Documents per second of landing alone on the first `n` documents (`time_landing`)."""
    raw = raw_dir(corpus, order[:n], work / f"landing_raw_{n}")
    report.add(f"## Landing throughput ({min(n, len(order))} documents, `land_many`, no Dagster)")
    report.add()
    report.add("| where | seconds | documents/s | failed | vs the pool |")
    report.add("|---|---:|---:|---:|---:|")
    for run in time_landing(raw, where, work):
        rate = run.documents / run.seconds
        report.add(f"| {run.label} | {run.seconds:.1f} | {rate:.1f} | {run.failed} | {run.against_pool} |")
    report.add()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="corpus sizes to build, in documents")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    # 100: a small document costs about 1 ms, so a group of 30 could be halved by one collection
    ap.add_argument("--sample", type=int, default=100, help="documents per layout and format for throughput")
    ap.add_argument("--repeats", type=int, default=20, help="runs of each query")
    ap.add_argument("--build-timeout", type=float, default=1800, help="seconds before a build is stopped")
    ap.add_argument("--skip-build", action="store_true", help="extraction only")
    ap.add_argument(
        "--prose-pdfs",
        type=int,
        default=40,
        help="documents in the corpus whose PDFs have prose pages around their tables (0: none)",
    )
    ap.add_argument("--large-docs", type=int, default=24, help="text, CSV and HTML reports of realistic size (0: none)")
    ap.add_argument("--large-scale", type=int, default=30, help="projects of a large report, times the usual")
    ap.add_argument("--landing", type=int, default=0, help="documents for the landing throughput (0: none)")
    ap.add_argument("--dask", default="local:2", help="Dask schedulers to compare landing with, comma-separated")
    ap.add_argument("--landing-only", action="store_true", help="the landing throughput alone")
    ap.add_argument(
        "--correction-only",
        nargs=2,
        type=Path,
        metavar=("RAW", "WAREHOUSE"),
        help="the correction-to-publication time alone, on a raw/ and a published warehouse already built",
    )
    ap.add_argument("--no-pool", action="store_true", help="landing on Dask only (the pool measured by another run)")
    a = ap.parse_args(argv)
    if a.correction_only:
        bench_correction_only(a.out, *a.correction_only, a.build_timeout)
        return
    sizes = sorted(int(s) for s in a.sizes.split(","))
    work = a.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    report = Report()
    report.add("# sosei benchmark")
    report.add()
    report.add(
        f"`{' '.join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])])}` "
        f"on {os.cpu_count()} cores, Python {sys.version.split()[0]}."
    )
    report.add()
    start = time.perf_counter()
    corpus, layouts, order = make_corpus(a.out, sizes[-1], a.seed, a.jobs)
    size_mb = sum((corpus / n).stat().st_size for n in order) / 1e6
    report.add(
        f"Corpus: {len(order)} documents ({size_mb:.1f} MB), {YEARS} fiscal years, seed {a.seed}, "
        f"written or reused in {time.perf_counter() - start:.1f} s at `{corpus}`."
    )
    mix = defaultdict(int)
    for name in order:
        mix[(layouts[name], Path(name).suffix.lstrip("."))] += 1
    report.add("Mix: " + ", ".join(f"{lay}/{ext} {n}" for (lay, ext), n in sorted(mix.items())) + ".")
    report.add()
    if a.landing:
        where = ([] if a.no_pool else [""]) + [d for d in a.dask.split(",") if d]
        bench_landing(report, corpus, order, a.landing, where, work)
    if a.landing_only:
        (a.out / "REPORT.md").write_text("\n".join(report.lines) + "\n", encoding="utf-8")
        return
    bench_extraction(report, corpus, layouts, a.sample, a.jobs, work)
    if a.large_docs:
        bench_large_text(report, a.out, a.large_docs, a.large_scale, a.seed, a.jobs, work)
    if a.prose_pdfs:
        bench_prose_pdfs(report, a.out, a.prose_pdfs, a.seed, a.jobs, work)
    warehouse = None if a.skip_build else bench_build(report, corpus, order, sizes, work, a.build_timeout)
    bench_queries(report, warehouse, a.repeats)
    report.add("## Peak memory")
    report.add(
        f"This process {max_rss_mb(resource.RUSAGE_SELF):.0f} MB; largest child (extraction worker "
        f"or build) {max_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB."
    )
    report.add(f"Total benchmark wall time {time.perf_counter() - start:.1f} s.")
    (a.out / "REPORT.md").write_text("\n".join(report.lines) + "\n", encoding="utf-8")
    print(f"report: {a.out / 'REPORT.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
