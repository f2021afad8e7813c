"""Article URLs a build no longer publishes, found by comparing it with the previous build.

A link to an article lives on in other sites, search engines and readers' bookmarks: a URL
that moves (a new slug, a mended date, a headline under a ``{title}`` pattern) or disappears
breaks every one of them. Each build records the URL of every article it publishes, by
source file; the next build into the same output warns at each article whose old URL no
page answers any more, with the ``aliases`` line that keeps it alive (content/redirects.py),
and names the URL of each deleted article, which now answers 404.

The record is no cache: it is read and written by builds from scratch (``--no-cache``) too,
and its key leaves out Dateline's version, so an upgrade does not forget what was published.
An article that is still there but no longer published (a draft again, scheduled, expired)
left the site on purpose and is not warned about.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config
from generator.content.model import Article
from generator.content.redirects import ALIAS_KEYS
from generator.engine import cache
from generator.errors import ContentError

if TYPE_CHECKING:
    from generator.site.pages import Page
    from generator.site.taxonomy import Site

#: Per source file, relative to the site folder: the URL and title it was published with.
Record = Mapping[str, tuple[str, str]]

#: A URL written bare in YAML's and TOML's lists reads back as itself only with these.
_PLAIN = re.compile(r"[A-Za-z0-9/._~-]+")


def record_of(articles: Iterable[Article], config: Config) -> dict[str, tuple[str, str]]:
    """What a build publishes, as the next build compares it: every article's URL and title."""
    return {_relative(a.source, config): (a.url, a.title) for a in articles}


def _record_file(config: Config) -> tuple[Path, str]:
    """The file of the record of builds into ``config``'s output, and its key."""
    out_dir = str(config.out_dir.resolve())
    name = f"urls-{cache.digest(out_dir)[:16]}.bin"
    return config.cache_dir / name, cache.digest("urls", str(config.site_dir.resolve()), out_dir)


def load_record(config: Config) -> Record | None:
    """The record of the last build into this output; None when there was none."""
    path, key = _record_file(config)
    data = cache.load(path, key)
    return data if isinstance(data, dict) else None


def save_record(config: Config, record: Record, previous: Record | None) -> None:
    if record != previous:  # most builds publish the URLs the last one did: nothing to write
        cache.store(*_record_file(config), dict(record))


def lost_urls(
    previous: Record | None,
    urls: Record,
    read: Iterable[Article],
    site: Site,
    plan: Iterable[Page],
    statics: Iterable[str],
) -> tuple[ContentError, ...]:
    """A warning for each URL of the ``previous`` record (None: there was no build before)
    that no page of the ``plan`` and no static file answers: at the article now published
    elsewhere, else at the deleted file. ``urls`` is this build's record, ``read`` all the
    articles read, published or not. A file renamed as its URL moved is found again by its
    title, when no other new file has it."""
    if not previous or previous == urls:  # the same URLs as last time: all still answered
        return ()
    config = site.config
    answered = {page.url for page in plan} | set(statics)
    now = {_relative(a.source, config): a for a in site.articles}
    still_there = {_relative(a.source, config) for a in read}
    renamed: dict[str, list[Article]] = defaultdict(list)
    for source, article in now.items():
        if source not in previous:
            renamed[article.title].append(article)
    warnings = []
    for source, (url, title) in sorted(previous.items()):
        if url in answered:
            continue
        article = now.get(source)
        if article is None and source not in still_there and len(renamed[title]) == 1:
            article = renamed[title][0]
        if article is not None:
            warnings.append(_moved(article, url))
        elif source not in still_there:
            warnings.append(_deleted(config.site_dir / source, url))
    return tuple(warnings)


def _moved(article: Article, old: str) -> ContentError:
    moved = f"its URL moved from {old} to {article.url}"
    key = next((key for key in ALIAS_KEYS if key in article.lines), None)
    if key is not None:
        keep = f"add {old} to its {key} to keep the old one"
        return ContentError(Path(article.source), article.lines[key], f"{moved}; {keep}")
    line = article.lines.get("slug") or article.lines.get("title") or 1
    keep = f'add "{_aliases_line(Path(article.source), old)}" to keep the old one'
    return ContentError(Path(article.source), line, f"{moved}; {keep}")


def _deleted(source: Path, old: str) -> ContentError:
    return ContentError(
        source,
        1,
        f"deleted, so {old} now answers 404 Not Found; to keep it, add "
        f'"{_aliases_line(None, old)}" to the article that replaces it',
    )


def _aliases_line(source: Path | None, url: str) -> str:
    """The front-matter line that gives an article the old ``url``, in the article's own
    front matter language: TOML's between ``+++`` lines, else YAML's."""
    if source is not None and _front_matter_opener(source) == "+++":
        return f"aliases = [{json.dumps(url, ensure_ascii=False)}]"
    written = url if _PLAIN.fullmatch(url) else json.dumps(url, ensure_ascii=False)
    return f"aliases: [{written}]"


def _front_matter_opener(source: Path) -> str:
    try:
        with source.open(encoding="utf-8", errors="replace") as file:
            return next((line.strip() for line in file if line.strip()), "")
    except OSError:
        return ""


def _relative(source: str, config: Config) -> str:
    """``source`` (the site folder joined with ``content/...``) relative to the site folder;
    by its prefix, which is a hundred times quicker than ``os.path.relpath`` on every
    article of a large archive."""
    folder = str(config.site_dir)
    prefix = "" if folder == "." else folder.rstrip(os.sep) + os.sep  # Path(".") / "a.md" is "a.md"
    return source[len(prefix) :] if source.startswith(prefix) else os.path.relpath(source, folder)
