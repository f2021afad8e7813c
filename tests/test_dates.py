"""Dates and time zones: the day page an article lands on, across every awkward case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import article, build_errors, build_site, page, run_cli, write_site
from hypothesis import given
from hypothesis import strategies as st

from generator.content import parse_date

LONDON = ZoneInfo("Europe/London")


def day_of(tmp_path: Path, date: str, **settings: object) -> str:
    write_site(tmp_path, {"content/a.md": article("Story", date=date)})
    build_site(tmp_path, now=datetime(9000, 1, 1, tzinfo=UTC), **settings)
    urls = [
        p.parent.relative_to(tmp_path / "output").as_posix()
        for p in (tmp_path / "output").rglob("story/index.html")
    ]
    assert len(urls) == 1
    return urls[0].removesuffix("/story")


def test_late_evening_local_time_lands_on_that_local_day(tmp_path: Path):
    write_site(tmp_path, {"site.toml": 'timezone = "America/New_York"\n'})
    assert day_of(tmp_path, "2024-08-31 23:30") == "2024/08/31"
    assert "Story" in page(tmp_path, "/2024/08/31/").text_content()
    assert not (tmp_path / "output/2024/09/01").exists()  # 03:30 UTC on 1 September


def test_offset_time_is_filed_under_its_day_as_written(tmp_path: Path):
    assert day_of(tmp_path, "2024-08-31T23:30:00-05:00", timezone="Asia/Tokyo") == "2024/08/31"


def test_offset_time_can_be_filed_under_the_site_timezone_day(tmp_path: Path):
    settings = {"timezone": "Asia/Tokyo", "archive_day": "site"}
    assert day_of(tmp_path, "2024-08-31T23:30:00-05:00", **settings) == "2024/09/01"


def test_leap_day_is_a_date_and_february_29_of_a_common_year_is_not(tmp_path: Path):
    assert day_of(tmp_path, "2024-02-29") == "2024/02/29"
    write_site(tmp_path, {"content/a.md": article("Story", date="2023-02-29")})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/a.md:3: 'date' is not a valid date: '2023-02-29' (day is out of range for month)"
    ]


def test_dates_before_1970_are_archived(tmp_path: Path):
    assert day_of(tmp_path, "1956-10-23T08:00:00+01:00") == "1956/10/23"


def test_far_future_dates_are_archived_with_drafts(tmp_path: Path):
    assert day_of(tmp_path, "2999-12-31", drafts=True) == "2999/12/31"


def test_dates_too_far_out_to_compare_are_errors(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Story", date="9999-12-31T23:00:00-05:00")})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/a.md:3: 'date' is not a valid date: '9999-12-31T23:00:00-05:00' (too far in the past or future)"
    ]


@pytest.mark.parametrize(
    ("date", "zone"),
    [
        ("0001-01-01", "Asia/Tokyo"),  # midnight in Tokyo is 15:00 UTC the day before year 1
        ("9999-12-31 23:00", "America/New_York"),  # 04:00 UTC in the year 10000
        ("9999-12-31T23:00:00Z", "Asia/Tokyo"),  # the year 10000 in the site's timezone
    ],
)
def test_a_date_too_far_out_for_the_site_timezone_is_an_error_not_a_crash(
    tmp_path: Path, date: str, zone: str
):
    write_site(tmp_path, {"site.toml": f'timezone = "{zone}"\n', "content/a.md": article("Story", date=date)})
    result = run_cli("build", "--site", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path}/content/a.md:3: 'date' is not a valid date: '{date}' (too far in the past or future)"
    )


def test_a_jekyll_file_name_date_that_is_no_date_is_an_error_at_line_1(tmp_path: Path):
    write_site(tmp_path, {"content/2024-13-01-story.md": "---\ntitle: Story\n---\n"})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/2024-13-01-story.md:1: "
        "the file name's date '2024-13-01' is not a valid date (month must be in 1..12)"
    ]


ZONES = st.one_of(
    st.sampled_from(["Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"]).map(ZoneInfo),
    st.timezones(),
)
OFFSETS = st.sampled_from(
    ["", "Z", " UTC", "+00:00", "+14:00", "-12:00", "+0530", " -0700", "+23:59", "+99:99"]
)
# The first and last days datetime holds, where a timezone can push an instant out of range.
MOMENTS = st.one_of(
    st.datetimes(),
    st.datetimes(max_value=datetime(1, 1, 2)),
    st.datetimes(min_value=datetime(9999, 12, 30)),
)
WRITTEN_DATES = st.one_of(
    MOMENTS,
    MOMENTS.map(lambda moment: moment.date()),
    st.datetimes(timezones=st.timezones()),
    st.builds(lambda moment, offset: moment.isoformat(" ", "minutes") + offset, MOMENTS, OFFSETS),
    st.builds(lambda moment, offset: moment.date().isoformat() + offset, MOMENTS, OFFSETS),
    st.text(max_size=40),
)


@given(WRITTEN_DATES, ZONES)
def test_any_date_in_any_zone_is_an_aware_datetime_or_a_value_error(value: object, zone: ZoneInfo):
    try:
        parsed = parse_date(value, zone)
    except ValueError:
        return
    assert parsed.utcoffset() is not None
    assert parsed.astimezone(UTC) == parsed.astimezone(zone)  # later stages do both


def test_articles_around_the_london_clock_changes_are_listed_on_their_london_day_pages(tmp_path: Path):
    stories = {  # slug: the instant, and (in the comment) London's wall time then
        "last-gmt-evening": "2024-03-30T23:30:00Z",  # 23:30 GMT, 30 March
        "before-spring-forward": "2024-03-31T00:30:00Z",  # 00:30 GMT, 31 March
        "after-spring-forward": "2024-03-31T01:30:00Z",  # 02:30 BST, 31 March
        "bst-midnight": "2024-10-26T23:30:00Z",  # 00:30 BST, 27 October
        "first-of-two-half-past-ones": "2024-10-27T00:30:00+00:00",  # 01:30 BST, 27 October
        "second-of-two-half-past-ones": "2024-10-27T01:30:00Z",  # 01:30 GMT, 27 October
    }
    settings = 'timezone = "Europe/London"\narchive_day = "site"\n'
    posts = {
        f"content/{slug}.md": article(slug, date=instant, slug=slug) for slug, instant in stories.items()
    }
    write_site(tmp_path, {"site.toml": settings, **posts})
    build_site(tmp_path)

    def listed_on(day: str) -> set[str]:
        hrefs = page(tmp_path, f"/{day}/").xpath("//main//a/@href")
        return {href.split("/")[-2] for href in hrefs if href.startswith(f"/{day}/") and href.count("/") == 5}

    assert listed_on("2024/03/30") == {"last-gmt-evening"}
    assert listed_on("2024/03/31") == {"before-spring-forward", "after-spring-forward"}
    assert not (tmp_path / "output/2024/10/26").exists()  # 23:30 UTC, but already 27 October in London
    assert listed_on("2024/10/27") == {
        "bst-midnight",
        "first-of-two-half-past-ones",
        "second-of-two-half-past-ones",
    }


def test_wall_time_skipped_by_spring_forward_moves_forward_by_the_gap():
    parsed = parse_date("2024-03-31 01:30", LONDON)
    assert (parsed.hour, parsed.minute, parsed.utcoffset()) == (2, 30, timedelta(hours=1))


def test_ambiguous_wall_time_at_fall_back_takes_its_first_instant():
    parsed = parse_date("2024-10-27 01:30", LONDON)
    assert parsed.astimezone(UTC) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)


def test_naive_and_aware_times_of_one_instant_sort_together():
    naive = parse_date("2024-06-01 12:00", LONDON)
    aware = parse_date("2024-06-01T11:00:00Z", LONDON)
    assert naive == aware


def test_article_is_future_until_its_instant_in_any_zone(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Story", date="2024-06-01T12:00:00+02:00")})
    assert build_site(tmp_path, now=datetime(2024, 6, 1, 9, 59, tzinfo=UTC)).articles == 0
    assert build_site(tmp_path, now=datetime(2024, 6, 1, 10, 0, tzinfo=UTC)).articles == 1


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu"])
def test_extreme_site_timezones_keep_a_bare_date_on_its_day(tmp_path: Path, zone: str):
    assert day_of(tmp_path, "2024-01-01", timezone=zone) == "2024/01/01"


def test_the_archive_pages_of_year_one_have_the_four_digit_year_of_its_articles(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Story", date="0001-01-01T12:00:00+00:00")})
    build_site(tmp_path)
    assert page(tmp_path, "/0001/01/01/story/") is not None
    archive = page(tmp_path, "/archive/")
    assert {"/0001/", "/0001/01/"} <= set(archive.xpath("//main//a/@href"))
    for url in ("/0001/", "/0001/01/", "/0001/01/01/"):
        assert page(tmp_path, url).xpath("//a[@href='/0001/01/01/story/']"), url


def test_an_aware_time_in_a_clock_change_gap_moves_forward_by_the_gap():
    # Argentina moved its clocks from UTC-4:16:48 to UTC-4 at midnight on 1 May 1920.
    mendoza = ZoneInfo("America/Mendoza")
    parsed = parse_date(datetime(1920, 5, 1, 0, 0, tzinfo=mendoza), mendoza)
    assert parsed.astimezone(UTC) == parsed.astimezone(mendoza)
