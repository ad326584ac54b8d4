"""Import the gate (Great Expectations, seconds of CPU) in the background, ahead of the gate.

A build runs dbt in a subprocess and then the gate in this process; the main thread only waits
on dbt meanwhile, so GX can be imported then, on another thread, and the gate finds it loaded:

    start()   # where dbt starts (the dbt asset); once per process, returns at once
    wait()    # before importing the gate (the quality_gate check); re-raises nothing: the
              # gate's own import then fails with the import's real error

Without `start()` the gate imports GX itself, as before. Python's import lock makes a second
importer wait for the first, but `wait()` keeps the main thread out of GX's import altogether.
"""

from __future__ import annotations

import importlib
import threading

GATE_MODULE = "orchestration.quality.gate"

_thread: threading.Thread | None = None
_lock = threading.Lock()


def _import() -> None:
    try:
        importlib.import_module(GATE_MODULE)
    except Exception:  # the gate imports it again and reports the error itself
        return


def start() -> None:
    """Begin importing the gate on a daemon thread (no-op if begun or done)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_import, name="sosei-gate-import", daemon=True)
            _thread.start()


def wait() -> None:
    """Return once a background import begun by `start()` has finished (at once if none)."""
    with _lock:
        thread = _thread
    if thread is not None:
        thread.join()
