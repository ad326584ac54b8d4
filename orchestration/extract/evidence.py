"""Evidence: what a report prints that is no observation but checks its numbers.

A printed 達成率 (actual ÷ target), an achievement mark or grade (◎/○/△/×, A/B/C, 達成/未達成)
with the legend that defines it, a second printing of a KPI's number. Readers note them as
they read (`Sink.note_evidence`); this module says what a derived cell holds, what the page's
legends make of each mark, and which observations a repeated table printed again. dbt checks
the observations against them (int_kpi_observations__verified).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from orchestration.extract.model import Document, Evidence, Line, Observation
from orchestration.extract.normalize import nfkc, split_value_unit
from orchestration.vocab import alternation, words

_MARKS = words()["marks"]
_MARK_WORDS = frozenset((*_MARKS["achievement"], *_MARKS["words"]))
_MEANINGS = {m: "met" for m in _MARKS["met"]} | {m: "not_met" for m in _MARKS["not_met"]}
# A legend entry: a mark, a separator, its meaning up to the next entry (○：目標を達成 △：…,
# A（100%以上）、B（…）). A Latin grade stands alone (not inside a word such as KPI).
_SYMBOLS = "◎○〇△×✕"
_ENTRY = re.compile(rf"(?:(?<![A-Za-z])([A-DS])(?![A-Za-z])|([{_SYMBOLS}]))\s*[:：(（]?\s*")
_NOT_MET = re.compile(alternation(_MARKS["legend_not_met"]))
_MET = re.compile(alternation(_MARKS["legend_met"]))
_AT_LEAST = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*以上")
_BELOW = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*未満")


def derived_reading(text: str, unit: str) -> tuple[str, float | None, str] | None:
    """What a derived cell (達成率, 評価, 達成状況) holds: ("achievement_rate", value, "%") for a
    percentage, ("mark", None, "") for a mark or grade, None for anything else (a score of 1–5,
    a dash, a blank: nothing to check against)."""
    s = nfkc(text).strip()
    if s in _MARK_WORDS:
        return "mark", None, ""
    value, printed_unit, _status = split_value_unit(s)
    if value is not None and "%" in (printed_unit or unit):
        return "achievement_rate", value, "%"
    return None


@dataclass(frozen=True)
class Meaning:
    """What a legend says one mark means: met / not_met / "" and the 達成率 band (%) it gives."""

    meaning: str
    rate_min: float | None
    rate_max: float | None
    legend: str


def legend_entries(text: str) -> dict[str, Meaning]:
    """mark → its meaning, from a legend line (`○：目標を達成 △：目標の80％以上 ×：…`); {} for a
    line that defines fewer than two marks (a sentence that happens to hold a ○)."""
    s = nfkc(text)
    hits = list(_ENTRY.finditer(s))
    if len(hits) < 2:
        return {}
    entries: dict[str, Meaning] = {}
    ends = [h.start() for h in hits[1:]] + [len(s)]
    for hit, end in zip(hits, ends, strict=True):
        mark = hit.group(1) or hit.group(2)
        said = s[hit.end() : end].strip(" 　、,)）")
        if said:
            entries.setdefault(mark, _meaning_of(said, text.strip()))
    return entries if len(entries) >= 2 else {}


def _meaning_of(said: str, legend: str) -> Meaning:
    """A legend entry's meaning: a band of 達成率 decides (≥100% is met, <100% is not), else its
    words (未達成 before 達成)."""
    low, high = _AT_LEAST.search(said), _BELOW.search(said)
    rate_min = float(low.group(1)) if low else None
    rate_max = float(high.group(1)) if high else None
    if rate_min is not None or rate_max is not None:
        met = "met" if rate_min is not None and rate_min >= 100 else ""
        not_met = "not_met" if rate_max is not None and rate_max <= 100 else ""
        return Meaning(met or not_met, rate_min, rate_max, legend)
    if _NOT_MET.search(said):
        return Meaning("not_met", None, None, legend)
    return Meaning("met" if _MET.search(said) else "", None, None, legend)


def page_legends(doc: Document) -> list[tuple[int, dict[str, Meaning]]]:
    """The legends a document prints, (page, mark → meaning), in reading order."""
    found = []
    for block in doc.blocks:
        if isinstance(block, Line):
            entries = legend_entries(block.text)
            if entries:
                found.append((block.page, entries))
    return found


def with_meanings(evidence: list[Evidence], legends: list[tuple[int, dict[str, Meaning]]]) -> list[Evidence]:
    """Each mark with what it means: the legend on its page that defines it, else the
    document's first that does, else the vocabulary's meaning of the mark."""
    out = []
    for item in evidence:
        if item.kind != "mark":
            out.append(item)
            continue
        defining = [(page, entries[item.value_text]) for page, entries in legends if item.value_text in entries]
        same_page = [m for page, m in defining if page == item.page]
        chosen = (same_page or [m for _, m in defining] or [None])[0]
        if chosen is None:
            out.append(replace(item, meaning=_MEANINGS.get(item.value_text, "")))
        else:
            out.append(
                replace(
                    item,
                    meaning=chosen.meaning,
                    rate_min=chosen.rate_min,
                    rate_max=chosen.rate_max,
                    legend=chosen.legend[:500],
                )
            )
    return out


def printing_key(obs: Observation) -> tuple:
    """What names one number of a report whatever its value: the same key printed twice with
    another value is a second printing that disagrees."""
    return obs.identity()[:5]


def repeat_evidence(again: Observation, first: Observation) -> Evidence:
    """`again`, a second printing of `first`'s KPI, measure and year, as evidence bearing on `first`."""
    return Evidence(
        doc=again.doc,
        kind="repeat",
        grant_program=first.grant_program,
        project_name=first.project_name,
        kpi_name=first.kpi_name,
        measure=first.measure,
        fiscal_year=first.fiscal_year,
        value=again.value,
        value_text=again.value_text,
        unit=again.unit,
        page=again.page,
        line=again.line,
        cell=again.cell,
        fragment=again.fragment,
        reader=again.reader,
    )
