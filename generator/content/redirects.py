"""Redirects: old URLs that send readers on to where a story lives now.

Archives carry them in front matter the way their generator read it: Hugo's and Zola's
``aliases``, Jekyll's ``redirect_from`` and ``redirect_to`` (jekyll-redirect-from), and files
that only redirect (``redirect: /blog/new-name``, nothing else). Each old URL becomes a small
page (``templates/redirect.html``) that refreshes to the new one, names it as canonical and
asks not to be indexed; it stays out of listings, feeds, the sitemap and search.

Parsing (``alias_url``, ``redirect_target``, ``file_url``) runs while articles load, so a bad
value is reported at its file and line; ``collect`` gathers the redirects a build publishes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from generator.content.model import Alias, Article
from generator.errors import ContentError

#: Keys whose values are old URLs of the article: Hugo's and Zola's, then Jekyll's.
ALIAS_KEYS = ("aliases", "redirect_from")
#: Keys that make the file itself a redirect: Jekyll's, then the bare form of stub files.
TARGET_KEYS = ("redirect_to", "redirect")
#: Old URLs ending so are files; any other is a folder with an index.html, as Hugo writes
#: them (``/old/story`` and ``/old/story.php`` answer as ``/old/story/``).
FILE_SUFFIXES = (".html", ".htm")
#: The longest name most file systems take (ext4, APFS, NTFS), in UTF-8 bytes.
MAX_SEGMENT_BYTES = 255
#: The date of a file that only redirects and gives none: it is never listed or shown, so
#: its date only has to let it count as published.
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)


class LeftOut(ValueError):
    """An old URL that no static page can answer (``/?p=12``): a warning, not an error."""


@dataclass(frozen=True, slots=True)
class Redirect:
    """One redirect page: the old URL, where it sends readers, and who asked for it."""

    url: str  # a site path, as Page.url
    target: str  # a site path ("/2024/08/31/story/") or an absolute URL elsewhere
    source: str  # the file, as Article.source
    line: int


def alias_url(written: str, page_url: str, *, page_relative: bool, origin: str, base_path: str) -> str:
    """The site path of an old URL as front matter writes it; raises ValueError saying what
    is wrong (LeftOut for one that no static page can answer).

    A path with a leading slash is from the site's root (under ``base_path``); one without is
    from the page's own level when ``page_relative`` (Hugo's aliases: ``old-name`` beside
    ``/2024/08/31/new-name/`` is ``/2024/08/31/old-name/``), else from the root (Jekyll's
    redirect_from). A full URL must be on the site's own ``origin`` and under its base path.
    """
    text = written.strip()
    if not text:
        raise ValueError("is empty")
    parts = urlsplit(text)
    if parts.scheme or text.startswith("//"):
        if f"{parts.scheme.lower()}://{parts.netloc.lower()}" != origin.lower():
            raise ValueError(f"is on another site; an old URL must be under base_url ({origin}{base_path})")
        if not (parts.path + "/").startswith(base_path):
            raise ValueError(f"is outside the site; an old URL must be under base_url ({origin}{base_path})")
        path, page_relative = "/" + parts.path[len(base_path) :], False
    else:
        path = parts.path
    if parts.query or parts.fragment:
        asked = "?" + parts.query if parts.query else "#" + parts.fragment
        raise LeftOut(f"ends in '{asked}', which a static page cannot tell apart; left out")
    path = unquote(path)
    if "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        raise ValueError("holds a backslash or a control character")
    base = posixpath.dirname(page_url.rstrip("/")) if page_relative and not path.startswith("/") else ""
    return _site_path(base.split("/") + path.split("/"), folder=path.endswith("/"))


def _site_path(segments: list[str], folder: bool) -> str:
    """``segments`` resolved (``.``, ``..``) into a site path: a file when the last ends in
    one of FILE_SUFFIXES and ``folder`` is off, else a folder."""
    kept: list[str] = []
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not kept:
                raise ValueError("leads outside the site with '..'")
            kept.pop()
            continue
        if segment.startswith("."):
            raise ValueError(f"names a hidden file or folder ('{segment}')")
        if len(segment.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
            raise ValueError(
                f"has a part longer than {MAX_SEGMENT_BYTES} bytes, more than a file name can hold"
            )
        kept.append(segment)
    if kept and not folder and kept[-1] == "index.html":
        kept.pop()  # the folder's own page: /old/index.html is /old/, one file
    elif kept and not folder and kept[-1].lower().endswith(FILE_SUFFIXES):
        return "/" + "/".join(kept)
    return "/" + "".join(segment + "/" for segment in kept)


def redirect_target(written: str) -> str:
    """Where a file that redirects sends readers: an http(s) URL as written, or a path on this
    site (a leading slash added, as jekyll-redirect-from does); raises ValueError."""
    text = written.strip()
    if not text:
        raise ValueError("is empty")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValueError("holds a space or a control character; percent-encode it (%20)")
    scheme = urlsplit(text).scheme.lower()
    if scheme and scheme not in ("http", "https"):
        raise ValueError("must be a path on this site or an http(s) URL")
    if scheme or text.startswith("//"):
        return text
    return text if text.startswith("/") else "/" + text


def file_url(relative: PurePosixPath, slug: str | None) -> str:
    """The URL a file that redirects answers at when it has no date to place it: its path
    under ``content/`` (``blog/old-name.md`` -> ``/blog/old-name/``; a bundle's ``index.md``
    its folder's), the last part replaced by ``slug`` when given."""
    parts = list(relative.parent.parts)
    if relative.stem not in ("index", "_index"):
        parts.append(relative.stem)
    if slug:
        parts[-1:] = [slug]
    return _site_path(parts, folder=True)


def collect(articles: Iterable[Article]) -> tuple[tuple[Redirect, ...], tuple[ContentError, ...]]:
    """The redirects of the articles a build publishes: each article's old URLs to it, and
    each file that redirects from its own URL (and its old URLs) to its target; with warnings.

    An old URL that differs from a page's or another redirect's only in case is left out: on
    a disk that ignores case (macOS, Windows) both would be one file, and a redirect would
    replace the story it leads to. Old URLs wanted twice exactly are left to the plan's
    collision check, which names both files and lines.
    """
    articles = sorted(articles, key=lambda a: a.source)
    taken = {a.url.casefold(): a.url for a in articles if a.redirect_to is None}
    redirects: list[Redirect] = []
    warnings: list[ContentError] = []
    for article in articles:
        target = article.redirect_to or article.url
        wanted = [Alias(article.url, _target_line(article))] if article.redirect_to else []
        for alias in wanted + list(article.aliases):
            other = taken.setdefault(alias.url.casefold(), alias.url)
            if other != alias.url:
                warnings.append(
                    ContentError(
                        Path(article.source),
                        alias.line,
                        f"old URL {alias.url} differs from {other} only in case; left out: on a "
                        "disk that ignores case (macOS, Windows) the two would be one file",
                    )
                )
                continue
            redirects.append(Redirect(alias.url, target, article.source, alias.line))
    return tuple(redirects), tuple(warnings)


def _target_line(article: Article) -> int:
    return next((article.lines[key] for key in TARGET_KEYS if key in article.lines), 1)
