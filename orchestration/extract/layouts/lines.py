"""KPI sentences in running text, outside any table.

    ■事業名：中心市街地にぎわい創出事業
    KPI①：歩行者通行量 目標 12,000人 → 実績 13,480人

Prose is full of numbers that are not KPIs (budgets, dates, counts of events), so a line is read
only when it states both a target and an actual, or is labelled as a KPI; a line naming a project
sets the project for the sentences under it.
"""

from __future__ import annotations

import re

from orchestration.extract.layouts.base import Context, Sink
from orchestration.extract.layouts.context import find_grant
from orchestration.extract.layouts.kpi_text import SENTENCE, read_kpi_cell
from orchestration.extract.model import Cell, Line
from orchestration.extract.normalize import clean_name, find_fiscal_year, nfkc

READER = "lines"
# A heading number may stand before the label ((1) 事業の名称：…), as in 地域再生計画.
_PROJECT = re.compile(
    r"^[■□◆◇●○・【\s]*(?:[(（]\d{1,2}[)）]|\d{1,2}[.)、]|[①-⑳])?\s*"
    r"(?:交付対象事業の名称|事業の名称|事業名)\s*[】:：]\s*(?P<name>.+)$"
)
_KPI_LABEL = re.compile(r"^[■□◆◇●○・\s]*(?:KPI|指標|成果指標)\s*[①-⑳\d]*\s*[:：]")
_TARGET = re.compile(r"目標値?\s*[:：]?\s*[-−▲△]?\d")
_ACTUAL = re.compile(r"実績値?(?!額)\s*[:：]?\s*(?:[-−▲△]?\d|集計中|未計測)")


# A heading that is a project's name on its own (■観光振興事業, （2）移住促進事業（企画課）).
_PROJECT_HEADING = re.compile(
    r"^[■□◆◇●○・【\s]*(?:[(（]\d{1,2}[)）]|\d{1,2}[.)、]|[①-⑳])?\s*"
    r"(?P<name>[^。、:：\s][^。、:：]{1,40}?(?:事業|プロジェクト)(?:\s?[(（][^()（）]{1,15}[)）])?)[】\s]*$"
)


# Chapter headings (## 5, 5-3, 第5章) and headings about projects in general are no project's name.
_CHAPTER = re.compile(r"^\s*(?:#|\d+\s*[-‐－]\s*\d|第\s*\d+\s*[章節])")
_NOT_A_PROJECT = re.compile(r"交付金|実績|効果|一覧|計画|報告|^\W*(?:その他|本|各|当該|対象|関連)|行う事業")


def project_of(line: Line) -> str | None:
    """The project a line names: `事業名：…`, or a heading that is a project's name alone (not
    a grant's, nor a year's heading such as 令和4年度 地方創生推進交付金事業)."""
    s = nfkc(line.text)
    m = _PROJECT.match(s)
    if m:
        return clean_name(m.group("name"))
    m = _PROJECT_HEADING.match(s)
    if m and not _CHAPTER.match(s) and not _NOT_A_PROJECT.search(s) and not find_fiscal_year(s):
        return clean_name(m.group("name"))
    return None


# A numbered heading ((2) 蒜山高原の観光誘客推進, 3. …, ②…): its number is no part of the name.
_NUMBERED_HEADING = re.compile(
    r"^\s*(?:[(（][0-9０-９]{1,2}[)）]|[0-9０-９]{1,2}[.)、．](?![0-9])|[①-⑳])\s*(?P<name>[^。:：]{2,40})$"
)


def heading_over_facts(line: Line) -> str | None:
    """The project a numbered heading names when a table of that project's facts (事業期間,
    事業費, 担当課) follows it directly: the heading is that record's title, whatever its words."""
    m = _NUMBERED_HEADING.match(line.text.strip())
    if not m or find_grant(m.group("name")) or find_fiscal_year(m.group("name")):
        return None
    return clean_name(m.group("name"))


def states_kpi(text: str) -> bool:
    s = nfkc(text)
    return (
        bool(_KPI_LABEL.match(s) and re.search(r"\d", s))
        or bool(_TARGET.search(s) and _ACTUAL.search(s))
        or bool(SENTENCE.search(s))  # Xを A（R5年度末）から B（R9年度末）に増加させる
    )


def read_line(line: Line, ctx: Context, sink: Sink) -> None:
    cell = Cell(line.text, line=line.line, ref=f"L{line.line}" if line.line else None)
    reading = read_kpi_cell(line.text, ctx.fiscal_year)
    sink.free_text(ctx, cell, line.page, READER, reading)
