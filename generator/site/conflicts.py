"""Whether the planned pages can all be written: no URL wanted twice or leading outside the
output folder, no page needing another's file as its folder. Each conflict is reported at
the file and line that made the page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config
from generator.content.model import Article
from generator.errors import BuildFailed, ContentError
from generator.site.kinds import name_keys
from generator.site.pages import Kind, Page
from generator.urls import relative_path


def check_urls(pages: list[Page], config: Config) -> None:
    """Raise BuildFailed naming, at the file and line that made it, every page whose URL is
    taken twice or unsafe, or whose file would need another page's file as its folder.
    ``config`` tells which front-matter keys hold tags, regions and authors."""
    keys = name_keys(config)
    first: dict[str, Page] = {}
    claims: dict[str, list[Page]] = defaultdict(list)  # only the URLs wanted twice, or unsafe
    files: dict[str, Page] = {}  # each page by its file in the output folder
    for page in pages:
        if (taken := first.setdefault(page.url, page)) is not page:
            if page.url not in claims:
                claims[page.url].append(taken)
            claims[page.url].append(page)
        elif (relative := _relative(page.url)) is None:
            claims[page.url].append(page)
        else:
            files[relative] = page
    errors = _folder_conflicts(files, keys)
    for url, claimants in claims.items():
        if _relative(url) is None:
            for page in claimants:
                if page.kind in (*_OWN_FILE, Kind.REDIRECT) and (maker := _maker(page, keys)) is not None:
                    errors.append(maker.error(f"URL {url} would lead outside the output folder"))
        if len(claimants) < 2:
            continue
        for page in claimants:
            if (maker := _maker(page, keys)) is None:
                continue
            others = ", ".join(_describe(p) for p in claimants if p is not page)
            errors.append(maker.error(f"URL {url} is also wanted by {others}"))
        if not any(_maker(page, keys) for page in claimants):  # a safety net: each kind has one
            described = ", ".join(_describe(p) for p in claimants)
            errors.append(ContentError(Path(url), 1, f"URL {url} is wanted by {described}"))
    if errors:
        raise BuildFailed(errors)


def _relative(url: str) -> str | None:
    """The file ``url`` maps to in the output folder, or None when it would lead outside."""
    try:
        return relative_path(url)
    except ValueError:
        return None


def _folder_conflicts(files: Mapping[str, Page], keys: Mapping[Kind, tuple[str, ...]]) -> list[ContentError]:
    """Pages that cannot both be written, as one needs a folder where the other is a file: an
    old URL ``/feed.xml`` (written as ``feed.xml/index.html``) beside the feed itself."""
    folders: set[str] = set()
    for relative in files:
        folder = relative.rpartition("/")[0]
        while folder and folder not in folders:  # each folder walked up from once
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    errors = []
    for folder in sorted(folders & files.keys()):
        other = files[folder]
        inside = [page for relative, page in files.items() if relative.startswith(folder + "/")]
        for page in inside:
            for one, two in ((page, other), (other, page)):
                if (maker := _maker(one, keys)) is not None:
                    message = f"URL {one.url} cannot be written beside {two.url} of {_describe(two)}"
                    errors.append(maker.error(f"{message}: '{folder}' would be both a file and a folder"))
            if _maker(page, keys) is None and _maker(other, keys) is None:  # a safety net
                message = f"URL {page.url} of {_describe(page)} needs '{folder}', the file of {other.url}"
                errors.append(ContentError(Path(page.url), 1, f"{message}, as a folder"))
    return errors


#: The pages that are one file each (an article's, a standalone page's), by what holds it.
_OWN_FILE = {Kind.ARTICLE: "article", Kind.PAGE: "standalone"}


def _at(article: Article, message: str) -> ContentError:
    line = article.lines.get("slug") or article.lines.get("title") or 1
    return ContentError(Path(article.source), line, message)


@dataclass(frozen=True)
class _Maker:
    """The file whose front matter made a page, at the line that did, and the name it made it
    for (none for an article's own page)."""

    source: str
    line: int
    name: str | None = None
    others: int = 0  # more articles that name it

    def error(self, message: str) -> ContentError:
        if self.name is not None:
            plural = "s" * (self.others != 1)
            also = f" (here and in {self.others} other article{plural})" if self.others else ""
            message = f"{self.name}{also} makes a page: {message}"
        return ContentError(Path(self.source), self.line, message)


def _maker(page: Page, keys: Mapping[Kind, tuple[str, ...]]) -> _Maker | None:
    """Who made ``page``: an article for its own page; for a redirect, the file and line that
    ask for it; for the first page of a tag, author, region or date listing or a story's page,
    the first (by file name) of the articles that name it, at the line that does. Later pages
    of a listing and the site's own pages are made by no one file."""
    if page.kind in _OWN_FILE:
        article = page.context[_OWN_FILE[page.kind]]
        return _Maker(article.source, _at(article, "").line)
    if page.kind == Kind.REDIRECT:
        redirect = page.context["redirect"]
        return _Maker(redirect.source, redirect.line)
    pagination = page.context.get("pagination")
    listed = _listed(page)
    if listed is None or (pagination is not None and pagination.number is not None) or not listed[1]:
        return None
    name, articles = listed
    article = min(articles, key=lambda a: a.source)
    line = next((article.lines[key] for key in keys.get(page.kind, ()) if key in article.lines), 1)
    return _Maker(article.source, line, f"{page.kind} '{name}'", len(articles) - 1)


def _listed(page: Page) -> tuple[str, tuple[Article, ...]] | None:
    """What a listing page lists: its name as written (a region's path) and its articles."""
    if (region := page.context.get("region")) is not None:
        return region.path, region.articles
    for key in ("term", "period"):
        if (found := page.context.get(key)) is not None:
            return found.name, found.articles
    if (story := page.context.get("story")) is not None:  # a story is one page
        return story.slug, story.articles
    return None


def _describe(page: Page) -> str:
    if page.kind in _OWN_FILE:
        return page.context[_OWN_FILE[page.kind]].source
    if page.kind == Kind.REDIRECT:
        redirect = page.context["redirect"]
        return f"the redirect on line {redirect.line} of {redirect.source}"
    listed, pagination = _listed(page), page.context.get("pagination")
    if listed is None:
        return f"the {page.kind} page"
    number = f"page {pagination.number} of " if pagination is not None and pagination.number else ""
    return f"{number}the {page.kind} '{listed[0]}'"
