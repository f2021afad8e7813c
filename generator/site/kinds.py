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

from generator.config import Config, Taxonomy
from generator.content.markdown import inline_markdown
from generator.i18n import N_
from generator.site import corrections, feeds, onthisday, search
from generator.site.pages import Kind, Page, paginate
from generator.site.taxonomy import Site, Term

DATE_KEYS = ("date", "publishDate")
STORY_KEYS = ("story",)
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
    #: The label of its index page in the site's footer, as for the menu.
    footer: str | None = None
    #: Whether the site has this section at all (no authors named: no author pages).
    present: Callable[[Site], bool] = lambda site: True


def index_url(pattern: str, fallback: str, config: Config) -> str:
    """The index of the listings a URL pattern makes: what precedes its first placeholder
    (``/topics/{slug}/`` -> ``/topics/``); ``fallback`` when that is the language's home."""
    prefix = pattern.split("{", 1)[0].rpartition("/")[0] + "/"
    return prefix if prefix != config.root else config.at(fallback)


def _tag_index(config: Config) -> str:
    return index_url(config.permalinks.tag, "/tags/", config)


def _author_index(config: Config) -> str:
    return index_url(config.permalinks.author, "/authors/", config)


def _region_index(config: Config) -> str:
    return index_url(config.permalinks.region, "/regions/", config)


def _story_index(config: Config) -> str:
    return index_url(config.permalinks.story, "/stories/", config)


def _home(site: Site, planned: Sequence[Page]) -> list[Page]:
    # Today's on-this-day articles depend on the clock: incremental.Fingerprints takes the
    # page's fingerprint again on every build, so the key is there even when nothing is shown.
    on_this_day = onthisday.of_day(site, onthisday.today(site))
    first_only = {"overview": site.overview, "on_this_day": on_this_day}
    config = site.config
    return paginate(
        config.at("/"), Kind.HOME, config.title, site.articles, config.per_page, first_only, words=site.words
    )


def _articles(site: Site, planned: Sequence[Page]) -> list[Page]:
    older, newer, related, parts = site.older, site.newer, site.related, site.story_parts
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
                    "story_part": parts.get(article.url),
                }
            ),
        )
        for article in site.articles
    ]


def _pages(site: Site, planned: Sequence[Page]) -> list[Page]:
    return [
        Page(page.url, "page.html", Kind.PAGE, page.title, MappingProxyType({"standalone": page}))
        for page in site.pages
    ]


def _tags(site: Site, planned: Sequence[Page]) -> list[Page]:
    title = site.words.gettext("Tags")
    return _term_pages(site, site.tags, _tag_index(site.config), (Kind.TAGS, Kind.TAG), title)


def _authors(site: Site, planned: Sequence[Page]) -> list[Page]:
    title = site.words.gettext("Authors")
    return _term_pages(site, site.authors, _author_index(site.config), (Kind.AUTHORS, Kind.AUTHOR), title)


def _term_pages(
    site: Site, terms: Mapping[str, Term], index: str, kinds: tuple[Kind, Kind], title: str, **shown: Any
) -> list[Page]:
    """An index of names (tags, authors, a taxonomy's) and each name's listing; ``shown``:
    what the index and every listing page show besides."""
    index_kind, listing_kind = kinds
    listed = MappingProxyType({"terms": tuple(terms.values()), **shown})
    pages = [Page(index, "terms.html", index_kind, title, listed)]
    for term in terms.values():
        pages += paginate(
            term.url,
            listing_kind,
            term.name,
            term.articles,
            site.config.per_page,
            words=site.words,
            term=term,
            **shown,
        )
    return pages


def _own_taxonomies(site: Site, planned: Sequence[Page]) -> list[Page]:
    """The pages of each of the site's own taxonomies that files any article."""
    pages: list[Page] = []
    for taxonomy in site.config.taxonomies:
        if terms := site.taxonomies[taxonomy.name]:
            index = own_index_url(taxonomy, site.config)
            kinds = (Kind.TERMS, Kind.TERM)
            pages += _term_pages(site, terms, index, kinds, taxonomy.title, taxonomy=taxonomy)
    return pages


def own_index_url(taxonomy: Taxonomy, config: Config) -> str:
    return index_url(taxonomy.url, f"/{taxonomy.name}/", config)


def _regions(site: Site, planned: Sequence[Page]) -> list[Page]:
    config = site.config
    regions = MappingProxyType({"regions": site.regions})
    pages = [
        Page(_region_index(config), "regions.html", Kind.REGIONS, site.words.gettext("Regions"), regions)
    ]
    for region in site.regions.values():
        subregions = {"subregions": site.subregions(region)}
        pages += paginate(
            region.url,
            Kind.REGION,
            region.name,
            region.articles,
            config.per_page,
            subregions,
            words=site.words,
            region=region,
        )
    return pages


def _stories(site: Site, planned: Sequence[Page]) -> list[Page]:
    stories = tuple(site.stories.values())
    index = MappingProxyType({"stories": stories})
    pages = [
        Page(_story_index(site.config), "stories.html", Kind.STORIES, site.words.gettext("Stories"), index)
    ]
    for story in stories:
        shown = MappingProxyType({"story": story})
        pages.append(Page(story.url, "story.html", Kind.STORY, story.name, shown))
    return pages


def _dates(site: Site, planned: Sequence[Page]) -> list[Page]:
    overview = MappingProxyType({"overview": site.overview})
    pages = [
        Page(
            site.config.at(ARCHIVE_URL), "archive.html", Kind.ARCHIVE, site.words.gettext("Archive"), overview
        )
    ]
    for period in site.periods.values():
        kind = (Kind.YEAR, Kind.MONTH, Kind.DAY)[len(period.parts) - 1]
        within = {"periods": site.children_of(period)}  # a year's months, a month's days
        pages += paginate(
            period.url,
            kind,
            period.name,
            period.articles,
            site.config.per_page,
            within,
            words=site.words,
            period=period,
        )
    return pages


def _on_this_day(site: Site, planned: Sequence[Page]) -> list[Page]:
    dates, words = onthisday.dates(site), site.words
    calendar = MappingProxyType({"calendar": onthisday.calendar(dates, site.config.language)})
    # TRANSLATORS: the calendar of what the archive published on each day of the year, in every year.
    title = words.gettext("On this day")
    pages = [
        Page(site.config.at(onthisday.ON_THIS_DAY_URL), "on-this-day.html", Kind.ON_THIS_DAY, title, calendar)
    ]
    # TRANSLATORS: the title of the page of one day of the year: "On this day: 31 August".
    titled = words.gettext("On this day: %(date)s")
    for date in dates.values():
        shown = MappingProxyType({"date": date})
        pages.append(
            Page(date.url, "calendar-day.html", Kind.CALENDAR_DAY, titled % {"date": date.name}, shown)
        )
    return pages


def _redirects(site: Site, planned: Sequence[Page]) -> list[Page]:
    # TRANSLATORS: the title of a page left at an old URL that leads to the new one.
    moved = site.words.gettext("Moved")
    return [
        Page(r.url, "redirect.html", Kind.REDIRECT, moved, MappingProxyType({"redirect": r}))
        for r in site.redirects
    ]


def _not_found(site: Site, planned: Sequence[Page]) -> list[Page]:
    return [Page("/404.html", "404.html", Kind.NOT_FOUND, site.words.gettext("Page not found"))]


def _corrections(site: Site, planned: Sequence[Page]) -> list[Page]:
    return corrections.plan(site)


def _search(site: Site, planned: Sequence[Page]) -> list[Page]:
    return search.plan(site)


def _feeds(site: Site, planned: Sequence[Page]) -> list[Page]:
    """Feeds, sitemaps and robots.txt, for the pages planned before them."""
    listed = [page for page in planned if in_sitemap(page)]
    with_feeds = [page for page in planned if page.kind in _FEED_KINDS and _first_of_listing(page)]
    return feeds.plan(site, listed, with_feeds)


def _first_of_listing(page: Page) -> bool:
    pagination = page.context.get("pagination")
    if pagination is None:
        return page.kind == Kind.STORY  # a story is one page, oldest article first
    return pagination.number is None


def feed_of(page: Page) -> str | None:
    """The URL of the Atom feed of the listing ``page`` shows (every page of a listing shares
    its first page's), or None when its kind has no feeds."""
    if page.kind not in _FEED_KINDS:
        return None
    pagination = page.context.get("pagination")
    if pagination is not None:
        return feeds.feed_url(pagination.first_url)
    return feeds.feed_url(page.url) if _first_of_listing(page) else None


def in_sitemap(page: Page) -> bool:
    # An article or a page may be a file (``[permalinks] article = "/:year/:title.html"``).
    return section_of(page.kind).in_sitemap and (page.url.endswith("/") or page.kind in _FILES)


#: In the order their pages are planned, which is the order of the sitemap.
SECTIONS: tuple[Section, ...] = (
    # TRANSLATORS: the menu's link to the home page, which lists the newest articles.
    Section((Kind.HOME,), _home, menu=N_("Latest"), index_url=lambda config: config.at("/"), feeds=True),
    Section((Kind.ARTICLE,), _articles),
    Section((Kind.PAGE,), _pages),
    Section((Kind.TAGS, Kind.TAG), _tags, N_("Tags"), _tag_index, lambda config: config.tag_keys, feeds=True),
    Section(
        (Kind.AUTHORS, Kind.AUTHOR),
        _authors,
        N_("Authors"),
        _author_index,
        lambda config: config.author_keys,
        present=lambda site: bool(site.authors),
    ),
    Section(
        (Kind.REGIONS, Kind.REGION),
        _regions,
        N_("Regions"),
        _region_index,
        lambda config: config.region_keys,
        feeds=True,
    ),
    Section(
        (Kind.TERMS, Kind.TERM),
        _own_taxonomies,
        named_by=lambda config: tuple(key for taxonomy in config.taxonomies for key in taxonomy.keys),
        feeds=True,
        present=lambda site: bool(site.config.taxonomies),
    ),
    Section(
        (Kind.STORIES, Kind.STORY),
        _stories,
        # TRANSLATORS: running news stories, each followed over several articles.
        N_("Stories"),
        _story_index,
        lambda config: STORY_KEYS,
        feeds=True,
        present=lambda site: bool(site.stories),
    ),
    Section(
        (Kind.ARCHIVE, Kind.YEAR, Kind.MONTH, Kind.DAY),
        _dates,
        # TRANSLATORS: the archive by date (years, months, days).
        N_("Archive"),
        lambda config: config.at(ARCHIVE_URL),
        lambda config: DATE_KEYS,
    ),
    Section(
        (Kind.ON_THIS_DAY, Kind.CALENDAR_DAY),
        _on_this_day,
        index_url=lambda config: config.at(onthisday.ON_THIS_DAY_URL),
        present=lambda site: bool(site.articles),
    ),
    Section(
        (Kind.CORRECTIONS,),
        _corrections,
        index_url=lambda config: config.at(corrections.CORRECTIONS_URL),
        # TRANSLATORS: the page of every correction the archive published; also heads an article's own.
        footer=N_("Corrections"),
        present=corrections.present,
    ),
    Section((Kind.REDIRECT,), _redirects, in_sitemap=False),
    Section((Kind.NOT_FOUND,), _not_found, in_sitemap=False, present=lambda site: site.config.site_files),
    Section(
        (Kind.SEARCH,),
        _search,
        # TRANSLATORS: the search page (a noun: its menu link and title).
        N_("Search"),
        lambda config: config.at(search.SEARCH_URL),
        in_sitemap=False,
        present=lambda site: site.config.search,
    ),
    Section((Kind.FEED, Kind.SITEMAP, Kind.NEWS_SITEMAP, Kind.ROBOTS), _feeds, in_sitemap=False),
)
#: The menu's order, which is a reader's, not the plan's.
MENU = (Kind.HOME, Kind.STORIES, Kind.REGIONS, Kind.TAGS, Kind.ARCHIVE, Kind.AUTHORS, Kind.SEARCH)
_FILES = (Kind.ARTICLE, Kind.PAGE)  # the kinds of page whose URL may name a file
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
    """The site's menu: the index of each section the site has, in ``MENU`` order; then the
    ``[[menu]]`` links of the settings and the standalone pages that ask to be in it, lighter
    ``weight`` first (ties: the settings' in their order, then pages by URL). These are the
    current item on the page at their URL (``kinds`` is empty). The site's own taxonomies
    come before search, in the order of the settings."""
    items = []
    for kind in MENU:
        section = section_of(kind)
        if kind == Kind.SEARCH:
            items += [
                MenuItem(taxonomy.title, own_index_url(taxonomy, site.config), ())
                for taxonomy in site.config.taxonomies
                if taxonomy.menu and site.taxonomies.get(taxonomy.name)
            ]
        if section.present(site) and section.menu is not None and section.index_url is not None:
            items.append(
                MenuItem(site.words.gettext(section.menu), section.index_url(site.config), section.kinds)
            )
    added = [(link.weight, MenuItem(link.label, link.url, ())) for link in site.config.menu]
    added += [(page.menu.weight, MenuItem(page.menu.label, page.url, ())) for page in site.pages if page.menu]
    return (*items, *(item for _, item in sorted(added, key=lambda weighed: weighed[0])))


def footer(site: Site) -> tuple[MenuItem, ...]:
    """The links in the site's footer: the index of each section the site has that names
    one (corrections, once there are any)."""
    return tuple(
        MenuItem(site.words.gettext(section.footer), section.index_url(site.config), section.kinds)
        for section in SECTIONS
        if section.footer is not None and section.index_url is not None and section.present(site)
    )


def shared(site: Site) -> Mapping[str, Any]:
    """What every page is given besides its own context: the menu, the footer's links and the
    footer's text (``[theme] footer``, as HTML).
    With the page's context, this is all a page of the default theme shows (see
    incremental.Fingerprints). The archive's overview is given only to the pages that show
    it (home, archive): its counts change with every article, as every page given it would."""
    theme = site.config.theme
    footer_text = inline_markdown(theme.footer, site.config.base_path) if theme.footer else ""
    return {
        "menu": menu(site),
        "footer": footer(site),
        "footer_text": footer_text,
        "index": index_urls(site.config),
        "languages": site.languages,
    }


def index_urls(config: Config) -> Mapping[str, str]:
    """The URL of each section's index by the index's kind (``tags`` -> ``/tags/``), for
    templates that link to them."""
    sections = {
        section.kinds[0]: section.index_url(config) for section in SECTIONS if section.index_url is not None
    }
    own = {taxonomy.name: own_index_url(taxonomy, config) for taxonomy in config.taxonomies}
    return MappingProxyType({**sections, **own})


def name_keys(config: Config) -> Mapping[Kind, tuple[str, ...]]:
    """For each kind of listing, the front-matter keys that name one."""
    return {kind: section.named_by(config) for section in SECTIONS for kind in section.kinds}
