"""On this day: what the archive published on a month and day, year after year.

``/on-this-day/08-31/`` lists the articles of every 31 August, newest year first;
``/on-this-day/`` is a calendar of the days that have any; the home page shows today's (in the
site's time zone, by the build's clock) from earlier years. The values are NamedTuples of
periods, articles and plain values, so incremental.Fingerprints describes them as the tuples
they are, each article as a listing shows it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from generator import i18n
from generator.content.model import Article
from generator.site.taxonomy import Period, Site

ON_THIS_DAY_URL = "/on-this-day/"
_LEAP_YEAR = 2024  # whose calendar has every month-day, 29 February too
#: How far ahead a day with articles is looked for: a 29 February comes within four years.
_LOOKAHEAD_DAYS = 4 * 366 + 1


class Year(NamedTuple):
    """One year's articles of a date: its day in the archive, and the articles, newest first
    (given apart from the day so that a page's fingerprint covers what their cards show)."""

    day: Period
    articles: tuple[Article, ...]

    @property
    def year(self) -> int:
        return self.day.parts[0]


class Date(NamedTuple):
    """A month and day with the years that have articles on it, newest first."""

    month: int
    day: int
    name: str  # "31 August", in the site's language
    url: str  # "/on-this-day/08-31/"
    years: tuple[Year, ...]


class CalendarDay(NamedTuple):
    number: int
    url: str | None  # None: no article on it in any year
    count: int


class CalendarMonth(NamedTuple):
    name: str
    days: tuple[CalendarDay, ...]


def date_url(month: int, day: int) -> str:
    return f"{ON_THIS_DAY_URL}{month:02d}-{day:02d}/"


def date_name(month: int, day: int, language: str = "en") -> str:
    return i18n.day_month(month, day, language)


def dates(site: Site) -> Mapping[tuple[int, int], Date]:
    """Every month-day with articles, in calendar order, by (month, day)."""
    years: dict[tuple[int, int], list[Year]] = defaultdict(list)
    for parts, period in site.periods.items():  # newest first
        if len(parts) == 3:
            years[parts[1:]].append(Year(period, period.articles))
    return {
        (month, day): Date(
            month,
            day,
            date_name(month, day, site.config.language),
            site.config.at(date_url(month, day)),
            tuple(found),
        )
        for (month, day), found in sorted(years.items())
    }


def calendar(known: Mapping[tuple[int, int], Date], language: str = "en") -> tuple[CalendarMonth, ...]:
    """Every day of the year, 29 February too, by month (named in ``language``); linked where
    it has articles."""
    months = []
    for month in range(1, 13):
        days = []
        for number in range(1, _days_in(month) + 1):
            found = known.get((month, number))
            count = sum(len(year.articles) for year in found.years) if found else 0
            days.append(CalendarDay(number, found.url if found else None, count))
        months.append(CalendarMonth(i18n.month_name(month, language), tuple(days)))
    return tuple(months)


def _days_in(month: int) -> int:
    following = date(_LEAP_YEAR + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def today(site: Site) -> date:
    """The build's day in the site's time zone."""
    return site.now.astimezone(site.config.tz).date()


def of_day(site: Site, day: date) -> Date | None:
    """What the home page shows on ``day``: that month-day's articles of earlier years."""
    return _earlier(dates(site).get((day.month, day.day)), day.year)


def _earlier(found: Date | None, year: int) -> Date | None:
    years = tuple(each for each in found.years if each.year < year) if found else ()
    return found._replace(years=years) if years else None


def next_change(site: Site) -> datetime | None:
    """The next midnight (in the site's time zone) at which the home page's on-this-day
    block changes, for the build state to rebuild at: the next one when today shows any,
    else the start of the next day that will."""
    known = dates(site)
    if not known:
        return None
    start = today(site)
    shown = _earlier(known.get((start.month, start.day)), start.year) is not None
    for day in _following(start):
        if shown or _earlier(known.get((day.month, day.day)), day.year) is not None:
            return datetime.combine(day, time(), tzinfo=site.config.tz)
    return None


def _following(start: date) -> Iterator[date]:
    for ahead in range(1, _LOOKAHEAD_DAYS + 1):
        try:
            yield start + timedelta(days=ahead)
        except OverflowError:  # the calendar's last day
            return
