"""A progress bar on stderr for large builds; silent when stderr is not a terminal."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

THRESHOLD = 200  # items; smaller builds finish before a bar would help
INTERVAL = 0.1  # seconds between redraws


def progress_bar(stage: str, total: int, stream: TextIO | None = None) -> Callable[[], None]:
    """A ``tick()`` that advances a one-line bar and erases it when ``total`` is reached."""
    out = stream or sys.stderr
    if total < THRESHOLD or not out.isatty():
        return lambda: None
    done = 0
    last = 0.0

    def tick() -> None:
        nonlocal done, last
        done += 1
        now = time.monotonic()
        if done < total and now - last < INTERVAL:
            return
        last = now
        width = max(10, min(40, shutil.get_terminal_size().columns - len(stage) - 30))
        filled = width * done // total
        line = f"{stage} {100 * done // total:3d}% [{'#' * filled}{' ' * (width - filled)}] {done}/{total}"
        out.write("\r" + line + ("\r" + " " * len(line) + "\r" if done >= total else ""))
        out.flush()

    return tick
