"""Debian's Chromium for the browser tests: where it is and how it is started (the one
Playwright browser of a run is the ``browser`` fixture in tests/conftest.py)."""

import os
import shutil
from pathlib import Path

CHROMIUM = os.environ.get("NAVET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing() -> str:
    """Why the browser tests cannot run here, or "" when Chromium is installed."""
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return ""
    return f"chromium not found at {CHROMIUM}"
