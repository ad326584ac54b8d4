"""A file in, an `ExtractionResult` out: observations with provenance, projects, a review queue.

The engine walks a document's blocks in reading order, keeping the context that headings and
key-value rows set (grant, year, project), cuts each table into header + data segments, and
hands each segment to the reader of its layout family, chosen by what its header names: a
free-text KPI column → block reader; measure columns → wide (or plan) reader. A table that
comes without a header after a page break continues under the last header of the same width.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from orchestration import vocab
from orchestration.extract.evidence import page_legends, printing_key, repeat_evidence, with_meanings
from orchestration.extract.formats import load_document
from orchestration.extract.formats.ocr import hold_uncertain
from orchestration.extract.layouts import context as doc_context
from orchestration.extract.layouts import family_for, kpi_block, lines, multi_kpi, transposed
from orchestration.extract.layouts.base import Context, Segment, Sink, is_separator_row
from orchestration.extract.layouts.columns import ColumnMap, header_hits, is_header_row, map_header
from orchestration.extract.layouts.rows import fold_fragment_lines, fold_fragment_rows, join_split_rows, spanning_text
from orchestration.extract.model import (
    Cell,
    Document,
    DocumentError,
    Evidence,
    ExtractionResult,
    Line,
    Observation,
    Table,
)
from orchestration.extract.normalize import is_unit, nfkc, parse_fiscal_year

log = logging.getLogger(__name__)
_MAX_HEADER_CELL = vocab.threshold("max_header_cell")
_MAX_GRANT_HEADING = vocab.threshold("max_grant_heading")
_MAX_YEAR_HEADING = vocab.threshold("max_year_heading")
_MAX_CONTEXT_KEY = vocab.threshold("max_context_key")
_MAX_SECTION_ROW = vocab.threshold("max_section_row")


def extract_file(path: str | Path, doc_name: str | None = None) -> ExtractionResult:
    """Never raises for a bad file: the result carries an error naming the file and the reason."""
    path = Path(path)
    try:
        doc = load_document(path)
    except DocumentError as e:
        _raise_if_out_of_memory(e)
        return _failed(path, doc_name, str(e))
    except MemoryError:
        raise  # the memory limit, reported as such by the worker
    except Exception as e:  # a reader bug must not stop the other documents
        log.exception("extracting %s", path)
        return _failed(path, doc_name, f"{path}: unexpected error while reading: {type(e).__name__}: {e}")
    if doc_name:
        doc.name = doc_name
    try:
        return extract_document(doc)
    except MemoryError:
        raise
    except Exception as e:
        log.exception("extracting %s", path)
        result = _failed(path, doc.name, f"{path}: unexpected error while extracting: {type(e).__name__}: {e}")
        result.sha256, result.size_bytes, result.format = doc.sha256, doc.size_bytes, doc.format
        return result


def _raise_if_out_of_memory(error: BaseException) -> None:
    """A reader that took a refused allocation for a damaged file: the memory limit was hit (the
    worker reports it so), the file is not damaged."""
    cause = error.__cause__ or error.__context__
    while cause is not None:
        if isinstance(cause, MemoryError):
            raise cause
        cause = cause.__cause__ or cause.__context__


def _failed(path: Path, doc_name: str | None, error: str) -> ExtractionResult:
    data = path.read_bytes() if path.is_file() else b""
    return ExtractionResult(
        doc=doc_name or path.name,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        format=path.suffix.lstrip(".").lower() or "unknown",
        error=error,
    )


@dataclass
class _State:
    cmap: ColumnMap | None = None
    header: tuple[tuple[str, ...], ...] = ()  # the header rows the map was read from
    # Each full header the document printed, with its map: a report prints the same header above
    # every project's table, or alternates two (数値目標 | KPI増加分の累計), and mapping one again
    # costs a fifth of a wide table's reading.
    maps: dict[tuple[tuple[str, ...], ...], ColumnMap] = field(default_factory=dict)

    def map(self, headers: list[list[Cell]], data: list[list[Cell]]) -> None:
        """The column map of a header. A header printed before keeps its map; one repeated on a
        later page with only its first rows keeps the map of the full header it repeats."""
        texts = tuple(tuple(c.norm for c in r) for r in headers)
        if self.cmap is not None and len(texts) < len(self.header) and texts == self.header[: len(texts)]:
            return
        if texts not in self.maps:
            self.maps[texts] = map_header([[c.text for c in r] for r in headers], [[c.text for c in r] for r in data])
        self.cmap, self.header = self.maps[texts], texts


def extract_document(doc: Document) -> ExtractionResult:
    year = doc_context.document_fiscal_year(doc)
    ctx = Context(
        doc=doc.name,
        fiscal_year=year,
        grant=_document_grant(doc) or "",
        doc_project=doc_context.document_project_name(doc),
    )
    sink = Sink(doc=doc.name)
    state = _State()
    recent_years: deque[int | None] = deque(maxlen=3)  # heading years of the last lines read
    sheet_years = _sheet_years(doc)
    page = 0
    heading: Line | None = None  # the line just above the next table
    for block in fold_fragment_lines(doc.blocks):
        if doc.sheet_names and block.page != page:
            recent_years.clear()  # a heading on one sheet does not date the tables of the next
        page = block.page
        if isinstance(block, Line):
            recent_years.append(_read_line(block, ctx, sink))
            heading = block
            continue
        if heading is not None and transposed.is_fact_sheet(block.rows):
            ctx.project = lines.heading_over_facts(heading) or ctx.project
        heading = None
        # A table's year is the nearest heading's just above it, else its sheet's, else the document's.
        ctx.fiscal_year = next((y for y in reversed(recent_years) if y), None) or sheet_years.get(page) or year
        _read_table(block, ctx, sink, state)
    printed, repeats = _dedupe(sink.observations)
    observations, uncertain = hold_uncertain(doc, printed)
    layouts = sorted(sink.layouts)
    return ExtractionResult(
        doc=doc.name,
        path=doc.path,
        sha256=doc.sha256,
        size_bytes=doc.size_bytes,
        format=doc.format,
        pages=doc.pages,
        title=doc_context.title(doc),
        doc_kind=doc_context.document_kind(doc, layouts),
        fiscal_year=year,
        issuer_name=doc_context.issuer_name(doc),
        layouts=layouts,
        observations=observations,
        projects=_dedupe_projects(sink.projects),
        review=sink.review + uncertain,
        evidence=with_meanings(sink.evidence, page_legends(doc)) + repeats,
    )


def _sheet_years(doc: Document) -> dict[int, int]:
    """The year of each sheet named for one (令和3年度, R4), by page."""
    found = {page: parse_fiscal_year(name) for page, name in enumerate(doc.sheet_names, start=1)}
    return {page: year for page, year in found.items() if year}


def _read_line(line: Line, ctx: Context, sink: Sink) -> int | None:
    """A line outside tables: a heading that sets the grant, year or project, or a KPI sentence.
    Returns the line's heading year, if it is a heading with one."""
    text = nfkc(line.text)
    year = _read_heading(text, ctx)
    project = lines.project_of(line)
    if project:
        ctx.project, ctx.kpi, ctx.kpi_unit = project, "", ""
    elif ctx.project and lines.states_kpi(text):
        lines.read_line(line, ctx, sink)
    else:
        _set_context(_context_line(text), ctx)
    return year


def _read_heading(text: str, ctx: Context) -> int | None:
    """A heading sets the grant and the year of what follows; returns its year, if any."""
    grant = doc_context.find_grant(text)
    if grant and len(text) < _MAX_GRANT_HEADING:
        ctx.grant = grant
    year = doc_context.heading_year(text)
    if year and len(text) < _MAX_YEAR_HEADING:
        ctx.fiscal_year = year
    return year


def _document_grant(doc: Document) -> str | None:
    """The first grant a document names anywhere: the fallback for tables above any heading."""
    for block in doc.blocks:
        texts = [block.text] if isinstance(block, Line) else [c.text for r in block.rows for c in r]
        for text in texts:
            grant = doc_context.find_grant(text)
            if grant:
                return grant
    return None


def _context_row(row: list[Cell]) -> tuple[str, str] | None:
    """A key-value row inside a table (交付金名称 | 地方創生推進交付金), or a section row naming a
    grant on its own (【地方創生拠点整備交付金】): (role, value)."""
    filled = [c for c in row if c.norm]
    if len(filled) == 1 and len(filled[0].norm) < _MAX_SECTION_ROW and doc_context.find_grant(filled[0].text):
        return "grant", filled[0].norm
    if len(filled) != 2 or len(filled[0].norm) > _MAX_CONTEXT_KEY:
        return None
    hits = header_hits(filled[0].text)
    if len(hits) != 1 or header_hits(filled[1].text):
        return None
    role = hits[0].role
    if role in ("grant", "project", "kpi_name") or (role == "unit" and is_unit(filled[1].norm)):
        return role, filled[1].norm
    return None


# A heading that is a key and its value (■ 指標：移住相談件数, 【成果指標】移住相談件数), or a
# note giving the unit of the table under it (（単位：千人）).
_KEY_VALUE_LINE = re.compile(r"^[■□◆◇●○・\s]*[【\[]?(?P<key>[^:：】\]]{1,20})[】\]:：]\s*(?P<value>\S.*)$")
_UNIT_NOTE_LINE = re.compile(r"^[(（]?\s*単位\s*[:：]\s*(?P<unit>[^()（）\s]+)\s*[)）]?$")


def _context_line(text: str) -> tuple[str, str] | None:
    """What a line outside tables says of the KPI block under it, read as a key-value row is:
    the KPI's name or its unit (a line naming a project or grant is read as a heading)."""
    note = _UNIT_NOTE_LINE.match(text)
    if note:
        return ("unit", note.group("unit")) if is_unit(note.group("unit")) else None
    m = _KEY_VALUE_LINE.match(text)
    kv = _context_row([Cell(m.group("key")), Cell(m.group("value"))]) if m else None
    return kv if kv and kv[0] in ("kpi_name", "unit") else None


def _is_header(row: list[Cell]) -> bool:
    return all(len(c.norm) <= _MAX_HEADER_CELL for c in row) and is_header_row(row)


def _read_table(table: Table, ctx: Context, sink: Sink, state: _State) -> None:
    if (
        not _is_header(table.rows[0])
        and not kpi_block.is_block(table.rows)
        and transposed.labels_down_first_column(table.rows, _MAX_HEADER_CELL)
    ):
        table = Table(rows=transposed.transpose(table.rows), page=table.page, ruled=table.ruled)
    headers: list[list[Cell]] = []
    data: list[list[Cell]] = []
    first_segment = True

    def flush() -> None:
        nonlocal headers, data, first_segment
        if headers or data:
            _read_segment(table, headers, data, ctx, sink, state, continued=first_segment and not headers)
            first_segment = False
        headers, data = [], []

    for row in fold_fragment_rows(join_split_rows(table.rows, max(len(r) for r in table.rows))):
        if is_separator_row(row) or not any(c.norm for c in row):
            continue
        if _sets_context(row, ctx, flush):
            continue
        if _is_header(row):
            if data:
                flush()
            headers.append(row)
        else:
            data.append(row)
    flush()


def _sets_context(row: list[Cell], ctx: Context, flush: Callable[[], None]) -> bool:
    """A row that is no table data but context for what follows: a title or note row merged over
    the table's width, a key-value row (交付金名称 | …), a section row naming a grant. Reads the
    segment before it first (`flush`)."""
    title = spanning_text(row)
    kv = None if title else _context_row(row)
    if not (title or kv):
        return False
    flush()
    if title:
        _read_heading(title, ctx)
    else:
        _set_context(kv, ctx)
    return True


def _set_context(kv: tuple[str, str] | None, ctx: Context) -> None:
    """A key-value row's or line's (role, value) set in the running context."""
    if kv is None:
        return
    if kv[0] == "grant":
        ctx.grant = doc_context.find_grant(kv[1]) or kv[1]
    elif kv[0] == "kpi_name":  # the KPI of the value table under it (kpi_block)
        ctx.kpi, ctx.kpi_unit = kv[1], ""
    elif kv[0] == "unit":
        ctx.kpi_unit = kv[1]
    else:
        ctx.project, ctx.kpi = kv[1], ""


def _read_segment(
    table: Table,
    headers: list[list[Cell]],
    data: list[list[Cell]],
    ctx: Context,
    sink: Sink,
    state: _State,
    continued: bool,
) -> None:
    headers, data = kpi_block.fold(headers, data, ctx)
    data, ambiguous = multi_kpi.split_rows(data, [[c.text for c in r] for r in headers] or list(state.header))
    for cell in ambiguous:
        sink.unread(cell, table.page, "engine", cell.norm, "number under several KPIs of one cell")
    if headers:
        state.map(headers, data)
    elif state.cmap is None or state.cmap.width != max(len(r) for r in data):
        if table.ruled and any(_has_digit(c.text) for r in data for c in r) and not transposed.is_fact_sheet(data):
            sink.unread(
                data[0][0],
                table.page,
                "engine",
                " | ".join(c.norm for c in data[0]),
                "table with no recognisable header",
            )
        return
    cmap = state.cmap
    if not data:
        return
    family = family_for(cmap)
    if family:
        family.read(Segment(data, cmap, ctx, sink, table.page, continued))
    elif (
        table.ruled
        and not any(s.role == "derived" for s in cmap.columns.values())
        and any(_has_digit(c.text) for r in data for c in r)
    ):
        sink.unread(
            data[0][0],
            table.page,
            "engine",
            " | ".join(c.norm for c in headers[0]) if headers else "",
            "table header names no KPI or measure columns",
        )


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _dedupe(observations: list[Observation]) -> tuple[list[Observation], list[Evidence]]:
    """A table printed several times lands once; kpi_seq numbers KPIs within their project.
    Each second printing of a number is evidence on the first: the same figure, or another one
    (which lands too, and each bears on the other)."""
    seen: set[tuple] = set()
    first: dict[tuple, Observation] = {}
    out, repeats = [], []
    kpi_index: dict[tuple, dict[str, int]] = {}
    for obs in observations:
        earlier = first.setdefault(printing_key(obs), obs)
        if earlier is not obs and earlier.value is not None and obs.value is not None and earlier.unit == obs.unit:
            repeats.append(repeat_evidence(obs, earlier))
            if obs.identity() not in seen:
                repeats.append(repeat_evidence(earlier, obs))
        key = obs.identity()
        if key in seen:
            continue
        seen.add(key)
        names = kpi_index.setdefault((obs.grant_program, obs.project_name), {})
        obs.kpi_seq = names.setdefault(obs.kpi_name, len(names) + 1)  # the sink's own records
        out.append(obs)
    return out, repeats


def _dedupe_projects(projects: list) -> list:
    seen: set[tuple] = set()
    out = []
    for p in projects:
        key = (p.grant_program, p.project_name, p.cost_value, p.effect_rating)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
