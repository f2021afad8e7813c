"""The build: config -> load -> index -> plan -> render -> write.

The modules of the stages after the input stamp (Markdown, YAML, Jinja and what builds on
them) are imported by the functions that run those stages: importing them takes longer than
the whole of a build that finds nothing changed, which stops before needing them.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from generator.config import Config, theme_dir
from generator.content import sources
from generator.engine import cache, moved
from generator.engine.memory import Memory, Session
from generator.engine.output import Staging, WriteReport, build_lock, check_output_dir, stage
from generator.engine.state import State, inputs, next_due, next_scheduled, templates_digest
from generator.errors import BuildFailed, ContentError, DatelineError
from generator.urls import relative_path

if TYPE_CHECKING:
    import jinja2

    from generator.content.load import ArticleCache, Loaded
    from generator.content.model import Article
    from generator.engine import incremental
    from generator.engine.pictures import Pictures
    from generator.site import pages, taxonomy

Progress = Callable[[str, int], Callable[[], None]]  # (stage, total) -> tick


def no_progress(stage: str, total: int) -> Callable[[], None]:
    return lambda: None


class Asked(Protocol):
    """Pages a reader is waiting for while the build runs (the preview's first build of a
    large archive): rendered before the rest, and each file announced once it is whole, so
    it can be served from the staging folder before the build lands. Files are named by
    their path relative to the output folder."""

    def staging(self, folder: Path) -> None:
        """Files are staged in ``folder`` from now on."""

    def take(self) -> list[str]:
        """The files asked for since the last call."""

    def ready(self, relatives: list[str]) -> None:
        """These staged files are whole and final."""

    def rendered(self, relative: str, data: bytes) -> None:
        """A page rendered ahead of the others, to serve from memory."""


@dataclass(frozen=True)
class Report:
    articles: int
    pages: int
    written: int  # files whose bytes changed
    removed: int
    seconds: float
    warnings: tuple[ContentError, ...]
    rendered: int = 0  # pages rendered, whether or not their bytes changed
    unread: tuple[sources.Unread, ...] = ()  # Markdown files under content/ not read, by reason
    scheduled: tuple[str, datetime] | None = None  # the next article to come due: its source, date


def prepare(
    config: Config, now: datetime | None, progress: Progress
) -> tuple[taxonomy.Site, list[pages.Page], tuple[ContentError, ...]]:
    """Load, index and plan; raises BuildFailed with every content error."""
    from generator.content.load import ArticleCache, load_articles
    from generator.site import languages

    found = sources.find(config)
    articles = ArticleCache(config, enabled=False)  # not closed: pages read bodies from it later
    loaded = load_articles(config, found.articles, articles, 1, progress("Reading", len(found.articles)))
    if loaded.errors:
        raise BuildFailed(loaded.errors)
    site = languages.index(loaded.articles, config, now or datetime.now(UTC))
    plan = plan_site(site)
    notes = _notes(found, loaded.articles, site, published_files(found, site, plan)[1])
    return site, plan, found.skipped + loaded.warnings + site.warnings + notes


def published_files(
    found: sources.Sources, site: taxonomy.Site, plan: list[pages.Page]
) -> tuple[dict[str, Path], tuple[ContentError, ...]]:
    """URL -> file for what is copied as it is: the static files and the files of the page
    bundles of published articles; and a warning for each bundle file whose place a page or
    static file takes."""
    if not found.bundles:
        return found.statics, ()
    taken = {relative_path(page.url): f"the page {page.url}" for page in plan}
    taken.update((relative_path(url), f"the static file {url}") for url in found.statics)
    bundled, clashes = sources.bundle_statics(found.bundles, (*site.articles, *site.pages), taken)
    return {**found.statics, **bundled}, clashes


def _notes(
    found: sources.Sources,
    loaded: tuple[Article, ...],
    site: taxonomy.Site,
    clashes: tuple[ContentError, ...],
) -> tuple[ContentError, ...]:
    """Warnings about what the content holds but the site will not show."""
    nothing = sources.nothing_built(site.config.content_dir, found.unread, loaded, len(site.articles))
    return clashes if nothing is None else (*clashes, nothing)


def plan_site(site: taxonomy.Site) -> list[pages.Page]:
    """Every page: HTML pages, the search page, then feeds, sitemap and robots.txt; raises
    BuildFailed when two want one URL."""
    from generator.site import conflicts, languages

    plan = languages.plan(site)
    conflicts.check_urls(plan, site.config)
    return plan


def build(
    config: Config,
    now: datetime | None = None,
    progress: Progress = no_progress,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    reindex_search: bool = True,
    session: Session | None = None,
    asked: Asked | None = None,
    stop_indexing: threading.Event | None = None,
) -> Report:
    """Build the site into ``config.out_dir``, or raise BuildFailed and leave it untouched.

    Incremental unless ``use_cache`` is false: only new or edited articles are parsed and
    only pages whose inputs changed are rendered (see incremental.py); the result is byte
    for byte what a build from scratch writes. Parsing and rendering run over ``jobs``
    processes (default: every core). With ``reindex_search`` false (the live preview after its
    first build) the previous search index is kept as it is when there is one: re-indexing a
    shard takes seconds that an editor waiting on a save should not pay. The next build that
    indexes re-indexes the shards whose pages changed meanwhile, and stops, raising
    DatelineError, once ``stop_indexing`` is set.
    A ``session`` keeps parsed articles and compiled templates in memory between builds.
    Pages ``asked`` for while the build runs are rendered first (see ``Asked``).
    A second build of the site started meanwhile waits for this one to finish.
    """
    started = time.perf_counter()
    check_output_dir(config)
    with build_lock(config.cache_dir):
        memory = Memory(config, use_cache, session)
        search = _Search(reindex_search, stop_indexing)
        return _build(config, now or datetime.now(UTC), progress, jobs, memory, search, started, asked)


def _build(
    config: Config,
    now: datetime,
    progress: Progress,
    jobs: int | None,
    memory: Memory,
    search: _Search,
    started: float,
    asked: Asked | None = None,
) -> Report:
    started_ns = time.time_ns()
    found = sources.find(config)
    seen = inputs(config, found.articles, found.stamped())
    last = memory.unchanged_since(seen, now)
    if last is not None and not (search.reindex and config.search and last.search_stale):
        return _unchanged(last, found, started)

    from generator.engine import parallel
    from generator.engine.pictures import Pictures

    jobs = jobs or parallel.default_jobs()
    with (
        _collector_paused(),
        contextlib.closing(memory.article_cache()) as cached,
        contextlib.closing(Pictures(config, memory.enabled)) as pictures,
    ):
        loaded = _load(config, found, cached, jobs, progress)
        search.check()
        planned = _plan(config, found, loaded, pictures, memory, now, jobs)
        search.check()
        todo = _todo(config, planned.site, planned.pages, planned.digests, memory)
        _resume_collector()
        written = _write(config, planned, todo, memory.state, jobs, progress, search, asked)
        pictures.save()
    state = _state(seen.stamp(started_ns), started_ns, loaded.articles, planned, written, now)
    memory.remember(state, todo.marks_after(written.reads, planned.pages))
    moved.save_record(config, planned.urls, planned.last_urls)
    return _report(planned, written, state, found, started)


def _unchanged(last: State, found: sources.Sources, started: float) -> Report:
    """The report of a build that found nothing changed: the last build's figures."""
    warnings = found.skipped + cache.errors_from(last.warnings)
    seconds = time.perf_counter() - started
    return Report(
        last.articles, last.pages, 0, 0, seconds, warnings, unread=found.unread, scheduled=last.scheduled
    )


def _load(
    config: Config, found: sources.Sources, cached: ArticleCache, jobs: int, progress: Progress
) -> Loaded:
    """Every article, parsed or from the cache; raises BuildFailed with every content error."""
    from generator.content.load import load_articles

    loaded = load_articles(config, found.articles, cached, jobs, progress("Reading", len(found.articles)))
    cached.save()  # parsed articles are worth keeping even when the build fails below
    if loaded.errors:
        raise BuildFailed(loaded.errors)
    return loaded


@dataclass(frozen=True)
class _Planned:
    """The site and its pages, with what is copied as it is and what the build warns about."""

    site: taxonomy.Site
    pages: list[pages.Page]
    statics: dict[str, Path]  # URL -> file
    digests: Mapping[str, str]  # article source -> content digest
    warnings: tuple[ContentError, ...]
    urls: moved.Record  # this build's article URLs, and the last build's
    last_urls: moved.Record | None


def _plan(
    config: Config,
    found: sources.Sources,
    loaded: Loaded,
    pictures: Pictures,
    memory: Memory,
    now: datetime,
    jobs: int,
) -> _Planned:
    """Measure pictures, index and plan the site; warn about what it will not show."""
    from generator.engine.pictures import site_files
    from generator.site import languages

    shown, digests = pictures.show(loaded.articles, loaded.digests, site_files(found, loaded.articles), jobs)
    site = languages.index(shown, config, now, related_memo=memory.related())
    plan = plan_site(site)
    statics, clashes = published_files(found, site, plan)
    statics = {**pictures.files((*site.articles, *site.pages)), **statics}
    last_urls, urls = moved.load_record(config), moved.record_of(site.articles, config)
    lost = moved.lost_urls(last_urls, urls, loaded.articles, site, plan, statics)
    notes = _notes(found, loaded.articles, site, clashes)
    warnings = loaded.warnings + pictures.warnings + site.warnings + notes + lost
    return _Planned(site, plan, statics, digests, warnings, urls, last_urls)


def _state(
    stamp: str,
    started_ns: int,
    read: tuple[Article, ...],
    planned: _Planned,
    written: _Written,
    now: datetime,
) -> State:
    """What the next build needs to know of this one."""
    from generator.site import languages

    return State(
        stamp,
        started_ns,
        next_due(read, now, languages.next_change(planned.site)),
        len(planned.site.articles),
        len(planned.pages),
        cache.plain_errors(planned.warnings),
        written.report.outputs,
        written.shards,
        next_scheduled(read, now),
        written.stale,
    )


def _report(
    planned: _Planned, written: _Written, state: State, found: sources.Sources, started: float
) -> Report:
    return Report(
        articles=len(planned.site.articles),
        pages=len(planned.pages),
        written=written.report.written,
        removed=written.report.removed,
        seconds=time.perf_counter() - started,
        warnings=found.skipped + planned.warnings,
        rendered=written.rendered,
        unread=found.unread,
        scheduled=state.scheduled,
    )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading, indexing and planning make hundreds of thousands of objects that live to the
    end of the build and hold no cycles: the cyclic collector, left on, would walk them again
    and again. It resumes for rendering, with them set aside (``freeze``), which also keeps
    forked workers from touching, and so copying, the parent's memory."""
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()  # a long-running preview frees what its next build no longer uses
        gc.enable()


def _resume_collector() -> None:
    """Set what exists now aside from the collector and resume it (see ``_collector_paused``)."""
    gc.freeze()
    gc.enable()


@dataclass(frozen=True)
class _Todo:
    """Which pages to render: those whose fingerprint changed (``changed``; None: every page),
    with the environment to render them in."""

    changed: set[str] | None
    marks: incremental.Marks
    last: incremental.Marks | None
    env: jinja2.Environment
    custom: bool  # templates of the site's own, whose pages' reads are noted

    def marks_after(self, reads: dict[str, tuple[int, ...]], plan: list[pages.Page]) -> incremental.Marks:
        """The marks to keep: with what each page of the site's own templates read, noted
        now for the pages rendered and kept from the last build for the others."""
        if not self.custom:
            return self.marks
        kept = {} if self.changed is None or self.last is None else self.last.reads
        urls = {page.url for page in plan}
        return replace(self.marks, reads={url: r for url, r in {**kept, **reads}.items() if url in urls})


def _todo(
    config: Config, site: taxonomy.Site, plan: list[pages.Page], digests: Mapping[str, str], memory: Memory
) -> _Todo:
    from generator.engine import incremental

    custom = config.templates_dir.is_dir() and config.templates_dir.resolve() != theme_dir().resolve()
    templates = templates_digest(config)
    fingerprints = incremental.Fingerprints(site, templates, digests)
    last = memory.last_marks()
    marks = fingerprints.marks(plan, last)
    changed: set[str] | None = _changed(marks.fingerprints, last.fingerprints if last else {})
    if custom:  # templates of the site's own may show more than the fingerprints cover
        reading = fingerprints.reading_pages(plan, last)
        changed = None if reading is None else changed | reading
    return _Todo(changed, marks, last, memory.environment(templates, note_reads=custom), custom)


def _changed(fingerprints: Mapping[str, str], last: Mapping[str, str]) -> set[str]:
    """The URLs of the pages whose fingerprint is not the last build's."""
    return {url for url, mark in fingerprints.items() if last.get(url) != mark}


@dataclass(frozen=True)
class _Written:
    report: WriteReport
    rendered: int  # pages rendered, whether or not their bytes changed
    reads: dict[str, tuple[int, ...]]  # what each page read, when the environment notes it
    shards: tuple[str, ...]  # what the search index's shards were made from
    stale: tuple[str, ...]  # pages written since (see State.search_stale)


@dataclass(frozen=True)
class _Search:
    reindex: bool  # index the shards whose pages changed; else keep the index there is
    stop: threading.Event | None  # set: stop indexing (the preview has a save to build)

    def check(self) -> None:
        """Stop a build that is there to index as soon as it is told to, not only in Pagefind."""
        if self.stop is not None and self.stop.is_set():
            raise DatelineError("the build was stopped")


def _write(
    config: Config,
    planned: _Planned,
    todo: _Todo,
    state: State | None,
    jobs: int,
    progress: Progress,
    search_index: _Search,
    asked: Asked | None,
) -> _Written:
    """Render the pages ``todo`` names and those missing from the output, copy the static
    files into a staging folder, index the search where it needs it, then move what changed
    into the output (see output.py)."""
    from generator.site import languages, search
    from generator.site.pages import Kind

    plan, site, statics = planned.pages, planned.site, planned.statics
    staging = Staging(config.out_dir)
    out = f"{config.out_dir}{os.sep}"
    try:
        changed, rendering = todo.changed, []
        for page in plan:
            relative = staging.claim(page.url)
            if changed is None or page.url in changed or not os.path.isfile(out + relative):
                rendering.append(page)
        for url, source in statics.items():  # first: the pages served ahead need the stylesheet
            staging.add_file(url, source)
        if asked is not None:
            asked.staging(staging.dir)
            asked.ready(list(staging.changed))
        tick = progress("Rendering", len(rendering))
        staged, reads = render_pages(rendering, site, todo.env, staging, jobs, tick, asked)
        for target in staged:
            staging.staged(target)
        bundle = (
            []
            if state is None or search_index.reindex
            else search.bundle_files(state.outputs, config.out_dir)
        )
        shards: tuple[str, ...] = ()
        stale: tuple[str, ...] = ()
        if config.search and bundle and state is not None:  # kept as it is, and what it lacks noted
            for relative in bundle:
                staging.keep("/" + relative)
            shards, stale = state.search_shards, tuple(sorted({*state.search_stale, *staged}))
        elif config.search:  # indexes the staged pages, so a failure leaves the output as it was
            urls: dict[str, list[str]] = {}
            for page in plan:
                if page.kind == Kind.ARTICLE:
                    urls.setdefault(search.shard_language(languages.site_of(site, page).config), []).append(
                        page.url
                    )
            previous = None if state is None else (state.outputs, state.search_shards)
            changed_pages = {*staged, *(state.search_stale if state else ())}
            shards = search.index(
                staging, urls, config.search_shard_articles, changed_pages, previous, jobs, search_index.stop
            )
    except BaseException:
        staging.discard()
        raise
    return _Written(staging.commit(), len(rendering), reads, shards, stale)


def render_pages(
    todo: list[pages.Page],
    site: taxonomy.Site,
    env: jinja2.Environment,
    staging: Staging,
    jobs: int,
    tick: Callable[[], None],
    asked: Asked | None = None,
) -> tuple[list[str], dict[str, tuple[int, ...]]]:
    """Render ``todo`` over ``jobs`` processes, each staging its own files: the files staged
    and, when ``env`` notes them, the articles each page read (positions in
    ``site.articles``). Pages ``asked`` for are rendered here, between two chunks of the
    workers' results. Raises BuildFailed with each broken template reported once."""
    from generator.engine import parallel, render
    from generator.site.languages import site_of

    out_dir, staging_dir = staging.out_dir, staging.dir
    reading = isinstance(env, render.ReadingEnvironment)
    position = {a.url: i for i, a in enumerate(site.articles)} if reading else {}

    def render_chunk(
        chunk: list[pages.Page],
    ) -> tuple[list[str], list[tuple[Path, int, str, str | None]], list[Any]]:
        staged, errors, read = [], [], []
        for page in chunk:
            try:
                own = site_of(site, page)
                if reading:
                    data, urls = render.render_reading(page, env, own)  # type: ignore[arg-type]
                    read.append((page.url, tuple(sorted(position[url] for url in urls if url in position))))
                else:
                    data = render.render(page, env, own)
            except ContentError as error:
                errors.append((error.path, error.line, error.message, error.page))
                continue
            relative = relative_path(page.url)  # refuses a URL that would lead outside the output
            if stage(out_dir, staging_dir, relative, data):
                staged.append(relative)
        return staged, errors, read

    errors: dict[tuple[str, int, str], ContentError] = {}
    all_staged: list[str] = []
    reads: dict[str, tuple[int, ...]] = {}
    ahead = _Ahead(todo, site, env, asked)
    ahead.render()
    for chunk, (staged, failures, read) in parallel.run(render_chunk, todo, jobs):
        all_staged += staged
        reads.update(read)
        ahead.ready(staged)
        for path, line, message, page in failures:  # one broken template fails many pages
            errors.setdefault((str(path), line, message), ContentError(path, line, message, page))
        for _ in chunk:
            tick()
    if errors:
        raise BuildFailed(errors.values())
    return all_staged, reads


class _Ahead:
    """Renders the pages a reader asks for ahead of the workers, in this process."""

    def __init__(
        self, todo: list[pages.Page], site: taxonomy.Site, env: jinja2.Environment, asked: Asked | None
    ):
        self.todo, self.site, self.env, self.asked = todo, site, env, asked
        self.by_file: dict[str, pages.Page] | None = None  # made at the first request
        self.done: set[str] = set()

    def ready(self, staged: list[str]) -> None:
        if self.asked is not None:
            self.asked.ready(staged)
            self.render()

    def render(self) -> None:
        from generator.engine import render
        from generator.site.languages import site_of

        if self.asked is None:
            return
        for relative in self.asked.take():
            if self.by_file is None:
                self.by_file = {relative_path(page.url): page for page in self.todo}
            page = self.by_file.get(relative)
            if page is None or relative in self.done:
                continue
            self.done.add(relative)
            try:
                self.asked.rendered(relative, render.render(page, self.env, site_of(self.site, page)))
            except ContentError:
                continue  # the workers render it too, and report its error with the others'
