"""Feeds, sitemap and robots.txt, read the way feed readers and crawlers read them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from support.clock import NOW
from support.wire_archive import build_wire_archive, config_for, write_wire_archive

from generator.engine import build, render
from generator.site import feeds, kinds

BASE = "https://news.example/archive/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RAID = BASE + "2024/08/31/forces-raid-desert-hideouts/"
FLOODS = BASE + "2023/05/01/floods-close-the-port/"
ELECTION = BASE + "2022/10/09/voters-return-the-coalition/"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wire_archive(tmp_path_factory.mktemp("feeds"))


def parse_feed(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_site_feed_parses_cleanly_with_every_article_newest_first(out: Path) -> None:
    feed = parse_feed(out / "feed.xml")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == [
        "Forces raid desert hideouts",
        "Floods close the port",
        "Voters return the coalition",
    ]


def test_feed_links_are_absolute_under_the_base_url(out: Path) -> None:
    feed = parse_feed(out / "feed.xml")
    assert feed.feed.link == BASE
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {BASE + "feed.xml"}
    assert [e.link for e in feed.entries] == [RAID, FLOODS, ELECTION]
    assert [e.id for e in feed.entries] == [RAID, FLOODS, ELECTION]


def test_links_inside_feed_content_are_made_absolute(out: Path) -> None:
    content = parse_feed(out / "feed.xml").entries[0].content[0].value
    assert 'href="https://news.example/archive/2024/08/31/maps/anbar/"' in content
    assert 'src="https://news.example/archive/images/convoy.jpg"' in content


def test_feed_dates_come_from_the_articles(out: Path) -> None:
    feed = parse_feed(out / "feed.xml")
    raid = feed.entries[0]
    assert raid.published == "2024-08-31T09:00:00+03:00"
    assert raid.updated == "2024-09-02T12:00:00+03:00"
    assert feed.entries[1].updated == "2023-05-01T08:00:00+02:00"  # never updated: its date
    assert feed.feed.updated == "2024-09-02T12:00:00+03:00"  # the newest article's, not the clock's


def test_feed_entries_carry_author_tags_and_summary(out: Path) -> None:
    raid = parse_feed(out / "feed.xml").entries[0]
    assert raid.author == "Jane Doe"
    assert {tag.term for tag in raid.tags} >= {"isis", "airstrikes", "Anbar"}
    assert raid.summary == "Forces raided hideouts in the Anbar desert."


def test_every_tag_has_a_feed_of_its_own_articles(out: Path) -> None:
    feed = parse_feed(out / "tags" / "floods" / "feed.xml")
    assert [e.link for e in feed.entries] == [FLOODS]
    assert feed.feed.link == BASE + "tags/floods/"


def test_every_region_feed_includes_its_sub_regions(out: Path) -> None:
    europe = parse_feed(out / "regions" / "europe" / "feed.xml")
    assert [e.link for e in europe.entries] == [FLOODS, ELECTION]
    anbar = parse_feed(out / "regions" / "middle-east" / "iraq" / "anbar" / "feed.xml")
    assert [e.link for e in anbar.entries] == [RAID]


def test_feed_limit_keeps_the_newest_entries(tmp_path: Path) -> None:
    out = build_wire_archive(tmp_path, settings="feed_limit = 2\n")
    assert [e.link for e in parse_feed(out / "feed.xml").entries] == [RAID, FLOODS]
    assert len(json.loads((out / "feed.json").read_text())["items"]) == 2


def test_summary_feeds_carry_no_article_bodies(tmp_path: Path) -> None:
    out = build_wire_archive(tmp_path, settings="feed_full_content = false\n")
    raid = parse_feed(out / "feed.xml").entries[0]
    assert "content" not in raid
    assert raid.summary == "Forces raided hideouts in the Anbar desert."
    item = json.loads((out / "feed.json").read_text())["items"][0]
    assert "content_html" not in item
    assert item["content_text"] == "Forces raided hideouts in the Anbar desert."


def test_a_listings_feed_carries_summaries_where_the_sites_carries_whole_articles(tmp_path: Path) -> None:
    out = build_wire_archive(tmp_path)
    assert "content" in parse_feed(out / "feed.xml").entries[0]
    anbar = parse_feed(out / "regions" / "middle-east" / "iraq" / "anbar" / "feed.xml").entries[0]
    assert "content" not in anbar
    assert anbar.summary == "Forces raided hideouts in the Anbar desert."


def test_listings_feeds_may_carry_whole_articles_too(tmp_path: Path) -> None:
    out = build_wire_archive(tmp_path, settings="listing_feeds_full_content = true\n")
    assert "content" in parse_feed(out / "regions" / "middle-east" / "iraq" / "anbar" / "feed.xml").entries[0]


def test_control_characters_in_front_matter_are_stripped_from_feeds(tmp_path: Path) -> None:
    files = {
        "content/a.md": '---\ntitle: "Bell\\x07 and form\\x0cfeed"\ndate: 2024-01-01\n'
        'tags: ["start\\x01stop"]\nsummary: "nul\\0 here"\n---\n\nBody.\n'
    }
    out = build_wire_archive(tmp_path, files)
    etree.parse(str(out / "feed.xml"))  # a control character would make this raise
    entry = parse_feed(out / "feed.xml").entries[0]
    assert entry.title == "Bell and formfeed"
    assert entry.summary == "nul here"
    assert [tag.term for tag in entry.tags] == ["startstop"]


def test_json_feed_is_a_json_feed_1_1_document(out: Path) -> None:
    document = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Wire Archive"
    assert document["home_page_url"] == BASE
    assert document["feed_url"] == BASE + "feed.json"
    items = document["items"]
    assert [item["url"] for item in items] == [RAID, FLOODS, ELECTION]
    raid = items[0]
    assert raid["id"] == RAID
    assert raid["title"] == "Forces raid desert hideouts"
    assert datetime.fromisoformat(raid["date_published"]).isoformat() == "2024-08-31T09:00:00+03:00"
    assert raid["date_modified"] == "2024-09-02T12:00:00+03:00"
    assert raid["authors"] == [{"name": "Jane Doe"}]
    assert raid["tags"] == ["isis", "airstrikes"]
    assert "<strong>hideouts</strong>" in raid["content_html"]


def test_feeds_are_byte_identical_when_rebuilt_later(tmp_path: Path) -> None:
    config = config_for(write_wire_archive(tmp_path))
    build.build(config, now=NOW)
    first = {p: p.read_bytes() for p in config.out_dir.rglob("*") if p.is_file()}
    report = build.build(config, now=NOW + timedelta(days=365))
    assert report.written == 0
    assert {p: p.read_bytes() for p in config.out_dir.rglob("*") if p.is_file()} == first


def test_pages_announce_the_site_feeds(out: Path) -> None:
    page = (out / "index.html").read_text()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Wire Archive" href="/archive/feed.xml">'
        in page
    )
    assert 'type="application/feed+json" title="Wire Archive (JSON Feed)" href="/archive/feed.json"' in page


def test_tag_and_region_pages_announce_their_own_feeds(out: Path) -> None:
    assert 'href="/archive/tags/floods/feed.xml"' in (out / "tags" / "floods" / "index.html").read_text()
    region_page = (out / "regions" / "europe" / "italy" / "index.html").read_text()
    assert 'href="/archive/regions/europe/italy/feed.xml"' in region_page


def sitemap_entries(path: Path) -> dict[str, str]:
    tree = etree.parse(str(path))
    assert tree.getroot().tag == SITEMAP_NS + "urlset"
    entries = {}
    for url in tree.getroot():
        assert url.tag == SITEMAP_NS + "url"
        entries[url.findtext(SITEMAP_NS + "loc")] = url.findtext(SITEMAP_NS + "lastmod")
    return entries


def test_sitemap_lists_every_page_with_its_last_modification(out: Path) -> None:
    entries = sitemap_entries(out / "sitemap.xml")
    pages = {BASE + p.parent.relative_to(out).as_posix() + "/" for p in out.rglob("index.html")}
    assert set(entries) == {page.replace(BASE + "./", BASE) for page in pages}
    assert entries[RAID] == "2024-09-02T12:00:00+03:00"  # updated wins over published
    assert entries[BASE + "tags/floods/"] == "2023-05-01T08:00:00+02:00"  # its newest article
    assert entries[BASE] == "2024-09-02T12:00:00+03:00"
    assert all(datetime.fromisoformat(lastmod) for lastmod in entries.values())


def test_sitemap_leaves_out_the_404_page(out: Path) -> None:
    assert (out / "404.html").is_file()
    assert not [loc for loc in sitemap_entries(out / "sitemap.xml") if "404" in loc]


def test_sitemap_becomes_an_index_past_its_url_limit(tmp_path: Path) -> None:
    config = config_for(write_wire_archive(tmp_path))
    site, planned, _ = build.prepare(config, NOW, build.no_progress)
    html_pages = [page for page in planned if kinds.in_sitemap(page)]
    split = feeds.sitemap(site, html_pages, max_urls=10)
    env = render.environment(config)
    files = {page.url: etree.fromstring(render.render(page, env, site)) for page in split}
    index = files.pop("/sitemap.xml")
    assert index.tag == SITEMAP_NS + "sitemapindex"
    listed = [s.findtext(SITEMAP_NS + "loc") for s in index]
    assert listed == [BASE + url.lstrip("/") for url in files]
    assert all(len(part) <= 10 for part in files.values())
    urls = [u.findtext(SITEMAP_NS + "loc") for part in files.values() for u in part]
    unsplit = sitemap_entries(build_wire_archive(tmp_path / "b") / "sitemap.xml")
    assert len(urls) == len(set(urls)) == len(unsplit)


def test_robots_txt_points_at_the_sitemap(out: Path) -> None:
    robots = (out / "robots.txt").read_text()
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()
