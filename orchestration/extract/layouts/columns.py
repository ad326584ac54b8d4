"""Map a table's header rows to column roles, by header meaning rather than position.

Headers come garbled out of text extracts: a two-row header split over three lines, two labels
in one cell, a label one column off its data. So roles are read from every header cell, ordered,
and then aligned with the columns whose data cells are of the role's kind (numbers, units, dates,
text): the n-th numeric role is the n-th numeric data column right of the KPI name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property

from orchestration.extract.layouts.kpi_text import CARRIES_TARGET
from orchestration.extract.model import Cell
from orchestration.extract.normalize import (
    PLAIN_NUMBER,
    find_fiscal_year,
    find_point_in_time,
    is_bracket_unit,
    is_unit,
    nfkc,
    parse_status,
    remembered,
    split_compound,
    split_named_cell,
    split_value_unit,
)
from orchestration.vocab import alternation, load, measure_labels, words

MEASURE_ROLES = ("baseline", "target_increment", "target", "actual", "by_row")
# A row label saying which measure the row's value columns hold (区分: 目標 / 実績); a derived
# row (達成率) holds none.
ROW_MEASURES = measure_labels()
NAME_LABELS = tuple(ROW_MEASURES)  # a measure label before a number makes a sentence, not a name
MARKS = frozenset(words()["marks"]["achievement"])
# Columns that date a row or one of its measures (a flat export's 年度, 基準年度, 目標年月 …).
DATE_ROLES = {"fiscal_year": "row", "baseline_year": "baseline", "target_date": "target", "actual_date": "actual"}
_DATE_OF_MEASURE = {measure: role for role, measure in DATE_ROLES.items() if measure != "row"}
# Within one header cell or column, roles read in this order (事業開始前 目標値 → baseline, target).
ROLE_ORDER = {r: i for i, r in enumerate(("kpi_name", "baseline", "target_increment", "target", "actual"))}


@dataclass(frozen=True)
class Role:
    name: str
    kind: str
    patterns: tuple[re.Pattern, ...]
    exclusive: bool = False


@cache
def vocabulary() -> tuple[Role, ...]:
    data = load("headers")
    return tuple(
        Role(name, spec["kind"], tuple(re.compile(p) for p in spec["patterns"]), spec.get("exclusive", False))
        for name, spec in data["roles"].items()
    )


# Roles read from the data or the header's shape rather than from header words.
_DERIVED_ROLES = {"row_measure": "label"}


def role_kind(name: str) -> str:
    return _DERIVED_ROLES.get(name) or _role_kinds()[name]


@cache
def _role_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for r in vocabulary():
        kinds.setdefault(r.name, r.kind)  # the first role of a name, as a scan in order finds
    return kinds


@dataclass(frozen=True)
class Hit:
    role: str
    start: int
    year: int | None
    unit: str
    cumulative: bool = False  # `実績値（累計）`: its cells print the running total in brackets


_UNIT_NOTE = re.compile(r"単位\s*[:：]\s*([^)）\s]+)")
_BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]")


def header_unit(segment: str) -> str:
    """A unit printed in a header: `実績額 (千円)`, `実績額(単位:円)`."""
    m = _UNIT_NOTE.search(segment)
    if m:
        return m.group(1)
    for m in _BRACKETED.finditer(segment):
        if is_bracket_unit(m.group(1)):
            return m.group(1).strip()
    return ""


_SPACES = re.compile(r"\s+")
_RUNNING_TOTAL = re.compile(r"\(累計値?\)")


@cache
def _any_role() -> tuple[re.Pattern, ...]:
    """Every role's patterns in two: the plain words in one alternation (which re searches much
    faster) and the patterns in another. A cell that neither matches (most data cells) names no
    role, which two searches tell instead of one per pattern."""
    words = [word for _role, _p, word in _role_patterns() if word is not None]
    others = [f"(?:{p.pattern})" for _role, p, word in _role_patterns() if word is None]
    return tuple(re.compile("|".join(group)) for group in (words, others) if group)


@cache
def _role_patterns() -> tuple[tuple[Role, re.Pattern, str | None], ...]:
    """Each role's patterns in order, with the word a plain-word pattern matches (None for the
    others): a word not in a cell needs no search."""
    return tuple(
        (role, p, p.pattern if re.escape(p.pattern) == p.pattern else None)
        for role in vocabulary()
        for p in role.patterns
    )


def _role_matches(s: str) -> list[tuple[int, int, Role]]:
    """(start, end, role) of every non-empty match of every role pattern in `s`, role by role."""
    found: list[tuple[int, int, Role]] = []
    for role, pattern, word in _role_patterns():
        if word is None or word in s:
            found.extend((m.start(), m.end(), role) for m in pattern.finditer(s) if m.end() > m.start())
    return found


@remembered  # reports repeat their header and unit cells on every page
def header_hits(text: str) -> tuple[Hit, ...]:
    """Roles named in one header cell, in reading order, each with the year and unit beside it."""
    s = _SPACES.sub("", nfkc(text))
    if not s or not any(pattern.search(s) for pattern in _any_role()):
        return ()
    found = _role_matches(s)
    for start, _end, role in found:
        if role.exclusive:
            return (Hit(role.name, start, None, ""),)
    # Longest match first; drop matches overlapping a longer one.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, Role]] = []
    for f in found:
        if all(f[1] <= t[0] or f[0] >= t[1] for t in taken):
            taken.append(f)
    taken.sort(key=lambda f: f[0])
    hits = []
    for i, (start, _end, role) in enumerate(taken):
        # A role's year and unit sit between the previous label and the next one
        # (平成29年度 増加分 / 目標値 (R4.3時点)).
        segment = s[taken[i - 1][1] if i else 0 : taken[i + 1][0] if i + 1 < len(taken) else len(s)]
        year = find_fiscal_year(segment)
        if role.name == "target_increment" and not year:
            continue  # "KPI増加分" without a year is a label, not a plan's yearly increase
        hit = Hit(
            role.name, start, year[0] if year else None, header_unit(segment), bool(_RUNNING_TOTAL.search(segment))
        )
        hits.append(hit)
    return tuple(hits)


def is_header_row(row: list[Cell]) -> bool:
    """A header row names roles and prints no numbers."""
    texts = [c.text for c in row if c.norm]
    if not texts:
        return False
    number = next((c for c in texts if is_plain_number(c)), None)  # cell_kind's number, told at once
    if number is not None and not _is_year_label(number):
        return False  # a data row: a number is neither a label nor a unit
    if len(texts) >= 2 and all(_is_year_label(c) for c in texts):
        return True  # R4 | R5 | R4 | R5 under spanning 目標値 | 実績値
    if all(is_column_label(c) or is_unit_label(c) for c in texts):
        return True  # (a) | (b) | (b)/(a), or （件） | （人）: labels and units of the columns above
    if number is not None:
        return False  # a year among other cells: a data row
    with_role = [c for c in texts if header_hits(c)]
    if not (len(with_role) >= 2 or (len(with_role) == len(texts) and len(row) > 1)):
        return False
    return not any(cell_kind(c) == "number" for c in texts)


_COLUMN_LABEL = re.compile(r"[()a-zA-Z/\-+×*÷=%]+")
_UNIT_LABEL = re.compile(r"[(\[【<]?(?:単位[:：])?([^()\[\]【】<>]{1,8})[)\]】>]?")
_SPACE = re.compile(r"\s")
_LETTER = re.compile("[a-zA-Z]")
_NUMBERED = re.compile(r"^\s*[①-⑳]")
_DIGIT = re.compile(r"\d")


@remembered
def is_column_label(text: str) -> bool:
    """A letter naming a column for a formula (`(a)`, `(b)/(a)`, `(c-a)/(b-a)`)."""
    s = _SPACE.sub("", nfkc(text))
    return bool(_COLUMN_LABEL.fullmatch(s)) and "(" in s and len(_LETTER.findall(s)) <= 6


@remembered
def is_unit_label(text: str) -> bool:
    """A header cell that is only a unit: `（件）`, `単位：人`, `[千円]`."""
    s = _SPACE.sub("", nfkc(text))
    m = _UNIT_LABEL.fullmatch(s)
    return bool(m) and s != m.group(1) and is_bracket_unit(m.group(1))


@remembered
def _is_year_label(text: str) -> bool:
    """A cell that is a fiscal year and nothing else (R5, 令和5年度, 2023年度)."""
    found = find_fiscal_year(text)
    return bool(found) and found[1][1] - found[1][0] >= len(_SPACE.sub("", nfkc(text))) - 1


def is_plain_number(text: str) -> bool:
    """A cell printing a plain number (1,839,000 / 68.5 / 0), which cell_kind calls a number."""
    return bool(PLAIN_NUMBER.fullmatch(text)) and text not in ROW_MEASURES and text not in MARKS


_UNDECIDED = ""


def _leading_kind(text: str) -> str | None:
    """cell_kind's first tests, the cheap ones (a row label among them); _UNDECIDED where the
    others decide."""
    if is_plain_number(text):
        return "number"
    if _NUMBERED.match(text):
        return "text"  # a numbered label (① 交付金事業の名称), not a number with a unit
    s = nfkc(text)
    if not s:
        return None
    return "label" if read_row_label(s) is not None else _UNDECIDED


@remembered
def cell_kind(text: str) -> str | None:
    """What a data cell holds: number (or a status in its place), date, unit, mark or text."""
    kind = _leading_kind(text)
    if kind != _UNDECIDED:
        return kind
    s = nfkc(text)
    if s in MARKS:
        return "mark"
    value, _unit, status = split_value_unit(strip_year_note(s)[0])
    if value is not None or status or split_compound(s):
        return "number"
    if (find_point_in_time(s) and len(s) <= 14) or _is_year_label(s):
        return "date"
    if is_unit(s) and not _DIGIT.search(s) and not _names_a_quantity(s):
        return "unit"
    if split_named_cell(s, NAME_LABELS) and not CARRIES_TARGET.search(s):
        return "named"  # but a name with its deadline target (… 令和7年度まで 300件) is a name
    return "text"


_NAME_ENDING = re.compile(rf"(?:{alternation(words()['kpi_name_endings'])})(?:\([^()]*\))?$")


def _names_a_quantity(text: str) -> bool:
    """A short name of what is counted (来館者数, 就業率(%)), which is_unit alone would take for
    a unit; a counter printed as a unit (件数) stays one."""
    return bool(_NAME_ENDING.search(text)) and not is_bracket_unit(text)


def read_row_label(text: str) -> tuple[str | None, int | None] | None:
    """A row label naming the measure of the row's values, with a year if it prints one
    (`目標値（R5年度）` → (target, 2023)); (None, year) for a derived row (達成率); None if the
    text is no such label."""
    label, year = strip_year_note(text)
    label = label.replace(" ", "")
    if label not in ROW_MEASURES:
        return None
    return ROW_MEASURES[label], year


def strip_year_note(text: str) -> tuple[str, int | None]:
    """`700（R9年度）` → (`700`, 2027): a target printed with its own year."""
    return _year_note_of(nfkc(text))


_BRACKETED_NOTE = re.compile(r"[(（]([^()（）]*)[)）]\s*$")
_AS_OF = re.compile(r"時点|まで|末")
# `R9年度 120`, `R9年度120` (a wrapped cell rejoined), `R9年 120`, a deadline `令和8年度まで 5,000人`:
# a year before the number.
_LEADING_YEAR = re.compile(
    r"^((?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*(?:年度\s*(?:末\s*)?(?:までに?\s*)?|年?\s+))(\S.*)$"
)


@remembered
def _year_note_of(s: str) -> tuple[str, int | None]:
    m = _BRACKETED_NOTE.search(s)
    if m:
        found = find_fiscal_year(m.group(1))
        if found and found[1][1] - found[1][0] >= len(_AS_OF.sub("", m.group(1))) - 1:
            return s[: m.start()].strip(), found[0]
    m = _LEADING_YEAR.match(s)
    if m and parse_status(m.group(2)) is None:
        found = find_fiscal_year(m.group(1))
        if found:
            return m.group(2), found[0]
    return s, None


@dataclass(frozen=True)  # shared by every map of the same header (_header_roles)
class Column:
    role: str
    year: int | None = None
    unit: str = ""
    cumulative: bool = False  # a bracketed running total beside each figure (実績値（累計）)


@dataclass
class ColumnMap:
    width: int
    columns: dict[int, Column] = field(default_factory=dict)
    names_in_cells: bool = False  # no name column: each value cell prints its KPI's name

    def col(self, role: str) -> int | None:
        return self._first_of_role.get(role)

    @cached_property  # readers ask for the same roles on every row
    def _first_of_role(self) -> dict[str, int]:
        first: dict[str, int] = {}
        for c, spec in sorted(self.columns.items()):
            first.setdefault(spec.role, c)
        return first

    def measure_columns(self) -> list[tuple[int, Column]]:
        return [(c, s) for c, s in sorted(self.columns.items()) if s.role in MEASURE_ROLES]

    @property
    def name_col(self) -> int | None:
        return self.col("kpi_name")

    def kpi_groups(self) -> tuple[tuple[int, tuple[tuple[int, Column], ...]], ...]:
        """Each KPI name column with the measure columns that belong to it. Numbered KPI slots
        (KPI① 目標 実績 KPI② 目標 実績 …) own the measures up to the next name column."""
        return self._kpi_groups

    @cached_property  # asked for on every row
    def _kpi_groups(self) -> tuple[tuple[int, tuple[tuple[int, Column], ...]], ...]:
        names = [c for c, s in sorted(self.columns.items()) if s.role == "kpi_name"]
        measures = tuple(self.measure_columns())
        if len(names) <= 1:
            return ((names[0], measures),) if names else ()
        bounds = [*names[1:], self.width]
        return tuple(
            (n, tuple((c, s) for c, s in measures if n < c < end)) for n, end in zip(names, bounds, strict=True)
        )

    def derived_for(self, name_col: int) -> list[int]:
        """The derived columns (達成率, 評価) of a KPI name column's group: up to the next name."""
        names = [c for c, s in self.columns.items() if s.role == "kpi_name"]
        end = min((n for n in names if n > name_col), default=self.width)
        return [c for c, s in sorted(self.columns.items()) if s.role == "derived" and name_col < c < end]

    def unit_col_for(self, measure_col: int) -> int | None:
        """The unit column that serves a measure, within its KPI group (KPI① 単位 目標 実績 KPI②
        …) else in the table: its group's one unit column; of several, each serves the measures
        before it (基準 | 目標 | 最終目標 | 単位 | 実績 | 単位), so the nearest to the measure's
        right, else the last to its left."""
        if measure_col not in self._unit_cols:  # asked for on every row
            self._unit_cols[measure_col] = self._find_unit_col(measure_col)
        return self._unit_cols[measure_col]

    @cached_property
    def _unit_cols(self) -> dict[int, int | None]:
        return {}

    def _find_unit_col(self, measure_col: int) -> int | None:
        units = [c for c, s in sorted(self.columns.items()) if s.role == "unit"]
        names = [c for c, s in self.columns.items() if s.role == "kpi_name"]
        group = next((n for n, cols in self.kpi_groups() if any(c == measure_col for c, _ in cols)), None)
        if group is not None and len(names) > 1:
            end = min((n for n in names if n > group), default=self.width)
            units = [u for u in units if group < u < end] or units
        if len(units) <= 1:
            return units[0] if units else None
        after = [u for u in units if u > measure_col]
        return after[0] if after else [u for u in units if u < measure_col][-1]


def map_header(header_rows: list[list[str]], data_rows: list[list[str]]) -> ColumnMap:
    """Each column's role, year and unit from all the header rows above it, aligned with the data."""
    width = max(len(r) for r in header_rows + data_rows) if header_rows or data_rows else 0
    grid = tuple(tuple(r) + ("",) * (width - len(r)) for r in header_rows)
    return _align(width, list(_header_roles(grid)), data_rows)


@remembered  # a publisher prints the same header in every report, year after year
def _header_roles(grid: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, Column], ...]:
    return tuple(_HeaderScan([list(r) for r in grid]).roles())


Placed = tuple[int, int, int, Hit]  # (column, header row, position in the cell, hit)


@dataclass
class _HeaderScan:
    """The roles each header cell names, and what spanning cells lend the cells under them."""

    grid: list[list[str]]
    placed: list[Placed] = field(default_factory=list)
    lent: list[Placed] = field(default_factory=list)
    years: dict[int, int] = field(default_factory=dict)  # a year heading a column with no role of its own
    units: dict[int, str] = field(default_factory=dict)  # a unit row's unit: （件）

    def __post_init__(self) -> None:
        for r, row in enumerate(self.grid):
            span_text = ""
            for c, text in enumerate(row):
                if nfkc(text) and not self._filled_span(r, c):
                    span_text = text
                    self._own(r, c, text)
                elif nfkc(text):
                    span_text = text
                    self._lend(r, c, text)
                elif span_text and any(nfkc(g[c]) for g in self.grid[r + 1 :]):
                    # An upper cell spans right over the cells under it (令和3年度 over 目標 | 実績,
                    # 目標値 over R4 | R5): it lends them its year, and its role where they have none.
                    self._lend(r, c, span_text)
                else:
                    span_text = ""

    def _filled_span(self, r: int, c: int) -> bool:
        """A merged cell filled into every column it spans (xlsx, PDF): the same text beside it in
        its row, over cells of their own below. It lends, like an empty spanned cell."""
        row, text = self.grid[r], nfkc(self.grid[r][c])
        beside = (c > 0 and nfkc(row[c - 1]) == text) or (c + 1 < len(row) and nfkc(row[c + 1]) == text)
        return beside and any(nfkc(g[c]) and nfkc(g[c]) != text for g in self.grid[r + 1 :])

    def _own(self, r: int, c: int, text: str) -> None:
        hits = header_hits(text)
        self.placed.extend((c, r, hit.start, hit) for hit in hits)
        if not hits:
            self._note_year_and_unit(c, text)

    def _lend(self, r: int, c: int, span_text: str) -> None:
        hits = header_hits(span_text)
        if not hits:
            self._note_year_and_unit(c, span_text)
        self.lent.extend((c, r, hit.start, hit) for hit in hits)

    def _note_year_and_unit(self, c: int, text: str) -> None:
        found = find_fiscal_year(text)
        if found:
            self.years[c] = found[0]
        if is_unit_label(text):
            self.units[c] = header_unit(text) or nfkc(text)

    def _own_under_measures(self) -> list[Placed]:
        """A generic header under a measure's span takes its meaning from it (基準値 over
        数値 | 年度): 数値 is that measure's value, 年度 (時期) that measure's date."""
        above = {c: hit for c, r, _s, hit in self.lent if hit.role in _DATE_OF_MEASURE}
        own: list[Placed] = []
        for c, r, start, hit in self.placed:
            measure = above.get(c)
            if measure and hit.role == "by_row":
                hit = Hit(measure.role, hit.start, hit.year or measure.year, hit.unit or measure.unit)
            elif measure and hit.role == "fiscal_year":
                hit = Hit(_DATE_OF_MEASURE[measure.role], hit.start, hit.year, hit.unit)
            own.append((c, r, start, hit))
        return own

    def roles(self) -> list[tuple[int, Column]]:
        own = self._own_under_measures()
        with_own_role = {c for c, *_ in own}
        placed = own + [item for item in self.lent if item[0] not in with_own_role]
        # A generic value header (数値) spanning measure headers yields to them.
        with_measure = {c for c, _r, _s, hit in placed if hit.role in MEASURE_ROLES and hit.role != "by_row"}
        placed = [p for p in placed if not (p[3].role == "by_row" and p[0] in with_measure)]
        placed.sort(key=lambda p: (p[0], ROLE_ORDER.get(p[3].role, 9), p[1], p[2]))
        roles: list[tuple[int, Column]] = []
        seen: set[tuple[int, str]] = set()
        for c, _r, _s, hit in placed:
            if (c, hit.role) not in seen:
                seen.add((c, hit.role))
                year, unit = hit.year or self.years.get(c), hit.unit or self.units.get(c, "")
                roles.append((c, Column(hit.role, year, unit, hit.cumulative)))
        # A column headed by a year alone holds that year's value; the row says which measure.
        with_role = {c for c, _ in roles}
        return roles + [(c, Column("by_row", year)) for c, year in sorted(self.years.items()) if c not in with_role]


def _kind_of_column(c: int, rows: list[list[str]]) -> str | None:
    kinds = [cell_kind(r[c]) for r in rows if c < len(r)]
    counts = Counter(k for k in kinds if k)
    return counts.most_common(1)[0][0] if counts else None  # a tie goes to the kind seen first


class _ColumnKinds:
    """The kind of each column's data cells, read when first asked for: the placing below asks
    only about the columns it still has to decide, and reading a column of long texts (a KPI
    name or free-text column, placed by its header) costs the most."""

    def __init__(self, width: int, rows: list[list[str]]) -> None:
        self.width, self.rows = width, rows
        self.known: dict[int, str | None] = {}

    def get(self, c: int) -> str | None:
        if c not in self.known:
            self.known[c] = _kind_of_column(c, self.rows) if 0 <= c < self.width else None
        return self.known[c]

    def is_labels(self, c: int) -> bool:
        """get(c) == "label"; a column with no row label in it (most) told without reading the
        kinds of its other cells."""
        if c not in self.known and not any(_leading_kind(r[c]) == "label" for r in self.rows if c < len(r)):
            return False
        return self.get(c) == "label"


Roles = list[tuple[int, Column]]
NAME_ROLES = ("kpi_name", "kpi_text")
_SIDE_KINDS = ("skip", "free_text", "name")  # roles placed where their header is, on either side
_DATA_KINDS = ("number", "unit", "date", "text")


def _align(width: int, roles: Roles, data_rows: list[list[str]]) -> ColumnMap:
    """Place each role on a column, trusting the data's kinds over a garbled header's positions."""
    kinds = _ColumnKinds(width, data_rows)
    roles, names_in_cells = _with_name_column(roles, kinds, width)
    name_col = min((c for c, s in roles if s.role in NAME_ROLES), default=-1)
    left = [(c, s) for c, s in roles if c <= name_col or role_kind(s.role) in _SIDE_KINDS]
    right = [(c, s) for c, s in roles if (c, s) not in left]
    # A column whose header says it is read for nothing (達成率, 備考) is no place for another role,
    # whatever its cells hold (a note's 令和6年9月 is no 基準年度).
    skipped = {c for c, s in roles if role_kind(s.role) == "skip"}
    placed = _place_by_kind(right, kinds, range(name_col + 1, width), skipped)
    for c, spec in left:
        placed.setdefault(c, spec)
    named = _named_measure(roles, kinds, name_col)
    if named is not None:  # 指標及び目標値 over `来館者数 32,000人`: the cells carry the names
        placed[name_col], names_in_cells = named, True
    _mark_row_labels(placed, kinds, width)
    return ColumnMap(width, dict(sorted(placed.items())), names_in_cells)


def _named_measure(roles: Roles, kinds: _ColumnKinds, name_col: int) -> Column | None:
    """The measure of a KPI column whose header names a measure too (重要業績評価指標及び目標値)
    and whose cells print each KPI's name with its number; None for any other name column."""
    measure = next((s for c, s in roles if c == name_col and s.role in MEASURE_ROLES), None)
    if measure is None or kinds.get(name_col) != "named":
        return None
    return measure


def _with_name_column(roles: Roles, kinds: _ColumnKinds, width: int) -> tuple[Roles, bool]:
    """The roles with the column that names the KPIs, where the header names none; and whether
    the KPIs are named inside the value cells instead (`空き店舗の活用件数 3件`)."""
    if any(s.role in NAME_ROLES for _, s in roles):
        return roles, False
    measures = [c for c, s in roles if s.role in MEASURE_ROLES]
    if measures and all(kinds.get(c) == "named" for c in measures):
        return roles, True
    sentences = _sentence_column(roles, kinds)
    if sentences is not None:
        return [
            (c, Column("kpi_text") if c == sentences else s)
            for c, s in roles
            if c == sentences or s.role not in MEASURE_ROLES
        ], False
    implicit = _unlabelled_name_column(roles, kinds, width)
    if implicit is not None:
        return [(implicit, Column("kpi_name")), *((c, s) for c, s in roles if c != implicit)], False
    return roles, False


def _sentence_column(roles: Roles, kinds: _ColumnKinds) -> int | None:
    """A results column holding sentences (実績: "来訪者数 目標 … 実績 …") is free-text KPIs."""
    texts = [c for c, s in roles if s.role == "actual" and kinds.get(c) == "text"]
    if texts and not any(kinds.get(c) == "number" for c, s in roles if s.role in MEASURE_ROLES):
        return texts[0]
    return None


def _unlabelled_name_column(roles: Roles, kinds: _ColumnKinds, width: int) -> int | None:
    """KPI names under an empty header (plans) or under a corner label such as 区分 (a transposed
    table): the first text column with no role other than one that reads nothing."""
    if not any(s.role in MEASURE_ROLES for _, s in roles):
        return None
    read = {c for c, s in roles if s.role != "ignore"}
    return next((c for c in range(width) if c not in read and kinds.get(c) == "text"), None)


def _place_by_kind(right: Roles, kinds: _ColumnKinds, span: range, skipped: set[int]) -> dict[int, Column]:
    """The n-th role of a kind goes on the n-th data column of that kind, when their counts
    agree; otherwise each role stays where its header is."""
    placed: dict[int, Column] = {}
    for kind in _DATA_KINDS:
        wanted = [(c, s) for c, s in right if role_kind(s.role) == kind]
        if not wanted:
            continue  # nothing to place, whatever the columns hold
        data_cols = [c for c in span if c not in skipped and c not in placed and kinds.get(c) == kind]
        if len(data_cols) == len(wanted):
            pairs = list(zip(data_cols, (s for _, s in wanted), strict=True))
        else:
            pairs = [(c, s) for c, s in wanted if c not in placed]
        placed.update(pairs)
    return placed


def _mark_row_labels(placed: dict[int, Column], kinds: _ColumnKinds, width: int) -> None:
    """A column of row labels (目標 / 実績, 基準値 / 達成率) says which measure each row holds."""
    for c in range(width):
        if (c not in placed or role_kind(placed[c].role) == "skip") and kinds.is_labels(c):
            placed[c] = Column("row_measure")
