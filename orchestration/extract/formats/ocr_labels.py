"""Label cells read by OCR, matched to the vocabulary with a tolerance for misread characters.

Tesseract misreads one or two characters of a short label often enough (`革準値` for 基準値,
`年席` for 年度) to move a whole column's role. A cell read by OCR that is made of vocabulary
words only (header words, measure labels, status words, grant names, era names), once each word
is allowed a character or two that OCR itself doubted (read under its confidence threshold),
reads as those words. A cell with anything else in it (a KPI name, a project name) keeps the
text OCR read: only a label is put right, and only to words the vocabulary already holds. A
text layer is exact and never comes here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import cache

from orchestration import vocab
from orchestration.extract.normalize import ERAS

_ERA_FIRST_YEAR = "元"  # 令和元年: the first year of an era, a year like a digit
# In a header pattern, what is no literal word: escapes, classes, lookarounds, optional chars.
_REGEX_NOISE = re.compile(r"\\.|\[[^\]]*\]|\(\?<?[=!][^)]*\)|.[?*]|.\{[^}]*\}")
_REGEX_SPLIT = re.compile(r"[()|^$?:+{}\\.]+")


@cache
def label_words() -> tuple[str, ...]:
    """Every word of two or more characters that the vocabulary prints as a label, longest first."""
    roles = vocab.load("headers")["roles"].values()
    pieces = [run for role in roles for pattern in role["patterns"] for run in _literal_runs(pattern)]
    pieces += [*vocab.measure_labels(), *vocab.statuses(), *vocab.grant_names(), *ERAS]
    words = {nfkc for nfkc in (unicodedata.normalize("NFKC", p) for p in pieces) if len(nfkc) >= 2}
    return tuple(sorted(words, key=len, reverse=True))


def _literal_runs(pattern: str) -> list[str]:
    """The literal words of a header pattern: `基準値の?(?:時期|年度)` → 基準値, 時期, 年度."""
    return [run for run in _REGEX_SPLIT.split(_REGEX_NOISE.sub("|", pattern)) if not run.isascii()]


def _tolerance(length: int) -> int:
    """Misread characters a word of this length may have: one in a short word, two from six on,
    always fewer than it has right."""
    return min(length - 1, 1 if length < 6 else 2)


def _neutral(ch: str) -> bool:
    """A character that is no word: Latin letters and digits (R3, KPI), punctuation, spaces."""
    return ch.isascii() or ch == _ERA_FIRST_YEAR or not unicodedata.category(ch).startswith("L")


def _misreads(window: str, word: str, doubted: Container[str]) -> int | None:
    """How many characters of `window` differ from `word` (same length); None when one that
    differs was read with confidence or is no letter (a bracket or a digit is never misread
    for a word's character)."""
    differ = [a for a, b in zip(window, word, strict=True) if a != b]
    return None if any(_neutral(ch) or ch not in doubted for ch in differ) else len(differ)


def _word_at(text: str, i: int, doubted: Container[str]) -> str | None:
    """The vocabulary word printed at `text[i:]`: the longest read exactly or with doubted
    characters misread within its tolerance, the fewer misread of two (None when two words
    tie: no guess between them)."""
    found: dict[tuple[int, int], set[str]] = {}
    for word in label_words():
        window = text[i : i + len(word)]
        misread = _misreads(window, word, doubted) if len(window) == len(word) else None
        if misread is not None and misread <= _tolerance(len(word)):
            found.setdefault((-len(word), misread), set()).add(word)
    best = found[min(found)] if found else set()
    return next(iter(best)) if len(best) == 1 else None


def match_label(text: str, doubted: Container[str]) -> str:
    """`text` read by OCR with its misread vocabulary words put right, when the whole text is
    vocabulary words (and years, brackets, Latin letters); otherwise `text` unchanged. Only a
    character in `doubted` (read under the confidence threshold) may be put right."""
    out, i = [], 0
    while i < len(text):
        word = _word_at(text, i, doubted)
        if word is not None:
            out.append(word)
            i += len(word)
        elif _neutral(text[i]):
            out.append(text[i])
            i += 1
        else:
            return text  # a word the vocabulary does not hold: not a label cell
    return "".join(out)
