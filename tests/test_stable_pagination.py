"""Listing pages are numbered from the oldest article, so a numbered page keeps its articles
and its URL can be cited: a new article changes the first URL of each listing it is in (and,
once in ``per_page`` articles, adds a numbered page), never the listing's other pages."""

from __future__ import annotations

import re
from pathlib import Path

from support.clock import NOW
from support.paths import THEME
from support.site import article, build_site, files_of, page, write_site

from generator.config import load_config
from generator.engine.build import build

SETTINGS = 'title = "Desk"\nbase_url = "https://example.org/"\nsearch = false\nper_page = 2\n'
NUMBERED = re.compile(r"(^|/)page/\d+/index\.html$")
ARTICLE_PAGE = re.compile(r"^\d{4}/\d\d/\d\d/[^/]+/index\.html$")


def _story(day: int, tag: str = "floods") -> str:
    return article(
        f"Story {day}", f"2024-03-{day:02d}", tags=f"[{tag}]", region="europe/france", author="Ana"
    )


def _site(root: Path, days: range, tag: str = "floods") -> Path:
    files = {f"content/story-{day:02d}.md": _story(day, tag) for day in days}
    return write_site(root, {"site.toml": SETTINGS, **files})


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def _titles(site: Path, url: str) -> list[str]:
    return [a.text for a in page(site, url).xpath('//main//h3[@class="listing-title"]/a')]


def _related(site: Path, name: str) -> list[str]:
    return page(site, "/" + name.removesuffix("index.html")).xpath('//section[@class="related"]//a/@href')


def _pager(site: Path, url: str) -> dict[str, str]:
    return {a.get("rel"): a.get("href") for a in page(site, url).xpath('//nav[@class="pager"]/a')}


def test_adding_the_newest_article_changes_no_numbered_page(tmp_path: Path) -> None:
    # The acceptance test: build, add an article, compare which listing files changed.
    site = _site(tmp_path, range(1, 9))  # pages 1 to 3, and 2 on the first URL
    build_site(site)
    before = files_of(site / "output")
    write_site(site, {"content/story-10.md": _story(10)})
    build_site(site)
    changed = _changed(before, files_of(site / "output"))
    assert {name for name in changed if NUMBERED.search(name)} == set()
    first_urls = {
        "index.html",
        "tags/floods/index.html",
        "regions/europe/index.html",
        "regions/europe/france/index.html",
        "authors/ana/index.html",
        "2024/index.html",
        "2024/03/index.html",
        "2024/03/10/index.html",  # a new day
    }
    assert first_urls <= changed


def test_a_new_article_leaves_every_page_it_is_not_on_as_it_was(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 9))
    courts = {  # another tag, region, author and month, which the new article is not in
        f"content/court-{day:02d}.md": article(
            f"Court {day}", f"2024-02-{day:02d}", tags="[courts]", region="africa/kenya", author="Ben"
        )
        for day in range(1, 9)
    }
    write_site(site, courts)
    build_site(site)
    before = files_of(site / "output")
    write_site(site, {"content/story-10.md": _story(10)})
    build_site(site)
    changed = _changed(before, files_of(site / "output"))
    elsewhere = ("tags/courts/", "regions/africa/", "authors/ben/", "2024/02/")
    assert {name for name in changed if name.startswith(elsewhere)} == set()
    assert {name for name in changed if NUMBERED.search(name)} == set()
    articles = {name for name in changed if ARTICLE_PAGE.match(name)}
    own, neighbour = "2024/03/10/story-10/index.html", "2024/03/08/story-8/index.html"
    relating = {name for name in articles if "/2024/03/10/story-10/" in _related(site, name)}
    assert {own, neighbour} <= articles and articles - relating <= {own, neighbour}


def test_the_article_that_fills_the_first_url_makes_the_next_numbered_page(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 6))  # page 1, then 3 on the first URL: one short of two pages
    build_site(site)
    before = files_of(site / "output")
    write_site(site, {"content/story-06.md": _story(6)})
    build_site(site)
    changed = {name for name in _changed(before, files_of(site / "output")) if NUMBERED.search(name)}
    # Page 2 is new; page 1 only links to it rather than to the first URL.
    assert changed == {"page/2/index.html", "tags/floods/page/2/index.html", "tags/floods/page/1/index.html",
                       "page/1/index.html", "regions/europe/page/2/index.html", "regions/europe/page/1/index.html",
                       "regions/europe/france/page/2/index.html", "regions/europe/france/page/1/index.html",
                       "authors/ana/page/2/index.html", "authors/ana/page/1/index.html",
                       "2024/page/2/index.html", "2024/page/1/index.html",
                       "2024/03/page/2/index.html", "2024/03/page/1/index.html"}  # fmt: skip
    assert _titles(site, "/page/2/") == ["Story 4", "Story 3"]
    assert _titles(site, "/") == ["Story 6", "Story 5"]


def test_a_listing_grows_from_one_page_to_three_and_keeps_its_numbered_pages(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 4))
    build_site(site)
    assert _titles(site, "/tags/floods/") == ["Story 3", "Story 2", "Story 1"]  # under twice per_page
    assert not (site / "output/tags/floods/page").exists()
    write_site(site, {"content/story-04.md": _story(4)})
    build_site(site)
    assert _titles(site, "/tags/floods/") == ["Story 4", "Story 3"]
    assert _titles(site, "/tags/floods/page/1/") == ["Story 2", "Story 1"]
    write_site(site, {f"content/story-{day:02d}.md": _story(day) for day in (5, 6)})
    build_site(site)
    assert _titles(site, "/tags/floods/") == ["Story 6", "Story 5"]
    assert _titles(site, "/tags/floods/page/2/") == ["Story 4", "Story 3"]
    assert _titles(site, "/tags/floods/page/1/") == ["Story 2", "Story 1"]


def test_every_article_is_on_exactly_one_page_newest_first(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 10))
    build_site(site)
    shown = [title for url in ("/", "/page/3/", "/page/2/", "/page/1/") for title in _titles(site, url)]
    assert shown == [f"Story {day}" for day in range(9, 0, -1)]


def test_pages_link_newer_as_next_and_older_as_prev_in_the_order_of_their_numbers(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 7))
    build_site(site)
    assert _pager(site, "/tags/floods/") == {"prev": "/tags/floods/page/2/"}
    assert _pager(site, "/tags/floods/page/2/") == {"next": "/tags/floods/", "prev": "/tags/floods/page/1/"}
    assert _pager(site, "/tags/floods/page/1/") == {"next": "/tags/floods/page/2/"}


def test_each_page_is_its_own_canonical_url(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 7))
    build_site(site)
    for url in ("/tags/floods/", "/tags/floods/page/2/", "/tags/floods/page/1/"):
        assert page(site, url).xpath('//link[@rel="canonical"]/@href') == [f"https://example.org{url}"]


def test_only_the_first_url_shows_the_listing_count(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 7))
    build_site(site)
    assert page(site, "/tags/floods/").findtext('.//p[@class="count"]') == "6 articles"
    assert (
        page(site, "/tags/floods/page/2/").findtext('.//p[@class="count"]')
        == "Page 2 · 3 March 2024 to 4 March 2024"
    )
    assert page(site, "/tags/floods/page/2/").findtext('.//span[@class="pager-status"]') == "Page 2"


def test_a_backdated_article_shifts_only_the_pages_from_its_own_to_the_newest(tmp_path: Path) -> None:
    site = _site(tmp_path, [*range(1, 4), *range(5, 12)])  # day 4 missing: pages 1 to 4, 2 on the first URL
    build_site(site)
    before = files_of(site / "output")
    write_site(site, {"content/story-04.md": _story(4)})
    build_site(site)
    changed = {name for name in _changed(before, files_of(site / "output")) if name.startswith("page/")}
    assert changed == {"page/2/index.html", "page/3/index.html", "page/4/index.html"}
    assert _titles(site, "/page/1/") == ["Story 2", "Story 1"]
    assert _titles(site, "/page/2/") == ["Story 4", "Story 3"]


def test_deleting_an_article_shifts_the_newer_pages_back_and_may_fold_the_newest_into_the_first_url(
    tmp_path: Path,
) -> None:
    site = _site(tmp_path, range(1, 7))  # pages 1 and 2, 2 on the first URL
    build_site(site)
    (site / "content/story-03.md").unlink()
    build_site(site)
    assert _titles(site, "/page/1/") == ["Story 2", "Story 1"]  # older than the deleted: kept
    assert _titles(site, "/") == ["Story 6", "Story 5", "Story 4"]
    assert not (site / "output/page/2").exists()


def test_a_change_of_per_page_renumbers_every_listing_as_a_build_from_scratch_would(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 10))
    build_site(site)
    write_site(site, {"site.toml": SETTINGS.replace("per_page = 2", "per_page = 3")})
    build_site(site)
    cold = tmp_path / "cold"
    build(load_config(site, output_dir=cold), now=NOW, use_cache=False)
    assert files_of(site / "output") == files_of(cold)
    assert _titles(site, "/page/2/") == ["Story 6", "Story 5", "Story 4"]
    assert not (site / "output/page/3").exists()


def test_incremental_builds_as_articles_arrive_equal_a_build_from_scratch(tmp_path: Path) -> None:
    site = _site(tmp_path, range(1, 5))
    build_site(site)
    for day in (9, 5, 10, 6):  # newest, backdated, newest, backdated
        write_site(site, {f"content/story-{day:02d}.md": _story(day)})
        build_site(site)
        cold = tmp_path / f"cold-{day}"
        build(load_config(site, output_dir=cold), now=NOW, use_cache=False)
        assert files_of(site / "output") == files_of(cold)


def test_listing_templates_show_a_listings_counts_only_through_what_its_first_url_is_given() -> None:
    # Every page of a listing is fingerprinted with its term's, region's or period's names
    # only (incremental._LISTING_NAMES): its counts come from pagination.total, subregions and
    # periods, which only the first URL is given.
    shown = {
        (path.name, found)
        for path in (THEME / "list.html", THEME / "_head.html")
        for found in re.findall(
            r"\b(?:term|region|period)\.(?:articles|children)\b|\bsite\.(?:subregions|children_of)\b",
            path.read_text(encoding="utf-8"),
        )
    }
    assert shown == set()
