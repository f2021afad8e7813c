"""Links written in articles from the site root work when the site lives under a sub-path."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from support.site import build_site, page, write_site

from generator.check import check
from generator.config import load_config

LINKING = """---
title: Links
date: 2024-03-01T09:00:00+00:00
---

Read [the port story](/2024/03/01/port/) and [the tags](/tags/#p "with src=/x"),
see ![the map](/images/map.svg), <a href="/regions/">raw HTML</a>, [a section](#top),
[elsewhere](https://example.com/x), [a CDN](//cdn.example.com/a.js) and [relative](../).

    <a href="/in-code/">code samples stay as written</a>
"""


def linking_page(root: Path, base_url: str) -> lxml.html.HtmlElement:
    """The LINKING article's page, built beside the port story it links to under ``base_url``."""
    port = "---\ntitle: Port\ndate: 2024-03-01T08:00:00+00:00\nslug: port\n---\nThe port.\n"
    write_site(
        root, {"content/links.md": LINKING, "content/port.md": port, "static/images/map.svg": "<svg/>"}
    )
    build_site(root, base_url=base_url)
    return page(root, "/2024/03/01/links/")


def body_links(page: lxml.html.HtmlElement) -> list[str]:
    return [e.get("href") or e.get("src") for e in page.xpath("//main//*[@href or @src]")]


def test_root_relative_article_links_get_the_base_path(tmp_path: Path) -> None:
    links = body_links(linking_page(tmp_path, "https://example.github.io/archive/"))
    assert "/archive/2024/03/01/port/" in links
    assert "/archive/tags/#p" in links
    assert "/archive/images/map.svg" in links
    assert "/archive/regions/" in links  # raw HTML too


def test_other_links_in_articles_are_left_alone(tmp_path: Path) -> None:
    links = body_links(linking_page(tmp_path, "https://example.github.io/archive/"))
    assert {"#top", "https://example.com/x", "//cdn.example.com/a.js", "../"} <= set(links)


def test_code_samples_and_titles_are_not_rewritten(tmp_path: Path) -> None:
    page = linking_page(tmp_path, "https://example.github.io/archive/")
    assert '<a href="/in-code/">' in page.xpath("string(//pre)")
    assert page.xpath("//a[@title]/@title") == ["with src=/x"]


def test_links_are_unchanged_on_a_site_at_the_domain_root(tmp_path: Path) -> None:
    links = body_links(linking_page(tmp_path, "https://news.example.com/"))
    assert {"/2024/03/01/port/", "/images/map.svg", "/regions/"} <= set(links)


def test_check_finds_no_broken_link_under_a_sub_path(tmp_path: Path) -> None:
    linking_page(tmp_path, "https://example.github.io/archive/")
    links = tmp_path / "content" / "links.md"  # check reads code samples as links; drop them
    links.write_text(LINKING.split("    <a")[0])
    report = check(load_config(tmp_path, base_url="https://example.github.io/archive/"))
    assert report.articles == 2
