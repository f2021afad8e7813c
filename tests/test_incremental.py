"""Incremental builds write exactly the bytes a build from scratch writes.

Each test builds a site, changes something, builds again with the cache, then builds the
same sources from scratch (no cache) into another folder and compares every file.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.clock import NOW
from support.paths import THEME
from support.site import article, files_of

from generator import cli
from generator.config import load_config
from generator.content import load, sources
from generator.engine import build, cache, memory, parallel, state

TAGS = ["floods", "elections", "ports", "courts", "health"]
REGIONS = ["middle-east/iraq", "middle-east/iraq/anbar", "europe/france", "africa/kenya", "asia"]

# Each write gets its own mtime in the past, so the fast (size, mtime) check is exercised
# and never fooled by two writes in the same clock tick.
_clock = [time.time() - 3600]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _clock[0] += 1
    os.utime(path, (_clock[0], _clock[0]))


def story(n: int, *, title: str | None = None, tags: list[str] | None = None, region: str | None = None,
          body: str | None = None, date: str | None = None) -> str:  # fmt: skip
    """Story number ``n``: what is not given follows from ``n``."""
    tags = tags if tags is not None else [TAGS[n % 5], TAGS[(n * 3 + 1) % 5]]
    return article(
        title or f"Story number {n}",
        date or f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}T{n % 24:02d}:00:00+03:00",
        f"{body or f'The first paragraph of story {n}.'}\n\n## Details\n\nMore about story {n}.\n",
        tags=f"[{', '.join(tags)}]",
        region=region or REGIONS[n % len(REGIONS)],
        author=f"Reporter {n % 3}",
    )


def make_site(root: Path, count: int = 30, per_page: int = 4) -> Path:
    site = root / "site"
    write(site / "site.toml", f'title = "Test Archive"\nper_page = {per_page}\n')
    for n in range(count):
        write(site / "content" / f"story-{n:03d}.md", story(n))
    return site


def incremental_build(site: Path, **kwargs) -> build.Report:
    return build.build(load_config(site), now=kwargs.pop("now", NOW), jobs=1, **kwargs)


def assert_same_as_cold(site: Path, tmp_path: Path, now: datetime = NOW) -> None:
    cold_dir = tmp_path / f"cold-{len(list(tmp_path.iterdir()))}"
    build.build(load_config(site, output_dir=cold_dir), now=now, jobs=1, use_cache=False)
    incremental_files, cold_files = files_of(site / "output"), files_of(cold_dir)
    assert sorted(incremental_files) == sorted(cold_files)
    different = [name for name in cold_files if incremental_files[name] != cold_files[name]]
    assert different == []


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    incremental_build(site)
    return site


def test_a_rebuild_without_changes_writes_nothing(site: Path, tmp_path: Path) -> None:
    report = incremental_build(site)
    assert (report.written, report.removed, report.articles) == (0, 0, 30)
    assert_same_as_cold(site, tmp_path)


def test_a_rebuild_without_changes_reports_the_same_counts_and_warnings(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site / "content" / "story-000.md", story(0).replace("author:", "tittle: x\nauthor:"))
    first = incremental_build(site)
    second = incremental_build(site)
    assert (second.articles, second.pages) == (first.articles, first.pages)
    assert [str(w) for w in second.warnings] == [str(w) for w in first.warnings]
    assert "did you mean 'title'" in str(second.warnings[0])


def test_an_article_body_edit_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-007.md", story(7, body="A rewritten first paragraph."))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    page = site / "output/2024/08/08/story-number-7/index.html"
    assert "A rewritten first paragraph." in page.read_text()


def test_an_article_edit_rewrites_only_the_pages_that_show_it(site: Path) -> None:
    output = site / "output"
    # The search index is one bundle over every article: rebuilt whole on any article edit.
    write(site / "site.toml", 'title = "Test Archive"\nper_page = 4\nsearch = false\n')
    incremental_build(site)
    before = {path: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()}
    write(site / "content" / "story-007.md", story(7, body="A rewritten first paragraph."))
    report = incremental_build(site)
    changed = [p for p, mtime in before.items() if p.stat().st_mtime_ns != mtime]
    assert output / "2024/08/08/story-number-7/index.html" in changed
    assert 0 < report.written == len(changed) < len(before) / 3
    assert output / "archive/index.html" not in changed


def test_a_title_change_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-011.md", story(11, title="A new headline"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def test_a_deleted_article_disappears_everywhere(site: Path, tmp_path: Path) -> None:
    (site / "content" / "story-012.md").unlink()
    report = incremental_build(site)
    assert report.articles == 29 and report.removed >= 1
    assert not (site / "output/2024/01/13/story-number-12").exists()
    assert_same_as_cold(site, tmp_path)


def test_a_renamed_article_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    text = (site / "content" / "story-013.md").read_text()
    (site / "content" / "story-013.md").unlink()
    write(site / "content" / "moved" / "renamed.md", text.replace("title:", "slug: renamed\ntitle:"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert (site / "output/2024/02/14/renamed/index.html").is_file()


def test_an_added_article_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-999.md", story(999, date="2025-12-31"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def test_tag_and_region_changes_match_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-003.md", story(3, tags=["brand-new-tag"], region="oceania/fiji"))
    write(site / "content" / "story-004.md", story(4, tags=[], region="asia"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert (site / "output/tags/brand-new-tag/index.html").is_file()
    assert (site / "output/regions/oceania/fiji/index.html").is_file()


def test_a_tag_left_by_its_last_article_loses_its_page(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-003.md", story(3, tags=["lonely"]))
    incremental_build(site)
    write(site / "content" / "story-003.md", story(3, tags=["floods"]))
    incremental_build(site)
    assert not (site / "output/tags/lonely").exists()
    assert_same_as_cold(site, tmp_path)


def test_a_template_edit_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    base = (THEME / "base.html").read_text()
    write(site / "templates" / "base.html", base.replace("<main", "<p class='banner'>Special</p>\n<main"))
    incremental_build(site)
    assert "Special" in (site / "output/index.html").read_text()
    assert_same_as_cold(site, tmp_path)


def test_a_custom_template_edit_after_a_content_edit_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "templates" / "list.html", (THEME / "list.html").read_text())
    incremental_build(site)
    write(site / "content" / "story-005.md", story(5, body="Changed with custom templates."))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def own_template(site: Path, name: str, change: Callable[[str], str]) -> None:
    """Give the site a template of its own: the theme's, changed."""
    write(site / "templates" / name, change((THEME / name).read_text()))
    incremental_build(site)


def edited(site: Path, number: int, **changes: str) -> build.Report:
    """Rewrite one article and build; the build must have rendered a few pages, not all."""
    write(site / "content" / f"story-{number:03d}.md", story(number, **changes))
    report = incremental_build(site)
    assert 0 < report.rendered < report.pages / 3
    return report


def test_with_templates_of_its_own_an_edit_rerenders_only_the_pages_that_read_the_article(
    site: Path, tmp_path: Path
) -> None:
    own_template(site, "base.html", lambda text: text.replace("<main", "<p class='banner'>Ours</p>\n<main"))
    edited(site, 7, body="A rewritten first paragraph.")
    assert "A rewritten" in (site / "output/2024/08/08/story-number-7/index.html").read_text()
    assert_same_as_cold(site, tmp_path)


def test_a_card_of_its_own_showing_the_word_count_follows_an_edited_body(site: Path, tmp_path: Path) -> None:
    words = "<p>{{ article.word_count }} words</p></article>"
    own_template(site, "_card.html", lambda text: text.replace("</article>", words))
    edited(site, 7, body="Many more words than before in this body.")
    assert_same_as_cold(site, tmp_path)


def test_a_card_of_its_own_showing_another_article_follows_that_articles_edits(
    site: Path, tmp_path: Path
) -> None:
    older = (
        "{% if article.url in site.older %}<p>Before: {{ site.older[article.url].summary }}</p>{% endif %}"
    )
    own_template(site, "_card.html", lambda text: text.replace("</article>", older + "</article>"))
    edited(site, 11, body="A new first paragraph, which is the summary its neighbour's card shows.")
    assert_same_as_cold(site, tmp_path)


def test_a_template_of_its_own_listing_the_latest_articles_follows_their_edits(
    site: Path, tmp_path: Path
) -> None:
    latest = "<aside>{% for item in site.articles[:3] %}<p>{{ item.summary }}</p>{% endfor %}</aside>\n<main"
    own_template(site, "base.html", lambda text: text.replace("<main", latest))
    by_date = sorted(range(30), key=lambda n: (1 + n % 12, 1 + n % 27, n % 24))
    edited(site, by_date[0], body="The oldest story, rewritten.")  # read by a few pages
    write(site / "content" / f"story-{by_date[-1]:03d}.md", story(by_date[-1], body="The newest, rewritten."))
    report = incremental_build(site)
    assert report.rendered > report.pages / 2  # every page lists it
    assert "The newest, rewritten." in (site / "output/tags/index.html").read_text()
    assert_same_as_cold(site, tmp_path)


def test_a_setting_change_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "site.toml", 'title = "Renamed Archive"\nper_page = 3\n[names]\nasia = "Asia Pacific"\n')
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert "Renamed Archive" in (site / "output/index.html").read_text()


def test_a_static_file_change_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "static" / "logo.txt", "one")
    incremental_build(site)
    write(site / "static" / "logo.txt", "two")
    incremental_build(site)
    assert (site / "output/logo.txt").read_text() == "two"
    assert_same_as_cold(site, tmp_path)


def test_a_scheduled_article_appears_when_it_comes_due(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "future.md", story(500, title="Tomorrow's story", date="2026-01-02"))
    incremental_build(site)
    assert not (site / "output/2026/01/02/tomorrows-story").exists()
    later = NOW + timedelta(days=2)
    incremental_build(site, now=later)
    assert (site / "output/2026/01/02/tomorrows-story/index.html").is_file()
    assert_same_as_cold(site, tmp_path, now=later)


def test_an_article_leaves_the_news_sitemap_two_days_later_as_in_a_cold_build(
    site: Path, tmp_path: Path
) -> None:
    write(site / "content" / "fresh.md", story(600, title="Fresh story", date="2025-12-31T20:00:00Z"))
    incremental_build(site)
    assert "fresh-story" in (site / "output/news-sitemap.xml").read_text()
    later = NOW + timedelta(days=1, hours=20)  # nothing edited: only the clock moved on
    report = incremental_build(site, now=later)
    # The news sitemap, and the home page: story 0 of 1 January 2024 was on it on 1 January.
    assert report.written == 2
    assert "fresh-story" not in (site / "output/news-sitemap.xml").read_text()
    assert_same_as_cold(site, tmp_path, now=later)


def test_a_deleted_output_file_is_written_again(site: Path, tmp_path: Path) -> None:
    (site / "output/tags/index.html").unlink()
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def test_a_corrupt_cache_is_ignored_and_rebuilt(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-001.md", story(1, body="Edited before the cache broke."))
    for path in [path for path in (site / ".dateline-cache").rglob("*") if path.is_file()]:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] + b"garbage")
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert incremental_build(site).written == 0  # and the rebuilt cache is used again


def test_a_cache_with_a_flipped_payload_byte_is_not_trusted(site: Path) -> None:
    saved = site / ".dateline-cache" / state.STATE_FILE
    data = bytearray(saved.read_bytes())
    data[-10] ^= 0xFF
    saved.write_bytes(bytes(data))
    assert state.load_state(load_config(site)) is None


def test_a_cache_from_another_site_is_ignored(tmp_path: Path) -> None:
    other = make_site(tmp_path / "other", count=5)
    incremental_build(other)
    site = make_site(tmp_path / "mine", count=8)
    os.rename(other / ".dateline-cache", site / ".dateline-cache")
    report = incremental_build(site)
    assert report.articles == 8
    assert_same_as_cold(site, tmp_path)


def test_a_content_error_then_its_fix_matches_a_cold_build(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-002.md", "---\ntitle: Broken\n---\nno date\n")
    with pytest.raises(build.BuildFailed):
        incremental_build(site)
    write(site / "content" / "story-002.md", story(2, title="Fixed"))
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def test_the_cache_lives_in_the_site_cache_folder(site: Path) -> None:
    names = sorted(path.name for path in (site / ".dateline-cache").iterdir())
    assert state.STATE_FILE in names
    assert any(name.startswith("articles-") for name in names)


def test_cache_load_returns_what_store_wrote_under_the_same_key(tmp_path: Path) -> None:
    cache.store(tmp_path / "x.bin", "key-1", {"a": (1, "b")})
    assert cache.load(tmp_path / "x.bin", "key-1") == {"a": (1, "b")}
    assert cache.load(tmp_path / "x.bin", "key-2") is None


def test_a_parallel_cold_build_equals_a_serial_one(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=parallel.MIN_PARALLEL + 20, per_page=10)
    build.build(load_config(site), now=NOW, jobs=2, use_cache=False)
    build.build(load_config(site, output_dir=tmp_path / "serial"), now=NOW, jobs=1, use_cache=False)
    assert files_of(site / "output") == files_of(tmp_path / "serial")


def test_a_parallel_incremental_build_matches_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=parallel.MIN_PARALLEL + 20, per_page=10)
    build.build(load_config(site), now=NOW, jobs=2)
    write(site / "site.toml", 'title = "Every page changes"\nper_page = 10\n')
    write(site / "content" / "story-010.md", story(10, title="Retitled"))
    build.build(load_config(site), now=NOW, jobs=2)
    assert_same_as_cold(site, tmp_path)


def test_a_broken_template_in_a_parallel_build_is_reported_once(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=parallel.MIN_PARALLEL + 20)
    broken = '{% extends "base.html" %}{% block main %}{{ nope }}{% endblock %}'
    write(site / "templates" / "article.html", broken)
    with pytest.raises(build.BuildFailed) as failed:
        build.build(load_config(site), now=NOW, jobs=2)
    assert len(failed.value.errors) == 1
    assert "'nope' is undefined" in str(failed.value.errors[0])
    assert not (site / "output").exists()


def test_a_same_size_edit_in_the_same_clock_tick_is_noticed(site: Path, tmp_path: Path) -> None:
    path = site / "content" / "story-006.md"
    path.write_text(story(6, body="Version A of the body."))  # fresh: within the racy window
    incremental_build(site)
    stat = path.stat()
    path.write_text(story(6, body="Version B of the body."))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    incremental_build(site)
    assert "Version B" in (site / "output/2024/07/07/story-number-6/index.html").read_text()
    assert_same_as_cold(site, tmp_path)


def test_a_site_given_as_a_relative_folder_builds_incrementally(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    build.build(load_config(Path(".")), now=NOW, jobs=1)
    write(site / "content" / "story-008.md", story(8, body="Edited from a relative site folder."))
    report = build.build(load_config(Path(".")), now=NOW, jobs=1)
    assert 0 < report.written < report.pages / 3
    assert_same_as_cold(site, tmp_path)


def test_a_preview_rebuild_keeps_the_search_index_instead_of_reindexing(site: Path) -> None:
    bundle = {p: p.stat().st_mtime_ns for p in (site / "output" / "pagefind").rglob("*") if p.is_file()}
    write(site / "content" / "story-007.md", story(7, body="A rewritten first paragraph."))
    report = build.build(load_config(site), now=NOW, reindex_search=False)
    assert report.written > 0
    assert {
        p: p.stat().st_mtime_ns for p in (site / "output" / "pagefind").rglob("*") if p.is_file()
    } == bundle
    assert "rewritten" in (site / "output/2024/08/08/story-number-7/index.html").read_text()


def test_builds_sharing_a_session_match_cold_builds_through_a_series_of_edits(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    session = memory.Session()
    edits = [
        lambda: write(site / "content" / "story-007.md", story(7, body="A rewritten first paragraph.")),
        lambda: write(site / "content" / "story-011.md", story(11, title="A new headline")),
        lambda: write(site / "content" / "story-003.md", story(3, tags=["brand-new-tag"], region="oceania/fiji")),
        lambda: write(site / "templates" / "base.html", (THEME / "base.html").read_text().replace("<main", "<b>Special</b><main")),
        lambda: write(site / "site.toml", 'title = "Renamed Archive"\nper_page = 3\n'),
        lambda: (site / "content" / "story-012.md").unlink(),
        lambda: write(site / "content" / "story-999.md", story(999, date="2025-12-31")),
    ]  # fmt: skip
    incremental_build(site, session=session)
    for edit in edits:
        edit()
        incremental_build(site, session=session)
        assert_same_as_cold(site, tmp_path)
    assert "Special" in (site / "output/index.html").read_text()


def test_a_base_url_change_rewrites_root_relative_links_in_article_bodies(site: Path, tmp_path: Path) -> None:
    write(site / "content" / "story-004.md", story(4, body="See [the port story](/2024/03/01/port/)."))
    incremental_build(site)
    write(
        site / "site.toml",
        'title = "Test Archive"\nper_page = 4\nbase_url = "https://example.org/archive/"\n',
    )
    incremental_build(site)
    page = site / "output/2024/05/05/story-number-4/index.html"
    assert 'href="/archive/2024/03/01/port/"' in page.read_text()
    assert_same_as_cold(site, tmp_path)


def test_article_bodies_missing_from_the_cache_are_parsed_again(site: Path, tmp_path: Path) -> None:
    shutil.rmtree(site / ".dateline-cache" / load.BODIES_FOLDER)
    write(site / "templates" / "article.html", (THEME / "article.html").read_text() + "\n")
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def test_the_bodies_of_edited_and_deleted_articles_leave_the_cache(site: Path) -> None:
    bodies = site / ".dateline-cache" / load.BODIES_FOLDER
    before = {path.name for path in bodies.iterdir()}
    write(site / "content" / "story-005.md", story(5, body="A new body."))
    (site / "content" / "story-006.md").unlink()
    incremental_build(site)
    after = {path.name for path in bodies.iterdir()}
    assert len(before - after) == 2 and len(after - before) == 1
    assert len(after) == 29


def test_an_edit_after_a_build_that_failed_once_articles_were_cached_matches_a_cold_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(site / "content" / "story-009.md", story(9, title="Saved while the disk was full"))
    with monkeypatch.context() as patched:
        patched.setattr(build, "_write", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
        with pytest.raises(OSError):
            incremental_build(site)
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert (site / "output/2024/10/10/saved-while-the-disk-was-full/index.html").is_file()


@pytest.mark.parametrize(
    ("module", "stage"), [(sources, "find_articles"), (build, "inputs")], ids=["find_articles", "inputs"]
)
def test_an_article_deleted_during_a_build_is_reported_as_gone_and_the_next_build_matches_a_cold_build(
    site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    module: object,
    stage: str,
) -> None:
    gone = site / "content" / "story-005.md"
    write(gone, story(5, title="Saved, then deleted"))  # so the build has something to read
    found_by = getattr(module, stage)  # the file is deleted once this stage has seen it

    def then_delete(*args: object) -> object:
        found = found_by(*args)
        gone.unlink()
        return found

    before = files_of(site / "output")
    with monkeypatch.context() as patched:
        patched.setattr(module, stage, then_delete)
        assert cli.main(["build", "--site", str(site)]) == 1
    errors = capsys.readouterr().err
    assert errors.splitlines() == [
        f"dateline: {gone}: No such file or directory; it changed or disappeared while building; build again"
    ]
    assert files_of(site / "output") == before
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)


def test_an_article_edited_during_a_build_is_built_as_read_and_the_next_build_matches_a_cold_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = site / "content" / "story-005.md"
    discover = sources.find_articles

    def then_edit(*args: object) -> object:
        found = discover(*args)
        write(edited, story(5, title="Edited while the build ran"))
        return found

    with monkeypatch.context() as patched:
        patched.setattr(sources, "find_articles", then_edit)
        incremental_build(site)
    incremental_build(site)
    assert_same_as_cold(site, tmp_path)
    assert (site / "output/2024/06/06/edited-while-the-build-ran/index.html").is_file()
