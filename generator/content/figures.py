"""Pictures in a rendered body: figures with captions and credits, lazy loading, and sizes.

Each pass works on the HTML either Markdown engine made, so both read the same syntax:

    ![Flooded streets in the old port](flood.jpg)

    *Water stood a metre deep on Friday. Photo: Jane Doe/Reuters*

An image alone in a paragraph becomes a ``<figure>``; an emphasised line under it (in the
same paragraph or the next) is its ``<figcaption>``, where a closing ``Photo: ...`` (or
``Photograph:``, ``Picture:``, ``Image:``, ``Illustration:``, ``Graphic:``, ``Credit:``) is
the credit. At parse time every image is also loaded lazily; once the build has measured
the site's files (engine/pictures.py), ``sized`` gives each its width, height and srcset.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote, urljoin, urlsplit

from generator.content.model import Picture

#: How wide a body image is shown by the default theme: the article's measure (40rem) on a
#: screen wide enough for it, else the screen less the page's margins.
BODY_SIZES = "(min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)"

_IMG = r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
_IMG_TAG = re.compile(_IMG)
_NOT_A_PARAGRAPH_EDGE = r"(?:(?!</?p>).)*?"
_FIGURE = re.compile(
    rf"<p>((?:<a\b[^>]*>)?{_IMG}(?:</a>)?)"  # an image, or a linked one, alone in its paragraph
    rf"(?:\n<em>({_NOT_A_PARAGRAPH_EDGE})</em>)?</p>"  # with an emphasised line under it,
    rf"(?:\n<p><em>({_NOT_A_PARAGRAPH_EDGE})</em></p>)?",  # or an emphasised paragraph after it
    re.S,
)
_EMPHASIS = re.compile(r"<(/?)em>")
_CREDIT = re.compile(
    r"(?:^|(?<=[.!?…\"'\u2019\u201d]))\s*"  # at the start, or after a sentence
    r"(\(?(?:Photo(?:graph)?|Picture|Image|Illustration|Graphic|Credit)s?\s*:.*)$",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""\s([a-zA-Z-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")


def figures(body_html: str) -> str:
    """Images alone in a paragraph as figures, with the caption and credit under them, and
    every image loaded lazily (the lead image, above the fold, is the template's)."""
    if "<img" not in body_html:
        return body_html
    return _IMG_TAG.sub(_lazy, _FIGURE.sub(_figure, body_html))


def _figure(found: re.Match[str]) -> str:
    image, below, after = found[1], found[2], found[3]
    if below is not None and not _whole_emphasis(below):
        return found[0]  # the image shares its paragraph with other text: no figure
    if below is None and after is not None and _whole_emphasis(after):
        return f"<figure>{image}{_figcaption(after)}</figure>"
    rest = "" if after is None else f"\n<p><em>{after}</em></p>"  # a paragraph of its own
    return f"<figure>{image}{_figcaption(below)}</figure>{rest}"


def _whole_emphasis(inner: str) -> bool:
    """Whether ``<em>inner</em>`` is one emphasis, not ``<em>a</em> b <em>c</em>``."""
    depth = 1
    for mark in _EMPHASIS.finditer(inner):
        depth += -1 if mark[1] else 1
        if depth == 0:
            return False
    return True


def _figcaption(caption: str | None) -> str:
    if not caption or not caption.strip():
        return ""
    credit = _CREDIT.search(caption)
    if credit is None:
        return f"<figcaption>{caption.strip()}</figcaption>"
    text, credited = caption[: credit.start()].strip(), credit[1].strip()
    spaced = f"{text} " if text else ""
    return f'<figcaption>{spaced}<span class="credit">{credited}</span></figcaption>'


def _lazy(tag: re.Match[str]) -> str:
    if _attribute(tag[0], "loading") is not None:
        return tag[0]  # raw HTML that says how it wants to load
    return _with(tag[0], ' loading="lazy" decoding="async"')


def _with(tag: str, attributes: str) -> str:
    """An ``<img ...>`` or ``<img ... />`` tag with ``attributes`` added at its end."""
    end = len(tag) - (3 if tag.endswith(" />") else 2 if tag.endswith("/>") else 1)
    return tag[:end] + attributes + tag[end:]


def _attribute(tag: str, name: str) -> str | None:
    """The value of attribute ``name`` in ``tag``, unescaped; "" for one without a value."""
    for found in _ATTRIBUTE.finditer(tag):
        if found[1].lower() == name:
            value = found[2] or ""
            return html.unescape(value[1:-1] if value[:1] in "\"'" else value)
    return None


# -- images and the files of the site -----------------------------------------------------------


def site_path(src: str, page_url: str, base_path: str) -> str | None:
    """The site path an image's ``src`` points at from the page ``page_url`` (a site path)
    under ``base_path``: ``photo.jpg`` on ``/2024/08/31/raid/`` -> ``/2024/08/31/raid/photo.jpg``;
    None for one on another host, in a ``data:`` URL or outside the base path."""
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None
        path = "/" + path[len(base_path) :]
    else:
        path = urljoin(page_url, path)
    return posixpath.normpath(path) if "/." in path else path


def local_images(body_html: str, page_url: str, base_path: str) -> tuple[str, ...]:
    """The site paths of the body's images that may be files of the site, once each."""
    found: dict[str, None] = {}
    for tag in _IMG_TAG.findall(body_html) if "<img" in body_html else ():
        src = _attribute(tag, "src")
        if src and (path := site_path(src, page_url, base_path)) is not None:
            found[path] = None
    return tuple(found)


def without_alt(body_html: str) -> list[str]:
    """The ``src`` of each image in the body with no alt text, in order."""
    if "<img" not in body_html:
        return []
    return [_attribute(tag, "src") or "" for tag in _IMG_TAG.findall(body_html) if not _attribute(tag, "alt")]


def lines_of(sources: list[str], markdown: str) -> list[int | None]:
    """For each image ``src`` (in body order), the line (from 0) of the Markdown that names its
    file, looking on from the last one found; None where none does."""
    lines = markdown.split("\n")
    found: list[int | None] = []
    at = 0
    for src in sources:
        name = posixpath.basename(unquote(urlsplit(src).path)) or src
        line = next((n for n in range(at, len(lines)) if name and name in unquote(lines[n])), None)
        found.append(line)
        at = line if line is not None else at
    return found


def sized(
    body_html: str, page_url: str, base_path: str, pictures: Mapping[str, Picture], url: Callable[[str], str]
) -> str:
    """The body with each image of ``pictures`` (by site path, measured) given its width and
    height, and its narrower copies as a ``srcset``; ``url`` makes a site path a link."""

    def size(tag: re.Match[str]) -> str:
        src = _attribute(tag[0], "src")
        path = site_path(src, page_url, base_path) if src else None
        picture = pictures.get(path) if path is not None else None
        if picture is None or picture.width is None or _attribute(tag[0], "width") is not None:
            return tag[0]
        added = f' width="{picture.width}" height="{picture.height}"'
        if picture.copies and _attribute(tag[0], "srcset") is None:
            written = html.escape(src.replace(" ", "%20").replace(",", "%2C"))  # type: ignore[union-attr]
            candidates = [f"{url(copy)} {width}w" for copy, width in picture.copies]
            added += (
                f' srcset="{", ".join([*candidates, f"{written} {picture.width}w"])}" sizes="{BODY_SIZES}"'
            )
        return _with(tag[0], added)

    return _IMG_TAG.sub(size, body_html)
