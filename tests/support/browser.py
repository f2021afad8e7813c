"""Debian's Chromium as the browser tests launch it, and a built site served for it to open."""

from __future__ import annotations

import sys

from .paths import SCRIPTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip

# The screenshots and Lighthouse scripts serve the site the same way; one server for all.
sys.path.insert(0, str(SCRIPTS))
from static_server import serving  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "serving"]
