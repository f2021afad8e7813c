"""The default theme's pages: what a reader sees on each page kind, and how it is marked up."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from lxml import html
from support.site import article, build_site, page, write_site

SVG = ""  # lxml.html parses inline SVG as plain elements, without a namespace


def text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("theme")
    write_site(
        root,
        {
            "site.toml": 'title = "The Record"\nlanguage = "en-GB"\nbase_url = "https://example.org/news/"\n',
            "content/a.md": article(
                "Raid in Anbar",
                date="2023-03-10T09:00:00+03:00",
                region="middle-east/iraq/anbar",
                tags="[isis, airstrikes]",
                author="Ana Mensah",
                summary="Forces raided hideouts.",
                body="word " * 700,
            ),
            "content/b.md": article(
                "Figures revised",
                date="2024-08-31T09:00:00+03:00",
                updated="2024-09-02T10:00:00+03:00",
                correction='"An earlier version misstated the number injured."',
                region="middle-east/iraq/anbar",
                tags="[isis]",
                author="[Ana Mensah, James Rossi]",
                summary="The ministry revised its figures.",
            ),
            "content/c.md": article(
                "Talks in Damascus", date="2024-09-05", region="middle-east/syria", tags="[diplomacy]"
            ),
        },
    )
    build_site(root)
    return root


def test_the_page_language_comes_from_the_settings(site):
    assert page(site, "/").get("lang") == "en-GB"


def test_every_page_has_a_skip_link_to_main_and_the_page_landmarks(site):
    for url in ("/", "/2024/08/31/figures-revised/", "/archive/", "/regions/", "/tags/", "/404.html"):
        tree = page(site, url)
        skip = tree.xpath("//body/a[1]")[0]
        assert skip.get("href") == "#main" and tree.xpath("//main/@id") == ["main"], url
        assert (
            tree.xpath("//body/header") and tree.xpath("//body/footer") and tree.xpath("//nav[@aria-label]")
        )


def test_every_page_has_one_h1_and_never_skips_a_heading_level(site):
    for path in (site / "output").rglob("*.html"):
        levels = [int(h.tag[1]) for h in html.fromstring(path.read_bytes()).iter("h1", "h2", "h3", "h4")]
        assert levels.count(1) == 1 and levels[0] == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (path, levels)


def test_pages_load_no_script_and_nothing_from_another_host(site):
    for path in (site / "output").rglob("*.html"):
        if path.parent.name == "search":
            continue  # searching is the one feature that needs script (the page says so without it)
        tree = html.fromstring(path.read_bytes())
        assert not tree.xpath("//script[not(@type='application/ld+json')]"), path  # JSON-LD is data
        for url in tree.xpath("//link[@rel!='canonical']/@href | //img/@src | //iframe/@src"):
            assert url.startswith("/news/"), (path, url)


def test_the_stylesheet_stays_small_over_the_wire(site):
    # What a reader downloads (GitHub Pages serves it compressed): scripts' type and the
    # mirrored layout of right-to-left pages are in it too.
    assert len(gzip.compress((site / "output" / "static" / "style.css").read_bytes())) < 6_000


def test_an_article_has_a_dateline_with_its_region_and_date(site):
    dateline = page(site, "/2024/08/31/figures-revised/").find_class("dateline")[0]
    assert text(dateline) == "Anbar — 31 August 2024"
    assert dateline.find(".//time").get("datetime") == "2024-08-31T09:00:00+03:00"


def test_an_article_has_a_byline_and_reading_time(site):
    assert (
        text(page(site, "/2023/03/10/raid-in-anbar/").find_class("byline")[0]) == "By Ana Mensah · 3 min read"
    )
    byline = text(page(site, "/2024/08/31/figures-revised/").find_class("byline")[0])
    assert byline == "By Ana Mensah and James Rossi · 1 min read"


def test_an_updated_article_says_when_and_shows_its_correction(site):
    notice = page(site, "/2024/08/31/figures-revised/").find_class("notice")[0]
    assert "Updated 2 September 2024" in text(notice)
    assert "Corrections 2 September 2024 An earlier version misstated the number injured." in text(notice)


def test_an_article_never_updated_has_no_notice(site):
    assert not page(site, "/2023/03/10/raid-in-anbar/").find_class("notice")


def test_an_article_has_its_region_breadcrumb_and_tags(site):
    tree = page(site, "/2024/08/31/figures-revised/")
    crumbs = tree.xpath("//nav[@aria-label='Region']//a")
    assert [text(a) for a in crumbs] == ["Regions", "Middle East", "Iraq", "Anbar"]
    assert crumbs[-1].get("href") == "/news/regions/middle-east/iraq/anbar/"
    assert [text(a) for a in tree.find_class("article-footer")[0].iter("a")] == ["isis"]


def test_an_article_links_to_the_previous_and_next_articles_by_title(site):
    nav = page(site, "/2024/08/31/figures-revised/").xpath("//nav[@aria-label='Previous and next articles']")[
        0
    ]
    assert [(a.get("rel"), text(a)) for a in nav.iter("a")] == [
        ("prev", "Previous article Raid in Anbar"),
        ("next", "Next article Talks in Damascus"),
    ]


def test_an_article_lists_related_articles(site):
    related = page(site, "/2024/08/31/figures-revised/").get_element_by_id("related-heading").getparent()
    assert "Raid in Anbar" in [text(h) for h in related.find_class("listing-title")]


def test_every_listing_shows_date_region_and_summary(site):
    for url in ("/", "/tags/isis/", "/regions/middle-east/", "/2024/"):
        items = page(site, url).find_class("listing-item")
        assert items, url
        for item in items:
            assert item.find(".//time") is not None and item.find_class("dateline-region"), url
        summaries = [text(s) for s in page(site, url).find_class("summary")]
        assert "The ministry revised its figures." in summaries, url


def test_the_archive_shows_a_timeline_with_a_linked_bar_per_year(site):
    chart = page(site, "/archive/").find(f".//{SVG}svg")
    links = chart.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == ["/news/2023/", "/news/2024/"]
    assert [a.findtext(f"{SVG}title") for a in links] == ["2023: 1 article", "2024: 2 articles"]


def test_a_year_page_shows_a_timeline_of_its_twelve_months(site):
    chart = page(site, "/2024/").find(f".//{SVG}svg")
    assert chart.get("aria-label") == "Articles per month in 2024"
    assert len(chart.xpath(".//text[starts-with(@class, 'label')]")) == 12
    assert [a.get("href") for a in chart.findall(f"{SVG}a")] == ["/news/2024/08/", "/news/2024/09/"]


def test_a_region_page_lists_its_sub_regions_with_counts(site):
    places = page(site, "/regions/middle-east/").get_element_by_id("subregions-heading").getparent()
    # Seen as a badge, heard as words: the badge's number is hidden from screen readers.
    assert [text(a) for a in places.iter("a")] == ["Iraq2 (2 articles)", "Syria1 (1 article)"]
    hidden = [n.xpath(".//*[@aria-hidden='true']")[0].text for n in places.find_class("n")]
    assert hidden == ["2", "1"]


def test_the_tags_page_lists_tags_with_counts(site):
    counts = {
        re.sub(r"\d* \(.*", "", text(a)): text(a)
        for a in page(site, "/tags/").find_class("counts")[0].iter("a")
    }
    assert counts == {"airstrikes": "airstrikes1 (1 article)", "diplomacy": "diplomacy1 (1 article)",
                      "isis": "isis2 (2 articles)"}  # fmt: skip


def test_the_current_section_is_marked_in_the_navigation(site):
    current = page(site, "/regions/middle-east/").xpath(
        "//nav[@aria-label='Sections']//a[@aria-current='page']"
    )
    assert [text(a) for a in current] == ["Regions"]


def test_an_empty_archive_builds_without_a_timeline(tmp_path):
    write_site(tmp_path, {"site.toml": 'title = "Nothing yet"\n'})
    (tmp_path / "content").mkdir()
    build_site(tmp_path)
    tree = page(tmp_path, "/archive/")
    assert tree.find(".//svg") is None and text(tree.find_class("count")[0]) == "0 articles"
    assert not page(tmp_path, "/").find_class("explore")


def test_an_article_without_a_region_has_a_dateline_of_its_date_alone(tmp_path):
    write_site(tmp_path, {"content/a.md": article("Nowhere in particular", date="2024-01-02")})
    build_site(tmp_path)
    tree = page(tmp_path, "/2024/01/02/nowhere-in-particular/")
    assert text(tree.find_class("dateline")[0]) == "2 January 2024"
    assert not tree.xpath("//nav[@aria-label='Region']")


def _many_names_site(root: Path) -> Path:
    tags = ", ".join(f"tag{n}" for n in range(25))
    regions = ", ".join(f"place{n}" for n in range(12))
    write_site(root, {"content/a.md": article("Many names", tags=f"[{tags}]", regions=f"[{regions}]")})
    build_site(root, search=False)
    return root


def test_a_listing_names_an_articles_first_ten_tags_and_regions_and_counts_the_rest(tmp_path):
    card = page(_many_names_site(tmp_path), "/tags/tag20/").find_class("listing-item")[0]
    assert [text(a) for a in card.find_class("tags")[0].iter("a")] == [f"tag{n}" for n in range(10)]
    assert text(card.find_class("more")[0]) == "and 15 more"
    dateline = text(card.find_class("dateline")[0])
    assert dateline == ", ".join(f"Place{n}" for n in range(10)) + " and 2 more — 31 August 2024"


def test_an_article_page_names_all_its_tags_and_regions(tmp_path):
    tree = page(_many_names_site(tmp_path), "/2024/08/31/many-names/")
    assert [text(a) for a in tree.find_class("article-footer")[0].iter("a")] == [f"tag{n}" for n in range(25)]
    assert len(tree.find_class("dateline")[0].find_class("dateline-region")) == 12
