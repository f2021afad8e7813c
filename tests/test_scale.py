"""Scale: a tag with 50,000 articles and a 10 MB article paginate and build correctly."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import article, build_site, page, write_site

from generator import pages, render
from generator.config import Config
from generator.content import Article
from generator.taxonomy import index

COUNT = 50_000


def synthetic(number: int) -> Article:
    when = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(hours=number)
    slug = f"story-{number}"
    return Article(
        source=Path(f"content/{slug}.md"), title=f"Story {number}", date=when, day=when.date(), updated=None,
        slug=slug, url=f"/{when:%Y/%m/%d}/{slug}/", regions=("europe/france",), tags=("elections",),
        authors=(), summary="", body_html="", toc_html="", word_count=0, draft=False,
    )  # fmt: skip


def test_a_tag_with_50000_articles_paginates_completely_and_in_order(tmp_path: Path):
    config = Config(tmp_path, per_page=25)
    site = index([synthetic(n) for n in range(COUNT)], config, now=datetime(2030, 1, 1, tzinfo=UTC))
    tag_pages = [p for p in pages.plan(site) if p.kind == "tag"]
    assert len(tag_pages) == math.ceil(COUNT / 25)
    listed = [a.url for p in tag_pages for a in p.context["pagination"].articles]
    assert listed == [a.url for a in site.articles]  # each once, newest first
    assert tag_pages[-1].url == f"/tags/elections/page/{len(tag_pages)}/"
    env = render.environment(config)
    last = render.render(tag_pages[-1], env, site).decode()
    assert "Story 0<" in last and f"Page {len(tag_pages)} of {len(tag_pages)}" in last
    assert 'rel="next"' not in last


def test_a_10_mb_article_builds(tmp_path: Path):
    paragraph = "The ministry said officials had been suspended pending the outcome of an inquiry. " * 10
    body = "\n\n".join([paragraph] * (10_000_000 // len(paragraph)))
    write_site(tmp_path, {"content/long.md": article("Long read", body=body)})
    build_site(tmp_path)
    text = (tmp_path / "output/2024/08/31/long-read/index.html").read_text()
    assert len(text) > 10_000_000
    assert page(tmp_path, "/").findtext(".//main//h3/a") == "Long read"
