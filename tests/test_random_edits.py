"""After any sequence of edits, an incremental build writes exactly the bytes a cold build writes.

A Hypothesis state machine starts from a small site and edits it at random: articles (added,
deleted, renamed, and every field of their front matter and body), templates of the site's
own, ``site.toml``, static files, and the clock the builds are given. After each step it
builds the site with its cache into its output folder, builds the same sources from scratch
into another folder, and compares the two file by file.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from generator.config import Config, load_config
from generator.engine.build import build
from generator.errors import BuildFailed

START = datetime(2025, 1, 1, tzinfo=UTC)
THEME = Path(__file__).resolve().parent.parent / "templates"

TAGS = ("floods", "elections", "ports", "courts")
REGIONS = ("middle-east/iraq/anbar", "middle-east/iraq", "middle-east/syria", "europe/france/paris", "africa")
AUTHORS = ("Reporter One", "Reporter Two", "Night Desk")
# Shared by every article, so two on one day may want one URL: both builds must then fail alike.
TITLES = (
    "Floods reach the capital",
    "Ballots counted overnight",
    "The port reopens",
    "Court rules on appeal",
)
# By name, so a failing example prints short.
BODIES = {
    "short": "A short first paragraph.",
    "sectioned": "Rain fell for a week.\n\n## What happened\n\nThe river rose and [the port](/2024/01/01/port/) closed.",
    "long": "One paragraph of many words, " + "and then some more words " * 60 + "until the end.",
    "empty": "",
}

# Few distinct days, so articles share day, month and year pages; hours near midnight and
# offsets far from UTC, so the day as written and the day in UTC differ.
PAST_DATES = st.builds(
    "{}-{:02d}-{:02d}T{:02d}:30:00{}".format,
    st.sampled_from([2023, 2024]),
    st.sampled_from([1, 2, 12]),
    st.sampled_from([1, 2, 28]),
    st.sampled_from([0, 9, 23]),
    st.sampled_from(["Z", "+03:00", "-05:00"]),
)
# Hours from the builds' clock when the article is saved (see ``Story.on``): ahead of it, the
# clock rule brings the article due; just behind, it leaves the news sitemap, or expires.
SOON = st.sampled_from([-30, -6, 6, 30, 60]).map("now{:+d}h".format)
DATES = st.one_of(PAST_DATES, SOON)
EXPIRIES = st.one_of(st.none(), SOON, st.just("2024-06-01T00:00:00Z"))
TAG_LISTS = st.lists(st.sampled_from(TAGS), max_size=3, unique=True).map(tuple)
OPTIONAL_REGIONS = st.one_of(st.none(), st.sampled_from(REGIONS))
OPTIONAL_AUTHORS = st.one_of(st.none(), st.sampled_from(AUTHORS))


@dataclass(frozen=True)
class Story:
    """One article's front matter and body, written out by ``text``; ``{n}`` in its slug and
    aliases stands for the article's number, so those are its own."""

    title: str
    date: str
    body: str
    tags: tuple[str, ...] = ()
    region: str | None = None
    author: str | None = None
    slug: str | None = None
    aliases: tuple[str, ...] = ()
    draft: bool = False
    expires: str | None = None
    updated: str | None = None
    desk: str | None = None

    def on(self, now: datetime) -> Story:
        """The story with its dates relative to ``now`` (``now+6h``) written out."""

        def written(value: str | None) -> str | None:
            if value is None or not value.startswith("now"):
                return value
            return (now + timedelta(hours=int(value[3:-1]))).strftime("%Y-%m-%dT%H:%M:%SZ")

        return replace(
            self, date=written(self.date), updated=written(self.updated), expires=written(self.expires)
        )

    def text(self, number: int) -> str:
        lines = [f"title: {self.title}", f"date: {self.date}", f"tags: [{', '.join(self.tags)}]"]
        optional = {
            "region": self.region,
            "author": self.author,
            "slug": self.slug and self.slug.format(n=number),
            "expirydate": self.expires,
            "updated": self.updated,
            "desk": self.desk,
        }
        lines += [f"{key}: {value}" for key, value in optional.items() if value is not None]
        if self.aliases:
            lines.append(f"aliases: [{', '.join(alias.format(n=number) for alias in self.aliases)}]")
        if self.draft:
            lines.append("draft: true")
        return "---\n" + "\n".join(lines) + "\n---\n\n" + BODIES[self.body] + "\n"


# A slug of its own keeps an article's URL when its title changes; without one, two articles
# of a day with one title clash. Hypothesis leans to the first value: clashes (both builds
# fail, until an edit ends them) should not take most of the steps.
SLUGS = st.sampled_from(["piece-{n}", None])
STORIES = st.builds(
    Story,
    title=st.sampled_from(TITLES),
    date=DATES,
    body=st.sampled_from(sorted(BODIES)),
    tags=TAG_LISTS,
    region=OPTIONAL_REGIONS,
    author=OPTIONAL_AUTHORS,
    slug=SLUGS,
    desk=st.sampled_from([None, "Metro", "Sport"]),
)


@dataclass(frozen=True)
class Settings:
    title: str
    per_page: int
    feed_limit: int
    related_count: int
    timezone: str
    archive_day: str
    names: tuple[tuple[str, str], ...]
    desks: bool  # a taxonomy of the site's own, filing articles by their ``desk``

    def text(self) -> str:
        lines = [
            f'title = "{self.title}"',
            f"per_page = {self.per_page}",
            f"feed_limit = {self.feed_limit}",
            f"related_count = {self.related_count}",
            f'timezone = "{self.timezone}"',
            f'archive_day = "{self.archive_day}"',
        ]
        # Pagefind's index is not part of the comparison: it is rebuilt whole, and slowly.
        lines += ["search = false", "[names]"] + [f'"{key}" = "{name}"' for key, name in self.names]
        if self.desks:
            lines.append("[taxonomies.desks]")
        return "\n".join(lines) + "\n"


NAMES = st.lists(
    st.sampled_from(
        [
            ("middle-east/iraq", "Iraq"),
            ("middle-east", "The Middle East"),
            ("floods", "Flooding"),
            ("reporter-one", "R. One"),
            ("europe/france/paris", "Paris"),
        ]
    ),
    unique=True,
    max_size=3,
).map(tuple)
SETTINGS = st.builds(
    Settings,
    title=st.sampled_from(["Test Archive", "The Courier Archive"]),
    per_page=st.sampled_from([2, 3]),
    feed_limit=st.sampled_from([2, 3, 50]),
    related_count=st.sampled_from([1, 5]),
    # Settings that change which day an article is filed under, and so its URL.
    timezone=st.sampled_from(["UTC", "America/Chicago"]),
    archive_day=st.sampled_from(["as-written", "site"]),
    names=NAMES,
    desks=st.booleans(),
)

# Templates of the site's own: the theme's, changed a little; some show article fields the
# theme's pages do not, which the build then has to notice on its own.
TEMPLATE_EDITS = {
    "base.html with a banner": ("base.html", "<main", '<p class="banner">Special</p>\n<main'),
    "base.html with the latest summaries": (
        "base.html",
        "<main",
        "<aside>{% for item in site.articles[:2] %}<p>{{ item.summary }}</p>{% endfor %}</aside>\n<main",
    ),
    "_card.html with the word count": (
        "_card.html",
        "</article>",
        "<p>{{ article.word_count }} words</p></article>",
    ),
    "_card.html with the older article's summary": (
        "_card.html",
        "</article>",
        "{% if article.url in site.older %}<p>{{ site.older[article.url].summary }}</p>{% endif %}</article>",
    ),
    "article.html with the older article's summary": (
        "article.html",
        '<nav class="neighbours"',
        '{% if older %}<p class="teaser">{{ older.summary }}</p>{% endif %}<nav class="neighbours"',
    ),
    "list.html with the first article's authors": (
        "list.html",
        '<p class="count">',
        '<p class="lead">{{ pagination.articles[0].authors | join(", ") if pagination.articles }}</p><p class="count">',
    ),
}
# The site's own static files, and a file of the page bundle an article is when it lies in
# content/bundle-{n}/ (see rename_article), copied beside its page.
COPIED_FILES = ("static/logo.txt", "static/media/map.svg", "content/bundle-{n}/photo.txt")

# Where an article's file may move, under content/: a subfolder; Jekyll's _drafts/ (a draft
# however it is dated); a Jekyll file name, whose slug the URL takes when the front matter
# gives none; a Hugo page bundle; into another language (a folder, a suffix); back where it started.
RENAMES = (
    "moved/story-{n}.md",
    "de/story-{n}.md",
    "story-{n}.fr.md",
    "_drafts/story-{n}.md",
    "2024-02-02-renamed-{n}.md",
    "bundle-{n}/index.md",
    "story-{n}.md",
)

# Picks one of the current articles: an index into them, modulo their number.
PICK = st.integers(min_value=0, max_value=20)


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()
    }


def difference(incremental: dict[str, bytes], cold: dict[str, bytes]) -> str | None:
    """The first difference between two outputs, with a short diff; None when they are equal."""
    extra, missing = sorted(incremental.keys() - cold.keys()), sorted(cold.keys() - incremental.keys())
    if extra or missing:
        return f"only in the incremental output: {extra[:5]}; only in the cold one: {missing[:5]}"
    for name in sorted(cold):
        if incremental[name] != cold[name]:
            diff = difflib.unified_diff(
                cold[name].decode(errors="replace").splitlines(),
                incremental[name].decode(errors="replace").splitlines(),
                f"cold/{name}",
                f"incremental/{name}",
                n=1,
                lineterm="",
            )
            return f"{name} differs:\n" + "\n".join(line[:200] for line in list(diff)[:30])
    return None


def attempt(config: Config, now: datetime, use_cache: bool) -> list[str] | None:
    """Build; the errors when the build fails, else None."""
    try:
        build(config, now=now, jobs=1, use_cache=use_cache)
    except BuildFailed as failed:
        return sorted(str(error) for error in failed.errors)
    return None


class RandomEdits(RuleBasedStateMachine):
    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(dir=root))
        self.site = self.root / "site"
        self.now = START
        self.stories: dict[int, Story] = {}
        self.paths: dict[int, str] = {}  # under content/
        self.own_templates: set[str] = set()
        self.copied: set[str] = set()  # of COPIED_FILES, under the site folder
        self.last_output: dict[str, bytes] = {}
        # Each write gets its own mtime, an hour in the past and one second after the last:
        # no edit can hide from the (size, mtime) check in the same clock tick as another.
        self.clock = time.time() - 3600

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def write(self, relative: str, text: str) -> None:
        path = self.site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.clock += 1
        os.utime(path, (self.clock, self.clock))

    def save(self, number: int, story: Story) -> None:
        story = story.on(self.now)
        self.stories[number] = story
        self.write(f"content/{self.paths[number]}", story.text(number))

    def picked(self, pick: int) -> int:
        return sorted(self.stories)[pick % len(self.stories)]

    def edit(self, pick: int, **changes: object) -> None:
        number = self.picked(pick)
        self.save(number, replace(self.stories[number], **changes))

    # Titles of their own at first, so the site starts out building; edits may make two clash.
    @initialize(
        stories=st.lists(STORIES, min_size=3, max_size=4, unique_by=lambda story: story.title),
        site_settings=SETTINGS,
    )
    def start(self, stories: list[Story], site_settings: Settings) -> None:
        self.edit_settings(site_settings)
        for story in stories:
            self.add_article(story)

    @rule(story=STORIES)
    def add_article(self, story: Story) -> None:
        number = max(self.stories, default=0) + 1
        self.paths[number] = f"story-{number}.md"
        self.save(number, story)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, body=st.sampled_from(sorted(BODIES)))
    def edit_body(self, pick: int, body: str) -> None:
        self.edit(pick, body=body)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, title=st.sampled_from(TITLES))
    def edit_title(self, pick: int, title: str) -> None:
        self.edit(pick, title=title)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, tags=TAG_LISTS)
    def edit_tags(self, pick: int, tags: tuple[str, ...]) -> None:
        self.edit(pick, tags=tags)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, region=OPTIONAL_REGIONS)
    def edit_region(self, pick: int, region: str | None) -> None:
        self.edit(pick, region=region)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, author=OPTIONAL_AUTHORS)
    def edit_author(self, pick: int, author: str | None) -> None:
        self.edit(pick, author=author)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, desk=st.sampled_from([None, "Metro", "Sport"]))
    def edit_desk(self, pick: int, desk: str | None) -> None:
        self.edit(pick, desk=desk)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, date=DATES)
    def edit_date(self, pick: int, date: str) -> None:
        self.edit(pick, date=date)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, slug=SLUGS)
    def edit_slug(self, pick: int, slug: str | None) -> None:
        self.edit(pick, slug=slug)

    @precondition(lambda self: self.stories)
    @rule(
        pick=PICK,
        aliases=st.sampled_from([(), ("/old/{n}/",), ("earlier-{n}",), ("/old/{n}/", "earlier-{n}")]),
    )
    def edit_aliases(self, pick: int, aliases: tuple[str, ...]) -> None:
        self.edit(pick, aliases=aliases)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, draft=st.booleans())
    def edit_draft(self, pick: int, draft: bool) -> None:
        self.edit(pick, draft=draft)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, updated=st.one_of(st.none(), PAST_DATES, SOON))
    def edit_updated(self, pick: int, updated: str | None) -> None:
        self.edit(pick, updated=updated)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, expires=EXPIRIES)
    def edit_expiry(self, pick: int, expires: str | None) -> None:
        self.edit(pick, expires=expires)

    @precondition(lambda self: self.stories)
    @rule(pick=PICK)
    def delete_article(self, pick: int) -> None:
        number = self.picked(pick)
        (self.site / "content" / self.paths.pop(number)).unlink()
        del self.stories[number]

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, language=st.sampled_from(["de", "ar"]), title=st.sampled_from(TITLES))
    def translate_article(self, pick: int, language: str, title: str) -> None:
        """A translation: the article at its path under a language folder (a translation of
        a translation, or of a moved article, is an article of that language on its own)."""
        original = self.picked(pick)
        number = max(self.stories) + 1
        self.paths[number] = f"{language}/{self.paths[original]}"
        self.save(number, replace(self.stories[original], title=title, slug=None))

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, destination=st.sampled_from(RENAMES))
    def rename_article(self, pick: int, destination: str) -> None:
        number = self.picked(pick)
        content, path = self.site / "content", destination.format(n=number)
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        os.rename(content / self.paths[number], content / path)
        self.paths[number] = path

    @rule(hours=st.sampled_from([6, 25, 49, 96]))
    def advance_clock(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(change=st.sampled_from(sorted(TEMPLATE_EDITS)))
    def own_template(self, change: str) -> None:
        name, old, new = TEMPLATE_EDITS[change]
        text = (THEME / name).read_text(encoding="utf-8")
        assert old in text, f"the theme's {name} no longer holds {old!r}: update TEMPLATE_EDITS"
        self.write(f"templates/{name}", text.replace(old, new, 1))
        self.own_templates.add(name)

    @precondition(lambda self: self.own_templates)
    @rule(pick=PICK)
    def remove_own_template(self, pick: int) -> None:
        name = sorted(self.own_templates)[pick % len(self.own_templates)]
        (self.site / "templates" / name).unlink()
        self.own_templates.remove(name)
        if not self.own_templates:  # else the site keeps a (empty) templates/ of its own
            (self.site / "templates").rmdir()

    @rule(site_settings=SETTINGS)
    def edit_settings(self, site_settings: Settings) -> None:
        self.write("site.toml", site_settings.text())

    @precondition(lambda self: self.stories)
    @rule(pick=PICK, name=st.sampled_from(COPIED_FILES), text=st.sampled_from(["one", "two", "three!"]))
    def write_copied_file(self, pick: int, name: str, text: str) -> None:
        relative = name.format(n=self.picked(pick))
        self.write(relative, text)
        self.copied.add(relative)

    @precondition(lambda self: self.copied)
    @rule(pick=PICK)
    def delete_copied_file(self, pick: int) -> None:
        relative = sorted(self.copied)[pick % len(self.copied)]
        (self.site / relative).unlink()
        self.copied.remove(relative)

    @invariant()
    def incremental_build_equals_a_cold_build(self) -> None:
        cold_dir = self.root / "cold"
        shutil.rmtree(cold_dir, ignore_errors=True)
        # The cold build keeps its lock in a cache folder of its own: it shares nothing.
        cold_config = load_config(self.site, output_dir=cold_dir, cache_folder=self.root / "cold-cache")
        incremental_errors = attempt(load_config(self.site), self.now, use_cache=True)
        cold_errors = attempt(cold_config, self.now, use_cache=False)
        assert incremental_errors == cold_errors, f"incremental: {incremental_errors}; cold: {cold_errors}"
        output = files(self.site / "output")
        if cold_errors is None:
            problem = difference(output, files(cold_dir))
            assert problem is None, problem
            self.last_output = output
        else:
            assert output == self.last_output, "a failed build changed the output"


# About 200 steps, two builds each: half a minute on an idle machine. Long runs (a dozen edits
# and more) find what short ones cannot, as edits pile up on one another and on the cache.
# derandomize: every run tries the same examples, so a failure in CI fails again locally and
# no example database is needed. No shrinking: it may take Hypothesis's five-minute limit at
# two builds a step; the unshrunk failure, its steps printed, reads well enough (add
# Phase.shrink to minimise one locally).
CI_SETTINGS = settings(
    max_examples=10,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
)


def test_incremental_builds_after_any_edits_equal_a_cold_build(tmp_path: Path) -> None:
    run_state_machine_as_test(lambda: RandomEdits(tmp_path), settings=CI_SETTINGS)
