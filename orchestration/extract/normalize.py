"""Pure normalisation functions: text, numbers, statuses, era years, points in time, units.

Every function here is total (never raises on odd input) and side-effect free, so readers can
call them on anything a report prints.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from orchestration import vocab

# Eras: first Western year of each (元年 = year 1).
ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}

# Words a report prints where a number is missing; every dash counts as the status "-".
STATUS_WORDS = vocab.statuses()
DASHES = vocab.words()["dashes"]
_STATUS_INITIALS = frozenset(word[0] for word in STATUS_WORDS)

_SUP = re.compile(r"<sup>.*?</sup>")
_FOOTNOTE = re.compile(r"(?:※\s*\d*|\*\d+|注\d+)$")
_DIGIT_SPACES = re.compile(r"(?<=[\d,.])\s+(?=[\d,.])")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?")
_NUMBER_UNIT = re.compile(r"^([+]?[-−▲△]?\s*[\d][\d,\s]*(?:\.\d+)?)\s*(.+)$")
_NUMBER = re.compile(r"^[+]?(?P<neg>[-−▲△])?\s*(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)$")
# A plain number (1,839,000 / 68.5 / 0): NFKC and footnote stripping leave it as it is, _NUMBER
# reads it whole and its commas group thousands. Most value cells are one, so they are told first.
PLAIN_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")


def nfkc(text: object) -> str:
    """NFKC with white space collapsed to single spaces and trimmed."""
    if text.__class__ is str:  # the common case first: a cell's or line's text
        return _nfkc_str(text)
    return "" if text is None else _nfkc_str(str(text))


# Readers normalise and parse the same cells and lines many times over (header tests, column
# kinds, layout families, context): what a pure function of one string gives is remembered, per
# process, for the most recent strings.
remembered = lru_cache(maxsize=1 << 16)


@remembered
def _nfkc_str(text: str) -> str:
    # str.split() cuts at the white space `\s` matches (every code point checked): a third
    # cheaper than a regex substitution and a strip.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _squeeze_digit_spaces(s: str) -> str:
    """`8 8 8, 8 3 9` → `888,839`: spaces between digits and separators are print artefacts."""
    return _DIGIT_SPACES.sub("", s)


def strip_footnote(s: str) -> str:
    """`12,480※1` → `12,480`; a footnote marker is neither value nor unit."""
    if "<sup>" in s:
        s = _SUP.sub("", s)
    return _FOOTNOTE.sub("", s).strip()


def parse_number(text: object) -> float | None:
    """A printed number as a float: commas, full-width digits, spaced digits, ▲/△/− negatives."""
    return _number_of(nfkc(text))


@remembered
def _number_of(s: str) -> float | None:
    s = strip_footnote(s)
    if not s:
        return None
    s = _squeeze_digit_spaces(s)
    m = _NUMBER.match(s)
    if not m:
        return None
    digits = m.group("num").replace(",", "")
    # A comma must group thousands: `1,2` is not a number but a list.
    if "," in m.group("num") and not _THOUSANDS.fullmatch(m.group("num")):
        return None
    value = float(digits)
    return -value if m.group("neg") else value


def parse_status(text: object) -> str | None:
    """The report's word for a missing number (`集計中`, `未計測`, …), every dash as `-`."""
    return _status_of(nfkc(text))


@remembered
def _status_of(s: str) -> str | None:
    s = strip_footnote(s)
    if s and not s.strip(DASHES):  # dashes only
        return "-"
    if s[:1] not in _STATUS_INITIALS:
        return None
    for word in STATUS_WORDS:
        if s == word or (s.startswith(word) and len(s) <= len(word) + 2):
            return word
    return None


def era_year(era: str, year: str) -> int | None:
    """Western calendar year of an era year: (`令和`, `2`) → 2020; `元` is year 1; `R`/`H` allowed."""
    era = ERA_LETTERS.get(era.upper(), era) if len(era) == 1 else era
    base = ERAS.get(era)
    if base is None:
        return None
    n = 1 if year == "元" else int(year)
    return base + n - 1


_ERA = r"(?P<era>明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR])"
_ERA_N = r"(?P<n>\d{1,2}|元)"
POINT_IN_TIME = re.compile(
    rf"(?:{_ERA}\s*{_ERA_N}\s*(?:[.．/]\s*|年\s*)|(?P<west>(?:19|20)\d\d)\s*(?:[.．/]\s*|年\s*))"
    r"(?P<month>1[0-2]|1\s[0-2](?=\s*月)|0?[1-9])(?!\d)\s*月?"  # 1 2月: a month a PDF cell wrapped
)
FISCAL_YEAR = re.compile(rf"(?:{_ERA}\s*{_ERA_N}|(?P<west>(?:19|20)\d\d))\s*(?P<suffix>年度末|年度|年)?(?!\d)")


def fiscal_year_of_point(year: int, month: int) -> int:
    """The fiscal year (April–March) a month falls in: January–March belong to the year before."""
    return year - 1 if month <= 3 else year


def find_point_in_time(text: object) -> tuple[int, tuple[int, int]] | None:
    """The first point in time (`R4.3`, `令和4年12月`, `2023年3月`) as (fiscal year, span)."""
    return _point_in_time_of(nfkc(text))


@remembered
def _point_in_time_of(s: str) -> tuple[int, tuple[int, int]] | None:
    m = POINT_IN_TIME.search(s)
    if not m:
        return None
    year = int(m.group("west")) if m.group("west") else era_year(m.group("era"), m.group("n"))
    if year is None:
        return None
    return fiscal_year_of_point(year, int(m.group("month").replace(" ", ""))), m.span()


def find_fiscal_year(text: object) -> tuple[int, tuple[int, int]] | None:
    """The first fiscal-year expression as (Western fiscal year, span).

    A point in time (`R4.3`) gives the fiscal year it falls in; `令和2年度`, `R5`, `H30`, `2021年度`
    give their year; `R4年度末` is the end of fiscal R4 and so belongs to it.
    """
    return _fiscal_year_of(nfkc(text))


@remembered
def _fiscal_year_of(s: str) -> tuple[int, tuple[int, int]] | None:
    point = find_point_in_time(s)
    m = FISCAL_YEAR.search(s)
    if point and (not m or point[1][0] <= m.start()):
        return point
    if not m:
        return None
    if m.group("west"):
        # A bare Western number is a year only with 年/年度 after it.
        if not m.group("suffix"):
            return None
        return int(m.group("west")), m.span()
    year = era_year(m.group("era"), m.group("n"))
    return (year, m.span()) if year else None


def parse_fiscal_year(text: object) -> int | None:
    found = find_fiscal_year(text)
    return found[0] if found else None


# Units: a short run of non-digits printed after a number. Scale prefixes stay part of the unit
# as printed (千円 stays 千円); converting to base units is the warehouse's job.
_UNIT_BODY = r"[^\s\d、。，,：:;；()（）\[\]【】「」『』…→⇒~〜～*※<>=+＋\-−/／|]"
UNIT = re.compile(
    rf"(?:%|‰|m2|m3|km2|{_UNIT_BODY}{{1,5}}?)"
    rf"(?:[/／](?!目標|実績|基準|KPI){_UNIT_BODY}{{1,3}}?)?"
)
_NOT_IN_UNIT = set("のをがはにでとやへもより") | {"目標", "実績", "基準", "見込", "KPI", "指標", "年度"}
_UNIT_BOUNDARY = re.compile(
    r"$|[\s()（）、。，,※…→⇒【<;；:：①-⑳○●◯◎◆◇■□▼▽▶►]|[/／]?(?:目標|実績|基準|KPI)"
    r"|[/／](?=(?:令和|平成|[RH])\s?\d{1,2}\s?(?:年度)?\s?(?:目標|実績|基準))"  # 1,200人／R4実績 …
)


def match_unit(text: str, pos: int = 0) -> str | None:
    """The shortest unit starting at `pos` that ends at a boundary (`次産業化…` is no unit)."""
    for end in range(pos + 1, min(len(text), pos + 10) + 1):
        candidate = text[pos:end]
        if UNIT.fullmatch(candidate) and _UNIT_BOUNDARY.match(text, end) and is_unit(candidate):
            return candidate
    return None


_DIGIT_UNITS = frozenset({"m2", "m3", "km2"})


def is_unit(text: str) -> bool:
    """A plausible unit: short, no particles or KPI words in it, no digits (a telephone number's
    `-45-6789`) but m2 / m3, not only dashes (a page number's `- 3 -`)."""
    s = text.strip()
    if not s or len(s) > 8 or not s.strip(DASHES):
        return False
    if s[0] in "・/／" or s[-1] in "・/／":
        return False
    if any(ch.isdigit() for ch in s) and s not in _DIGIT_UNITS:
        return False
    return not any(w in s for w in _NOT_IN_UNIT)


# Counters seen as units in brackets; a bracketed word outside this list (年間, 公立小学校) is a
# qualifier of the name. Kept short on purpose: value cells carry most units.
_PREFIXES, _COUNTERS = vocab.bracket_units()
_BRACKET_UNITS = re.compile(rf"^(?:{vocab.alternation(_PREFIXES)})?(?:{vocab.alternation(_COUNTERS)})$")


def is_bracket_unit(text: str) -> bool:
    """A unit printed in brackets after a name or header (`(社)`, `(千円)`), not a qualifier."""
    return bool(_BRACKET_UNITS.match(nfkc(text).replace(" ", "")))


def normalize_unit(text: object) -> str:
    return nfkc(text).replace(" ", "")


def split_value_unit(text: object) -> tuple[float | None, str, str]:
    """A value cell as (value, unit, status): `53,617人` → (53617, 人, ""); `集計中` → (None, "", 集計中).

    Returns (None, "", "") for text that is neither a number with an optional unit nor a status.
    """
    return _value_unit_of(nfkc(text))


@remembered
def _value_unit_of(s: str) -> tuple[float | None, str, str]:
    if PLAIN_NUMBER.fullmatch(s) and s[:1] not in _STATUS_INITIALS and s.strip(DASHES):
        return float(s.replace(",", "")), "", ""  # what parse_number gives, neither status nor unit
    s = strip_footnote(s)
    status = parse_status(s)
    if status:
        return None, "", status
    value = parse_number(s)
    if value is not None:
        return value, "", ""
    m = _NUMBER_UNIT.match(s)
    if m:
        value = parse_number(m.group(1))
        unit = strip_footnote(m.group(2))
        if value is not None and is_unit(unit):
            return value, normalize_unit(unit), ""
    # A provisional figure (見込み) is still the number, the word printed after it or before it.
    m = _PROVISIONAL.match(s)
    if m:
        return split_value_unit(m.group("after") or m.group("before"))
    return None, "", ""


_RUNNING_TOTAL = re.compile(
    r"^(?P<figure>.*?\d.*?)\s*[(（]\s*(?P<said>累計値?)?\s*[:：]?\s*[-−▲△]?\d[\d,]*(?:\.\d+)?\s*[^()（）\d]{0,6}[)）]$"
)


def strip_running_total(text: object, cumulative_column: bool = False) -> str:
    """`118件（205件）` under `実績値（累計）`, or `118件（累計205件）` anywhere → `118件`: the
    figure outside the brackets is the year's; the running total is no observation. A bracketed
    number that neither the cell nor the column calls a running total is left in place."""
    s = nfkc(text)
    m = _RUNNING_TOTAL.match(s)
    if m and (m.group("said") or cumulative_column):
        return m.group("figure").strip()
    return s


_PROVISIONAL = re.compile(
    r"^(?:(?P<after>.*?\d[\d,.]*\S*?)\s*[(（]?見込み?[)）]?|[(（]?見込み?[)）]?[:：]?\s*(?P<before>[-+−▲△]?\d.*))$"
)


CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@remembered
def join_lines(text: str) -> str:
    """Join wrapped lines: no space between two Japanese characters, one space otherwise."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        sep = "" if CJK.match(out[-1]) and CJK.match(part[0]) else " "
        out += sep + part
    return out


def clean_name(text: object) -> str:
    """A project or KPI name as the contract wants it: HTML-free, NFKC, single spaces."""
    return nfkc(join_lines(str(text or "")))


# A policy code (Ⅲ-2-①) or heading number ((2), 1.) printed before a project's name.
_HEADING_NUMBER = re.compile(
    r"^(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩIVX]+(?:\s*[-‐－ー]\s*(?:\d{1,2}|[①-⑳]))+|[(（]\d{1,2}[)）]|\d{1,2}[.)、](?!\d))\s+"
)


def clean_project_name(text: object) -> str:
    """A project's name without the policy code or heading number printed before it (before and
    after NFKC, which turns ① into 1)."""
    return _project_name_of(str(text or ""))


@remembered
def _project_name_of(s: str) -> str:
    return _HEADING_NUMBER.sub("", clean_name(_HEADING_NUMBER.sub("", s.strip())))


_COMPOUND_SEP = re.compile(r"\s*[・･]\s*")


def split_compound(text: object, unit_text: object = "") -> list[tuple[float, str]] | None:
    """Two or more numbers joined by `・` under a compound unit (`150・2,800` with `回・人`):
    [(150, 回), (2800, 人)]. Each number keeps the unit part in its position, or the unit printed
    right after it (`150回・2,800人`); None when the text is not such a pair."""
    parts = _COMPOUND_SEP.split(strip_footnote(nfkc(text)))
    if len(parts) < 2:
        return None
    units = _COMPOUND_SEP.split(normalize_unit(unit_text)) if unit_text else []
    out = []
    for i, part in enumerate(parts):
        value, unit, _status = split_value_unit(part)
        if value is None:
            return None
        out.append((value, unit or (units[i] if len(units) == len(parts) else "")))
    return out


_NAME_VALUE = re.compile(
    r"^(?P<name>.*[^\d\s,.．、:：])\s*(?P<value>[-−▲△]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[^\d]{0,8})$"
)


def split_name_value(text: object, labels: tuple[str, ...] = ()) -> tuple[str, float, str] | None:
    """A KPI's name and its number in one cell (`空き店舗の活用件数 3件` → (name, 3, 件)). A number
    inside the name (`75歳以上の…`) stays in it: the value is the last number. None where the text
    before the number holds a measure label (a sentence such as `目標 100人 実績 143人`)."""
    s = _squeeze_digit_spaces(strip_footnote(nfkc(text)))  # 1, 3 0 8件: spaced-out digits
    m = _NAME_VALUE.match(s)
    if not m or len(CJK.findall(m.group("name"))) < 2 or any(label in m.group("name") for label in labels):
        return None
    unit = m.group("unit").strip()
    value = parse_number(m.group("value"))
    if value is None or (unit and not is_unit(unit)):
        return None
    return m.group("name").strip(), value, normalize_unit(unit)


def split_named_cell(text: object, labels: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(KPI name, the value as printed) of a cell naming its KPI: `<name> 3件` → (name, `3件`),
    `<name> 集計中` → (name, `集計中`); None for any other text."""
    found = split_name_value(text, labels)
    if found:
        number = int(found[1]) if found[1].is_integer() else found[1]
        return found[0], f"{number}{found[2]}"
    name, _, last = nfkc(text).rpartition(" ")
    status = parse_status(last)
    if name and status and split_name_value(f"{name} 0", labels):  # a name that a number could follow
        return name, status
    return None
