"""The shapes that flow through extraction.

A file becomes a `Document` (pages of lines and tables, every piece carrying where it came
from); readers turn a document into an `ExtractionResult`: KPI observations in the shape of
the extraction contract, the projects they belong to, and a review queue of fragments that
looked like KPIs but could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

from orchestration.extract.normalize import nfkc


def _flat_dict(record: object) -> dict:
    """A dataclass of scalar fields as a dict (`dataclasses.asdict` without its deep copy)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


MEASURES = ("baseline", "target", "actual", "target_increment")
Measure = Literal["baseline", "target", "actual", "target_increment"]


@dataclass(frozen=True, init=False)
class Cell:
    """One table cell as printed. `ref` says where it is: `L12` (text line), `C5` (sheet cell)."""

    text: str
    line: int | None = None
    ref: str | None = None
    # The text NFKC-normalised (normalize.nfkc), what every row test reads: worked out once.
    norm: str = field(init=False, repr=False, compare=False)

    def __init__(self, text: str, line: int | None = None, ref: str | None = None) -> None:
        # Readers make one per cell: the fields are set straight in the instance's dict, a frozen
        # dataclass's __init__ costs twice as much (one object.__setattr__ per field).
        fields_ = self.__dict__
        fields_["text"], fields_["line"], fields_["ref"], fields_["norm"] = text, line, ref, nfkc(text)


@dataclass
class Table:
    rows: list[list[Cell]]
    page: int
    ruled: bool = True  # False: columns guessed from text alignment (an unruled PDF table)


@dataclass(frozen=True)
class Line:
    text: str
    page: int
    line: int | None = None


Block = Line | Table


@dataclass(frozen=True)
class OcrMark:
    """Text read by OCR: Tesseract's confidence (0–100, the least of its words') and the region
    of the page image it was read from, in points (x0, top, x1, bottom)."""

    confidence: float
    region: tuple[float, ...]


@dataclass
class Document:
    """A file read into reading-order blocks. `pages` counts PDF pages (1 for other formats)."""

    path: str
    name: str
    sha256: str
    size_bytes: int
    format: str
    blocks: list[Block]
    pages: int = 1
    sheet_names: list[str] = field(default_factory=list)
    ocr: dict[tuple[int, str], OcrMark] = field(default_factory=dict)  # (page, cell ref or L<line>)
    unread: list[tuple[int, str]] = field(default_factory=list)  # (page, reason) of pages not read

    def lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class Provenance:
    """Where a number was printed: page (PDF), line (text), cell (sheet/table cell), fragment."""

    page: int | None
    line: int | None
    cell: str | None
    fragment: str


@dataclass
class Observation:
    doc: str
    grant_program: str
    project_name: str
    kpi_name: str
    measure: Measure
    fiscal_year: int | None
    value: float | None
    unit: str
    status: str
    value_text: str
    page: int | None
    line: int | None
    cell: str | None
    fragment: str
    reader: str
    kpi_seq: int = 0
    ocr_confidence: float | None = None  # set when the number was read from a scan by OCR
    confidence: float | None = None  # 0–1, from where its labels were found (extract/confidence.py)

    CONTRACT_FIELDS = (
        "doc",
        "grant_program",
        "project_name",
        "kpi_name",
        "measure",
        "fiscal_year",
        "value",
        "unit",
        "status",
    )

    def contract_row(self) -> dict:
        return {k: getattr(self, k) for k in self.CONTRACT_FIELDS}

    def identity(self) -> tuple:
        """What makes two printings the same observation (a repeated table lands once). A
        baseline is where the KPI started, whatever grant heads the row that repeats it: a flat
        export prints it on every year's row, under the grant's new name after a renaming."""
        return (
            "" if self.measure == "baseline" else self.grant_program,
            self.project_name,
            self.kpi_name,
            self.measure,
            self.fiscal_year,
            self.value,
            self.unit,
            self.status,
        )

    def as_dict(self) -> dict:
        return _flat_dict(self)


EVIDENCE_KINDS = ("achievement_rate", "mark", "total", "repeat")


@dataclass
class Evidence:
    """What a report prints that is no observation but checks some: a printed 達成率 beside a
    KPI's actual and target (`achievement_rate`), an achievement mark or grade (`mark`, with what
    the page's legend says it means), a totals row (`total`, over the rows above it of its
    measure and year), a second printing of a KPI's number (`repeat`, naming the measure).
    It names the KPI it bears on as extraction read it (grant, project, KPI, fiscal year)."""

    doc: str
    kind: str
    grant_program: str
    project_name: str
    kpi_name: str
    measure: str  # the measure a repeat or total prints; "" for a rate or mark (actual vs target)
    fiscal_year: int | None
    value: float | None
    value_text: str
    unit: str
    page: int | None
    line: int | None
    cell: str | None
    fragment: str
    reader: str
    meaning: str = ""  # a mark's: met / not_met / "" (the legend, else the vocabulary, says)
    rate_min: float | None = None  # the 達成率 band (%) a mark's legend gives it: [min, max)
    rate_max: float | None = None
    legend: str = ""  # the legend line that defines the mark, as printed

    def as_dict(self) -> dict:
        return _flat_dict(self)


@dataclass
class Project:
    """A project as a report lists it, with the per-project columns some layouts print."""

    doc: str
    grant_program: str
    project_name: str
    fiscal_year: int | None
    cost_value: float | None = None
    cost_unit: str = ""
    effect_rating: str = ""
    future_plan: str = ""
    page: int | None = None
    line: int | None = None
    cell: str | None = None
    reader: str = ""

    def as_dict(self) -> dict:
        return _flat_dict(self)


@dataclass
class ReviewItem:
    """A KPI-looking fragment that no reader could turn into an observation, and why."""

    doc: str
    reason: str
    fragment: str
    page: int | None = None
    line: int | None = None
    cell: str | None = None
    reader: str = ""

    def as_dict(self) -> dict:
        return _flat_dict(self)


@dataclass
class ExtractionResult:
    doc: str
    path: str
    sha256: str
    size_bytes: int
    format: str
    pages: int = 0
    title: str = ""
    doc_kind: str = ""  # results / plan / narrative
    fiscal_year: int | None = None  # the year the document reports on, as inferred
    issuer_name: str = ""  # as inferred from the content
    layouts: list[str] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class DocumentError(Exception):
    """A file that cannot be read at all. The message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
