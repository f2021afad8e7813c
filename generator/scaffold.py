"""``dateline new``: a new article file with today's date and the front matter filled in;
``dateline init``: a new site folder, with settings to fill in and one such article."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.config import SETTINGS_FILE, Config, load_config
from generator.content.frontmatter import clean_text
from generator.content.permalinks import hugo_urlize
from generator.content.slugs import slugify
from generator.errors import DatelineError


def new_article(
    config: Config,
    title: str,
    region: str = "",
    tags: tuple[str, ...] = (),
    now: datetime | None = None,
    *,
    author: str = "",
    summary: str = "",
    draft: bool = False,
    date: datetime | None = None,
) -> Path:
    """Create ``content/YYYY/slug.md`` dated ``date`` (default: now, in the site's time zone)
    and return its path; never overwrites a file."""
    # What the loader would clean away is cleaned here, so the file written reads back as is.
    title, region, author, summary = map(_one_line, (title, region, author, summary))
    tags = tuple(tag for tag in map(_one_line, tags) if tag)
    if not title:
        raise DatelineError("the title is empty")
    if date is None:
        date = (now or datetime.now(config.tz)).astimezone(config.tz).replace(microsecond=0)
    path = config.content_dir / f"{date:%Y}" / f"{slugify(title)}.md"
    if path.exists():
        raise DatelineError(f"{path} already exists; choose another title")
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        # Written out, so that mending the headline later does not move the article's URL.
        f"slug: {json.dumps(_title_slug(title, config), ensure_ascii=False)}",
        f"date: {date.isoformat()}",
        f"region: {json.dumps(region, ensure_ascii=False)}",
        f"tags: {json.dumps(list(tags), ensure_ascii=False)}",
        f"author: {json.dumps(author, ensure_ascii=False)}",
        f"summary: {json.dumps(summary, ensure_ascii=False)}",
        f"draft: {'true' if draft else 'false'}",
        "---",
        "",
        "Write the article here.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _title_slug(title: str, config: Config) -> str:
    """The slug the title gives the article's URL under the site's slug rules. Jekyll's rules
    take it from the file name, which is ``slugify(title)``, and read it back unchanged."""
    return hugo_urlize(title) if config.permalinks.slugs == "hugo" else slugify(title)


def is_site(folder: Path) -> bool:
    """Whether ``folder`` holds a site: its settings or its articles."""
    return (folder / SETTINGS_FILE).exists() or (folder / "content").is_dir()


#: What ``dateline init`` writes to ``site.toml``: the main settings, each explained; the
#: commented ones are valid as they are once uncommented (tests/test_scaffold.py).
SETTINGS_TEMPLATE = """\
# Settings of this news archive. README.md of Dateline documents every setting.

# The site's name, and one line about it (pages and feeds show both).
title = "News Archive"
description = ""

# Where the site will be published; its path (/archive/ in
# https://org.github.io/archive/) prefixes every link. `dateline serve` previews
# the site on this machine whatever it is; `dateline publish` refuses this one.
base_url = "http://localhost:8000/"

# The language of every page (BCP 47), and the time zone (IANA name) that dates
# written without an offset are read in.
language = "en"
timezone = "UTC"

# Articles per listing page (home, tag, author, region and date pages).
# per_page = 20

# Newest entries per feed.
# feed_limit = 50

# Front-matter keys whose values become tags.
# tag_keys = ["tags"]

# Article URLs (placeholders: see README.md, "Permalink patterns").
# [permalinks]
# article = "/{year}/{month}/{day}/{slug}/"

# Display names by tag or author slug and by region path.
# [names]
# "middle-east" = "Middle East"
# "us-military" = "US military"

# Story names by story slug (an article joins one with `story: anbar-raids`).
# [stories]
# "anbar-raids" = "Anbar raids"

# The theme's look without copying templates: an accent colour (checked for
# contrast), a line of footer text (inline Markdown); also `logo` and `stylesheet`,
# files under static/.
# [theme]
# accent = "#0b5d3b"
# footer = "Kept by the news desk. [Write to us](mailto:desk@example.org)"

# Links added to the menu after the site's sections; a page of content/pages/ joins
# it with `menu: true` in its front matter.
# [[menu]]
# label = "Newsletter"
# url = "https://example.org/newsletter/"
"""

#: Build products and caches: a site's repository tracks its sources only.
GITIGNORE = "output/\n.dateline-cache/\n.output.staging/\n"

EXAMPLE_TITLE = "Welcome to your news archive"


@dataclass(frozen=True)
class NewSite:
    """What ``init_site`` wrote."""

    folder: Path
    settings: Path
    example: Path
    static: Path
    gitignore: Path


def init_site(folder: Path, now: datetime | None = None) -> NewSite:
    """Make ``folder`` a new site: settings, one example article, ``static/`` and a
    ``.gitignore``. The folder may be missing, empty or hold only ``.git``; anything else is
    refused, so no file of anyone's is ever replaced."""
    if folder.exists() and not folder.is_dir():
        raise DatelineError(f"{folder} is a file; name a new or empty folder")
    if folder.is_dir() and (held := sorted(p.name for p in folder.iterdir() if p.name != ".git")):
        shown = ", ".join(held[:3]) + (", ..." if len(held) > 3 else "")
        raise DatelineError(f"{folder} is not empty ({shown}); name a new or empty folder for the site")
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / SETTINGS_FILE
    settings.write_text(SETTINGS_TEMPLATE, encoding="utf-8")
    gitignore = folder / ".gitignore"
    gitignore.write_text(GITIGNORE, encoding="utf-8")
    static = folder / "static"
    static.mkdir()
    example = new_article(load_config(folder), EXAMPLE_TITLE, "world", ("example",), now)
    return NewSite(folder, settings, example, static, gitignore)


def _one_line(text: str) -> str:
    """``text`` without control characters, its whitespace (line breaks too) single spaces.
    Bytes of a command line that are not UTF-8 (lone surrogates to Python) are dropped: they
    cannot be written to a UTF-8 file."""
    return " ".join(clean_text(text).encode("utf-8", "ignore").decode("utf-8").split())
