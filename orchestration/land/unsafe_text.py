"""Characters that data must not carry to a screen: C0 controls but tab and newline, DEL, C1, and
the marks and overrides of bidirectional text (which reorder what is shown around them). One
pattern: the terminal shows them escaped (`terminal`), landing removes them from names (`landing`)."""

from __future__ import annotations

import re

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def without_unsafe(text: str) -> str:
    return UNSAFE.sub("", text)
