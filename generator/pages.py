"""The page plan: every URL the site will have, what renders it, and with which data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.content import Article
from generator.errors import BuildFailed, ContentError
from generator.taxonomy import Site


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


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    template: str
    kind: str  # home, article, tag, tags, author, authors, region, regions, year, month, day,
    #            archive, not-found
    title: str
    context: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


def page_url(first: str, number: int) -> str:
    return first if number == 1 else f"{first}page/{number}/"


def paginate(
    first_url: str, kind: str, title: str, articles: Sequence[Article], per_page: int, **context: Any
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


def plan(site: Site) -> list[Page]:
    """Every HTML page of the site (``check_urls`` tells whether their URLs are usable)."""
    config = site.config
    per_page = config.per_page
    pages: list[Page] = paginate("/", "home", config.title, site.articles, per_page)
    for article in site.articles:
        pages.append(Page(article.url, "article.html", "article", article.title, {"article": article}))
    pages.append(Page("/tags/", "terms.html", "tags", "Tags", {"terms": tuple(site.tags.values())}))
    for term in site.tags.values():
        pages += paginate(term.url, "tag", term.name, term.articles, per_page, term=term)
    if site.authors:
        authors = tuple(site.authors.values())
        pages.append(Page("/authors/", "terms.html", "authors", "Authors", {"terms": authors}))
    for term in site.authors.values():
        pages += paginate(term.url, "author", term.name, term.articles, per_page, term=term)
    pages.append(Page("/regions/", "regions.html", "regions", "Regions"))
    for region in site.regions.values():
        pages += paginate(region.url, "region", region.name, region.articles, per_page, region=region)
    pages.append(Page("/archive/", "archive.html", "archive", "Archive"))
    for period in site.periods.values():
        kind = ("year", "month", "day")[len(period.parts) - 1]
        pages += paginate(period.url, kind, period.name, period.articles, per_page, period=period)
    pages.append(Page("/404.html", "404.html", "not-found", "Page not found"))
    return pages


def check_urls(pages: list[Page]) -> None:
    """Raise BuildFailed naming every article whose URL is taken or unsafe."""
    first: dict[str, Page] = {}
    claims: dict[str, list[Page]] = defaultdict(list)  # only the URLs wanted twice, or unsafe
    for page in pages:
        if (taken := first.setdefault(page.url, page)) is not page:
            if page.url not in claims:
                claims[page.url].append(taken)
            claims[page.url].append(page)
        elif "/." in page.url:
            claims[page.url].append(page)
    errors = []
    for url, claimants in claims.items():
        unsafe = any(part in ("..", ".") for part in url.split("/"))
        articles = [p.context["article"] for p in claimants if p.kind == "article"]
        if unsafe:
            errors += [_at(a, f"URL {url} would lead outside the output folder") for a in articles]
        if len(claimants) < 2:
            continue
        for article in articles:
            others = [
                p.context["article"].source if p.kind == "article" else f"the {p.kind} page"
                for p in claimants
                if p.context.get("article") is not article
            ]
            errors.append(_at(article, f"URL {url} is also wanted by {', '.join(others)}"))
    if errors:
        raise BuildFailed(errors)


def _at(article: Article, message: str) -> ContentError:
    line = article.lines.get("slug") or article.lines.get("title") or 1
    return ContentError(Path(article.source), line, message)
