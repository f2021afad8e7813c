"""The Google News sitemap: the articles of the last two days, as Google News reads them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from support.clock import NOW
from support.site import article
from support.wire_archive import config_for, write_wire_archive

from generator.engine import build, render
from generator.site import feeds, kinds

BASE = "https://news.example/archive/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# Written for these tests from the protocol's and Google's documentation.
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "sitemap.xsd")))


def hours_before_now(hours: float) -> str:
    return (NOW - timedelta(hours=hours)).isoformat()


RECENT = {
    "content/fresh.md": article("Fresh story", date=hours_before_now(1)),
    "content/yesterday.md": article("Yesterday's story", date=hours_before_now(47)),
    "content/stale.md": article("Stale story", date=hours_before_now(49)),
    "content/old.md": article("Old story", date="2024-08-31"),
}


def build_news(
    root: Path, files: dict[str, str], settings: str = "", now: datetime = NOW, **overrides
) -> Path:
    config = config_for(write_wire_archive(root, files, settings), **overrides)
    build.build(config, now=now)
    return config.out_dir


def news_sitemap(out: Path) -> etree._Element:
    """The news sitemap, valid against the schemas, parsed."""
    tree = etree.parse(str(out / "news-sitemap.xml"))
    SCHEMA.assertValid(tree)
    return tree.getroot()


def listed(sitemap: etree._Element) -> list[str]:
    return [url.findtext(SITEMAP_NS + "loc") for url in sitemap]


def test_news_sitemap_lists_the_articles_of_the_last_two_days_newest_first(tmp_path: Path) -> None:
    sitemap = news_sitemap(build_news(tmp_path, RECENT))
    assert sitemap.tag == SITEMAP_NS + "urlset"
    assert listed(sitemap) == [BASE + "2025/12/31/fresh-story/", BASE + "2025/12/30/yesterdays-story/"]


def test_news_entries_name_the_publication_its_language_the_date_and_the_title(tmp_path: Path) -> None:
    sitemap = news_sitemap(build_news(tmp_path, RECENT, settings='language = "en-GB"\n'))
    news = sitemap[0].find(NEWS_NS + "news")
    publication = news.find(NEWS_NS + "publication")
    assert publication.findtext(NEWS_NS + "name") == "Wire Archive"
    assert publication.findtext(NEWS_NS + "language") == "en"
    assert news.findtext(NEWS_NS + "publication_date") == "2025-12-31T23:00:00+00:00"
    assert news.findtext(NEWS_NS + "title") == "Fresh story"


def test_news_titles_and_publication_name_are_escaped(tmp_path: Path) -> None:
    site = write_wire_archive(
        tmp_path, {"content/a.md": article('"Raids & <arrests> in \\"Anbar\\""', date=hours_before_now(2))}
    )
    settings = site / "site.toml"
    settings.write_text(settings.read_text().replace('"Wire Archive"', '"Wire & <Co>"'), encoding="utf-8")
    config = config_for(site)
    build.build(config, now=NOW)
    news = news_sitemap(config.out_dir)[0].find(NEWS_NS + "news")
    assert news.findtext(NEWS_NS + "title") == 'Raids & <arrests> in "Anbar"'
    assert news.findtext(f"{NEWS_NS}publication/{NEWS_NS}name") == "Wire & <Co>"


@pytest.mark.parametrize("drafts", [False, True], ids=["build", "build-with-drafts"])
def test_drafts_future_expired_and_redirecting_articles_are_never_news(tmp_path: Path, drafts: bool) -> None:
    files = {
        "content/kept.md": article("Kept", date=hours_before_now(3)),
        "content/draft.md": article("Draft", date=hours_before_now(3), draft="true"),
        "content/future.md": article("Future", date=hours_before_now(-3)),
        "content/expired.md": article("Expired", date=hours_before_now(3), expirydate=hours_before_now(1)),
        "content/moved.md": article(
            "Moved", date=hours_before_now(3), redirect_to="https://elsewhere.example/"
        ),
    }
    out = build_news(tmp_path, files, drafts=drafts)
    assert listed(news_sitemap(out)) == [BASE + "2025/12/31/kept/"]


def test_an_archive_without_recent_articles_has_an_empty_news_sitemap(tmp_path: Path) -> None:
    sitemap = news_sitemap(build_news(tmp_path, {"content/old.md": RECENT["content/old.md"]}))
    assert sitemap.tag == SITEMAP_NS + "urlset"
    assert listed(sitemap) == []


def test_news_sitemap_keeps_the_newest_thousand_articles(tmp_path: Path) -> None:
    files = {
        f"content/{n:04d}.md": article(f"Story {n}", date=hours_before_now(1 + n / 60)) for n in range(1001)
    }
    config = config_for(write_wire_archive(tmp_path, files))
    site, planned, _ = build.prepare(config, NOW, build.no_progress)
    [page] = [p for p in planned if p.url == feeds.NEWS_SITEMAP_URL]
    sitemap = etree.fromstring(render.render(page, render.environment(config), site))
    SCHEMA.assertValid(sitemap)
    titles = [url.findtext(f"{NEWS_NS}news/{NEWS_NS}title") for url in sitemap]
    assert titles == [f"Story {n}" for n in range(1000)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("pt_BR", "pt"),
        ("ast", "ast"),
        ("zh", "zh"),
        ("zh-CN", "zh-cn"),
        ("zh-Hans", "zh-cn"),
        ("zh-SG", "zh-cn"),
        ("zh-TW", "zh-tw"),
        ("zh-HK", "zh-tw"),
        ("zh-Hant-CN", "zh-tw"),
        ("zh-Hans-HK", "zh-cn"),
    ],
)
def test_news_language_is_the_iso_639_code_with_chinese_scripts_told_apart(
    language: str, expected: str
) -> None:
    assert feeds.news_language(language) == expected


def test_robots_txt_points_at_the_news_sitemap(tmp_path: Path) -> None:
    robots = (build_news(tmp_path, RECENT) / "robots.txt").read_text()
    assert f"Sitemap: {BASE}news-sitemap.xml" in robots.splitlines()


def test_a_sitemap_index_names_the_news_sitemap_without_a_date(tmp_path: Path) -> None:
    config = config_for(write_wire_archive(tmp_path, RECENT))
    site, planned, _ = build.prepare(config, NOW, build.no_progress)
    html_pages = [page for page in planned if kinds.in_sitemap(page)]
    planned_feeds = feeds.plan(site, html_pages, [], sitemap_max_urls=5)  # no listing feeds: the sitemaps
    [index_page] = [p for p in planned_feeds if p.url == "/sitemap.xml"]
    index = etree.fromstring(render.render(index_page, render.environment(config), site))
    assert index.tag == SITEMAP_NS + "sitemapindex"
    *parts, news = index
    assert parts and all(part.findtext(SITEMAP_NS + "lastmod") for part in parts)
    assert news.findtext(SITEMAP_NS + "loc") == BASE + "news-sitemap.xml"
    assert news.find(SITEMAP_NS + "lastmod") is None
