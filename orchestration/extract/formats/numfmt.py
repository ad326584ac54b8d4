"""Spreadsheet cell values as the sheet displays them, by their number format.

    display(0.125, "0.0%")            → "12.5%"
    display(1839000, '#,##0"人"')      → "1839000人"
    display(2500, '#,##0,"千円"')      → "3千円"   (a trailing comma scales by 1000)
    display(-22, '#,##0;"▲"#,##0')    → "▲22"
    display(dt.date(2024, 3, 31), "yyyy/m/d") → "2024/3/31"

A number keeps the decimals its format shows (rounded half away from zero, as Excel does); thousands
separators are not printed, so the text reads back as the same number. Dates print as
`Y/M/D` (or `Y/M` when the format shows no day), the form the layout readers take for a point in
time. Scientific, fraction and other formats this does not model print the value in General form.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from orchestration.extract.formats.cells import html_to_text

_BRACKET = re.compile(r"\[\$([^\]-]*)(?:-[^\]]*)?\]|\[[^\]]*\]")  # [$¥-411] shows ¥; [Red], [>=0] show nothing
_TOKEN = re.compile(r'"([^"]*)"|\\(.)|[_*](.)|(General|[0#?.,%]+(?:[eE][+-][0#]+)?)|(.)', re.DOTALL | re.IGNORECASE)
_DATE_CODES = re.compile(r"[ymdhsegYMDHSEG]")
_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 of Excel's 1900 date system, past its 1900 leap-year bug
_LAST_SERIAL = 2958466  # 9999-12-31
_GENERAL_DIGITS = 15  # significant digits General shows without binary noise (0.1 + 0.2 → 0.3)


def display(value: object, number_format: str | None = "General") -> str:
    """The text a cell shows; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date(value, _literal_free(number_format or ""))
    if isinstance(value, int | float):
        return _number(value, number_format or "General")
    return html_to_text(str(value))


def general(value: float) -> str:
    """General format: 14700.0 → "14700", 2.5 → "2.5", 1/3 → "0.333333333333333"."""
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return format(value, f".{_GENERAL_DIGITS}g")


def _sections(number_format: str) -> list[str]:
    """The `;`-separated sections, a `;` inside quotes not counting."""
    sections, current, quoted = [], "", False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += ch
    return [*sections, current]


def _section_for(value: float, number_format: str) -> tuple[str, float]:
    """The section that shows `value`, and the value it shows (a negative section prints its own
    sign, so it gets the magnitude)."""
    sections = _sections(number_format)
    if value < 0 and len(sections) >= 2 and sections[1].strip():
        return sections[1], -value
    if value == 0 and len(sections) >= 3 and sections[2].strip():
        return sections[2], value
    return sections[0], value


def _number(value: float, number_format: str) -> str:
    if number_format == "General":  # most cells: no section to parse
        return general(value)
    section, value = _section_for(value, number_format)
    section = _BRACKET.sub(lambda m: m.group(1) or "", section)
    codes = re.sub(r"(?i)general|e[+-]", "", _literal_free(section))  # what is left of a date format
    if re.search("[ydgeYDGE]", codes) and 0 <= value < _LAST_SERIAL:  # a date its reader left a serial number
        return _date(_EPOCH + dt.timedelta(days=value), codes)
    if not section.strip() or "@" in codes or "/" in codes or _DATE_CODES.search(codes):
        return general(value)  # text, fraction or time format on a number
    parts = []
    for m in _TOKEN.finditer(section):
        quoted, escaped, _padding, digits, other = m.groups()
        if digits is not None:
            parts.append(_digits(value, digits))
        else:
            parts.append(quoted if quoted is not None else escaped or other or "")
    return "".join(parts).strip()


def _digits(value: float, pattern: str) -> str:
    """`value` printed by one run of digit placeholders (`#,##0.00`, `0.0%`, `#,##0,`)."""
    if pattern.lower() == "general" or "e" in pattern.lower():
        return general(value)
    if not any(ch in "0#?" for ch in pattern):  # a comma or point printed as text
        return pattern
    scaled = Decimal(repr(value)) * (100 ** pattern.count("%"))
    integer_part = pattern.split(".")[0].rstrip("%")
    scaled /= Decimal(1000) ** (len(integer_part) - len(integer_part.rstrip(",")))
    fraction = pattern.split(".", 1)[1] if "." in pattern else ""
    decimals = sum(ch in "0#?" for ch in fraction)
    try:
        text = str(scaled.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # too many digits to quantize: beyond any printed report
        return general(value)
    optional = decimals - fraction.count("0")  # `#` decimals show only when not zero: 1.50 in 0.0# is 1.5
    while optional and text.endswith("0") and "." in text:
        text, optional = text[:-1], optional - 1
    text = text.rstrip(".")
    return text + "%" * pattern.count("%")


def _literal_free(number_format: str) -> str:
    """A format with its quoted text, escapes and brackets removed: what decides it is a date."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)


def _date(value: dt.datetime | dt.date | dt.time, codes: str) -> str:
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}"
    if isinstance(value, dt.datetime) and value.date() == dt.date(1899, 12, 30):  # a time of day
        return f"{value.hour}:{value.minute:02d}"
    lowered = codes.lower()
    if "y" in lowered and "d" not in lowered and "m" in lowered:
        return f"{value.year}/{value.month}"
    return f"{value.year}/{value.month}/{value.day}"
