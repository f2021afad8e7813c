"""The plan's vocabulary: a page (its URL, kind, template and what it shows) and a listing's pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from generator.content.model import Article


@dataclass(frozen=True, slots=True)
class Pagination:
    """One page of a listing."""

    number: int  # 1-based
    urls: tuple[str, ...]  # the URL of every page of this listing, page 1 first
    articles: tuple[Article, ...]
    total: int  # articles in the whole listing

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def previous_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


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
    ARCHIVE = "archive"
    YEAR = "year"
    MONTH = "month"
    DAY = "day"
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


def page_url(first: str, number: int) -> str:
    return first if number == 1 else f"{first}page/{number}/"


def paginate(
    first_url: str, kind: Kind, title: str, articles: Sequence[Article], per_page: int, **context: Any
) -> list[Page]:
    """A listing split into pages of ``per_page``; an empty listing still gets its first page."""
    count = max(1, -(-len(articles) // per_page))
    urls = tuple(page_url(first_url, n) for n in range(1, count + 1))
    pages = []
    for number in range(1, count + 1):
        chunk = tuple(articles[(number - 1) * per_page : number * per_page])
        pagination = Pagination(number, urls, chunk, len(articles))
        page_title = title if number == 1 else f"{title} (page {number})"
        values = MappingProxyType({**context, "pagination": pagination})
        pages.append(Page(urls[number - 1], "list.html", kind, page_title, values))
    return pages
