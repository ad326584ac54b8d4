"""Cell text as printed: HTML fragments inside report cells reduced to plain lines."""

from __future__ import annotations

import html
import re

# Elements that end a line of text when a browser renders them. Shared with the HTML reader so
# a cell reads the same whether it came from a text export or an HTML table.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
# Inline elements seen in report exports; only known names count as tags, so text such as
# `<R4年度末時点>` or `<KPI>` survives.
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "big",
        "center",
        "code",
        "col",
        "colgroup",
        "del",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "label",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "td",
        "th",
        "u",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|<!--.*?-->", re.DOTALL)


def tidy_lines(text: str) -> str:
    """Strip each line, drop empty ones, join with newlines (non-breaking spaces become spaces)."""
    lines = (line.replace("\xa0", " ").strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _replace_tag(match: re.Match) -> str:
    name = (match.group(2) or "").lower()
    if name in BLOCK_TAGS:
        return "\n"
    if name in INLINE_TAGS:
        return " " if name in ("td", "th") else ""
    return match.group(0) if name else ""  # unknown name: literal text; comment: dropped


def has_markup(text: str) -> bool:
    return any(m.group(2) is None or m.group(2).lower() in BLOCK_TAGS | INLINE_TAGS for m in _TAG.finditer(text))


def html_to_text(s: str) -> str:
    """Plain text of a cell that may hold HTML; one line per rendered block.

    `<p>a</p> <p>b</p>` → "a\\nb"; `<br>`, list items and divs end lines; entities are unescaped.
    Text without markup is only stripped, so `&` or `<` in plain text stays as printed.
    """
    if "<" not in s or not has_markup(s):  # every tag and comment starts with "<"
        return s.strip()
    return tidy_lines(html.unescape(_TAG.sub(_replace_tag, s)))


def join_wrapped(lines: list[str], wrapped: list[bool]) -> str:
    """Rejoin printed lines; `wrapped[i]` says line i only broke because the cell was full.

    A break between two Latin words becomes a space, one inside Japanese text disappears,
    a real line break stays "\\n"."""
    out = lines[0] if lines else ""
    for line, wrap in zip(lines[1:], wrapped, strict=True):
        if not wrap:
            out += "\n" + line
        elif out and line and out[-1].isascii() and line[0].isascii():
            out += " " + line
        else:
            out += line
    return out
