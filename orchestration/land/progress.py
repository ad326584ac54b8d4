"""A progress bar for landing, drawn on standard error when `sosei build` asks for it.

`sosei build` sets SOSEI_PROGRESS=1 for its own process; under `dagster dev` or in tests nothing
is drawn (Dagster's event log shows each document). On a terminal the bar redraws in place; in a
log file it is a line every tenth of the way.
"""

from __future__ import annotations

import os
import sys

PROGRESS_ENV = "SOSEI_PROGRESS"
_WIDTH = 30


def bar(done: int, total: int) -> str:
    filled = _WIDTH * done // total if total else _WIDTH
    return f"landing [{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total}"


def report_progress(done: int, total: int) -> None:
    if os.environ.get(PROGRESS_ENV) != "1" or not total:
        return
    if sys.stderr.isatty():
        print(f"\r{bar(done, total)}", end="\n" if done == total else "", file=sys.stderr, flush=True)
    elif done == total or done * 10 // total != (done - 1) * 10 // total:
        print(bar(done, total), file=sys.stderr, flush=True)
