"""Incremental builds: what changed since the last build, and which pages that touches.

Three levels, cheapest first:

1. The input stamp: (path, size, mtime) of every content, template and static file and
   ``site.toml``, the settings and Dateline's version. Equal to the last build's, with no
   scheduled article come due and every output file present: nothing to do, and nothing is
   parsed.
2. Articles: each file's parsed Article is cached under its content digest; only new or
   edited files are parsed (in parallel when there are many).
3. Pages: each page gets a fingerprint of everything it shows (see ``fingerprints``); only
   pages whose fingerprint changed, or whose file is missing, are rendered.

Files modified within ``RACY_SECONDS`` of being stamped are never trusted by size and mtime
alone (a same-size edit in the same clock tick would look unchanged); they are compared by
content next time, as git does with its index.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from generator import cache, content, parallel, render
from generator.config import Config
from generator.content import Article
from generator.errors import ContentError
from generator.feeds import Feed, SitemapEntry
from generator.pages import Page, Pagination
from generator.taxonomy import Period, Region, Site, Term

RACY_SECONDS = 2
SHARDS = 32
STATE_FILE = "state.bin"
RELATED_FILE = "related.bin"

# -- the input stamp -----------------------------------------------------------------------------


def template_files(config: Config) -> list[Path]:
    return [
        path
        for folder in render.template_dirs(config)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]


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
            (path, size, mtime, cache.file_digest(Path(path).read_bytes()) if mtime >= racy_after else "")
            for path, size, mtime in self.stats
        ]
        return cache.digest(cache.code_version(), repr(self.config), entries)


def inputs(config: Config, content_paths: Sequence[Path], other_paths: Iterable[Path]) -> Inputs:
    settings = config.site_dir / "site.toml"
    paths = [*content_paths, *template_files(config), *other_paths]
    if settings.exists():
        paths.append(settings)
    stats = []
    for path in paths:
        st = os.stat(path)
        stats.append((str(path), st.st_size, st.st_mtime_ns))
    return Inputs(config, tuple(stats))


def templates_digest(config: Config) -> str:
    return cache.digest(
        [(str(path), cache.file_digest(path.read_bytes())) for path in template_files(config)]
    )


# -- the state of the last build -----------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """What the last successful build left, to compare the next one against."""

    stamp: str
    started_ns: int  # the reference time of the stamp
    due: datetime | None  # the first scheduled article to come due after that build
    articles: int
    pages: int
    warnings: tuple[tuple[str, int, str], ...]
    fingerprints: Mapping[str, str] = field(default_factory=dict)  # page URL -> fingerprint
    outputs: tuple[str, ...] = ()  # every file of the output, relative to it


def _state_key(config: Config) -> str:
    return cache.digest("state", cache.code_version(), str(config.site_dir), str(config.out_dir))


def load_state(config: Config) -> State | None:
    data = cache.load(config.cache_dir / STATE_FILE, _state_key(config))
    try:
        return State(**data) if isinstance(data, dict) else None
    except TypeError:
        return None


def save_state(config: Config, state: State) -> None:
    cache.store(config.cache_dir / STATE_FILE, _state_key(config), state.__dict__)


def load_related(config: Config) -> dict[str, Any]:
    """Related articles from the last build (see ``taxonomy.index``); empty when unknown."""
    data = cache.load(config.cache_dir / RELATED_FILE, _state_key(config))
    if not isinstance(data, dict):
        return {}
    data["saved"] = data.get("key")  # the same object until indexing computes a new key
    return data


def save_related(config: Config, related: dict[str, Any] | None) -> None:
    if related and related.get("saved") is not related.get("key"):
        related["saved"] = related["key"]
        cache.store(config.cache_dir / RELATED_FILE, _state_key(config), related)


def unchanged(state: State, seen: Inputs, now: datetime, out_dir: Path) -> bool:
    """Whether a build would change nothing: same inputs, nothing come due, output whole."""
    if state.due is not None and now >= state.due:
        return False
    if seen.stamp(state.started_ns) != state.stamp:
        return False
    try:
        for relative in state.outputs:
            os.stat(os.path.join(out_dir, relative))
    except OSError:
        return False
    return True


def next_due(articles: Iterable[Article], config: Config, now: datetime) -> datetime | None:
    """When the next scheduled (future-dated) article is published, changing the site."""
    if config.drafts:
        return None
    return min((a.date for a in articles if not a.draft and a.date > now), default=None)


# -- articles, cached by content digest ---------------------------------------------------------

# (size, mtime or None, content digest, plain Article or None, errors, warnings)
Entry = tuple[int, int | None, str, tuple[Any, ...] | None, tuple[Any, ...], tuple[Any, ...]]


class ArticleCache:
    """Parsed articles by file, in shards so an edit rewrites a small file, not all of them."""

    def __init__(self, config: Config, enabled: bool = True) -> None:
        self.dir = config.cache_dir
        self.enabled = enabled
        self.key = self.key_of(config)
        self.shards: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        self.dirty: set[int] = set()
        self.made: dict[str, tuple[Entry, Article]] = {}  # the Article last made of each entry
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
            (config.timezone, config.archive_day, config.allow_html, config.permalinks.article),
            (config.tag_keys, config.region_keys, config.author_keys),
        )

    def article(self, relative: str, entry: Entry, source: Path) -> Article:
        """The Article of a cached entry, made once however many builds ask for it."""
        made = self.made.get(relative)
        if made is not None and made[0] is entry:
            return made[1]
        article = cache.article_from(entry[3], source)
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
        if self.shards[number].get(relative) != entry:
            self.shards[number][relative] = entry
            self.dirty.add(number)

    def keep_only(self, relatives: set[str]) -> None:
        """Forget deleted files."""
        for number, shard in enumerate(self.shards):
            for relative in [r for r in shard if r not in relatives]:
                del shard[relative]
                self.dirty.add(number)

    def save(self) -> None:
        if not self.enabled:
            return
        for number in sorted(self.dirty):
            cache.store(self._path(number), self.key, self.shards[number])
        self.dirty.clear()


@dataclass(frozen=True)
class Loaded:
    articles: tuple[Article, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]
    digests: Mapping[Path, str]  # article source -> content digest


def _parse_files(config: Config, paths: Sequence[Path], racy_after: int) -> list[Entry]:
    md = content.markdown_renderer(config)
    entries: list[Entry] = []
    for path in paths:
        source = config.site_dir / path.relative_to(config.site_dir)
        st = path.stat()
        data = path.read_bytes()
        article, errors, warnings = content.parse(data, source, config, md)
        mtime = st.st_mtime_ns if st.st_mtime_ns < racy_after else None
        plain = cache.plain_article(article) if article is not None else None
        problems = cache.plain_errors(errors), cache.plain_errors(warnings)
        entries.append((st.st_size, mtime, cache.file_digest(data), plain, *problems))
    return entries


def load_articles(
    config: Config, paths: Sequence[Path], articles: ArticleCache, jobs: int, tick: Callable[[], None]
) -> Loaded:
    """Every article under ``content/``: cached ones reused, the rest parsed over ``jobs``."""
    racy_after = time.time_ns() - RACY_SECONDS * 1_000_000_000
    content_root = config.content_dir.resolve()
    entries: dict[int, Entry] = {}
    skipped: dict[int, ContentError] = {}
    todo: list[int] = []
    relatives: list[str] = []
    prefix = len(str(config.content_dir)) + 1  # paths from discover() lie under content/
    for number, path in enumerate(paths):
        name = str(path)
        relative = "content/" + name[prefix:].replace(os.sep, "/")
        relatives.append(relative)
        if os.path.islink(name) and not path.resolve().is_relative_to(content_root):
            source = config.site_dir / path.relative_to(config.site_dir)
            skipped[number] = ContentError(source, 1, "symlink leads outside content/; skipped")
            continue
        entry = articles.get(relative)
        if entry is not None and entry[3] is not None:
            st = os.stat(name)
            if entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
                entries[number] = entry
                tick()
                continue
            data = path.read_bytes()
            if cache.file_digest(data) == entry[2]:
                mtime = st.st_mtime_ns if st.st_mtime_ns < racy_after else None
                entries[number] = (st.st_size, mtime, *entry[2:])
                articles.put(relative, entries[number])
                tick()
                continue
        todo.append(number)

    def parse_chunk(numbers: Sequence[int]) -> list[Entry]:
        return _parse_files(config, [paths[n] for n in numbers], racy_after)

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
    digests: dict[Path, str] = {}
    for number in range(len(paths)):
        if number in skipped:
            warnings.append(skipped[number])
            continue
        _, _, file_digest, plain, file_errors, file_warnings = entries[number]
        errors += cache.errors_from(file_errors)
        warnings += cache.errors_from(file_warnings)
        if plain is not None:
            article = articles.article(relatives[number], entries[number], paths[number])
            found.append(article)
            digests[article.source] = file_digest
    return Loaded(tuple(found), tuple(errors), tuple(warnings), digests)


@dataclass
class Session:
    """What a long-running process (the live preview) keeps from one build to the next
    instead of reading it back from the cache folder: parsed articles, related articles and
    the compiled templates."""

    articles: ArticleCache | None = None
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
    kind (region tree, archive counts). A page of a kind this module does not know, and every
    page of a site with templates of its own (which may show anything), depends on the whole
    site: any change renders it again. Keep this in step with the default theme; the
    equivalence tests (incremental build == cold build, byte for byte) fail when it drifts.
    """

    def __init__(
        self, site: Site, templates: str, digests: Mapping[Path, str], custom_templates: bool
    ) -> None:
        self.site = site
        self.digests = digests
        self._articles: dict[str, str] = {}
        self._whole_site: str | None = None
        self.base = cache.digest(
            cache.code_version(),
            repr(site.config),
            templates,
            bool(site.authors),
            self.whole_site() if custom_templates else "",
            self.summary(),
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
                sorted((str(path), value) for path, value in self.digests.items()),
                [a.url for a in self.site.articles],
            )
        return self._whole_site

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
        if isinstance(value, (str, dict)) or (
            isinstance(value, tuple) and all(isinstance(v, SitemapEntry) for v in value)
        ):
            return value  # plain data that already holds everything the feed or sitemap shows
        return None

    def article(self, article: Article) -> str:
        """Everything about an article a listing or a neighbouring page can show: all but its
        body, with the names and URLs of its tags, regions and authors as the site has them."""
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
            article.word_count,
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
