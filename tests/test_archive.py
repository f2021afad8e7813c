"""A generated archive: every article is reachable from each listing that should hold it."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from support.cli import generate_corpus
from support.clock import NOW
from support.site import article, build_site, page, write_site

from generator.content.parse import MAX_REGION_DEPTH
from generator.content.slugs import slugify

ARTICLE_URL = re.compile(r"^/\d{4}/\d{2}/\d{2}/[^/]+/$")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """300 generated articles plus a draft and a future article, built with 7 per page."""
    site = tmp_path_factory.mktemp("archive")
    generate_corpus(site / "content", 300)
    write_site(
        site,
        {
            "content/draft.md": article("Secret draft", tags="[isis]", region="middle-east", draft="true"),
            "content/future.md": article("From the future", date="2099-01-01", tags="[isis]"),
        },
    )
    build_site(site, per_page=7)
    metas = []
    for path in sorted((site / "content").rglob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if "slug" in meta:
            metas.append(meta)
    return site, metas


def listed(site: Path, first_url: str) -> set[str]:
    """Article links in <main> across every page of a listing, following the links to older
    pages (rel=prev: pages are numbered from the oldest)."""
    found: set[str] = set()
    url: str | None = first_url
    seen = set()
    while url and url not in seen:
        seen.add(url)
        tree = page(site, url)
        main = tree.find(".//main")
        found |= {a.get("href") for a in main.iter("a") if ARTICLE_URL.match(a.get("href") or "")}
        older = tree.xpath('//a[@rel="prev"]/@href | //link[@rel="prev"]/@href')
        url = next((n for n in older if "/page/" in n), None)
    return found


def article_url(meta: dict) -> str:
    written = str(meta["date"]) if not hasattr(meta["date"], "isoformat") else meta["date"].isoformat()
    return f"/{written[:4]}/{written[5:7]}/{written[8:10]}/{meta['slug']}/"


def test_every_article_has_its_page(archive):
    site, metas = archive
    for meta in metas:
        assert page(site, article_url(meta)).findtext(".//h1") == meta["title"]


def test_every_article_is_listed_on_each_of_its_tag_pages(archive):
    site, metas = archive
    expected = defaultdict(set)
    for meta in metas:
        for tag in meta["tags"]:
            expected[tag].add(article_url(meta))
    for tag, urls in expected.items():
        assert listed(site, f"/tags/{tag}/") == urls, tag


def test_every_article_is_listed_on_its_region_and_every_parent_region(archive):
    site, metas = archive
    expected = defaultdict(set)
    for meta in metas:
        parts = meta["region"].split("/")
        for depth in range(1, len(parts) + 1):
            expected["/".join(parts[:depth])].add(article_url(meta))
    assert any("/" in region for region in expected)
    for region, urls in expected.items():
        assert listed(site, f"/regions/{region}/") == urls, region


def test_every_article_is_listed_on_its_month_and_year_page(archive):
    site, metas = archive
    months, years = defaultdict(set), defaultdict(set)
    for meta in metas:
        url = article_url(meta)
        months[url[:9]].add(url)
        years[url[:6]].add(url)
    for month, urls in months.items():
        assert listed(site, month) == urls, month
    for year, urls in years.items():
        assert listed(site, year) == urls, year


def test_home_lists_every_article_newest_first(archive):
    site, metas = archive
    order: list[str] = []
    url: str | None = "/"
    while url:
        tree = page(site, url)
        order += [h for h in tree.xpath("//main//h3//a/@href | //main//h2//a/@href") if ARTICLE_URL.match(h)]
        url = next(iter(tree.xpath('//nav[@class="pager"]/a[@rel="prev"]/@href')), None)
    expected = sorted(metas, key=lambda m: m["date"].timestamp() if hasattr(m["date"], "timestamp") else 0)
    assert order == [article_url(m) for m in reversed(expected)]


def test_drafts_and_future_articles_are_absent(archive):
    site, _ = archive
    text = " ".join(p.read_text() for p in (site / "output").rglob("*.html"))
    assert "Secret draft" not in text
    assert "From the future" not in text
    assert not list((site / "output").rglob("secret-draft"))


def test_drafts_flag_includes_drafts_and_future_articles(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/draft.md": article("Secret draft", draft="true"),
            "content/future.md": article("From the future", date="2099-01-01"),
        },
    )
    assert build_site(tmp_path, drafts=True).articles == 2
    assert page(tmp_path, "/2099/01/01/from-the-future/").findtext(".//h1") == "From the future"


def test_tags_are_matched_case_insensitively(tmp_path: Path):
    write_site(
        tmp_path,
        {"content/a.md": article("One", tags="[ISIS]"), "content/b.md": article("Two", tags="[isis, Café]")},
    )
    build_site(tmp_path, now=NOW)
    assert len(listed(tmp_path, "/tags/isis/")) == 2
    assert page(tmp_path, "/tags/isis/").findtext(".//h1") in ("ISIS", "isis")
    assert listed(tmp_path, "/tags/cafe/") == {"/2024/08/31/two/"}


def test_unicode_names_get_readable_slugs(tmp_path: Path):
    write_site(
        tmp_path, {"content/a.md": article("Москва готовится", tags="[Économie]", region="Europe/Россия")}
    )
    build_site(tmp_path)
    output = tmp_path / "output"
    assert (output / "2024/08/31/москва-готовится/index.html").is_file()
    assert (output / "tags/economie/index.html").is_file()
    assert (output / "regions/europe/россия/index.html").is_file()
    assert (
        "/2024/08/31/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0-%D0%B3%D0%BE%D1%82%D0%BE%D0%B2%D0%B8%D1%82%D1%81%D1%8F/"
        in ((output / "index.html").read_text())
    )


def test_a_headline_of_four_byte_letters_gets_a_slug_that_fits_a_file_name(tmp_path: Path):
    headline = "\U00020000" * 100  # CJK Extension B: 400 bytes of UTF-8
    write_site(tmp_path, {"content/a.md": article(headline, tags=f"[{headline}]", region=headline)})
    build_site(tmp_path)
    slug = "\U00020000" * 60  # 240 bytes; a file name may have 255
    assert page(tmp_path, f"/2024/08/31/{slug}/").findtext(".//h1") == headline
    assert page(tmp_path, f"/tags/{slug}/").findtext(".//h1") == headline
    assert page(tmp_path, f"/regions/{slug}/").findtext(".//h1") == headline


def test_a_numbered_tag_slug_never_takes_the_slug_another_tag_has_of_its_own(tmp_path: Path):
    # Café is numbered apart from Cafe; "cafe-2" is already Cafe 2's own slug, so not Café's
    write_site(
        tmp_path,
        {
            "content/a.md": article("One", tags="[Cafe]"),
            "content/b.md": article("Two", tags="[Café]"),
            "content/c.md": article("Three", tags="[Cafe 2]"),
        },
    )
    build_site(tmp_path)
    pages = {
        url: page(tmp_path, url).findtext(".//h1")
        for url in ("/tags/cafe/", "/tags/cafe-2/", "/tags/cafe-3/")
    }
    assert pages == {"/tags/cafe/": "Cafe", "/tags/cafe-2/": "Cafe 2", "/tags/cafe-3/": "Café"}
    assert listed(tmp_path, "/tags/cafe/") == {"/2024/08/31/one/"}
    assert listed(tmp_path, "/tags/cafe-2/") == {"/2024/08/31/three/"}
    assert listed(tmp_path, "/tags/cafe-3/") == {"/2024/08/31/two/"}


@pytest.mark.parametrize(
    ("one", "two", "paths"),
    [("Europe/Café", "Europe/Cafe", ("europe/cafe-2", "europe/cafe")), ("a b", "a-b", ("a-b", "a-b-2"))],
)
def test_regions_that_differ_but_slug_alike_get_a_page_each_as_tags_do(
    tmp_path: Path, one: str, two: str, paths: tuple[str, str]
):
    write_site(
        tmp_path,
        {
            "content/a.md": article("One", region=f'"{one}"'),
            "content/b.md": article("Two", region=f'"{two}"'),
        },
    )
    build_site(tmp_path)
    assert listed(tmp_path, f"/regions/{paths[0]}/") == {"/2024/08/31/one/"}
    assert listed(tmp_path, f"/regions/{paths[1]}/") == {"/2024/08/31/two/"}
    assert page(tmp_path, "/2024/08/31/one/").xpath("//a[@class='dateline-region']/@href") == [
        f"/regions/{paths[0]}/"
    ]


def test_a_tag_written_two_ways_that_slug_alike_is_warned_about_at_its_line(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("One", tags="[US military]"),
            "content/b.md": article("Two", tags="[us-military]"),
        },
    )
    warnings = [str(w) for w in build_site(tmp_path).warnings]
    assert warnings == [
        f"{tmp_path}/content/b.md:4: tag 'us-military' is at /tags/us-military-2/ because "
        f"'US military' ({tmp_path}/content/a.md:4) has /tags/us-military/; "
        "spell them alike to make them one tag"
    ]


def test_a_region_written_two_ways_that_slug_alike_is_warned_about(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("One", region="Middle East/Iraq"),
            "content/b.md": article("Two", region="middle-east/iraq"),
        },
    )
    warnings = [str(w) for w in build_site(tmp_path).warnings]
    assert len(warnings) == 1  # the parent only: the sub-regions are in two different parents
    assert "region 'middle-east' is at /regions/middle-east-2/ because 'Middle East'" in warnings[0]


def test_names_that_differ_only_in_case_are_one_name_and_warned_about_by_nobody(tmp_path: Path):
    write_site(
        tmp_path,
        {"content/a.md": article("One", tags="[ISIS]"), "content/b.md": article("Two", tags="[isis]")},
    )
    assert build_site(tmp_path).warnings == ()


def test_a_region_as_deep_as_allowed_with_names_as_long_as_slugs_allow_builds(tmp_path: Path):
    names = [f"{level}" + "\U00020000" * 100 for level in range(MAX_REGION_DEPTH)]  # 237 bytes each
    write_site(tmp_path, {"content/a.md": article("Deep", region="/".join(names))})
    build_site(tmp_path)
    deepest = "/".join(slugify(name) for name in names)
    crumbs = page(tmp_path, f"/regions/{deepest}/").xpath('//nav[@aria-label="Breadcrumb"]//a/@href')
    assert len(crumbs) == MAX_REGION_DEPTH  # "Regions" and every parent
    assert listed(tmp_path, f"/regions/{deepest}/") == {"/2024/08/31/deep/"}
    assert page(tmp_path, "/regions/").xpath("count(//ul[@class='tree'])") == MAX_REGION_DEPTH


def test_region_page_shows_breadcrumbs_and_subregions_with_counts(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("One", region="middle-east/iraq/anbar"),
            "content/b.md": article("Two", region="middle-east/iraq/baghdad"),
            "content/c.md": article("Three", region="middle-east/syria"),
        },
    )
    build_site(tmp_path)
    tree = page(tmp_path, "/regions/middle-east/iraq/")
    crumbs = tree.xpath('//nav[@aria-label="Breadcrumb"]//a/@href')
    assert crumbs == ["/regions/", "/regions/middle-east/"]
    sub = {
        a.get("href"): a.getparent().text_content()
        for a in tree.xpath("//main//li/a[contains(@href, '/regions/')]")
    }
    assert "/regions/middle-east/iraq/anbar/" in sub and "1" in sub["/regions/middle-east/iraq/anbar/"]
    assert len(listed(tmp_path, "/regions/middle-east/")) == 3
