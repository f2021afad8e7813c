"""Corrections and updates on the record: on the article, in its JSON-LD, on /corrections/ and
in its feed, and in incremental builds as in cold ones."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html
from support.site import article, build_errors, build_site, page, write_site
from test_incremental import assert_same_as_cold, incremental_build, make_site, story, write

SETTINGS = 'title = "The Record"\nbase_url = "https://example.org/"\nsearch = false\n'
RAID_URL = "/2024/08/31/raid-on-the-port/"
RAID = """\
---
title: Raid on the port
date: 2024-08-31T10:00:00+03:00
corrections:
  - date: 2024-09-02T12:00:00+03:00
    text: The port is in Basra, not Umm Qasr.
  - date: 2024-09-01T09:00:00+03:00
    text: An earlier version gave five injured; seven were.
updates:
  - date: 2024-09-03T08:00:00+03:00
    text: Adds the ministry's statement.
---

The port was raided.
"""
FIGURES_URL = "/2024/07/01/figures-revised/"
FIGURES = article(
    "Figures revised",
    date="2024-07-01",
    updated="2024-07-05",
    correction='"An earlier version misstated the number injured."',
)


def build(root: Path, files: dict[str, str], settings: str = SETTINGS, **overrides: object) -> Path:
    write_site(root, {"site.toml": settings, **files})
    build_site(root, **overrides)
    return root


def text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def notes(site: Path, url: str) -> dict[str, list[str]]:
    """The article's corrections and updates as shown, by heading."""
    return {
        text(section.find("h2")): [text(li) for li in section.iter("li")]
        for section in page(site, url).xpath('//section[@class="notes"]')
    }


def json_ld(site: Path, url: str) -> dict:
    return json.loads(page(site, url).xpath('//script[@type="application/ld+json"]')[0].text)


def listed(site: Path, url: str = "/corrections/") -> list[tuple[str, str]]:
    """The corrections a corrections page lists: each one's link and text."""
    return [
        (item.xpath(".//h2/a")[0].get("href"), text(item.find_class("correction-text")[0]))
        for item in page(site, url).xpath('//ol[@class="corrections"]/li')
    ]


def failing(root: Path, front_matter: str) -> list[str]:
    write_site(root, {"site.toml": SETTINGS, "content/a.md": f"---\n{front_matter}---\n\nBody.\n"})
    return [error.replace(f"{root}/", "") for error in build_errors(root)]


# -- on the article -----------------------------------------------------------------------------


def test_an_article_shows_its_corrections_then_its_updates_each_in_date_order(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID})
    assert notes(site, RAID_URL) == {
        "Corrections": [
            "1 September 2024 An earlier version gave five injured; seven were.",
            "2 September 2024 The port is in Basra, not Umm Qasr.",
        ],
        "Updates": ["3 September 2024 Adds the ministry's statement."],
    }


def test_each_correction_on_the_article_has_the_anchor_the_corrections_page_links_to(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID})
    anchors = page(site, RAID_URL).xpath('//section[@class="notes"]//li/@id')
    assert anchors == ["correction-1", "correction-2", "update-1"]
    assert {href for href, _ in listed(site)} == {f"{RAID_URL}#correction-1", f"{RAID_URL}#correction-2"}


def test_the_article_says_when_it_was_last_updated(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID})
    notice = page(site, RAID_URL).find_class("notice")[0]
    assert text(notice).startswith("Updated 3 September 2024 Corrections")


@pytest.mark.parametrize(
    "written",
    [
        article(
            "Raid on the port",
            date="2024-08-31",
            corrections="[{date: 2024-09-02, text: 'Basra, not Umm Qasr.'}]",
            updates="[{date: 2024-09-03, text: Adds a statement.}]",
        ),
        '+++\ntitle = "Raid on the port"\ndate = 2024-08-31\n[[corrections]]\ndate = 2024-09-02\n'
        'text = "Basra, not Umm Qasr."\n[[updates]]\ndate = "2024-09-03"\ntext = "Adds a statement."\n+++\n',
    ],
    ids=["yaml-flow", "toml-tables"],
)
def test_corrections_and_updates_may_be_written_as_flow_lists_or_toml_tables(
    tmp_path: Path, written: str
) -> None:
    site = build(tmp_path, {"content/raid.md": written})
    assert notes(site, RAID_URL) == {
        "Corrections": ["2 September 2024 Basra, not Umm Qasr."],
        "Updates": ["3 September 2024 Adds a statement."],
    }


def test_the_single_correction_of_older_archives_is_a_correction_dated_when_updated(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/figures.md": FIGURES})
    shown = ["5 July 2024 An earlier version misstated the number injured."]
    assert notes(site, FIGURES_URL) == {"Corrections": shown}
    assert listed(site) == [
        (f"{FIGURES_URL}#correction-1", "An earlier version misstated the number injured.")
    ]


def test_a_single_correction_without_an_update_date_is_dated_when_published(tmp_path: Path) -> None:
    site = build(
        tmp_path, {"content/a.md": article("Figures revised", date="2024-07-01", correction="Wrong name.")}
    )
    assert notes(site, FIGURES_URL) == {"Corrections": ["1 July 2024 Wrong name."]}


def test_correction_text_is_shown_as_written_never_as_markup(tmp_path: Path) -> None:
    written = '<script>alert(1)</script> & "quotes"'
    corrections = f"[{{date: 2024-09-02, text: '{written}'}}]"
    site = build(tmp_path, {"content/raid.md": article("Raid on the port", corrections=corrections)})
    tree = page(site, RAID_URL)
    assert not tree.xpath("//main//script")
    assert notes(site, RAID_URL) == {"Corrections": [f"2 September 2024 {written}"]}
    assert json_ld(site, RAID_URL)["correction"][0]["text"] == written
    assert listed(site)[0][1] == written
    assert feedparser.parse((site / "output/corrections/feed.xml").read_bytes()).entries[0].summary == written


# -- mistakes, at their line ----------------------------------------------------------------------


def test_a_correction_without_text_is_reported_at_its_item(tmp_path: Path) -> None:
    front = "title: A\ndate: 2024-08-31\ncorrections:\n  - date: 2024-09-01\n    text: Fine.\n  - date: 2024-09-02\n"
    errors = failing(tmp_path, front)
    assert len(errors) == 1 and errors[0].startswith("content/a.md:7: 'corrections' item has no 'text'")


def test_an_update_with_a_bad_date_is_reported_at_its_item(tmp_path: Path) -> None:
    front = "title: A\ndate: 2024-08-31\nupdates:\n  - date: 2024-13-02\n    text: Adds a statement.\n"
    assert failing(tmp_path, front) == [
        "content/a.md:5: 'updates' item's 'date' is not a valid date: '2024-13-02' (month must be in 1..12)"
    ]


def test_a_correction_given_as_bare_text_in_a_list_is_reported_at_its_item(tmp_path: Path) -> None:
    errors = failing(tmp_path, "title: A\ndate: 2024-08-31\ncorrections:\n  - Basra, not Umm Qasr.\n")
    assert len(errors) == 1 and errors[0].startswith(
        "content/a.md:5: 'corrections' items need a 'date' and a 'text'"
    )


def test_a_correction_dated_before_its_article_is_a_warning(tmp_path: Path) -> None:
    corrections = "\n  - date: 2014-09-02\n    text: Basra."
    write_site(tmp_path, {"site.toml": SETTINGS, "content/a.md": article("A", corrections=corrections)})
    warnings = [str(w).replace(f"{tmp_path}/", "") for w in build_site(tmp_path).warnings]
    assert warnings == ["content/a.md:5: 'corrections' item is dated before the article's 'date'"]


# -- what search engines, feeds and sitemaps read ---------------------------------------------------


def test_the_news_article_data_lists_its_corrections_as_correction_comments(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID})
    assert json_ld(site, RAID_URL)["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version gave five injured; seven were.",
            "datePublished": "2024-09-01T09:00:00+03:00",
        },
        {
            "@type": "CorrectionComment",
            "text": "The port is in Basra, not Umm Qasr.",
            "datePublished": "2024-09-02T12:00:00+03:00",
        },
    ]


def test_an_article_never_corrected_has_no_correction_data(tmp_path: Path) -> None:
    site = build(
        tmp_path, {"content/raid.md": article("Raid on the port", updates="[{date: 2024-09-03, text: X}]")}
    )
    assert "correction" not in json_ld(site, RAID_URL)


def test_date_modified_is_the_latest_correction_or_update(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID})
    assert json_ld(site, RAID_URL)["dateModified"] == "2024-09-03T08:00:00+03:00"


def test_date_modified_keeps_a_later_updated_date(tmp_path: Path) -> None:
    written = RAID.replace("corrections:", "updated: 2024-10-01T00:00:00+03:00\ncorrections:")
    site = build(tmp_path, {"content/raid.md": written})
    assert json_ld(site, RAID_URL)["dateModified"] == "2024-10-01T00:00:00+03:00"


def test_feeds_the_sitemap_and_the_head_follow_the_latest_correction_or_update(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID})
    latest = "2024-09-03T08:00:00+03:00"
    assert feedparser.parse((site / "output/feed.xml").read_bytes()).entries[0].updated == latest
    assert json.loads((site / "output/feed.json").read_text())["items"][0]["date_modified"] == latest
    sitemap = etree.parse(site / "output/sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = sitemap.xpath(
        f"//s:url[s:loc='https://example.org{RAID_URL}']/s:lastmod/text()", namespaces=namespace
    )
    assert lastmod == [latest]
    assert page(site, RAID_URL).xpath('//meta[@property="article:modified_time"]/@content') == [latest]


# -- /corrections/ and its feed --------------------------------------------------------------------


def test_the_corrections_page_lists_every_correction_newest_first_with_its_article(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID, "content/figures.md": FIGURES})
    assert listed(site) == [
        (f"{RAID_URL}#correction-2", "The port is in Basra, not Umm Qasr."),
        (f"{RAID_URL}#correction-1", "An earlier version gave five injured; seven were."),
        (f"{FIGURES_URL}#correction-1", "An earlier version misstated the number injured."),
    ]
    first = page(site, "/corrections/").xpath('//ol[@class="corrections"]/li')[0]
    assert text(first.find_class("listing-title")[0]) == "Raid on the port"
    assert text(first.find_class("dateline")[0]) == "Corrected 2 September 2024 · published 31 August 2024"


def test_a_long_list_of_corrections_is_paginated_like_a_listing(tmp_path: Path) -> None:
    files = {
        f"content/{n}.md": article(
            f"Story {n}", corrections=f"[{{date: 2024-09-{n + 1:02d}, text: Fix {n}.}}]"
        )
        for n in range(1, 6)
    }
    site = build(tmp_path, files, per_page=2)
    shown, url = [], "/corrections/"
    while url:  # from the newest down, as a reader goes
        shown += [note for _, note in listed(site, url)]
        older = page(site, url).xpath('//nav[@class="pager"]/a[@rel="prev"]/@href')
        url = older[0] if older else None
    assert shown == ["Fix 5.", "Fix 4.", "Fix 3.", "Fix 2.", "Fix 1."]
    assert text(page(site, "/corrections/").find_class("count")[0]) == "5 corrections"


def test_the_corrections_feed_has_an_entry_for_each_correction_linking_to_it(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID, "content/figures.md": FIGURES})
    feed = feedparser.parse((site / "output/corrections/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title == "Corrections · The Record"
    assert feed.feed.updated == "2024-09-02T12:00:00+03:00"
    base = "https://example.org"
    assert [(e.id, e.link, e.title, e.updated) for e in feed.entries] == [
        (f"{base}{RAID_URL}#correction-2", f"{base}{RAID_URL}#correction-2", "Correction: Raid on the port",
         "2024-09-02T12:00:00+03:00"),
        (f"{base}{RAID_URL}#correction-1", f"{base}{RAID_URL}#correction-1", "Correction: Raid on the port",
         "2024-09-01T09:00:00+03:00"),
        (f"{base}{FIGURES_URL}#correction-1", f"{base}{FIGURES_URL}#correction-1", "Correction: Figures revised",
         "2024-07-05T00:00:00+00:00"),
    ]  # fmt: skip
    assert feed.entries[0].summary == "The port is in Basra, not Umm Qasr."


def test_the_corrections_page_names_its_feed(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID})
    feeds = page(site, "/corrections/").xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert "/corrections/feed.xml" in feeds


def test_every_page_of_a_site_with_corrections_links_them_from_its_footer(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/raid.md": RAID, "content/other.md": article("Other", date="2024-08-01")})
    for url in ("/", "/2024/08/01/other/", "/archive/", "/404.html"):
        assert page(site, url).xpath("//footer//nav//a/@href") == ["/corrections/"], url


def test_a_site_without_corrections_has_no_corrections_page_nor_footer_link(tmp_path: Path) -> None:
    updated = article("Raid on the port", updates="[{date: 2024-09-03, text: Adds a statement.}]")
    site = build(tmp_path, {"content/raid.md": updated})
    assert not (site / "output/corrections").exists()
    assert not page(site, "/").xpath("//footer//nav")


def test_the_corrections_of_a_draft_are_not_published(tmp_path: Path) -> None:
    draft = article("Raid on the port", draft="true", corrections="[{date: 2024-09-02, text: Basra.}]")
    site = build(tmp_path, {"content/raid.md": draft, "content/other.md": article("Other")})
    assert not (site / "output/corrections").exists()


# -- incremental builds ---------------------------------------------------------------------------

SEARCHLESS = 'title = "Test Archive"\nper_page = 4\nsearch = false\n'


def corrected(n: int, *dates: str, updated: str | None = None) -> str:
    """Story ``n`` of test_incremental with a correction on each of ``dates``."""
    items = ", ".join(f"{{date: {date}, text: Correction {i} to story {n}.}}" for i, date in enumerate(dates))
    extra = f"corrections: [{items}]\n" + (f"updated: {updated}\n" if updated else "")
    return story(n).replace("\ntags:", f"\n{extra}tags:", 1)


def test_a_correction_added_renders_its_article_and_the_corrections_page_and_feed_again(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    write(site / "site.toml", SEARCHLESS)
    write(site / "content/story-001.md", corrected(1, "2024-12-01"))
    incremental_build(site)
    output = site / "output"
    before = {path: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()}
    write(site / "content/story-007.md", corrected(7, "2024-12-02"))
    incremental_build(site)
    changed = {
        path.relative_to(output).as_posix()
        for path, mtime in before.items()
        if path.stat().st_mtime_ns != mtime
    }
    assert {
        "2024/08/08/story-number-7/index.html",
        "corrections/index.html",
        "corrections/feed.xml",
    } <= changed
    assert "archive/index.html" not in changed and len(changed) < len(before) / 3
    assert_same_as_cold(site, tmp_path)


def test_the_first_correction_of_a_site_matches_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    incremental_build(site)
    write(site / "content/story-007.md", corrected(7, "2024-12-02"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert (site / "output/corrections/index.html").is_file()


def test_the_last_correction_removed_matches_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content/story-007.md", corrected(7, "2024-12-02"))
    incremental_build(site)
    write(site / "content/story-007.md", story(7))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert not (site / "output/corrections").exists()


def test_corrections_older_than_their_articles_update_match_a_cold_build(tmp_path: Path) -> None:
    # The article's last change stays its 'updated'; only the corrections pages grow.
    site = make_site(tmp_path)
    write(site / "content/story-007.md", corrected(7, "2024-09-01", updated="2025-06-01"))
    incremental_build(site)
    dates = [f"2024-09-{day:02d}" for day in range(1, 12)]
    write(site / "content/story-007.md", corrected(7, *dates, updated="2025-06-01"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
