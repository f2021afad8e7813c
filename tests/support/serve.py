"""Run ``dateline serve`` as its users do, in a subprocess, and talk to it over HTTP."""

from __future__ import annotations

import html
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from generator.config import load_config
from generator.engine import build
from generator.preview.hub import Hub
from generator.preview.server import Preview, listen

from .paths import REPO, THEME
from .site import article, write_site


def save(path: Path, text: str) -> None:
    """Save the way editors do: write a temporary file beside it, then rename it over."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def sample_site(root: Path, base_url: str = "http://example.com/") -> Path:
    """Two articles (the first long enough to scroll), static files and the theme's stylesheet."""
    long_body = "\n\n".join(f"Paragraph {n} of the flood report." for n in range(120))
    return write_site(
        root,
        {
            "site.toml": f'title = "Test Archive"\nbase_url = "{base_url}"\n',
            "content/2024/floods.md": article(
                "Floods close the port",
                "2024-08-31T09:00:00+00:00",
                long_body,
                slug="floods",
                tags="[floods]",
            ),
            "content/2024/election.md": article(
                "Election results are in", "2024-09-02T09:00:00+00:00", "The count is done.", slug="election"
            ),
            "static/data.json": '{"ok": true}\n',
            "static/pixel.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
            "templates/static/style.css": (THEME / "static" / "style.css").read_text("utf-8"),
        },
    )


FIRST_BUILD = r"^\d\d:\d\d:\d\d (Built \d+ pages|Build failed)"


class Served:
    """A running ``dateline serve``; its output lines are collected as they come."""

    def __init__(
        self,
        site: Path,
        *args: str,
        port: int = 0,
        launcher: Sequence[str] = ("-m", "generator"),
        first_build: bool = True,
    ) -> None:
        """``launcher``: what follows ``python`` to run dateline (a test may wrap it);
        ``first_build``: wait until the first build has landed or failed."""
        self.site = site
        self.process = subprocess.Popen(
            [sys.executable, *launcher, "serve", "--site", str(site), "--port", str(port), *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        serving = self.wait_for(r"^Serving (http://\S+)")
        self.url = serving[1]
        if first_build:
            self.wait_for(FIRST_BUILD)  # served from the start; most tests begin on the built site
        self.port = int(re.search(r":(\d+)/", self.url)[1])  # type: ignore[index]
        self.origin = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match[str]:
        """The next output line matching ``pattern``; earlier lines are kept in ``lines``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.lines.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} in {timeout}s; output so far: {self.lines}")

    def quiet_for(self, seconds: float) -> list[str]:
        """Lines printed during the next ``seconds``."""
        seen: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                seen.append(self._queue.get(timeout=left))
            except queue.Empty:
                break
        self.lines.extend(seen)
        return seen

    def get(self, path: str, method: str = "GET", headers: Mapping[str, str] | None = None) -> Response:
        """One request with the path sent exactly as given (no normalising, no redirects)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, headers=dict(headers or {}))
            reply = connection.getresponse()
            return Response(reply.status, dict(reply.getheaders()), reply.read())
        finally:
            connection.close()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", errors="replace")


class InProcess:
    """The preview's own HTTP server and reload channel, run in this process over a built
    site, so a test can read how many reload channels the server holds open."""

    def __init__(self, site: Path, out: Path) -> None:
        config = load_config(site, output_dir=out)
        build.build(config)
        self.hub = Hub()
        self.server = listen("127.0.0.1", 0, sys.stderr)
        self.server.preview = Preview(out, config.base_path, "127.0.0.1", self.hub)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def wait_for_streams(self, count: int, timeout: float) -> float:
        """Seconds until exactly ``count`` channels are open; fails after ``timeout``."""
        started = time.monotonic()
        while self.hub.streams != count:
            assert time.monotonic() - started < timeout, f"{self.hub.streams} channels open, not {count}"
            time.sleep(0.02)
        return time.monotonic() - started

    def stop(self) -> None:
        self.hub.close()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


def page_settings(page: str) -> str:
    """The reload script's settings a served page carries (its ``data-dateline`` attribute)."""
    start = page.index('data-dateline="') + len('data-dateline="')
    return html.unescape(page[start : page.index('"', start)])


def next_message(reply: http.client.HTTPResponse) -> dict:
    """The next ``data:`` message on an event stream."""
    while True:
        line = reply.readline()
        assert line, "the stream ended"
        if line.startswith(b"data: "):
            return json.loads(line[len(b"data: ") :])
