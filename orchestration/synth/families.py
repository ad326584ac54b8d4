"""Synthetic reports in the table families beyond the seeds, with their reference observations.

    python -m orchestration.synth.families --issuers N --years Y --seed S --out DIR

The families of the extraction contract's later sections: flat exports with a per-row 年度
column (several years in one file), tidy long exports (区分 / 数値, with derived 達成率 rows),
spreadsheets with a merged title and a two-row merged header (数値 over 当初値 / 目標値 / 実績値,
each with its year), transposed tables (KPIs as columns) under project headings, and value
cells that print the KPI's name with its number. They reuse the seed generator's vocabularies,
numbers and writers (`orchestration.synth.generator`), which stays as it is: this module is its
own corpus, for regression and scale tests of these families.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Callable
from pathlib import Path

from orchestration.synth import generator as g
from orchestration.synth.render import Grid, Merge

FORMATS: dict[str, dict[str, int]] = {
    "flat": {"csv": 50, "xlsx": 30, "txt": 20},
    "tidy": {"csv": 60, "xlsx": 40},
    "two_row": {"xlsx": 60, "pdf": 25, "html": 15},
    "transposed": {"xlsx": 30, "pdf": 30, "txt": 20, "html": 20},
    "named": {"txt": 30, "xlsx": 30, "pdf": 25, "csv": 15},
}
Builder = Callable[[random.Random, g.Report], None]


def _observe(
    report: g.Report, grant: str, project: str, kpi: g.Kpi, measure: str, fy: int | None, value, status: str = ""
) -> None:
    report.observations.append(g.ReferenceObservation(grant, project, kpi.name, measure, fy, value, kpi.unit, status))


def _actual_cell(rng: random.Random, report: g.Report, grant: str, project: str, kpi: g.Kpi, fy: int) -> str:
    """The actual as printed (a number or a status), and its reference observation."""
    if kpi.status or kpi.actual is None:
        status = kpi.status or "集計中"
        _observe(report, grant, project, kpi, "actual", fy, None, status)
        return status
    _observe(report, grant, project, kpi, "actual", fy, kpi.actual)
    return g.printed(kpi.actual, rng, noisy=True)


def _projects(rng: random.Random, report: g.Report, count: int) -> list[tuple[str, list[g.Kpi]]]:
    used_projects: set[str] = set()
    used_kpis: set[str] = set()
    return [
        (g.project_name(rng, report.issuer, used_projects), g.draw_kpis(rng, rng.randint(1, 3), used_kpis))
        for _ in range(count)
    ]


def flat_report(rng: random.Random, report: g.Report) -> None:
    """One row per KPI and year, the year in a column of its own; the baseline on every row."""
    fy = report.fiscal_year
    years = [y for y in range(fy - 2, fy + 1) if y >= g.FIRST_FISCAL_YEAR]
    style = rng.choice(["kanji", "abbrev", "western", "bare"])
    header = [
        rng.choice(["年度", "実施年度"]),
        "交付金名称",
        rng.choice(["事業名", "事業の名称"]),
        rng.choice(["KPI", "指標名", "成果指標"]),
        "単位",
        rng.choice(["基準値", "当初値"]),
        rng.choice(["目標値", "目標"]),
        rng.choice(["実績値", "実績"]),
    ]
    rows = [header]
    for project, kpis in _projects(rng, report, rng.randint(2, 4)):
        grant = rng.choice(g.grants_for(fy))
        for kpi in kpis:
            _observe(report, grant, project, kpi, "baseline", None, kpi.baseline)
            for y in years:
                kpi_y = g.draw_kpi(rng, kpi.name, kpi.unit) if y != fy else kpi
                _observe(report, grant, project, kpi, "target", y, kpi_y.target)
                actual = _actual_cell(rng, report, grant, project, kpi_y, y)
                label = str(y) if style == "bare" else g.era_year(y, style)
                rows.append(
                    [
                        label,
                        grant,
                        project,
                        kpi.name,
                        kpi.unit,
                        g.printed(kpi.baseline, rng, False),
                        g.printed(kpi_y.target, rng, True),
                        actual,
                    ]
                )
    report.title = f"地方創生関係交付金 KPI実績一覧（{report.issuer.name}）"
    report.blocks += [rows, "※実績値は各年度末時点。"]


def tidy_report(rng: random.Random, report: g.Report) -> None:
    """One row per number: 区分 names the measure, 数値 holds it, each in its own row's year (a
    baseline in the year it was measured); 達成率 rows are derived."""
    fy = report.fiscal_year
    grant = rng.choice(g.grants_for(fy))
    rows = [["年度", "事業名", "指標名", "区分", "数値", "単位"]]
    style = rng.choice(["kanji", "abbrev", "western"])
    label, base_label = g.era_year(fy, style), g.era_year(fy - 2, style)
    for project, kpis in _projects(rng, report, rng.randint(2, 3)):
        for kpi in kpis:
            _observe(report, grant, project, kpi, "baseline", fy - 2, kpi.baseline)
            _observe(report, grant, project, kpi, "target", fy, kpi.target)
            actual = _actual_cell(rng, report, grant, project, kpi, fy)
            rows += [
                [base_label, project, kpi.name, "基準値", g.printed(kpi.baseline, rng, False), kpi.unit],
                [label, project, kpi.name, "目標値", g.printed(kpi.target, rng, True), kpi.unit],
                [label, project, kpi.name, "実績値", actual, kpi.unit],
                [label, project, kpi.name, "達成率", f"{rng.randint(40, 160)}%", ""],
            ]
    report.title = f"{g.era_year(fy, 'kanji')} {grant} KPI実績データ"
    report.blocks += [report.title, rows]


def two_row_report(rng: random.Random, report: g.Report) -> None:
    """A merged title row, 数値 spanning 当初値 / 目標値 / 実績値 with their years, projects merged
    down over their KPI rows, a 達成率 column."""
    fy = report.fiscal_year
    grant = rng.choice(g.grants_for(fy))
    report.title = f"{g.era_year(fy, 'kanji')} {grant}事業 ＫＰＩ実績一覧（{report.issuer.name}）"
    prior, now = g.era_year(fy - 1, "abbrev"), g.era_year(fy, "abbrev")
    rows = [
        [report.title, *[""] * 6],
        ["事業名", "ＫＰＩ", "数値", "", "", "単位", "達成率"],
        ["", "", f"当初値\n（{prior}）", f"目標値\n（{now}）", f"実績値\n（{now}）", "", ""],
    ]
    merges = [
        Merge(0, 0, cols=7),
        Merge(1, 0, rows=2),
        Merge(1, 1, rows=2),
        Merge(1, 2, cols=3),
        Merge(1, 5, rows=2),
        Merge(1, 6, rows=2),
    ]
    for project, kpis in _projects(rng, report, rng.randint(2, 4)):
        if len(kpis) > 1:
            merges.append(Merge(len(rows), 0, rows=len(kpis)))
        for i, kpi in enumerate(kpis):
            _observe(report, grant, project, kpi, "baseline", fy - 1, kpi.baseline)
            _observe(report, grant, project, kpi, "target", fy, kpi.target)
            actual = _actual_cell(rng, report, grant, project, kpi, fy)
            rows.append(
                [
                    project if i == 0 else "",
                    kpi.name,
                    g.printed(kpi.baseline, rng, False),
                    g.printed(kpi.target, rng, False),
                    actual,
                    kpi.unit,
                    f"{rng.randint(40, 160)}.0%",
                ]
            )
    report.blocks += [Grid(rows, merges=merges, header_rows=3), "※達成率＝（実績値－当初値）／（目標値－当初値）"]


def transposed_report(rng: random.Random, report: g.Report) -> None:
    """Per project, under its heading: KPIs as columns, measures (with their years) as rows."""
    fy = report.fiscal_year
    grant = rng.choice(g.grants_for(fy))
    report.title = f"{g.era_year(fy, 'kanji')} {grant} 効果検証シート"
    report.blocks.append(report.title)
    style = rng.choice(["kanji", "abbrev"])
    for n, (project, kpis) in enumerate(_projects(rng, report, rng.randint(1, 3)), start=1):
        heading = f"（{n}）{project}" if project.endswith(("事業", "プロジェクト")) else f"■事業名：{project}"
        report.blocks.append(heading)
        rows = [
            ["区分", *(k.name for k in kpis)],
            [f"基準値（{g.era_year(fy - 1, style)}）"],
            [f"目標値（{g.era_year(fy, style)}）"],
            [f"実績値（{g.era_year(fy, style)}）"],
            ["達成率"],
            ["単位"],
        ]
        for kpi in kpis:
            _observe(report, grant, project, kpi, "baseline", fy - 1, kpi.baseline)
            _observe(report, grant, project, kpi, "target", fy, kpi.target)
            rows[1].append(g.printed(kpi.baseline, rng, False))
            rows[2].append(g.printed(kpi.target, rng, True))
            rows[3].append(_actual_cell(rng, report, grant, project, kpi, fy))
            rows[4].append(f"{rng.randint(40, 160)}%")
            rows[5].append(kpi.unit)
        report.blocks.append(rows)


def named_report(rng: random.Random, report: g.Report) -> None:
    """Value cells that print the KPI's name with the number: `<KPI> 1,200人`."""
    fy = report.fiscal_year
    grant = rng.choice(g.grants_for(fy))
    report.title = f"{g.era_year(fy, 'kanji')} {grant}事業の実績"
    year = g.era_year(fy, rng.choice(["kanji", "abbrev"]))
    rows = [["事業名", f"目標（{year}）", f"実績（{year}）"]]
    for project, kpis in _projects(rng, report, rng.randint(2, 4)):
        for i, kpi in enumerate(kpis):
            _observe(report, grant, project, kpi, "target", fy, kpi.target)
            actual = _actual_cell(rng, report, grant, project, kpi, fy)
            if not (kpi.status or kpi.actual is None):
                actual += kpi.unit
            rows.append(
                [
                    project if i == 0 else "",
                    f"{kpi.name} {g.printed(kpi.target, rng, False)}{kpi.unit}",
                    f"{kpi.name} {actual}",
                ]
            )
    report.blocks += [report.title, rows]


BUILDERS: dict[str, Builder] = {
    "flat": flat_report,
    "tidy": tidy_report,
    "two_row": two_row_report,
    "transposed": transposed_report,
    "named": named_report,
}


def build_report(seed: int, issuer: g.Issuer, fy: int, family: str) -> g.Report:
    rng = g.doc_rng(seed + 1_000_003, issuer, fy)  # not the seed corpus's stream for the same document
    fmt = g.weighted(rng, FORMATS[family])
    encoding = "cp932" if fmt == "csv" and rng.random() < 0.5 else "utf-8"
    tag = hashlib.sha256(f"{seed}/{issuer.code}/{fy}/{family}".encode()).hexdigest()[:12]
    report = g.Report(
        file=f"{issuer.code}_{fy}_{family}_{tag}.{g.EXTENSIONS[fmt]}",
        issuer=issuer,
        fiscal_year=fy,
        doc_kind="results",
        layout=family,
        fmt=fmt,
        encoding=encoding,
        title="",
    )
    BUILDERS[family](rng, report)
    return report


def write_report(report: g.Report, out: Path) -> None:
    """Like the seed generator's writer, with merged cells kept (Grid blocks)."""
    from orchestration.synth import render

    path = out / report.file
    if report.fmt == "txt":
        render.write_text(path, report.blocks)
    elif report.fmt == "html":
        render.write_html(path, report.blocks, title=report.title)
    elif report.fmt == "xlsx":
        render.write_xlsx(path, report.blocks)
        g.pin_xlsx(path)
    elif report.fmt == "csv":
        rows = [
            r for b in report.blocks for r in ([[b]] if isinstance(b, str) else [*render.as_grid(b).printed_rows(), []])
        ]
        render.write_csv(path, rows, encoding=report.encoding)
    else:
        from reportlab import rl_config

        rl_config.invariant = 1
        render.write_pdf(path, report.blocks, landscape=True, font_size=8)


def generate(out: Path, n_issuers: int, years: int, seed: int, codes: Path = g.DEFAULT_CODES) -> int:
    """Every family for each chosen issuer-year (one family per document, dealt in turn); writes
    manifest.csv beside the documents, the reference beside the directory (`reference_path`), and
    returns the document count."""
    plan = g.plan_corpus(g.load_issuers(codes), n_issuers, years, seed, None)
    out.mkdir(parents=True, exist_ok=True)
    families = list(BUILDERS)
    manifest, reference = [], []
    for n, (issuer, fy, _layout) in enumerate(plan):
        report = build_report(seed, issuer, fy, families[n % len(families)])
        write_report(report, out)
        manifest.append(report.manifest_row())
        reference += [o.row(report.file) for o in report.observations]
    g.write_csv(out / "manifest.csv", g.MANIFEST_FIELDS, manifest)
    g.write_csv(g.reference_path(out), g.REFERENCE_FIELDS, reference)
    return len(manifest)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--issuers", type=int, required=True)
    ap.add_argument("--years", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--codes", type=Path, default=g.DEFAULT_CODES)
    a = ap.parse_args(argv)
    n = generate(a.out, a.issuers, a.years, a.seed, a.codes)
    print(
        f"wrote {n} documents and manifest.csv to {a.out}, the reference to {g.reference_path(a.out)}", file=sys.stderr
    )


if __name__ == "__main__":
    main()
