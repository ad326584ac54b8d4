"""The builds' Dagster instance under the warehouse, shared by `sosei build`, `status` and `dev`,
and its storage repaired when it turns out damaged."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from orchestration.cli.dagster_storage import is_storage_error, set_aside_damaged
from orchestration.config import Settings

T = TypeVar("T")


def instance(settings: Settings):
    """A persistent Dagster instance under the warehouse, so re-runs know what is registered."""
    import dagster as dg  # here: `sosei dev` needs only the home, and then runs Dagster itself

    return dg.DagsterInstance.from_config(str(dagster_home(settings)))


def dagster_home(settings: Settings) -> Path:
    """The Dagster instance's folder, shared by `sosei build`, `sosei status` and `sosei dev`.

    Its configuration is rewritten when it differs (an older one, or a warehouse moved)."""
    home = settings.warehouse_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    config, text = home / "dagster.yaml", _instance_config(home)
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    return home


def _instance_config(home: Path) -> str:
    """dagster.yaml: no telemetry, and the event log in one SQLite file (Dagster's documented
    `ConsolidatedSqliteEventLogStorage`) rather than a file per run plus an index: an asset
    event is written once instead of twice, and a run creates no database of its own."""
    history = json.dumps(str(home.resolve() / "history"))  # a JSON string is a YAML string
    return (
        "telemetry:\n  enabled: false\n"
        "event_log_storage:\n"
        "  module: dagster._core.storage.event_log\n"
        "  class: ConsolidatedSqliteEventLogStorage\n"
        f"  config:\n    base_dir: {history}\n"
    )


def repairing_storage(settings: Settings, command: Callable[[], T]) -> T:
    """Run `command`; if the Dagster instance's SQLite storage turns out damaged, move the damaged
    files aside, say so, and run it once more on storage Dagster creates anew."""
    try:
        return command()
    except Exception as e:
        moved = set_aside_damaged(dagster_home(settings)) if is_storage_error(e) else []
        if not moved:
            raise
        names = ", ".join(str(p.relative_to(settings.warehouse_dir)) for p in moved)
        print(
            f"sosei: Dagster's storage was damaged ({e.__class__.__name__}); moved aside: {names}; "
            "its history starts again",
            file=sys.stderr,
        )
    return command()
