"""Write the site: stage changed files, then move them in, then remove what no longer belongs.

Nothing touches the output folder until every page has rendered; then each changed file is
moved in with ``os.replace`` (atomic per file), identical files are left alone so their
mtimes stay, and stale files go last. A failed or killed build leaves the old site whole.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import DatelineError

#: Marks a folder as Dateline's, so a build never deletes files it did not make.
MARKER = ".dateline-output"


@dataclass(frozen=True)
class WriteReport:
    outputs: tuple[str, ...]  # every file of the output, relative to it
    written: int
    removed: int


def check_output_dir(out_dir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that holds the sources, or someone else's files."""
    out = out_dir.resolve()
    for source in protected:
        source = source.resolve()
        if source == out or source.is_relative_to(out) or out.is_relative_to(source / "content"):
            raise DatelineError(f"refusing to build into {out_dir}: it would overwrite {source}")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise DatelineError(
            f"refusing to build into {out_dir}: it holds files Dateline did not write; "
            "empty it or choose another --output"
        )


class Staging:
    """Collects the files of one build beside the output folder, then commits them.

    Files are tracked by their path relative to the output folder, as plain strings: a
    large archive has tens of thousands of them and ``Path`` objects are slow to make.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.dir = out_dir.parent / f".{out_dir.name}.staging"
        self.expected: set[str] = {MARKER}
        self.changed: list[str] = []
        if self.dir.exists():
            shutil.rmtree(self.dir)  # left by a build that was killed
        self.dir.mkdir(parents=True)

    def claim(self, url: str) -> str:
        """The output file for ``url`` (relative to the output folder), now this build's."""
        relative = relative_path(url)
        if relative in self.expected:
            raise DatelineError(f"two pages were rendered for {url}")
        self.expected.add(relative)
        return relative

    def add(self, url: str, data: bytes) -> None:
        """Stage the file for ``url`` unless the output already holds exactly these bytes."""
        relative = self.claim(url)  # refuses a URL that would lead outside the output
        if stage(self.out_dir, self.dir, relative, data):
            self.changed.append(relative)

    def keep(self, url: str) -> None:
        """Keep the output's file for ``url`` as it is: the build knows it is up to date."""
        self.claim(url)

    def staged(self, relative: str) -> None:
        """Record a file staged by ``stage`` elsewhere (a worker process) for a claimed URL."""
        self.changed.append(relative)

    def add_file(self, url: str, source: Path) -> None:
        self.add(url, source.read_bytes())

    def commit(self, previous: Iterable[str] | None = None) -> WriteReport:
        """Move staged files in, then remove stale ones: those of ``previous`` (the files of
        the last build, when known) that this build did not claim, else every unclaimed file
        found by walking the output folder."""
        if not self.out_dir.exists():  # a first build: the staging folder becomes the output
            (self.dir / MARKER).touch()
            os.rename(self.dir, self.out_dir)
            return WriteReport(tuple(sorted(self.expected)), len(self.changed), 0)
        folders = _Folders(str(self.out_dir))
        for relative in self.changed:  # refuse a symlinked folder before anything moves
            folders.exists(os.path.dirname(relative))
        marker = self.out_dir / MARKER
        if not marker.exists():
            marker.touch()
        staging, out = str(self.dir), str(self.out_dir)
        for relative in self.changed:
            folders.make(os.path.dirname(relative))
            source, target = os.path.join(staging, relative), os.path.join(out, relative)
            try:
                os.replace(source, target)
            except IsADirectoryError:  # a folder of pages became a single file
                shutil.rmtree(target)
                os.replace(source, target)
        removed = self._remove_stale() if previous is None else self._remove(previous)
        shutil.rmtree(self.dir, ignore_errors=True)
        return WriteReport(tuple(sorted(self.expected)), len(self.changed), removed)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _remove(self, previous: Iterable[str]) -> int:
        removed = 0
        for relative in previous:
            if relative in self.expected:
                continue
            path = self.out_dir / relative
            if not path.is_file():
                continue
            path.unlink()
            removed += 1
            parent = path.parent  # a removed page leaves its folder empty: remove it too
            while parent != self.out_dir and parent.is_relative_to(self.out_dir):
                try:
                    parent.rmdir()
                except OSError:
                    break
                parent = parent.parent
        return removed

    def _remove_stale(self) -> int:
        removed = 0
        top = str(self.out_dir)
        for root, dirs, files in os.walk(top, topdown=False):
            prefix = root[len(top) + 1 :].replace(os.sep, "/")
            for name in files:
                if (f"{prefix}/{name}" if prefix else name) not in self.expected:
                    os.unlink(os.path.join(root, name))
                    removed += 1
            for name in dirs:
                path = Path(root, name)
                if path.is_symlink():
                    path.unlink()
                elif not any(path.iterdir()):
                    path.rmdir()
        return removed


class _Folders:
    """The output's folders, each looked at once (a large archive has a folder per page):
    made when missing, and never written through when a symlink, which could lead outside."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.known: dict[str, bool] = {"": True}  # folder relative to root -> it exists

    def exists(self, folder: str) -> bool:
        if folder in self.known:
            return self.known[folder]
        exists = self.exists(os.path.dirname(folder))
        if exists:
            path = os.path.join(self.root, folder)
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                exists = False
            else:
                if stat.S_ISLNK(mode):
                    raise DatelineError(f"refusing to write through {path}: a symlink in the output")
                exists = stat.S_ISDIR(mode)  # a file is replaced by the folder
        self.known[folder] = exists
        return exists

    def make(self, folder: str) -> None:
        if self.exists(folder):
            return
        self.make(os.path.dirname(folder))
        path = os.path.join(self.root, folder)
        if os.path.lexists(path):  # a page that was a single file became a folder of pages
            os.unlink(path)
        os.mkdir(path)
        self.known[folder] = True


def relative_path(url: str) -> str:
    """The file for a site URL relative to the output folder, the way ``output_path`` maps
    it (``/a/b/`` -> ``a/b/index.html``), without touching the disk."""
    if url[:1] == "/" and "/." not in url and "//" not in url and "\\" not in url and "\0" not in url:
        # No "." or ".." segment, no empty one: the common case, asked for every page.
        return url[1:] + "index.html" if url.endswith("/") else url[1:]
    parts = [part for part in url.split("/") if part]
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        raise ValueError(f"unsafe URL {url!r}")
    if url.endswith("/"):
        parts.append("index.html")
    return "/".join(parts)


def stage(out_dir: Path, staging_dir: Path, relative: str, data: bytes) -> bool:
    """Write ``data`` for the output file ``relative`` into the staging folder unless the
    output already holds exactly these bytes; True when staged. Safe in worker processes."""
    if _same(os.path.join(out_dir, relative), data):
        return False
    staged = os.path.join(staging_dir, relative)
    os.makedirs(os.path.dirname(staged), exist_ok=True)
    with open(staged, "wb") as file:
        file.write(data)
    return True


def _same(target: str, data: bytes) -> bool:
    try:
        if os.stat(target).st_size != len(data):
            return False
        with open(target, "rb") as file:
            return file.read() == data
    except OSError:
        return False
