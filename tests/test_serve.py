"""``dateline serve`` over real HTTP: serving, safety, watching and the reload stream."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.cli import generate_corpus
from support.paths import THEME
from support.serve import FIRST_BUILD, Served, next_message, page_settings, save
from support.site import article
from watchdog.events import FileModifiedEvent, FileMovedEvent

from generator.cli import main
from generator.preview.server import host_allowed, is_loopback, locate
from generator.preview.tracker import Tracker, stamp_of
from generator.preview.waiting import Waiting
from generator.preview.watch import Changes

ARTICLE = "/2024/08/31/floods/"


# --- Serving ------------------------------------------------------------------------------


def test_serves_built_pages_with_their_mime_types(served: Served) -> None:
    page = served.get(ARTICLE)
    css = served.get("/static/style.css")
    data = served.get("/data.json")
    image = served.get("/pixel.svg")
    assert (page.status, page.headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert "Floods close the port" in page.text
    assert (css.status, css.headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    assert data.headers["Content-Type"] == "application/json; charset=utf-8"
    assert image.headers["Content-Type"] == "image/svg+xml; charset=utf-8"


def test_pages_are_never_cached(served: Served) -> None:
    assert served.get(ARTICLE).headers["Cache-Control"] == "no-store"


def test_head_sends_headers_without_a_body(served: Served) -> None:
    full = served.get(ARTICLE)
    head = served.get(ARTICLE, method="HEAD")
    assert head.status == 200
    assert head.body == b""
    assert head.headers["Content-Length"] == full.headers["Content-Length"]


def test_unknown_urls_get_the_sites_404_page(served: Served, site: Path) -> None:
    reply = served.get("/no/such/page/")
    assert reply.status == 404
    assert "Page not found" in reply.text
    assert "data-dateline=" in reply.text  # a 404 tab still follows the build


def test_a_file_with_a_trailing_slash_is_not_found(served: Served) -> None:
    assert served.get("/static/style.css/").status == 404


def test_a_folder_without_its_slash_redirects_to_it(served: Served) -> None:
    reply = served.get(ARTICLE.rstrip("/"))
    assert (reply.status, reply.headers["Location"]) == (301, ARTICLE)


def test_the_reload_script_reaches_served_pages_only(served: Served, site: Path) -> None:
    assert "data-dateline=" in served.get(ARTICLE).text
    built = site / ".dateline-cache" / "serve" / "2024" / "08" / "31" / "floods" / "index.html"
    assert "Floods close the port" in built.read_text()
    assert "data-dateline" not in built.read_text()
    assert "data-dateline" not in served.get("/static/style.css").text


def test_serving_never_writes_output(served: Served, site: Path) -> None:
    served.get(ARTICLE)
    assert not (site / "output").exists()


def test_a_sub_path_site_is_served_under_its_path(site: Path) -> None:
    server = Served(site, "--base-url", "https://example.com/archive/")
    try:
        assert server.url.endswith("/archive/")
        page = server.get("/archive" + ARTICLE)
        assert page.status == 200
        assert 'href="/archive/static/style.css"' in page.text
        assert server.get("/").headers["Location"] == "/archive/"
        assert server.get(ARTICLE).status == 404
    finally:
        server.stop()


# --- Safety -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/static/../../site.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fsite.toml",
        "/static/%2E%2E%5c%2E%2E%5csite.toml",
        "/static/%00.css",
    ],
)
def test_traversal_requests_are_refused(served: Served, path: str) -> None:
    reply = served.get(path)
    assert reply.status in (403, 404)
    assert "base_url" not in reply.text  # site.toml
    assert "root:" not in reply.text  # /etc/passwd


def test_double_encoded_traversal_is_only_a_missing_file(served: Served) -> None:
    assert served.get("/%252e%252e/%252e%252e/etc/passwd").status == 404


def test_a_symlink_leading_outside_the_build_is_refused(served: Served, site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (site / ".dateline-cache" / "serve" / "leak.txt").symlink_to(secret)
    reply = served.get("/leak.txt")
    assert reply.status == 403
    assert "private" not in reply.text


def test_the_build_markers_and_dotfiles_are_not_served(served: Served) -> None:
    assert served.get("/.dateline-output").status == 404


def test_a_foreign_host_header_is_refused(served: Served) -> None:
    # DNS rebinding: a hostile domain resolving to 127.0.0.1 must not read the preview.
    assert served.get(ARTICLE, headers={"Host": f"attacker.example:{served.port}"}).status == 403
    assert served.get(ARTICLE, headers={"Host": f"localhost:{served.port}"}).status == 200


def test_the_server_listens_on_loopback_only(served: Served) -> None:
    listening = _listening_addresses(served.port)
    assert listening == {"127.0.0.1"}


def test_a_busy_port_moves_to_the_next_free_one(site: Path) -> None:
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    busy = blocker.getsockname()[1]
    try:
        server = Served(site, port=busy)
        try:
            assert server.port != busy
            assert any(f"port {busy} is in use" in line for line in server.lines)
        finally:
            server.stop()
    finally:
        blocker.close()


def test_sigterm_stops_the_server_within_a_second(served: Served) -> None:
    started = time.monotonic()
    assert served.stop() == 0
    assert time.monotonic() - started < 1.0


def test_ctrl_c_stops_the_server_within_a_second(served: Served) -> None:
    started = time.monotonic()
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=5) == 0
    assert time.monotonic() - started < 1.0
    assert served.quiet_for(0.2)[-1:] == ["Stopped"]


def test_sigterm_stops_the_server_with_a_tab_listening(served: Served) -> None:
    stream = _open_stream(served, ARTICLE)
    try:
        started = time.monotonic()
        assert served.stop() == 0
        assert time.monotonic() - started < 1.0
    finally:
        stream.close()


# --- Watching -----------------------------------------------------------------------------


def test_an_edited_article_is_rebuilt_and_served(served: Served, site: Path) -> None:
    path = site / "content" / "2024" / "floods.md"
    save(path, path.read_text().replace("Paragraph 3 of", "Paragraph three of"))
    served.wait_for(r"Built \d+ pages in [\d.]+s: \d+ written, \d+ removed \(content/2024/floods\.md\)")
    assert "Paragraph three of" in served.get(ARTICLE).text


def test_a_burst_of_saves_makes_one_rebuild(served: Served, site: Path) -> None:
    path = site / "content" / "2024" / "election.md"
    for n in range(5):
        save(path, article("Election results are in", "2024-09-02T09:00:00+00:00", f"Count {n}."))
    served.wait_for(r"Built \d+ pages")
    assert not [line for line in served.quiet_for(0.6) if "Built" in line]


def test_events_for_content_a_build_already_read_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "content" / "a.md"
    path.parent.mkdir()
    path.write_text("one")
    changes = Changes(tmp_path, [tmp_path / "content"], lambda root: None)
    changes.on_any_event(FileModifiedEvent(str(path)))
    assert changes.take() == [path]
    changes.on_any_event(FileMovedEvent(str(path.with_name(".a.md.tmp")), str(path)))  # arrived late
    assert changes.take() == []
    path.write_text("two")
    changes.on_any_event(FileModifiedEvent(str(path)))
    assert changes.take() == [path]
    path.chmod(0o600)  # permissions fixed: the build may now read it
    changes.on_any_event(FileModifiedEvent(str(path)))
    assert changes.take() == [path]


def test_reading_files_does_not_rebuild(served: Served, site: Path) -> None:
    # inotify reports reads as opened/closed events; reacting to them loops (watchdog #949).
    for path in (site / "content").rglob("*.md"):
        path.read_text()
    (site / "site.toml").read_text()
    served.get(ARTICLE)
    assert not [line for line in served.quiet_for(0.6) if "Built" in line]


def test_site_toml_changes_rebuild(served: Served, site: Path) -> None:
    save(site / "site.toml", 'title = "Renamed Archive"\nbase_url = "http://example.com/"\n')
    served.wait_for(r"Built .*\(site\.toml\)")
    assert "Renamed Archive" in served.get("/").text


def test_a_stylesheet_edit_is_copied_without_a_build(served: Served, site: Path) -> None:
    css = site / "templates" / "static" / "style.css"
    save(css, css.read_text() + "\n.probe { color: red; }\n")
    served.wait_for(r"Copied 1 static file in [\d.]+s \(templates/static/style\.css\)")
    assert ".probe { color: red; }" in served.get("/static/style.css").text


def test_a_deleted_static_file_goes_through_the_build(served: Served, site: Path) -> None:
    (site / "static" / "data.json").unlink()
    served.wait_for(r"Built \d+ pages in [\d.]+s: 0 written, 1 removed \(static/data\.json\)")
    assert served.get("/data.json").status == 404


def test_a_stylesheet_edit_while_the_build_is_broken_rebuilds(served: Served, site: Path) -> None:
    save(site / "content" / "2024" / "election.md", "---\ntitle: [unclosed\n---\n")
    served.wait_for(r"Build failed")
    css = site / "templates" / "static" / "style.css"
    save(css, css.read_text() + "\n.probe { color: red; }\n")
    served.wait_for(r"Build failed")  # the overlay stays until the content is fixed


def test_a_content_error_keeps_the_last_good_site(served: Served, site: Path) -> None:
    save(site / "content" / "2024" / "floods.md", "---\ntitle: [unclosed\n---\nBody\n")
    served.wait_for(r"Build failed with 1 error")
    served.wait_for(r"content/2024/floods\.md:\d+: ")
    assert "Floods close the port" in served.get(ARTICLE).text
    assert served.process.poll() is None


# --- The reload stream --------------------------------------------------------------------


def test_the_stream_names_the_pages_a_save_changed(served: Served, site: Path) -> None:
    stream = _open_stream(served, ARTICLE)
    assert served.get("/2024/09/02/election/").status == 200  # open in another tab
    try:
        assert _message(stream)["changed"] == []
        path = site / "content" / "2024" / "floods.md"
        save(path, path.read_text().replace("Paragraph 7 of", "Paragraph seven of"))
        changed = _message(stream)["changed"]
        assert ARTICLE in changed
        assert "/2024/09/02/election/" not in changed
    finally:
        stream.close()


def test_the_stream_carries_build_errors_and_their_fix(served: Served, site: Path) -> None:
    stream = _open_stream(served, ARTICLE)
    try:
        _message(stream)
        path = site / "content" / "2024" / "election.md"
        good = path.read_text()
        save(path, "---\ntitle: [unclosed\n---\n")
        errors = _message(stream)["errors"]
        assert len(errors) == 1
        assert errors[0].startswith("content/2024/election.md:")
        save(path, good.replace("The count is done.", "The count is final."))
        assert _message(stream)["errors"] == []
    finally:
        stream.close()


# --- Pure parts ---------------------------------------------------------------------------


def test_locate_refuses_a_symlinked_folder_leading_outside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text("x")
    (root / "door").symlink_to(tmp_path / "outside")
    assert locate(root, "/", "/door/").kind == "forbidden"
    assert locate(root, "/", "/door/index.html").kind == "forbidden"


def test_locate_redirects_a_protocol_relative_path_to_this_site(tmp_path: Path) -> None:
    (tmp_path / "evil.com").mkdir()
    found = locate(tmp_path, "/", "//evil.com")
    assert (found.kind, found.location) == ("redirect", "/evil.com/")


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "127.0.0.1", None])
def test_local_host_headers_are_allowed(host: str | None) -> None:
    assert host_allowed(host, "127.0.0.1")


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "localhost.attacker.example"])
def test_rebinding_host_headers_are_refused(host: str) -> None:
    assert not host_allowed(host, "127.0.0.1")


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("0.0.0.0", False)])
def test_non_loopback_hosts_are_told_apart(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_tracker_sees_replaced_removed_and_new_files(tmp_path: Path) -> None:
    for name in ("same.html", "edited.html", "gone.html"):
        (tmp_path / name).write_text(name)
    tracker = Tracker(tmp_path)
    for name in ("same.html", "edited.html", "gone.html"):
        tracker.served(name, stamp_of(tmp_path / name))
    tracker.served("new.html", None)
    replacement = tmp_path / "edited.tmp"
    replacement.write_text("edited.html")  # same size: only the inode tells them apart
    os.replace(replacement, tmp_path / "edited.html")
    (tmp_path / "gone.html").unlink()
    (tmp_path / "new.html").write_text("new")
    assert tracker.changed() == {"edited.html", "gone.html", "new.html"}
    assert tracker.changed() == set()


# --- Helpers ------------------------------------------------------------------------------


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on ``port``, from the kernel's own table."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    found.add("ipv6:" + address)
    return found


class _Stream:
    def __init__(self, connection: http.client.HTTPConnection, reply: http.client.HTTPResponse) -> None:
        self.connection = connection
        self.reply = reply

    def close(self) -> None:
        self.connection.close()


def _open_stream(served: Served, page: str) -> _Stream:
    """Subscribe the way a served page does, with the version and token it was served at."""
    settings = json.loads(page_settings(served.get(page).text))
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=15)
    connection.request("GET", f"{settings['events']}?v={settings['version']}&t={settings['token']}")
    reply = connection.getresponse()
    assert reply.headers["Content-Type"].startswith("text/event-stream")
    return _Stream(connection, reply)


def _message(stream: _Stream) -> dict:
    return next_message(stream.reply)


def _search_bundle(out: Path) -> dict[str, bytes]:
    files = (out / "pagefind").rglob("*")
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in files if path.is_file()}


def test_a_save_brings_the_search_index_up_to_date_once_the_page_is_built(
    served: Served, site: Path, tmp_path: Path
) -> None:
    text = "The count is done. Turnout was the highest since 1994."
    save(
        site / "content/2024/election.md",
        article("Election results are in", "2024-09-02T09:00:00+00:00", text, slug="election"),
    )
    served.wait_for(r"Built \d+ pages in [\d.]+s: [1-9]\d* written, 0 removed \(content/2024/election\.md\)")
    served.wait_for(r"Search index updated in [\d.]+s: [1-9]\d* written")
    cold = tmp_path / "cold"
    assert main(["build", "--site", str(site), "--output", str(cold), "--no-cache"]) == 0
    assert _search_bundle(site / ".dateline-cache" / "serve") == _search_bundle(cold)


# --- The first build: pages asked for are rendered first ---------------------------------


def _without_reload_script(page: bytes) -> bytes:
    start = page.index(b"<script data-dateline=")
    return page[:start] + page[page.index(b"</script>\n", start) + len(b"</script>\n") :]


def test_a_page_asked_for_during_the_first_build_is_served_before_the_build_lands(tmp_path: Path) -> None:
    corpus = generate_corpus(tmp_path / "big" / "content", 600).parent
    served = Served(corpus, first_build=False)
    try:
        while (reply := served.get("/")).status == 503:
            assert b"Building the site" in reply.body
        served.quiet_for(0.05)  # what the server has printed so far
        assert not [line for line in served.lines if re.search(FIRST_BUILD, line)]
        assert reply.status == 200
        served.wait_for(FIRST_BUILD, timeout=120)
        built = (corpus / ".dateline-cache" / "serve" / "index.html").read_bytes()
        assert _without_reload_script(reply.body) == built  # the page itself, whole and final
    finally:
        served.stop()


def test_a_url_asked_for_during_the_first_build_gets_its_progress_then_its_answer(tmp_path: Path) -> None:
    corpus = generate_corpus(tmp_path / "big" / "content", 600).parent
    served = Served(corpus, first_build=False)
    try:
        waiting = served.get("/no-such-page/")
        assert waiting.status == 503 and waiting.headers["Retry-After"] == "1"
        assert b"<h1>Building the site</h1>" in waiting.body
        assert b'<meta http-equiv="refresh" content="1">' in waiting.body
        served.wait_for(FIRST_BUILD, timeout=120)
        assert served.get("/no-such-page/").status == 404
    finally:
        served.stop()


def test_a_staged_file_is_served_only_once_the_build_says_it_is_whole(tmp_path: Path) -> None:
    waiting = Waiting()
    waiting.started()
    waiting.staging(tmp_path)
    (tmp_path / "index.html").write_bytes(b"<p>half of a pa")  # a worker still writing it
    assert waiting.page("index.html", timeout=0.05) is None
    waiting.ready(["index.html"])
    assert waiting.page("index.html", timeout=0.05) == b"<p>half of a pa"


def test_the_build_takes_each_page_asked_for(tmp_path: Path) -> None:
    waiting = Waiting()
    waiting.started()
    waiting.page("2024/a/index.html", timeout=0.01)
    waiting.page("2024/a/index.html", timeout=0.01)
    assert waiting.take() == ["2024/a/index.html"]
    assert waiting.take() == []


def test_nothing_is_served_from_a_build_that_has_ended(tmp_path: Path) -> None:
    waiting = Waiting()
    waiting.started()
    waiting.staging(tmp_path)
    waiting.rendered("index.html", b"<p>ahead</p>")
    waiting.finished()
    assert waiting.page("index.html", timeout=0.05) is None


def test_sigterm_stops_the_server_during_a_long_first_build(tmp_path: Path) -> None:
    corpus = tmp_path / "big"
    generate_corpus(corpus / "content", 600)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(corpus), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(2)  # the first build of 600 articles and their search index takes far longer
    assert process.poll() is None
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    assert time.monotonic() - started < 2.0
    said = process.stdout.read() if process.stdout else ""
    assert "Serving" in said and "Built" not in said and "Traceback" not in said


def _processes_running(fragment: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if fragment in text:
            found.append(text)
    return found


def test_sigterm_stops_the_server_during_a_rebuild_in_worker_processes(tmp_path: Path) -> None:
    corpus = tmp_path / "big"
    generate_corpus(corpus / "content", 600)
    (corpus / "site.toml").write_text("search = false\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(corpus), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    assert "Serving" in process.stdout.readline()
    assert " Built " in process.stdout.readline()  # the first build; the next is the rebuild
    theme = (THEME / "base.html").read_text()
    (corpus / "templates").mkdir()
    (corpus / "templates" / "base.html").write_text(theme.replace("<main", "<b>Edited</b><main"))
    time.sleep(0.5)  # every page renders again, over worker processes
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    assert time.monotonic() - started < 2.0
    time.sleep(0.5)
    assert _processes_running(str(corpus)) == []
    assert "Traceback" not in process.stdout.read()
