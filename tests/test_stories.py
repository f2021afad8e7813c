"""Story threads: articles whose front matter names a running story (``story: anbar-raids``)
are told together on the story's page, oldest first, with a feed of their own; each of them
says which part of the story it is and links the story's latest development."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import html
from support.clock import NOW
from support.site import article, build_errors, build_site, links, page, write_site
from test_incremental import assert_same_as_cold, incremental_build, write

from generator.check import check
from generator.config import load_config
from generator.errors import BuildFailed

SETTINGS = 'title = "Desk"\nbase_url = "https://example.org/"\nsearch = false\n'
RAID = "/2024/08/01/us-and-iraqi-forces-raid-a-village-in-anbar/"
TOLL = "/2024/08/03/death-toll-from-the-anbar-raid-rises-to-12/"
FLOODS = "/2024/08/05/floods-close-schools-in-kenya/"
INQUIRY = "/2024/08/10/pentagon-opens-an-inquiry-into-the-raid/"
STORY = "/stories/anbar-raids/"


def _raids(root: Path, settings: str = SETTINGS) -> Path:
    """Three articles of one story, written two ways, with an article of no story among them."""
    return write_site(
        root,
        {
            "site.toml": settings,
            "content/raid.md": article(
                "US and Iraqi forces raid a village in Anbar",
                "2024-08-01T05:00:00+03:00",
                story="anbar-raids",
            ),
            "content/toll.md": article(
                "Death toll from the Anbar raid rises to 12", "2024-08-03", story="Anbar raids"
            ),
            "content/floods.md": article("Floods close schools in Kenya", "2024-08-05"),
            "content/inquiry.md": article(
                "Pentagon opens an inquiry into the raid",
                "2024-08-10",
                story="anbar-raids",
                summary="The inquiry will report by October.",
            ),
        },
    )


def _text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _timeline(site: Path, url: str = STORY) -> list[tuple[str, str, str]]:
    return [
        (li.find("time").text, li.find("a").text, li.find("a").get("href"))
        for li in page(site, url).xpath('//ol[@class="story-timeline"]/li')
    ]


def _part_of(site: Path, url: str) -> str:
    return _text(page(site, url).xpath('//nav[@class="story-part"]/p')[0])


def _story_neighbours(site: Path, url: str) -> dict[str, str]:
    found = page(site, url).xpath('//nav[contains(@class, "story-neighbours")]/a')
    return {a.get("class"): a.get("href") for a in found}


def _latest(site: Path, url: str) -> list[str]:
    return page(site, url).xpath('//nav[@class="story-part"]/p[span="Latest:"]/a/@href')


def _menu(site: Path) -> list[str]:
    return [a.get("href") for a in page(site, "/").xpath('//nav[@class="site-nav"]//a')]


def test_the_story_page_tells_the_thread_oldest_first_with_dates_and_linked_headlines(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    assert _timeline(site) == [
        ("1 August 2024", "US and Iraqi forces raid a village in Anbar", RAID),
        ("3 August 2024", "Death toll from the Anbar raid rises to 12", TOLL),
        ("10 August 2024", "Pentagon opens an inquiry into the raid", INQUIRY),
    ]


def test_a_story_written_as_its_name_is_the_story_of_that_slug(tmp_path: Path):
    site = _raids(tmp_path)  # "Anbar raids" on one article, "anbar-raids" on the others
    build_site(site)
    assert TOLL in [href for _, _, href in _timeline(site)]
    assert not (site / "output/stories/anbar-raids-2").exists()


def test_the_story_page_opens_with_the_summary_of_its_newest_article(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    latest = page(site, STORY).xpath('//section[contains(@class, "story-latest")]')[0]
    assert latest.xpath(".//h3/a/@href") == [INQUIRY]
    assert _text(latest.xpath('.//p[@class="summary"]')[0]) == "The inquiry will report by October."


def test_a_story_is_named_after_its_first_article_unless_the_settings_name_it(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    assert _text(page(site, STORY).find(".//h1")) == "US and Iraqi forces raid a village in Anbar"
    write_site(site, {"site.toml": SETTINGS + '[stories]\nanbar-raids = "The Anbar raids"\n'})
    build_site(site)
    assert _text(page(site, STORY).find(".//h1")) == "The Anbar raids"
    assert _part_of(site, TOLL) == "Part of: The Anbar raids (2 of 3)"


def test_a_stories_key_that_names_no_story_is_warned_at_its_line_with_the_closest(tmp_path: Path):
    site = _raids(tmp_path, SETTINGS + '[stories]\nanbar-raids = "Raids"\nanbar-raid = "Raid"\n')
    warnings = [str(w) for w in build_site(site).warnings]
    assert warnings == [
        f"{site}/site.toml:6: [stories] 'anbar-raid' names no story; did you mean 'anbar-raids'?"
    ]


def test_a_story_that_is_no_text_is_an_error_at_its_line(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Raid", "2024-08-01", story="[anbar, raids]")})
    assert build_errors(tmp_path) == [f"{tmp_path}/content/a.md:4: 'story' must be text, not a list"]


def test_an_article_says_which_part_of_its_story_it_is_and_links_the_story(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    assert [_part_of(site, url) for url in (RAID, TOLL, INQUIRY)] == [
        f"Part of: US and Iraqi forces raid a village in Anbar ({n} of 3)" for n in (1, 2, 3)
    ]
    assert page(site, TOLL).xpath('//nav[@class="story-part"]/p[1]/a/@href') == [STORY]


def test_an_article_links_the_previous_and_next_of_its_story_not_of_the_site(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    assert _story_neighbours(site, RAID) == {"newer": TOLL}
    assert _story_neighbours(site, TOLL) == {"older": RAID, "newer": INQUIRY}
    assert _story_neighbours(site, INQUIRY) == {"older": TOLL}  # the site's previous is the floods
    assert page(site, INQUIRY).xpath('//a[@rel="prev"]/@href') == [FLOODS]


def test_an_article_links_the_latest_of_its_story_unless_it_is_the_latest(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    assert [_latest(site, url) for url in (RAID, TOLL, INQUIRY)] == [[INQUIRY], [INQUIRY], []]


def test_an_article_of_no_story_shows_no_story(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    tree = page(site, FLOODS)
    assert tree.xpath('//nav[@class="story-part"]') == [] and STORY not in links(tree)


def test_the_story_index_lists_stories_by_their_latest_update_with_counts_and_dates(tmp_path: Path):
    site = _raids(tmp_path)
    write_site(
        site,
        {
            "content/kenya-1.md": article("Rains begin in Kenya", "2024-07-20", story="kenya-floods"),
            "content/kenya-2.md": article("Kenya floods worsen", "2024-08-12", story="kenya-floods"),
            "content/old.md": article("A quiet story", "2023-01-01", story="quiet"),
        },
    )
    build_site(site)
    items = page(site, "/stories/").xpath('//ol[contains(@class, "stories")]/li')
    assert [item.xpath(".//h2/a/@href")[0] for item in items] == [
        "/stories/kenya-floods/",
        STORY,
        "/stories/quiet/",
    ]
    assert _text(items[1].xpath('.//p[@class="count"]')[0]) == (
        "3 articles · latest on 10 August 2024: Pentagon opens an inquiry into the raid"
    )


def test_the_menu_has_stories_only_when_the_site_has_one(tmp_path: Path):
    site = write_site(tmp_path, {"site.toml": SETTINGS, "content/a.md": article("Raid", "2024-08-01")})
    build_site(site)
    assert "/stories/" not in _menu(site) and not (site / "output/stories").exists()
    write_site(site, {"content/b.md": article("Toll", "2024-08-02", story="raid")})
    build_site(site)
    assert _menu(site) == ["/", "/stories/", "/regions/", "/tags/", "/archive/"]


def test_story_urls_follow_the_permalink_setting(tmp_path: Path):
    site = _raids(tmp_path, SETTINGS + '[permalinks]\nstory = "/running/:slug/"\n')
    build_site(site)
    assert "/running/" in _menu(site)
    assert (site / "output/running/index.html").is_file()
    assert page(site, TOLL).xpath('//nav[@class="story-part"]/p[1]/a/@href') == ["/running/anbar-raids/"]
    assert (site / "output/running/anbar-raids/feed.xml").is_file()


def test_a_story_page_wanted_by_another_page_is_an_error_at_both_lines(tmp_path: Path):
    raid = article("Raid", "2024-08-01", permalink="/stories/raid/", story="raid")
    write_site(tmp_path, {"site.toml": SETTINGS, "content/a.md": raid})
    source = tmp_path / "content/a.md"
    assert build_errors(tmp_path) == [
        f"{source}:2: URL /stories/raid/ is also wanted by the story 'raid'",
        f"{source}:5: story 'raid' makes a page: URL /stories/raid/ is also wanted by {source}",
    ]


def test_a_story_has_an_atom_feed_of_its_articles_newest_first(tmp_path: Path):
    site = _raids(tmp_path)
    build_site(site)
    feed = feedparser.parse((site / "output/stories/anbar-raids/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "US and Iraqi forces raid a village in Anbar · Desk"
    assert feed.feed.link == "https://example.org" + STORY
    assert [entry.link for entry in feed.entries] == [
        "https://example.org" + url for url in (INQUIRY, TOLL, RAID)
    ]
    head = page(site, STORY).xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert STORY + "feed.xml" in head


def test_a_draft_is_no_part_of_its_story_until_it_is_published(tmp_path: Path):
    site = _raids(tmp_path)
    write_site(site, {"content/draft.md": article("Draft", "2024-08-20", story="anbar-raids", draft="true")})
    build_site(site)
    assert _part_of(site, INQUIRY) == "Part of: US and Iraqi forces raid a village in Anbar (3 of 3)"
    build_site(site, drafts=True)
    assert _part_of(site, INQUIRY) == "Part of: US and Iraqi forces raid a village in Anbar (3 of 4)"


def test_dateline_check_renders_the_story_pages_a_build_writes(tmp_path: Path):
    site = _raids(tmp_path)
    assert check(load_config(site), NOW).pages == build_site(site).pages


def test_dateline_check_follows_the_links_of_story_pages(tmp_path: Path):
    site = _raids(tmp_path)
    broken = '{% extends "base.html" %}{% block main %}<a href="/gone/">Gone</a>{% endblock %}'
    write_site(site, {"templates/story.html": broken})
    with pytest.raises(BuildFailed) as failed:
        check(load_config(site), NOW)
    assert [str(error) for error in failed.value.errors] == [
        "/stories/anbar-raids:1: broken link to /gone/ (from a template)"
    ]


# -- incremental builds ----------------------------------------------------------------------------


def _part(n: int, title: str | None = None, body: str = "Body text.") -> str:
    date = f"2024-08-{n:02d}"
    return article(title or f"Part {n}", date, body, slug=f"part-{n}", story="raids", summary=f"Summary {n}.")


def _story_site(root: Path) -> Path:
    site = root / "site"
    write(site / "site.toml", SETTINGS)
    for n in range(1, 6):
        write(site / "content" / f"part-{n}.md", _part(n))
    write(site / "content" / "other.md", article("Other news", "2024-08-03T12:00:00Z"))
    incremental_build(site)
    return site


def test_an_article_added_to_a_story_matches_a_cold_build(tmp_path: Path):
    site = _story_site(tmp_path)
    write(site / "content" / "part-6.md", _part(6))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert _part_of(site, "/2024/08/01/part-1/") == "Part of: Part 1 (1 of 6)"


def test_an_article_moved_to_another_story_matches_a_cold_build(tmp_path: Path):
    site = _story_site(tmp_path)
    write(site / "content" / "part-3.md", article("Part 3", "2024-08-03", story="floods"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def test_a_new_title_for_the_first_article_renames_the_story_as_a_cold_build_does(tmp_path: Path):
    site = _story_site(tmp_path)
    write(site / "content" / "part-1.md", _part(1, "The raids begin"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert _part_of(site, "/2024/08/04/part-4/") == "Part of: The raids begin (4 of 5)"


def test_a_body_edit_of_one_part_renders_no_other_part_and_not_the_story_page(tmp_path: Path):
    site = _story_site(tmp_path)
    write(site / "content" / "part-3.md", _part(3, body="A new body."))
    report = incremental_build(site)
    # Its own page, and the feeds that carry its body: the site's, Atom and JSON (the story's
    # feed carries summaries).
    assert report.rendered == 3
    assert_same_as_cold(site, tmp_path)


def test_a_new_title_for_the_latest_part_rewrites_every_part_that_links_it(tmp_path: Path):
    site = _story_site(tmp_path)
    write(site / "content" / "part-5.md", _part(5, "Part 5, the latest"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert _latest(site, "/2024/08/01/part-1/") == ["/2024/08/05/part-5/"]
    assert "Part 5, the latest" in _text(
        page(site, "/2024/08/01/part-1/").xpath('//nav[@class="story-part"]')[0]
    )


def test_a_series_of_story_edits_each_matches_a_cold_build(tmp_path: Path):
    site = _story_site(tmp_path)
    edits = [
        ("content/other.md", article("Other news", "2024-08-03T12:00:00Z", story="Raids")),  # joins it
        ("content/part-2.md", _part(2).replace("story: raids", "story: floods")),  # a second story
        ("site.toml", SETTINGS + '[stories]\nraids = "The raids"\nfloods = "Floods"\n'),
        ("content/part-5.md", _part(5).replace("story: raids\n", "draft: true\n")),  # the latest leaves
        ("content/part-2.md", _part(2).replace("story: raids\n", "")),  # the second story ends
        ("site.toml", SETTINGS),
    ]
    for relative, text in edits:
        write(site / relative, text)
        incremental_build(site)
        assert_same_as_cold(site, tmp_path)
