"""Loading articles: every article file under content/ parsed, or taken from the build cache.

Each file's parsed Article is cached under its content digest (``ArticleCache``), its body
apart (``Bodies``); only new or edited files are parsed, in parallel when there are many. A
build from scratch, and ``dateline check``, use a disabled cache, which reads nothing back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import weakref
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from generator.config import Config
from generator.content.markdown import markdown_renderer
from generator.content.model import Article, Body
from generator.content.parse import parse
from generator.engine import cache, parallel
from generator.engine.state import RACY_SECONDS
from generator.errors import ContentError, DatelineError, SourceUnreadable

SHARDS = 32
BODIES_FOLDER = "bodies"

_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_SOURCE = _ARTICLE_FIELDS.index("source")
_BODY = _ARTICLE_FIELDS.index("body")
_EXTRA = _ARTICLE_FIELDS.index("extra")
_LINES = _ARTICLE_FIELDS.index("lines")


def plain_article(article: Article) -> tuple[Any, ...]:
    """An Article's front matter and facts as a tuple of plain values, without its body
    (kept apart, see ``Bodies``); its read-only mappings become dicts."""
    values = [getattr(article, name) for name in _ARTICLE_FIELDS]
    values[_BODY] = None
    values[_EXTRA] = dict(article.extra)
    values[_LINES] = dict(article.lines)
    return tuple(values)


def article_from(values: tuple[Any, ...], body: Body) -> Article:
    """The Article of ``plain_article`` with its ``body``."""
    values = list(values)
    values[_BODY] = body
    values[_EXTRA] = MappingProxyType(values[_EXTRA])
    values[_LINES] = MappingProxyType(values[_LINES])
    return Article(*values)


class Bodies:
    """Rendered article bodies, a file each, named by the digest of the article's source.

    A build reads only the bodies of the pages it renders. A body file that is missing or
    corrupt is never trusted: the article is parsed again from its source, provided the
    source still has the digest the body was wanted for.
    """

    def __init__(self, folder: Path, key: str, config: Config) -> None:
        self.folder = folder
        self.key = key
        self.config = config
        self._markdown: Any = None  # made at the first body that must be parsed again

    def _path(self, digest: str) -> str:
        return os.path.join(self.folder, digest)  # a string: a cold build asks for one per article

    def write(self, digest: str, body: Body) -> None:
        cache.store(self._path(digest), self.key, (body.html, body.toc))

    def remove(self, digests: Iterable[str]) -> None:
        for digest in digests:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._path(digest))

    def lazy(self, digest: str, source: str) -> Body:
        return Body(read=lambda: self.read(digest, source))

    def read(self, digest: str, source: str) -> tuple[str, str]:
        found = cache.load(self._path(digest), self.key)
        if isinstance(found, tuple) and len(found) == 2:
            return found
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise SourceUnreadable.of(error) from None
        if cache.file_digest(data) != digest:
            raise DatelineError(f"{source} changed during the build; build again")
        if self._markdown is None:
            self._markdown = markdown_renderer(self.config)
        article, _, _ = parse(data, Path(source), self.config, self._markdown)
        if article is None:
            raise DatelineError(f"{source} changed during the build; build again")
        self.write(digest, article.body)
        return article.body.html, article.body.toc


class Entry(NamedTuple):
    """What the cache keeps of one article file."""

    size: int
    mtime: int | None  # None for a file too new to trust its mtime (see state.RACY_SECONDS)
    digest: str  # of the file's content; names its body in ``Bodies``
    plain: tuple[Any, ...] | None  # the Article as ``plain_article``; None when it has errors
    errors: tuple[tuple[str, int, str], ...]  # as cache.plain_errors
    warnings: tuple[tuple[str, int, str], ...]


class ArticleCache:
    """Parsed articles by file, in shards so an edit rewrites a small file, not all of them;
    their bodies apart, in ``Bodies``.

    A disabled cache (a build from scratch, ``dateline check``) reads nothing and keeps its
    bodies in a temporary folder: workers hand bodies over through files, and memory stays
    flat however large the archive. The folder is removed by ``close``, or else once no
    article is left to read its body from it.
    """

    def __init__(self, config: Config, enabled: bool = True) -> None:
        self.dir = config.cache_dir
        self.enabled = enabled
        self.key = self.key_of(config)
        self.shards: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        self.dirty: set[int] = set()
        self.dropped: set[str] = set()  # digests of bodies no entry may need any more
        self.made: dict[str, tuple[Entry, Article]] = {}  # the Article last made of each entry
        folder = config.cache_dir / BODIES_FOLDER if enabled else Path(tempfile.mkdtemp(prefix="dateline-"))
        self.bodies = Bodies(folder, self.key, config)
        self._remove_bodies = None if enabled else weakref.finalize(self.bodies, shutil.rmtree, folder, True)
        if enabled:
            for number in range(SHARDS):
                data = cache.load(self._path(number), self.key)
                if isinstance(data, dict):
                    self.shards[number] = data

    @staticmethod
    def key_of(config: Config) -> str:
        return cache.digest(
            "articles",
            cache.code_version(),
            str(config.site_dir),
            # every setting parse() reads
            (config.timezone, config.archive_day, config.allow_html, config.permalinks, config.markdown),
            config.markdown_extensions,
            (config.tag_keys, config.region_keys, config.author_keys, config.base_path, config.origin),
            (config.language, config.languages, config.prefix_default_language, config.taxonomies),
        )

    def article(self, relative: str, entry: Entry) -> Article:
        """The Article of a cached entry, made once however many builds ask for it."""
        made = self.made.get(relative)
        if made is not None and made[0] is entry:
            return made[1]
        assert entry.plain is not None
        article = article_from(entry.plain, self.bodies.lazy(entry.digest, entry.plain[_SOURCE]))
        self.made[relative] = (entry, article)
        return article

    def _path(self, number: int) -> Path:
        return self.dir / f"articles-{number:02d}.bin"

    @staticmethod
    def _shard(relative: str) -> int:
        return zlib.crc32(relative.encode("utf-8", "surrogatepass")) % SHARDS

    def get(self, relative: str) -> Entry | None:
        return self.shards[self._shard(relative)].get(relative)

    def put(self, relative: str, entry: Entry) -> None:
        number = self._shard(relative)
        old = self.shards[number].get(relative)
        if old != entry:
            if old is not None and old.digest != entry.digest:
                self.dropped.add(old.digest)
            self.shards[number][relative] = entry
            self.dirty.add(number)

    def keep_only(self, relatives: set[str]) -> None:
        """Forget deleted files."""
        for number, shard in enumerate(self.shards):
            for relative in [r for r in shard if r not in relatives]:
                self.dropped.add(shard.pop(relative).digest)
                self.dirty.add(number)

    def save(self) -> None:
        """Write the changed shards, then remove the bodies no entry needs any more."""
        if not self.enabled:
            return
        for number in sorted(self.dirty):
            cache.store(self._path(number), self.key, self.shards[number])
        self.dirty.clear()
        if self.dropped:
            kept = {entry.digest for shard in self.shards for entry in shard.values()}
            self.bodies.remove(self.dropped - kept)
            self.dropped.clear()

    def close(self) -> None:
        """Remove the temporary bodies of a disabled cache."""
        if self._remove_bodies is not None:
            self._remove_bodies()


@dataclass(frozen=True)
class Loaded:
    articles: tuple[Article, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]
    digests: Mapping[str, str]  # article source (as a string) -> content digest


def _parse_files(config: Config, paths: Sequence[str], racy_after: int, bodies: Bodies) -> list[Entry]:
    md = markdown_renderer(config)
    entries: list[Entry] = []
    for name in paths:
        with open(name, "rb") as file:
            st = os.fstat(file.fileno())
            data = file.read()
        article, errors, warnings = parse(data, Path(name), config, md)
        mtime = st.st_mtime_ns if st.st_mtime_ns < racy_after else None
        digest = cache.file_digest(data)
        plain = None
        if article is not None:
            bodies.write(digest, article.body)
            plain = plain_article(article)
        problems = cache.plain_errors(errors), cache.plain_errors(warnings)
        entries.append(Entry(st.st_size, mtime, digest, plain, *problems))
    return entries


def load_articles(
    config: Config, paths: Sequence[str], articles: ArticleCache, jobs: int, tick: Callable[[], None]
) -> Loaded:
    """Every article under ``content/``: cached ones reused, the rest parsed over ``jobs``.
    Raises SourceUnreadable for one of ``paths`` that cannot be read (deleted meanwhile)."""
    try:
        return _load_articles(config, paths, articles, jobs, tick)
    except OSError as error:  # raised here or in a worker; a source's, or else the cache's
        if error.filename is None or os.fsdecode(error.filename) not in set(paths):
            raise
        raise SourceUnreadable.of(error) from None


def _load_articles(
    config: Config, paths: Sequence[str], articles: ArticleCache, jobs: int, tick: Callable[[], None]
) -> Loaded:
    racy_after = time.time_ns() - RACY_SECONDS * 1_000_000_000
    entries: dict[int, Entry] = {}
    todo: list[int] = []
    relatives: list[str] = []
    prefix = len(str(config.content_dir)) + 1  # paths from find_articles() lie under content/
    for number, name in enumerate(paths):
        relative = "content/" + name[prefix:].replace(os.sep, "/")
        relatives.append(relative)
        entry = articles.get(relative)
        if entry is not None and entry.plain is not None:
            st = os.stat(name)  # discovery has skipped symlinks that lead outside content/
            if entry.size == st.st_size and entry.mtime == st.st_mtime_ns:
                entries[number] = entry
                tick()
                continue
            with open(name, "rb") as file:
                data = file.read()
            if cache.file_digest(data) == entry.digest:
                mtime = st.st_mtime_ns if st.st_mtime_ns < racy_after else None
                entries[number] = entry._replace(size=st.st_size, mtime=mtime)
                articles.put(relative, entries[number])
                tick()
                continue
        todo.append(number)

    def parse_chunk(numbers: Sequence[int]) -> list[Entry]:
        return _parse_files(config, [paths[n] for n in numbers], racy_after, articles.bodies)

    for numbers, parsed in parallel.run(parse_chunk, todo, jobs):
        for number, entry in zip(numbers, parsed, strict=True):
            entries[number] = entry
            if entry.plain is not None and not entry.errors:
                articles.put(relatives[number], entry)
            tick()
    articles.keep_only(set(relatives))

    found: list[Article] = []
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    digests: dict[str, str] = {}
    for number in range(len(paths)):
        entry = entries[number]
        if entry.errors:
            errors += cache.errors_from(entry.errors)
        if entry.warnings:
            warnings += cache.errors_from(entry.warnings)
        if entry.plain is not None:
            article = articles.article(relatives[number], entry)
            found.append(article)
            digests[article.source] = entry.digest
    return Loaded(tuple(found), tuple(errors), tuple(warnings), digests)
