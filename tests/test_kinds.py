"""The page-kind table: index URLs from the settings, the menu, feeds and the sitemap read it,
and the default theme shows only what its pages are given."""

from __future__ import annotations

import re
from pathlib import Path

from support.paths import THEME
from support.site import article, build_site, links, page, write_site

from generator.config import Config, load_config
from generator.engine.build import prepare
from generator.site import kinds
from generator.site.pages import Kind

SETTINGS = 'title = "Desk"\nbase_url = "https://example.org/"\nsearch = false\n'
PERMALINKS = '[permalinks]\ntag = "/topics/{slug}/"\nregion = "/places/{path}/"\nauthor = "/by/{slug}/"\n'


def _site(root: Path, settings: str = SETTINGS) -> Path:
    return write_site(
        root,
        {
            "site.toml": settings,
            "content/raid.md": article(
                "Raid", "2024-08-31", tags="[security]", region="middle-east/iraq", author="Staff Reporter"
            ),
        },
    )


def _menu(site: Path, url: str) -> list[str]:
    return [a.get("href") for a in page(site, url).xpath('//nav[@class="site-nav"]//a')]


def test_index_pages_follow_the_permalink_settings(tmp_path: Path) -> None:
    site = _site(tmp_path, SETTINGS + PERMALINKS)
    build_site(site)
    for index in ("topics/index.html", "places/index.html", "by/index.html"):
        assert (site / "output" / index).is_file()
    assert not (site / "output" / "tags").exists()


def test_the_menu_links_the_indexes_the_settings_name(tmp_path: Path) -> None:
    site = _site(tmp_path, SETTINGS + PERMALINKS)
    build_site(site)
    assert _menu(site, "/") == ["/", "/places/", "/topics/", "/archive/", "/by/"]


def test_the_menu_marks_the_section_of_the_page_shown(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site)
    current = page(site, "/tags/security/").xpath('//nav[@class="site-nav"]//a[@aria-current="page"]')
    assert [a.get("href") for a in current] == ["/tags/"]


def test_the_menu_leaves_out_sections_the_site_does_not_have(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"site.toml": SETTINGS, "content/raid.md": article("Raid", "2024-08-31")})
    build_site(site)
    assert _menu(site, "/") == ["/", "/regions/", "/tags/", "/archive/"]


def test_the_not_found_page_links_the_indexes_the_settings_name(tmp_path: Path) -> None:
    site = _site(tmp_path, SETTINGS + PERMALINKS)
    build_site(site)
    assert {"/places/", "/topics/", "/archive/"} <= set(links(page(site, "/404.html")))


def test_index_url_is_what_precedes_the_first_placeholder(tmp_path: Path) -> None:
    config = Config(tmp_path)
    assert kinds.index_url("/topics/{slug}/", "/tags/", config) == "/topics/"
    assert kinds.index_url("/news/tags/{slug}.html", "/tags/", config) == "/news/tags/"
    assert kinds.index_url("/{slug}/", "/tags/", config) == "/tags/"


def test_an_index_url_of_a_language_is_under_its_prefix(tmp_path: Path) -> None:
    german = Config(tmp_path).in_language("de")
    assert kinds.index_url(german.permalinks.tag, "/tags/", german) == "/de/tags/"
    assert kinds.index_url("/de/{slug}/", "/tags/", german) == "/de/tags/"


def test_every_kind_belongs_to_exactly_one_section() -> None:
    declared = [kind for section in kinds.SECTIONS for kind in section.kinds]
    assert sorted(declared) == sorted(Kind)


def test_feeds_are_planned_for_the_listings_of_sections_that_have_them(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _, plan, _ = prepare(load_config(site), None, lambda stage, total: lambda: None)
    feeds = {p.url for p in plan if p.kind == Kind.FEED}
    assert feeds == {
        "/feed.xml",
        "/feed.json",
        "/tags/security/feed.xml",
        "/regions/middle-east/feed.xml",
        "/regions/middle-east/iraq/feed.xml",
    }


def test_the_default_theme_reads_the_site_only_through_what_a_page_is_given() -> None:
    # Incremental builds fingerprint what a page is given (its context, the menu); the theme
    # may follow those to related items, but never read the site as a whole.
    following = {
        "tags_of", "authors_of", "regions_of", "listed_tags_of", "listed_authors_of",
        "listed_regions_of", "breadcrumbs", "children_of", "subregions", "status_of", "terms_of",
    }  # fmt: skip
    read = {
        (path.name, name)
        for path in THEME.glob("*.*")
        for name in re.findall(r"\bsite\.(\w+)", path.read_text(encoding="utf-8"))
    }
    assert {(template, name) for template, name in read if name not in following} == set()
