"""Feeds, sitemaps and robots.txt: extra pages for the plan, rendered through autoescaping templates.

Every feed date comes from the articles, never from the clock, so an unchanged archive
rebuilds byte for byte. The one exception is the Google News sitemap, which lists the
articles of the last two days by definition: which ones, the build's clock decides. Text
going into XML is stripped of characters XML 1.0 cannot carry (a stray control character in
front matter otherwise breaks every feed reader).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup, escape

from generator import __version__
from generator.config import Config
from generator.content.model import Article
from generator.content.redirects import UNDATED
from generator.engine.state import NEWS_WINDOW
from generator.site.pages import Alternate, Kind, Page
from generator.site.taxonomy import Site, is_published
from generator.urls import absolute_url

FEED_FILE = "feed.xml"
#: The sitemap protocol's limit per file; past it /sitemap.xml becomes a sitemap index.
SITEMAP_MAX_URLS = 50_000
NEWS_SITEMAP_URL = "/news-sitemap.xml"
#: Google's limit per news sitemap: the newest articles are kept.
NEWS_SITEMAP_MAX_URLS = 1_000
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# XML 1.0 forbids C0 controls (but tab, LF, CR), surrogates and U+FFFE/U+FFFF; C1 controls are
# allowed but "discouraged" and only ever arrive by accident.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINK_ATTRIBUTE = re.compile(r'\b(href|src|srcset)="([^"]*)"')
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "updated" of a feed with no entries


def clean(text: str) -> str:
    """``text`` without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    url: str  # absolute


@dataclass(frozen=True, slots=True)
class Entry:
    """One article as a feed carries it: absolute URLs, clean text."""

    url: str
    title: str
    published: datetime
    updated: datetime
    summary: str
    content_html: str  # empty when the site publishes summaries only
    authors: tuple[str, ...]
    tags: tuple[Link, ...]
    regions: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed as planned: its entries are made only when it is rendered, so a build that
    renders few feeds does not pay for the others' (absolute links in every article body)."""

    title: str
    subtitle: str
    url: str  # the feed's own absolute URL
    home: str  # the HTML page it follows
    language: str
    author: str  # for entries without an author of their own (Atom requires one)
    updated: datetime
    articles: tuple[Article, ...]  # one entry each, in this order
    entry_of: Callable[[Article], Entry] = field(repr=False, compare=False)
    full: bool = True  # entries carry whole articles; else their summaries
    generator_version: str = __version__

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(map(self.entry_of, self.articles))


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None  # None for the news sitemap, which changes with the clock
    # Of a multilingual site: the page in each language, itself included, as (hreflang, URL);
    # "x-default" last, for the default language's.
    alternates: tuple[tuple[str, str], ...] = ()
    # The same as the sitemap writes them (xhtml:link elements), made once for all translations.
    links: Markup = Markup("")


@dataclass(frozen=True, slots=True)
class NewsEntry:
    loc: str
    title: str
    published: datetime


@dataclass(frozen=True, slots=True)
class NewsSitemap:
    """The Google News sitemap: the articles published within ``NEWS_WINDOW`` before the
    build's clock, newest first. Besides them it shows only the site's title and language
    (see incremental.Fingerprints)."""

    publication: str
    language: str  # as Google News wants it (see ``news_language``)
    articles: tuple[Article, ...]
    config: Config = field(repr=False)

    def __iter__(self) -> Iterator[NewsEntry]:
        return (NewsEntry(absolute_url(self.config, a.url), clean(a.title), a.date) for a in self.articles)


def feed_url(listing_url: str) -> str:
    """The Atom feed of a listing: ``/tags/isis/`` -> ``/tags/isis/feed.xml``."""
    return listing_url + FEED_FILE


def plan(
    site: Site, listed: Sequence[Page], with_feeds: Sequence[Page], sitemap_max_urls: int = SITEMAP_MAX_URLS
) -> list[Page]:
    """An Atom feed beside each of the listing pages ``with_feeds`` (the home page first: its
    feed is the site's, also as the JSON Feed), the sitemap of the ``listed`` pages, the news
    sitemap and robots.txt."""
    config = site.config
    entries = _Entries(site)
    feeds: list[Page] = []
    limit = config.feed_limit
    for listing in with_feeds:
        articles = _published(site, _listing(site, listing))
        chosen = tuple(articles[:limit] if limit > 0 else articles)
        home = listing.kind == Kind.HOME
        title = config.title if home else f"{listing.title} · {config.title}"
        # The site's feed carries whole articles; a listing's, their summaries unless the
        # settings say otherwise: an article is in a dozen feeds, which would carry it whole.
        full = config.feed_full_content and (home or config.listing_feeds_full_content)
        feed = _feed(config, feed_url(listing.url), listing.url, title, chosen, entries, full)
        feeds.append(Page(feed_url(listing.url), "atom.xml", Kind.FEED, title, {"feed": feed}))
    if feeds:
        feeds.append(Page(config.at("/feed.json"), "feed.json", Kind.FEED, config.title, feeds[0].context))
    if site.config.drafts:  # what a build with drafts shows only as a preview is no part of the site
        listed = [page for page in listed if _shows_published(site, page)]
    feeds += sitemap(site, listed, sitemap_max_urls, others=(config.at(NEWS_SITEMAP_URL),))
    feeds.append(news_sitemap(site))
    if config.site_files:
        feeds.append(Page("/robots.txt", "robots.txt", Kind.ROBOTS, "robots.txt"))
    return feeds


def news_sitemap(site: Site) -> Page:
    """``/news-sitemap.xml``: Google News' sitemap of the articles published in the last two
    days (as of ``site.now``), at most ``NEWS_SITEMAP_MAX_URLS`` of them. Drafts, future and
    expired articles are left out even in a build with drafts, which shows them elsewhere."""
    config, now = site.config, site.now
    news: list[Article] = []
    for article in site.articles:  # newest first: past the window, every article is older
        if now >= article.date + NEWS_WINDOW or len(news) == NEWS_SITEMAP_MAX_URLS:
            break
        if is_published(article, now):
            news.append(article)
    found = NewsSitemap(clean(config.title), news_language(config.language), tuple(news), config)
    return Page(
        config.at(NEWS_SITEMAP_URL), "news-sitemap.xml", Kind.NEWS_SITEMAP, "News sitemap", {"news": found}
    )


def news_language(language: str) -> str:
    """A BCP 47 tag as Google News wants it: the ISO 639 code alone (``en-GB`` -> ``en``),
    except for Chinese, whose scripts it tells apart as ``zh-cn`` (simplified) and ``zh-tw``
    (traditional), read from the script or else the region (``zh-Hant-HK``, ``zh-SG``)."""
    primary, *rest = language.lower().replace("_", "-").split("-")
    if primary != "zh":
        return primary
    subtags = set(rest)
    if "hant" in subtags or ("hans" not in subtags and subtags & {"tw", "hk", "mo"}):
        return "zh-tw"
    if "hans" in subtags or subtags & {"cn", "sg"}:
        return "zh-cn"
    return primary


class _Entries:
    """Feed entries, made once per article however many feeds carry it."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.made: dict[tuple[str, bool], Entry] = {}

    def full(self, article: Article) -> Entry:
        return self.entry(article, True)

    def summary(self, article: Article) -> Entry:
        return self.entry(article, False)

    def entry(self, article: Article, full: bool) -> Entry:
        if (made := self.made.get((article.url, full))) is not None:
            return made
        site, config = self.site, self.site.config
        url = absolute_url(config, article.url)
        content = absolute_links(article.body_html, url) if full else ""
        entry = Entry(
            url=url,
            title=clean(article.title),
            published=article.date,
            updated=article.updated or article.date,
            summary=clean(article.summary),
            content_html=clean(content),
            # An entry is in the feed of each of its tags and regions: it names a bounded few.
            authors=tuple(clean(author.name) for author in site.listed_authors_of(article)),
            tags=tuple(
                Link(clean(t.name), absolute_url(config, t.url)) for t in site.listed_tags_of(article)
            ),
            regions=tuple(
                Link(clean(r.name), absolute_url(config, r.url)) for r in site.listed_regions_of(article)
            ),
        )
        self.made[article.url, full] = entry
        return entry


def _feed(
    config: Config,
    url: str,
    home: str,
    title: str,
    articles: tuple[Article, ...],
    entries: _Entries,
    full: bool,
) -> Feed:
    return Feed(
        title=clean(title),
        subtitle=clean(config.description),
        url=absolute_url(config, url),
        home=absolute_url(config, home),
        language=config.language,
        author=clean(config.title),
        updated=newest((a.updated or a.date for a in articles), default=_EPOCH),
        articles=articles,
        entry_of=entries.full if full else entries.summary,
        full=full,
    )


def newest(dates: Any, default: datetime) -> datetime:
    """The latest of aware datetimes compared as instants, keeping its own offset."""
    return max(dates, key=lambda d: d.astimezone(UTC), default=default)


def absolute_links(body_html: str, page_url: str) -> str:
    """Links and images in an article body made absolute, as feed readers need them."""

    def absolute(match: re.Match[str]) -> str:
        written = html.unescape(match[2])
        if match[1] == "srcset":  # "photo-480w.jpg 480w, photo.jpg 1200w"
            candidates = (candidate.strip().partition(" ") for candidate in written.split(","))
            target = ", ".join(f"{urljoin(page_url, url)}{space}{width}" for url, space, width in candidates)
        else:
            target = urljoin(page_url, written)
        return f'{match[1]}="{html.escape(target)}"'

    return _LINK_ATTRIBUTE.sub(absolute, body_html)


def json_feed_text(feed: Feed, url: str) -> str:
    """The JSON Feed document at ``url``, serialised here rather than with Jinja's tojson,
    which escapes every < and non-ASCII letter."""
    return json.dumps(json_feed_of(feed, url), ensure_ascii=False, indent=2)


def json_feed_of(feed: Feed, url: str) -> dict[str, Any]:
    """A JSON Feed 1.1 document with the same entries as an Atom feed."""
    items = []
    for entry in feed.entries:
        item: dict[str, Any] = {
            "id": entry.url,
            "url": entry.url,
            "title": entry.title,
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
        }
        # JSON Feed wants content_html or content_text in every item.
        if entry.content_html:
            item["content_html"] = entry.content_html
        else:
            item["content_text"] = entry.summary
        if entry.summary:
            item["summary"] = entry.summary
        if entry.authors:
            item["authors"] = [{"name": name} for name in entry.authors]
        if entry.tags:
            item["tags"] = [tag.name for tag in entry.tags]
        items.append(item)
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": url,
        "language": feed.language,
        "authors": [{"name": feed.author}],
        "items": items,
    }
    if feed.subtitle:
        document["description"] = feed.subtitle
    return document


class _LastModified:
    """When each page last changed: an article's own date, a listing's newest article."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.everything = newest(
            (a.updated or a.date for a in _published(site, site.articles)), default=_EPOCH
        )
        self.listings: dict[str, datetime] = {}  # per listing, by its first page's URL
        # Each article is in a dozen listings: its instant is worked out once.
        self.instants = {a.url: (a.updated or a.date).astimezone(UTC) for a in site.articles}

    def __call__(self, page: Page) -> datetime:
        if page.kind == Kind.ARTICLE:
            article = page.context["article"]
            return article.updated or article.date
        if page.kind == Kind.CORRECTIONS:  # its newest correction (they are newest first)
            return page.context["corrections"][0].note.date
        if page.kind == Kind.PAGE:  # a standalone page: its own date, when it gives one
            standalone = page.context["standalone"]
            return standalone.updated or (standalone.date if standalone.date != UNDATED else self.everything)
        pagination = page.context.get("pagination")
        if pagination is None and page.kind != Kind.STORY:
            return self.everything
        if pagination is not None and pagination.number is not None:  # it keeps its articles
            shown = _published(self.site, pagination.articles)
            latest = max(shown, key=lambda a: self.instants[a.url], default=None)
            return self.everything if latest is None else latest.updated or latest.date
        first = pagination.first_url if pagination is not None else page.url
        if first not in self.listings:
            articles = _published(self.site, _listing(self.site, page))
            latest = max(articles, key=lambda a: self.instants[a.url], default=None)
            self.listings[first] = self.everything if latest is None else latest.updated or latest.date
        return self.listings[first]


@dataclass(frozen=True, slots=True)
class Sitemap:
    """The entries of one sitemap file, made when it is rendered: an archive has tens of
    thousands of pages, and most builds do not render the sitemap. What they depend on is
    each article's URL and date of last change, and where the site files it (see
    incremental.Fingerprints)."""

    site: Site = field(repr=False)
    pages: tuple[Page, ...] = ()

    @property
    def multilingual(self) -> bool:
        return bool(self.site.languages)

    def __iter__(self) -> Iterator[SitemapEntry]:
        lastmod = _LastModified(self.site)
        config = self.site.config
        listed: dict[int, tuple[tuple[tuple[str, str], ...], Markup]] = {}  # shared by translations
        for page in self.pages:
            alternates = page.context.get("alternates", ())
            if (found := listed.get(id(alternates))) is None:
                pairs = _alternates(config, alternates, page.context.get("x_default"))
                links = Markup(
                    "".join(
                        f'<xhtml:link rel="alternate" hreflang="{escape(code)}" href="{escape(url)}"/>'
                        for code, url in pairs
                    )
                )
                found = listed[id(alternates)] = (pairs, links)
            yield SitemapEntry(absolute_url(config, page.url), lastmod(page), *found)


def _alternates(
    config: Config, alternates: tuple[Alternate, ...], default: str | None
) -> tuple[tuple[str, str], ...]:
    """A page's translations as its sitemap entry lists them (see SitemapEntry)."""
    if len(alternates) < 2:
        return ()
    found = [(a.code, absolute_url(config, a.url)) for a in alternates]
    return (*found, ("x-default", absolute_url(config, default))) if default else tuple(found)


@dataclass(frozen=True, slots=True)
class SitemapIndex:
    """The entries of the sitemap index: each sitemap file and its newest page, then the
    ``others`` (the news sitemap), named without a date: what they list changes with the clock."""

    parts: tuple[tuple[str, Sitemap], ...]  # (URL, its entries)
    others: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[SitemapEntry]:
        for url, part in self.parts:
            latest = newest((entry.lastmod for entry in part), default=_EPOCH)
            yield SitemapEntry(absolute_url(part.site.config, url), latest)
        for url in self.others:
            yield SitemapEntry(absolute_url(self.parts[0][1].site.config, url), None)


def sitemap(
    site: Site, pages: Sequence[Page], max_urls: int = SITEMAP_MAX_URLS, others: tuple[str, ...] = ()
) -> list[Page]:
    """``/sitemap.xml`` listing every content page; past ``max_urls`` it becomes a sitemap
    index of ``/sitemap-1.xml``, ``/sitemap-2.xml``... and of the sitemaps at ``others``."""
    listed, at = tuple(pages), site.config.at
    if len(listed) <= max_urls:
        return [
            Page(
                at("/sitemap.xml"), "sitemap.xml", Kind.SITEMAP, "Sitemap", {"entries": Sitemap(site, listed)}
            )
        ]
    parts = [
        (at(f"/sitemap-{n}.xml"), Sitemap(site, listed[i : i + max_urls]))
        for n, i in enumerate(range(0, len(listed), max_urls), 1)
    ]
    pages = [
        Page(url, "sitemap.xml", Kind.SITEMAP, f"Sitemap {n}", {"entries": part})
        for n, (url, part) in enumerate(parts, 1)
    ]
    index = MappingProxyType({"sitemaps": SitemapIndex(tuple(parts), others)})
    return [Page(at("/sitemap.xml"), "sitemap-index.xml", Kind.SITEMAP, "Sitemap index", index), *pages]


def _published(site: Site, articles: Sequence[Article]) -> Sequence[Article]:
    """``articles`` without the drafts, scheduled and expired articles a build with drafts
    shows: feeds and sitemaps are the published site's, whatever the build previews."""
    if not site.config.drafts:  # then every article of the site is published
        return articles
    return tuple(a for a in articles if is_published(a, site.now))


def _shows_published(site: Site, page: Page) -> bool:
    """Whether a page shows a published article: its own, or one of its listing's."""
    if page.kind == Kind.ARTICLE:
        return is_published(page.context["article"], site.now)
    if page.kind == Kind.PAGE:
        return is_published(page.context["standalone"], site.now)
    return any(is_published(a, site.now) for a in _listing(site, page))


def _listing(site: Site, page: Page) -> Sequence[Article]:
    """Every article of the listing a paginated page (or a story's page) belongs to."""
    for key in ("term", "region", "period", "story"):
        if key in page.context:
            return page.context[key].articles
    return site.articles
