"""The search index: built into the output from the staged pages, or not at all."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from textwrap import dedent

import pytest
from lxml import html
from support.clock import NOW
from support.wire_archive import ARTICLES, build_wire_archive, config_for, write_wire_archive

from generator.cli import main
from generator.engine.build import build
from generator.errors import BuildFailed, DatelineError
from generator.site.search import pagefind_executable, shards

RAID = "2024/08/31/forces-raid-desert-hideouts/"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wire_archive(tmp_path_factory.mktemp("search"), search=True)


def test_pagefind_binary_comes_from_the_python_package() -> None:
    executable = pagefind_executable()
    assert executable.is_file()
    assert os.access(executable, os.X_OK)


def test_build_writes_a_pagefind_index_of_every_article(out: Path) -> None:
    bundle = out / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-ui.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(ARTICLES)
    assert list(bundle.glob("fragment/*.pf_fragment"))


def test_search_page_holds_the_search_box_under_the_base_path(out: Path) -> None:
    page = html.fromstring((out / "search" / "index.html").read_bytes())
    box = page.get_element_by_id("search")
    assert box.get("data-bundle") == "/archive/pagefind/"
    assert box.get("data-base-url") == "/archive/"
    assert page.xpath('//input[@type="search"][@name="q"]')
    assert page.xpath('//script[@src="/archive/static/search.js"]')


def test_every_page_links_to_search(out: Path) -> None:
    page = html.fromstring((out / "index.html").read_bytes())
    assert page.xpath('//nav//a[@href="/archive/search/"]')


def test_article_pages_mark_their_body_and_filters_for_the_index(out: Path) -> None:
    page = html.fromstring((out / RAID / "index.html").read_bytes())
    assert [a.get("class") for a in page.xpath("//*[@data-pagefind-body]")] == ["article"]
    found: dict[str, list[str]] = {}
    for tag in page.xpath("//*[@data-pagefind-filter]"):
        found.setdefault(tag.get("data-pagefind-filter"), []).append(tag.text)
    assert found == {
        "tag": ["isis", "airstrikes"],
        "region": ["Middle East", "Middle East › Iraq", "Middle East › Iraq › Anbar"],
        "year": ["2024"],
    }
    assert page.xpath('//*[@data-pagefind-meta="date"]/text()') == ["31 August 2024"]
    assert page.xpath("//*[@data-pagefind-filter]/ancestor::*[@data-pagefind-ignore][@hidden]")


def test_listing_pages_are_left_out_of_the_index(out: Path) -> None:
    assert "data-pagefind-body" not in (out / "tags" / "floods" / "index.html").read_text()


def test_search_off_builds_no_index_no_search_page_and_no_link(tmp_path: Path) -> None:
    out = build_wire_archive(tmp_path, settings="search = false\n", search=None)
    assert not (out / "pagefind").exists()
    assert not (out / "search").exists()
    assert "/archive/search/" not in (out / "index.html").read_text()
    assert "data-pagefind-filter" not in (out / RAID / "index.html").read_text()


def test_failing_search_index_leaves_the_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_for(write_wire_archive(tmp_path), search=True)
    build(config, now=NOW)
    before = {p: p.read_bytes() for p in config.out_dir.rglob("*") if p.is_file()}
    (config.content_dir / "2024" / "raid.md").write_text(
        dedent(ARTICLES["content/2024/raid.md"]).replace("Forces raid", "Troops raid"), encoding="utf-8"
    )
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: out of disk space' >&2\nexit 1\n")
    failing.chmod(failing.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))  # Pagefind's own override
    with pytest.raises(DatelineError, match="search index failed: Error: out of disk space"):
        build(config, now=NOW)
    assert {p: p.read_bytes() for p in config.out_dir.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.joinpath("site").iterdir()) == [
        ".dateline-cache",
        "content",
        "output",
        "site.toml",
    ]


def test_missing_pagefind_binary_says_how_to_fix_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere" / "pagefind"))
    with pytest.raises(DatelineError, match=r"pip install 'pagefind\[bin\]'.*search = false"):
        build_wire_archive(tmp_path, search=True)


def test_article_cannot_take_the_search_page_url(tmp_path: Path) -> None:
    files = {"content/search.md": "---\ntitle: Search\ndate: 2024-01-01\n---\n\nx\n"}
    with pytest.raises(BuildFailed) as failed:
        build_wire_archive(tmp_path, files, settings='[permalinks]\narticle = "/{slug}/"\n', search=True)
    assert [str(e) for e in failed.value.errors] == [
        f"{tmp_path / 'site' / 'content' / 'search.md'}:2: URL /search/ is also wanted by the search page"
    ]


def test_no_search_flag_builds_without_the_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = write_wire_archive(tmp_path)
    assert main(["build", "--site", str(site), "--no-search"]) == 0
    assert (site / "output" / "index.html").is_file()
    assert not (site / "output" / "pagefind").exists()


def test_failed_index_is_reported_in_one_line_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    assert main(["build", "--site", str(write_wire_archive(tmp_path))]) == 1
    error = capsys.readouterr().err
    assert error == "dateline: building the search index failed: /bin/false exited with status 1\n"
    assert "Traceback" not in error
    assert not (tmp_path / "site" / "output").exists()


def test_rebuilding_an_unchanged_archive_with_search_writes_nothing(tmp_path: Path) -> None:
    config = config_for(write_wire_archive(tmp_path), search=True)
    build(config, now=NOW)
    first = {p: p.read_bytes() for p in config.out_dir.rglob("*") if p.is_file()}
    for _ in range(3):  # Pagefind's own filter order changes from run to run
        assert build(config, now=NOW).written == 0
    assert {p: p.read_bytes() for p in config.out_dir.rglob("*") if p.is_file()} == first


def _shard_sources(count: int) -> dict[str, str]:
    return {
        f"content/2024/story-{n}.md": f"---\ntitle: Story number {n}\ndate: 2024-05-{n + 1:02}\n---\n\nReport {n}.\n"
        for n in range(count)
    }


def _bundle_bytes(out: Path) -> dict[str, bytes]:
    files = (out / "pagefind").rglob("*")
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in files if path.is_file()}


def test_a_large_archive_is_indexed_in_shards_the_search_page_merges(tmp_path: Path) -> None:
    config = config_for(write_wire_archive(tmp_path, _shard_sources(8)), search=True, search_shard_articles=2)
    build(config, now=NOW)
    shards = sorted((config.out_dir / "pagefind").glob("shard-*"))
    assert len(shards) == 3  # 8 articles, 2 a shard: 4 shards, the first in /pagefind/ itself
    page = html.fromstring((config.out_dir / "search" / "index.html").read_bytes())
    merged = page.get_element_by_id("search").get("data-merge").split()
    assert merged == [f"/archive/pagefind/{shard.name}/" for shard in shards]
    counts = [
        json.loads((s / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"] for s in shards
    ]
    first = json.loads((config.out_dir / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(counts) + first["languages"]["en"]["page_count"] == 8


@pytest.fixture
def pagefind_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file that notes each run of the real Pagefind, one word a run."""
    runs = tmp_path / "runs"
    counting = tmp_path / "pagefind"
    counting.write_text(f'#!/bin/sh\necho run >> "{runs}"\nexec "{pagefind_executable()}" "$@"\n')
    counting.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(counting))
    return runs


def test_an_edit_re_indexes_only_the_shard_of_the_edited_article(tmp_path: Path, pagefind_runs: Path) -> None:
    runs = pagefind_runs
    site = write_wire_archive(tmp_path, _shard_sources(8))
    config = config_for(site, search=True, search_shard_articles=1)
    build(config, now=NOW)
    shards = len(runs.read_text().split())
    assert shards > 1
    with (site / "content/2024/story-5.md").open("a") as source:
        source.write("A paragraph added later.\n")
    build(config, now=NOW)
    assert len(runs.read_text().split()) == shards + 1
    cold = config_for(site, search=True, search_shard_articles=1, output_dir=tmp_path / "cold")
    build(cold, now=NOW)
    assert _bundle_bytes(config.out_dir) == _bundle_bytes(cold.out_dir)
    assert len(runs.read_text().split()) == 2 * shards + 1


def test_an_index_kept_by_a_preview_build_is_brought_up_to_date_by_the_next_that_indexes(
    tmp_path: Path, pagefind_runs: Path
) -> None:
    runs = pagefind_runs
    site = write_wire_archive(tmp_path, _shard_sources(8))
    config = config_for(site, search=True, search_shard_articles=1)
    build(config, now=NOW)
    shards = len(runs.read_text().split())
    kept = _bundle_bytes(config.out_dir)
    for n in (2, 5):  # two saves in the preview, each kept out of the index
        with (site / f"content/2024/story-{n}.md").open("a") as source:
            source.write("A paragraph added later.\n")
        assert build(config, now=NOW, reindex_search=False).written > 0
    assert _bundle_bytes(config.out_dir) == kept
    assert len(runs.read_text().split()) == shards
    build(config, now=NOW)  # nothing changed since: only the two shards are indexed
    assert len(runs.read_text().split()) == shards + 2
    cold = config_for(site, search=True, search_shard_articles=1, output_dir=tmp_path / "cold")
    build(cold, now=NOW)
    assert _bundle_bytes(config.out_dir) == _bundle_bytes(cold.out_dir)


def test_setting_stop_indexing_stops_the_indexing_and_keeps_the_output(tmp_path: Path) -> None:
    site = write_wire_archive(tmp_path, _shard_sources(8))
    config = config_for(site, search=True, search_shard_articles=1)
    stop = threading.Event()
    stop.set()
    with pytest.raises(DatelineError):
        build(config, now=NOW, stop_indexing=stop)
    assert not config.out_dir.exists()


def test_the_search_page_follows_the_shards_when_an_article_moves(tmp_path: Path) -> None:
    site = write_wire_archive(tmp_path, _shard_sources(3))
    config = config_for(site, search=True, search_shard_articles=1)
    build(config, now=NOW)
    old = [f"/2024/05/{n + 1:02}/story-number-{n}/" for n in range(3)]
    assert (config.out_dir / old[0].strip("/") / "index.html").is_file()
    # a new slug that takes the article into a shard of its own, or out of one
    slug = next(
        f"moved-{n}"
        for n in range(100)
        if list(shards([*old[:2], f"/2024/05/03/moved-{n}/"], 1)) != list(shards(old, 1))
    )
    story = site / "content/2024/story-2.md"
    story.write_text(story.read_text().replace("title:", f"slug: {slug}\ntitle:"))
    build(config, now=NOW)
    cold = config_for(site, search=True, search_shard_articles=1, output_dir=tmp_path / "cold")
    build(cold, now=NOW)
    search_page = "search/index.html"
    assert (config.out_dir / search_page).read_bytes() == (cold.out_dir / search_page).read_bytes()
    assert _bundle_bytes(config.out_dir) == _bundle_bytes(cold.out_dir)


def test_a_shard_size_below_one_is_a_settings_error_at_its_line(tmp_path: Path, capsys) -> None:
    site = write_wire_archive(tmp_path, settings="search_shard_articles = 0\n")
    assert main(["build", "--site", str(site)]) == 1
    assert "site.toml:4: 'search_shard_articles' must be at least 1" in capsys.readouterr().err


def test_an_interrupt_while_pagefind_runs_ends_it_at_once(tmp_path: Path) -> None:
    """Ctrl-C (and the preview's SIGTERM, which becomes the same) waited for every running
    Pagefind to finish: seconds on a large archive. A stand-in Pagefind holds the build
    inside indexing, deterministically."""
    site = write_wire_archive(tmp_path, settings="search = true\n")
    started = tmp_path / "pagefind-started"
    slow = tmp_path / "pagefind"
    slow.write_text(f"#!/bin/sh\ntouch '{started}'\nexec sleep 60\n")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--site", str(site)],
        env={**os.environ, "PAGEFIND_BINARY_PATH": str(slow)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), process.communicate()[0]
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    said, _ = process.communicate(timeout=30)
    assert time.monotonic() - interrupted < 3, said
    assert process.returncode == 130 and "interrupted; output left as it was" in said
    assert not (site / "output").exists()
    assert not [cmdline for cmdline in Path("/proc").glob("[0-9]*/cmdline") if _reads(cmdline, "sleep 60")]


def _reads(cmdline: Path, text: str) -> bool:
    try:
        return text in cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
