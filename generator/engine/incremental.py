"""Incremental builds: which articles changed since the last build, and which pages that touches.

Three levels, cheapest first:

1. The input stamp (see sources.py): nothing changed, nothing to do.
2. Articles: each file's parsed Article is cached under its content digest; only new or
   edited files are parsed (in parallel when there are many).
3. Pages: each page gets a fingerprint of everything it shows (see ``Fingerprints``); only
   pages whose fingerprint changed, or whose file is missing, are rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator.content.model import Article
from generator.content.redirects import Redirect
from generator.engine import cache
from generator.site import kinds
from generator.site.corrections import CorrectionsFeed
from generator.site.feeds import Feed, NewsSitemap, Sitemap, SitemapIndex
from generator.site.kinds import MenuItem
from generator.site.pages import Alternate, Kind, Language, Page, Pagination
from generator.site.taxonomy import Correction, Overview, Period, Region, Site, Story, StoryPart, Term

_UNKNOWN = object()
#: Values that show names and counts, which the placement covers, but no article itself.
_PLACED = (Term, Region, Period, Overview, MenuItem, Alternate, Language, str, int, type(None))
#: The names a listing's pages are given its term, region or period by. Every page of the
#: listing shows its name and URL (a region's, its breadcrumbs'), never its counts, which
#: change with each article it gains: those are given to its first URL apart
#: (``pagination.total``, ``subregions``, ``periods``), so its numbered pages stay as they are.
_LISTING_NAMES = ("term", "region", "period")
#: The names a page is given the file it shows whole by: an article's, a standalone page's.
_OWN = ("article", "standalone")


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


# -- what each page shows ------------------------------------------------------------------------


class Fingerprints:
    """A digest per page of everything it shows, so a page is rendered again exactly when one
    of its inputs changed.

    What a page shows is, by construction, what it is given: its context from the plan (the
    article and its neighbours, the listing, the term, region or period) and what every page
    is given (``kinds.shared``: the menu and the footer), besides the settings
    and templates. The default theme reads nothing else of the site but what follows from
    those (an article's tags, a region's sub-regions, a period's days; a test holds it to
    that). A value this module cannot describe makes its page depend on the whole site. A
    site's own templates may read anything; what its pages read is noted as they render
    (``reading_pages``).
    """

    def __init__(
        self, site: Site, templates: str, digests: Mapping[str, str], whole: Fingerprints | None = None
    ) -> None:
        self.site = site
        self.digests = digests
        self._articles: dict[str, str] = {}
        self._whole_site: str | None = None
        shared = sorted(kinds.shared(site).items())
        self.base = cache.digest(
            cache.code_version(), repr(site.config), templates, [(k, self._describe(v)) for k, v in shared]
        )
        # Of a multilingual site, each language's pages are fingerprinted by their own site;
        # what a sitemap or a page that may show anything depends on is the whole site's.
        self.whole = whole or self
        self.languages = {
            code: Fingerprints(language, templates, digests, self)
            for code, language in site.by_language.items()
        }

    def whole_site(self) -> str:
        """A digest of every article and which are published: what a page that may show
        anything depends on. Computed only when such a page exists."""
        if self.whole is not self:
            return self.whole.whole_site()
        if self._whole_site is None:
            self._whole_site = cache.digest(
                sorted(self.digests.items()),
                [a.url for a in self.site.articles],
            )
        return self._whole_site

    @cached_property
    def placement(self) -> str:
        """A digest of what shapes the site: Dateline, the settings and templates (``base``)
        and each published article's URL, day, tags, regions, authors and story, in order. Two
        builds with the same placement plan the same pages, each listing the same articles
        in the same places, with the same neighbours and related articles."""
        if self.whole is not self:
            return self.whole.placement
        site = self.site
        shape = [
            (a.url, a.day, a.tags, a.regions, a.authors, a.terms, a.story, a.lang, a.translation_key)
            for a in site.articles
        ]
        # In a build with drafts, the clock alone publishes an article: feeds, sitemaps and
        # every page badging it as scheduled must follow.
        statuses = [site.status_of(a) for a in site.articles] if site.config.drafts else []
        # Standalone pages: where they are, and the dates the sitemap gives them.
        pages = [(p.url, p.date.isoformat(), p.updated and p.updated.isoformat()) for p in site.pages]
        return cache.digest(self.base, shape, statuses, pages)

    @cached_property
    def last_changes(self) -> str:
        """Each article's URL, when it last changed and when it was corrected (which makes the
        corrections pages and their dates): what a sitemap shows besides the placement."""
        if self.whole is not self:
            return self.whole.last_changes
        return cache.digest(
            [
                (a.url, (a.updated or a.date).isoformat(), [n.date for n in a.corrections])
                for a in self.site.articles
            ]
        )

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
            # makes news, whether or not any changed: a few, as cheap. A standalone page is no
            # article of the site either, and its fingerprint a digest of one file. The home
            # page's on-this-day articles change with the day (kinds._home): one page, as cheap.
            fresh = (
                kept is None
                or page.kind in (Kind.REDIRECT, Kind.NEWS_SITEMAP, Kind.PAGE)
                or "on_this_day" in page.context
                or shows(page)
            )
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
        """Whether a page's context holds any of ``articles``, or something this module
        cannot follow. Asked of every page, so the answer is prepared once."""
        if not articles:
            return lambda page: False
        ids = {id(a) for a in articles}

        def holds(value: Any) -> bool:
            if isinstance(value, Article):
                return id(value) in ids
            if isinstance(value, (Pagination, Feed, Story)):
                return not ids.isdisjoint(map(id, value.articles))
            if isinstance(value, StoryPart):  # its story's name may be its first article's title
                return not ids.isdisjoint(map(id, value.story.articles))
            if isinstance(value, (Correction, CorrectionsFeed)):
                return True  # any article changed may have gained a correction, or lost one
            if isinstance(value, tuple):
                return any(holds(v) for v in value)
            if isinstance(value, Mapping):
                return any(holds(v) for v in value.values())
            # Terms, regions and periods show names and counts, which the placement covers.
            return not isinstance(value, _PLACED)

        return lambda page: any(holds(value) for value in page.context.values())

    def of(self, page: Page) -> str:
        if page.lang and self.languages:
            return self.languages[page.lang].of(page)
        shown = []
        for name, value in sorted(page.context.items()):
            if name in _OWN and isinstance(value, Article):  # the page's own: its body too
                value = (self.digests.get(value.source), value)
            if name in _LISTING_NAMES and isinstance(value, (Term, Region, Period)):
                described = self.named(value)
            else:
                described = self._describe(value)
            if described is _UNKNOWN:
                described = self.whole_site()  # something this module cannot follow
            shown.append((name, described))
        return cache.digest(self.base, page.url, page.template, page.kind, page.title, shown)

    def _describe(self, value: Any) -> Any:
        """What a page can show of a value it is given; ``_UNKNOWN`` for a value of a kind
        this module does not know. An article given as anything but the page's own
        (``article``) shows what a listing shows of it, not its body."""
        if value is None or isinstance(value, (str, int, float)):
            return value
        if isinstance(value, Article):
            return self.article(value)
        if isinstance(value, Pagination):
            known = self._articles  # most are: each article is listed a dozen times
            articles = [known.get(a.url) or self.article(a) for a in value.articles]
            urls = value.first_url, value.older_url, value.newer_url
            return value.number, urls, value.total, articles
        if isinstance(value, Term):
            return value.name, value.url, len(value.articles)
        if isinstance(value, Region):
            return self.region(value), [self.region(r) for r in self.site.breadcrumbs(value)]
        if isinstance(value, Period):
            return self.period(value)
        if isinstance(value, Story):
            return value.slug, value.name, value.url, [self.article(a) for a in value.articles]
        if isinstance(value, StoryPart):  # on the article's page: the story's name, not its articles
            story, shown = value.story, (value.previous, value.next, value.latest)
            return story.slug, story.name, story.url, value.count, value.number, self._describe(shown)
        if isinstance(value, Overview):
            periods = [(p.url, p.name, len(p.articles)) for p in value.periods.values()]
            days = (
                value.first_day and value.first_day.isoformat(),
                value.last_day and value.last_day.isoformat(),
            )
            return value.count, days, periods, [self.region(r) for r in value.top_regions]
        if isinstance(value, MenuItem):
            return value.label, value.url, value.kinds
        if isinstance(value, Alternate):  # asked of every page of a multilingual site: kept cheap
            return value.code, value.name, value.url
        if isinstance(value, Language):
            return value.code, value.name, value.url, value.direction
        if isinstance(value, Correction):  # the note, and its article as a listing shows it
            return self.article(value.article), value.number, value.note.date, value.note.text
        if isinstance(value, CorrectionsFeed):
            return repr(value)  # plain data, all of it shown
        if isinstance(value, Feed):  # a feed of summaries shows no body
            articles = [
                (self.digests.get(a.source) if value.full else None, self.article(a)) for a in value.articles
            ]
            return value.title, value.url, value.home, value.updated.isoformat(), articles
        if isinstance(value, (Sitemap, SitemapIndex)):
            return self.placement, self.last_changes
        if isinstance(value, NewsSitemap):
            return value.publication, value.language, [self.article(a) for a in value.articles]
        if isinstance(value, Redirect):
            return value.url, value.target  # what its page shows; not who asked for it
        if isinstance(value, Mapping):
            described = self._describe(tuple(value.values()))
            return _UNKNOWN if described is _UNKNOWN else list(zip(value, described, strict=True))
        if isinstance(value, tuple):
            items = [self._describe(v) for v in value]
            return _UNKNOWN if any(item is _UNKNOWN for item in items) else items
        return _UNKNOWN

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
            site.status_of(article),
            repr(dict(article.extra)),
            article.lead_image,  # measured from its file, which may change alone (engine/pictures.py)
            [(t.name, t.url) for t in site.tags_of(article)],
            [(a.name, a.url) for a in site.authors_of(article)],
            [(t.name, t.url) for own in site.config.taxonomies for t in site.terms_of(article, own.name)],
            [[(r.name, r.url) for r in site.breadcrumbs(region)] for region in site.regions_of(article)],
        )
        self._articles[article.url] = shown
        return shown

    def named(self, listing: Term | Region | Period) -> Any:
        """What every page of a listing shows of its term, region or period (see
        ``_LISTING_NAMES``): names and URLs."""
        if isinstance(listing, Region):
            return [(r.path, r.name, r.url) for r in self.site.breadcrumbs(listing)]
        return listing.name, listing.url

    def region(self, region: Region) -> Any:
        regions = self.site.regions
        children = [(c, regions[c].name, len(regions[c].articles)) for c in region.children]
        return region.path, region.name, region.url, region.parent, len(region.articles), children

    def period(self, period: Period) -> Any:
        children = [(p.url, p.name, len(p.articles)) for p in self.site.children_of(period)]
        return period.url, period.name, len(period.articles), children
