"""Multilingual archives: one site, a site per language under its prefix, translations linked."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import feedparser
import pytest
from support.multilingual import ARTICLES, LANGUAGES, write_multilingual_archive
from support.serve import Served, save
from support.site import article, build_errors, build_site, page, write_site
from test_incremental import assert_same_as_cold, incremental_build

from generator.check import check
from generator.config import Config, load_config
from generator.content.languages import placed
from generator.engine.build import prepare

ROOT = {code: "/" if code == "en" else f"/{code}/" for code in LANGUAGES}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_multilingual_archive(tmp_path_factory.mktemp("multilingual"))
    build_site(site, search=False)
    return site


def _urls(site: Path) -> dict[str, set[str]]:
    """Each language's article URLs, as the build planned them."""
    found: dict[str, set[str]] = {code: set() for code in LANGUAGES}
    _, plan, _ = prepare(load_config(site), None, _quiet)
    for planned in plan:
        if planned.kind == "article":
            found[planned.lang].add(planned.url)
    return found


def _html_pages(site: Path) -> list[str]:
    out = site / "output"
    folders = (path.parent.relative_to(out).as_posix() for path in out.rglob("index.html"))
    return sorted("/" if folder == "." else f"/{folder}/" for folder in folders)


def _listed(site: Path, first: str) -> list[str]:
    """The articles a listing shows over all its pages, following its "older" links."""
    shown, url = [], first
    while url:
        tree = page(site, url)
        shown += [a.get("href") for a in tree.xpath("//main//article//h2/a | //main//article//h3/a")]
        older = tree.xpath("//a[@rel='prev']/@href")
        url = unquote(older[0]) if older else None
    return [unquote(href) for href in shown]


def test_each_language_has_its_home_under_its_prefix_in_its_own_language(archive: Path) -> None:
    for code in LANGUAGES:
        root = page(archive, ROOT[code]).getroottree().getroot()
        assert root.get("lang") == code
    assert page(archive, "/ar/").getroottree().getroot().get("dir") == "rtl"


def test_translations_share_no_url(archive: Path) -> None:
    urls = _urls(archive)
    every = [url for found in urls.values() for url in found]
    assert len(every) == len(set(every)) == sum(len(articles) for articles in ARTICLES.values())
    for code, found in urls.items():
        assert all(url.startswith(ROOT[code]) for url in found)


def test_languages_come_from_folder_suffix_and_front_matter(archive: Path) -> None:
    urls = _urls(archive)
    assert {len(urls[code]) for code in ("de", "ar")} == {3, 2}  # de/ and ar/ folders
    assert len(urls["fr"]) == 2  # name.fr.md
    assert len(urls["ja"]) == 2 and len(urls["es"]) == 1  # lang: ja, language: es
    assert "/ja/2024/09/02/バスラで洪水/" in urls["ja"]  # a CJK title's slug stays readable


def test_front_matter_outranks_the_suffix_which_outranks_the_folder(tmp_path: Path) -> None:
    config = Config(tmp_path)
    assert placed(PurePosixPath("de/2024/raid.md"), config).language == "de"
    assert placed(PurePosixPath("de/2024/raid.fr.md"), config).language == "fr"
    write_site(tmp_path, {"content/de/2024/raid.fr.md": article("Raid", lang="es")})
    build_site(tmp_path, search=False)
    assert (tmp_path / "output/es/2024/08/31/raid/index.html").is_file()


def test_each_language_lists_exactly_its_own_articles_across_pages(archive: Path) -> None:
    urls = _urls(archive)
    for code in LANGUAGES:
        assert sorted(_listed(archive, ROOT[code])) == sorted(urls[code])
        assert sorted(_listed(archive, f"{ROOT[code]}tags/isis/")) == sorted(urls[code])


def test_each_language_has_its_own_feeds_of_its_own_articles(archive: Path) -> None:
    urls = _urls(archive)
    for code in LANGUAGES:
        feed = feedparser.parse((archive / "output" / ROOT[code].lstrip("/") / "feed.xml").read_bytes())
        assert feed.feed.language == code
        assert {unquote(urlsplit(entry.link).path) for entry in feed.entries} == urls[code]
        region_feed = archive / "output" / ROOT[code].lstrip("/") / "regions/middle-east/iraq/feed.xml"
        assert len(feedparser.parse(region_feed.read_bytes()).entries) == len(urls[code])


def test_hreflang_links_are_reciprocal_and_lead_to_pages_that_exist(archive: Path) -> None:
    pages = _html_pages(archive)
    alternates = {}
    for url in pages:
        tree = page(archive, url)
        links = {
            link.get("hreflang"): unquote(urlsplit(link.get("href")).path)
            for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")
        }
        alternates[url] = links
    checked = 0
    for url, links in alternates.items():
        if not links:
            continue
        own = page(archive, url).getroottree().getroot().get("lang")
        assert links[own] == url  # itself included
        assert links["x-default"] == links.get("en", links["x-default"])
        for target in links.values():
            assert target in alternates, f"{url} links {target}, which is no page"
            assert alternates[target].get(own) == url, f"{target} does not link back to {url}"
            checked += 1
    assert checked > 100


def test_an_article_offers_its_translations_to_read(archive: Path) -> None:
    tree = page(archive, "/2024/08/31/forces-launch-raid-in-anbar/")
    offered = {a.get("hreflang"): a.text_content() for a in tree.xpath("//p[@class='translations']/a")}
    assert offered == {"ar": "العربية", "de": "Deutsch", "fr": "Français"}
    flood = page(archive, "/es/2024/09/02/inundaciones-en-basora/")
    assert {a.get("hreflang") for a in flood.xpath("//p[@class='translations']/a")} == {"en", "de", "ja"}
    alone = page(archive, "/2024/09/07/market-reopens-in-mosul/")
    assert not alone.xpath("//p[@class='translations']")


def test_the_language_switcher_leads_to_this_page_or_else_the_language_home(archive: Path) -> None:
    tree = page(archive, "/2024/09/07/market-reopens-in-mosul/")  # in English only
    switcher = {
        a.get("hreflang"): unquote(a.get("href")) for a in tree.xpath("//nav[@class='language-switcher']//a")
    }
    assert switcher == {"en": "/2024/09/07/market-reopens-in-mosul/", **{c: ROOT[c] for c in LANGUAGES[1:]}}
    tags = page(archive, "/de/tags/isis/")
    links = {a.get("hreflang"): a.get("href") for a in tags.xpath("//nav[@class='language-switcher']//a")}
    assert links["fr"] == "/fr/tags/isis/"


def test_standalone_pages_are_translated_by_their_path(archive: Path) -> None:
    tree = page(archive, "/de/about/")
    assert tree.xpath("//link[@hreflang='en']/@href") == ["http://localhost:8000/about/"]


def test_sitemaps_name_every_translation_and_robots_every_sitemap(archive: Path) -> None:
    robots = (archive / "output/robots.txt").read_text()
    for code in LANGUAGES:
        assert f"Sitemap: http://localhost:8000{ROOT[code]}sitemap.xml" in robots
    german = (archive / "output/de/sitemap.xml").read_text()
    assert 'hreflang="en" href="http://localhost:8000/2024/08/31/forces-launch-raid-in-anbar/"' in german


def test_the_site_files_are_made_once(archive: Path) -> None:
    assert (archive / "output/404.html").is_file() and (archive / "output/robots.txt").is_file()
    assert not (archive / "output/de/404.html").exists()
    assert not (archive / "output/de/robots.txt").exists()


def test_two_articles_of_one_language_wanting_one_url_is_an_error_naming_both(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/de/a.md": article("Razzia"),
            "content/de/b.md": article("Razzia"),
            "content/a.md": article("Razzia"),  # English: its own URL
        },
    )
    errors = build_errors(tmp_path, search=False)
    assert len(errors) == 2  # at each file, naming the other
    assert all("de/a.md" in e and "de/b.md" in e and "/de/2024/08/31/razzia/" in e for e in errors)


def test_the_languages_table_names_each_language_and_its_site(tmp_path: Path) -> None:
    settings = (
        'title = "News"\n[languages.en]\n[languages.de]\ntitle = "Nachrichten"\ntimezone = "Europe/Berlin"\n'
    )
    write_site(
        tmp_path,
        {
            "site.toml": settings,
            "content/de/raid.md": article("Razzia", "2024-08-31T23:30:00"),
            "content/it/raid.md": article("Raid"),  # no language of the table: an English folder
        },
    )
    build_site(tmp_path, search=False)
    assert page(tmp_path, "/de/").xpath("//title")[0].text == "Nachrichten"
    assert (tmp_path / "output/de/2024/08/31/razzia/index.html").is_file()  # Berlin time, as written
    assert (tmp_path / "output/2024/08/31/raid/index.html").is_file()


def test_a_language_not_in_the_table_is_an_error_at_its_line(tmp_path: Path) -> None:
    write_site(
        tmp_path, {"site.toml": "[languages.en]\n[languages.de]\n", "content/a.md": article("A", lang="fr")}
    )
    errors = build_errors(tmp_path, search=False)
    assert errors == [f"{tmp_path}/content/a.md:4: 'lang' is 'fr', no language of [languages] (en, de)"]


def test_the_default_language_may_live_under_its_prefix_too(tmp_path: Path) -> None:
    write_multilingual_archive(tmp_path, "[languages]\nprefix_default_language = true\n")
    build_site(tmp_path, search=False)
    assert (tmp_path / "output/en/2024/08/31/forces-launch-raid-in-anbar/index.html").is_file()
    assert page(tmp_path, "/").xpath("//meta[@http-equiv='refresh']/@content")[0].endswith("/en/")


def test_a_single_language_site_shows_nothing_of_languages(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/a.md": article("A")})
    build_site(tmp_path, search=False)
    tree = page(tmp_path, "/2024/08/31/a/")
    assert not tree.xpath("//link[@hreflang]") and not tree.xpath("//nav[@class='language-switcher']")


def test_editing_one_translation_builds_what_a_cold_build_does(tmp_path: Path) -> None:
    site = write_multilingual_archive(tmp_path / "site", "per_page = 2\nsearch = false\n")
    build_site(site)
    (site / "content/de/2024/raid.md").write_text(
        article('"Razzia in Anbar"', "2024-08-31", "Neu.\n", tags="[isis]")
    )
    (site / "content/2024/flood.ja.md").write_text(article('"洪水"', "2024-09-03"))  # a new translation
    report = incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert 0 < report.rendered < report.pages / 2


def test_each_language_searches_its_own_articles(tmp_path: Path) -> None:
    site = write_multilingual_archive(tmp_path)
    build_site(site)
    urls = _urls(site)
    for code in LANGUAGES:
        bundles = page(site, f"{ROOT[code]}search/").xpath("//div[@id='search']")[0]
        first = bundles.get("data-bundle")
        assert bundles.get("data-merge") == ""  # a small archive: one shard per language
        entry = json.loads((site / "output" / first.lstrip("/") / "pagefind-entry.json").read_text())
        assert {name: found["page_count"] for name, found in entry["languages"].items()} == {
            code: len(urls[code])
        }


def test_regions_and_tags_take_each_language_s_display_names(tmp_path: Path) -> None:
    settings = (
        '[names]\n"middle-east" = "Middle East"\n[languages.en]\n[languages.de]\n'
        '[languages.de.names]\n"middle-east" = "Naher Osten"\n'
    )
    write_site(
        tmp_path,
        {
            "site.toml": settings,
            "content/raid.md": article("Raid", region="middle-east"),
            "content/de/raid.md": article("Razzia", region="middle-east"),
        },
    )
    build_site(tmp_path, search=False)
    assert page(tmp_path, "/de/regions/middle-east/").xpath("//h1")[0].text_content().strip() == "Naher Osten"
    assert page(tmp_path, "/regions/middle-east/").xpath("//h1")[0].text_content().strip() == "Middle East"


def test_check_finds_every_link_of_every_language_whole(archive: Path) -> None:
    config = load_config(archive, search=False)
    assert check(config).pages == len(prepare(config, None, _quiet)[1])


def _quiet(stage: str, total: int) -> Callable[[], None]:
    return lambda: None


def test_the_preview_follows_an_edit_in_every_language(tmp_path: Path) -> None:
    site = write_multilingual_archive(tmp_path)
    served = Served(site)
    try:
        assert served.get("/ar/").status == 200
        path = site / "content/ar/2024/local.md"
        save(path, path.read_text(encoding="utf-8").replace("(ar).", "(ar), مساء اليوم."))
        served.wait_for(r"Built \d+ pages in [\d.]+s: \d+ written, \d+ removed \(content/ar/2024/local\.md\)")
        assert "مساء اليوم" in served.get(quote("/ar/2024/09/11/افتتاح-جسر-في-الموصل/")).text
    finally:
        served.stop()


def test_changing_the_languages_settings_builds_what_a_cold_build_does(tmp_path: Path) -> None:
    site = write_multilingual_archive(tmp_path / "site", "per_page = 2\nsearch = false\n")
    build_site(site)
    (site / "site.toml").write_text(
        'per_page = 2\nsearch = false\n[languages.en]\n[languages.de]\ntitle = "Archiv"\n'
        'timezone = "Pacific/Kiritimati"\n[languages.fr]\n[languages.ja]\n[languages.es]\n'  # ar/: English
    )
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert (site / "output/de/2024/08/31/streitkrafte-starten-razzia-in-anbar/index.html").is_file()
    assert not (site / "output/ar").exists()


def test_a_display_name_one_language_uses_is_no_unknown_key(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "site.toml": '[names]\n"naher-osten" = "Naher Osten"\n"nowhere" = "Nowhere"\n',
            "content/raid.md": article("Raid", region="middle-east"),
            "content/de/raid.md": article("Razzia", region="naher-osten"),
        },
    )
    warnings = [w.message for w in build_site(tmp_path, search=False).warnings]
    assert len(warnings) == 1 and "'nowhere' names no tag, region or author" in warnings[0]
