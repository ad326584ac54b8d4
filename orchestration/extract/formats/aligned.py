"""Unruled tables: columns aligned by white space only, found from where the printed words sit.

    事業名                 重要業績評価指標(KPI)    単位    目標値(R4年度)    実績値(R4年度)
    井波まちなか交流拠点…  拠点施設の利用者数       人          18,000           19,420
                           拠点を通じた創業件数     件               4                3

A printed line splits into phrases where the space between two characters is wider than one and
a half characters (a space inside a cell, or between the items of a legend, is narrower). A run
of lines of which each prints at least as many phrases as a table has columns is a table; a
shorter line between two such lines (a wrapped cell, a row with blank cells) belongs to it, one
before or after it (a heading, a note) does not, nor does a full line at its end whose phrases
bridge the columns of the others. The table's columns are where the phrases of its full lines
stand, every column the span that their phrases cover together; each phrase of each line goes
to the column it stands in.
"""

from __future__ import annotations

from dataclasses import dataclass

Char = dict  # a pdfplumber char: text, x0, x1, top, bottom (and conf, from OCR)
_ROW_GAP = 2.0  # line heights of space between two lines that end a run
_PHRASE_GAP = 1.0  # character heights of space within a phrase (a full-width space is one)


@dataclass
class AlignedTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[list[Char]]]  # each printed line, each column: the chars printed in it


def aligned_tables(lines: list[dict], min_columns: int) -> list[AlignedTable]:
    """The unruled tables among text lines (pdfplumber's `extract_text_lines`, top to bottom)."""
    tables = []
    for run in _runs([_phrases(line["chars"]) for line in lines], min_columns):
        run = _trimmed(run, min_columns)
        columns = _columns(run, min_columns)
        if len(columns) >= min_columns:
            tables.append(_table(run, columns))
    return tables


def _trimmed(run: list[list[list[Char]]], min_columns: int) -> list[list[list[Char]]]:
    """The run without full lines at its ends that do not keep to its columns (a legend of
    several items under the table): a line whose phrases bridge two columns of the others."""
    while sum(len(p) >= min_columns for p in run) > 2:
        full = [i for i, p in enumerate(run) if len(p) >= min_columns]
        without_last, without_first = run[: full[-2] + 1], run[full[1] :]
        if len(_columns(without_last, min_columns)) > len(_columns(run, min_columns)):
            run = without_last
        elif len(_columns(without_first, min_columns)) > len(_columns(run, min_columns)):
            run = without_first
        else:
            break
    return run


def _phrases(chars: list[Char]) -> list[list[Char]]:
    """A line's chars in phrases: a gap wider than the characters' height starts a new one."""
    printed = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
    phrases: list[list[Char]] = []
    for char in printed:
        if phrases and char["x0"] - phrases[-1][-1]["x1"] <= _PHRASE_GAP * (char["bottom"] - char["top"]):
            phrases[-1].append(char)
        else:
            phrases.append([char])
    return phrases


def _runs(lines: list[list[list[Char]]], min_columns: int) -> list[list[list[list[Char]]]]:
    """Runs of at least two full lines (min_columns phrases or more), with the shorter lines
    between them; a wide vertical gap ends a run."""
    runs: list[list[list[list[Char]]]] = []
    current: list[list[list[Char]]] = []
    pending: list[list[list[Char]]] = []  # short lines after the last full line of the run
    for phrases in lines:
        if not phrases:
            continue
        if current and _far_below(current[-1], (pending or [None])[-1], phrases):
            runs.append(current)
            current, pending = [], []
        if len(phrases) >= min_columns:
            current += [*pending, phrases] if current else [phrases]
            pending = []
        elif current:
            pending.append(phrases)
    runs.append(current)
    return [run for run in runs if sum(len(p) >= min_columns for p in run) >= 2]


def _far_below(last_full: list[list[Char]], last_short: list[list[Char]] | None, phrases: list[list[Char]]) -> bool:
    above = last_short or last_full
    bottom = max(c["bottom"] for p in above for c in p)
    top = min(c["top"] for p in phrases for c in p)
    height = max(c["bottom"] - c["top"] for p in phrases for c in p)
    return top - bottom > _ROW_GAP * height


def _columns(run: list[list[list[Char]]], min_columns: int) -> list[tuple[float, float]]:
    """The spans (x0, x1) that the phrases of the run's full lines cover together, left to right."""
    phrases = [p for line in run if len(line) >= min_columns for p in line]
    spans: list[tuple[float, float]] = []
    for x0, x1 in sorted((p[0]["x0"], p[-1]["x1"]) for p in phrases):
        if spans and x0 <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], x1))
        else:
            spans.append((x0, x1))
    return spans


def _table(run: list[list[list[Char]]], columns: list[tuple[float, float]]) -> AlignedTable:
    rows = []
    for phrases in run:
        cells: list[list[Char]] = [[] for _ in columns]
        for phrase in phrases:
            cells[_column_of(phrase, columns)].extend(phrase)
        rows.append(cells)
    chars = [c for phrases in run for p in phrases for c in p]
    bbox = (columns[0][0], min(c["top"] for c in chars), columns[-1][1], max(c["bottom"] for c in chars))
    return AlignedTable(bbox, rows)


def _column_of(phrase: list[Char], columns: list[tuple[float, float]]) -> int:
    """The column a phrase stands in: the one its middle falls in, else the nearest."""
    middle = (phrase[0]["x0"] + phrase[-1]["x1"]) / 2
    return min(range(len(columns)), key=lambda i: max(columns[i][0] - middle, middle - columns[i][1], 0))
