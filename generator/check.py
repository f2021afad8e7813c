"""``dateline check``: every article read and every page rendered in memory, every internal
link followed; nothing written."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from generator.config import SETTINGS_FILE, Config
from generator.content import sources
from generator.engine import render
from generator.engine.build import Progress, Report, no_progress, prepare, published_files
from generator.errors import BuildFailed, ContentError
from generator.site import languages, pages, taxonomy


def rendered(
    plan: list[pages.Page], site: taxonomy.Site, tick: Callable[[], None]
) -> Iterator[tuple[str, bytes]]:
    env = render.environment(site.config)
    errors: dict[tuple[str, int, str], ContentError] = {}
    for page in plan:
        try:
            yield page.url, render.render(page, env, languages.site_of(site, page))
        except ContentError as error:  # one broken template fails many pages: report it once
            errors.setdefault((str(error.path), error.line, error.message), error)
        tick()
    if errors:
        raise BuildFailed(errors.values())


class _Links(HTMLParser):
    """The href and src of every tag; text in code samples is text, not links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in ("href", "src") and value is not None]


def _links(page_html: str) -> list[str]:
    parser = _Links()
    parser.feed(page_html)
    return parser.found


def check(config: Config, now: datetime | None = None, progress: Progress = no_progress) -> Report:
    """Validate content and every internal link without writing anything."""
    started = time.perf_counter()
    site, plan, warnings = prepare(config, now, progress)
    known = {page.url for page in plan} | set(published_files(sources.find(config), site, plan)[0])
    base = config.base_path
    errors: list[ContentError] = []
    for url, data in rendered(plan, site, progress("Checking", len(plan))):
        if not url.endswith(("/", ".html")):
            continue  # feeds and sitemaps carry absolute URLs of the pages checked here
        for href in _links(data.decode()):
            target = _internal_target(href, url, base)
            if target is None or target in known or target.rstrip("/") + "/" in known:
                continue
            errors.append(_broken_link(site, url, href, target))
    if errors:
        raise BuildFailed(dict.fromkeys(errors))
    return Report(len(site.articles), len(plan), 0, 0, time.perf_counter() - started, warnings)


def _internal_target(href: str, page_url: str, base: str) -> str | None:
    """The site URL a link points at, or None for external links and fragments."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(urljoin(base + page_url.lstrip("/"), parts.path))
    if not path.startswith(base):
        return path  # under the domain but outside the site: broken by definition
    return "/" + path[len(base) :]


def _broken_link(site: taxonomy.Site, url: str, href: str, target: str) -> ContentError:
    article = next((a for a in (*site.articles, *site.pages) if a.url == url), None)
    if article is not None and href in article.body_html:
        text = Path(article.source).read_text(encoding="utf-8-sig", errors="replace")
        raw = href.split("#")[0]
        line = next((n for n, row in enumerate(text.splitlines(), 1) if raw in row), 1)
        return ContentError(Path(article.source), line, f"broken link to {href}")
    link = next((link for link in site.config.menu if link.url == target), None)
    if link is not None:  # on every page: reported once, where it is written
        message = f"[[menu]] '{link.label}' links to a missing page {link.url}"
        return ContentError(site.config.site_dir / SETTINGS_FILE, link.line, message)
    redirect = next((r for r in site.redirects if r.url == url), None)
    if redirect is not None:  # its target is written in front matter, not in a template
        return ContentError(
            Path(redirect.source), redirect.line, f"redirect from {url} to a missing page {href}"
        )
    return ContentError(Path(url), 1, f"broken link to {href} (from a template)")
