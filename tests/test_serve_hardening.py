"""``dateline serve`` under stress: many clients during rebuilds, closed tabs, broken
templates, files vanishing mid-build and the ways editors save."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import struct
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from support.paths import THEME
from support.serve import InProcess, Served, next_message, page_settings, sample_site, save
from support.site import article, write_site

from generator.config import load_config
from generator.engine import build

CLIENTS = 200
REPORTS = 12  # articles in the load site; the first EDITED are rewritten during the load
EDITED = 4
LOAD_LIMIT = 20.0  # seconds the load runs at most
REBUILDS_WANTED = 3  # the load goes on until this many rebuilds happened under it
BULLETINS = 40  # articles in the site whose files vanish mid-build
BUILD_LINE = re.compile(r"^\d\d:\d\d:\d\d (Built|Build failed|Copied|Sources changed)")
SCRIPT = re.compile(rb'<script data-dateline="[^"]*">.*?</script>\n', re.S)


# --- Sites --------------------------------------------------------------------------------


def report(n: int, edition: int) -> str:
    body = "\n\n".join(f"Edition {edition}: paragraph {p} of report {n}." for p in range(40))
    return article(
        f"Report {n} edition {edition}", f"2024-09-{n + 1:02d}T09:00:00+00:00", body, slug=f"report-{n}"
    )


def report_url(n: int) -> str:
    return f"/2024/09/{n + 1:02d}/report-{n}/"


@pytest.fixture
def news(tmp_path: Path) -> Iterator[Served]:
    """A running server over a dozen reports, each at edition 0."""
    site = sample_site(tmp_path / "news")
    write_site(site, {f"content/reports/report-{n}.md": report(n, 0) for n in range(REPORTS)})
    server = Served(site)
    yield server
    server.stop()


# --- Many clients while rebuilds run -----------------------------------------------------


def test_200_concurrent_clients_get_whole_pages_while_rebuilds_run(news: Served) -> None:
    paths = ["/", "/static/style.css", *[report_url(n) for n in range(EDITED)], report_url(REPORTS - 1)]
    stop = threading.Event()
    start = threading.Barrier(CLIENTS + 1)

    def client() -> tuple[int, list[str]]:
        start.wait(timeout=30)
        served, problems = 0, []
        rounds = 0
        while rounds < 2 or (not stop.is_set() and rounds < 50):
            for path in paths:
                problem = _fetch_whole(news.port, path)
                served += 1
                if problem:
                    problems.append(problem)
            rounds += 1
        return served, problems

    editions = dict.fromkeys(range(EDITED), 0)
    rebuilds = 0
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(client) for _ in range(CLIENTS)]
        start.wait(timeout=30)
        started = time.monotonic()
        edit = 0
        while time.monotonic() - started < LOAD_LIMIT and not all(f.done() for f in futures):
            n = edit % EDITED
            editions[n] += 1
            save(news.site / "content" / "reports" / f"report-{n}.md", report(n, editions[n]))
            edit += 1
            rebuilds += sum(1 for line in news.quiet_for(0.15) if BUILD_LINE.search(line))
            if rebuilds >= REBUILDS_WANTED:
                stop.set()
        stop.set()
        results = [future.result(timeout=60) for future in futures]
    problems = [problem for _, got in results for problem in got]
    assert problems == []
    assert sum(count for count, _ in results) >= CLIENTS * 2 * len(paths)
    assert rebuilds >= REBUILDS_WANTED  # the pages above were read while the site was rewritten
    _settle(news)
    for n in range(EDITED):
        assert f"Report {n} edition {editions[n]}" in news.get(report_url(n)).text
    built = news.site / ".dateline-cache" / "serve"
    for path in paths:
        name = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        assert SCRIPT.sub(b"", news.get(path).body) == (built / name).read_bytes()


def test_many_open_reload_channels_all_receive_the_reload(news: Served) -> None:
    settings = json.loads(page_settings(news.get(report_url(0)).text))
    streams = [_subscribe(news.port, settings) for _ in range(150)]
    try:
        assert all(_message(stream)["changed"] == [] for stream in streams)
        save(news.site / "content" / "reports" / "report-0.md", report(0, 1))
        reloads = [_message(stream) for stream in streams]
        assert all(report_url(0) in message["changed"] for message in reloads)
        assert {message["version"] for message in reloads} == {settings["version"] + 1}
        assert "Report 0 edition 1" in news.get(report_url(0)).text
    finally:
        for stream in streams:
            stream.close()


# --- Closed tabs release their channel ---------------------------------------------------


def test_closed_reload_channels_are_released(tmp_path: Path) -> None:
    server = InProcess(sample_site(tmp_path / "site"), tmp_path / "out")
    try:
        threads_before = threading.active_count()
        streams = [_subscribe(server.port, {"version": 0, "token": ""}) for _ in range(60)]
        for stream in streams:
            _message(stream)
        assert server.hub.streams == 60
        for number, stream in enumerate(streams):
            if number % 2:  # a crashed browser resets the connection instead of closing it
                stream.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            stream.close()
        server.wait_for_streams(0, timeout=5)
        _wait(lambda: threading.active_count() <= threads_before, 5, "handler threads still running")
    finally:
        server.stop()


def test_the_server_serves_and_reloads_after_many_tabs_closed(tmp_path: Path) -> None:
    server = InProcess(sample_site(tmp_path / "site"), tmp_path / "out")
    try:
        for stream in [_subscribe(server.port, {"version": 0, "token": ""}) for _ in range(40)]:
            _message(stream)
            stream.close()
        server.wait_for_streams(0, timeout=5)
        page = _get(server.port, "/2024/08/31/floods/")
        assert (page.status, b"Floods close the port" in page.read()) == (200, True)
        settings = json.loads(page_settings(_get(server.port, "/").read().decode()))
        listening = _subscribe(server.port, settings)
        try:
            _message(listening)
            server.hub.built(frozenset({"/"}))
            assert _message(listening)["changed"] == ["/"]
        finally:
            listening.close()
    finally:
        server.stop()


# --- Broken templates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"), ("{{ no_such_value }}", "is undefined")],
)
def test_a_template_failing_at_render_time_is_reported_at_its_line(
    served: Served, site: Path, expression: str, message: str
) -> None:
    lines = (THEME / "article.html").read_text().splitlines()
    main = lines.index("{% block main %}")
    broken = [*lines[: main + 1], expression, *lines[main + 1 :]]
    stream = _subscribe(served.port, json.loads(page_settings(served.get("/2024/08/31/floods/").text)))
    try:
        _message(stream)
        save(site / "templates" / "article.html", "\n".join(broken) + "\n")
        errors = _message(stream)["errors"]
    finally:
        stream.close()
    assert errors and errors[0].startswith(f"templates/article.html:{main + 2}: ")
    assert message in errors[0]
    served.wait_for(rf"templates/article\.html:{main + 2}: ")
    assert "Floods close the port" in served.get("/2024/08/31/floods/").text  # the last good build
    assert served.process.poll() is None


# --- Files vanishing in the middle of a build --------------------------------------------

#: Run as ``python -c HOLD_AFTER_LISTING GATE serve ARGS...``: dateline serve, except that
#: while the file GATE exists a build that has just listed its articles waits, and prints a
#: line saying so, until the test deletes GATE; then it waits for the watcher to have seen
#: what changed meanwhile. A save takes a fraction of a second to rebuild, so deleting files
#: "during" it by timing mostly lands before or after it; held, the build always has a list
#: of sources that no longer exist, and the real build code goes on from there.
HOLD_AFTER_LISTING = """
import runpy, sys, time
from pathlib import Path

from generator.preview import serve
from generator.content import sources

gate = Path(sys.argv.pop(1))
pending = []
make_rebuilder = serve.Rebuilder.__init__

def rebuilder(self, *args, **kwargs):
    make_rebuilder(self, *args, **kwargs)
    pending.append(self.pending)  # set by the watcher when sources change

listed = sources.find_articles

def discover(*args):
    paths = listed(*args)
    if gate.exists():
        print("test: build held after listing its articles", flush=True)
        deadline = time.monotonic() + 60
        while gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        pending[0].wait(10)
    return paths

serve.Rebuilder.__init__ = rebuilder
sources.find_articles = discover
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


def test_deleting_articles_and_templates_during_a_rebuild_keeps_serving(tmp_path: Path) -> None:
    site = sample_site(tmp_path / "site")
    css = site / "templates" / "static" / "style.css"
    css.write_text(css.read_text() + "\n/* the site's own stylesheet */\n")
    bulk = {
        f"content/bulk/b{n}.md": article(
            f"Bulletin {n}", "2023-05-01T09:00:00+00:00", "Text. " * 300, slug=f"b{n}"
        )
        for n in range(BULLETINS)
    }
    write_site(site, bulk)
    saved_templates = tmp_path / "templates-copy"
    shutil.copytree(site / "templates", saved_templates)
    gate = tmp_path / "hold-the-next-build"  # outside the site: the watcher ignores it
    server = Served(site, launcher=("-c", HOLD_AFTER_LISTING, str(gate)))
    try:
        for round_ in range(2):
            gate.touch()
            save(site / "content" / "2024" / "election.md", report(1, 100 + round_))
            server.wait_for(r"^test: build held after listing its articles$")
            held = len(server.lines)
            for n in range(0, BULLETINS, 2):
                (site / f"content/bulk/b{n}.md").unlink()
            shutil.rmtree(site / "templates")
            gate.unlink()
            # The held build finds files it listed gone: it defers to the build the deletions
            # started, rather than failing or showing an internal error.
            server.wait_for(r"^\d\d:\d\d:\d\d Sources changed during the build; building again$")
            _settle(server)
            assert server.process.poll() is None
            assert not [line for line in server.lines[held:] if "Build failed" in line]
            _assert_serves_a_fresh_build(server, tmp_path / f"fresh-{round_}")
            shutil.copytree(saved_templates, site / "templates")
            write_site(site, bulk)
            _settle(server)
            _assert_serves_a_fresh_build(server, tmp_path / f"restored-{round_}")
            assert "the site's own stylesheet" in server.get("/static/style.css").text
        save(css, css.read_text() + "\n/* seen in the folder made again */\n")
        server.wait_for(r"Copied 1 static file")
        assert "seen in the folder made again" in server.get("/static/style.css").text
        assert not [line for line in server.lines if "internal error" in line]
    finally:
        gate.unlink(missing_ok=True)  # a build held when a check failed goes on, and stops
        server.stop()


# --- The ways editors save ---------------------------------------------------------------


def test_a_vim_style_save_serves_the_new_text(served: Served, site: Path) -> None:
    folder = site / "content" / "2024"
    probe = folder / "4913"  # vim checks it may create files in the folder
    probe.write_text("")
    probe.unlink()
    os.rename(folder / "election.md", folder / "election.md~")
    (folder / "election.md").write_text(
        article("Election results are in", "2024-09-02T09:00:00+00:00", "Saved by vim.", slug="election")
    )
    (folder / "election.md~").unlink()
    builds = _settle(served)
    assert 1 <= builds <= 2  # at most a build that saw the file renamed away, then the new one
    assert "Saved by vim." in served.get("/2024/09/02/election/").text
    assert served.process.poll() is None


def test_a_save_through_a_temporary_file_and_a_rename_serves_the_new_text(served: Served, site: Path) -> None:
    path = site / "content" / "2024" / "election.md"
    temporary = path.with_name("election.md.tmp")
    temporary.write_text(
        article("Election results are in", "2024-09-02T09:00:00+00:00", "Replaced.", slug="election")
    )
    os.replace(temporary, path)
    assert _settle(served) == 1
    assert "Replaced." in served.get("/2024/09/02/election/").text


def test_fifty_saves_in_a_second_end_with_the_last_text_and_few_builds(served: Served, site: Path) -> None:
    path = site / "content" / "2024" / "election.md"
    started = time.monotonic()
    for n in range(50):
        save(
            path,
            article("Election results are in", "2024-09-02T09:00:00+00:00", f"Count {n}.", slug="election"),
        )
        time.sleep(max(0.0, started + (n + 1) / 50 - time.monotonic()))
    builds = _settle(served)
    assert 1 <= builds <= 4  # debounced: about one a second while saves keep coming, then one
    page = served.get("/2024/09/02/election/").text
    assert "Count 49." in page
    assert served.process.poll() is None


# --- Helpers ------------------------------------------------------------------------------


def _fetch_whole(port: int, path: str) -> str | None:
    """One GET; a description of what is wrong with the reply, or None when it is whole."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path)
        reply = connection.getresponse()
        body = reply.read()  # raises IncompleteRead when fewer bytes come than were announced
    except (OSError, http.client.HTTPException) as error:
        return f"{path}: {error!r}"
    finally:
        connection.close()
    if reply.status != 200:
        return f"{path}: status {reply.status}"
    if path.endswith(".css"):
        return None if body.rstrip().endswith(b"}") else f"{path}: cut short"
    page = SCRIPT.sub(b"", body).decode()
    if not page.startswith("<!DOCTYPE html>") or not page.endswith("</html>\n"):
        return f"{path}: not a whole page"
    if match := re.search(r"/report-(\d+)/$", path):
        n = match[1]
        editions = set(re.findall(rf"Report {n} edition (\d+)", page))
        editions |= set(re.findall(rf"Edition (\d+): paragraph \d+ of report {n}\.", page))
        if len(editions) != 1:
            return f"{path}: editions {sorted(editions)} mixed in one page"
    return None


def _settle(server: Served, quiet: float = 1.0, timeout: float = 25) -> int:
    """Wait until no build has started for ``quiet`` seconds; the number of builds seen."""
    deadline = time.monotonic() + timeout
    builds = 0
    while time.monotonic() < deadline:
        lines = server.quiet_for(quiet)
        found = sum(1 for line in lines if BUILD_LINE.search(line))
        builds += found
        if not found and not [line for line in lines if line.strip()]:
            return builds
    raise AssertionError(f"builds still running after {timeout}s: {server.lines[-5:]}")


def _assert_serves_a_fresh_build(server: Served, out: Path) -> None:
    """The served build holds exactly what a build from scratch of the sources holds (the
    search index aside: the preview builds it once per session, by design)."""
    config = replace(load_config(server.site, output_dir=out), base_url=server.url)
    build.build(config)
    served = server.site / ".dateline-cache" / "serve"
    assert _tree(served) == _tree(out)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.name != ".dateline-output"
        and "pagefind" not in path.parts
        and path.parent.name != "search"
    }


def _wait(condition: object, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    return connection.getresponse()


class _Stream:
    def __init__(self, sock: socket.socket, reply: http.client.HTTPResponse) -> None:
        self.sock = sock  # the reply holds it open; closing both closes the connection
        self.reply = reply

    def close(self) -> None:
        self.reply.close()
        self.sock.close()


def _subscribe(port: int, settings: dict) -> _Stream:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    connection.request("GET", f"/__dateline/events?v={settings['version']}&t={settings['token']}")
    sock = connection.sock
    reply = connection.getresponse()
    assert reply.headers["Content-Type"].startswith("text/event-stream")
    return _Stream(sock, reply)


def _message(stream: _Stream) -> dict:
    return next_message(stream.reply)
