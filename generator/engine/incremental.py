"""Incremental builds: which articles changed since the last build, and which pages that touches.

Three levels, cheapest first:

1. The input stamp (see sources.py): nothing changed, nothing to do.
2. Articles: each file's parsed Article is cached under its content digest; only new or
   edited files are parsed (in parallel when there are many).
3. Pages: each page gets a fingerprint of everything it shows (see ``Fingerprints``); only
   pages whose fingerprint changed, or whose file is missing, are rendered.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.config import Config
from generator.content import article as content
from generator.content.article import Article, Body
from generator.content.redirects import Redirect
from generator.content.sources import RACY_SECONDS, state_key
from generator.engine import cache, parallel
from generator.errors import ContentError, DatelineError, SourceUnreadable
from generator.site.feeds import Feed, NewsSitemap, Sitemap, SitemapIndex
from generator.site.pages import Page, Pagination
from generator.site.taxonomy import Period, Region, Site, Term

SHARDS = 32
RELATED_FILE = "related.bin"
FINGERPRINTS_FILE = "pages.bin"
BODIES_FOLDER = "bodies"


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


@dataclass(frozen=True)
class Marks:
    """What the last build rendered from: its placement (see ``Fingerprints.placement``),
    each article's content digest, each page's fingerprint and, for a site with templates
    of its own, the articles each page read (see render.ReadingEnvironment)."""

    placement: str
    digests: Mapping[str, str]  # article source -> content digest
    fingerprints: Mapping[str, str]  # page URL -> fingerprint
    # page URL -> the articles it read, as positions in site.articles
    reads: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


def load_marks(config: Config) -> Marks | None:
    data = cache.load(config.cache_dir / FINGERPRINTS_FILE, state_key(config))
    try:
        return Marks(*data) if isinstance(data, tuple) else None
    except TypeError:
        return None


def save_marks(config: Config, marks: Marks) -> None:
    value = (marks.placement, dict(marks.digests), dict(marks.fingerprints), dict(marks.reads))
    cache.store(config.cache_dir / FINGERPRINTS_FILE, state_key(config), value)


# -- articles, cached by content digest ---------------------------------------------------------

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

    def _path(self, digest: str) -> Path:
        return self.folder / digest

    def write(self, digest: str, body: Body) -> None:
        cache.store(self._path(digest), self.key, (body.html, body.toc))

    def remove(self, digests: Iterable[str]) -> None:
        for digest in digests:
            self._path(digest).unlink(missing_ok=True)

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
            self._markdown = content.markdown_renderer(self.config)
        article, _, _ = content.parse(data, Path(source), self.config, self._markdown)
        if article is None:
            raise DatelineError(f"{source} changed during the build; build again")
        self.write(digest, article.body)
        return article.body.html, article.body.toc


# (size, mtime or None, content digest, plain Article or None, errors, warnings)
Entry = tuple[int, int | None, str, tuple[Any, ...] | None, tuple[Any, ...], tuple[Any, ...]]


class ArticleCache:
    """Parsed articles by file, in shards so an edit rewrites a small file, not all of them;
    their bodies apart, in ``Bodies``.

    A disabled cache (a build from scratch) reads nothing and keeps its bodies in a
    temporary folder, removed by ``close``: workers hand bodies over through files, and
    memory stays flat however large the archive.
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
        )

    def article(self, relative: str, entry: Entry) -> Article:
        """The Article of a cached entry, made once however many builds ask for it."""
        made = self.made.get(relative)
        if made is not None and made[0] is entry:
            return made[1]
        assert entry[3] is not None
        article = article_from(entry[3], self.bodies.lazy(entry[2], entry[3][_SOURCE]))
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
            if old is not None and old[2] != entry[2]:
                self.dropped.add(old[2])
            self.shards[number][relative] = entry
            self.dirty.add(number)

    def keep_only(self, relatives: set[str]) -> None:
        """Forget deleted files."""
        for number, shard in enumerate(self.shards):
            for relative in [r for r in shard if r not in relatives]:
                self.dropped.add(shard.pop(relative)[2])
                self.dirty.add(number)

    def save(self) -> None:
        """Write the changed shards, then remove the bodies no entry needs any more."""
        if not self.enabled:
            return
        for number in sorted(self.dirty):
            cache.store(self._path(number), self.key, self.shards[number])
        self.dirty.clear()
        if self.dropped:
            kept = {entry[2] for shard in self.shards for entry in shard.values()}
            self.bodies.remove(self.dropped - kept)
            self.dropped.clear()

    def close(self) -> None:
        """Remove the temporary bodies of a disabled cache."""
        if not self.enabled:
            shutil.rmtree(self.bodies.folder, ignore_errors=True)


@dataclass(frozen=True)
class Loaded:
    articles: tuple[Article, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]
    digests: Mapping[str, str]  # article source (as a string) -> content digest


def _parse_files(config: Config, paths: Sequence[str], racy_after: int, bodies: Bodies) -> list[Entry]:
    md = content.markdown_renderer(config)
    entries: list[Entry] = []
    for name in paths:
        path = Path(name)
        source = config.site_dir / path.relative_to(config.site_dir)
        st = path.stat()
        data = path.read_bytes()
        article, errors, warnings = content.parse(data, source, config, md)
        mtime = st.st_mtime_ns if st.st_mtime_ns < racy_after else None
        digest = cache.file_digest(data)
        plain = None
        if article is not None:
            bodies.write(digest, article.body)
            plain = plain_article(article)
        problems = cache.plain_errors(errors), cache.plain_errors(warnings)
        entries.append((st.st_size, mtime, digest, plain, *problems))
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
    prefix = len(str(config.content_dir)) + 1  # paths from discover() lie under content/
    for number, name in enumerate(paths):
        relative = "content/" + name[prefix:].replace(os.sep, "/")
        relatives.append(relative)
        st = os.stat(name)  # discovery has skipped symlinks that lead outside content/
        entry = articles.get(relative)
        if entry is not None and entry[3] is not None:
            if entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
                entries[number] = entry
                tick()
                continue
            with open(name, "rb") as file:
                data = file.read()
            if cache.file_digest(data) == entry[2]:
                mtime = st.st_mtime_ns if st.st_mtime_ns < racy_after else None
                entries[number] = (st.st_size, mtime, *entry[2:])
                articles.put(relative, entries[number])
                tick()
                continue
        todo.append(number)

    def parse_chunk(numbers: Sequence[int]) -> list[Entry]:
        return _parse_files(config, [paths[n] for n in numbers], racy_after, articles.bodies)

    for numbers, parsed in parallel.run(parse_chunk, todo, jobs):
        for number, entry in zip(numbers, parsed, strict=True):
            entries[number] = entry
            if entry[3] is not None and not entry[4]:
                articles.put(relatives[number], entry)
            tick()
    articles.keep_only(set(relatives))

    found: list[Article] = []
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    digests: dict[str, str] = {}
    for number in range(len(paths)):
        _, _, file_digest, plain, file_errors, file_warnings = entries[number]
        if file_errors:
            errors += cache.errors_from(file_errors)
        if file_warnings:
            warnings += cache.errors_from(file_warnings)
        if plain is not None:
            article = articles.article(relatives[number], entries[number])
            found.append(article)
            digests[article.source] = file_digest
    return Loaded(tuple(found), tuple(errors), tuple(warnings), digests)


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
        if self.articles is None or self.articles.key != ArticleCache.key_of(config):
            self.articles = ArticleCache(config)
        return self.articles

    def related_memo(self, config: Config) -> dict[str, Any]:
        if self.related is None:
            self.related = load_related(config)
        return self.related


# -- what each page shows ------------------------------------------------------------------------


class Fingerprints:
    """A digest per page of everything its template can show, so a page is rendered again
    exactly when one of its inputs changed.

    What a page shows is taken from the page's own context (the article, the listing, the
    term, region or period) plus the summaries the default theme shows on every page of a
    kind (region tree, archive counts). A page of a kind this module does not know depends
    on the whole site: any change renders it again. A site's own templates may show more
    than the theme does; what its pages read is noted as they render (``reading_pages``).
    Keep this in step with the default theme; the equivalence tests (incremental build ==
    cold build, byte for byte) fail when it drifts.
    """

    def __init__(self, site: Site, templates: str, digests: Mapping[str, str]) -> None:
        self.site = site
        self.digests = digests
        self._articles: dict[str, str] = {}
        self._whole_site: str | None = None
        self.base = cache.digest(
            cache.code_version(), repr(site.config), templates, bool(site.authors), self.summary()
        )

    def summary(self) -> Any:
        """What the theme shows on every page or on the home page's overview: the article
        count, the years (the footer, the timeline) and the top-level regions with counts."""
        site = self.site
        years = [self.period(p) for p in site.years()]
        tops = [self.region(r) for r in site.regions.values() if r.parent is None]
        return len(site.articles), years, tops

    def whole_site(self) -> str:
        """A digest of every article and which are published: what a page that may show
        anything depends on. Computed only when such a page exists."""
        if self._whole_site is None:
            self._whole_site = cache.digest(
                sorted(self.digests.items()),
                [a.url for a in self.site.articles],
            )
        return self._whole_site

    @cached_property
    def placement(self) -> str:
        """A digest of what shapes the site: Dateline, the settings and templates (``base``)
        and each published article's URL, day, tags, regions and authors, in order. Two
        builds with the same placement plan the same pages, each listing the same articles
        in the same places, with the same neighbours and related articles."""
        shape = [(a.url, a.day, a.tags, a.regions, a.authors) for a in self.site.articles]
        return cache.digest(self.base, shape)

    @cached_property
    def last_changes(self) -> str:
        """Each article's URL and when it last changed: what a sitemap shows besides the
        placement."""
        return cache.digest([(a.url, (a.updated or a.date).isoformat()) for a in self.site.articles])

    def marks(self, plan: Sequence[Page], last: Marks | None) -> Marks:
        """Every page's fingerprint. When the placement is the last build's, only pages that
        show an article whose source changed since are fingerprinted again; every other page
        shows what it showed then and keeps its fingerprint."""
        placement = self.placement
        digests = dict(self.digests)
        if last is None or last.placement != placement:
            return Marks(placement, digests, {page.url: self.of(page) for page in plan})
        shows = self._showing([self.site.articles[i] for i in self.changed_since(last)])
        fingerprints = {}
        for page in plan:
            kept = last.fingerprints.get(page.url)
            # A redirect may be made by a file that is no article of the site (a stub), whose
            # edits neither the placement nor the changed articles show; its fingerprint is
            # two strings, cheap to take again. The news sitemap lists the articles the clock
            # makes news, whether or not any changed: a few, as cheap.
            fresh = kept is None or page.kind in ("redirect", "news-sitemap") or shows(page)
            fingerprints[page.url] = self.of(page) if fresh else kept
        return Marks(placement, digests, fingerprints)

    def changed_since(self, last: Marks) -> set[int]:
        """Positions (in ``site.articles``) of the articles whose source changed since ``last``."""
        digests = self.digests
        return {
            i for i, a in enumerate(self.site.articles) if last.digests.get(a.source) != digests[a.source]
        }

    def reading_pages(self, plan: Sequence[Page], last: Marks | None) -> set[str] | None:
        """For a site with templates of its own: the pages that read an article changed since
        ``last`` or were not rendered by it, or None when every page must render (nothing
        noted, or articles moved, so a page may read other articles than it did)."""
        if last is None or last.placement != self.placement or not last.reads:
            return None
        changed = self.changed_since(last)
        return {
            page.url
            for page in plan
            if (read := last.reads.get(page.url)) is None or not changed.isdisjoint(read)
        }

    def _showing(self, articles: list[Article]) -> Callable[[Page], bool]:
        """Whether a page shows anything of ``articles`` (see ``_shows``), or may show
        anything at all. Asked of every page, so the answer is prepared once."""
        if not articles:
            return lambda page: False
        site = self.site
        urls = {a.url for a in articles}
        ids = {id(a) for a in articles}
        article_pages = set(urls)  # their own pages, their neighbours' and where they are related
        for url in urls:
            article_pages.update(a.url for a in (site.older.get(url), site.newer.get(url)) if a is not None)
        article_pages.update(
            url for url, related in site.related.items() if not ids.isdisjoint(map(id, related))
        )

        def shows(page: Page) -> bool:
            if page.kind == "article":
                return page.url in article_pages
            if page.kind in ("regions", "archive"):
                return False
            for value in page.context.values():
                if isinstance(value, (Pagination, Feed)):
                    if not ids.isdisjoint(map(id, value.articles)):
                        return True
                elif isinstance(value, Article):
                    if id(value) in ids:
                        return True
                elif not isinstance(value, (Term, Region, Period, str, dict)) and not (
                    isinstance(value, tuple) and all(isinstance(v, Term) for v in value)
                ):
                    return True  # the sitemap (every article's date), or what this module cannot follow
            return False

        return shows

    def of(self, page: Page) -> str:
        return cache.digest(self.base, page.url, page.template, page.kind, page.title, self._shows(page))

    def _shows(self, page: Page) -> Any:
        site = self.site
        if page.kind == "article":
            article = page.context["article"]
            older, newer = site.older.get(article.url), site.newer.get(article.url)
            return (
                self.digests.get(article.source),
                self.article(article),
                older and self.article(older),
                newer and self.article(newer),
                [self.article(a) for a in site.related.get(article.url, ())],
            )
        if page.kind == "regions":
            return [self.region(r) for r in site.regions.values()]
        if page.kind == "archive":
            return len(site.articles), [self.period(p) for p in site.periods.values() if len(p.parts) < 3]
        if page.kind == "not-found" and not page.context:
            return None
        shown = []
        for name, value in sorted(page.context.items()):
            described = self._describe(value)
            if described is None:
                return self.whole_site()  # something this module cannot follow: depend on everything
            shown.append((name, described))
        return shown

    def _describe(self, value: Any) -> Any:
        if isinstance(value, Pagination):
            # the first URL and the count stand for every page's URL (page_url derives them)
            articles = [self.article(a) for a in value.articles]
            return value.number, value.urls[0], value.count, value.total, articles
        if isinstance(value, Term):
            return value.name, value.url, len(value.articles)
        if isinstance(value, Region):
            return self.region(value), [self.region(r) for r in self.site.breadcrumbs(value)]
        if isinstance(value, Period):
            return self.period(value)
        if isinstance(value, Article):
            return self.digests.get(value.source), self.article(value)
        if isinstance(value, tuple) and all(isinstance(v, Term) for v in value):
            return [self._describe(v) for v in value]
        if isinstance(value, Feed):
            articles = [(self.digests.get(a.source), self.article(a)) for a in value.articles]
            return value.title, value.url, value.home, value.updated.isoformat(), articles
        if isinstance(value, (Sitemap, SitemapIndex)):
            return self.placement, self.last_changes
        if isinstance(value, NewsSitemap):
            return value.publication, value.language, [self.article(a) for a in value.articles]
        if isinstance(value, Redirect):
            return value.url, value.target  # what its page shows; not who asked for it
        if isinstance(value, (str, dict)) or (
            isinstance(value, tuple) and all(isinstance(v, str) for v in value)
        ):
            return value  # plain data
        return None

    def article(self, article: Article) -> str:
        """Everything about an article a listing or a neighbouring page can show: all but its
        body and exact word count (which only its own page shows, and its source's digest
        covers), with the names and URLs of its tags, regions and authors as the site has them."""
        known = self._articles.get(article.url)
        if known is not None:
            return known
        site = self.site
        shown = cache.digest(
            article.url,
            article.title,
            article.date.isoformat(),
            article.day,
            article.updated and article.updated.isoformat(),
            article.slug,
            article.summary,
            article.reading_minutes,
            article.draft,
            repr(dict(article.extra)),
            [(t.name, t.url) for t in site.tags_of(article)],
            [(a.name, a.url) for a in site.authors_of(article)],
            [[(r.name, r.url) for r in site.breadcrumbs(region)] for region in site.regions_of(article)],
        )
        self._articles[article.url] = shown
        return shown

    def region(self, region: Region) -> Any:
        regions = self.site.regions
        children = [(c, regions[c].name, len(regions[c].articles)) for c in region.children]
        return region.path, region.name, region.url, region.parent, len(region.articles), children

    def period(self, period: Period) -> Any:
        children = [(p.url, p.name, len(p.articles)) for p in self.site.children_of(period)]
        return period.url, period.name, len(period.articles), children
