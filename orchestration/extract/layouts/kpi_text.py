"""The free-text KPI grammar: KPI names and their numbers written together in one cell.

    目標 100 人 実績 143 人            ・目標値：5,400,000 問 ・実績値：16,521,845 問
    50%（目標値） 【実績】71.62%       KPI 14,700 千人 (R5 実績：集計中)
    R5 198,929 件                     名称 … 309,900人      95件（目標 100件）

A cell is cut into tokens (list markers, labels, years, values, statuses, brackets, separators,
text), then read left to right: text gathers into a KPI name, labels and years set what the next
value is, a value lands on the name before it (or on the last name, for `目標 … 実績 …`). A bare
value is the year's actual. Whatever looks like a KPI but yields no number goes to review.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from orchestration.extract.normalize import (
    find_fiscal_year,
    is_bracket_unit,
    is_unit,
    join_lines,
    match_unit,
    nfkc,
    parse_number,
    remembered,
    strip_footnote,
)
from orchestration.vocab import alternation, measure_labels, statuses, words

LABELS = {**{k: v for k, v in measure_labels().items() if v}, **words()["text_only_labels"]}
_LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
_ERA_YEAR = (
    r"(?:令和|平成|(?<![A-Za-z])[RH])\s?(?:\d{1,2}|元)(?:\s?[.．]\s?\d{1,2}(?:月)?)?"
    r"(?:\s?年度末時点|\s?年度末|\s?年度|\s?年(?:\d{1,2}月)?)?(?:時点)?"
)
_WEST_YEAR = r"(?:19|20)\d\d\s?年度(?:末)?(?:時点)?"
# A deadline after a KPI's name (令和7年度まで 300件, 令和8年3月末までに): the number is the target
# for the deadline's fiscal year; a recurring target (毎年度 20社) is the target of the report's year.
_DEADLINE = rf"(?:{_ERA_YEAR}|{_WEST_YEAR}|(?:19|20)\d\d\s?年\s?\d{{1,2}}\s?月)\s?末?\s?まで(?:に)?"
_RECURRING = "毎年度?"
_STATUS = alternation(statuses())
# A KPI stated as a sentence: `Xを A（時点）から B（時点）に増加させる`: A is the baseline, B the target.
SENTENCE = re.compile(r"を\s?[-−▲△]?\d[^\n]*?から\s?[-−▲△]?\d")
_SENTENCE_AHEAD = re.compile(r"\s?[-−▲△]?\d[^\n]*?から\s?[-−▲△]?\d")
_FROM = "から"
# Achievement words (達成率 91.7%): what follows them is derived, not an observation.
_DERIVED_WORDS = [k for k, v in measure_labels().items() if v is None]
_DERIVED = alternation(_DERIVED_WORDS)
# Headings over activities and their counts (【Check】): nothing under them is an observation.
_ACTIVITY_HEADINGS = frozenset(words()["activity_headings"]["words"])
_FURNITURE = "|".join(f"(?:{p})" for p in words()["furniture"]["patterns"])

TOKEN = re.compile(
    rf"""
    (?P<nl>\n)
  | (?P<mark>(?:KPI|指標)\s?[①-⑳]|[①-⑳]|[○●◯◎◆◇■□▼▽▶►](?!\s*\d)|(?:(?<=\s)|^)・(?!\s*\d)
        |(?:(?<=\s)|^)[(（]\d{{1,2}}[)）]|(?:(?<=\s)|^)\d{{1,2}}[.)、](?!\d))
  | (?P<furniture>{_FURNITURE})
  | (?P<bracket>【[^】\n]*】)
  | (?P<paren>[(（][^()（）]{{0,200}}[)）])
  | (?P<deadline>{_DEADLINE})
  | (?P<recurring>{_RECURRING})
  | (?P<year>{_ERA_YEAR}|{_WEST_YEAR})
  | (?P<derived>(?:{_DERIVED})(?!指標)(?:\s?[:：])?)
  | (?P<label>(?:{_LABEL})(?:\s?[:：])?)
  | (?P<status>(?:{_STATUS}))
  | (?P<value>(?<![A-Za-z0-9.,])[-−▲△]?\d[\d,]*(?:\.\d+)?(?:※\d*)?)
  | (?P<sep>[:：→⇒…/／]|\.\.\.|・・・|[-－―](?=\s*\d)|=)
  | (?P<space>[ \t\u3000]+)
  | (?P<text>.)
    """,
    re.VERBOSE,
)
# The characters a TOKEN other than `text` can start with (digits aside). At any other
# character TOKEN reads a one-character `text` token, so a run of them is read in one step: most
# of a KPI name.
_TOKEN_STARTS = "\n \t\u3000毎K指○●◯◎◆◇■□▼▽▶►・(（【令平RH:：→⇒…/／.-－―=−▲△" + "".join(
    word[0] for word in (*LABELS, *_DERIVED_WORDS, *statuses())
)
_TEXT_RUN = re.compile(rf"[^\d①-⑳{re.escape(_TOKEN_STARTS)}]+")
_GAP = re.compile(r"[ \u3000\n]?")
_FOOTNOTE_MARK = re.compile(r"※\d*")
_VALUE_END = re.compile(r"$|[\s()（）、。，,※…→⇒【<;；:：/／]")
_UNIT_WORD = re.compile(rf"(?:{_LABEL}|{_STATUS})")

# Words that connect a name to its numbers and are not part of the name.
CJK_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_TRAILING_NOISE = re.compile(r"(?:\s|[:：、,・]|達成状況|の?実績|の?目標|KPI|→)+$")
_LEADING_MARKS = re.compile(
    r"^(?:\s|KPI\s?[①-⑳]?|指標\s?[①-⑳]|[①-⑳○●◯◎◆◇■□▼▽▶►・]|[(（]\d{1,2}[)）]|\d{1,2}[.)、](?!\d))+"
)


@dataclass
class Reading:
    kpi_name: str
    measure: str
    fiscal_year: int | None
    value: float | None
    unit: str
    status: str
    value_text: str
    fragment: str


@dataclass
class CellReading:
    readings: list[Reading] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # (fragment, reason)
    rates: list[Reading] = field(default_factory=list)  # 達成率 110.0%: evidence, measure ""


@remembered  # a KPI's name repeats on each of its rows
def clean_kpi_name(raw: str) -> tuple[str, str]:
    """A KPI name without list markers, trailing colon or connecting words; and a unit printed in
    brackets at its end (`参加社数(社)` → (`参加社数`, `社`)); a qualifier like `(年間)` stays."""
    name = _LEADING_MARKS.sub("", raw.strip())  # before NFKC, which turns ① into 1
    name = _LEADING_MARKS.sub("", nfkc(join_lines(name)))
    name = _TRAILING_NOISE.sub("", name).strip()
    unit = ""
    m = re.search(r"[(（]([^()（）]{1,6})[)）]$", name)
    if m and is_unit(m.group(1)) and not re.search(r"年間|時点|\d", m.group(1)) and is_bracket_unit(m.group(1)):
        unit, name = m.group(1).strip(), name[: m.start()].strip()
    return name, unit


class _Reader:
    def __init__(self, text: str, default_year: int | None):
        self.text = text
        self.default_year = default_year
        self.out = CellReading()
        self.name_start: int | None = None
        self.name_end: int | None = None
        self.last_name: str | None = None
        self.last_name_unit = ""
        self.measure: str | None = None
        self.year: int | None = None
        self.last_reading: Reading | None = None
        self.after_value = False
        self.fragment_start: int | None = None  # where the current KPI's text begins
        self.derived_next = False  # the next value follows 達成率: no observation (a % is evidence)
        self.activities = False  # under a heading of activities (【Check】): nothing is a KPI
        self.sentence = False  # a KPI sentence (Xを A から B に…): `から` turns to the target

    # -- names ------------------------------------------------------------------------------
    def extend_name(self, start: int, end: int) -> None:
        if self.name_start is None:
            self.name_start = start
        self.name_end = end

    def commit_name(self) -> None:
        """The text gathered so far names the KPI the next values belong to."""
        if self.name_start is None:
            return
        raw = self.text[self.name_start : self.name_end]
        name_start, name_end, self.name_start, self.name_end = self.name_start, self.name_end, None, None
        name, unit = clean_kpi_name(raw)
        if name.endswith("を") and _SENTENCE_AHEAD.match(self.text, name_end or 0):
            name, self.measure, self.sentence = name[:-1].rstrip(), "baseline", True  # Xを A から B に…
        if not name:
            return
        self.fragment_start = name_start
        if self.last_name and not self.last_reading_for(self.last_name) and re.search(r"\d", self.last_name):
            self.out.unread.append((self.last_name, "KPI name without a value"))
        self.last_name, self.last_name_unit = name, unit
        self.last_reading = None

    def last_reading_for(self, name: str) -> bool:
        return any(r.kpi_name == name for r in self.out.readings)

    # -- values -----------------------------------------------------------------------------
    def emit(self, value: float | None, unit: str, status: str, value_text: str, start: int, end: int) -> None:
        self.commit_name()
        if self.activities:
            self.last_name = None
            return
        if not self.last_name:
            self.out.unread.append((self.text[max(0, start - 20) : end].strip(), "value with no KPI name"))
            return
        reading = Reading(
            kpi_name=self.last_name,
            measure=self.measure or "actual",
            # A baseline has a year only where one is printed with it; other measures default
            # to the report's year.
            fiscal_year=self.year if self.year is not None or self.measure == "baseline" else self.default_year,
            value=value,
            unit=unit or (self.last_name_unit if value is not None else ""),
            status=status,
            value_text=value_text,
            fragment=self.text[self.fragment_start if self.fragment_start is not None else start : end].strip(),
        )
        self.out.readings.append(reading)
        self.last_reading = reading
        self.measure = None
        self.year = None
        self.after_value = True

    def read_value(self, m: re.Match) -> int:
        """A number, then a unit printed right after it (with or without a space)."""
        raw = m.group("value")
        number = parse_number(strip_footnote(raw))
        pos = m.end()
        unit = ""
        gap = _GAP.match(self.text, pos).end() - pos  # a PDF cell may wrap between them
        found = match_unit(self.text, pos + gap)
        if found and not _UNIT_WORD.match(found):
            unit = found
            pos = pos + gap + len(found)
            footnote = _FOOTNOTE_MARK.match(self.text, pos)
            if footnote:
                pos = footnote.end()
        elif not _VALUE_END.match(self.text, pos):
            glued = self.glued_unit(pos)
            if glued is None:
                return -1  # digits inside a word (6次産業化, TYPE1): text, not a value
            unit, pos = glued, pos + len(glued)
        elif gap and (glued := self.glued_unit(pos + gap)):  # 3,403 件農産物…: a spaced unit run on
            unit, pos = glued, pos + gap + len(glued)
        if self.derived_next:
            self.derived_next = False
            self.note_rate(number, nfkc(unit), m.start(), pos)
            return pos
        self.emit(number, nfkc(unit).replace(" ", ""), "", self.text[m.start() : pos].strip(), m.start(), pos)
        return pos

    def note_rate(self, number: float | None, unit: str, start: int, end: int) -> None:
        """A percentage after 達成率 (a score after 評価 is none), for the KPI just read, dated as
        its last reading."""
        if number is None or unit != "%" or not self.last_name or self.activities:
            return
        last = self.last_reading if self.last_reading and self.last_reading.kpi_name == self.last_name else None
        year = last.fiscal_year if last else self.year or self.default_year
        fragment = self.text[self.fragment_start if self.fragment_start is not None else start : end].strip()
        self.out.rates.append(
            Reading(self.last_name, "", year, number, unit, "", self.text[start:end].strip(), fragment)
        )

    def glued_unit(self, pos: int) -> str | None:
        """A known unit run into the next KPI's name (`開発数：1891件サテライト…`, a PDF line
        rejoined without its break). Only where a name is waiting for this number, so that a
        name that starts with a number (1人当たり…) stays text."""
        if self.name_start is None and (self.last_name is None or self.after_value):
            return None
        for end in range(min(len(self.text), pos + 6), pos, -1):
            if is_bracket_unit(self.text[pos:end]) and CJK_OR_KANA.match(self.text, end):
                return self.text[pos:end]
        return None

    def read_paren(self, start: int, end: int, inner: str) -> None:
        s = nfkc(inner)
        year = find_fiscal_year(s)
        bare = re.sub(r"\s|時点|まで|末|現在", "", s)
        if year and year[1][1] - year[1][0] >= len(bare) - 1:
            if self.after_value and self.last_reading is not None:
                self.last_reading.fiscal_year = year[0]  # 700（R9年度）: the target's own year
            else:
                self.year = year[0]
            return
        if re.fullmatch(rf"(?:{_LABEL})\s?[:：]?", s):
            if self.after_value and self.last_reading is not None:
                self.last_reading.measure = LABELS[s.rstrip(":： ")]  # 50%（目標値）
            else:
                self.measure = LABELS[s.rstrip(":： ")]
            return
        if self.after_value:
            if re.search(rf"{_LABEL}|{_STATUS}", s) and re.search(rf"\d|{_STATUS}", s):
                self.read_nested(inner)  # (目標 100件), (R5 実績：集計中)
            return  # a note after a value (回答数 303 名のうち…) is not a KPI
        self.extend_name(start, end)

    def read_nested(self, text: str) -> None:
        """A bracket after a value that states more values of the same KPI."""
        sub = _Reader(text, self.default_year)
        sub.last_name, sub.last_name_unit = self.last_name, self.last_name_unit
        sub.run()
        self.out.readings.extend(sub.out.readings)
        if sub.out.readings:
            self.last_reading = sub.out.readings[-1]

    # -- tokens -----------------------------------------------------------------------------
    def on_mark(self, m: re.Match) -> None:
        self.commit_name()
        if not m.group().strip().startswith("・"):
            self.last_name = None  # a numbered item starts a new KPI
        self.after_value = False

    def on_bracket(self, m: re.Match) -> None:
        inner = m.group()[1:-1].strip().rstrip(":： ")
        self.commit_name()
        self.activities = inner in _ACTIVITY_HEADINGS
        if inner in LABELS:
            self.measure = LABELS[inner]
        else:  # a heading such as 【アウトカム】
            self.last_name = None
            self.after_value = False

    def on_paren(self, m: re.Match) -> None:
        self.read_paren(m.start(), m.end(), m.group()[1:-1])

    def on_year(self, m: re.Match) -> None:
        found = find_fiscal_year(m.group())
        year = found[0] if found else None
        as_of = re.search("時点|末", m.group())
        if self.after_value and self.name_start is None and self.last_reading and as_of:
            self.last_reading.fiscal_year = year  # 120人 R4年度末時点
        else:
            self.commit_name()
            self.year = year

    def on_furniture(self, m: re.Match) -> None:
        """A telephone number or a code: neither a value nor part of a KPI's name."""
        self.name_start = self.name_end = None
        self.after_value = False

    def on_deadline(self, m: re.Match) -> None:
        """`令和7年度まで`: the next number is the target for the deadline's year."""
        self.commit_name()
        found = find_fiscal_year(m.group())
        self.measure, self.year = "target", found[0] if found else None
        self.after_value = False

    def on_recurring(self, m: re.Match) -> None:
        """`毎年度`: the next number is the target of every year, so of the report's year."""
        self.commit_name()
        self.measure, self.year = "target", self.default_year
        self.after_value = False

    def on_derived(self, m: re.Match) -> None:
        self.commit_name()
        self.derived_next = True

    def on_label(self, m: re.Match) -> None:
        self.commit_name()
        self.measure = LABELS[m.group().rstrip(":： ")]
        self.after_value = False

    def on_status(self, m: re.Match) -> None:
        if self.measure or self.year or self.name_start is not None or self.last_name:
            self.emit(None, "", m.group(), m.group(), m.start(), m.end())

    def on_sep(self, m: re.Match) -> None:
        if m.group() in "-－―" and (self.measure or self.name_start is not None):
            self.emit(None, "", "-", m.group(), m.start(), m.end())
        else:
            self.commit_name()

    def on_soft(self, m: re.Match) -> None:
        """A line break or space: a name may wrap over lines, a label on the next line continues."""

    def on_text(self, m: re.Match) -> None:
        if self.after_value and m.group() in "、,，;；":
            return  # 目標 100件、実績 125件: punctuation between the values of one KPI
        if self.after_value:
            self.after_value = False
            self.last_name = None
        self.extend_name(m.start(), m.end())

    def on_text_run(self, start: int, end: int) -> None:
        """One-character text tokens from `start` to `end`, as `on_text` reads them one by one."""
        if self.after_value and self.sentence and self.text.startswith(_FROM, start):
            self.measure, self.after_value = "target", False  # Xを A（R5年度末）から B…
            start += len(_FROM)
            if start == end:
                return
        if self.after_value:
            while start < end and self.text[start] in "、,，;；":
                start += 1
            if start == end:
                return
            self.after_value = False
            self.last_name = None
        self.extend_name(start, end)

    # -- the loop ---------------------------------------------------------------------------
    def run(self) -> CellReading:
        handlers = {
            "mark": self.on_mark,
            "bracket": self.on_bracket,
            "paren": self.on_paren,
            "year": self.on_year,
            "furniture": self.on_furniture,
            "deadline": self.on_deadline,
            "recurring": self.on_recurring,
            "derived": self.on_derived,
            "label": self.on_label,
            "status": self.on_status,
            "sep": self.on_sep,
            "nl": self.on_soft,
            "space": self.on_soft,
        }
        pos = 0
        while pos < len(self.text):
            run = _TEXT_RUN.match(self.text, pos)
            if run:
                self.on_text_run(pos, run.end())
                pos = run.end()
                continue
            m = TOKEN.match(self.text, pos)
            if m.lastgroup == "value":
                new_pos = self.read_value(m)
                if new_pos >= 0:
                    pos = new_pos
                    continue
            handlers.get(m.lastgroup, self.on_text)(m)  # a value that is part of a word is text
            pos = m.end()
        if self.name_start is not None:
            raw = self.text[self.name_start : self.name_end]
            if re.search(r"\d", raw) or self.measure:
                self.out.unread.append((nfkc(raw), "KPI-looking text with no value"))
        return self.out


CARRIES_TARGET = re.compile(rf"(?:{_DEADLINE}|{_RECURRING})\s?[:：]?\s?\d|{SENTENCE.pattern}")


def carried_target(text: str, default_year: int | None) -> tuple[str, list[Reading]] | None:
    """A KPI cell that carries its target (`移住相談件数 令和7年度まで 300件`, `… 毎年度 20社`,
    `XをA（R4年度末）からB（R8年度末）に増加させる`): the KPI's name and its target (and baseline)
    readings; None for a cell that is a name alone."""
    if not CARRIES_TARGET.search(nfkc(text)):
        return None
    readings = read_kpi_cell(text, default_year).readings
    names = {r.kpi_name for r in readings}
    if len(names) != 1 or any(r.measure not in ("target", "baseline") for r in readings):
        return None
    return names.pop(), readings


def read_kpi_cell(text: str, default_year: int | None) -> CellReading:
    """Read every KPI value a free-text cell states. Notes (lines starting ※) are not KPIs."""
    lines = [ln for ln in text.split("\n") if not nfkc(ln).startswith("※")]
    return _Reader(normalize_cell("\n".join(lines)), default_year).run()


_SPACED_DIGITS = re.compile(r"(?<![\dA-Za-z])\d(?:,?\s\d){2,}(?!\d)")


def normalize_cell(text: str) -> str:
    """NFKC line by line, keeping circled numbers (NFKC turns ① into 1, losing the list marker)."""
    out = []
    for line in text.split("\n"):
        parts = re.split(r"([①-⑳])", line)
        line = "".join(p if re.fullmatch(r"[①-⑳]", p) else unicodedata.normalize("NFKC", p) for p in parts)
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            out.append(line)
    # Digits spaced out by the print (7 3 5 0 3, 2, 7 2 3), even across a wrapped line, are one
    # number; two digits apart (R5 0 件) are not, so at least three must be spaced. A number
    # wrapped after its decimal point or thousands comma (47.\n8%) is one number too.
    joined = _SPACED_DIGITS.sub(lambda m: re.sub(r"\s", "", m.group()), "\n".join(out))
    return re.sub(r"(?<=\d[.,])\n(?=\d)", "", joined)
