"""Dates and time zones: the day page an article lands on, across every awkward case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.cli import run_cli
from support.clock import NOW
from support.site import article, build_errors, build_site, page, write_site

from generator.content.dates import parse_date

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
    # Later stages do both. Compared in UTC: an aware time that falls in a repeated hour with
    # fold=1 is never equal to one in another zone, by Python's rules (PEP 495).
    assert parsed.astimezone(UTC) == parsed.astimezone(zone).astimezone(UTC)


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


NEW_YORK = ZoneInfo("America/New_York")  # the site's timezone in the layout tests below

#: Every layout Hugo reads (spf13/cast's StringToDate list) and Jekyll reads (Ruby's Time.parse),
#: with the instant each means for a site in New York.
LAYOUTS = {
    # Hugo: cast's layouts, in its order
    "2024-08-31": "2024-08-31T00:00:00-04:00",
    "2024-08-31T09:05:07+03:00": "2024-08-31T09:05:07+03:00",  # RFC 3339
    "2024-08-31T09:05:07": "2024-08-31T09:05:07-04:00",
    "Sat, 31 Aug 2024 09:05:07 +0300": "2024-08-31T09:05:07+03:00",  # RFC 1123Z
    "Sat, 31 Aug 2024 09:05:07 GMT": "2024-08-31T09:05:07+00:00",  # RFC 1123
    "31 Aug 24 09:05 +0300": "2024-08-31T09:05:00+03:00",  # RFC 822Z
    "31 Aug 24 09:05 EDT": "2024-08-31T09:05:00-04:00",  # RFC 822
    "Saturday, 31-Aug-24 09:05:07 PDT": "2024-08-31T09:05:07-07:00",  # RFC 850
    "2024-08-31 09:05:07.123456789 +0300 EEST": "2024-08-31T09:05:07.123456+03:00",  # Go's Time.String()
    "2024-08-31T09:05:07+0300": "2024-08-31T09:05:07+03:00",
    "2024-08-31 09:05:07+0300": "2024-08-31T09:05:07+03:00",
    "2024-08-31 09:05:07": "2024-08-31T09:05:07-04:00",
    "Sat Aug 31 09:05:07 2024": "2024-08-31T09:05:07-04:00",  # ANSIC
    "Sat Aug 31 09:05:07 CEST 2024": "2024-08-31T09:05:07+02:00",  # UnixDate
    "Sat Aug 31 09:05:07 +0300 2024": "2024-08-31T09:05:07+03:00",  # RubyDate
    "2024-08-31 09:05:07Z": "2024-08-31T09:05:07+00:00",
    "2024-08-31 09:05:07+03:00": "2024-08-31T09:05:07+03:00",
    "31 Aug 2024": "2024-08-31T00:00:00-04:00",
    "2024-08-31 09:05:07 +03:00": "2024-08-31T09:05:07+03:00",
    "2024-08-31 09:05:07 +0300": "2024-08-31T09:05:07+03:00",
    "2024-08-31T09:05:07.5Z": "2024-08-31T09:05:07.500000+00:00",
    # Jekyll: Ruby's Time.parse, and YAML timestamps
    "2011-11-28 8:32:24 -0400": "2011-11-28T08:32:24-04:00",  # a one-digit hour
    "2015-03-17 14:00:00 -4": "2015-03-17T14:00:00-04:00",  # an offset in hours
    "2015-03-17 14:00:00 +5:30": "2015-03-17T14:00:00+05:30",
    "2023-01-29 18:30:22 2023 -0800": "2023-01-29T18:30:22-08:00",  # the year written twice
    "2024-08-31 09:05 UTC": "2024-08-31T09:05:00+00:00",
    "2024-08-31 09:05 Z": "2024-08-31T09:05:00+00:00",
    "2024-08-31 09:05 EST": "2024-08-31T09:05:00-05:00",
    "2024-08-31 09:05 CST": "2024-08-31T09:05:00-06:00",
    "2024-08-31 09:05 CDT": "2024-08-31T09:05:00-05:00",
    "2024-08-31 09:05 MST": "2024-08-31T09:05:00-07:00",
    "2024-08-31 09:05 MDT": "2024-08-31T09:05:00-06:00",
    "2024-08-31 09:05 PST": "2024-08-31T09:05:00-08:00",
    "2024-08-31 9:05 PM": "2024-08-31T21:05:00-04:00",
    "2024-08-31 12:05 am": "2024-08-31T00:05:00-04:00",
    "2024-08-31 12:05 p.m.": "2024-08-31T12:05:00-04:00",
    "2024/08/31": "2024-08-31T00:00:00-04:00",
    "2024/08/31 09:05": "2024-08-31T09:05:00-04:00",
    "August 31, 2024": "2024-08-31T00:00:00-04:00",
    "Aug 31st, 2024 9am": "2024-08-31T09:00:00-04:00",
    "08/31/2024": "2024-08-31T00:00:00-04:00",  # Ruby reads a year-last date month first
}


@pytest.mark.parametrize(("written", "instant"), LAYOUTS.items(), ids=list(LAYOUTS))
def test_every_layout_hugo_and_jekyll_read_is_read_as_they_read_it(written: str, instant: str):
    assert parse_date(written, NEW_YORK).isoformat() == instant


#: What no calendar or clock holds, or what cannot be placed in time, with the reason given.
IMPOSSIBLE = {
    "2024-02-30": "day is out of range for month",
    "2024-13-01": "month must be in 1..12",
    "2024-00-10": "month must be in 1..12",
    "31 Foo 2024": "write it as YYYY-MM-DD, optionally with a time (09:30) and offset (+03:00)",
    "2024-08-31 25:00": "hour must be in 0..23",
    "2024-08-31 24:00": "hour must be in 0..23",
    "2024-08-31 09:60": "minute must be in 0..59",
    "2024-08-31 09:05:60": "second must be in 0..59",
    "2024-08-31 13:05 PM": "'13 PM' is no time: with AM or PM, hours are 1 to 12",
    "2024-08-31 09:05 +24:00": "the offset '+24:00' is out of range (at most ±23:59)",
    "2024-08-31 09:05 -05:75": "the offset '-05:75' is out of range (at most ±23:59)",
    "2024-08-31 09:05 XYZ": "unknown time zone 'XYZ'; write an offset such as -05:00 instead",
    "2023-01-29 18:30:22 2024 -0800": "it has two different years, 2023 and 2024",
    "2024-08-31 09:05 +0300 -0400": "write it as YYYY-MM-DD, optionally with a time (09:30) and offset (+03:00)",
    "3:04PM": "write it as YYYY-MM-DD, optionally with a time (09:30) and offset (+03:00)",  # Go's Kitchen
    "Aug 31 09:05:07": "it has no year; write it as YYYY-MM-DD, optionally with a time (09:30) and offset (+03:00)",  # Go's Stamp
    "yesterday": "write it as YYYY-MM-DD, optionally with a time (09:30) and offset (+03:00)",
}


@pytest.mark.parametrize(("written", "reason"), IMPOSSIBLE.items(), ids=list(IMPOSSIBLE))
def test_an_impossible_or_unplaceable_date_is_rejected_with_its_reason(written: str, reason: str):
    with pytest.raises(ValueError) as rejected:
        parse_date(written, NEW_YORK)
    assert str(rejected.value) == reason


def test_a_jekyll_date_with_a_one_digit_hour_files_the_article_under_its_day(tmp_path: Path):
    assert day_of(tmp_path, "2011-11-28 8:32:24 -0400") == "2011/11/28"


def test_an_impossible_hour_is_an_error_at_its_line(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Story", date="2024-08-31 25:00:00 -0400")})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/a.md:3: 'date' is not a valid date: '2024-08-31 25:00:00 -0400' (hour must be in 0..23)"
    ]


def test_an_article_past_its_expiry_date_is_left_out(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/gone.md": article("Gone", date="2024-01-01", expirydate="2025-01-01"),
            "content/kept.md": article("Kept", date="2024-01-02", expiryDate="2030-01-01"),
        },
    )
    build_site(tmp_path, now=NOW)
    assert not (tmp_path / "output/2024/01/01/gone").exists()
    assert page(tmp_path, "/2024/01/02/kept/") is not None


def test_an_article_leaves_the_site_when_its_expiry_date_passes(tmp_path: Path):
    write_site(
        tmp_path, {"content/a.md": article("Offer", date="2024-01-01", expirydate="2024-06-01T12:00:00Z")}
    )
    build_site(tmp_path, now=datetime(2024, 6, 1, 11, tzinfo=UTC))
    assert page(tmp_path, "/2024/01/01/offer/") is not None
    build_site(tmp_path, now=datetime(2024, 6, 1, 13, tzinfo=UTC))
    assert not (tmp_path / "output/2024/01/01/offer").exists()
