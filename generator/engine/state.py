"""Whether anything a build reads changed since the last successful build.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from generator.config import Config
from generator.content.model import Article
from generator.content.sources import template_files
from generator.engine import cache
from generator.errors import SourceUnreadable

RACY_SECONDS = 2
STATE_FILE = "state.bin"
#: Google News reads the articles of the last two days from a news sitemap (feeds.py); past
#: that an article leaves it, a change by the clock alone that ``next_due`` must foresee.
NEWS_WINDOW = timedelta(days=2)


def templates_digest(config: Config) -> str:
    """A digest of every template's content, which every page is rendered with."""
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
    scheduled: tuple[str, datetime] | None = None  # the next article to come due: its source, date
    # Pages written since the search index was made, when a build kept it as it was (the live
    # preview): the next build that indexes re-indexes the shards that hold them.
    search_stale: tuple[str, ...] = ()


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


def next_due(articles: Iterable[Article], now: datetime, *also: datetime | None) -> datetime | None:
    """When the site next changes by the clock alone: a scheduled (future-dated) article is
    published, an article reaches its expiry date, or one leaves the Google News sitemap
    (``NEWS_WINDOW`` after it was published); or at one of the moments ``also`` names (the
    midnight that changes the home page's on-this-day articles). A build with drafts shows
    every article whatever the clock, but its news sitemap still lists only the published ones."""
    live = [a for a in articles if not a.draft]
    moments = [a.date for a in live if a.date > now]
    moments += [moment for moment in also if moment is not None and moment > now]
    moments += [a.expires for a in live if a.expires is not None and a.expires > now]
    moments += [a.date + NEWS_WINDOW for a in live if a.date + NEWS_WINDOW > now]
    return min(moments, default=None)


def next_scheduled(articles: Iterable[Article], now: datetime) -> tuple[str, datetime] | None:
    """The scheduled (future-dated, not draft) article published next: its source and date."""
    upcoming = [(a.date, a.source) for a in articles if not a.draft and a.date > now]
    if not upcoming:
        return None
    moment, source = min(upcoming)
    return source, moment
