"""The archive timeline: articles per year or per month as an SVG bar chart, drawn at build time.

The chart is plain inline SVG (no script, no external file), so it shows in any browser and
in print. Each bar with articles is a link to its period's page; an empty period gets a label
but no bar and no link, so the gaps in an archive are visible without dead links.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Protocol

from generator import i18n
from generator.site.taxonomy import Overview, Period

CHART = 120  # height of the tallest bar
TOP = 18  # room above the tallest bar for its count
BOTTOM = 22  # room below the axis for the labels
MAX_LABELS = 24  # more bars than this and only every n-th gets a label, so labels never overlap
NARROW_LABELS = 8  # the same on a phone-sized screen
ENGLISH = gettext.NullTranslations()  # the words of a chart drawn without a catalogue


class _Period(Protocol):
    url: str
    articles: Sequence[object]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # on the axis: "2024", "Aug"
    name: str  # in full, for the link's accessible name: "August 2024"
    count: int
    url: str | None  # None when the period has no articles


def year_bars(periods: Mapping[tuple[int, ...], _Period]) -> tuple[Bar, ...]:
    """One bar per year from the first to the last, oldest first, empty years included."""
    years = sorted(parts[0] for parts in periods if len(parts) == 1)
    if not years:
        return ()
    return tuple(_bar(periods, (year,), str(year), str(year)) for year in range(years[0], years[-1] + 1))


def month_bars(
    periods: Mapping[tuple[int, ...], _Period], year: int, language: str = "en"
) -> tuple[Bar, ...]:
    """Twelve bars for the months of ``year``, named in ``language``."""
    return tuple(
        _bar(
            periods,
            (year, month),
            i18n.month_name(month, language, "abbreviated"),
            i18n.period_name((year, month), language),
        )
        for month in range(1, 13)
    )


def archive_bars(periods: Mapping[tuple[int, ...], _Period], language: str = "en") -> tuple[Bar, ...]:
    """The whole archive: its years, or the months of its only year (one bar says nothing)."""
    bars = year_bars(periods)
    if len(bars) == 1:
        return month_bars(periods, int(bars[0].label), language)
    return bars


def _bar(periods: Mapping[tuple[int, ...], _Period], parts: tuple[int, ...], label: str, name: str) -> Bar:
    period = periods.get(parts)
    if period is None or not period.articles:
        return Bar(label, name, 0, None)
    return Bar(label, name, len(period.articles), period.url)


def svg(
    bars: Sequence[Bar],
    title: str,
    link: Callable[[str], str] = lambda url: url,
    words: gettext.NullTranslations = ENGLISH,
) -> str:
    """The chart as an inline ``<svg>`` element; ``link`` turns a site path into an href.

    Bars are placed in percentages of the width and text is not scaled, so the chart fills
    a phone or a desktop column and its labels stay legible. Labels are thinned from the
    last one back: every ``wide``-th bar everywhere, and on narrow screens the stylesheet
    hides those of class ``minor``, leaving every ``narrow``-th.
    """
    if not bars:
        return ""
    count = len(bars)
    tallest = max(bar.count for bar in bars) or 1
    wide, narrow = -(-count // MAX_LABELS), -(-count // NARROW_LABELS)
    slot = 100 / count
    axis = TOP + CHART
    dense = " dense" if count > NARROW_LABELS else ""
    rows = [
        f'<svg class="timeline-chart{dense}" width="100%" height="{axis + BOTTOM}"'
        f' aria-label="{escape(title)}">',
        f'<line class="axis" x1="0" y1="{axis}" x2="100%" y2="{axis}"/>',
    ]
    for i, bar in enumerate(bars):
        middle = _pc((i + 0.5) * slot)
        label = ""
        from_end = count - 1 - i
        if from_end % wide == 0:
            minor = "" if from_end % narrow == 0 else " minor"
            label = f'<text class="label{minor}" x="{middle}" y="{axis + 16}">{escape(bar.label)}</text>'
        if bar.url is None:
            rows.append(label)
            continue
        tall = max(2, round(bar.count / tallest * CHART))  # a single article still shows
        # TRANSLATORS: the name of a bar of the archive's chart: "August 2024: 5 articles".
        named = words.ngettext("%(period)s: %(count)s article", "%(period)s: %(count)s articles", bar.count)
        named %= {"period": bar.name, "count": bar.count}
        rows.append(
            # <title> names the link (and is its tooltip); an aria-label would hide the visible text.
            f'<a href="{escape(link(bar.url))}"><title>{escape(named)}</title>'
            f'<rect class="bar" x="{_pc((i + 0.15) * slot)}" y="{axis - tall}" width="{_pc(0.7 * slot)}"'
            f' height="{tall}"/>'
            f'<text class="value" x="{middle}" y="{axis - tall - 5}">{bar.count}</text>{label}</a>'
        )
    rows.append("</svg>")
    return "\n".join(row for row in rows if row)


def _pc(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def by_parts(periods: Overview | Iterable[Period]) -> Mapping[tuple[int, ...], Period]:
    """What a chart is drawn from: the archive's years and months (its overview), or the
    months of one year (what a year's first page is given, rather than the whole archive)."""
    if isinstance(periods, Overview):
        return periods.periods
    return {period.parts: period for period in periods}


def chart(
    periods: Mapping[tuple[int, ...], _Period],
    year: int | None,
    link: Callable[[str], str] = lambda u: u,
    language: str = "en",
    words: gettext.NullTranslations = ENGLISH,
) -> str:
    """The archive's chart (``year`` None) or one year's, titled for screen readers, in
    ``language`` with its catalogue's ``words``."""
    if year is not None:
        title = words.gettext("Articles per month in %(year)s") % {"year": year}
        return svg(month_bars(periods, year, language), title, link, words)
    bars = archive_bars(periods, language)
    per_month = len(bars) == 12 and not bars[0].label.isdigit()
    title = words.gettext("Articles per month") if per_month else words.gettext("Articles per year")
    return svg(bars, title, link, words)
