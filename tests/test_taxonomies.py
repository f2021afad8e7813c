"""Taxonomies of a site's own (``[taxonomies]``): desks, sections, beats, each an index of its
names with a listing and a feed per name, from the settings alone."""

from __future__ import annotations

from pathlib import Path

import feedparser
from support.site import article, build_errors, build_site, links, page, write_site
from test_incremental import assert_same_as_cold, incremental_build

DESKS = "[taxonomies.desks]\n"


def _desk_site(root: Path, settings: str = DESKS) -> Path:
    return write_site(
        root,
        {
            "site.toml": settings,
            "content/council.md": article("Council votes", "2024-08-29", desk="Metro"),
            "content/budget.md": article("Budget passes", "2024-08-30", desk="Metro", tags="[budget]"),
            "content/final.md": article("Cup final", "2024-08-31", desk="Sport"),
            "content/untold.md": article("No desk", "2024-09-01"),
        },
    )


def test_a_taxonomy_of_the_settings_gets_an_index_and_a_listing_per_name(tmp_path: Path) -> None:
    site = _desk_site(tmp_path)
    build_site(site, search=False)
    index = page(site, "/desks/")
    assert index.xpath("//h1")[0].text_content().strip() == "Desks"
    assert {"/desks/metro/", "/desks/sport/"} <= set(links(index))
    metro = page(site, "/desks/metro/")
    assert metro.xpath("//p[@class='kicker']")[0].text_content() == "Desk"
    assert [a.text_content() for a in metro.xpath("//main//article//h3/a")] == [
        "Budget passes",
        "Council votes",
    ]


def test_each_name_of_a_taxonomy_has_its_feed(tmp_path: Path) -> None:
    site = _desk_site(tmp_path)
    build_site(site, search=False)
    feed = feedparser.parse((site / "output/desks/metro/feed.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == ["Budget passes", "Council votes"]
    assert page(site, "/desks/metro/").xpath("//link[@type='application/atom+xml']/@href")[-1] == (
        "/desks/metro/feed.xml"
    )


def test_the_menu_links_a_taxonomy_before_search_unless_told_not_to(tmp_path: Path) -> None:
    site = _desk_site(tmp_path)
    build_site(site)
    menu = page(site, "/").xpath("//nav[@class='site-nav']//a/text()")
    assert menu[-2:] == ["Desks", "Search"]
    (site / "site.toml").write_text("[taxonomies.desks]\nmenu = false\n")
    build_site(site)
    assert "Desks" not in page(site, "/").xpath("//nav[@class='site-nav']//a/text()")


def test_an_article_page_links_its_names_with_its_tags(tmp_path: Path) -> None:
    site = _desk_site(tmp_path)
    build_site(site, search=False)
    filed = page(site, "/2024/08/30/budget-passes/").xpath("//ul[@class='tags']//a/@href")
    assert filed == ["/desks/metro/", "/tags/budget/"]


def test_keys_url_title_and_label_are_the_sites_to_choose(tmp_path: Path) -> None:
    settings = '[taxonomies.beats]\nkeys = ["beat", "beats"]\nurl = "/on/{slug}/"\ntitle = "Our beats"\nlabel = "Beat"\n'
    write_site(
        tmp_path,
        {"site.toml": settings, "content/a.md": article("Trial opens", beats="[Courts, City Hall]")},
    )
    build_site(tmp_path, search=False)
    assert page(tmp_path, "/on/").xpath("//h1")[0].text_content().strip() == "Our beats"
    assert page(tmp_path, "/on/city-hall/").xpath("//p[@class='kicker']")[0].text_content() == "Beat"


def test_a_taxonomy_is_under_each_languages_prefix(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "site.toml": DESKS,
            "content/a.md": article("Council votes", desk="Metro"),
            "content/de/a.md": article("Rat stimmt ab", desk="Stadt"),
        },
    )
    build_site(tmp_path, search=False)
    assert links(page(tmp_path, "/de/desks/")) and (tmp_path / "output/de/desks/stadt/feed.xml").is_file()
    assert not (tmp_path / "output/desks/stadt").exists()


def test_a_taxonomy_named_as_a_section_of_the_site_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": "title = 'x'\n\n[taxonomies.tags]\n", "content/a.md": article("A")})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/site.toml:3: taxonomy 'tags' is a section of the site already"
    ]


def test_a_taxonomy_url_without_its_slug_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": '[taxonomies.desks]\nurl = "/desks/"\n', "content/a.md": article("A")})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/site.toml:1: [taxonomies.desks] 'url' must contain {{slug}} or {{path}}"
    ]


def test_a_page_is_filed_under_no_taxonomy(tmp_path: Path) -> None:
    write_site(
        tmp_path, {"site.toml": DESKS, "content/pages/about.md": "---\ntitle: About\ndesk: Metro\n---\nUs.\n"}
    )
    report = build_site(tmp_path, search=False)
    assert "'desk' is left out: a page is in no listing" in [w.message for w in report.warnings]


def test_refiling_an_article_builds_what_a_cold_build_does(tmp_path: Path) -> None:
    site = _desk_site(tmp_path / "site", "search = false\n" + DESKS)
    build_site(site)
    (site / "content/final.md").write_text(article("Cup final", "2024-08-31", desk="Metro"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert not (site / "output/desks/sport").exists()
