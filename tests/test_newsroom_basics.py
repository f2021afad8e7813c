"""What a newsroom needs from day one (#15): drafts that say so, a subscribe link, `dateline new`
options, warnings for article URLs that stop working, and errors in the template's own terms."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from support.clock import NOW
from support.serve import Served, save
from support.site import article, build_errors, build_site, page, tree_digest, write_site

from generator.cli import main

SETTINGS = 'title = "Desk"\nbase_url = "https://news.example.org/"\nsearch = false\nper_page = 2\n'
RAID = "/2024/08/31/raid/"
SCHEDULED_DAY = (NOW + timedelta(days=3)).date().isoformat()  # after the build's clock
FILED = {"tags": "[security]", "region": "middle-east/iraq"}


def newsroom(root: Path) -> Path:
    """A published article, a draft and a scheduled one, all tagged and placed alike."""
    return write_site(
        root,
        {
            "site.toml": SETTINGS,
            "content/raid.md": article("Raid", "2024-08-31", slug="raid", **FILED),
            "content/draft.md": article("Draft story", "2024-09-01", slug="draft", draft="true", **FILED),
            "content/later.md": article("Later story", SCHEDULED_DAY, slug="later", **FILED),
        },
    )


def badges(tree: etree._Element) -> list[str]:
    return [" ".join(b.text_content().split()) for b in tree.find_class("badge")]


def header_badges(site: Path, url: str) -> list[str]:
    """The badges of an article page's own header (its related articles' cards have theirs)."""
    return badges(page(site, url).find_class("article-header")[0])


def card_badges(tree: etree._Element) -> dict[str, list[str]]:
    """Each listing card's title and badges."""
    return {
        card.find_class("listing-title")[0].text_content().strip(): badges(card)
        for card in tree.find_class("listing-item")
    }


def feed_titles(path: Path) -> list[str]:
    return [entry.title for entry in feedparser.parse(path.read_bytes()).entries]


def sitemap_urls(path: Path) -> list[str]:
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return [loc.text for loc in etree.parse(str(path)).iter(f"{namespace}loc")]


# -- 1. Drafts and scheduled articles say so, and stay off feeds and sitemaps --------------------


def test_a_build_with_drafts_badges_drafts_and_scheduled_articles_on_their_pages(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    build_site(site, drafts=True)
    assert header_badges(site, "/2024/09/01/draft/") == ["Draft"]
    assert header_badges(site, f"/{SCHEDULED_DAY.replace('-', '/')}/later/") == ["Scheduled"]
    assert header_badges(site, RAID) == []


def test_a_build_with_drafts_badges_them_in_every_listing(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    build_site(site, drafts=True)
    for url in ("/", "/tags/security/", "/regions/middle-east/iraq/"):
        cards = card_badges(page(site, url))
        assert cards.get("Later story") == ["Scheduled"], url
        assert cards.get("Draft story") == ["Draft"], url


def test_a_build_with_drafts_badges_an_expired_article(tmp_path: Path) -> None:
    expired = article("Old notice", "2024-08-30", slug="notice", expiryDate="2025-01-01")
    site = write_site(newsroom(tmp_path), {"content/notice.md": expired})
    build_site(site, drafts=True)
    assert header_badges(site, "/2024/08/30/notice/") == ["Expired"]
    assert feed_titles(site / "output" / "feed.xml") == ["Raid"]


def test_a_build_without_drafts_shows_no_badge(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    build_site(site)
    assert badges(page(site, "/")) == [] and badges(page(site, RAID)) == []


def test_drafts_and_scheduled_articles_stay_out_of_every_feed_in_a_build_with_drafts(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    build_site(site, drafts=True)
    out = site / "output"
    for feed in ("feed.xml", "tags/security/feed.xml", "regions/middle-east/iraq/feed.xml"):
        assert feed_titles(out / feed) == ["Raid"], feed
    assert [item["title"] for item in json.loads((out / "feed.json").read_text())["items"]] == ["Raid"]


def test_drafts_and_scheduled_articles_stay_out_of_the_sitemaps_in_a_build_with_drafts(
    tmp_path: Path,
) -> None:
    site = newsroom(tmp_path)
    build_site(site, drafts=True, now=NOW)
    listed = sitemap_urls(site / "output" / "sitemap.xml")
    assert "https://news.example.org/2024/08/31/raid/" in listed
    assert not [url for url in listed if "draft" in url or "later" in url]
    assert sitemap_urls(site / "output" / "news-sitemap.xml") == []


def test_a_scheduled_article_coming_due_loses_its_badge_and_joins_the_feeds(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    build_site(site, drafts=True)
    later = NOW + timedelta(days=4)
    build_site(site, now=later, drafts=True)  # incremental: only the clock moved
    cold = tmp_path / "cold"
    build_site(site, now=later, drafts=True, output_dir=cold, cache_folder=tmp_path / "cold-cache")
    for name in (
        "index.html",
        f"{SCHEDULED_DAY.replace('-', '/')}/later/index.html",
        "feed.xml",
        "sitemap.xml",
    ):
        assert (site / "output" / name).read_bytes() == (cold / name).read_bytes(), name
    assert card_badges(page(site, "/"))["Later story"] == []
    assert feed_titles(site / "output" / "feed.xml") == ["Later story", "Raid"]


def test_serve_with_drafts_badges_drafts(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    served = Served(site, "--drafts")
    try:
        assert '<p class="badge badge-draft">Draft</p>' in served.get("/2024/09/01/draft/").text
    finally:
        served.stop()


# -- 2. Subscribe links ---------------------------------------------------------------------------


def subscribe_links(tree: etree._Element) -> dict[str, str]:
    return {a.text_content(): a.get("href") for p in tree.find_class("subscribe") for a in p.iter("a")}


def test_every_page_footer_links_the_site_feed(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    build_site(site)
    for url in ("/", RAID, "/tags/", "/archive/", "/404.html"):
        footer = page(site, url).find(".//footer[@class='site-footer']")
        assert subscribe_links(footer) == {"Subscribe (RSS)": "/feed.xml"}, url


def test_tag_and_region_pages_link_their_own_feed_on_every_page(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"site.toml": SETTINGS}
        | {f"content/{n}.md": article(f"Story {n}", f"2024-08-{n:02d}", **FILED) for n in range(1, 8)},
    )
    build_site(site)
    for listing, name in (("/tags/security/", "tag"), ("/regions/middle-east/iraq/", "region")):
        numbered = sorted((site / "output" / listing.strip("/") / "page").iterdir())
        for url in (listing, f"{listing}page/{numbered[0].name}/"):
            links = subscribe_links(page(site, url).find(".//main"))
            assert links == {f"Subscribe to this {name} (RSS)": f"{listing}feed.xml"}, url
            assert (site / "output" / listing.strip("/") / "feed.xml").is_file()


def test_pages_without_a_feed_of_their_own_link_only_the_site_feed(tmp_path: Path) -> None:
    site = write_site(
        tmp_path, {"site.toml": SETTINGS, "content/raid.md": article("Raid", author="Ana Ruiz")}
    )
    build_site(site)
    for url in ("/", "/authors/ana-ruiz/", "/2024/"):
        assert subscribe_links(page(site, url).find(".//main")) == {}, url


# -- 3. Safe publishing (publish's refusals: tests/test_publish.py) --------------------------------


def test_serving_and_saving_leave_a_built_output_byte_for_byte_as_it_was(tmp_path: Path) -> None:
    site = newsroom(tmp_path)
    build_site(site)
    before = tree_digest(site / "output")
    served = Served(site, "--drafts")
    try:
        save(site / "content/raid.md", article("Raid", "2024-08-31", "Edited.", slug="raid", **FILED))
        served.wait_for(r"Built \d+ pages .*raid\.md")
        canonical = etree.HTML(served.get(RAID).body).xpath("//link[@rel='canonical']/@href")
    finally:
        served.stop()
    assert canonical == [f"{served.origin}{RAID}"]  # the preview's own links lead to the preview
    assert tree_digest(site / "output") == before
    assert page(site, RAID).xpath("//link[@rel='canonical']/@href") == [f"https://news.example.org{RAID}"]


# -- 4. URLs that never break -----------------------------------------------------------------


def moved_site(root: Path) -> Path:
    """A site built once, with the article whose URL the tests move and one more."""
    write_site(
        root,
        {
            "site.toml": SETTINGS,
            "content/2024/raid.md": article("Raid", "2024-08-31", slug="raid"),
            "content/2024/floods.md": article("Floods", "2024-09-01"),
        },
    )
    build_site(root)
    return root


def warnings_of(site: Path, **overrides: object) -> list[str]:
    return [str(w) for w in build_site(site, **overrides).warnings]


def test_a_moved_article_url_is_warned_about_with_the_aliases_line_that_keeps_it(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    write_site(site, {"content/2024/raid.md": article("Raid", "2024-08-31", slug="raid-update")})
    assert warnings_of(site) == [
        f"{site}/content/2024/raid.md:4: its URL moved from /2024/08/31/raid/ to /2024/08/31/raid-update/; "
        'add "aliases: [/2024/08/31/raid/]" to keep the old one'
    ]


def test_the_aliases_line_keeps_the_old_url_and_ends_the_warning(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    moved = article("Raid", "2024-08-31", slug="raid-update", aliases="[/2024/08/31/raid/]")
    write_site(site, {"content/2024/raid.md": moved})
    assert warnings_of(site) == []
    assert (site / "output/2024/08/31/raid/index.html").is_file()


def test_a_url_moved_by_a_new_date_is_warned_about_at_the_article(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    write_site(site, {"content/2024/raid.md": article("Raid", "2024-09-01", slug="raid")})
    [warning] = warnings_of(site)
    assert "its URL moved from /2024/08/31/raid/ to /2024/09/01/raid/" in warning


def test_an_article_with_aliases_is_told_to_add_the_old_url_to_them(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    write_site(site, {"content/2024/raid.md": article("Raid", "2024-09-01", slug="raid", aliases="[/old/]")})
    assert warnings_of(site) == [
        f"{site}/content/2024/raid.md:5: its URL moved from /2024/08/31/raid/ to /2024/09/01/raid/; "
        "add /2024/08/31/raid/ to its aliases to keep the old one"
    ]


def test_toml_front_matter_is_told_the_aliases_line_in_toml(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {"site.toml": SETTINGS, "content/raid.md": '+++\ntitle = "Raid"\ndate = 2024-08-31\n+++\nBody.\n'},
    )
    build_site(site)
    write_site(site, {"content/raid.md": '+++\ntitle = "Raid"\ndate = 2024-09-01\n+++\nBody.\n'})
    [warning] = warnings_of(site)
    assert warning.endswith('add "aliases = ["/2024/08/31/raid/"]" to keep the old one')


def test_a_deleted_article_names_the_url_that_now_answers_404(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    (site / "content/2024/raid.md").unlink()
    assert warnings_of(site) == [
        f"{site}/content/2024/raid.md:1: deleted, so /2024/08/31/raid/ now answers 404 Not Found; to keep "
        'it, add "aliases: [/2024/08/31/raid/]" to the article that replaces it'
    ]


def test_a_renamed_file_whose_url_moved_is_found_by_its_title(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    (site / "content/2024/raid.md").rename(site / "content/2024/raid-in-anbar.md")
    write_site(site, {"content/2024/raid-in-anbar.md": article("Raid", "2024-08-31", slug="raid-in-anbar")})
    [warning] = warnings_of(site)
    assert warning.startswith(f"{site}/content/2024/raid-in-anbar.md:4: its URL moved from /2024/08/31/raid/")


def test_an_article_made_a_draft_again_left_on_purpose_and_is_not_warned_about(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    write_site(site, {"content/2024/raid.md": article("Raid", "2024-08-31", slug="raid", draft="true")})
    assert warnings_of(site) == []


def test_a_first_build_warns_about_no_url(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"site.toml": SETTINGS, "content/raid.md": article("Raid")})
    assert warnings_of(site) == []


def test_a_build_that_changes_nothing_repeats_the_warning(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    write_site(site, {"content/2024/raid.md": article("Raid", "2024-08-31", slug="raid-update")})
    first = warnings_of(site)
    assert len(first) == 1 and warnings_of(site) == first


def test_the_next_build_after_the_warning_compares_with_the_moved_url(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    write_site(site, {"content/2024/raid.md": article("Raid", "2024-08-31", slug="raid-update")})
    warnings_of(site)
    write_site(site, {"content/2024/floods.md": article("Floods", "2024-09-01", body="The port closed.")})
    assert warnings_of(site) == []


def test_a_build_from_scratch_still_compares_with_the_last_build(tmp_path: Path, capsys) -> None:
    site = moved_site(tmp_path)
    write_site(site, {"content/2024/raid.md": article("Raid", "2024-08-31", slug="raid-update")})
    assert main(["build", "--site", str(site), "--no-cache"]) == 0
    assert "raid.md:4: its URL moved from /2024/08/31/raid/" in capsys.readouterr().err


def test_serve_shows_a_moved_url_on_the_save_that_moved_it(tmp_path: Path) -> None:
    site = moved_site(tmp_path)
    served = Served(site)
    try:
        save(site / "content/2024/raid.md", article("Raid", "2024-08-31", slug="raid-update"))
        served.wait_for(r"raid\.md:4: its URL moved from /2024/08/31/raid/ to /2024/08/31/raid-update/")
    finally:
        served.stop()


# -- 5. dateline new ---------------------------------------------------------------------------


def test_new_writes_the_author_summary_date_and_draft_given(tmp_path: Path, capsys) -> None:
    write_site(tmp_path, {"site.toml": 'timezone = "Asia/Baghdad"\n'})
    args = [
        "--author",
        "Ana Ruiz",
        "--summary",
        "Ships wait offshore.",
        "--date",
        "2024-08-31 09:30",
        "--draft",
    ]
    assert main(["new", "Floods close the port", *args, "--site", str(tmp_path)]) == 0
    created = Path(capsys.readouterr().out.strip())
    assert created == tmp_path / "content/2024/floods-close-the-port.md"
    text = created.read_text(encoding="utf-8")
    assert 'author: "Ana Ruiz"\nsummary: "Ships wait offshore."\ndraft: true\n' in text
    assert "date: 2024-08-31T09:30:00+03:00\n" in text


def test_a_new_draft_is_built_only_with_drafts(tmp_path: Path, capsys) -> None:
    write_site(tmp_path, {"site.toml": SETTINGS})
    assert main(["new", "Floods", "--date", "2024-08-31", "--draft", "--site", str(tmp_path)]) == 0
    assert build_site(tmp_path).articles == 0
    assert build_site(tmp_path, drafts=True).articles == 1


def test_new_with_a_date_that_is_no_date_is_a_usage_error(tmp_path: Path, capsys) -> None:
    write_site(tmp_path, {"site.toml": SETTINGS})
    with pytest.raises(SystemExit) as exited:
        main(["new", "Floods", "--date", "2024-02-30", "--site", str(tmp_path)])
    assert exited.value.code == 2
    assert "argument --date: '2024-02-30' is no date" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


# -- 6. Messages ------------------------------------------------------------------------------


def template_error(root: Path, line: str) -> str:
    """The error of a build whose 404 page template holds ``line`` as its second line."""
    site = write_site(
        root,
        {
            "site.toml": SETTINGS + '[extra]\ntwitter = "@desk"\n',
            "content/raid.md": article("Raid"),
            "templates/404.html": f"<!DOCTYPE html>\n{line}\n",
        },
    )
    [error] = build_errors(site)
    prefix, suffix = f"{site}/templates/404.html:2: ", " (while rendering /404.html)"
    assert error.startswith(prefix) and error.endswith(suffix), error
    return error.removeprefix(prefix).removesuffix(suffix)


def test_a_misspelt_attribute_is_named_as_the_template_writes_it_with_the_name_meant(tmp_path: Path) -> None:
    assert (
        template_error(tmp_path, "<p>{{ config.titel }}</p>")
        == "config.titel is undefined; did you mean config.title?"
    )


def test_a_misspelt_attribute_of_a_loop_variable_is_named_as_written(tmp_path: Path) -> None:
    message = template_error(tmp_path, "{% for entry in menu %}{{ entry.lable }}{% endfor %}")
    assert message == "entry.lable is undefined; did you mean entry.label?"


def test_an_attribute_the_line_does_not_spell_out_is_named_by_what_templates_call_its_object(
    tmp_path: Path,
) -> None:
    message = template_error(tmp_path, "<p>{{ menu[0].lable }}</p>")
    assert message == "item.lable is undefined; did you mean item.label?"


def test_a_misspelt_key_of_a_table_is_named_as_written(tmp_path: Path) -> None:
    message = template_error(tmp_path, "<p>{{ config.extra['twiter'] }}</p>")
    assert message == 'config.extra["twiter"] is undefined; did you mean config.extra["twitter"]?'


def test_a_misspelt_variable_is_told_the_variable_meant(tmp_path: Path) -> None:
    assert (
        template_error(tmp_path, "<p>{{ confg.title }}</p>") == "'confg' is undefined; did you mean 'config'?"
    )


def test_a_mistyped_command_is_told_the_command_meant(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["buidl"])
    assert exited.value.code == 2
    assert "invalid choice: 'buidl'" in (err := capsys.readouterr().err) and "did you mean 'build'?" in err
