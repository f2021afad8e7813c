"""On this day: /on-this-day/MM-DD/ lists a month-day's articles of every year, /on-this-day/ is a
calendar of those days, and the home page shows today's from earlier years (issue #14)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from lxml import etree
from support.site import article, build_site, files_of, links, page, write_site

from generator.config import load_config
from generator.engine.build import build
from generator.engine.state import load_state

SETTINGS = 'title = "Desk"\nbase_url = "https://example.org/"\nsearch = false\n'
ARTICLES = {
    "content/raid-2019.md": article("Raid in 2019", "2019-08-31T09:00:00Z"),
    "content/raid-2023-early.md": article("Morning raid 2023", "2023-08-31T08:00:00Z"),
    "content/raid-2023-late.md": article("Evening raid 2023", "2023-08-31T20:00:00Z"),
    "content/vote-2021.md": article("Vote of 2021", "2021-08-31T12:00:00Z"),
    "content/other-day.md": article("Another day", "2022-03-10T12:00:00Z"),
}
ON_31_AUGUST_2026 = datetime(2026, 8, 31, 12, tzinfo=UTC)


def _site(root: Path, files: dict[str, str] | None = None, settings: str = SETTINGS) -> Path:
    return write_site(root, {"site.toml": settings, **(ARTICLES if files is None else files)})


def _text(element: etree._Element) -> str:
    return " ".join(element.text_content().split())


def test_a_dates_page_lists_each_years_articles_newest_year_first(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=ON_31_AUGUST_2026)
    shown = page(site, "/on-this-day/08-31/")
    years = [_text(h2) for h2 in shown.xpath("//main//section/h2")]
    assert years == ["2023", "2021", "2019"]
    titles = [_text(title) for title in shown.xpath("//main//*[@class='listing-title']")]
    assert titles == ["Evening raid 2023", "Morning raid 2023", "Vote of 2021", "Raid in 2019"]
    assert _text(shown.xpath("//h1")[0]) == "31 August"


def test_each_year_links_to_its_day_in_the_archive(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=ON_31_AUGUST_2026)
    headings = page(site, "/on-this-day/08-31/").xpath("//main//section/h2/a/@href")
    assert headings == ["/2023/08/31/", "/2021/08/31/", "/2019/08/31/"]


def test_every_day_with_articles_has_a_page_and_no_other_does(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=ON_31_AUGUST_2026)
    assert sorted(p.name for p in (site / "output/on-this-day").iterdir() if p.is_dir()) == ["03-10", "08-31"]


def test_the_index_is_a_calendar_linking_only_the_days_with_articles(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=ON_31_AUGUST_2026)
    index = page(site, "/on-this-day/")
    months = [_text(h2) for h2 in index.xpath("//main//section/h2")]
    assert months[0] == "January" and months[-1] == "December" and len(months) == 12
    assert [link for link in links(index) if link.startswith("/on-this-day/")] == [
        "/on-this-day/03-10/",
        "/on-this-day/08-31/",
    ]
    august = index.xpath("//main//section[h2='August']//li")
    assert len(august) == 31
    assert _text(august[-1]) == "31 August (4 articles)"  # the count is read out, not shown


def test_29_february_has_its_page_and_its_place_in_every_calendar(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/leap.md": article("Leap day", "2024-02-29")})
    build_site(site, now=ON_31_AUGUST_2026)
    assert page(site, "/on-this-day/02-29/").xpath("//main//section/h2/a/@href") == ["/2024/02/29/"]
    february = page(site, "/on-this-day/").xpath("//main//section[h2='February']//li")
    assert len(february) == 29
    assert february[-1].xpath(".//a/@href") == ["/on-this-day/02-29/"]


def test_a_leap_day_is_on_the_home_page_only_in_leap_years(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/leap.md": article("Leap day", "2024-02-29")})
    build_site(site, now=datetime(2027, 2, 28, 12, tzinfo=UTC))
    assert not page(site, "/").xpath("//section[contains(@class, 'on-this-day')]")
    assert load_state(load_config(site)).due == datetime(2028, 2, 29, tzinfo=UTC)  # type: ignore[union-attr]
    build_site(site, now=datetime(2028, 2, 29, 12, tzinfo=UTC))
    assert page(site, "/").xpath("//section[contains(@class, 'on-this-day')]//a/text()")[1] == "Leap day"


def test_the_home_page_shows_todays_articles_of_earlier_years(tmp_path: Path) -> None:
    site = _site(tmp_path, {**ARTICLES, "content/today.md": article("Today's news", "2026-08-31T06:00:00Z")})
    build_site(site, now=ON_31_AUGUST_2026)
    block = page(site, "/").xpath("//section[contains(@class, 'on-this-day')]")[0]
    assert _text(block.xpath("h2")[0]) == "On this day, 31 August"
    assert [_text(h3) for h3 in block.xpath("h3")] == ["2023", "2021", "2019"]
    titles = [_text(t) for t in block.xpath(".//*[@class='listing-title']")]
    assert titles == ["Evening raid 2023", "Morning raid 2023", "Vote of 2021", "Raid in 2019"]
    assert block.xpath(".//p[@class='more']/a/@href") == ["/on-this-day/08-31/"]


def test_the_home_page_has_no_block_on_a_day_without_earlier_articles(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=datetime(2026, 9, 1, 12, tzinfo=UTC))
    assert not page(site, "/").xpath("//section[contains(@class, 'on-this-day')]")


def test_today_is_the_day_in_the_sites_time_zone(tmp_path: Path) -> None:
    site = _site(tmp_path, settings=SETTINGS + 'timezone = "Asia/Tokyo"\n')
    build_site(site, now=datetime(2026, 8, 30, 20, tzinfo=UTC))  # 05:00 on 31 August in Tokyo
    assert page(site, "/").xpath("//section[contains(@class, 'on-this-day')]/h2/text()") == [
        "On this day, 31 August"
    ]


def test_the_pages_are_in_the_sitemap_and_not_in_the_menu(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=ON_31_AUGUST_2026)
    sitemap = (site / "output/sitemap.xml").read_text()
    assert "https://example.org/on-this-day/</loc>" in sitemap
    assert "https://example.org/on-this-day/08-31/</loc>" in sitemap
    assert "/on-this-day/" not in page(site, "/").xpath("string(//nav[@aria-label='Site'])")
    menu = page(site, "/").xpath("//header//nav//a/@href")
    assert not [link for link in menu if "on-this-day" in link]


def test_a_build_without_changes_is_due_again_at_the_next_midnight(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=ON_31_AUGUST_2026)
    state = load_state(load_config(site))
    assert state is not None and state.due == datetime(2026, 9, 1, tzinfo=UTC)


def test_on_a_day_without_any_the_build_is_due_when_the_next_one_starts(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(site, now=datetime(2026, 4, 1, 12, tzinfo=UTC))
    state = load_state(load_config(site))
    assert state is not None and state.due == datetime(2026, 8, 31, tzinfo=UTC)


def test_an_incremental_build_after_midnight_equals_a_cold_one(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    before, after = datetime(2026, 8, 30, 23, 30, tzinfo=UTC), datetime(2026, 8, 31, 0, 30, tzinfo=UTC)
    build(load_config(site), now=before, jobs=1)
    assert not page(site, "/").xpath("//section[contains(@class, 'on-this-day')]")
    report = build(load_config(site), now=after, jobs=1)  # nothing edited: only the clock moved on
    assert report.written == 1  # the home page
    cold = tmp_path / "cold"
    build(load_config(site, output_dir=cold), now=after, jobs=1, use_cache=False)
    assert files_of(site / "output") == files_of(cold)
    # And back to no block the next day, still as a cold build would.
    next_day = datetime(2026, 9, 1, 0, 30, tzinfo=UTC)
    build(load_config(site), now=next_day, jobs=1)
    build(load_config(site, output_dir=tmp_path / "cold-2"), now=next_day, jobs=1, use_cache=False)
    assert files_of(site / "output") == files_of(tmp_path / "cold-2")
