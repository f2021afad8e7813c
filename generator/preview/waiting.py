"""Readers waiting on a build: the pages they ask for are rendered ahead of the rest.

The first build of a large archive takes a while; the preview answers at once. A page the
last good build lacks is asked of the running build, which renders it before the others
(``engine.build.Asked``) and says when each staged file is whole: the server then answers
with that file, never with one a worker is still writing. A request that would wait longer
than ``WAIT`` gets a page saying how far the build is, which asks again every second and
reloads when the build lands.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

WAIT = 2.0  # seconds a request waits for its page before the progress page answers it


@dataclass(frozen=True)
class Progress:
    stage: str  # "Reading", "Rendering", ... as the build names them; "" before the first
    done: int
    total: int


class Waiting:
    """Shared by the rebuilder (a build in progress: its staging folder, which files in it
    are whole, pages rendered ahead) and the request handlers (which files readers want)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._running = False
        self._folder: Path | None = None
        self._ready: set[str] = set()
        self._ahead: dict[str, bytes] = {}
        self._asked: list[str] = []
        self._progress = Progress("", 0, 0)

    # -- the rebuilder's side ----------------------------------------------------------------

    def started(self) -> None:
        with self._cond:
            self._running = True
            self._progress = Progress("", 0, 0)

    def finished(self) -> None:
        """The build has landed or failed: requests are answered from the serve folder again."""
        with self._cond:
            self._running = False
            self._folder, self._ready, self._ahead, self._asked = None, set(), {}, []
            self._cond.notify_all()

    def progress(self, stage: str, total: int) -> Callable[[], None]:
        """A ``build.Progress``: how far the build is, for the progress page."""
        with self._cond:
            self._progress = Progress(stage, 0, total)

        def tick() -> None:
            self._progress = Progress(stage, self._progress.done + 1, total)  # read unlocked: a hint

        return tick

    # -- the build's side (engine.build.Asked) ------------------------------------------------

    def staging(self, folder: Path) -> None:
        with self._cond:  # what was asked while the articles were read stays asked
            self._folder = folder
            self._cond.notify_all()

    def take(self) -> list[str]:
        with self._cond:
            asked, self._asked = self._asked, []
            return asked

    def ready(self, relatives: list[str]) -> None:
        if relatives:
            with self._cond:
                self._ready.update(relatives)
                self._cond.notify_all()

    def rendered(self, relative: str, data: bytes) -> None:
        with self._cond:
            self._ahead[relative] = data
            self._cond.notify_all()

    # -- the server's side -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        with self._cond:
            return self._running

    def page(self, relative: str, timeout: float = WAIT) -> bytes | None:
        """The file ``relative`` of the running build once it is whole, waiting at most
        ``timeout``; None when it is not ready by then or the build has ended meanwhile."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if relative not in self._asked:
                self._asked.append(relative)
            while self._running:
                if relative in self._ahead:
                    return self._ahead[relative]
                if self._folder is not None and relative in self._ready:
                    try:
                        return (self._folder / relative).read_bytes()
                    except OSError:  # the build landed between the two lines: look in the serve folder
                        return None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return None

    def progress_page(self) -> bytes:
        """Says how far the build is; asks for its page again every second."""
        now = self._progress
        if now.total:
            step = f"{html.escape(now.stage)}: {now.done:,} of {now.total:,}"
        else:
            step = html.escape(now.stage) or "Starting"
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta http-equiv="refresh" content="1"><title>Building the site</title></head>'
            f"<body><h1>Building the site</h1><p>{step}. This page appears as soon as it is built.</p>"
            "</body></html>"
        ).encode()
