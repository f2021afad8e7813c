"""Dates as archives write them: every layout Hugo and Jekyll read, and nothing impossible.

Hugo reads front-matter dates with spf13/cast's ``StringToDate`` (a list of Go layouts: RFC
3339, RFC 1123, RFC 822, RFC 850, ANSIC, UnixDate, RubyDate, Go's ``Time.String()``,
``02 Jan 2006``, ...); Jekyll with Ruby's ``Time.parse`` (and YAML's timestamps), which is
looser still: one-digit hours, offsets in whole hours (``-4``), zone abbreviations, AM/PM,
``2024/08/31``, a year written twice. Archives written for either carry all of these, so a
date is read as a date part (one of ``DATE_LAYOUTS``) followed by tokens in any order (a
clock, AM/PM, an offset or zone, a year), each at most once. What no calendar or clock
holds (30 February, month 13, 25 o'clock, an offset of 99 hours) is still an error, as is a
time with no year (Go's ``Kitchen`` and ``Stamp`` layouts: a date, not a time of day, is
what an article needs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

#: Longer than any date written by hand; a longer value is reported without being scanned.
MAX_DATE_CHARS = 80

HOW_TO_WRITE = "write it as YYYY-MM-DD, optionally with a time (09:30) and offset (+03:00)"


@dataclass(frozen=True)
class DateLayout:
    """One way of writing the day, with an example; whatever follows it is read as tokens."""

    example: str
    pattern: re.Pattern[str]


def _layout(example: str, pattern: str) -> DateLayout:
    return DateLayout(example, re.compile(pattern, re.IGNORECASE))


_ORDINAL = r"(?:st|nd|rd|th)?"
#: Tried in order; the first that matches the start of the value gives its day.
DATE_LAYOUTS = (
    # ISO 8601 / RFC 3339 and everything Hugo and Jekyll build on it; "T" may join the time.
    _layout("2024-08-31", r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:T(?=\d))?"),
    _layout("2024/08/31", r"(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?![\d/])"),
    _layout("2024.08.31", r"(?P<year>\d{4})\.(?P<month>\d{1,2})\.(?P<day>\d{1,2})(?![\d.])"),
    # Ruby reads a year-last numeric date month first, as written in the United States.
    _layout("08/31/2024", r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})(?!\d)"),
    # RFC 1123 and 822 (Go's "02 Jan 06"), RFC 850's "02-Jan-06", and "31st August 2024".
    _layout(
        "31 Aug 2024",
        rf"(?P<day>\d{{1,2}}){_ORDINAL}[ -](?P<month_name>[a-z]+)\.?[ -](?P<year>\d{{4}}|\d{{2}})(?![\d:])",
    ),
    _layout(
        "August 31, 2024",
        rf"(?P<month_name>[a-z]+)\.? +(?P<day>\d{{1,2}}){_ORDINAL},? +(?P<year>\d{{4}})(?![\d:])",
    ),
    # ANSIC, UnixDate and RubyDate: "Jan  2 15:04:05 2006", the year after the time.
    _layout("Aug 31 09:00:00 2024", rf"(?P<month_name>[a-z]+)\.? +(?P<day>\d{{1,2}}){_ORDINAL}(?= )"),
)

#: A weekday before the date is read past, as Go and Ruby do (neither checks it).
_WEEKDAY = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)"
    r"\.?,? *",
    re.IGNORECASE,
)

#: What may follow the day, each at most once and in any order: Go's layouts put the zone
#: before the year (UnixDate) or after it, and Jekyll archives hold "18:30:22 2023 -0800".
_TOKEN = re.compile(
    r"""[ ,]*(?:
      (?P<clock>(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?
                |(?=\ *[ap]\.?m\b)))
    | (?P<meridian>[ap])\.?m\b\.?
    | (?:UTC|GMT)?(?P<sign>[+-])(?P<offset_hours>\d{1,2})(?::?(?P<offset_minutes>\d{2}))?(?!\d)
    | (?P<year>\d{4})(?!\d)
    | (?P<zone>[a-z]{1,5})\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

#: Zone abbreviations with the offset Ruby's ``Time.parse`` gives them (hours east of UTC).
#: Go would ignore the name and read the wall time in the site's timezone; a name says where
#: the time was written, so its offset is kept. Names not here are errors, not guesses.
ZONE_OFFSETS = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "akst": -9, "akdt": -8, "hst": -10, "ast": -4, "adt": -3, "nst": -3.5, "ndt": -2.5,
    "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "msk": 3,
    "ist": 5.5, "sgt": 8, "hkt": 8, "jst": 9, "kst": 9,
    "awst": 8, "acst": 9.5, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}  # fmt: skip


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """A date as archives write them, made aware: a bare date or naive time takes ``tz``.

    Reads every layout Hugo and Jekyll read (see the module docstring and ``DATE_LAYOUTS``),
    and TOML's date objects. Raises ValueError, with what is wrong, for anything else, for a
    day or time no calendar holds, and for an instant that UTC or ``tz`` cannot hold
    (before year 1, after 9999).
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        parsed = parse_text(value)
    else:
        raise ValueError(f"expected a date, got {type(value).__name__}")
    try:
        zone = parsed.tzinfo or tz
        # A wall time that a daylight-saving change skips (01:30 on the spring-forward night)
        # is moved forward by the gap, as clocks did; an ambiguous one takes its first instant.
        parsed = parsed.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
        # Later stages compare instants (UTC) and may file by the site's day (tz): near year 1
        # or 9999 one of them can fall outside what datetime holds.
        parsed.astimezone(UTC)
        parsed.astimezone(tz)
    except OverflowError:
        raise ValueError("too far in the past or future") from None
    return parsed


def parse_text(text: str) -> datetime:
    """The date and time written in ``text``: aware when it names an offset or zone, naive
    otherwise. Raises ValueError saying what is wrong."""
    text = text.strip()
    if len(text) > MAX_DATE_CHARS:
        raise ValueError(HOW_TO_WRITE)
    weekday = _WEEKDAY.match(text)
    start = weekday.end() if weekday else 0
    for layout in DATE_LAYOUTS:
        day = layout.pattern.match(text, start)
        if day is None:
            continue
        month = _month(day)
        if month is None:
            continue  # a word that is no month: another layout may read it
        tokens = _tokens(text, day.end())
        if tokens is None:
            continue
        return _datetime(day, month, tokens)
    raise ValueError(HOW_TO_WRITE)


def _month(day: re.Match[str]) -> int | None:
    groups = day.groupdict()
    if groups.get("month_name") is not None:
        return _MONTHS.get(groups["month_name"].lower())
    return int(groups["month"])


def _tokens(text: str, position: int) -> dict[str, re.Match[str]] | None:
    """What follows the day, by kind (``clock``, ``meridian``, ``offset``, ``year``,
    ``zone``); None when something there is none of them, or one kind comes twice."""
    found: dict[str, re.Match[str]] = {}
    while text[position:].strip(" ,"):
        token = _TOKEN.match(text, position)
        if token is None or token.end() == position:
            return None
        kind = next(k for k in ("clock", "meridian", "sign", "year", "zone") if token[k] is not None)
        kind = "offset" if kind == "sign" else kind
        if kind in found or (kind == "meridian" and "clock" not in found):
            return None
        found[kind] = token
        position = token.end()
    return found


def _datetime(day: re.Match[str], month: int, tokens: dict[str, re.Match[str]]) -> datetime:
    year = _year(day.groupdict().get("year"), tokens.get("year"))
    hour, minute, second, microsecond = _clock(tokens.get("clock"), tokens.get("meridian"))
    zone = _zone(tokens.get("offset"), tokens.get("zone"))
    # datetime's own checks name the field: "month must be in 1..12", "day is out of range
    # for month", "hour must be in 0..23".
    return datetime(year, month, int(day["day"]), hour, minute, second, microsecond, tzinfo=zone)


def _year(in_date: str | None, after: re.Match[str] | None) -> int:
    if in_date is None and after is None:
        raise ValueError(f"it has no year; {HOW_TO_WRITE}")
    if in_date is not None and after is not None and int(after["year"]) != int(in_date):
        raise ValueError(f"it has two different years, {in_date} and {after['year']}")
    written = in_date if in_date is not None else after["year"]  # type: ignore[index]
    if len(written) == 2:  # RFC 822 and 850; Go and Ruby both read 69-99 as 19xx
        return int(written) + (1900 if int(written) >= 69 else 2000)
    return int(written)


def _clock(clock: re.Match[str] | None, meridian: re.Match[str] | None) -> tuple[int, int, int, int]:
    if clock is None:
        return 0, 0, 0, 0
    hour = int(clock["hour"])
    minute, second = int(clock["minute"] or 0), int(clock["second"] or 0)
    microsecond = int((clock["fraction"] or "0")[:6].ljust(6, "0"))
    if meridian is not None:
        if not 1 <= hour <= 12:
            shown = meridian[0].strip(" ,").upper()
            raise ValueError(f"'{hour} {shown}' is no time: with AM or PM, hours are 1 to 12")
        hour = hour % 12 + (12 if meridian["meridian"].lower() == "p" else 0)
    return hour, minute, second, microsecond


def _zone(offset: re.Match[str] | None, name: re.Match[str] | None) -> tzinfo | None:
    if offset is not None:  # Go's Time.String() writes both, "-0700 MST": the offset says it all
        hours, minutes = int(offset["offset_hours"]), int(offset["offset_minutes"] or 0)
        if hours > 23 or minutes > 59:
            raise ValueError(f"the offset '{offset[0].strip(' ,')}' is out of range (at most ±23:59)")
        sign = -1 if offset["sign"] == "-" else 1
        return _fixed(sign * timedelta(hours=hours, minutes=minutes))
    if name is not None:
        abbreviation = name["zone"]
        hours = ZONE_OFFSETS.get(abbreviation.lower())
        if hours is None:
            raise ValueError(f"unknown time zone '{abbreviation}'; write an offset such as -05:00 instead")
        return _fixed(timedelta(hours=hours))
    return None


def _fixed(offset: timedelta) -> tzinfo:
    return UTC if not offset else timezone(offset)
