"""Watching the site's sources: which file events are real changes, and turning a burst of
them into one rebuild."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from generator.config import SETTINGS_FILE, Config, template_dirs

DEBOUNCE = 0.02  # seconds of quiet that end a burst of file events (temp file + rename: ~1 ms)
DEBOUNCE_LIMIT = 1.0  # a stream of events still rebuilds this often
#: Event types that mean a file's content or presence changed; opened/closed are reads.
CHANGES = frozenset({"created", "modified", "moved", "deleted"})
#: Saves by editors pass through these names; the final rename still reaches the real file.
EDITOR_NOISE = (".swp", ".swx", ".tmp", "~")


class Changes(FileSystemEventHandler):
    """Collects the paths of real changes to the site's sources; signals ``pending``."""

    def __init__(self, site_dir: Path, roots: list[Path], on_new_root: Callable[[Path], None]) -> None:
        self.site_dir = site_dir
        self.roots = roots
        self.on_new_root = on_new_root
        self.pending = threading.Event()
        self._lock = threading.Lock()
        self._paths: list[Path] = []
        self._taken: dict[Path, object] = {}  # what each path held when a build last took it

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        paths = [Path(os.fsdecode(event.src_path))]
        if event.event_type == "moved":
            paths.append(Path(os.fsdecode(event.dest_path)))
        relevant = [path for path in paths if self._relevant(path, event.is_directory)]
        if not relevant:
            return
        with self._lock:
            self._paths.extend(relevant)
        self.pending.set()

    def take(self) -> list[Path]:
        """The paths changed since the last take, leaving out those a build has already read.

        Events often arrive after the build they belong to has started and read the file
        (a burst of saves on a busy machine); building again for them would change nothing.
        """
        with self._lock:
            paths, self._paths = list(dict.fromkeys(self._paths)), []
        changed = []
        for path in paths:
            held = _held(path)
            if self._taken.get(path, _NEVER) != held:
                changed.append(path)
            self._taken[path] = held
        return changed

    def _relevant(self, path: Path, is_directory: bool) -> bool:
        if path.name.startswith(".") or path.name.endswith(EDITOR_NOISE) or path.name == "4913":
            return False  # vim probes with "4913" and keeps "name~" while it saves
        if path.parent == self.site_dir:
            if path.name == SETTINGS_FILE:
                return True
            root = next((r for r in self.roots if r == path), None)
            if root is not None and is_directory:
                self.on_new_root(root)  # content/ or templates/ made after serve started
                return True
            return False
        return any(path.is_relative_to(root) for root in self.roots)


_NEVER = object()
_HASHED_UP_TO = 1 << 20  # bytes; larger files (video, archives) are told apart by their stat


def _held(path: Path) -> object:
    """What a path holds, to compare: a file's mode and bytes (digested), or that it is a folder."""
    try:
        if path.is_dir():
            return "folder"
        status = path.stat()
        if status.st_size > _HASHED_UP_TO:
            return (status.st_mode, status.st_ino, status.st_size, status.st_mtime_ns)
        return (status.st_mode, hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    except OSError:
        return None  # gone, or unreadable for now: the build reports it


def watch(config: Config, changes: Changes, err: TextIO) -> BaseObserver:
    """Start watching the sources; never the build folder or ``output/`` (that would loop)."""
    observer: BaseObserver = Observer()
    try:
        _schedule(observer, config, changes)
    except OSError as error:  # inotify limits (watchdog #673): polling still works
        print(f"file watching is limited ({error.strerror}); polling for changes instead", file=err)
        observer = PollingObserver()
        _schedule(observer, config, changes)
    observer.daemon = True
    observer.start()
    return observer


def _schedule(observer: BaseObserver, config: Config, changes: Changes) -> None:
    observer.schedule(changes, str(config.site_dir), recursive=False)
    for root in changes.roots:
        if root.is_dir() and root != config.site_dir:
            observer.schedule(changes, str(root), recursive=True)


def watched_roots(config: Config) -> list[Path]:
    dirs = [config.content_dir, config.templates_dir, config.static_dir, *template_dirs(config)]
    return list(dict.fromkeys(path.resolve() for path in dirs))


def debounce(changes: Changes, stop: threading.Event, rebuild: Callable[[list[Path]], None]) -> None:
    """Turn bursts of events into one rebuild each, until ``stop`` is set."""
    while not stop.is_set():
        if not changes.pending.wait(0.2):
            continue
        burst_started = time.monotonic()
        while True:
            changes.pending.clear()
            if stop.wait(DEBOUNCE):
                return
            if not changes.pending.is_set() or time.monotonic() - burst_started > DEBOUNCE_LIMIT:
                break
        paths = changes.take()
        if not paths:
            continue
        try:
            rebuild(paths)
        except Exception as error:  # keep watching: the next save may well succeed
            print(f"dateline serve: rebuild failed: {error!r}", file=sys.stderr, flush=True)


def add_root(observer: BaseObserver, changes: Changes, root: Path) -> None:
    """Watch ``root`` afresh after it was made, deleted or moved.

    A deleted folder leaves a stopped watch behind, and watchdog hands that same dead watch
    back when the folder is made again, so saves in the new folder would go unseen.
    """
    for watch in [emitter.watch for emitter in observer.emitters]:
        if Path(watch.path) == root:
            with contextlib.suppress(KeyError):
                observer.unschedule(watch)
    # It may have vanished again, or inotify may be full; a later save still rebuilds.
    with contextlib.suppress(OSError):
        observer.schedule(changes, str(root), recursive=True)
