"""The build: config -> load -> index -> plan -> render -> write.

The modules of the stages after the input stamp (Markdown, YAML, Jinja and what builds on
them) are imported by the functions that run those stages: importing them takes longer than
the whole of a build that finds nothing changed, which stops before needing them.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.config import Config, theme_dir
from generator.content import sources
from generator.engine import cache
from generator.engine.output import Staging, WriteReport, build_lock, check_output_dir, relative_path, stage
from generator.errors import BuildFailed, ContentError

if TYPE_CHECKING:
    import jinja2

    from generator.content import article as content
    from generator.engine import incremental
    from generator.site import pages, taxonomy

Progress = Callable[[str, int], Callable[[], None]]  # (stage, total) -> tick


def no_progress(stage: str, total: int) -> Callable[[], None]:
    return lambda: None


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


def prepare(
    config: Config, now: datetime | None, progress: Progress
) -> tuple[taxonomy.Site, list[pages.Page], tuple[ContentError, ...]]:
    """Load, index and plan; raises BuildFailed with every content error."""
    from generator.content import article as content
    from generator.site import taxonomy

    found = sources.find(config)
    loaded = content.load(config, progress("Reading", len(found.articles)))
    if loaded.errors:
        raise BuildFailed(loaded.errors)
    site = taxonomy.index(loaded.articles, config, now)
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
    bundled, clashes = sources.bundle_statics(found.bundles, site.articles, taken)
    return {**found.statics, **bundled}, clashes


def _notes(
    found: sources.Sources,
    loaded: tuple[content.Article, ...],
    site: taxonomy.Site,
    clashes: tuple[ContentError, ...],
) -> tuple[ContentError, ...]:
    """Warnings about what the content holds but the site will not show."""
    nothing = sources.nothing_built(site.config.content_dir, found.unread, loaded, len(site.articles))
    return clashes if nothing is None else (*clashes, nothing)


def plan_site(site: taxonomy.Site) -> list[pages.Page]:
    """Every page: HTML pages, the search page, then feeds, sitemap and robots.txt; raises
    BuildFailed when two want one URL."""
    from generator.site import feeds, pages, search

    plan = pages.plan(site) + search.plan(site)
    plan += feeds.plan(site, plan)
    pages.check_urls(plan, site.config)
    return plan


def build(
    config: Config,
    now: datetime | None = None,
    progress: Progress = no_progress,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    reindex_search: bool = True,
    session: incremental.Session | None = None,
) -> Report:
    """Build the site into ``config.out_dir``, or raise BuildFailed and leave it untouched.

    Incremental unless ``use_cache`` is false: only new or edited articles are parsed and
    only pages whose inputs changed are rendered (see incremental.py); the result is byte
    for byte what a build from scratch writes. Parsing and rendering run over ``jobs``
    processes (default: every core). With ``reindex_search`` false (the live preview after its
    first build) the previous search index is kept as it is when there is one: Pagefind
    indexes the whole archive at once, seconds that an editor waiting on a save should not pay.
    A ``session`` keeps parsed articles and compiled templates in memory between builds.
    A second build of the site started meanwhile waits for this one to finish.
    """
    started = time.perf_counter()
    check_output_dir(config)
    with build_lock(config.cache_dir):
        return _build(config, now, progress, jobs, use_cache, reindex_search, session, started)


def _build(
    config: Config,
    now: datetime | None,
    progress: Progress,
    jobs: int | None,
    use_cache: bool,
    reindex_search: bool,
    session: incremental.Session | None,
    started: float,
) -> Report:
    started_ns = time.time_ns()
    now = now or datetime.now(UTC)
    found = sources.find(config)
    paths, statics, skipped = list(found.articles), found.statics, found.skipped
    state = sources.load_state(config) if use_cache else None
    seen = sources.inputs(config, paths, found.stamped())
    if state is not None and sources.unchanged(state, seen, now, config.out_dir):
        warnings = skipped + cache.errors_from(state.warnings)
        seconds = time.perf_counter() - started
        return Report(state.articles, state.pages, 0, 0, seconds, warnings, unread=found.unread)

    from generator.engine import incremental, parallel
    from generator.site import taxonomy

    jobs = jobs or parallel.default_jobs()
    warm = session if use_cache else None
    # Loading, indexing and planning make hundreds of thousands of objects that live to the
    # end of the build and hold no cycles: the cyclic collector, left on, would walk them
    # again and again. It resumes for rendering, with them set aside (gc.freeze), which also
    # keeps forked workers from touching, and so copying, the parent's memory.
    gc.disable()
    articles = None
    try:
        articles = warm.article_cache(config) if warm else incremental.ArticleCache(config, enabled=use_cache)
        loaded = incremental.load_articles(config, paths, articles, jobs, progress("Reading", len(paths)))
        articles.save()  # parsed articles are worth keeping even when the build fails below
        if loaded.errors:
            raise BuildFailed(loaded.errors)
        related = (
            (warm.related_memo(config) if warm else incremental.load_related(config)) if use_cache else None
        )
        site = taxonomy.index(loaded.articles, config, now, related_memo=related)
        plan = plan_site(site)
        statics, clashes = published_files(found, site, plan)
        notes = _notes(found, loaded.articles, site, clashes)
        custom = config.templates_dir.is_dir() and config.templates_dir.resolve() != theme_dir().resolve()
        templates = sources.templates_digest(config)
        fingerprints = incremental.Fingerprints(site, templates, loaded.digests)
        last = None
        if state is not None:
            last = warm.marks if warm and warm.marks else incremental.load_marks(config)
        marks = fingerprints.marks(plan, last)
        env = _environment(config, templates, use_cache, warm, note_reads=custom)
        changed: set[str] | None = _changed(marks.fingerprints, last.fingerprints if last else {})
        if custom:  # templates of the site's own may show more than the fingerprints cover
            reading = fingerprints.reading_pages(plan, last)
            changed = None if reading is None else changed | reading
        gc.freeze()
        gc.enable()
        written, rendered, reads, shards = _write(
            config, plan, changed, site, env, state, statics, jobs, progress, reindex_search
        )
        if custom:
            kept = {} if changed is None or last is None else last.reads
            urls = {page.url for page in plan}
            marks = replace(marks, reads={url: r for url, r in {**kept, **reads}.items() if url in urls})
    finally:
        gc.unfreeze()  # a long-running preview frees what its next build no longer uses
        gc.enable()
        if articles is not None:
            articles.close()
    if use_cache:
        due = sources.next_due(loaded.articles, now)
        incremental.save_related(config, related)
        incremental.save_marks(config, marks)
        if warm:
            warm.marks = marks
        sources.save_state(
            config,
            sources.State(
                seen.stamp(started_ns),
                started_ns,
                due,
                len(site.articles),
                len(plan),
                cache.plain_errors(loaded.warnings + site.warnings + notes),
                written.outputs,
                shards,
            ),
        )
    return Report(
        articles=len(site.articles),
        pages=len(plan),
        written=written.written,
        removed=written.removed,
        seconds=time.perf_counter() - started,
        warnings=skipped + loaded.warnings + site.warnings + notes,
        rendered=rendered,
        unread=found.unread,
    )


def _changed(fingerprints: dict[str, str], last: dict[str, str]) -> set[str]:
    """The URLs of the pages whose fingerprint is not the last build's."""
    return {url for url, mark in fingerprints.items() if last.get(url) != mark}


def _write(
    config: Config,
    plan: list[pages.Page],
    changed: set[str] | None,
    site: taxonomy.Site,
    env: jinja2.Environment,
    state: sources.State | None,
    statics: dict[str, Path],
    jobs: int,
    progress: Progress,
    reindex_search: bool,
) -> tuple[WriteReport, int, dict[str, tuple[int, ...]], tuple[str, ...]]:
    """Render the ``changed`` pages (None: every page) and those missing from the output,
    copy the static files into a staging folder, index the search where it needs it, then
    move what changed into the output (see output.py). Returns what was written, how many
    pages were rendered, what each of them read when ``env`` notes it, and what the search
    index's shards were made from."""
    from generator.site import search

    staging = Staging(config.out_dir)
    out = f"{config.out_dir}{os.sep}"
    try:
        todo = []
        for page in plan:
            relative = staging.claim(page.url)
            if changed is None or page.url in changed or not os.path.isfile(out + relative):
                todo.append(page)
        staged, reads = render_pages(todo, site, env, staging, jobs, progress("Rendering", len(todo)))
        for target in staged:
            staging.staged(target)
        for url, source in statics.items():
            staging.add_file(url, source)
        bundle = [] if state is None or reindex_search else search.bundle_files(state.outputs, config.out_dir)
        shards: tuple[str, ...] = ()  # a bundle kept as it is may be out of date: unknown
        if config.search and bundle:
            for relative in bundle:
                staging.keep("/" + relative)
        elif config.search:  # indexes the staged pages, so a failure leaves the output as it was
            urls = [page.url for page in plan if page.kind == "article"]
            previous = None if state is None else (state.outputs, state.search_shards)
            shards = search.index(staging, urls, config.search_shard_articles, set(staged), previous, jobs)
    except BaseException:
        staging.discard()
        raise
    return staging.commit(), len(todo), reads, shards


def _environment(
    config: Config, templates: str, use_cache: bool, session: incremental.Session | None, note_reads: bool
) -> jinja2.Environment:
    """The template environment: the session's while the settings and templates are the same,
    with compiled templates kept in the cache folder between builds.

    Compiled templates are kept per settings: Jinja folds filters applied to constants
    (``{{ '/feed.xml' | url }}``) into the compiled code, so a template compiled under one
    base URL must not be used under another."""
    from generator.engine import render

    made_for = cache.digest(repr(config), templates, note_reads)
    if session is not None and session.environment is not None and session.environment[0] == made_for:
        return session.environment[1]
    bytecode_dir = None
    if use_cache:
        compiled = config.cache_dir / "templates"
        bytecode_dir = compiled / cache.digest(cache.code_version(), repr(config))
        if compiled.is_dir():  # compiled under other settings: of no further use
            for path in compiled.iterdir():
                if path.is_dir() and path != bytecode_dir:
                    shutil.rmtree(path, ignore_errors=True)
                elif path.is_file():
                    path.unlink(missing_ok=True)
        bytecode_dir.mkdir(parents=True, exist_ok=True)
    env = render.environment(config, bytecode_dir, note_reads)
    if session is not None:
        session.environment = made_for, env
    return env


def render_pages(
    todo: list[pages.Page],
    site: taxonomy.Site,
    env: jinja2.Environment,
    staging: Staging,
    jobs: int,
    tick: Callable[[], None],
) -> tuple[list[str], dict[str, tuple[int, ...]]]:
    """Render ``todo`` over ``jobs`` processes, each staging its own files: the files staged
    and, when ``env`` notes them, the articles each page read (positions in
    ``site.articles``). Raises BuildFailed with each broken template reported once."""
    from generator.engine import parallel, render

    out_dir, staging_dir = staging.out_dir, staging.dir
    reading = isinstance(env, render.ReadingEnvironment)
    position = {a.url: i for i, a in enumerate(site.articles)} if reading else {}

    def render_chunk(chunk: list[pages.Page]) -> tuple[list[str], list[tuple[Path, int, str]], list[Any]]:
        staged, errors, read = [], [], []
        for page in chunk:
            try:
                if reading:
                    data, urls = render.render_reading(page, env, site)  # type: ignore[arg-type]
                    read.append((page.url, tuple(sorted(position[url] for url in urls if url in position))))
                else:
                    data = render.render(page, env, site)
            except ContentError as error:
                errors.append((error.path, error.line, error.message))
                continue
            relative = relative_path(page.url)  # refuses a URL that would lead outside the output
            if stage(out_dir, staging_dir, relative, data):
                staged.append(relative)
        return staged, errors, read

    errors: dict[tuple[str, int, str], ContentError] = {}
    all_staged: list[str] = []
    reads: dict[str, tuple[int, ...]] = {}
    for chunk, (staged, failures, read) in parallel.run(render_chunk, todo, jobs):
        all_staged += staged
        reads.update(read)
        for path, line, message in failures:  # one broken template fails many pages
            key = (str(path), line, message.split(" (while")[0])
            errors.setdefault(key, ContentError(path, line, message))
        for _ in chunk:
            tick()
    if errors:
        raise BuildFailed(errors.values())
    return all_staged, reads
