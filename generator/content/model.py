"""The article model: what one Markdown file of the archive is to every later stage.

A leaf: every stage that handles articles imports it, and it imports nothing of Dateline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

WORDS_PER_MINUTE = 230


class Body:
    """An article's rendered Markdown and its table of contents.

    A build keeps every article but shows few bodies: an incremental build renders a handful
    of pages, and feeds carry only the newest articles. So the body of an article read from
    the build cache stays on disk until a page asks for it (``read``), and memory holds the
    archive's front matter rather than its text.
    """

    __slots__ = ("_parts", "_read")

    def __init__(
        self, html: str = "", toc: str = "", read: Callable[[], tuple[str, str]] | None = None
    ) -> None:
        self._parts = None if read is not None else (html, toc)
        self._read = read

    def _get(self) -> tuple[str, str]:
        if self._parts is None:
            assert self._read is not None
            self._parts = self._read()
        return self._parts

    @property
    def html(self) -> str:
        return self._get()[0]

    @property
    def toc(self) -> str:
        return self._get()[1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and self._get() == other._get()

    __hash__ = None  # type: ignore[assignment]


class Alias(NamedTuple):
    """An old URL of an article, as a site path, and the front-matter line that names it."""

    url: str  # "/old/story/" or "/old/story.html"
    line: int


@dataclass(frozen=True, slots=True)
class Article:
    """One article, as written: front matter validated and Markdown rendered."""

    source: str  # the file as reported in messages: the site folder joined with content/...
    title: str
    date: datetime  # aware, with the offset it was written with
    day: date  # the archive day: as written, or in the site's timezone (config.archive_day)
    updated: datetime | None
    slug: str
    url: str
    regions: tuple[str, ...]  # paths as written: "Middle East/Iraq"
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    summary: str
    # What the body is made of is in the source and its digest; the text itself is compared
    # by pages that show it (incremental.Fingerprints), never through the Article.
    body: Body = field(compare=False, repr=False)
    word_count: int
    draft: bool
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Old URLs that redirect here (aliases, redirect_from), resolved to site paths.
    aliases: tuple[Alias, ...] = ()
    # Where this file sends readers instead (redirect_to, redirect): it is then no article of
    # the site, only a redirect page at its URL (see redirects.collect).
    redirect_to: str | None = None
    # When the article leaves the site (Hugo's expiryDate): past it, it is published no more.
    expires: datetime | None = None

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def toc_html(self) -> str:
        return self.body.toc

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))
