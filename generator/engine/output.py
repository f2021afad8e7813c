"""Write the site: stage changed files, then move them in, then remove what no longer belongs.

Nothing touches the output folder until every page has rendered; then each changed file is
moved in with ``os.replace`` (atomic per file), identical files are left alone so their
mtimes stay, and stale files go last. Only files Dateline wrote are ever removed: the marker
file lists them. A failed build puts back every file its commit replaced or removed, so the
old site stays whole; a killed one leaves each file whole, the old or the new.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config, theme_dir
from generator.errors import DatelineError
from generator.urls import relative_path

#: Marks a folder as Dateline's and lists the files Dateline wrote into it, which are the
#: only ones a build may replace or remove: not a CNAME or a .git/ of the user's.
MARKER = ".dateline-output"
#: The marker's first line. An older Dateline left the marker empty, listing nothing.
MARKER_HEADER = "# Written by Dateline: the files it made here, the only ones a build removes."
#: In the staging folder: the old files a commit replaced or removed, kept until it is
#: complete so that a failure can put every one back. No page may claim the name.
JOURNAL = ".dateline-journal"
#: Names at the top of the output no page may write to, or into, whatever its URL.
RESERVED = frozenset({MARKER, JOURNAL, ".git"})
#: The one output folder allowed inside the cache folder: the live preview's (serve.py).
PREVIEW_FOLDER = "serve"
#: In the cache folder: held by a running build, so the next one waits its turn.
LOCK_FILE = "build.lock"


@dataclass(frozen=True)
class WriteReport:
    outputs: tuple[str, ...]  # every file of the output, relative to it
    written: int
    removed: int


def check_output_dir(config: Config) -> None:
    """Refuse, before anything is written, an output folder that is a file, that holds the
    site, that lies inside what a build reads (it would copy itself into itself on every
    build) or inside the cache (which Dateline clears at will), or that holds someone
    else's files."""
    out_dir = config.out_dir
    refuse = f"refusing to build into {out_dir}"
    if out_dir.exists() and not out_dir.is_dir():
        raise DatelineError(f"{refuse}: it is a file, not a folder")
    out = out_dir.resolve()
    reads = (config.site_dir, config.content_dir, config.static_dir, config.templates_dir, theme_dir())
    for source in reads:
        what = (
            f"the site folder {source}" if source == config.site_dir else f"{source}, which the build reads"
        )
        if out == source.resolve():
            raise DatelineError(f"{refuse}: it is {what}")
        if source.resolve().is_relative_to(out):
            raise DatelineError(f"{refuse}: it holds {what}")
        if out.is_relative_to(source.resolve()) and source != config.site_dir:
            raise DatelineError(
                f"{refuse}: it is inside {source}, which the build reads (it would copy itself "
                "into itself); choose a folder outside it"
            )
    cache = config.cache_dir.resolve()
    if cache.is_relative_to(out):
        what = "is" if cache == out else "holds"
        raise DatelineError(f"{refuse}: it {what} the build cache {config.cache_dir}")
    if out.is_relative_to(cache) and out != cache / PREVIEW_FOLDER:
        raise DatelineError(
            f"{refuse}: it is inside the build cache {config.cache_dir}, which Dateline empties at will"
        )
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise DatelineError(
            f"refusing to build into {out_dir}: it holds files Dateline did not write; "
            "empty it or choose another --output"
        )


@contextlib.contextmanager
def build_lock(cache_dir: Path) -> Iterator[None]:
    """Held for a whole build of a site, so that a second build waits for the first instead
    of both using one staging folder and one cache. An flock: a killed build lets go of it.
    A cache folder that cannot be made (a read-only site) builds unlocked, as before."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        lock = open(cache_dir / LOCK_FILE, "a")  # noqa: SIM115 - held until the build ends
    except OSError:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


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
        if relative[:1] == "." and (first := relative.split("/", 1)[0]) in RESERVED:
            raise DatelineError(f"refusing to write {url}: the output's {first} is not for pages")
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

    def commit(self) -> WriteReport:
        """Move staged files in, then remove the stale ones: files the marker lists (the
        output's files from the last build) that this build did not claim. On a failure,
        every file replaced or removed is put back and every one added removed again, and
        the error is raised; the staging folder goes either way."""
        files = sorted(self.expected - {MARKER})
        if not self.out_dir.exists():  # a first build: the staging folder becomes the output
            try:
                (self.dir / MARKER).write_text(_listing(files), encoding="utf-8")
                os.rename(self.dir, self.out_dir)
            finally:
                self.discard()
            return WriteReport(tuple(sorted(self.expected)), len(self.changed), 0)
        journal = _Journal(str(self.out_dir), str(self.dir / JOURNAL))
        try:
            previous = read_marker(self.out_dir / MARKER)
            stale = [relative for relative in previous or () if relative not in self.expected]
            folders = _Folders(str(self.out_dir))
            for relative in self.changed + stale:  # refuse a symlinked folder before anything moves
                folders.exists(os.path.dirname(relative))
            # Listed before they move in, so that a build killed meanwhile leaves none unlisted.
            journal.append(MARKER, _unlisted(previous, files))
            staging = str(self.dir)
            for relative in self.changed:
                folders.make(os.path.dirname(relative), journal)
                journal.move_in(os.path.join(staging, relative), relative)
            removed = sum(journal.remove(relative) for relative in stale)
            if files != previous:
                (self.dir / MARKER).write_text(_listing(files), encoding="utf-8")
                journal.move_in(str(self.dir / MARKER), MARKER)
        except BaseException as error:
            try:
                journal.roll_back()
            except OSError as failure:
                raise DatelineError(
                    f"{error}; putting back the files it replaced failed too ({failure}): "
                    f"{self.out_dir} is partly updated, its old files are in {self.dir / JOURNAL}"
                ) from error
            self.discard()
            raise
        self.discard()
        return WriteReport(tuple(sorted(self.expected)), len(self.changed), removed)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def read_marker(marker: Path) -> list[str] | None:
    """The files the marker lists as Dateline's, each checked to stay inside the output; None
    for a marker an older Dateline left empty (or one that is missing or not a listing).
    Which files that one wrote is unknown, so none is removed: a cold build of an old
    output may keep a stale page, but never removes a file of the user's."""
    try:
        lines = marker.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if lines[0] != MARKER_HEADER:
        return None
    return [line for line in lines[1:] if line and _owned(line)]


def _owned(relative: str) -> bool:
    """Whether a path listed in the marker is one Dateline may have written."""
    try:
        return relative_path("/" + relative) == relative and relative.split("/", 1)[0] not in RESERVED
    except ValueError:
        return False


def _listing(files: list[str]) -> str:
    return MARKER_HEADER + "\n" + "".join(f"{relative}\n" for relative in files)


def _unlisted(previous: list[str] | None, files: list[str]) -> str:
    """What to append to the marker so that it lists ``files`` too: a listing of its own
    when it had none."""
    if previous is None:
        return _listing(files)
    listed = set(previous)
    return "".join(f"{relative}\n" for relative in files if relative not in listed)


class _Journal:
    """The steps of one commit, so that a failure can undo them in reverse. Each old file is
    kept in the staging folder's journal until the commit is complete: hard-linked, as
    moving it aside would leave a moment without it for a kill to land in."""

    def __init__(self, out: str, folder: str) -> None:
        self.out = out
        self.folder = folder
        # (relative path, what this commit put there: "file", "dir" or "", where the old
        # one is kept or ""); a marker appended to: its old size and times, to go back to
        self.steps: list[tuple[str, str, str]] = []
        self.appended: list[tuple[str, int, tuple[int, int]]] = []
        self.made = False

    def _aside(self) -> str:
        if not self.made:
            os.mkdir(self.folder)
            self.made = True
        return os.path.join(self.folder, str(len(self.steps)))

    def _keep(self, target: str) -> str:
        """Keep the file at ``target`` in the journal; its path there, or "" when none."""
        aside = self._aside()
        try:
            os.link(target, aside, follow_symlinks=False)
        except FileNotFoundError:
            return ""
        except OSError:  # no hard links here, or a folder in the way
            if os.path.isdir(target) and not os.path.islink(target):
                return ""
            shutil.copy2(target, aside, follow_symlinks=False)
        return aside

    def move_in(self, source: str, relative: str) -> None:
        """Replace the output's file at ``relative`` with ``source``, atomically."""
        target = os.path.join(self.out, relative)
        kept = self._keep(target)
        try:
            os.replace(source, target)
        except IsADirectoryError:  # a folder of pages became a single file
            self.set_aside(relative)
            os.replace(source, target)
        except OSError as error:  # named after the output's file, not the staged one
            raise OSError(error.errno, error.strerror, target) from None
        self.steps.append((relative, "file", kept))

    def set_aside(self, relative: str) -> None:
        """Move what is at ``relative`` into the journal: a file or folder in the way."""
        aside = self._aside()
        os.rename(os.path.join(self.out, relative), aside)
        self.steps.append((relative, "", aside))

    def made_folder(self, relative: str) -> None:
        self.steps.append((relative, "dir", ""))

    def remove(self, relative: str) -> int:
        """Remove the stale file at ``relative``, and the folders it leaves empty; 1 when
        there was one."""
        target = os.path.join(self.out, relative)
        if not os.path.isfile(target):
            return 0
        kept = self._keep(target)
        os.unlink(target)
        self.steps.append((relative, "", kept))
        parent = os.path.dirname(relative)
        while parent:  # empty folders are not kept: putting a file back makes its folder again
            try:
                os.rmdir(os.path.join(self.out, parent))
            except OSError:
                break
            parent = os.path.dirname(parent)
        return 1

    def append(self, relative: str, text: str) -> None:
        """Append ``text`` to the output's file at ``relative`` (the marker), in place."""
        if not text:
            return
        path = os.path.join(self.out, relative)
        with open(path, "a", encoding="utf-8") as file:
            st = os.fstat(file.fileno())
            self.appended.append((path, st.st_size, (st.st_atime_ns, st.st_mtime_ns)))
            file.write(text)

    def roll_back(self) -> None:
        for relative, put, kept in reversed(self.steps):
            target = os.path.join(self.out, relative)
            if put == "file":
                os.unlink(target)
            elif put == "dir":
                os.rmdir(target)
            if kept:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.rename(kept, target)
        for path, size, times in self.appended:
            os.truncate(path, size)
            os.utime(path, ns=times)


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

    def make(self, folder: str, journal: _Journal) -> None:
        if self.exists(folder):
            return
        self.make(os.path.dirname(folder), journal)
        path = os.path.join(self.root, folder)
        if os.path.lexists(path):  # a page that was a single file became a folder of pages
            journal.set_aside(folder)
        os.mkdir(path)
        journal.made_folder(folder)
        self.known[folder] = True


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
