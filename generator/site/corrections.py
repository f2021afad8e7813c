"""The corrections page: every correction across the archive, newest first, and its Atom feed.

An article lists its own corrections (front matter ``corrections``, see parse.py); here they
are gathered from ``site.corrections`` into pages paginated like listings, and a feed with one
entry per correction, so that readers and other archives can follow what was put right.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType

from generator import __version__
from generator.i18n import N_
from generator.site.feeds import clean, feed_url
from generator.site.pages import Kind, Page, paginate
from generator.site.taxonomy import Correction, Site, is_published
from generator.urls import absolute_url

CORRECTIONS_URL = "/corrections/"
TITLE = N_("Corrections")


@dataclass(frozen=True, slots=True)
class CorrectionEntry:
    """One correction as its feed carries it: its own id, a link to it on the article."""

    url: str  # absolute, to the correction on its article; unique, so also the entry's id
    title: str
    date: datetime
    text: str


@dataclass(frozen=True, slots=True)
class CorrectionsFeed:
    title: str
    subtitle: str
    url: str  # the feed's own absolute URL
    home: str  # the corrections page's
    language: str
    author: str
    updated: datetime  # the newest correction's date
    entries: tuple[CorrectionEntry, ...]
    generator_version: str = __version__


def present(site: Site) -> bool:
    return bool(site.corrections)


def plan(site: Site) -> list[Page]:
    """The corrections pages, paginated as a listing of the articles they correct is (an
    article once per correction), each with its corrections; and their feed."""
    config, corrections, words = site.config, site.corrections, site.words
    pages = []
    start = 0
    articles = [correction.article for correction in corrections]
    title, url = words.gettext(TITLE), config.at(CORRECTIONS_URL)
    for listed in paginate(url, Kind.CORRECTIONS, title, articles, config.per_page, words=words):
        shown = corrections[start : start + len(listed.context["pagination"].articles)]
        start += len(shown)  # the listing's pages come newest first, one after another
        values = MappingProxyType({**listed.context, "corrections": shown})
        pages.append(replace(listed, template="corrections.html", context=values))
    # Feeds are the published site's, whatever a build with drafts previews.
    published = tuple(c for c in corrections if not config.drafts or is_published(c.article, site.now))
    limit = config.feed_limit
    chosen = published[:limit] if limit > 0 else published
    feed = CorrectionsFeed(
        title=clean(f"{title} · {config.title}"),
        subtitle=clean(
            words.gettext("Every correction published by %(site)s, newest first.") % {"site": config.title}
        ),
        url=absolute_url(config, feed_url(url)),
        home=absolute_url(config, url),
        language=config.language,
        author=clean(config.title),
        updated=(chosen or corrections)[0].note.date,
        entries=tuple(_entry(site, correction) for correction in chosen),
    )
    pages.append(Page(feed_url(url), "corrections.xml", Kind.FEED, feed.title, {"feed": feed}))
    return pages


def _entry(site: Site, correction: Correction) -> CorrectionEntry:
    return CorrectionEntry(
        url=absolute_url(site.config, correction.url),
        title=clean(site.words.gettext("Correction: %(title)s") % {"title": correction.article.title}),
        date=correction.note.date,
        text=clean(correction.note.text),
    )
