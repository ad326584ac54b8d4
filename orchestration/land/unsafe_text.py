"""Characters that data must not carry to a screen: C0 controls but tab and newline, DEL, C1, and
the marks and overrides of bidirectional text (which reorder what is shown around them). One
pattern: the terminal and a file's doc_id show them escaped (`terminal`, `registry`), landing
removes them from the texts read in a document (`landing`)."""

from __future__ import annotations

import re

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_unsafe(text: str) -> str:
    return UNSAFE.sub("", text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with every unsafe character as \\xNN or \\uNNNN (visible, and still telling two names
    apart that differ only in them)."""
    return UNSAFE.sub(_escape, text)
