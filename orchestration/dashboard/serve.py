"""Start the dashboard: `streamlit run` on app.py, bound to localhost unless told otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

from orchestration.config import Settings

APP = Path(__file__).with_name("app.py")
DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501


# Headless, no usage statistics (nothing leaves the host), no developer menu for the readers.
OPTIONS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "global.developmentMode": "false",
    "client.toolbarMode": "viewer",
}


def command(address: str = DEFAULT_ADDRESS, port: int = DEFAULT_PORT) -> list[str]:
    """The `streamlit run` command line serving the app on `address`:`port`."""
    options = {**OPTIONS, "server.address": address, "server.port": str(port)}
    return [sys.executable, "-m", "streamlit", "run", str(APP)] + [
        arg for name, value in options.items() for arg in (f"--{name}", value)
    ]


def environment(settings: Settings) -> dict[str, str]:
    """The app reads the warehouse the settings name (SOSEI_WAREHOUSE_DIR) and writes corrections
    into their raw/ (SOSEI_RAW_DIR)."""
    return {**os.environ, "SOSEI_WAREHOUSE_DIR": str(settings.warehouse_dir), "SOSEI_RAW_DIR": str(settings.raw_dir)}


def serve(settings: Settings, address: str = DEFAULT_ADDRESS, port: int = DEFAULT_PORT) -> NoReturn:
    """Replace this process with Streamlit: a signal sent to `sosei dashboard` (SIGTERM from a
    service manager, Ctrl-C) reaches Streamlit itself, and nothing is left running after it."""
    print(f"dashboard: http://{address}:{port} (published warehouse: {settings.published_dir})", flush=True)
    argv = command(address, port)
    os.execve(argv[0], argv, environment(settings))
