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
from orchestration.extract.layouts.kpi_text import read_kpi_cell
from orchestration.extract.model import Cell, Line
from orchestration.extract.normalize import clean_name, nfkc

READER = "lines"
_PROJECT = re.compile(r"^[■□◆◇●○・【\s]*(?:交付対象事業の名称|事業の名称|事業名)\s*[】:：]\s*(?P<name>.+)$")
_KPI_LABEL = re.compile(r"^[■□◆◇●○・\s]*(?:KPI|指標|成果指標)\s*[①-⑳\d]*\s*[:：]")
_TARGET = re.compile(r"目標値?\s*[:：]?\s*[-−▲△]?\d")
_ACTUAL = re.compile(r"実績値?(?!額)\s*[:：]?\s*(?:[-−▲△]?\d|集計中|未計測)")


def project_of(line: Line) -> str | None:
    m = _PROJECT.match(nfkc(line.text))
    return clean_name(m.group("name")) if m else None


def states_kpi(text: str) -> bool:
    s = nfkc(text)
    return bool(_KPI_LABEL.match(s) and re.search(r"\d", s)) or bool(_TARGET.search(s) and _ACTUAL.search(s))


def read_line(line: Line, ctx: Context, sink: Sink) -> None:
    cell = Cell(line.text, line=line.line, ref=f"L{line.line}" if line.line else None)
    reading = read_kpi_cell(line.text, ctx.fiscal_year)
    for r in reading.readings:
        sink.observe(ctx, cell, line.page, READER, kpi_name=r.kpi_name, measure=r.measure,
                     fiscal_year=r.fiscal_year, value=r.value, unit=r.unit, status=r.status,
                     value_text=r.value_text, fragment=r.fragment)
    for fragment, reason in reading.unread:
        sink.unread(cell, line.page, READER, fragment, reason)
