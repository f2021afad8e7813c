"""Rebuilding on a save: into the serve folder, telling the hub what changed or what failed."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from generator.config import Config, template_dirs
from generator.content import sources
from generator.engine import build, memory
from generator.engine.pictures import RASTER_SUFFIXES
from generator.errors import BuildFailed, ContentError, DatelineError, SourceUnreadable
from generator.preview.server import Preview
from generator.preview.tracker import read_stamped, url_of
from generator.urls import output_path


class Rebuilder:
    """Builds into the serve folder and tells the hub what changed or what went wrong."""

    def __init__(
        self,
        site_dir: Path,
        load: Callable[[], Config],
        preview: Preview,
        out: TextIO,
        err: TextIO,
        pending: threading.Event | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.pending = pending or threading.Event()  # set while saves wait for the next build
        self.load = load
        self.preview = preview
        self.out = out
        self.err = err
        self.indexed = False
        self.session = memory.Session()  # parsed articles and templates, kept between saves

    def rebuild(self, because: list[Path]) -> None:
        started = time.perf_counter()
        clock = time.strftime("%H:%M:%S")
        waiting = self.preview.waiting
        waiting.started()
        try:
            config = self.load()
            moved = config.base_path != self.preview.base_path
            self.preview.base_path = config.base_path
            copied = None if moved else self._copy_static(config, because)
            # A save's build keeps the search index as it is; _reindex brings it up to date after.
            kept_index = self.indexed
            report = (
                build.build(
                    config,
                    progress=waiting.progress,
                    reindex_search=not self.indexed,
                    session=self.session,
                    asked=waiting,
                )
                if copied is None
                else None
            )
            self.indexed = True
        except BuildFailed as failed:
            self._failed(clock, [self._shown(error) for error in failed.errors])
            return
        except (OSError, SourceUnreadable) as error:  # a source deleted or renamed while the build read it
            if self.pending.is_set():  # its own event is waiting: that build will tell
                print(f"{clock} Sources changed during the build; building again", file=self.out, flush=True)
            else:
                self._failed(clock, [self._unreadable(error)])
            return
        except DatelineError as error:
            self._failed(clock, [str(error)])
            return
        except Exception as error:  # a bug must not take the preview down with it
            self._failed(clock, [f"internal error: {error!r}"])
            return
        finally:
            waiting.finished()  # before the hub's reload: a tab reloads from the serve folder
        if moved:
            self.preview.hub.built(None)  # every URL an open tab shows has changed
        elif copied or (report is not None and (report.written or report.removed)):
            changed = self.preview.tracker.changed()
            self.preview.hub.built(frozenset(url_of(name, config.base_path) for name in changed))
        else:
            self.preview.hub.built(frozenset())  # clears errors; nothing to reload
        seconds = time.perf_counter() - started
        if report is None:
            done = f"Copied {copied} static file{'s' * (copied != 1)} in {seconds:.2f}s"
        else:
            for warning in report.warnings:
                print(f"{self._shown(warning)} (warning)", file=self.err, flush=True)
            done = (
                f"Built {report.pages} pages in {seconds:.2f}s: "
                f"{report.written} written, {report.removed} removed"
            )
        print(f"{clock} {done}{self._cause(because)}", file=self.out, flush=True)
        if kept_index and config.search and report is not None and report.written:
            self._reindex(config)

    def _reindex(self, config: Config) -> None:
        """Re-index the search shards holding the pages the last build wrote, now that they are
        on screen. A save meanwhile stops it: the save's build comes first, and the next
        re-index covers both."""
        if self.pending.is_set():
            return
        started = time.perf_counter()
        clock = time.strftime("%H:%M:%S")
        try:
            report = build.build(config, session=self.session, stop_indexing=self.pending)
        except BuildFailed as failed:
            self._failed(clock, [self._shown(error) for error in failed.errors])
            return
        except Exception as error:  # a source changed meanwhile, or stopped for a save
            if not self.pending.is_set():
                self._failed(clock, [f"updating the search index: {error}"])
            return
        changed = self.preview.tracker.changed()
        self.preview.hub.built(frozenset(url_of(name, config.base_path) for name in changed))
        seconds = time.perf_counter() - started
        print(
            f"{clock} Search index updated in {seconds:.2f}s: {report.written} written",
            file=self.out,
            flush=True,
        )

    def _copy_static(self, config: Config, because: list[Path]) -> int | None:
        """Copy edited static files straight into the build, or None when a build is needed.

        A stylesheet or script changes no page, so it needs no build: on a large archive this
        turns a CSS edit from a full build into a file copy. Anything else, a picture (pages
        show its size, engine/pictures.py), a deletion, or a save while the build is broken
        (the fix may be elsewhere) goes through the build.
        """
        folders = [d / "static" for d in template_dirs(config)] + [config.static_dir]
        folders = [folder.resolve() for folder in folders]
        if not because or self.preview.hub.last_build().errors:
            return None
        if not all(p.is_file() and any(p.is_relative_to(f) for f in folders) for p in because):
            return None
        if any(p.suffix.lower() in RASTER_SUFFIXES for p in because):
            return None
        urls = {source.resolve(): url for url, source in sources.static_files(config).items()}
        if not all(path.resolve() in urls for path in because):
            return None  # shadowed by a file of the same name that wins, or a hidden one
        copied = 0
        for path in dict.fromkeys(p.resolve() for p in because):
            target = output_path(self.preview.root, urls[path])
            data = path.read_bytes()
            if read_stamped(target) is not None and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.copying")
            temporary.write_bytes(data)
            os.replace(temporary, target)  # atomic: a tab never reads half a stylesheet
            copied += 1
        return copied

    def _failed(self, clock: str, errors: list[str]) -> None:
        self.preview.hub.failed(tuple(errors))
        count = len(errors)
        print(
            f"{clock} Build failed with {count} error{'s' * (count != 1)}; serving the last good build",
            file=self.err,
        )
        for line in errors:
            print(f"  {line}", file=self.err)
        self.err.flush()

    def _unreadable(self, error: OSError | SourceUnreadable) -> str:
        where = f"{self._relative(Path(os.fsdecode(error.filename)))}: " if error.filename else ""
        return f"{where}{error.strerror or error}"

    def _shown(self, error: ContentError) -> str:
        """``content/2024/a.md:3: ...``: paths relative to the site, as the editor names them."""
        return str(replace(error, path=self._relative(error.path)))

    def _relative(self, path: Path) -> Path:
        if path.is_absolute() and path.resolve().is_relative_to(self.site_dir):
            return path.resolve().relative_to(self.site_dir)
        return path

    def _cause(self, because: list[Path]) -> str:
        unique = list(dict.fromkeys(because))
        if not unique:
            return ""
        more = f" and {len(unique) - 1} more" if len(unique) > 1 else ""
        return f" ({self._relative(unique[0])}{more})"
