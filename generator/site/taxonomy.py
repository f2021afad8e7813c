"""Index the articles: tags, authors, the region tree, the date archive, stories, neighbours,
related."""

from __future__ import annotations

import bisect
import difflib
import gettext
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator import i18n
from generator.config import SETTINGS_FILE, Config, template_dirs
from generator.content.model import Article, Note
from generator.content.redirects import Redirect
from generator.content.redirects import collect as collect_redirects
from generator.content.slugs import date_segments, display_name, name_key, slugify
from generator.errors import ContentError
from generator.site.pages import Language

#: The most of an article's tags, regions or authors a listing card or a feed entry names. An
#: article is listed on the page and in the feed of each of its tags and regions, so naming
#: all of them in each would grow with the square of their number (one article with 10,000
#: tags made 13 GB of pages and feeds); the article's own page names them all.
LISTED_NAMES = 10


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
    name: str  # "2024", "August 2024", "31 August 2024", in the site's language (i18n.period_name)


@dataclass(frozen=True, slots=True)
class Story:
    """A running story: the articles whose front matter names it (``story: anbar-raids``),
    newest first as every listing is; ``thread`` tells it in the order it unfolded."""

    slug: str
    name: str  # from [stories] in site.toml, else the title of its first article
    url: str
    articles: tuple[Article, ...]

    @property
    def thread(self) -> tuple[Article, ...]:
        return self.articles[::-1]

    @property
    def latest(self) -> Article:
        return self.articles[0]


@dataclass(frozen=True, slots=True)
class StoryPart:
    """An article's place in its story, as its page shows it: "Part of: Anbar raids (3 of 7)",
    the story's articles before and after it, and its latest when that is another."""

    story: Story
    number: int  # 1 for the story's first article
    previous: Article | None
    next: Article | None
    latest: Article | None  # None for the latest itself

    @property
    def count(self) -> int:
        return len(self.story.articles)


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction as the corrections page and feed list it: the note and the article it
    corrects, and its place among that article's corrections (1 for the first), which names it."""

    article: Article
    note: Note
    number: int

    @property
    def url(self) -> str:
        """Where the article shows it (see article.html)."""
        return f"{self.article.url}#correction-{self.number}"


@dataclass(frozen=True, slots=True)
class Overview:
    """The archive as a whole, as the home and archive pages show it: how many articles, over
    which days, its years and months (the timeline) and its top-level regions."""

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
    # By slug, the story with the latest article first.
    stories: Mapping[str, Story] = field(default_factory=lambda: MappingProxyType({}))
    # Standalone pages (/about/), by URL: in none of the above.
    pages: tuple[Article, ...] = ()
    # Of a multilingual site: its languages, in the order readers are offered them; and on the
    # site as a whole (see languages.py), each language's own site, by code.
    languages: tuple[Language, ...] = ()
    # The site's own taxonomies ([taxonomies]): by name, their terms by slug in name order; and
    # by name, each name_key's slug.
    taxonomies: Mapping[str, Mapping[str, Term]] = field(default_factory=lambda: MappingProxyType({}))
    taxonomy_slugs: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    by_language: Mapping[str, Site] = field(default_factory=lambda: MappingProxyType({}))

    def tags_of(self, article: Article) -> tuple[Term, ...]:
        return tuple(self.tags[self.tag_slugs[name_key(tag)]] for tag in article.tags)

    def authors_of(self, article: Article) -> tuple[Term, ...]:
        return tuple(self.authors[self.author_slugs[name_key(a)]] for a in article.authors)

    def terms_of(self, article: Article, taxonomy: str) -> tuple[Term, ...]:
        """An article's names in one of the site's own taxonomies."""
        terms, slugs = self.taxonomies[taxonomy], self.taxonomy_slugs[taxonomy]
        return tuple(terms[slugs[name_key(name)]] for name in article.terms_of(taxonomy))

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

    def status_of(self, article: Article) -> str:
        """Why a build with drafts shows an article that is not published: "draft",
        "scheduled" (dated after the build's clock) or "expired"; "" for a published one."""
        if article.draft:
            return "draft"
        if article.date > self.now:
            return "scheduled"
        return "expired" if not is_published(article, self.now) else ""

    def breadcrumbs(self, region: Region) -> tuple[Region, ...]:
        """The region's ancestors from the top down, ending with the region itself."""
        parts = region.path.split("/")
        return tuple(self.regions["/".join(parts[:i])] for i in range(1, len(parts) + 1))

    def years(self) -> tuple[Period, ...]:
        return self._years

    @cached_property
    def words(self) -> gettext.NullTranslations:
        """The theme's words in the site's language (page titles, menu labels, feed titles),
        read once per build: ``site.words.gettext("Tags")``."""
        return i18n.translations(self.config.language, template_dirs(self.config))

    @cached_property
    def story_parts(self) -> Mapping[str, StoryPart]:
        """Each article of a story, by URL: its place in the story."""
        parts = {}
        for story in self.stories.values():
            thread, latest = story.thread, story.latest
            for i, article in enumerate(thread):
                parts[article.url] = StoryPart(
                    story,
                    i + 1,
                    thread[i - 1] if i > 0 else None,
                    thread[i + 1] if i + 1 < len(thread) else None,
                    None if article is latest else latest,
                )
        return MappingProxyType(parts)

    @cached_property
    def corrections(self) -> tuple[Correction, ...]:
        """Every correction of the archive, newest first (an article's own, last first)."""
        found = [Correction(a, note, n) for a in self.articles for n, note in enumerate(a.corrections, 1)]
        return tuple(sorted(found, key=lambda c: (c.note.date.astimezone(UTC), c.number), reverse=True))

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

    @cached_property  # the overview and the archive page show them
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


def _by_url(article: Article) -> str:
    return article.url


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

    ``related_memo`` carries related articles from one build to the next: finding them is
    the costliest part of indexing, and an article's depend only on the articles near it in
    its tags and regions, so a build finds them again only near an article added, removed
    or refiled.
    """
    now = now or datetime.now(UTC)
    articles = tuple(articles)  # read twice: for the site, and for the names of drafts
    published = [a for a in articles if config.drafts or is_published(a, now)]
    # A file that only redirects is a redirect page, never an article of the site.
    shown = newest_first(a for a in published if a.redirect_to is None and not a.standalone)
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
    own = {
        taxonomy.name: _terms(
            shown,
            lambda a, name=taxonomy.name: a.terms_of(name),
            taxonomy.url,
            config.names,
            _What(taxonomy.label.lower(), taxonomy.keys),
        )
        for taxonomy in config.taxonomies
    }
    older = {a.url: b for a, b in zip(shown, shown[1:], strict=False)}
    newer = {b.url: a for a, b in zip(shown, shown[1:], strict=False)}
    return Site(
        config=config,
        articles=shown,
        tags=tags,
        authors=authors,
        regions=regions,
        periods=_periods(shown, config),
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
            *(warning for _, _, warnings in own.values() for warning in warnings),
            *redirect_warnings,
            *_unmatched_names(
                config,
                (*tags, *authors, *regions, *(slug for _, t, _ in own.values() for slug in t)),
                articles,
            ),
            *_unmatched_stories(config, articles),
        ),
        redirects=redirects,
        stories=_stories(shown, config),
        pages=tuple(sorted((a for a in published if a.standalone and a.redirect_to is None), key=_by_url)),
        taxonomies=MappingProxyType({name: terms for name, (_, terms, _) in own.items()}),
        taxonomy_slugs=MappingProxyType(
            {name: MappingProxyType(slugs) for name, (slugs, _, _) in own.items()}
        ),
    )


def _stories(articles: tuple[Article, ...], config: Config) -> Mapping[str, Story]:
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:  # newest first, so the story with the latest article comes first
        if article.story is not None:
            members[article.story].append(article)
    return MappingProxyType(
        {
            slug: Story(
                slug,
                config.stories.get(slug, found[-1].title),
                config.permalinks.story.format(slug=slug),
                tuple(found),
            )
            for slug, found in members.items()
        }
    )


def _unmatched_stories(config: Config, articles: tuple[Article, ...]) -> list[ContentError]:
    """A warning for each ``[stories]`` key that no article's ``story`` names (drafts' and
    scheduled articles' included: a story may be named before it is published)."""
    written = {article.story for article in articles if article.story is not None}
    candidates = sorted(written)
    warnings = []
    for key in config.stories:
        if key in written:
            continue
        hint = "keys are the slugs articles give as 'story', e.g. 'anbar-raids'"
        where = (config.site_dir / SETTINGS_FILE, config.stories_lines.get(key, 1))
        warnings.append(
            _unknown_key(where, f"[stories] '{key}' names no story", key, written, candidates, hint)
        )
    return warnings


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
        hint = "keys are tag and author slugs and region paths, e.g. 'middle-east/iraq'"
        where = (settings, config.names_lines.get(key, 1))
        message = f"[names] '{key}' names no tag, region or author"
        warnings.append(_unknown_key(where, message, key, known, candidates, hint))
    return warnings


def _unknown_key(
    where: tuple[Path, int], message: str, key: str, known: set[str], candidates: list[str], hint: str
) -> ContentError:
    """A settings key naming nothing, with the closest known name or else what keys are."""
    close = _closest_name(key, known, candidates)
    return ContentError(*where, message + (f"; did you mean '{close}'?" if close else f" ({hint})"))


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
    """Related articles (see ``_related``), found again only for the articles whose own may
    differ from those of the build that left ``memo``; ``memo`` is updated for the next."""
    count = config.related_count
    if count <= 0:
        return {}
    found = _Groups(shown, tag_slugs, region_paths)
    last = memo if memo is not None and memo.get("basis") == (count, found.total_rarity) else {}
    stale = found.stale_since(last) if last else None
    kept: Mapping[str, tuple[str, ...]] = last.get("related", {})
    position = {a.url: i for i, a in enumerate(shown)}
    related = {
        a.url: (
            _related(found, i, count)
            if stale is None or i in stale
            else tuple(shown[position[url]] for url in kept[a.url])
        )
        for i, a in enumerate(shown)
    }
    if memo is not None and (not last or last["marks"] != found.marks or last["groups"] != found.by_url):
        memo.clear()
        memo.update(
            basis=(count, found.total_rarity),
            marks=found.marks,
            groups=found.by_url,
            rarity=found.rarity,
            related={url: tuple(b.url for b in chosen) for url, chosen in related.items()},
            key=object(),  # a new key: the memo is stored again (memory.save_related)
        )
    return related


def _terms(
    articles: tuple[Article, ...], names_of, pattern: str, display: Mapping[str, str], what: _What
) -> tuple[dict[str, str], Mapping[str, Term], list[ContentError]]:
    """Names matched case- and normalisation-insensitively; names whose slugs collide
    (``a b`` and ``a-b``) get distinct pages (see ``_distinct_slugs``), with a warning."""
    members: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    keys: dict[str, str] = {}  # a few hundred names, written tens of thousands of times
    for article in articles:
        for name in names_of(article):
            if (key := keys.get(name)) is None:
                key = keys[name] = name_key(name)
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


def _periods(articles: tuple[Article, ...], config: Config) -> Mapping[tuple[int, ...], Period]:
    members: dict[tuple[int, ...], list[Article]] = defaultdict(list)
    for article in articles:
        day: date = article.day
        for parts in ((day.year,), (day.year, day.month), (day.year, day.month, day.day)):
            members[parts].append(article)
    periods = {}
    for parts in sorted(members, reverse=True):
        url = config.at("/" + "".join(f"{segment}/" for segment in date_segments(*parts)))
        periods[parts] = Period(parts, url, tuple(members[parts]), i18n.period_name(parts, config.language))
    return MappingProxyType(periods)


#: How many articles either side of an article, within each of its tags and regions, it looks
#: at for related ones.
_REACH = 12


def _rarity(count: int) -> int:
    """``count`` on a scale of quarter powers of two, rounded up: the least k with
    2^(k/4) >= count. Weights are drawn from it, so a tag's weight changes when its number
    of articles crosses a step (one in five added, about), not with each one."""
    return (count**4 - 1).bit_length()


class _Groups:
    """The articles' tags and regions ("groups"), as related articles are found from them."""

    def __init__(
        self, articles: tuple[Article, ...], tag_slugs: Mapping[str, str], region_paths: Mapping[str, str]
    ) -> None:
        self.articles = articles
        self.of: list[frozenset[str]] = []
        self.members: dict[str, list[int]] = defaultdict(list)  # positions, ascending = newest first
        tags: dict[str, str] = {}  # a few hundred tags, written tens of thousands of times
        for i, article in enumerate(articles):
            for t in article.tags:
                if t not in tags:
                    tags[t] = "t:" + tag_slugs[name_key(t)]
            mine = frozenset(
                [tags[t] for t in article.tags] + ["r:" + region_paths[r] for r in article.regions]
            )
            self.of.append(mine)
            for group in mine:
                self.members[group].append(i)
        self.total_rarity = _rarity(len(articles))
        self.rarity = {group: _rarity(len(members)) for group, members in self.members.items()}
        self.weight = {
            group: round(
                math.log(1 + 2 ** ((self.total_rarity - rarity) / 4))
                * (2 << 20 if group[0] == "t" else 1 << 20)
            )
            for group, rarity in self.rarity.items()
        }
        self.instants = [a.date.timestamp() for a in articles]
        # What the related articles of each depend on, as the memo keeps it from build to build.
        self.marks = {a.url: (self.instants[i], self.of[i]) for i, a in enumerate(articles)}
        self.by_url = {g: tuple(articles[i].url for i in members) for g, members in self.members.items()}

    def near(self, group: str, i: int) -> list[int]:
        """The articles within ``_REACH`` of article ``i`` in one of its groups, itself included."""
        members = self.members[group]
        at = bisect.bisect_left(members, i)
        return members[max(0, at - _REACH) : at + _REACH + 1]

    def stale_since(self, last: Mapping[str, Any]) -> set[int]:
        """The articles whose related articles may differ from those ``last`` holds: any new or
        changed (date, tags, regions) and those near one in a group; those near where a group
        gained or lost articles; all of a group whose weight changed. For any other article,
        what it looks at and how it weighs it is as it was."""
        stale: set[int] = set()
        for group, urls in self.by_url.items():
            before = last["groups"].get(group)
            members = self.members[group]
            if before is None or last["rarity"][group] != self.rarity[group]:
                stale.update(members)
            elif before != urls:
                start, end = _differing(before, urls)
                stale.update(members[max(0, start - _REACH) : end + _REACH])
        marks = last["marks"]
        for i, article in enumerate(self.articles):
            if marks.get(article.url) != self.marks[article.url]:
                for group in self.of[i]:
                    stale.update(self.near(group, i))
                stale.add(i)
        return stale


def _differing(before: tuple[str, ...], after: tuple[str, ...]) -> tuple[int, int]:
    """Where ``after`` differs from ``before``: its positions from the end of what both start
    with to the start of what both end with."""
    shortest = min(len(before), len(after))
    start = next((k for k in range(shortest) if before[k] != after[k]), shortest)
    end = next((k for k in range(shortest - start) if before[-1 - k] != after[-1 - k]), shortest - start)
    return start, len(after) - end


def _related(groups: _Groups, i: int, count: int) -> tuple[Article, ...]:
    """The ``count`` articles most related to article ``i``: sharing the most (and rarest)
    tags and the closest region.

    Scoring every pair is quadratic; instead each article looks at the ``_REACH`` articles
    nearest in time within each of its tags and regions, which is where a news reader's
    related stories are anyway. A shared tag weighs its rarity, log(1 + articles / articles
    with the tag) (both counts rounded up to a step of ``_rarity``); a shared region half
    that. Weights are integers, so a score is exact whatever order its parts are added in;
    ties go to the article nearest in time, then by URL, the same way in every build.
    """
    mine, of, weight, instants = groups.of[i], groups.of, groups.weight, groups.instants
    candidates: set[int] = set()
    for group in mine:
        candidates.update(groups.near(group, i))
    candidates.discard(i)
    articles = groups.articles
    best = heapq.nsmallest(
        count,
        (
            (-sum([weight[g] for g in mine & of[j]]), abs(instants[i] - instants[j]), articles[j].url, j)
            for j in candidates
        ),
    )
    return tuple(articles[j] for *_, j in best)
