"""What a build reads of the builds before it, and keeps for the next.

The cache folder holds the last build's state (engine/state.py), parsed articles
(content/load.py), related articles, page fingerprints (``Marks``) and compiled templates; a
long-running process (the live preview) keeps the same in memory, in a ``Session``. A build
from scratch reads none of it and leaves it as it is.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from generator.config import Config
from generator.engine import cache
from generator.engine.state import Inputs, State, load_state, save_state, state_key, unchanged

if TYPE_CHECKING:
    import jinja2

    from generator.content.load import ArticleCache
    from generator.engine.incremental import Marks

RELATED_FILE = "related.bin"
FINGERPRINTS_FILE = "pages.bin"


def load_related(config: Config) -> dict[str, Any]:
    """Related articles from the last build (see ``taxonomy.index``); empty when unknown."""
    data = cache.load(config.cache_dir / RELATED_FILE, state_key(config))
    if not isinstance(data, dict):
        return {}
    data["saved"] = data.get("key")  # the same object until indexing computes a new key
    return data


def save_related(config: Config, related: dict[str, Any] | None) -> None:
    if related and related.get("saved") is not related.get("key"):
        related["saved"] = related["key"]
        cache.store(config.cache_dir / RELATED_FILE, state_key(config), related)


def load_marks(config: Config) -> Marks | None:
    from generator.engine.incremental import Marks

    data = cache.load(config.cache_dir / FINGERPRINTS_FILE, state_key(config))
    try:
        return Marks(*data) if isinstance(data, tuple) else None
    except TypeError:
        return None


def save_marks(config: Config, marks: Marks) -> None:
    value = (marks.placement, dict(marks.digests), dict(marks.fingerprints), dict(marks.reads))
    cache.store(config.cache_dir / FINGERPRINTS_FILE, state_key(config), value)


@dataclass
class Session:
    """What a long-running process (the live preview) keeps from one build to the next
    instead of reading it back from the cache folder: parsed articles, related articles, the
    last build's marks and the compiled templates."""

    articles: ArticleCache | None = None
    marks: Marks | None = None
    related: dict[str, Any] | None = None
    environment: tuple[str, Any] | None = None  # (what it was made for, the environment)

    def article_cache(self, config: Config) -> ArticleCache:
        from generator.content.load import ArticleCache

        if self.articles is None or self.articles.key != ArticleCache.key_of(config):
            self.articles = ArticleCache(config)
        return self.articles

    def related_memo(self, config: Config) -> dict[str, Any]:
        if self.related is None:
            self.related = load_related(config)
        return self.related


class Memory:
    """One build's access to what earlier builds kept: nothing for a build from scratch
    (``enabled`` false); else the cache folder, and the ``session``'s copies where it has them."""

    def __init__(self, config: Config, enabled: bool, session: Session | None) -> None:
        self.config = config
        self.enabled = enabled
        self.session = session if enabled else None
        self.state = load_state(config) if enabled else None
        self._related: dict[str, Any] | None = None

    def unchanged_since(self, seen: Inputs, now: datetime) -> State | None:
        """The last build's state when nothing it read has changed since, nor has the clock
        made anything due; else None."""
        if self.state is not None and unchanged(self.state, seen, now, self.config.out_dir):
            return self.state
        return None

    def article_cache(self) -> ArticleCache:
        from generator.content.load import ArticleCache

        if self.session is not None:
            return self.session.article_cache(self.config)
        return ArticleCache(self.config, enabled=self.enabled)

    def related(self) -> dict[str, Any] | None:
        """The memo of related articles that indexing reads and updates (see taxonomy.index)."""
        if self.enabled and self._related is None:
            self._related = (
                self.session.related_memo(self.config) if self.session else load_related(self.config)
            )
        return self._related

    def last_marks(self) -> Marks | None:
        """What the last build rendered from, or None when its pages cannot be trusted."""
        if self.state is None:
            return None
        if self.session is not None and self.session.marks is not None:
            return self.session.marks
        return load_marks(self.config)

    def environment(self, templates: str, note_reads: bool) -> jinja2.Environment:
        """The template environment: the session's while the settings and templates are the
        same, with compiled templates kept in the cache folder between builds.

        Compiled templates are kept per settings: Jinja folds filters applied to constants
        (``{{ '/feed.xml' | url }}``) into the compiled code, so a template compiled under one
        base URL must not be used under another."""
        from generator.engine import render

        config, session = self.config, self.session
        made_for = cache.digest(repr(config), templates, note_reads)
        if session is not None and session.environment is not None and session.environment[0] == made_for:
            return session.environment[1]
        bytecode_dir = None
        if self.enabled:
            compiled = config.cache_dir / "templates"
            bytecode_dir = compiled / cache.digest(cache.code_version(), repr(config))
            if compiled.is_dir():  # compiled under other settings: of no further use
                for path in compiled.iterdir():
                    if path.is_dir() and path != bytecode_dir:
                        shutil.rmtree(path, ignore_errors=True)
                    elif path.is_file():
                        path.unlink(missing_ok=True)
            bytecode_dir.mkdir(parents=True, exist_ok=True)
        env = render.environment(config, bytecode_dir, note_reads)
        if session is not None:
            session.environment = made_for, env
        return env

    def remember(self, state: State, marks: Marks) -> None:
        """Keep what this build made for the next one."""
        if not self.enabled:
            return
        save_related(self.config, self._related)
        save_marks(self.config, marks)
        if self.session is not None:
            self.session.marks = marks
        save_state(self.config, state)
