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


@dataclass(frozen=True, slots=True)
class Note:
    """A correction or an update published on an article: when, and what it says (plain text)."""

    date: datetime  # aware, as written or in the site's timezone
    text: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture an article shows: its lead image (front matter ``image``) or one in its body."""

    src: str  # a site path (/2024/08/31/raid/photo.jpg), or a URL elsewhere as written
    alt: str = ""
    caption: str = ""
    credit: str = ""
    # Read from the file when the site holds it (engine/pictures.py); None for a picture elsewhere.
    width: int | None = None
    height: int | None = None
    # Narrower copies the build made for ``srcset``, as (site path, width), narrowest first.
    copies: tuple[tuple[str, int], ...] = ()


class Alias(NamedTuple):
    """An old URL of an article, as a site path, and the front-matter line that names it."""

    url: str  # "/old/story/" or "/old/story.html"
    line: int


class MenuEntry(NamedTuple):
    """A standalone page's link in the site's menu (front matter ``menu`` and ``weight``)."""

    label: str
    weight: int


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
    # On the record, each in date order; ``updated`` is at least the latest of them.
    corrections: tuple[Note, ...] = ()
    updates: tuple[Note, ...] = ()
    # The slug of the running story it belongs to (front-matter ``story``), if any.
    story: str | None = None
    # The picture shown above the story and on its cards (front matter ``image``), if any.
    lead_image: Picture | None = None
    # The site paths of the body's images that may be files of the site, for the build to measure.
    images: tuple[str, ...] = ()
    # A standalone page (under content/pages/, or ``type: page``), such as /about/: no
    # article of the site, in no listing, feed or archive; its date, if any, is only shown.
    standalone: bool = False
    menu: MenuEntry | None = None  # a standalone page's link in the site's menu
    # The language it is written in (BCP 47), and what its translations share with it: its
    # path without language folder and suffix, or the ``translationKey`` written.
    lang: str = "en"
    translation_key: str = ""
    # Its names in each of the site's own taxonomies ([taxonomies]), as written: (("desks", ("Metro",)),).
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def terms_of(self, taxonomy: str) -> tuple[str, ...]:
        return next((names for name, names in self.terms if name == taxonomy), ())

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def toc_html(self) -> str:
        return self.body.toc

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))
