"""The gate's import begun in the background: done on another thread, awaited before the gate."""

from __future__ import annotations

import sys
import textwrap
import threading

import pytest

from orchestration.quality import preload

SLOW_MODULE = """
import threading, time
IMPORTED_ON = threading.current_thread().name
time.sleep(0.2)
DONE = True
"""


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A preload with no import begun, aimed at a small module of the test's own."""
    monkeypatch.setattr(preload, "_thread", None)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in ("sosei_preload_probe", "sosei_preload_broken"):
        sys.modules.pop(name, None)


def test_start_imports_on_another_thread_once_and_wait_returns_when_it_is_done(fresh, monkeypatch):
    (fresh / "sosei_preload_probe.py").write_text(textwrap.dedent(SLOW_MODULE), encoding="utf-8")
    monkeypatch.setattr(preload, "GATE_MODULE", "sosei_preload_probe")

    preload.start()
    first = preload._thread
    preload.start()
    preload.wait()

    assert preload._thread is first and not first.is_alive()
    probe = sys.modules["sosei_preload_probe"]
    assert probe.DONE and probe.IMPORTED_ON == first.name != threading.current_thread().name


def test_wait_without_start_returns_at_once(fresh):
    preload.wait()
    assert preload._thread is None


def test_a_failed_background_import_is_left_to_the_gate_to_report(fresh, monkeypatch):
    (fresh / "sosei_preload_broken.py").write_text("raise ImportError('no GX here')\n", encoding="utf-8")
    monkeypatch.setattr(preload, "GATE_MODULE", "sosei_preload_broken")

    preload.start()
    preload.wait()

    with pytest.raises(ImportError, match="no GX here"):
        __import__("sosei_preload_broken")
