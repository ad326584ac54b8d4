"""What readers share: the running context of a document and the sink they write into."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orchestration.extract import confidence
from orchestration.extract.model import Cell, Evidence, Observation, Project, ReviewItem
from orchestration.extract.normalize import nfkc

if TYPE_CHECKING:
    from orchestration.extract.layouts.columns import ColumnMap
    from orchestration.extract.layouts.kpi_text import CellReading


@dataclass
class Context:
    """What holds while reading down a document: the grant and project in force, the year."""

    doc: str
    fiscal_year: int | None = None  # the table's year (heading), else the document's
    grant: str = ""
    project: str = ""
    doc_project: str = ""  # a plan names its one project outside its tables
    kpi_markers: list[int] = field(default_factory=list)  # ①②… seen under the current project
    kpi: str = ""  # a KPI named by a key-value row (指標名 | …) for the value table under it
    kpi_unit: str = ""  # its unit, from a key-value row (単位 | 件)
    named_above: str = ""  # the last KPI name the block above gave a value table's rows (kpi_block)


@dataclass
class Sink:
    doc: str
    observations: list[Observation] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    layouts: set[str] = field(default_factory=set)

    def observe(
        self,
        ctx: Context,
        cell: Cell,
        page: int,
        reader: str,
        *,
        kpi_name: str,
        measure: str,
        fiscal_year: int | None,
        value: float | None,
        unit: str,
        status: str,
        value_text: str,
        fragment: str,
        name_in_cell: bool = False,
        year_in_table: bool = False,
    ) -> None:
        """One observation; `name_in_cell`: its KPI's name was written in the number's own cell;
        `year_in_table`: its year was printed in its table (a column's header, the row's date),
        not taken from the heading or document."""
        self.layouts.add(reader)
        places = (
            confidence.name_place(kpi_name, name_in_cell, ctx.named_above),
            confidence.year_place(
                fiscal_year, cell.norm if name_in_cell else value_text, None if year_in_table else ctx.fiscal_year
            ),
            confidence.unit_place(value, unit, value_text),
        )
        self.observations.append(
            Observation(
                doc=self.doc,
                grant_program=ctx.grant,
                project_name=ctx.project,
                kpi_name=kpi_name,
                measure=measure,
                fiscal_year=fiscal_year,
                value=value,
                unit=unit,
                status=status,
                value_text=value_text,
                page=page,
                line=cell.line,
                cell=cell.ref,
                fragment=fragment[:500],
                reader=reader,
                confidence=confidence.confidence(*places),
            )
        )

    def note_evidence(
        self,
        ctx: Context,
        cell: Cell,
        page: int,
        reader: str,
        *,
        kind: str,
        kpi_name: str,
        fiscal_year: int | None,
        value: float | None,
        unit: str,
        fragment: str,
        value_text: str | None = None,
    ) -> None:
        """A 達成率 or a mark printed for a KPI's year (extract/evidence.py): no observation.
        `value_text`: what was printed, where the cell holds more (free text)."""
        self.evidence.append(
            Evidence(
                doc=self.doc,
                kind=kind,
                grant_program=ctx.grant,
                project_name=ctx.project,
                kpi_name=kpi_name,
                measure="",
                fiscal_year=fiscal_year,
                value=value,
                value_text=cell.norm if value_text is None else value_text,
                unit=unit,
                page=page,
                line=cell.line,
                cell=cell.ref,
                fragment=fragment[:500],
                reader=reader,
            )
        )

    def free_text(self, ctx: Context, cell: Cell, page: int, reader: str, reading: CellReading) -> None:
        """Every KPI number a free-text cell states, and each fragment of it no rule could read."""
        for r in reading.readings:
            self.observe(
                ctx,
                cell,
                page,
                reader,
                kpi_name=r.kpi_name,
                measure=r.measure,
                fiscal_year=r.fiscal_year,
                value=r.value,
                unit=r.unit,
                status=r.status,
                value_text=r.value_text,
                fragment=r.fragment,
                name_in_cell=True,
            )
        for fragment, reason in reading.unread:
            self.unread(cell, page, reader, fragment, reason)
        for r in reading.rates:
            self.note_evidence(
                ctx,
                cell,
                page,
                reader,
                kind="achievement_rate",
                kpi_name=r.kpi_name,
                fiscal_year=r.fiscal_year,
                value=r.value,
                unit=r.unit,
                fragment=r.fragment,
                value_text=r.value_text,
            )

    def project(self, ctx: Context, cell: Cell, page: int, reader: str, **attrs) -> None:
        self.projects.append(
            Project(
                doc=self.doc,
                grant_program=ctx.grant,
                project_name=ctx.project,
                fiscal_year=ctx.fiscal_year,
                page=page,
                line=cell.line,
                cell=cell.ref,
                reader=reader,
                **attrs,
            )
        )

    def unread(self, cell: Cell, page: int, reader: str, fragment: str, reason: str) -> None:
        self.review.append(
            ReviewItem(
                doc=self.doc,
                reason=reason,
                fragment=nfkc(fragment)[:500],
                page=page,
                line=cell.line,
                cell=cell.ref,
                reader=reader,
            )
        )


@dataclass
class Segment:
    """One header's data rows, with what reading them needs: the column map of the header,
    the running context, the sink, the page, and whether the segment continues a table."""

    rows: list[list[Cell]]
    cmap: ColumnMap
    ctx: Context
    sink: Sink
    page: int
    continued: bool = False
    reader: str = ""  # the family that read it, where it hands its rows to another's reader


@dataclass(frozen=True)
class Family:
    """A layout family: whether it reads a table from its column map, and how."""

    name: str
    accepts: Callable[[ColumnMap], bool]
    read: Callable[[Segment], None]


def text_of(row: list[Cell], col: int | None) -> str:
    if col is None or col >= len(row):
        return ""
    return row[col].text


def norm_of(row: list[Cell], col: int | None) -> str:
    """The normalised text of `text_of` (`Cell.norm`)."""
    if col is None or col >= len(row):
        return ""
    return row[col].norm


def cell_at(row: list[Cell], col: int | None) -> Cell:
    if col is None or col >= len(row):
        return row[0] if row else Cell("")
    return row[col]


_RULE = re.compile(r"[-:=|ー―]+")


def is_separator_row(row: list[Cell]) -> bool:
    """Markdown-style rules (`--`, `:---:`) printed between table parts."""
    texts = [c.norm for c in row if c.norm]
    return bool(texts) and all(_RULE.fullmatch(t) for t in texts)
