"""The page kinds: one entry per section of the site, read by every stage that needs to know.

Planning (``plan``), the menu, the sitemap, the feeds and the URL checks all read ``SECTIONS``;
incremental builds need nothing from it, as what a page shows is its context (pages.Page).
Adding a kind of page is one entry here and one template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from generator.config import Config
from generator.site import feeds, search
from generator.site.pages import Kind, Page, paginate
from generator.site.taxonomy import Site

DATE_KEYS = ("date", "publishDate")
ARCHIVE_URL = "/archive/"


@dataclass(frozen=True)
class Section:
    """A kind of page, or an index and the listings it leads to (tags: ``/tags/`` and each
    tag's pages)."""

    kinds: tuple[Kind, ...]  # the index's kind first, if it has one
    #: Its pages, given the pages planned before them (the sitemap lists those).
    plan: Callable[[Site, Sequence[Page]], list[Page]]
    #: The label of its index page in the site's menu, and the index's URL from the settings.
    menu: str | None = None
    index_url: Callable[[Config], str] | None = None
    #: The front-matter keys that name a listing, so an error about it points at their line.
    named_by: Callable[[Config], tuple[str, ...]] = lambda config: ()
    feeds: bool = False  # the first page of each listing has an Atom feed beside it
    in_sitemap: bool = True
    #: Whether the site has this section at all (no authors named: no author pages).
    present: Callable[[Site], bool] = lambda site: True


def index_url(pattern: str, fallback: str) -> str:
    """The index of the listings a URL pattern makes: what precedes its first placeholder
    (``/topics/{slug}/`` -> ``/topics/``); ``fallback`` when that is the site's root."""
    prefix = pattern.split("{", 1)[0].rpartition("/")[0] + "/"
    return prefix if prefix != "/" else fallback


def _tag_index(config: Config) -> str:
    return index_url(config.permalinks.tag, "/tags/")


def _author_index(config: Config) -> str:
    return index_url(config.permalinks.author, "/authors/")


def _region_index(config: Config) -> str:
    return index_url(config.permalinks.region, "/regions/")


def _home(site: Site, planned: Sequence[Page]) -> list[Page]:
    return paginate("/", Kind.HOME, site.config.title, site.articles, site.config.per_page)


def _articles(site: Site, planned: Sequence[Page]) -> list[Page]:
    older, newer, related = site.older, site.newer, site.related
    return [
        Page(
            article.url,
            "article.html",
            Kind.ARTICLE,
            article.title,
            MappingProxyType(
                {
                    "article": article,
                    "older": older.get(article.url),
                    "newer": newer.get(article.url),
                    "related": related.get(article.url, ()),
                }
            ),
        )
        for article in site.articles
    ]


def _tags(site: Site, planned: Sequence[Page]) -> list[Page]:
    config = site.config
    terms = MappingProxyType({"terms": tuple(site.tags.values())})
    pages = [Page(_tag_index(config), "terms.html", Kind.TAGS, "Tags", terms)]
    for term in site.tags.values():
        pages += paginate(term.url, Kind.TAG, term.name, term.articles, config.per_page, term=term)
    return pages


def _authors(site: Site, planned: Sequence[Page]) -> list[Page]:
    config = site.config
    terms = MappingProxyType({"terms": tuple(site.authors.values())})
    pages = [Page(_author_index(config), "terms.html", Kind.AUTHORS, "Authors", terms)]
    for term in site.authors.values():
        pages += paginate(term.url, Kind.AUTHOR, term.name, term.articles, config.per_page, term=term)
    return pages


def _regions(site: Site, planned: Sequence[Page]) -> list[Page]:
    config = site.config
    regions = MappingProxyType({"regions": site.regions})
    pages = [Page(_region_index(config), "regions.html", Kind.REGIONS, "Regions", regions)]
    for region in site.regions.values():
        pages += paginate(
            region.url, Kind.REGION, region.name, region.articles, config.per_page, region=region
        )
    return pages


def _dates(site: Site, planned: Sequence[Page]) -> list[Page]:
    pages = [Page(ARCHIVE_URL, "archive.html", Kind.ARCHIVE, "Archive")]
    for period in site.periods.values():
        kind = (Kind.YEAR, Kind.MONTH, Kind.DAY)[len(period.parts) - 1]
        pages += paginate(period.url, kind, period.name, period.articles, site.config.per_page, period=period)
    return pages


def _redirects(site: Site, planned: Sequence[Page]) -> list[Page]:
    return [
        Page(r.url, "redirect.html", Kind.REDIRECT, "Moved", MappingProxyType({"redirect": r}))
        for r in site.redirects
    ]


def _not_found(site: Site, planned: Sequence[Page]) -> list[Page]:
    return [Page("/404.html", "404.html", Kind.NOT_FOUND, "Page not found")]


def _search(site: Site, planned: Sequence[Page]) -> list[Page]:
    return search.plan(site)


def _feeds(site: Site, planned: Sequence[Page]) -> list[Page]:
    """Feeds, sitemaps and robots.txt, for the pages planned before them."""
    listed = [page for page in planned if in_sitemap(page)]
    with_feeds = [page for page in planned if page.kind in _FEED_KINDS and _first_of_listing(page)]
    return feeds.plan(site, listed, with_feeds)


def _first_of_listing(page: Page) -> bool:
    pagination = page.context.get("pagination")
    return pagination is not None and pagination.number == 1


def in_sitemap(page: Page) -> bool:
    # An article may be a file (``[permalinks] article = "/:year/:title.html"``).
    return section_of(page.kind).in_sitemap and (page.url.endswith("/") or page.kind == Kind.ARTICLE)


#: In the order their pages are planned, which is the order of the sitemap.
SECTIONS: tuple[Section, ...] = (
    Section((Kind.HOME,), _home, menu="Latest", index_url=lambda config: "/", feeds=True),
    Section((Kind.ARTICLE,), _articles),
    Section((Kind.TAGS, Kind.TAG), _tags, "Tags", _tag_index, lambda config: config.tag_keys, feeds=True),
    Section(
        (Kind.AUTHORS, Kind.AUTHOR),
        _authors,
        "Authors",
        _author_index,
        lambda config: config.author_keys,
        present=lambda site: bool(site.authors),
    ),
    Section(
        (Kind.REGIONS, Kind.REGION),
        _regions,
        "Regions",
        _region_index,
        lambda config: config.region_keys,
        feeds=True,
    ),
    Section(
        (Kind.ARCHIVE, Kind.YEAR, Kind.MONTH, Kind.DAY),
        _dates,
        "Archive",
        lambda config: ARCHIVE_URL,
        lambda config: DATE_KEYS,
    ),
    Section((Kind.REDIRECT,), _redirects, in_sitemap=False),
    Section((Kind.NOT_FOUND,), _not_found, in_sitemap=False),
    Section(
        (Kind.SEARCH,),
        _search,
        "Search",
        lambda config: search.SEARCH_URL,
        in_sitemap=False,
        present=lambda site: site.config.search,
    ),
    Section((Kind.FEED, Kind.SITEMAP, Kind.NEWS_SITEMAP, Kind.ROBOTS), _feeds, in_sitemap=False),
)
#: The menu's order, which is a reader's, not the plan's.
MENU = (Kind.HOME, Kind.REGIONS, Kind.TAGS, Kind.ARCHIVE, Kind.AUTHORS, Kind.SEARCH)
_FEED_KINDS = frozenset(kind for section in SECTIONS if section.feeds for kind in section.kinds)


@cache
def section_of(kind: Kind) -> Section:
    return next(section for section in SECTIONS if kind in section.kinds)


def plan(site: Site) -> list[Page]:
    """Every page of the site: HTML pages, then feeds, sitemaps and robots.txt
    (``conflicts.check_urls`` tells whether their URLs are usable)."""
    pages: list[Page] = []
    for section in SECTIONS:
        if section.present(site):
            pages += section.plan(site, pages)
    return pages


@dataclass(frozen=True, slots=True)
class MenuItem:
    label: str
    url: str
    kinds: tuple[Kind, ...]  # the pages on which it is the current item


def menu(site: Site) -> tuple[MenuItem, ...]:
    """The site's menu: the index of each section the site has, in ``MENU`` order."""
    items = []
    for kind in MENU:
        section = section_of(kind)
        if section.present(site) and section.menu is not None and section.index_url is not None:
            items.append(MenuItem(section.menu, section.index_url(site.config), section.kinds))
    return tuple(items)


def shared(site: Site) -> Mapping[str, Any]:
    """What every page is given besides its own context: the archive's overview and the menu.
    With the page's context, this is all a page of the default theme shows (see
    incremental.Fingerprints)."""
    return {"overview": site.overview, "menu": menu(site)}


def index_urls(config: Config) -> Mapping[str, str]:
    """The URL of each section's index by the index's kind (``tags`` -> ``/tags/``), for
    templates that link to them."""
    return MappingProxyType(
        {section.kinds[0]: section.index_url(config) for section in SECTIONS if section.index_url is not None}
    )


def name_keys(config: Config) -> Mapping[Kind, tuple[str, ...]]:
    """For each kind of listing, the front-matter keys that name one."""
    return {kind: section.named_by(config) for section in SECTIONS for kind in section.kinds}
