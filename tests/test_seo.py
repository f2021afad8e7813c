"""What search engines and link previews read from article pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html
from support.wire_archive import build_wire_archive

BASE = "https://news.example/archive/"
RAID = "2024/08/31/forces-raid-desert-hideouts/"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wire_archive(tmp_path_factory.mktemp("seo"), settings='[extra]\ntwitter = "@wire"\n')


def head_of(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes()).find("head")


def meta(head: html.HtmlElement, key: str) -> list[str]:
    return [m.get("content") for m in head.iter("meta") if key in (m.get("property"), m.get("name"))]


def news_article(out: Path) -> dict:
    scripts = head_of(out / RAID / "index.html").xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_article_json_ld_is_a_news_article_naming_the_article(out: Path) -> None:
    data = news_article(out)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Forces raid desert hideouts"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == BASE + RAID


def test_article_json_ld_dates_and_author(out: Path) -> None:
    data = news_article(out)
    assert data["datePublished"] == "2024-08-31T09:00:00+03:00"
    assert data["dateModified"] == "2024-09-02T12:00:00+03:00"
    assert data["author"] == [{"@type": "Person", "name": "Jane Doe", "url": BASE + "authors/jane-doe/"}]
    assert data["publisher"]["name"] == "Wire Archive"


def test_article_json_ld_says_where_the_story_was_filed(out: Path) -> None:
    data = news_article(out)
    assert data["dateline"] == "Anbar, Iraq"
    place = data["contentLocation"]
    assert place["name"] == "Anbar"
    assert place["containedInPlace"]["name"] == "Iraq"
    assert place["containedInPlace"]["containedInPlace"] == {"@type": "Place", "name": "Middle East"}


def test_unsigned_article_is_credited_to_the_publication(out: Path) -> None:
    scripts = head_of(out / "2022/10/09/voters-return-the-coalition/index.html").xpath(
        '//script[@type="application/ld+json"]'
    )
    assert json.loads(scripts[0].text)["author"] == {"@type": "Organization", "name": "Wire Archive"}


def test_json_ld_cannot_close_its_script_element(tmp_path: Path) -> None:
    files = {"content/a.md": '---\ntitle: "</script><script>alert(1)</script>"\ndate: 2024-01-01\n---\n\nx\n'}
    out = build_wire_archive(tmp_path, files)
    page = next(out.glob("2024/01/01/*/index.html")).read_text()
    assert "<script>alert(1)" not in page
    scripts = html.fromstring(page).xpath('//script[@type="application/ld+json"]')
    assert json.loads(scripts[0].text)["headline"] == "</script><script>alert(1)</script>"


def test_every_page_has_an_absolute_canonical_url(out: Path) -> None:
    for path, url in [(RAID, BASE + RAID), ("tags/floods/", BASE + "tags/floods/"), ("", BASE)]:
        links = head_of(out / path / "index.html").xpath('//link[@rel="canonical"]/@href')
        assert links == [url]


def test_article_has_open_graph_tags(out: Path) -> None:
    head = head_of(out / RAID / "index.html")
    assert meta(head, "og:type") == ["article"]
    assert meta(head, "og:title") == ["Forces raid desert hideouts"]
    assert meta(head, "og:url") == [BASE + RAID]
    assert meta(head, "og:description") == ["Forces raided hideouts in the Anbar desert."]
    assert meta(head, "og:site_name") == ["Wire Archive"]
    assert meta(head, "article:published_time") == ["2024-08-31T09:00:00+03:00"]
    assert meta(head, "article:tag") == ["isis", "airstrikes"]


def test_article_has_twitter_card_tags(out: Path) -> None:
    head = head_of(out / RAID / "index.html")
    assert meta(head, "twitter:card") == ["summary"]
    assert meta(head, "twitter:title") == ["Forces raid desert hideouts"]
    assert meta(head, "twitter:site") == ["@wire"]


def test_article_image_becomes_a_large_preview(tmp_path: Path) -> None:
    files = {"content/a.md": "---\ntitle: Flood\ndate: 2024-01-01\nimage: /images/flood.jpg\n---\n\nx\n"}
    out = build_wire_archive(tmp_path, files)
    head = head_of(next(out.glob("2024/01/01/*/index.html")))
    assert meta(head, "og:image") == [BASE + "images/flood.jpg"]
    assert meta(head, "twitter:card") == ["summary_large_image"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("https://cdn.example.com/p.jpg", "https://cdn.example.com/p.jpg"),
        ("http://cdn.example.com/p.jpg?w=1200&h=630", "http://cdn.example.com/p.jpg?w=1200&h=630"),
        ("//cdn.example.com/p.jpg", "https://cdn.example.com/p.jpg"),
    ],
    ids=["absolute", "absolute with a query", "protocol-relative"],
)
def test_article_image_on_another_host_keeps_its_url(tmp_path: Path, written: str, expected: str) -> None:
    files = {"content/a.md": f'---\ntitle: Flood\ndate: 2024-01-01\nimage: "{written}"\n---\n\nx\n'}
    out = build_wire_archive(tmp_path, files)
    page = next(out.glob("2024/01/01/*/index.html"))
    assert meta(head_of(page), "og:image") == [expected]
    scripts = head_of(page).xpath('//script[@type="application/ld+json"]')
    assert json.loads(scripts[0].text)["image"] == [expected]


def test_site_image_on_another_host_keeps_its_url(tmp_path: Path) -> None:
    out = build_wire_archive(tmp_path, settings='[extra]\nimage = "https://cdn.example.com/site.png"\n')
    assert meta(head_of(out / "index.html"), "og:image") == ["https://cdn.example.com/site.png"]


def test_listing_pages_are_websites_not_articles(out: Path) -> None:
    head = head_of(out / "tags" / "floods" / "index.html")
    assert meta(head, "og:type") == ["website"]
    assert head.xpath('//script[@type="application/ld+json"]') == []


def test_404_page_asks_not_to_be_indexed(out: Path) -> None:
    assert meta(head_of(out / "404.html"), "robots") == ["noindex"]
