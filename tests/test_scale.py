"""Scale: 100,000 articles, a tag with 50,000 of them and a 10 MB article build correctly."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.clock import NOW
from support.paths import GEN_CORPUS
from support.site import article, build_site, page, write_site

from generator.config import Config
from generator.content.model import Article, Body
from generator.content.parse import MAX_ARTICLE_BYTES
from generator.engine import render
from generator.site import kinds
from generator.site.taxonomy import index

COUNT = 50_000


def synthetic(number: int) -> Article:
    when = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(hours=number)
    slug = f"story-{number}"
    return Article(
        source=Path(f"content/{slug}.md"), title=f"Story {number}", date=when, day=when.date(), updated=None,
        slug=slug, url=f"/{when:%Y/%m/%d}/{slug}/", regions=("europe/france",), tags=("elections",),
        authors=(), summary="", body=Body(), word_count=0, draft=False,
    )  # fmt: skip


def test_a_tag_with_50000_articles_paginates_completely_and_in_order(tmp_path: Path):
    config = Config(tmp_path, per_page=25)
    site = index([synthetic(n) for n in range(COUNT)], config, now=NOW)
    tag_pages = [p for p in kinds.plan(site) if p.kind == "tag"]
    assert len(tag_pages) == math.ceil(COUNT / 25)
    listed = [a.url for p in tag_pages for a in p.context["pagination"].articles]
    assert listed == [a.url for a in site.articles]  # each once, newest first
    assert tag_pages[-1].url == "/tags/elections/page/1/"  # numbered from the oldest
    env = render.environment(config)
    oldest = render.render(tag_pages[-1], env, site).decode()
    assert "Story 0<" in oldest and "Page 1<" in oldest
    assert 'rel="prev"' not in oldest


def test_an_article_of_the_largest_size_allowed_builds(tmp_path: Path):
    paragraph = "The ministry said officials had been suspended pending the outcome of an inquiry. " * 10
    body = "\n\n".join([paragraph] * ((MAX_ARTICLE_BYTES - 100) // (len(paragraph) + 2)))
    write_site(tmp_path, {"content/long.md": article("Long read", body=body)})
    build_site(tmp_path)
    text = (tmp_path / "output/2024/08/31/long-read/index.html").read_text()
    assert len(text) > MAX_ARTICLE_BYTES * 0.95
    assert page(tmp_path, "/").findtext(".//main//h3/a") == "Long read"


HUGE = 100_000


def _build(site: Path) -> tuple[float, int, str]:
    """Build ``site`` in a process of its own: wall seconds, its peak resident memory (MB) and
    its output."""
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--no-search"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output
    return time.perf_counter() - started, usage.ru_maxrss // 1024, output


def test_a_100000_article_archive_builds_and_rebuilds_in_bounded_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(GEN_CORPUS), str(site / "content"), str(HUGE)], check=True)
    (site / "site.toml").write_text('title = "Wire Archive"\nbase_url = "https://example.org/"\n')

    cold, cold_mb, output = _build(site)
    assert f"Built {HUGE} articles" in output
    articles = list((site / "content").rglob("*.md"))
    built = sum(1 for _ in (site / "output").rglob("index.html"))
    assert built > HUGE  # every article's page, and the listings
    chosen = sorted(articles)[HUGE // 2]
    time.sleep(2.1)  # past the racy-timestamp window, so the next build trusts size and mtime

    unchanged, _, output = _build(site)
    assert "(0 written, 0 removed)" in output
    with chosen.open("a", encoding="utf-8") as file:
        file.write("\nA paragraph added at the scale of a whole archive.\n")
    before_edit = time.time_ns()
    edited, edit_mb, output = _build(site)
    written = int(re.search(r"\((\d+) written", output)[1])
    rewritten = [
        os.path.join(folder, name)
        for folder, _, names in os.walk(site / "output")
        for name in names
        if os.stat(os.path.join(folder, name)).st_mtime_ns >= before_edit
    ]
    assert 1 <= written == len(rewritten) <= 20, output
    assert any("added at the scale" in Path(path).read_text() for path in rewritten)

    with capsys.disabled():  # the figures belong in the suite's log
        print(
            f"\n{HUGE:,} articles: cold build {cold:.0f} s, peak {cold_mb} MB; no change {unchanged:.1f} s; "
            f"one-article edit {edited:.1f} s ({written} files written), peak {edit_mb} MB"
        )
    # Rendered pages are never all held at once: what grows is the articles' own data.
    assert cold_mb < 2048 and edit_mb < 2048


def _output_of(count: int, key: str, site: Path) -> tuple[int, int, int]:
    """Build one article with ``count`` names under ``key``, then a second article under the
    first name: the whole output's bytes, and those of the first name's page and feed."""
    names = ", ".join(f"name{n}" for n in range(count))
    write_site(site, {"content/a.md": article("Many names", **{key: f"[{names}]"})})
    build_site(site, search=False)
    out = site / "output"
    folder = out / ("tags" if key == "tags" else "regions") / "name0"
    total = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    return total, (folder / "index.html").stat().st_size, (folder / "feed.xml").stat().st_size


@pytest.mark.parametrize("key", ["tags", "regions"])
def test_output_grows_linearly_with_the_names_on_one_article(tmp_path: Path, key: str):
    # The article is listed on the page and in the feed of each of its names: were each to
    # name all the others, 10,000 tags would make 13 GB.
    small_total, small_page, small_feed = _output_of(100, key, tmp_path / "small")
    large_total, large_page, large_feed = _output_of(1000, key, tmp_path / "large")
    assert large_page - small_page <= 8  # "and 90 more" becomes "and 990 more"
    assert large_feed == small_feed
    assert large_total < 12 * small_total  # ten times the names, about ten times the bytes
