"""Text for a terminal: control characters and bidirectional overrides in data (a file name, a
KPI name, an error message quoting either) are shown escaped, so that data can neither move the
cursor, clear the screen or recolour it, nor reorder what is printed around it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from orchestration.land.unsafe_text import escaped


def printable(text: str) -> str:
    """`text` with every unsafe character as \\xNN or \\uNNNN. A carriage return is kept only as a
    write's first character (how a progress bar redraws its line), never inside data."""
    head = "\r" if text.startswith("\r") else ""
    return head + escaped(text[len(head) :])


class _Printable:
    """A text stream that escapes what is written to it (see `printable`); the rest is the stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(printable(text))
        except BrokenPipeError:  # `sosei build | head`: the reader is gone, the build goes on unheard
            _discard(self._stream)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            _discard(self._stream)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _discard(stream: TextIO) -> None:
    """Send what is still to be written to `stream` to /dev/null (as Python's documentation
    advises for a closed pipe), so that no later write or the flush at exit raises."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())
    os.close(devnull)


@contextmanager
def escaped_output(stdout: bool = True) -> Iterator[None]:
    """Escape what is printed on standard error, and on standard output when `stdout`."""
    saved = sys.stdout, sys.stderr
    sys.stderr = _Printable(sys.stderr)
    if stdout:
        sys.stdout = _Printable(sys.stdout)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
