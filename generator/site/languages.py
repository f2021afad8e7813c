"""A multilingual site: one Site per language, planned alike, and which of their pages are
one another's translations.

Each language is a site of its own (its articles, tags, regions, dates, feeds and search under
its prefix, ``/de/``), as a reader of it expects; what joins them is the translation of each
page: an article's are the articles of other languages with its translation key, an index
page's the page at its URL in another language's prefix.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

from generator import i18n
from generator.config import SETTINGS_FILE, Config
from generator.content.model import Article
from generator.content.redirects import Redirect
from generator.errors import ContentError
from generator.site import kinds, onthisday, taxonomy
from generator.site.feeds import Sitemap, SitemapIndex
from generator.site.pages import Alternate, Kind, Language, Page
from generator.site.taxonomy import Site

_EMPTY: Mapping[Any, Any] = MappingProxyType({})
#: The pages that have counterparts in other languages: what a reader reads, not feeds.
_READ = frozenset(Kind) - {Kind.FEED, Kind.SITEMAP, Kind.NEWS_SITEMAP, Kind.ROBOTS, Kind.REDIRECT}


def codes(articles: Iterable[Article], config: Config) -> tuple[str, ...]:
    """The site's languages in the order readers are offered them: as ``[languages]`` lists
    them, else the default language and then those the content is written in, by code."""
    if config.languages:
        return tuple(each.code for each in config.languages)
    found = {article.lang for article in articles} - {config.language}
    return (config.language, *sorted(found))


def index(
    articles: Iterable[Article],
    config: Config,
    now: datetime,
    *,
    related_memo: MutableMapping[str, Any] | None = None,
) -> Site:
    """The site: a single language's as ``taxonomy.index`` makes it; of several languages,
    the whole archive (every article, page and redirect, in ``articles``) with a Site per
    language in ``by_language``, which plans and renders that language's pages."""
    articles = tuple(articles)
    languages = codes(articles, config)
    if languages == (config.language,) and not config.prefix_default_language:
        return taxonomy.index(articles, config, now, related_memo=related_memo)
    written: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        written[article.lang].append(article)
    memos = _memos(related_memo, languages)
    sites = {
        code: taxonomy.index(
            written[code], config.in_language(code), now, related_memo=memos.get(code) if memos else None
        )
        for code in languages
    }
    if related_memo is not None and any(memo.get("key") is not memo.get("seen") for memo in memos.values()):
        for memo in memos.values():
            memo["seen"] = memo.get("key")
        related_memo["key"] = object()  # a language's changed: the memo is stored again
    links = tuple(
        Language(code, i18n.language_name(code), site.config.at("/"), i18n.direction(code))
        for code, site in sites.items()
    )
    sites = {code: replace(site, languages=links) for code, site in sites.items()}
    whole = list(sites.values())
    return Site(
        config=config,
        articles=taxonomy.newest_first(a for site in whole for a in site.articles),
        tags=_EMPTY,
        authors=_EMPTY,
        regions=_EMPTY,
        periods=_EMPTY,
        tag_slugs=_EMPTY,
        author_slugs=_EMPTY,
        region_paths=_EMPTY,
        older=_EMPTY,
        newer=_EMPTY,
        related=_EMPTY,
        now=now,
        warnings=_warnings(whole, config),
        redirects=tuple(r for site in whole for r in site.redirects),
        pages=tuple(p for site in whole for p in site.pages),
        languages=links,
        by_language=MappingProxyType(sites),
    )


def _memos(memo: MutableMapping[str, Any] | None, languages: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Each language's memo of related articles, kept in the site's."""
    if memo is None:
        return {}
    kept = memo.setdefault("languages", {})
    return {code: kept.setdefault(code, {}) for code in languages}


def _warnings(sites: list[Site], config: Config) -> tuple[ContentError, ...]:
    """Every language's warnings, once; one about a key of the settings (``[names]`` naming
    no tag) only when it names nothing in any language."""
    settings = config.site_dir / SETTINGS_FILE
    counts: dict[ContentError, int] = {}
    for site in sites:
        for warning in dict.fromkeys(site.warnings):
            counts[warning] = counts.get(warning, 0) + 1
    return tuple(w for w, n in counts.items() if w.path != settings or n == len(sites))


def plan(site: Site) -> list[Page]:
    """Every page of every language, each knowing its language and its translations."""
    if not site.by_language:
        return kinds.plan(site)
    planned = {code: kinds.plan(language) for code, language in site.by_language.items()}
    names = {each.code: each.name for each in site.languages}
    counterparts = _counterparts(site, planned)
    default = site.config.language
    pages: list[Page] = []
    shared: dict[tuple[str, str], tuple[Alternate, ...]] = {}  # one tuple per set of translations
    for code, language_pages in planned.items():
        root = site.by_language[code].config.root
        for page in language_pages:
            if page.kind not in _READ:
                pages.append(Page(page.url, page.template, page.kind, page.title, page.context, code))
                continue
            key = _key(page, root)
            found = counterparts.get(key, {})
            if (alternates := shared.get(key)) is None:
                alternates = shared[key] = tuple(Alternate(c, names[c], url) for c, url in found.items())
            context = {**page.context, "alternates": alternates, "x_default": found.get(default)}
            if page.kind in (Kind.ARTICLE, Kind.PAGE):
                context["translations"] = tuple(a for a in alternates if a.code != code)
            pages.append(
                Page(page.url, page.template, page.kind, page.title, MappingProxyType(context), code)
            )
    if site.config.prefix_default_language:  # the root leads to the default language
        home = site.by_language[default].config.root
        redirect = Redirect("/", home, str(site.config.site_dir / SETTINGS_FILE), 1)
        context = MappingProxyType({"redirect": redirect})
        pages.append(Page("/", "redirect.html", Kind.REDIRECT, "Moved", context, lang=default))
    return _sitemaps_seeing_alternates(_with_every_sitemap(pages))


def _key(page: Page, root: str) -> tuple[str, str]:
    """What a page shares with its translations: an article's (or standalone page's)
    translation key; any other page's URL within its language."""
    own = page.context.get("article") or page.context.get("standalone")
    if isinstance(own, Article) and page.kind in (Kind.ARTICLE, Kind.PAGE):
        return "article", own.translation_key
    return "url", "/" + page.url[len(root) :] if page.url.startswith(root) else page.url


def _counterparts(site: Site, planned: Mapping[str, list[Page]]) -> dict[tuple[str, str], dict[str, str]]:
    """For each key (``_key``), the URL of the page that has it in each language, in the
    site's order of languages; the first page of a language to have a key keeps it."""
    found: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for code, language_pages in planned.items():
        root = site.by_language[code].config.root
        for page in language_pages:
            if page.kind in _READ:
                found[_key(page, root)].setdefault(code, page.url)
    return found


def _with_every_sitemap(pages: list[Page]) -> list[Page]:
    """robots.txt names every language's sitemaps, not only the default language's."""
    sitemaps = tuple(
        page.url
        for page in pages
        if (page.kind == Kind.SITEMAP and page.url.endswith("/sitemap.xml")) or page.kind == Kind.NEWS_SITEMAP
    )
    return [
        replace(page, context=MappingProxyType({**page.context, "sitemaps": sitemaps}))
        if page.kind == Kind.ROBOTS
        else page
        for page in pages
    ]


def next_change(site: Site) -> datetime | None:
    """The next moment the clock alone changes a page (see onthisday.next_change): the
    soonest of every language's, as each keeps its own time zone."""
    sites = tuple(site.by_language.values()) or (site,)
    return min((found for each in sites if (found := onthisday.next_change(each))), default=None)


def site_of(site: Site, page: Page) -> Site:
    """The Site a page is rendered with: its language's."""
    return site.by_language[page.lang] if site.by_language else site


def _sitemaps_seeing_alternates(pages: list[Page]) -> list[Page]:
    """The sitemaps, listing the pages with their translations (planned before them)."""
    by_url = {page.url: page for page in pages}

    def seeing(sitemap: Sitemap) -> Sitemap:
        return replace(sitemap, pages=tuple(by_url.get(page.url, page) for page in sitemap.pages))

    planned = []
    for page in pages:
        entries, parts = page.context.get("entries"), page.context.get("sitemaps")
        if isinstance(entries, Sitemap):
            page = replace(page, context=MappingProxyType({**page.context, "entries": seeing(entries)}))
        elif isinstance(parts, SitemapIndex):
            index = SitemapIndex(tuple((url, seeing(part)) for url, part in parts.parts), parts.others)
            page = replace(page, context=MappingProxyType({**page.context, "sitemaps": index}))
        planned.append(page)
    return planned
