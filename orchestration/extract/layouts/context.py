"""What a document says about itself: its grant programmes, fiscal year, project, issuer, title."""

from __future__ import annotations

import re
from collections import Counter

from orchestration import vocab
from orchestration.extract.model import Document, Line
from orchestration.extract.normalize import find_fiscal_year, nfkc

# The grants are a closed national set; a type in brackets after the name belongs to it
# (デジタル田園都市国家構想交付金（デジタル実装タイプ TYPE1）).
GRANT = re.compile(
    rf"(?P<name>{vocab.alternation(vocab.grant_names())})"
    rf"(?P<type>\s*\([^()]*(?:{vocab.alternation(vocab.load('grants')['type_words'])})[^()]*\))?"
)


def _common_tail(words: tuple[str, ...]) -> str:
    tail = min(words, key=len)
    while not all(w.endswith(tail) for w in words):
        tail = tail[1:]
    return tail


# What every grant's name ends with (交付金): a text without it names no grant, told at once.
_GRANT_TAIL = _common_tail(vocab.grant_names())
# A former name in a note (令和4年度までは地方創生推進交付金) is not the grant of the row.
_FORMER = re.compile(r"(?:まで(?:は|の)?|旧|前身|従前|当初は?)\s*$")


def find_grant(text: str) -> str | None:
    s = nfkc(text)
    if _GRANT_TAIL not in s:
        return None
    for m in GRANT.finditer(s):
        if _FORMER.search(s[: m.start()]) or s[: m.start()].rstrip().endswith("※"):
            continue
        return m.group("name") + (re.sub(r"\s+", " ", m.group("type").strip()) if m.group("type") else "")
    return None


_YEAR = r"(?P<y>(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*(?:年度)?|(?:19|20)\d\d\s*年度)"
_RESULT_YEAR = re.compile(_YEAR + r"\s*[)）]?\s*(?:の)?\s*(?:実績|事業実績|効果検証)")
# A title that opens with its fiscal year and names the results (令和5年度 地方創生関係交付金事業の
# 効果検証): words may stand between, a sentence's punctuation or another number may not.
_TITLE_YEAR = re.compile(r"^\W*" + _YEAR + r"[^。、\d]{0,30}?(?:実績|効果検証)")
_MAX_YEAR_HEADING = vocab.threshold("max_year_heading")


def document_fiscal_year(doc: Document) -> int | None:
    """The fiscal year a results report covers.

    First a heading that ties a year to 実績 (（令和2年度）実績について, or a title that opens
    with its year: 令和5年度 …事業の効果検証); then a heading that pairs
    a year with a grant (令和3年度 地方創生推進交付金事業); then the year most often written just
    before 実績 inside tables (R5 実績：…, R5年度実績).
    """
    lines = [nfkc(b.text) for b in doc.blocks if isinstance(b, Line)]
    for text in lines:
        m = _RESULT_YEAR.search(text) or (len(text) < _MAX_YEAR_HEADING and _TITLE_YEAR.match(text))
        if m:
            return find_fiscal_year(m.group("y"))[0]
    for text in lines:
        if find_grant(text) and find_fiscal_year(text) and len(text) < 80:
            return find_fiscal_year(text)[0]
    counts = Counter(find_fiscal_year(m.group("y"))[0] for m in _RESULT_YEAR.finditer(_joined(_cell_texts(doc))))
    return counts.most_common(1)[0][0] if counts else None


# Joins texts so that one regex scan finds what a scan of each text finds: no pattern scanned
# this way (_PLACE, _RESULT_YEAR) matches it or looks past it.
_TEXT_SEPARATOR = "\x00"


def _joined(texts: list[str]) -> str:
    return _TEXT_SEPARATOR.join(texts)


def _cell_texts(doc: Document) -> list[str]:
    return [c.norm for t in doc.tables() for r in t.rows for c in r]


_HEADING_WORD = re.compile("交付金|事業|実績|効果検証|KPI")


def heading_year(text: str) -> int | None:
    """A section heading's year (令和3年度補正 地方創生拠点整備交付金事業 → 2021)."""
    s = nfkc(text)
    if len(s) > 80 or not (find_grant(s) or _HEADING_WORD.search(s)):
        return None
    found = find_fiscal_year(s)
    return found[0] if found else None


def document_project_name(doc: Document) -> str:
    """A plan's project: the line after 事業の名称 (or the text after its colon)."""
    lines = [b for b in doc.blocks if isinstance(b, Line)]
    for key in ("事業の名称", "交付対象事業の名称", "地域再生計画の名称"):
        for i, line in enumerate(lines):
            s = nfkc(line.text).lstrip("#①②③④⑤⑥⑦⑧⑨ 0123456789-.")
            if s.startswith(key) or re.match(rf"^\S?\s*{key}", s):
                rest = re.sub(rf"^.*?{key}\s*[:：]?\s*", "", s)
                if rest:
                    return rest
                if i + 1 < len(lines):
                    return nfkc(lines[i + 1].text).lstrip("# ")
    return ""


# A place name ends in 都道府県市町村 and is not the start of a longer word (田園都市, 首都圏, 県内).
_PLACE = re.compile(
    r"(?<![一-龯々ァ-ヶー])[一-龯々ヶケ]{1,6}?(?:都|道|府|県|市|町|村)(?![市圏民内外部議庁立営有産町村])"
)
_NOT_PLACES = {
    "本県",
    "全県",
    "各県",
    "県",
    "本市",
    "全市",
    "各市",
    "当市",
    "同市",
    "市町",
    "市町村",
    "都市",
    "町村",
    "各市町村",
    "区市町村",
    "都道府県",
    "道府県",
    "本町",
    "本村",
    "同県",
}


def issuer_name(doc: Document) -> str:
    """The government the report is most about: 作成主体 if named, else the most named place."""
    texts = [nfkc(b.text) for b in doc.blocks if isinstance(b, Line)]
    for i, text in enumerate(texts):
        if "作成主体" in text and i + 1 < len(texts):
            m = _PLACE.search(texts[i + 1])
            if m:
                return m.group()
    counts = Counter(p for p in _PLACE.findall(_joined(texts + _cell_texts(doc))) if p not in _NOT_PLACES)
    return counts.most_common(1)[0][0] if counts else ""


def title(doc: Document) -> str:
    for block in doc.blocks:
        if isinstance(block, Line):
            text = nfkc(block.text).lstrip("#【 ").rstrip("】 ")
            if len(text) >= 4:
                return text[:200]
    return ""


def document_kind(doc: Document, layouts: list[str]) -> str:
    if "plan" in layouts:
        return "plan"
    if layouts:
        return "results"
    return "narrative"
