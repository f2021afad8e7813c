"""Fixtures shared by the test modules; the helpers they use live in the ``support`` package."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from playwright.sync_api import Browser, sync_playwright
from support.browser import CHROMIUM, CHROMIUM_ARGS
from support.serve import Served, sample_site

# The machine may be busy (parallel builds, browsers); a slow example is not a failure.
settings.register_profile("dateline", deadline=None)
settings.load_profile("dateline")

# A shell that starts the suite as a background job starts it with Ctrl-C ignored, and every
# process it runs would inherit that; the tests that interrupt a build or the server need it
# to be the default. A handler set here is reset to the default in each program run.
signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The dev server's sample site; modules with a site of their own override it."""
    return sample_site(tmp_path / "site")


@pytest.fixture
def served(site: Path) -> Iterator[Served]:
    """``dateline serve`` running on ``site``."""
    server = Served(site)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium, one per test module."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
