"""The plan's vocabulary: a page (its URL, kind, template and what it shows) and a listing's pages."""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from generator.content.model import Article

ENGLISH = gettext.NullTranslations()  # the words of a site without a catalogue


@dataclass(frozen=True, slots=True)
class Pagination:
    """One page of a listing, with what it shows of the others.

    Numbered pages are counted from the oldest article: ``/page/1/`` holds the oldest
    ``per_page`` articles, ``/page/2/`` the next, and each exactly ``per_page``, so a numbered
    page keeps its articles as newer ones arrive and can be cited. The listing's first URL
    shows the rest, its newest: ``per_page`` to twice that less one (all of them when fewer);
    the article that would make it twice ``per_page`` turns its older half into the next
    numbered page. No article is on two pages, so each page is its own canonical URL.
    """

    first_url: str  # the listing's URL
    number: int | None  # None on the first URL
    articles: tuple[Article, ...]  # newest first
    older_url: str | None
    newer_url: str | None  # from the newest numbered page, the first URL
    # Articles in the whole listing, on its first URL only: shown on a numbered page, it
    # would make the page change with every article the listing gains.
    total: int | None


class Kind(StrEnum):
    """What a page is. Each kind is declared once, in site/kinds.py; templates compare
    ``page.kind`` with these values ("tag") and the theme styles ``kind-tag``."""

    HOME = "home"
    ARTICLE = "article"
    TAGS = "tags"
    TAG = "tag"
    AUTHORS = "authors"
    AUTHOR = "author"
    REGIONS = "regions"
    REGION = "region"
    TERMS = "terms"  # the index of one of the site's own taxonomies ([taxonomies]): /desks/
    TERM = "term"  # one of its names' listing: /desks/metro/
    STORIES = "stories"
    STORY = "story"
    ARCHIVE = "archive"
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    ON_THIS_DAY = "on-this-day"  # the calendar of /on-this-day/
    CALENDAR_DAY = "calendar-day"  # a month-day's articles of every year: /on-this-day/08-31/
    CORRECTIONS = "corrections"
    PAGE = "page"  # a standalone page: /about/
    REDIRECT = "redirect"
    NOT_FOUND = "not-found"
    SEARCH = "search"
    FEED = "feed"
    SITEMAP = "sitemap"
    NEWS_SITEMAP = "news-sitemap"
    ROBOTS = "robots"


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    template: str
    kind: Kind
    title: str
    context: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lang: str = ""  # of a multilingual site, the language whose site it is part of


@dataclass(frozen=True, slots=True)
class Language:
    """A language of a multilingual site, as its language switcher offers it."""

    code: str  # BCP 47
    name: str  # its own name: "Deutsch"
    url: str  # its home page
    direction: str  # "ltr" or "rtl"


@dataclass(frozen=True, slots=True)
class Alternate:
    """A page in one language: this page itself or one of its translations."""

    code: str
    name: str
    url: str


def page_url(first: str, number: int | None) -> str:
    return first if number is None else f"{first}page/{number}/"


def paginate(
    first_url: str,
    kind: Kind,
    title: str,
    articles: Sequence[Article],
    per_page: int,
    first_only: Mapping[str, Any] | None = None,
    *,
    words: gettext.NullTranslations = ENGLISH,
    **context: Any,
) -> list[Page]:
    """A listing (``articles`` newest first) as its first URL, then its numbered pages from
    the newest down (see Pagination); an empty listing still gets its first URL.
    ``first_only`` is what the first URL shows besides: counts that change with every article.
    ``words``: the site's catalogue, which titles the numbered pages ("Tags (page 2)")."""
    numbered = max(0, len(articles) // per_page - 1)
    newest = len(articles) - numbered * per_page
    older = page_url(first_url, numbered) if numbered else None
    first = Pagination(first_url, None, tuple(articles[:newest]), older, None, len(articles))
    shown = MappingProxyType({**context, **(first_only or {}), "pagination": first})
    pages = [Page(first_url, "list.html", kind, title, shown)]
    for number in range(numbered, 0, -1):
        end = len(articles) - (number - 1) * per_page
        pagination = Pagination(
            first_url,
            number,
            tuple(articles[end - per_page : end]),
            page_url(first_url, number - 1) if number > 1 else None,
            page_url(first_url, number + 1 if number < numbered else None),
            None,
        )
        values = MappingProxyType({**context, "pagination": pagination})
        # TRANSLATORS: the title of a listing's numbered page: "Floods (page 2)".
        numbered_title = words.gettext("%(title)s (page %(number)s)") % {"title": title, "number": number}
        pages.append(Page(page_url(first_url, number), "list.html", kind, numbered_title, values))
    return pages
