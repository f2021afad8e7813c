"""Index the articles: tags, authors, the region tree, the date archive, neighbours, related."""

from __future__ import annotations

import bisect
import difflib
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.config import SETTINGS_FILE, Config
from generator.content.model import Article
from generator.content.redirects import Redirect
from generator.content.redirects import collect as collect_redirects
from generator.content.slugs import date_segments, display_name, name_key, slugify
from generator.errors import ContentError

#: The most of an article's tags, regions or authors a listing card or a feed entry names. An
#: article is listed on the page and in the feed of each of its tags and regions, so naming
#: all of them in each would grow with the square of their number (one article with 10,000
#: tags made 13 GB of pages and feeds); the article's own page names them all.
LISTED_NAMES = 10

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Term:
    """A tag or an author: every article filed under one name, newest first."""

    slug: str
    name: str
    url: str
    articles: tuple[Article, ...]


# A region by the name keys of its path, "europe/café": one string (a segment holds no "/"),
# whose hash Python keeps, as every article's regions are counted through it.
Place = str


@dataclass(frozen=True, slots=True)
class Region:
    """A place in the region tree; its articles include those of every sub-region."""

    path: str  # slugs joined by "/": "middle-east/iraq"
    name: str
    url: str
    parent: str | None
    children: tuple[str, ...]
    articles: tuple[Article, ...]

    @property
    def depth(self) -> int:
        return self.path.count("/")


@dataclass(frozen=True, slots=True)
class Period:
    """A year, a month or a day of the archive."""

    parts: tuple[int, ...]  # (2024,), (2024, 8) or (2024, 8, 31)
    url: str
    articles: tuple[Article, ...]

    @property
    def name(self) -> str:
        if len(self.parts) == 1:
            return str(self.parts[0])
        month = MONTHS[self.parts[1] - 1]
        if len(self.parts) == 2:
            return f"{month} {self.parts[0]}"
        return f"{self.parts[2]} {month} {self.parts[0]}"


@dataclass(frozen=True, slots=True)
class Overview:
    """The archive as a whole, as every page may show it: how many articles, over which days,
    its years and months (the timeline) and its top-level regions."""

    count: int
    first_day: date | None
    last_day: date | None
    periods: Mapping[tuple[int, ...], Period]  # years and months, newest first
    years: tuple[Period, ...]
    top_regions: tuple[Region, ...]


@dataclass(frozen=True)
class Site:
    """Everything the pages are planned from. Articles are newest first throughout."""

    config: Config
    articles: tuple[Article, ...]
    tags: Mapping[str, Term]  # by slug, in name order
    authors: Mapping[str, Term]
    regions: Mapping[str, Region]  # by path, in path order
    periods: Mapping[tuple[int, ...], Period]  # years, months and days, newest first
    tag_slugs: Mapping[str, str]  # name_key -> slug
    author_slugs: Mapping[str, str]
    region_paths: Mapping[str, str]  # a region as written -> its path
    older: Mapping[str, Article]  # article url -> the article published before it
    newer: Mapping[str, Article]
    related: Mapping[str, tuple[Article, ...]]
    # The build's clock: what is published is as of this moment, and what is news is near it.
    now: datetime
    warnings: tuple[ContentError, ...] = ()  # names written two ways (see _renamed)
    redirects: tuple[Redirect, ...] = ()  # old URLs and files that only redirect

    def tags_of(self, article: Article) -> tuple[Term, ...]:
        return tuple(self.tags[self.tag_slugs[name_key(tag)]] for tag in article.tags)

    def authors_of(self, article: Article) -> tuple[Term, ...]:
        return tuple(self.authors[self.author_slugs[name_key(a)]] for a in article.authors)

    def regions_of(self, article: Article) -> tuple[Region, ...]:
        return tuple(self.regions[self.region_paths[region]] for region in article.regions)

    def listed_tags_of(self, article: Article) -> tuple[Term, ...]:
        """The tags a listing card or a feed entry names: the first ``LISTED_NAMES`` written."""
        return tuple(self.tags[self.tag_slugs[name_key(tag)]] for tag in article.tags[:LISTED_NAMES])

    def listed_authors_of(self, article: Article) -> tuple[Term, ...]:
        """The authors a feed entry names: the first ``LISTED_NAMES`` written."""
        return tuple(self.authors[self.author_slugs[name_key(a)]] for a in article.authors[:LISTED_NAMES])

    def listed_regions_of(self, article: Article) -> tuple[Region, ...]:
        """The regions a listing card or a feed entry names: the first ``LISTED_NAMES`` written."""
        return tuple(self.regions[self.region_paths[region]] for region in article.regions[:LISTED_NAMES])

    def breadcrumbs(self, region: Region) -> tuple[Region, ...]:
        """The region's ancestors from the top down, ending with the region itself."""
        parts = region.path.split("/")
        return tuple(self.regions["/".join(parts[:i])] for i in range(1, len(parts) + 1))

    def years(self) -> tuple[Period, ...]:
        return self._years

    @cached_property
    def overview(self) -> Overview:
        articles = self.articles
        return Overview(
            len(articles),
            articles[-1].day if articles else None,
            articles[0].day if articles else None,
            MappingProxyType({parts: p for parts, p in self.periods.items() if len(parts) < 3}),
            self._years,
            tuple(region for region in self.regions.values() if region.parent is None),
        )

    def subregions(self, region: Region) -> tuple[Region, ...]:
        return tuple(self.regions[path] for path in region.children)

    @cached_property  # the footer of every page shows them
    def _years(self) -> tuple[Period, ...]:
        return tuple(p for p in self.periods.values() if len(p.parts) == 1)

    @cached_property
    def _children(self) -> Mapping[tuple[int, ...], tuple[Period, ...]]:
        children: dict[tuple[int, ...], list[Period]] = defaultdict(list)
        for period in self.periods.values():
            if len(period.parts) > 1:
                children[period.parts[:-1]].append(period)
        return {parts: tuple(found) for parts, found in children.items()}

    def children_of(self, period: Period) -> tuple[Period, ...]:
        return self._children.get(period.parts, ())


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (a.date.astimezone(UTC), a.url), reverse=True))


def is_published(article: Article, now: datetime) -> bool:
    return not article.draft and article.date <= now and (article.expires is None or now < article.expires)


def index(
    articles: Iterable[Article],
    config: Config,
    now: datetime | None = None,
    *,
    related_memo: MutableMapping[str, Any] | None = None,
) -> Site:
    """Group the articles a build publishes; drafts and future articles only with ``drafts``.

    ``related_memo`` carries related articles from one build to the next: they depend only
    on each article's URL, tags and regions, and finding them is the costliest part of
    indexing, so an edit that leaves those alone reuses them.
    """
    now = now or datetime.now(UTC)
    articles = tuple(articles)  # read twice: for the site, and for the names of drafts
    published = [a for a in articles if config.drafts or is_published(a, now)]
    # A file that only redirects is a redirect page, never an article of the site.
    shown = newest_first(a for a in published if a.redirect_to is None)
    redirects, redirect_warnings = collect_redirects(published)
    tag_slugs, tags, tag_warnings = _terms(
        shown, lambda a: a.tags, config.permalinks.tag, config.names, _What("tag", config.tag_keys)
    )
    author_slugs, authors, author_warnings = _terms(
        shown,
        lambda a: a.authors,
        config.permalinks.author,
        config.names,
        _What("author", config.author_keys),
    )
    region_paths, regions, region_warnings = _regions(shown, config)
    older = {a.url: b for a, b in zip(shown, shown[1:], strict=False)}
    newer = {b.url: a for a, b in zip(shown, shown[1:], strict=False)}
    return Site(
        config=config,
        articles=shown,
        tags=tags,
        authors=authors,
        regions=regions,
        periods=_periods(shown),
        tag_slugs=MappingProxyType(tag_slugs),
        author_slugs=MappingProxyType(author_slugs),
        region_paths=MappingProxyType(region_paths),
        older=MappingProxyType(older),
        newer=MappingProxyType(newer),
        related=MappingProxyType(_memo_related(shown, tag_slugs, region_paths, config, related_memo)),
        now=now,
        warnings=(
            *tag_warnings,
            *author_warnings,
            *region_warnings,
            *redirect_warnings,
            *_unmatched_names(config, (*tags, *authors, *regions), articles),
        ),
        redirects=redirects,
    )


def _unmatched_names(
    config: Config, named: Iterable[str], articles: tuple[Article, ...]
) -> list[ContentError]:
    """A warning for each ``[names]`` key that is no tag or author slug and no region path:
    a typo, most likely, which would otherwise leave the name it meant shown as written."""
    known = set(named)
    unmatched = [key for key in config.names if key not in known]
    if not unmatched:
        return []
    # A name only drafts and scheduled articles have yet is named ahead of time, not by mistake.
    in_any_article = _natural_names(articles)
    candidates = sorted(known)
    settings = config.site_dir / SETTINGS_FILE
    warnings = []
    for key in unmatched:
        if key in in_any_article:
            continue
        message = f"[names] '{key}' names no tag, region or author"
        if close := _closest_name(key, known, candidates):
            message += f"; did you mean '{close}'?"
        else:
            message += " (keys are tag and author slugs and region paths, e.g. 'middle-east/iraq')"
        warnings.append(ContentError(settings, config.names_lines.get(key, 1), message))
    return warnings


def _natural_names(articles: Iterable[Article]) -> set[str]:
    """The slugs and region paths the articles' names have when no two collide."""
    names: set[str] = set()
    for article in articles:
        names.update(slugify(name_key(name)) for name in (*article.tags, *article.authors))
        for region in article.regions:
            names.update(_region_prefixes(region))
    return names


def _region_prefixes(written: str) -> list[str]:
    """``Middle East/Iraq`` -> ``middle-east``, ``middle-east/iraq``."""
    parts = [slugify(name_key(part)) for part in written.split("/") if part.strip()]
    return ["/".join(parts[: depth + 1]) for depth in range(len(parts))]


def _closest_name(key: str, known: set[str], candidates: list[str]) -> str | None:
    # A key written as the name reads (``Middle East``) rather than as its slug is the
    # commonest slip, and one difflib cannot see past: it compares case and spaces.
    as_slug = _region_prefixes(key)
    if as_slug and as_slug[-1] in known:
        return as_slug[-1]
    close = difflib.get_close_matches(key.casefold(), candidates, n=1, cutoff=0.8)
    return close[0] if close else None


def _memo_related(
    shown: tuple[Article, ...],
    tag_slugs: Mapping[str, str],
    region_paths: Mapping[str, str],
    config: Config,
    memo: MutableMapping[str, Any] | None,
) -> dict[str, tuple[Article, ...]]:
    if memo is None:
        return _related(shown, tag_slugs, region_paths, config.related_count)
    key = (config.related_count, [(a.url, a.tags, a.regions) for a in shown])
    if memo.get("key") == key:  # kept as positions in ``shown``: quick to store and to read
        return {
            a.url: tuple(shown[j] for j in found) for a, found in zip(shown, memo["related"], strict=True)
        }
    related = _related(shown, tag_slugs, region_paths, config.related_count)
    position = {a.url: i for i, a in enumerate(shown)}
    memo["key"] = key
    memo["related"] = [tuple(position[b.url] for b in related.get(a.url, ())) for a in shown]
    return related


def _terms(
    articles: tuple[Article, ...], names_of, pattern: str, display: Mapping[str, str], what: _What
) -> tuple[dict[str, str], Mapping[str, Term], list[ContentError]]:
    """Names matched case- and normalisation-insensitively; names whose slugs collide
    (``a b`` and ``a-b``) get distinct pages (see ``_distinct_slugs``), with a warning."""
    members: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for name in names_of(article):
            key = name_key(name)
            members[key].append(article)
            spellings[key][name] += 1
    slugs = _distinct_slugs(members)
    natural = {key: slugify(key) for key in slugs}
    warnings = _renamed(slugs, natural, members, spellings, lambda slug: pattern.format(slug=slug), what)
    terms = []
    for key, slug in slugs.items():
        name = display.get(slug, _spelling(spellings[key]))
        terms.append(Term(slug, name, pattern.format(slug=slug), tuple(members[key])))
    terms.sort(key=lambda t: (name_key(t.name), t.slug))
    return slugs, MappingProxyType({t.slug: t for t in terms}), warnings


@dataclass(frozen=True)
class _What:
    """A kind of name, for messages: ``tag``, and the front-matter keys that give it."""

    kind: str
    keys: tuple[str, ...]

    def line_in(self, article: Article) -> int:
        return next((article.lines[key] for key in self.keys if key in article.lines), 1)


def _renamed(
    slugs: Mapping[str, str],
    natural: Mapping[str, str],
    members: Mapping[str, list[Article]],
    spellings: Mapping[str, Counter[str]],
    url_of: Callable[[str], str],
    what: _What,
) -> list[ContentError]:
    """A warning for each name that did not get its own slug because another name, spelled
    differently, slugs alike (``Middle East``, ``middle-east``): most likely one name written
    two ways, which the writer should know before readers find two pages."""
    holders = {slug: key for key, slug in slugs.items()}
    warnings = []
    for key, slug in slugs.items():
        holder = holders.get(natural[key])
        if slug == natural[key] or holder is None:
            continue
        article, other = members[key][0], members[holder][0]
        message = (
            f"{what.kind} '{_spelling(spellings[key])}' is at {url_of(slug)} because "
            f"'{_spelling(spellings[holder])}' ({other.source}:{what.line_in(other)}) has "
            f"{url_of(natural[key])}; spell them alike to make them one {what.kind}"
        )
        warnings.append(ContentError(Path(article.source), what.line_in(article), message))
    return warnings


def _spelling(counts: Counter[str]) -> str:
    """The most used spelling of a name; ties go to the first in sorted order, so builds agree."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _distinct_slugs(keys: Iterable[str]) -> dict[str, str]:
    """A slug for each name key, no two alike. In name order, a name takes its own slug when
    no earlier name has; the others are numbered ``-2`` onwards, skipping any slug another
    name has of its own: ``Cafe``, ``Café`` and ``Cafe 2`` get ``cafe``, ``cafe-3`` and
    ``cafe-2``, where numbering alone would have put ``Café`` and ``Cafe 2`` on one page."""
    ordered = sorted(keys)
    natural = {key: slugify(key) for key in ordered}
    taken = set(natural.values())
    given: set[str] = set()
    next_number: dict[str, int] = {}
    slugs: dict[str, str] = {}
    for key in ordered:
        slug = natural[key]
        if slug in given:
            number = next_number.get(slug, 2)
            while f"{slug}-{number}" in taken:
                number += 1
            next_number[slug] = number + 1
            slug = f"{slug}-{number}"
            taken.add(slug)
        given.add(slug)
        slugs[key] = slug
    return slugs


def _regions(
    articles: tuple[Article, ...], config: Config
) -> tuple[dict[str, str], Mapping[str, Region], list[ContentError]]:
    steps: dict[str, list[tuple[Place, str]]] = {}  # a region as written -> (place, segment) per depth
    spellings: dict[Place, Counter[str]] = defaultdict(Counter)
    members: dict[Place, list[Article]] = defaultdict(list)
    for article in articles:
        seen: set[Place] = set()
        for written in article.regions:
            if written not in steps:  # split once per name, not once per article
                segments = [segment.strip() for segment in written.split("/") if segment.strip()]
                keys = [name_key(segment) for segment in segments]
                steps[written] = [
                    ("/".join(keys[: depth + 1]), segments[depth]) for depth in range(len(keys))
                ]
            for place, segment in steps[written]:
                spellings[place][segment] += 1
                if place not in seen:  # an article in two sub-regions counts once for the parent
                    seen.add(place)
                    members[place].append(article)
    path_of = _region_paths(members)
    paths = {written: path_of[places[-1][0]] for written, places in steps.items()}
    natural = {
        place: "/".join([*path_of[place].split("/")[:-1], slugify(place.rpartition("/")[2])])
        for place in path_of
    }

    def url_of(path: str) -> str:
        return config.permalinks.region.format(path=path)

    warnings = _renamed(path_of, natural, members, spellings, url_of, _What("region", config.region_keys))
    children: dict[str, list[str]] = defaultdict(list)
    for place in members:
        if "/" in place:
            children[path_of[place.rsplit("/", 1)[0]]].append(path_of[place])
    regions = {}
    for place in sorted(members, key=path_of.__getitem__):
        path = path_of[place]
        spelling = _spelling(spellings[place])
        written_as_slug = spelling == slugify(spelling)
        name = config.names.get(path, display_name(spelling) if written_as_slug else spelling)
        regions[path] = Region(
            path=path,
            name=name,
            url=config.permalinks.region.format(path=path),
            parent=path.rsplit("/", 1)[0] if "/" in path else None,
            children=tuple(sorted(children[path])),
            articles=tuple(members[place]),
        )
    return paths, MappingProxyType(regions), warnings


def _region_paths(places: Iterable[Place]) -> dict[Place, str]:
    """Each place's path: its parent's path and its own slug, which is distinct among its
    siblings the way tag slugs are (``Europe/Cafe`` and ``Europe/Café`` are two regions,
    ``europe/cafe`` and ``europe/cafe-2``, as they would be two tags)."""
    siblings: dict[Place, list[str]] = defaultdict(list)  # "" holds the top-level regions
    for place in places:
        parent, _, key = place.rpartition("/")
        siblings[parent].append(key)
    path_of: dict[Place, str] = {}
    # Parents first: the top ("") at depth 0, then "europe" at 1, "europe/france" at 2...
    for parent in sorted(siblings, key=lambda parent: parent.count("/") + bool(parent)):
        for key, slug in _distinct_slugs(siblings[parent]).items():
            if parent:
                path_of[f"{parent}/{key}"] = f"{path_of[parent]}/{slug}"
            else:
                path_of[key] = slug
    return path_of


def _periods(articles: tuple[Article, ...]) -> Mapping[tuple[int, ...], Period]:
    members: dict[tuple[int, ...], list[Article]] = defaultdict(list)
    for article in articles:
        day: date = article.day
        for parts in ((day.year,), (day.year, day.month), (day.year, day.month, day.day)):
            members[parts].append(article)
    periods = {}
    for parts in sorted(members, reverse=True):
        url = "/" + "".join(f"{segment}/" for segment in date_segments(*parts))
        periods[parts] = Period(parts, url, tuple(members[parts]))
    return MappingProxyType(periods)


def _related(
    articles: tuple[Article, ...],
    tag_slugs: Mapping[str, str],
    region_paths: Mapping[str, str],
    count: int,
    reach: int = 12,
) -> dict[str, tuple[Article, ...]]:
    """Articles sharing the most (and rarest) tags and the closest region.

    Scoring every pair is quadratic; instead each article looks at the ``reach`` articles
    nearest in time within each of its tags and regions, which is where a news reader's
    related stories are anyway, and keeps the best ``count``. A shared tag weighs its
    rarity, log(1 + articles / articles with the tag); a shared region half that. Weights
    are integers, so a score is exact whatever order its parts are added in, and ties break
    the same way in every build.
    """
    if count <= 0:
        return {}
    groups: dict[str, list[int]] = defaultdict(list)  # positions, ascending = newest first
    groups_of: list[frozenset[str]] = []
    for i, article in enumerate(articles):
        mine = frozenset(
            ["t:" + tag_slugs[name_key(t)] for t in article.tags]
            + ["r:" + region_paths[r] for r in article.regions]
        )
        groups_of.append(mine)
        for group in mine:
            groups[group].append(i)
    total = len(articles)
    weight = {
        group: round(math.log(1 + total / len(members)) * (2 << 20 if group[0] == "t" else 1 << 20))
        for group, members in groups.items()
    }
    related: dict[str, tuple[Article, ...]] = {}
    for i, article in enumerate(articles):
        mine = groups_of[i]
        candidates: set[int] = set()
        for group in mine:
            members = groups[group]
            at = bisect.bisect_left(members, i)
            candidates.update(members[max(0, at - reach) : at + reach + 1])
        candidates.discard(i)
        best = heapq.nsmallest(
            count,
            (
                (-sum([weight[g] for g in mine & groups_of[j]]), abs(i - j), articles[j].url, j)
                for j in candidates
            ),
        )
        related[article.url] = tuple(articles[j] for *_, j in best)
    return related
