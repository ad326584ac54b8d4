"""How sure a reading is, from where its labels were found (nearest is surest).

A number's three labels (its KPI's name, its year, its unit) are each found in one place, in an
order written once, nearest first: the number's own cell, its table (its row's label, its
column's header, a label row under it), the block above the table (a key-value row or heading
naming the KPI or its unit), the document (a heading's, sheet's or title's year), or nowhere. The
weights of the places are vocabulary (`words.toml`, `[confidence]`); a reading's confidence is
their product, times the OCR confidence (0–1) for a number read from a scan.

The places are worked out from what the sink is given: a year printed in the number's own cell
(or folded into it from a 時点 row under it) counts as the cell's, a year equal to the heading's
or document's counts as theirs (a column header printing that same year reads as the heading),
a KPI name that the block above named counts as the block's, a unit not printed after the
number counts as its table's.
"""

from __future__ import annotations

from typing import Literal

from orchestration.extract.normalize import find_fiscal_year, split_value_unit
from orchestration.vocab import words

Place = Literal["cell", "table", "block", "document", "none"]
PLACES: tuple[Place, ...] = ("cell", "table", "block", "document", "none")  # nearest first
_WEIGHTS: dict[str, float] = words()["confidence"]
if set(_WEIGHTS) != set(PLACES):
    raise ValueError(f"words.toml [confidence] must weigh exactly {PLACES}, not {sorted(_WEIGHTS)}")


def name_place(kpi_name: str, own_cell: bool, block_kpi: str) -> Place:
    """Where a KPI's name was found: in the number's own cell (a name and its number written
    together), the block above (a key-value row or heading naming the KPI), else its row."""
    if own_cell:
        return "cell"
    if block_kpi and kpi_name and kpi_name in block_kpi:
        return "block"
    return "table"


def year_place(year: int | None, cell_text: str, context_year: int | None) -> Place:
    """Where a number's year was found: its own cell's text, the heading or document (where it
    is `context_year`'s), else its table."""
    if year is None:
        return "none"
    if year in _years_in(cell_text):
        return "cell"
    return "document" if year == context_year else "table"


def _years_in(text: str) -> set[int]:
    years = set()
    found = find_fiscal_year(text)
    while found:
        years.add(found[0])
        text = text[found[1][1] :]
        found = find_fiscal_year(text)
    return years


def unit_place(value: float | None, unit: str, value_text: str) -> Place:
    """Where a number's unit was found: printed after it, else its table; a status has none to find."""
    if value is None or split_value_unit(value_text)[1]:
        return "cell"
    return "table" if unit else "none"


def confidence(*places: Place) -> float:
    """The product of the places' weights."""
    result = 1.0
    for place in places:
        result *= _WEIGHTS[place]
    return round(result, 3)


def ocr_weighed(label_confidence: float | None, ocr: float) -> float | None:
    """A reading's confidence times the OCR confidence of its cell (Tesseract's 0–100)."""
    if label_confidence is None:
        return None
    return round(label_confidence * max(0.0, min(ocr, 100.0)) / 100, 3)
