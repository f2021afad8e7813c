"""Site URLs: the one place a URL becomes a file in the output folder, and the links to it.

A leaf: every stage that names or writes pages imports it, and it imports only the settings.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit

from generator.config import Config

# Paths that need neither parsing nor percent-encoding: most of them, and a sitemap or feed
# makes tens of thousands of links.
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9/._~-]*")


def relative_path(url: str) -> str:
    """The file for a site URL relative to the output folder (``/a/b/`` -> ``a/b/index.html``,
    ``/feed.xml`` -> ``feed.xml``), without touching the disk; ValueError for a URL with a
    ``.`` or ``..`` segment, a backslash or a NUL, which could lead outside it."""
    if url[:1] == "/" and "/." not in url and "//" not in url and "\\" not in url and "\0" not in url:
        # No "." or ".." segment, no empty one: the common case, asked for every page.
        return url[1:] + "index.html" if url.endswith("/") else url[1:]
    parts = [part for part in url.split("/") if part]
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        raise ValueError(f"unsafe URL {url!r}")
    if url.endswith("/"):
        parts.append("index.html")
    return "/".join(parts)


def output_path(root: Path, url: str) -> Path:
    """The file a site URL is written to under ``root``: ``relative_path``, and also
    guaranteed to lie inside ``root`` once symlinks on the disk are followed."""
    path = root / relative_path(url)
    if not path.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"URL {url!r} leads outside the output folder")
    return path


def site_url(config: Config, path: str) -> str:
    """A root-relative link under the base URL's path, percent-encoded: ``/tags/é/`` ->
    ``/archive/tags/%C3%A9/``. Absolute URLs pass through."""
    if _PLAIN_PATH.fullmatch(path) and not path.startswith("//"):
        return config.base_path + path[1:]
    if urlsplit(path).scheme or path.startswith("//"):
        return path
    return quote(config.base_path + path.lstrip("/"), safe="/#?=&%:@!$'()*+,;~-._")


def absolute_url(config: Config, path: str) -> str:
    """A site path as an absolute URL under the base URL: ``/a/`` ->
    ``https://example.org/archive/a/``. A URL written absolute (an ``image:`` on a CDN) is
    kept as written, and a protocol-relative one (``//cdn.example.com/p.jpg``) takes the
    base URL's scheme, as a page served from there would read it."""
    if path.startswith("//"):
        return f"{urlsplit(config.base_url).scheme}:{path}"
    if not path.startswith("/") and urlsplit(path).scheme:
        return path
    return config.origin + site_url(config, path)
