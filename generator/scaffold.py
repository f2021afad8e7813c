"""``dateline new``: a new article file with today's date and the front matter filled in."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from generator.config import Config
from generator.content import clean_text
from generator.errors import DatelineError
from generator.slugs import slugify


def new_article(
    config: Config, title: str, region: str = "", tags: tuple[str, ...] = (), now: datetime | None = None
) -> Path:
    """Create ``content/YYYY/slug.md`` and return its path; never overwrites a file."""
    # What the loader would clean away is cleaned here, so the file written reads back as is.
    title, region = _one_line(title), _one_line(region)
    tags = tuple(tag for tag in map(_one_line, tags) if tag)
    if not title:
        raise DatelineError("the title is empty")
    now = (now or datetime.now(config.tz)).astimezone(config.tz).replace(microsecond=0)
    path = config.content_dir / f"{now:%Y}" / f"{slugify(title)}.md"
    if path.exists():
        raise DatelineError(f"{path} already exists; choose another title")
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: {now.isoformat()}",
        f"region: {json.dumps(region, ensure_ascii=False)}",
        f"tags: {json.dumps(list(tags), ensure_ascii=False)}",
        'author: ""',
        'summary: ""',
        "draft: false",
        "---",
        "",
        "Write the article here.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _one_line(text: str) -> str:
    """``text`` without control characters, its whitespace (line breaks too) single spaces.
    Bytes of a command line that are not UTF-8 (lone surrogates to Python) are dropped: they
    cannot be written to a UTF-8 file."""
    return " ".join(clean_text(text).encode("utf-8", "ignore").decode("utf-8").split())
