"""Write the site: stage changed files, then move them in, then remove what no longer belongs.

Nothing touches the output folder until every page has rendered; then each changed file is
moved in with ``os.replace`` (atomic per file), identical files are left alone so their
mtimes stay, and stale files go last. A failed or killed build leaves the old site whole.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import DatelineError
from generator.slugs import output_path

#: Marks a folder as Dateline's, so a build never deletes files it did not make.
MARKER = ".dateline-output"


@dataclass(frozen=True)
class WriteReport:
    files: int
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
    """Collects the files of one build beside the output folder, then commits them."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.dir = out_dir.parent / f".{out_dir.name}.staging"
        self.expected: set[Path] = {out_dir / MARKER}
        self.changed: list[Path] = []
        if self.dir.exists():
            shutil.rmtree(self.dir)  # left by a build that was killed
        self.dir.mkdir(parents=True)

    def add(self, url: str, data: bytes) -> None:
        """Stage the file for ``url`` unless the output already holds exactly these bytes."""
        target = output_path(self.out_dir, url)
        if target in self.expected:
            raise DatelineError(f"two pages were rendered for {url}")
        self.expected.add(target)
        if _same(target, data):
            return
        staged = self.dir / target.relative_to(self.out_dir)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        self.changed.append(target)

    def add_file(self, url: str, source: Path) -> None:
        self.add(url, source.read_bytes())

    def commit(self) -> WriteReport:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        marker = self.out_dir / MARKER
        if not marker.exists():
            marker.touch()
        for target in self.changed:
            staged = self.dir / target.relative_to(self.out_dir)
            if target.is_dir():  # a page became a file where a folder was, or the reverse
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        removed = self._remove_stale()
        shutil.rmtree(self.dir, ignore_errors=True)
        return WriteReport(len(self.expected) - 1, len(self.changed), removed)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _remove_stale(self) -> int:
        removed = 0
        for root, dirs, files in os.walk(self.out_dir, topdown=False):
            here = Path(root)
            for name in files:
                if here / name not in self.expected:
                    (here / name).unlink()
                    removed += 1
            for name in dirs:
                path = here / name
                if path.is_symlink():
                    path.unlink()
                elif not any(path.iterdir()):
                    path.rmdir()
        return removed


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False
