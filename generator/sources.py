"""What a build reads, and whether any of it changed since the last successful build.

The first and cheapest level of incremental builds: the input stamp. It is the (path, size,
mtime) of every content, template and static file and ``site.toml``, with the settings and
Dateline's version. When it equals the last build's, no scheduled article has come due and
every output file is still there, the build has nothing to do and stops before anything is
parsed — or even imported: this module needs neither Markdown, YAML nor Jinja.

Files modified within ``RACY_SECONDS`` of being stamped are never trusted by size and mtime
alone (a same-size edit in the same clock tick would look unchanged); they are stamped with
their content too, as git does with its index.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator import cache
from generator.config import Config, template_dirs, theme_dir
from generator.errors import ContentError, SourceUnreadable

if TYPE_CHECKING:
    from generator.content import Article

EXTENSIONS = (".md", ".markdown")
RACY_SECONDS = 2
STATE_FILE = "state.bin"


@dataclass(frozen=True)
class Found:
    """The files of one kind of source, and a warning naming each symlink skipped."""

    paths: tuple[str, ...]
    skipped: tuple[ContentError, ...]


@dataclass(frozen=True)
class Sources:
    """What a build reads besides the settings: article files, static files (by URL), and
    a warning for each symlink among them that it does not follow."""

    articles: tuple[str, ...]
    statics: dict[str, Path]
    skipped: tuple[ContentError, ...]


def find(config: Config) -> Sources:
    """The article and static files of the site, and the symlinks skipped among them and
    among the templates."""
    articles = find_articles(config.content_dir)
    statics, skipped_static = find_static(config)
    skipped = articles.skipped + skipped_static + find_templates(config)[1]
    return Sources(articles.paths, statics, tuple(dict.fromkeys(skipped)))  # templates/static/ is both


def discover(content_dir: Path) -> list[str]:
    """Every article file under ``content_dir``, in a stable order (see ``find_articles``)."""
    return list(find_articles(content_dir).paths)


def find_articles(content_dir: Path) -> Found:
    """Every article file under ``content_dir``, in a stable order; hidden files skipped, and
    symlinks that lead outside ``content_dir`` (or nowhere). Paths as strings: an archive
    has tens of thousands, and a build that finds nothing changed has no use for ``Path``
    objects."""
    if not content_dir.is_dir():
        return Found((), ())
    site = content_dir.parent  # a content/ that is itself a symlink must stay in the site too
    found = _walk(
        content_dir,
        os.path.realpath(content_dir),
        f"{content_dir.name}/",
        lambda name: name.lower().endswith(EXTENSIONS),
        (".", "_"),  # editor temp files, _drafts/ by convention
        root_inside=os.path.realpath(site),
    )
    return Found(tuple(sorted(found.paths, key=lambda path: path.split(os.sep))), found.skipped)


def _walk(
    top: Path,
    inside: str,
    inside_name: str,
    wanted: Callable[[str], bool],
    hidden: tuple[str, ...],
    root_inside: str | None = None,
) -> Found:
    """The files under ``top`` whose names ``wanted`` accepts, in no particular order;
    names starting with ``hidden`` skipped. A symlink is followed only when it resolves
    inside ``inside`` (a real path, named ``inside_name`` in warnings), and ``top`` itself
    only when it lies inside ``root_inside`` (default: ``inside``): one leading out would
    publish what the site folder does not hold, such as ``static/key -> ~/.ssh/id_rsa``."""
    problem = _outside(str(top), root_inside or inside, "the site folder" if root_inside else inside_name)
    if problem:
        return Found((), (ContentError(top, 1, problem),))
    found: list[str] = []
    skipped: list[ContentError] = []
    folders = [str(top)]
    visited = {os.path.realpath(top)}  # a symlink back up the tree is followed once
    # scandir rather than rglob or os.walk: a large archive has tens of thousands of files,
    # and any per-file overhead shows in every incremental build.
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith(hidden):
                    continue
                if entry.is_symlink() and (problem := _outside(entry.path, inside, inside_name)):
                    skipped.append(ContentError(Path(entry.path), 1, problem))
                elif entry.is_dir():
                    real = os.path.realpath(entry.path)
                    if real not in visited:
                        visited.add(real)
                        folders.append(entry.path)
                elif wanted(entry.name) and entry.is_file():
                    found.append(entry.path)
    return Found(tuple(found), tuple(sorted(skipped, key=lambda error: str(error.path))))


def _outside(path: str, inside: str, inside_name: str) -> str | None:
    """Why ``path`` may not be read (it leads out of ``inside``, or nowhere), or None."""
    try:
        os.stat(path)
    except OSError as error:  # a dangling link, or a loop such as a.md -> b.md -> a.md
        return f"symlink leads nowhere ({error.strerror or error}); skipped"
    target = os.path.realpath(path)
    if Path(target).is_relative_to(inside):
        return None
    return f"symlink leads outside {inside_name} (to {target}); skipped"


def find_static(config: Config) -> tuple[dict[str, Path], tuple[ContentError, ...]]:
    """URL -> source file for every static asset, later sources overriding earlier ones;
    and the symlinks skipped.

    The theme's and the site's ``templates/static/`` land under ``/static/``; the site's own
    ``static/`` folder lands at the root (images, favicon, CNAME). Symlinks are followed
    while they stay inside the site folder (the theme's: inside the theme).
    """
    sources = [(d / "static", "/static/") for d in reversed(template_dirs(config))]
    sources.append((config.static_dir, "/"))
    files: dict[str, Path] = {}
    skipped: list[ContentError] = []
    for folder, prefix in sources:
        if not folder.is_dir() and not folder.is_symlink():
            continue
        found = _walk(folder, *_boundary(config, folder), lambda name: True, (".",))
        skipped += found.skipped
        top = len(str(folder)) + 1
        for path in sorted(found.paths):
            files[prefix + path[top:].replace(os.sep, "/")] = Path(path)
    return files, tuple(skipped)


def static_files(config: Config) -> dict[str, Path]:
    """URL -> source file for every static asset (see ``find_static``)."""
    return find_static(config)[0]


def find_templates(config: Config) -> tuple[list[Path], tuple[ContentError, ...]]:
    """Every template file, the site's before the theme's; and the symlinks skipped."""
    files: list[Path] = []
    skipped: list[ContentError] = []
    for folder in template_dirs(config):
        found = _walk(folder, *_boundary(config, folder), lambda name: True, ("__pycache__",))
        files += sorted(map(Path, found.paths))
        skipped += found.skipped
    return files, tuple(skipped)


def template_files(config: Config) -> list[Path]:
    return find_templates(config)[0]


def _boundary(config: Config, folder: Path) -> tuple[str, str]:
    """Where symlinks under ``folder`` may lead: the site folder, or the theme for its own
    files (Dateline's, wherever it is installed)."""
    theme = theme_dir()
    if folder.is_relative_to(theme) and not folder.is_relative_to(config.site_dir):
        return os.path.realpath(theme), "the theme"
    return os.path.realpath(config.site_dir), "the site folder"


def templates_digest(config: Config) -> str:
    return cache.digest([(str(path), _content_digest(str(path))) for path in template_files(config)])


@dataclass(frozen=True)
class Inputs:
    """The stat of every input: content, templates, static files and ``site.toml``."""

    config: Config
    stats: tuple[tuple[str, int, int], ...]  # (path, size, mtime)

    def stamp(self, reference_ns: int) -> str:
        """A digest of the inputs as seen by a build started at ``reference_ns``. Files
        modified within ``RACY_SECONDS`` before it are stamped with their content too, so a
        same-size edit in the same clock tick is still noticed."""
        racy_after = reference_ns - RACY_SECONDS * 1_000_000_000
        entries = [
            (path, size, mtime, _content_digest(path) if mtime >= racy_after else "")
            for path, size, mtime in self.stats
        ]
        return cache.digest(cache.code_version(), repr(self.config), entries)


def _content_digest(path: str) -> str:
    try:
        return cache.file_digest(Path(path).read_bytes())
    except OSError:  # deleted since it was listed: a digest no file has, so the next build looks again
        return "unreadable"


def inputs(config: Config, content_paths: Sequence[str], other_paths: Iterable[Path]) -> Inputs:
    settings = config.site_dir / "site.toml"
    paths = [*content_paths, *map(str, template_files(config)), *map(str, other_paths)]
    if settings.exists():
        paths.append(str(settings))
    stats = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError as error:  # listed a moment ago, so most likely deleted since
            raise SourceUnreadable.of(error) from None
        stats.append((path, st.st_size, st.st_mtime_ns))
    return Inputs(config, tuple(stats))


@dataclass(frozen=True)
class State:
    """What the last successful build left, to compare the next one against."""

    stamp: str
    started_ns: int  # the reference time of the stamp
    due: datetime | None  # the first scheduled article to come due after that build
    articles: int
    pages: int
    warnings: tuple[tuple[str, int, str], ...]
    outputs: tuple[str, ...] = ()  # every file of the output, relative to it
    search_shards: tuple[str, ...] = ()  # what each shard of the search index was made from


def state_key(config: Config) -> str:
    """The key of what a build keeps for the next build of the same site into the same output."""
    return cache.digest("state", cache.code_version(), str(config.site_dir), str(config.out_dir))


def load_state(config: Config) -> State | None:
    data = cache.load(config.cache_dir / STATE_FILE, state_key(config))
    try:
        return State(**data) if isinstance(data, dict) else None
    except TypeError:
        return None


def save_state(config: Config, state: State) -> None:
    cache.store(config.cache_dir / STATE_FILE, state_key(config), state.__dict__)


def unchanged(state: State, seen: Inputs, now: datetime, out_dir: Path) -> bool:
    """Whether a build would change nothing: same inputs, nothing come due, output whole."""
    if state.due is not None and now >= state.due:
        return False
    if seen.stamp(state.started_ns) != state.stamp:
        return False
    out = f"{out_dir}{os.sep}"
    try:
        for relative in state.outputs:
            os.stat(out + relative)
    except OSError:
        return False
    return True


def next_due(articles: Iterable[Article], config: Config, now: datetime) -> datetime | None:
    """When the next scheduled (future-dated) article is published, changing the site."""
    if config.drafts:
        return None
    return min((a.date for a in articles if not a.draft and a.date > now), default=None)
