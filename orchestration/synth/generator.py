"""A synthetic corpus of KPI reports at national scale, with its own reference observations.

    python -m orchestration.synth.generator --issuers N --years Y --seed S --out DIR [--docs-limit K]

Each issuer-year gets one report in one of the layout families sosei reads (block tables with
free-text KPI cells, wide KPI tables in the seed's and the official form's column orders, plan
tables), rendered as text, PDF, xlsx, csv or html by `orchestration.synth.render`. The
generator knows what it printed, so `<corpus>.reference.csv`, beside the corpus directory and
never in it (it would land as a document), holds the observations a perfect extractor returns
(the shape of ../shared/extraction/CONTRACT.md), and `manifest.csv` describes the files like
raw/manifest.csv.

Everything is drawn from a random generator seeded by (seed, issuer code, fiscal year), so a
document does not depend on which other documents are generated: the same arguments give the
same bytes, and a larger corpus with the same seed contains a smaller one.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from orchestration.config import SHARED_DIR
from orchestration.extract.model import Observation
from orchestration.land import manifest

FIRST_FISCAL_YEAR = 2016
RETRIEVED_ON = "2026-11-01"
# The manifest's columns; a synthetic document was downloaded from nowhere (no source_url).
MANIFEST_FIELDS = [name for name in manifest.FIELDS if name != "source_url"]
REFERENCE_FIELDS = list(Observation.CONTRACT_FIELDS)  # reference.csv in the contract's shape
DEFAULT_CODES = SHARED_DIR / "reference" / "local_government_codes.csv"

# Layout families and the formats each is published in, with weights: an assumption about real
# corpora (results reports dominate; most are PDFs; wide tables often come as spreadsheets).
# Layouts are dealt from decks of DECK documents in these proportions, each deck opening with one
# of every family, so that even a four-document corpus has them all.
LAYOUTS = {"block": 7, "wide": 6, "form": 3, "plan": 4}
DECK = sum(LAYOUTS.values())
FORMATS = {
    "block": {"pdf": 40, "txt": 35, "html": 25},
    "wide": {"pdf": 50, "xlsx": 20, "csv": 15, "txt": 15},
    "form": {"xlsx": 45, "csv": 30, "pdf": 25},
    "plan": {"pdf": 60, "txt": 40},
}
EXTENSIONS = {"txt": "txt", "pdf": "pdf", "xlsx": "xlsx", "csv": "csv", "html": "html"}

# Grants with the fiscal years they ran (the programmes were renamed over the decade).
GRANTS = [
    ("地方創生推進交付金", 2016, 2021),
    ("地方創生拠点整備交付金", 2016, 2021),
    ("デジタル田園都市国家構想交付金（地方創生推進タイプ）", 2022, 2023),
    ("デジタル田園都市国家構想交付金（地方創生拠点整備タイプ）", 2022, 2023),
    ("デジタル田園都市国家構想交付金（デジタル実装タイプ TYPE1）", 2022, 2023),
    ("新しい地方経済・生活環境創生交付金（第２世代交付金）", 2024, 2099),
]

# Vocabularies: KPI names are <subject><metric>, projects <place><theme><suffix>. No digits, colons
# or the words 目標/実績 inside names, so the printed grammar stays unambiguous.
KPI_SUBJECTS = [
    "移住相談窓口を通じた",
    "本事業による",
    "観光交流拠点の",
    "地域商社の",
    "ふるさと納税における",
    "サテライトオフィスへの",
    "子育て支援センターの",
    "農産物直売所の",
    "スポーツ合宿の",
    "創業支援施設の",
    "デジタル窓口の",
    "地元高校生の",
    "インバウンド向け周遊ルートの",
    "道の駅の",
    "健康ポイント事業の",
    "中心市街地の",
    "空き家バンクを通じた",
    "地域おこし協力隊の",
    "ワーケーション施設の",
    "伝統工芸品の",
]
KPI_METRICS = [
    ("利用者数", "人"),
    ("来訪者数", "人"),
    ("売上額", "千円"),
    ("相談件数", "件"),
    ("登録事業者数", "社"),
    ("移住者数", "人"),
    ("満足度", "%"),
    ("延べ宿泊者数", "千人"),
    ("新規雇用者数", "人"),
    ("商品開発数", "件"),
    ("販売額", "万円"),
    ("延べ利用回数", "回"),
    ("観客数", "人/試合"),
    ("参画団体数", "社・団体"),
    ("成約件数", "件"),
    ("参加率", "%"),
    ("入込客数", "万人"),
]
PROJECT_THEMES = [
    "観光交流促進",
    "移住定住推進",
    "地域産業ＤＸ推進",
    "子育て世代包括支援",
    "農林水産業ブランド化",
    "中心市街地にぎわい創出",
    "スポーツツーリズム推進",
    "関係人口創出",
    "創業支援ネットワーク構築",
    "健康長寿のまちづくり",
    "地域公共交通再編",
    "再生可能エネルギー地産地消",
    "外国人材受入環境整備",
    "ものづくり人材育成",
    "デジタル地域通貨導入",
]
PROJECT_SUFFIXES = ["事業", "プロジェクト", "推進事業", "加速化事業", "（施設整備）"]
# A large report (`scale` > 1) names its many projects and KPIs by district too, so that they stay
# unique within the document.
DISTRICTS = [
    "北部",
    "南部",
    "東部",
    "西部",
    "中央",
    "沿岸",
    "山間",
    "駅前",
    "城下",
    "港湾",
    "高原",
    "田園",
    "湖畔",
    "川沿い",
    "新市街",
    "旧市街",
    "島しょ",
    "丘陵",
    "盆地",
    "温泉",
    "門前",
    "宿場",
    "臨海",
    "里山",
]
EFFECTS = [
    "地方創生に非常に効果的だった",
    "地方創生に相当程度効果があった",
    "地方創生に効果があった",
    "地方創生に対して効果がなかった",
]
POLICIES = [
    "計画通りに事業を継続する",
    "事業内容を変更して継続する",
    "当初予定通り事業を終了する(した)",
    "事業を中止する",
]
ACTIVITIES = ["セミナー", "相談会", "商談会", "モニターツアー", "ワークショップ", "展示会出展"]
STATUSES = ["集計中", "未計測"]
BLOCK_HEADER = ["事業の名称", "実施内容", "実績（KPI等）", "備考"]
WIDE_HEADER = [
    "No",
    "① 交付金事業の名称",
    "② 事業の概要",
    "③ 実績額 (千円)",
    "指標",
    "事業開始期",
    "目標値 ({point}時点)",
    "単位",
    "⑤ 実績値 ({point})",
    "⑥ 事業効果",
    "⑦ 今後の事業展開方針",
]
FORM_HEADER = [
    "交付対象事業の名称",
    "交付金の種類",
    "実績額(単位:円)",
    "指標",
    "指標値",
    "単位",
    "目標年月",
    "実績値",
    "事業効果",
    "今後の方針",
]
WIDE_ROWS_PER_PAGE = 12
# Prose of the pages around a report's tables (the chapters of a real 20–40 page report): no digits
# and no 目標/実績, so that no reader may take a KPI from it.
PROSE_HEADINGS = [
    "地域の現状と課題",
    "総合戦略の基本的な考え方",
    "事業の実施体制",
    "関係機関との連携",
    "地域住民の声",
    "今後の展望",
    "評価の方法について",
    "外部有識者の意見",
]
PROSE_SENTENCES = [
    "本市では人口減少と少子高齢化が進み、地域の担い手の確保が大きな課題となっている。",
    "このため、産学官金労言の関係者が一体となって地方創生の取組を進めてきた。",
    "事業の実施にあたっては、地域の実情を踏まえ、住民や事業者の意見を丁寧に聴取した。",
    "外部有識者会議において事業の進捗を検証し、改善に向けた助言を受けた。",
    "新型感染症の影響により、一部の事業では実施方法を見直す必要が生じた。",
    "関係人口の拡大に向け、都市部の企業や大学との連携を一層強化していく。",
    "地域資源を活かした魅力ある仕事づくりを通じて、若い世代の定着を図る。",
    "デジタル技術の活用により、行政サービスの利便性向上と業務の効率化を進めている。",
    "今後も効果検証の結果を踏まえ、必要に応じて事業内容の見直しを行う。",
    "広域連携の枠組みを活用し、近隣自治体と共同で情報発信に取り組んだ。",
]
PARAGRAPHS_PER_PAGE = 18

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str


@dataclass
class Kpi:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    actual: Decimal | None  # None: not printed (blank cell) or a status
    status: str = ""  # 集計中 / 未計測 / - in place of the actual


@dataclass
class ReferenceObservation:
    grant_program: str
    project_name: str
    kpi_name: str
    measure: str
    fiscal_year: int | None
    value: Decimal | None
    unit: str
    status: str = ""

    def row(self, doc: str) -> dict:
        return {
            "doc": doc,
            "grant_program": nfkc(self.grant_program),
            "project_name": nfkc(self.project_name),
            "kpi_name": nfkc(self.kpi_name),
            "measure": self.measure,
            "fiscal_year": "" if self.fiscal_year is None else str(self.fiscal_year),
            "value": "" if self.value is None else format(self.value, "f"),
            "unit": nfkc(self.unit) if self.value is not None else "",
            "status": nfkc(self.status),
        }


Block = str | list[list[str]]


@dataclass
class Report:
    """One document: what it prints (blocks) and what a reader must take from it (observations)."""

    file: str
    issuer: Issuer
    fiscal_year: int
    doc_kind: str
    layout: str
    fmt: str
    encoding: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    observations: list[ReferenceObservation] = field(default_factory=list)
    scale: int = 1  # how many times the usual number of projects it reports

    def manifest_row(self) -> dict:
        return {
            "file": self.file,
            "issuer_name": self.issuer.name,
            "issuer_code": self.issuer.code,
            "doc_kind": self.doc_kind,
            "fiscal_year": self.fiscal_year,
            "title": self.title,
            "publisher": self.issuer.name,
            "retrieved_on": RETRIEVED_ON,
        }


def nfkc(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


# ---- years as printed ------------------------------------------------------------------------


def era_year(fy: int, style: str) -> str:
    """A fiscal year in one of the notations reports use: 令和2年度, R2年度, 2020年度."""
    if style == "western":
        return f"{fy}年度"
    reiwa = fy >= 2019
    n = fy - 2018 if reiwa else fy - 1988
    if style == "abbrev":
        return f"{'R' if reiwa else 'H'}{n}年度"
    return f"{'令和' if reiwa else '平成'}{'元' if n == 1 else n}年度"


def point_in_time(year: int, month: int) -> str:
    """A month as a 時点 abbreviation: (2022, 3) → R4.3."""
    reiwa = (year, month) >= (2019, 5)
    return f"{'R' if reiwa else 'H'}{year - 2018 if reiwa else year - 1988}.{month}"


def month_label(year: int, month: int, style: str) -> str:
    """A 目標年月 as printed: 令和7年3月 or R7.3."""
    if style == "abbrev":
        return point_in_time(year, month)
    reiwa = (year, month) >= (2019, 5)
    n = year - 2018 if reiwa else year - 1988
    return f"{'令和' if reiwa else '平成'}{'元' if n == 1 else n}年{month}月"


def fiscal_year_of(year: int, month: int) -> int:
    return year if month >= 4 else year - 1


# ---- numbers as printed ----------------------------------------------------------------------


def grouped(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    whole, _, frac = format(abs(value), "f").partition(".")
    return sign + f"{int(whole):,}" + (f".{frac}" if frac else "")


def printed(value: Decimal, rng: random.Random, noisy: bool) -> str:
    """The number as a report prints it; with `noisy`, the artefacts of real extracts."""
    text = grouped(value) if rng.random() < 0.8 else format(value, "f")
    if value < 0:
        text = rng.choice(["▲", "△", "-"]) + text.lstrip("-")
    if noisy:
        roll = rng.random()
        if roll < 0.12:
            text = text.translate(FULLWIDTH_DIGITS)
        elif roll < 0.18 and len(text) > 2 and "." not in text:
            text = " ".join(text).replace(" , ", ", ")
    return text


def draw_kpi(rng: random.Random, name: str, unit: str) -> Kpi:
    if unit == "%":
        baseline = Decimal(rng.randint(200, 600)) / 10
        target = baseline + Decimal(rng.randint(10, 200)) / 10
        actual = (target * Decimal(rng.randint(70, 130)) / 100).quantize(Decimal("0.01"))
    else:
        scale = {"千円": 100_000, "万円": 10_000, "千人": 2_000, "万人": 500}.get(unit, 2_000)
        baseline = Decimal(rng.randint(0, scale))
        target = baseline + Decimal(rng.randint(1, scale))
        actual = Decimal(int(target * Decimal(rng.randint(40, 160)) / 100))
    return Kpi(name=name, unit=unit, baseline=baseline, target=target, actual=actual)


def draw_kpis(rng: random.Random, count: int, used: set[str], scale: int = 1) -> list[Kpi]:
    """KPIs with names unique within the document (the scorer matches on the name)."""
    kpis = []
    while len(kpis) < count:
        metric, unit = rng.choice(KPI_METRICS)
        name = rng.choice(KPI_SUBJECTS) + metric
        if scale > 1:
            name = f"{rng.choice(DISTRICTS)}地区の{name}"
        if name in used:
            continue
        used.add(name)
        kpi = draw_kpi(rng, name, unit)
        roll = rng.random()
        if roll < 0.06:
            kpi.actual, kpi.status = None, rng.choice(STATUSES)
        elif roll < 0.09:
            kpi.actual = None  # not yet reported: a blank cell
        kpis.append(kpi)
    return kpis


def project_name(rng: random.Random, issuer: Issuer, used: set[str], scale: int = 1) -> str:
    while True:
        place = issuer.name if rng.random() < 0.4 else ""
        if scale > 1:
            place += f"{rng.choice(DISTRICTS)}地区"
        name = place + rng.choice(PROJECT_THEMES) + rng.choice(PROJECT_SUFFIXES)
        if name not in used:
            used.add(name)
            return name


def grants_for(fy: int) -> list[str]:
    return [name for name, first, last in GRANTS if first <= fy <= last]


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


# ---- layout (a): block tables with free-text KPI cells ----------------------------------------


def kpi_paragraph(rng: random.Random, kpi: Kpi, fy: int, marker: str) -> tuple[str, list[tuple]]:
    """One KPI in one of the grammars governments print, and the (measure, year, value, unit,
    status) facts it states. Which grammar is drawn decides which facts are printed."""

    def n(v: Decimal) -> str:
        return printed(v, rng, noisy=True)

    u, name, t, a = kpi.unit, kpi.name, kpi.target, kpi.actual
    sep = " " if u not in ("%",) and rng.random() < 0.5 else ""
    year_tag = f"R{fy - 2018}" if fy >= 2019 else f"H{fy - 1988}"  # the report's year, abbreviated
    if kpi.status:
        if rng.random() < 0.5:
            return (
                f"<p>{marker}{name} KPI {n(t)}{sep}{u} ({year_tag} 実績：{kpi.status})</p>",
                [("target", fy, t, u, ""), ("actual", fy, None, "", kpi.status)],
            )
        return f"<p>{marker}{name} 実績値：{kpi.status}</p>", [("actual", fy, None, "", kpi.status)]
    if a is None:
        return f"<p>{marker}{name} 目標 {n(t)}{sep}{u}</p>", [("target", fy, t, u, "")]
    facts_ta = [("target", fy, t, u, ""), ("actual", fy, a, u, "")]
    grammar = rng.randrange(9)
    if grammar == 0:
        return f"<p>{marker}{name} 目標 {n(t)}{sep}{u} 実績 {n(a)}{sep}{u}</p>", facts_ta
    if grammar == 1:
        return (f"<p>{marker}{name}</p> <p>・目標値：{n(t)}{sep}{u} ・実績値：{n(a)}{sep}{u}</p>", facts_ta)
    if grammar == 2:
        return f"<p>{marker}{name}：{n(t)}{u}（目標値）</p> <p>【実績】{n(a)}{u}</p>", facts_ta
    if grammar == 3:
        return f"<p>{marker}{name} {year_tag} 実績：{n(a)}{sep}{u}</p>", [("actual", fy, a, u, "")]
    if grammar == 4:
        return f"<p>{marker}{name}：{n(a)}{u}</p>", [("actual", fy, a, u, "")]
    if grammar == 5:
        return f"<p>{marker}{name} 目標値：{n(t)}{u}／実績値：{n(a)}{u}</p>", facts_ta
    if grammar == 6:
        return f"<p>{marker}{name} {n(a)}{u}（目標 {n(t)}{u}）</p>", facts_ta
    if grammar == 7:
        return f"<p>{marker}{name} 目標 {n(t)}{u} → 実績 {n(a)}{u}</p>", facts_ta
    return f"<p>{marker}{name} {n(a)}{sep}{u}</p>", [("actual", fy, a, u, "")]


def activities_cell(rng: random.Random, theme: str) -> str:
    """実施内容: prose with budgets and event counts, which are not KPIs."""
    parts = [
        f"<p>{theme}に向けて、関係団体と連携し{rng.choice(ACTIVITIES)}を開催するとともに、情報発信を強化した。</p>"
    ]
    items = []
    for i in range(rng.randint(1, 3)):
        budget = Decimal(rng.randint(50, 30_000))
        items.append(f"{CIRCLED[i]}{rng.choice(ACTIVITIES)}業務委託 {printed(budget, rng, False)} 千円")
    parts.append(f"<p>{' '.join(items)}</p>")
    parts.append(f"<p>{rng.choice(ACTIVITIES)}{rng.randint(2, 12)}回開催</p>")
    return " ".join(parts)


def block_report(rng: random.Random, report: Report) -> None:
    fy = report.fiscal_year
    report.title = f"地方創生推進交付金等を活用した事業（{era_year(fy, 'kanji')}）実績について"
    report.blocks += [
        f"## {report.title}",
        f"{report.issuer.name}",
        "交付金制度要綱に基づき、効果検証を実施するため外部有識者等に意見を聴取した。",
    ]
    used_projects: set[str] = set()
    used_kpis: set[str] = set()
    grants = grants_for(fy)
    for grant in rng.sample(grants, k=min(len(grants), rng.randint(1, 2))):
        rows = [["交付金名称", grant, "", ""], list(BLOCK_HEADER)]
        for _ in range(rng.randint(2, 4) * report.scale):
            pname = project_name(rng, report.issuer, used_projects, report.scale)
            cells = []
            for i, kpi in enumerate(draw_kpis(rng, rng.randint(1, 4), used_kpis, report.scale)):
                marker = rng.choice([CIRCLED[i], "○", "・", ""])
                text, facts = kpi_paragraph(rng, kpi, fy, marker)
                cells.append(text)
                for measure, year, value, unit, status in facts:
                    report.observations.append(
                        ReferenceObservation(grant, pname, kpi.name, measure, year, value, unit, status)
                    )
            note = f"実施期間 {era_year(fy - 1, 'abbrev')}～{era_year(fy + 1, 'abbrev')}"
            rows.append([pname, activities_cell(rng, pname), " ".join(cells), note])
        report.blocks.append(rows)


# ---- layout (b): wide KPI tables, seed column order and the official form ---------------------


def wide_value_cell(rng: random.Random, value: Decimal, unit: str) -> str:
    """A number in a table cell, sometimes with its unit or a footnote marker inside."""
    text = printed(value, rng, noisy=True)
    roll = rng.random()
    if roll < 0.1:
        return text + unit
    if roll < 0.15:
        return text + "※1"
    return text


def wide_report(rng: random.Random, report: Report) -> None:
    fy = report.fiscal_year
    point = point_in_time(fy + 1, 3)
    header = [h.format(point=point) for h in WIDE_HEADER]
    report.title = f"地方創生関係交付金活用事業の実績について（{era_year(fy, 'kanji')}）"
    report.blocks += [
        report.title,
        f"{report.issuer.name} 企画部",
        "1 実績の評価について",
        "○ 事業ごとに重要業績評価指標（KPI）を設定し、効果検証を行った。",
    ]
    used_projects: set[str] = set()
    used_kpis: set[str] = set()
    footnote = False
    for grant in grants_for(fy)[: rng.randint(1, 2)]:
        report.blocks.append(f"{era_year(fy, 'kanji')} {grant}事業")
        pages: list[list[list[str]]] = [[header]]
        total = Decimal(0)
        for no in range(1, rng.randint(3, 9) * report.scale + 1):
            pname = project_name(rng, report.issuer, used_projects, report.scale)
            cost = Decimal(rng.randint(3_000, 90_000))
            total += cost
            rows = []
            for i, kpi in enumerate(draw_kpis(rng, rng.randint(2, 4), used_kpis, report.scale)):
                obs = [("baseline", None, kpi.baseline, ""), ("target", fy, kpi.target, "")]
                actual = ""
                if kpi.status:
                    actual = "－" if kpi.status == "未計測" and rng.random() < 0.5 else kpi.status
                    obs.append(("actual", fy, None, nfkc(actual)))
                elif kpi.actual is not None:
                    actual = wide_value_cell(rng, kpi.actual, kpi.unit)
                    footnote |= "※" in actual
                    obs.append(("actual", fy, kpi.actual, ""))
                for measure, year, value, status in obs:
                    report.observations.append(
                        ReferenceObservation(grant, pname, kpi.name, measure, year, value, kpi.unit, status)
                    )
                lead = (
                    [str(no), pname, f"{pname.removesuffix('事業')}に係る取組の実施", grouped(cost)]
                    if i == 0
                    else ["", "", "", ""]
                )
                tail = [rng.choice(EFFECTS), rng.choice(POLICIES)] if i == 0 else ["", ""]
                rows.append(
                    [
                        *lead,
                        kpi.name,
                        printed(kpi.baseline, rng, True),
                        wide_value_cell(rng, kpi.target, kpi.unit),
                        kpi.unit,
                        actual,
                        *tail,
                    ]
                )
            if len(pages[-1]) + len(rows) > WIDE_ROWS_PER_PAGE:  # a project never splits a page
                pages.append([header])
            pages[-1].extend(rows)
        pages[-1].append(["合計", "", "", grouped(total), *[""] * (len(header) - 4)])
        report.blocks.extend(pages)
    if footnote:
        report.blocks.append("※1 見込み値を含む。")


def form_report(rng: random.Random, report: Report) -> None:
    """The official reporting form (様式): the grant per row, targets with their own 目標年月."""
    fy = report.fiscal_year
    report.title = f"{era_year(fy, 'kanji')} 地方創生関係交付金を活用した事業の効果検証"
    report.blocks += [report.title, f"{report.issuer.name}"]
    rows = [list(FORM_HEADER)]
    used_projects: set[str] = set()
    used_kpis: set[str] = set()
    for _ in range(rng.randint(3, 8) * report.scale):
        grant = rng.choice(grants_for(fy))
        pname = project_name(rng, report.issuer, used_projects, report.scale)
        cost = Decimal(rng.randint(3_000_000, 90_000_000))
        for i, kpi in enumerate(draw_kpis(rng, rng.randint(1, 3), used_kpis, report.scale)):
            target_year = fy + rng.randint(0, 3)
            month = rng.choice([3, 3, 3, 12])
            calendar_year = target_year + 1 if month <= 3 else target_year
            due = month_label(calendar_year, month, rng.choice(["kanji", "abbrev"]))
            obs = [("target", fiscal_year_of(calendar_year, month), kpi.target, "")]
            actual = ""
            if kpi.status:
                actual = kpi.status
                obs.append(("actual", fy, None, kpi.status))
            elif kpi.actual is not None:
                actual = wide_value_cell(rng, kpi.actual, kpi.unit)
                obs.append(("actual", fy, kpi.actual, ""))
            for measure, year, value, status in obs:
                report.observations.append(
                    ReferenceObservation(grant, pname, kpi.name, measure, year, value, kpi.unit, status)
                )
            lead = [pname, grant, grouped(cost)] if i == 0 else ["", "", ""]
            tail = [rng.choice(EFFECTS), rng.choice(POLICIES)] if i == 0 else ["", ""]
            rows.append([*lead, kpi.name, printed(kpi.target, rng, True), kpi.unit, due, actual, *tail])
    report.blocks.append(rows)


# ---- layout (c): plan tables (数値目標), printed twice ----------------------------------------


def plan_report(rng: random.Random, report: Report) -> None:
    fy = report.fiscal_year
    issuer = report.issuer.name
    pname = project_name(rng, report.issuer, set())
    grant = grants_for(fy)[0]
    report.title = f"地域再生計画 {pname.removesuffix('事業')}計画"
    style = rng.choice(["kanji", "abbrev", "western"])
    years = [fy + i for i in range(rng.randint(3, 5))]
    increase_heads = [f"{era_year(y, style)} 増加分 ({i + 1}年目)" for i, y in enumerate(years)]
    header = ["", "事業開始前 (現時点)", *increase_heads]
    table, cumulative = [header], [["", "KPI増加分の累計"]]
    for kpi in draw_kpis(rng, rng.randint(3, 5), set()):
        roll = rng.random()
        label, unit = (
            (f"{kpi.name}({kpi.unit})", kpi.unit)
            if roll < 0.5
            else (f"{kpi.name} (年間)", "")
            if roll < 0.65
            else (kpi.name, "")
        )
        name = label if unit == "" else kpi.name
        step = max(Decimal(1), (kpi.target - kpi.baseline) / len(years)).quantize(Decimal(1))
        increments = [step * Decimal(rng.randint(-30, 150)) / 100 for _ in years]
        increments = [v.quantize(Decimal("0.1") if kpi.unit == "%" else Decimal(1)) for v in increments]
        report.observations.append(ReferenceObservation(grant, pname, name, "baseline", None, kpi.baseline, unit))
        report.observations += [
            ReferenceObservation(grant, pname, name, "target_increment", y, v, unit)
            for y, v in zip(years, increments, strict=True)
        ]
        table.append([label, printed(kpi.baseline, rng, True), *[printed(v, rng, True) for v in increments]])
        cumulative.append([label, grouped(sum(increments, Decimal(0)))])
    budget = grouped(Decimal(rng.randint(1000, 90000)))
    report.blocks += [
        "## 地域再生計画",
        "### 1 地域再生計画の名称",
        report.title.removeprefix("地域再生計画 "),
        "### 2 地域再生計画の作成主体の名称",
        issuer,
        "### 3 地域再生計画の区域",
        f"{issuer}の全域",
        "### 4 地域再生計画の目標",
        f"{issuer}では人口減少と地域経済の縮小が続いており、{pname}により新たな人の流れをつくる。",
        "## 【数値目標】",
        table,
        cumulative,
        "## 5 地域再生を図るために行う事業",
        "## 5-2 第5章の特別の措置を適用して行う事業",
        f"{grant}（内閣府）：【A{rng.randint(1000, 9999)}】",
        "### ① 事業主体",
        issuer,
        "### ② 事業の名称：",
        pname,
        "### ③ 事業の内容",
        f"{rng.choice(ACTIVITIES)}等を通じて事業者と住民の連携を促進する（事業費 {budget} 千円）。",
        "### ④ 重要業績評価指標（KPI）",
        table,
        cumulative,
        f"### ⑤ 計画期間 {era_year(years[0], 'kanji')}～{era_year(years[-1], 'kanji')}",
    ]


LAYOUT_BUILDERS = {"block": block_report, "wide": wide_report, "form": form_report, "plan": plan_report}


# ---- the corpus ------------------------------------------------------------------------------


def load_issuers(path: Path) -> list[Issuer]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise SystemExit(f"{path}: cannot read the local government codes: {e.strerror}") from e
    missing = {"code", "prefecture", "city"} - set(rows[0] if rows else {})
    if missing:
        raise SystemExit(f"{path}: not a local government code list (lacks {sorted(missing)})")
    return [Issuer(r["code"], r["city"] or r["prefecture"]) for r in rows]


def doc_rng(seed: int, issuer: Issuer, fy: int) -> random.Random:
    digest = hashlib.sha256(f"{seed}/{issuer.code}/{fy}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def layout_deck(seed: int, index: int) -> list[str]:
    rng = random.Random(f"{seed}/deck/{index}")
    rest = [name for name, n in LAYOUTS.items() for _ in range(n - 1)]
    rng.shuffle(rest)
    return [*LAYOUTS, *rest]


def plan_corpus(
    issuers: list[Issuer], n_issuers: int, years: int, seed: int, docs_limit: int | None
) -> list[tuple[Issuer, int, str]]:
    """The (issuer, fiscal year, layout) of each document: a seeded choice of issuers (a prefix
    of one shuffle, so a larger corpus contains a smaller one), each for every fiscal year from
    FY2016, with layouts dealt in corpus order."""
    if n_issuers > len(issuers):
        raise SystemExit(f"--issuers {n_issuers}: the code list has only {len(issuers)} issuers")
    order = sorted(issuers, key=lambda i: hashlib.sha256(f"{seed}/{i.code}".encode()).digest())
    pairs = [(i, FIRST_FISCAL_YEAR + y) for i in order[:n_issuers] for y in range(years)]
    if docs_limit is not None:
        pairs = pairs[:docs_limit]
    decks = [layout_deck(seed, d) for d in range((len(pairs) + DECK - 1) // DECK)]
    return [(i, fy, decks[n // DECK][n % DECK]) for n, (i, fy) in enumerate(pairs)]


def build_report(seed: int, issuer: Issuer, fy: int, layout: str, scale: int = 1) -> Report:
    """One document; `scale` > 1 multiplies the projects of a results report (block, wide, form
    layouts; a plan has one project) for a report the size of a prefecture's."""
    rng = doc_rng(seed, issuer, fy)
    fmt = weighted(rng, FORMATS[layout])
    encoding = "cp932" if fmt == "csv" and rng.random() < 0.5 else "utf-8"
    tag = hashlib.sha256(f"{seed}/{issuer.code}/{fy}/name".encode()).hexdigest()[:12]
    report = Report(
        file=f"{issuer.code}_{fy}_{tag}.{EXTENSIONS[fmt]}",
        issuer=issuer,
        fiscal_year=fy,
        doc_kind="plan" if layout == "plan" else "results",
        layout=layout,
        fmt=fmt,
        encoding=encoding,
        title="",
        scale=scale,
    )
    LAYOUT_BUILDERS[layout](rng, report)
    return report


def add_prose(report: Report, rng: random.Random, pages: tuple[int, int]) -> None:
    """Surround a PDF report's tables with pages of prose, as real 20–40 page reports have: the
    report's own blocks keep their order, on a few pages between chapters."""
    n_pages = rng.randint(*pages)
    chapters = []
    for _ in range(n_pages):
        heading = f"■ {rng.choice(PROSE_HEADINGS)}"
        paragraphs = ["".join(rng.choices(PROSE_SENTENCES, k=rng.randint(3, 5))) for _ in range(PARAGRAPHS_PER_PAGE)]
        chapters.append([heading, *paragraphs])
    before = rng.randint(1, n_pages - 1) if n_pages > 1 else n_pages
    report.blocks = (
        [b for c in chapters[:before] for b in c] + report.blocks + [b for c in chapters[before:] for b in c]
    )


def cell_for(fmt: str, text: str) -> str:
    """Text extracts keep a cell's HTML paragraphs as the seeds print them; the other formats
    break the cell into lines instead."""
    if fmt == "txt" or "<p>" not in text:
        return text
    return re.sub(r"</p>\s*<p>", "\n", text).removeprefix("<p>").removesuffix("</p>")


def pin_xlsx(path: Path) -> None:
    """Rewrite a workbook with fixed zip-entry times and document dates: openpyxl stamps the
    current time into both, and the corpus must be the same bytes on every run."""
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", f"{RETRIEVED_ON}T00:00:00Z".encode(), data)
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)


def write_report(report: Report, out: Path) -> None:
    from orchestration.synth import render  # reportlab and openpyxl load only where writing

    path = out / report.file
    blocks = [b if isinstance(b, str) else [[cell_for(report.fmt, c) for c in row] for row in b] for b in report.blocks]
    if report.fmt == "txt":
        render.write_text(path, blocks)
    elif report.fmt == "html":
        render.write_html(path, blocks, title=report.title)
    elif report.fmt == "xlsx":
        render.write_xlsx(path, blocks)
        pin_xlsx(path)
    elif report.fmt == "csv":
        rows = [r for b in blocks for r in ([[b]] if isinstance(b, str) else [*b, []])]
        render.write_csv(path, rows, encoding=report.encoding)
    else:
        from reportlab import rl_config

        rl_config.invariant = 1  # no creation date or random document id: the same bytes each time
        wide = report.layout in ("wide", "form")
        render.write_pdf(path, blocks, landscape=wide, font_size=7 if wide else 9)


def _generate_one(args: tuple[int, Issuer, int, str, str, tuple[int, int] | None]) -> tuple[dict, list[dict]]:
    seed, issuer, fy, layout, out, prose_pages = args
    report = build_report(seed, issuer, fy, layout)
    if prose_pages and report.fmt == "pdf":
        add_prose(report, random.Random(f"{seed}/{issuer.code}/{fy}/prose"), prose_pages)
    write_report(report, Path(out))
    return report.manifest_row(), [o.row(report.file) for o in report.observations]


def reference_path(corpus: Path) -> Path:
    """The corpus's answer key: beside its directory (`DIR.reference.csv`), so that a corpus used
    as raw/ holds reports and their manifest only."""
    return corpus.with_name(f"{corpus.name}.reference.csv")


def generate(
    out: Path,
    n_issuers: int,
    years: int,
    seed: int,
    docs_limit: int | None = None,
    codes: Path = DEFAULT_CODES,
    jobs: int = 1,
    prose_pages: tuple[int, int] | None = None,
) -> int:
    """Write the corpus and manifest.csv into `out`, its reference beside it (`reference_path`);
    return the document count.

    With `prose_pages` (least, most), each PDF has that many pages of prose around its tables."""
    plan = plan_corpus(load_issuers(codes), n_issuers, years, seed, docs_limit)
    out.mkdir(parents=True, exist_ok=True)
    work = [(seed, issuer, fy, layout, str(out), prose_pages) for issuer, fy, layout in plan]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(_generate_one, work, chunksize=16))
    else:
        results = [_generate_one(w) for w in work]
    results.sort(key=lambda r: r[0]["file"])
    write_csv(out / "manifest.csv", MANIFEST_FIELDS, (m for m, _ in results))
    write_csv(reference_path(out), REFERENCE_FIELDS, (o for _, obs in results for o in obs))
    return len(results)


def write_csv(path: Path, fields: list[str], rows: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _page_range(text: str) -> tuple[int, int]:
    least, _, most = text.partition("-")
    return int(least), int(most or least)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--issuers", type=int, required=True, help="how many issuers (of the code list)")
    ap.add_argument("--years", type=int, required=True, help=f"fiscal years from FY{FIRST_FISCAL_YEAR}")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--docs-limit", type=int, default=None, help="stop after this many documents")
    ap.add_argument("--codes", type=Path, default=DEFAULT_CODES, help="local_government_codes.csv")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (output is the same)")
    ap.add_argument(
        "--prose-pages",
        type=_page_range,
        default=None,
        metavar="LEAST-MOST",
        help="pages of prose around each PDF's tables, e.g. 20-40",
    )
    a = ap.parse_args(argv)
    n = generate(a.out, a.issuers, a.years, a.seed, a.docs_limit, a.codes, a.jobs, a.prose_pages)
    print(f"wrote {n} documents and manifest.csv to {a.out}, the reference to {reference_path(a.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
