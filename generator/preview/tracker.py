"""What changed between builds: the files open tabs show, as they were when served."""

from __future__ import annotations

import os
import threading
from pathlib import Path

Stamp = tuple[int, int, int] | None  # (inode, mtime, size) of a file; None when missing
TRACK_LIMIT = 10_000  # files remembered; the oldest are forgotten first


class Tracker:
    """The stamp of every file a tab may be showing, as it was when it was served.

    After a build only these files are compared, not the whole built tree: a stat per page
    someone has open, instead of tens of thousands on a large archive. A file replaced by the
    build gets a new inode, so a rewrite is seen even within one mtime tick.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._stamps: dict[str, Stamp] = {}

    def served(self, name: str, stamp: Stamp) -> None:
        with self._lock:
            self._stamps.pop(name, None)
            self._stamps[name] = stamp
            if len(self._stamps) > TRACK_LIMIT:
                del self._stamps[next(iter(self._stamps))]

    def changed(self) -> frozenset[str]:
        """Names whose file differs from what was last served (written, added or removed)."""
        with self._lock:
            known = dict(self._stamps)
        now = {name: stamp_of(self.root / name) for name in known}
        changed = frozenset(name for name, stamp in now.items() if stamp != known[name])
        with self._lock:
            for name in changed:
                if self._stamps.get(name) == known[name]:  # unless a request saw it meanwhile
                    self._stamps[name] = now[name]
        return changed


def stamp_of(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def read_stamped(path: Path) -> tuple[bytes, Stamp] | None:
    """A file's bytes and the stamp of exactly that file, even if a build replaces it now."""
    try:
        with path.open("rb") as file:
            stat = os.fstat(file.fileno())
            return file.read(), (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None


def url_of(name: str, base_path: str) -> str:
    """``2024/a/index.html`` -> ``/base/2024/a/``: the URL a tab shows for a built file."""
    if name == "index.html" or name.endswith("/index.html"):
        name = name[: -len("index.html")]
    return base_path + name
