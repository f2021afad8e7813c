"""The reload channel: the latest build, written by the rebuilder, read by every event stream."""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass

HISTORY = 200  # builds remembered, so a page that missed some learns what changed


@dataclass(frozen=True)
class LastBuild:
    """What the hub knows of the last build: which server (``token``), which build (``version``),
    its errors, and whether the server is stopping."""

    token: str
    version: int
    errors: tuple[str, ...]
    closed: bool


class Hub:
    """The latest build, shared by the rebuilder (writes) and every event stream (reads)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._token = secrets.token_hex(8)  # a new server means pages must reload
        self._version = 0
        self._errors: tuple[str, ...] = ()
        self._history: list[tuple[int, frozenset[str] | None]] = []
        self._closed = False
        self._streams = 0

    @property
    def streams(self) -> int:
        """Event streams open now: one per tab; back to zero once every tab has closed."""
        with self._cond:
            return self._streams

    @contextlib.contextmanager
    def stream(self) -> Iterator[None]:
        with self._cond:
            self._streams += 1
        try:
            yield
        finally:
            with self._cond:
                self._streams -= 1

    def last_build(self) -> LastBuild:
        with self._cond:
            return LastBuild(self._token, self._version, self._errors, self._closed)

    def built(self, changed: frozenset[str] | None) -> None:
        """A good build; ``changed`` holds the URLs it changed, None for all of them."""
        with self._cond:
            if changed is None or changed:
                self._version += 1
                self._history = [*self._history[-HISTORY + 1 :], (self._version, changed)]
            self._errors = ()
            self._cond.notify_all()

    def failed(self, errors: tuple[str, ...]) -> None:
        with self._cond:
            self._errors = errors
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def changes_since(self, token: str, version: int) -> list[str] | None:
        """URLs changed after ``version``; None when that cannot be told (reload everything)."""
        with self._cond:
            if token != self._token or version > self._version:
                return None
            if version == self._version:
                return []
            if not self._history or self._history[0][0] > version + 1:
                return None
            urls: set[str] = set()
            for number, changed in self._history:
                if number > version:
                    if changed is None:
                        return None
                    urls |= changed
            return sorted(urls)

    def wait(self, version: int, errors: tuple[str, ...], timeout: float) -> LastBuild:
        """Block until a build or an error differs from what a stream has sent, or timeout."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._closed or self._version != version or self._errors != errors, timeout
            )
            return LastBuild(self._token, self._version, self._errors, self._closed)
