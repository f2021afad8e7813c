"""Indexing on its own: articles in, the site's tags, region tree, date archive and neighbours out."""

from __future__ import annotations

from pathlib import Path

from support.clock import NOW
from support.site import article

from generator.config import Config
from generator.content.markdown import markdown_renderer
from generator.content.model import Article
from generator.content.parse import parse
from generator.site import taxonomy


def _articles(tmp_path: Path, *texts: str) -> tuple[Config, list[Article]]:
    config = Config(tmp_path)
    renderer = markdown_renderer(config)
    found = []
    for number, text in enumerate(texts):
        made, errors, _ = parse(text.encode(), tmp_path / "content" / f"{number}.md", config, renderer)
        assert made is not None and not errors, errors
        found.append(made)
    return config, found


def test_an_article_counts_in_every_region_above_its_own(tmp_path: Path) -> None:
    config, articles = _articles(
        tmp_path,
        article("Raid", "2024-08-31", region="middle-east/iraq/anbar"),
        article("Vote", "2024-09-01", region="middle-east/iraq"),
    )
    regions = taxonomy.index(articles, config, NOW).regions
    assert {path: len(region.articles) for path, region in regions.items()} == {
        "middle-east": 2,
        "middle-east/iraq": 2,
        "middle-east/iraq/anbar": 1,
    }
    assert regions["middle-east/iraq"].children == ("middle-east/iraq/anbar",)


def test_neighbours_follow_the_order_of_publication(tmp_path: Path) -> None:
    config, articles = _articles(
        tmp_path,
        article("Second", "2024-08-02"),
        article("First", "2024-08-01"),
        article("Third", "2024-08-03"),
    )
    site = taxonomy.index(articles, config, NOW)
    assert [a.title for a in site.articles] == ["Third", "Second", "First"]
    second = site.articles[1]
    assert site.older[second.url].title == "First" and site.newer[second.url].title == "Third"


def test_days_nest_in_months_nest_in_years(tmp_path: Path) -> None:
    config, articles = _articles(tmp_path, article("A", "2023-12-31"), article("B", "2024-01-01"))
    site = taxonomy.index(articles, config, NOW)
    assert [year.name for year in site.years()] == ["2024", "2023"]
    [january] = site.children_of(site.periods[(2024,)])
    assert january.name == "January 2024"
    assert [day.url for day in site.children_of(january)] == ["/2024/01/01/"]


def test_a_tag_written_two_ways_is_one_tag(tmp_path: Path) -> None:
    config, articles = _articles(
        tmp_path, article("A", "2024-08-01", tags="[Floods]"), article("B", "2024-08-02", tags="[floods]")
    )
    site = taxonomy.index(articles, config, NOW)
    assert [(term.slug, len(term.articles)) for term in site.tags.values()] == [("floods", 2)]


def test_an_article_dated_after_the_clock_waits(tmp_path: Path) -> None:
    config, articles = _articles(tmp_path, article("Now", "2025-12-31"), article("Later", "2026-01-02"))
    assert [a.title for a in taxonomy.index(articles, config, NOW).articles] == ["Now"]
