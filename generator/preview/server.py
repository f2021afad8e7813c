"""The HTTP side of the preview: which requests it answers (host checks, locating files in
the build folder), serving the last good build with the reload client added to HTML, and
each tab's Server-Sent Events stream."""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import mimetypes
import select
import socket
import socketserver
import sys
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, quote, unquote, urlsplit

from generator.errors import DatelineError
from generator.preview.hub import Hub
from generator.preview.tracker import Tracker, read_stamped
from generator.preview.waiting import Waiting

EVENTS_PATH = "/__dateline/events"
PORT_ATTEMPTS = 20  # a busy port moves to the next one, this many times at most
KEEPALIVE = 10.0  # seconds between comments on an idle event stream, for proxies and timeouts
PEER_CHECK = 0.5  # seconds between checks that a tab's event stream is still open
BACKLOG = 256  # connections the kernel queues; the default 5 drops them when many tabs load at once

_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".webp": "image/webp",
    ".avif": "image/avif",
}


def content_type(path: Path) -> str:
    """The Content-Type for a served file; text types are UTF-8, as Dateline writes them."""
    suffix = path.suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml")
    return f"{kind}; charset=utf-8" if textual else kind


# --- Locating files ---------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """What a request path names: a ``file``, a ``redirect``, ``missing`` or ``forbidden``."""

    kind: str
    path: Path | None = None  # for ``missing``: the file that would answer, once built
    location: str = ""


def locate(root: Path, base_path: str, raw_path: str) -> Located:
    """Map a request path to a file inside ``root`` (the resolved build folder).

    Traversal was a real hole in zola, mkdocs and nikola's servers: every path is decoded
    once, ``.``/``..`` segments are refused, and the resolved file, symlinks followed, must
    still lie inside ``root``.
    """
    if not raw_path.startswith("/"):
        return Located("forbidden")
    try:
        decoded = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Located("forbidden")
    if "\0" in decoded or "\\" in decoded:
        return Located("forbidden")
    segments = decoded.split("/")
    if any(segment in (".", "..") for segment in segments):
        return Located("forbidden")
    parts = [segment for segment in segments if segment]
    base = [segment for segment in base_path.split("/") if segment]
    if parts[: len(base)] != base:
        # The root of a sub-path site leads to the site; anything else is not part of it.
        return Located("redirect", location=base_path) if not parts else Located("missing")
    inner = parts[len(base) :]
    if any(part.startswith(".") for part in inner):
        return Located("missing")  # the build never publishes dotfiles; its marker stays private
    wanted = root.joinpath(*inner, *(["index.html"] if decoded.endswith("/") else []))
    try:
        target = root.joinpath(*inner).resolve(strict=True)
    except (OSError, RuntimeError):
        return Located("missing", wanted)
    if not target.is_relative_to(root):
        return Located("forbidden")  # a symlink that leads outside the build
    if target.is_dir():
        if not decoded.endswith("/"):
            # Built from decoded segments, so it starts with one "/" and cannot name another
            # host (the http.server open redirect, CVE-2021-28861).
            return Located("redirect", location=quote(base_path + "".join(p + "/" for p in inner)))
        target = target / "index.html"
        try:
            target = target.resolve(strict=True)
        except (OSError, RuntimeError):
            return Located("missing", wanted)
        if not target.is_relative_to(root):
            return Located("forbidden")
    elif decoded.endswith("/"):
        return Located("missing", wanted)  # a file is not a folder: /style.css/ names nothing
    if not target.is_file():
        return Located("missing", wanted)
    return Located("file", target)


def host_allowed(header: str | None, bound_host: str) -> bool:
    """Whether a request's Host header names this server, not a domain rebound to it.

    A hostile page whose domain resolves to 127.0.0.1 would otherwise read the preview
    (webpack-dev-server #887); IP literals and ``localhost`` cannot be rebound.
    """
    if not header:
        return True  # HTTP/1.0 clients; browsers always send Host
    try:
        hostname = urlsplit("//" + header).hostname
    except ValueError:
        return False
    if not hostname:
        return False
    if hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return hostname == bound_host.lower()
    return True


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --- HTTP -------------------------------------------------------------------------------


class Preview:
    """What the request handlers need: where the build is, its URL path, the live channel."""

    def __init__(self, root: Path, base_path: str, host: str, hub: Hub) -> None:
        self.root = root.resolve()
        self.base_path = base_path
        self.host = host
        self.hub = hub
        self.tracker = Tracker(self.root)
        self.waiting = Waiting()
        self.client = (Path(__file__).parent / "serve_client.js").read_text(encoding="utf-8")

    def inject(self, page: bytes, version: int, missing: bool) -> bytes:
        """Add the reload script before ``</body>``: to this response only, never to a file."""
        settings = {
            "events": EVENTS_PATH,
            "token": self.hub.last_build().token,
            "version": version,
            "missing": missing,
        }
        attribute = html.escape(json.dumps(settings), quote=True)
        script = f'<script data-dateline="{attribute}">\n{self.client}</script>\n'.encode()
        end = page.lower().rfind(b"</body>")
        return page + script if end < 0 else page[:end] + script + page[end:]


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a tab's open event stream never holds up shutdown
    request_queue_size = BACKLOG
    preview: Preview

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up with getfqdn, a DNS query that can stall.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing a tab mid-response is routine; anything else is worth a line.
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            print(f"dateline serve: request failed: {error!r}", file=sys.stderr)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def version_string(self) -> str:
        return "Dateline"

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows rebuilds, not every request

    def _respond(self, body: bool) -> None:
        preview = self.server.preview
        if not host_allowed(self.headers.get("Host"), preview.host):
            self._send(HTTPStatus.FORBIDDEN, b"Host not allowed\n", "text/plain; charset=utf-8", body)
            return
        path, _, query = self.path.partition("?")
        path = path.partition("#")[0]
        if path == EVENTS_PATH:
            self._events(parse_qs(query), body)
            return
        version = preview.hub.last_build().version  # before reading: at worst one extra reload
        found = locate(preview.root, preview.base_path, path)
        if found.kind == "missing" and found.path is not None and preview.waiting.running:
            if self._ahead(found.path, version, body):
                return
            found = locate(preview.root, preview.base_path, path)  # the build has landed meanwhile
        if found.kind == "redirect":
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", body, {"Location": found.location})
        elif found.kind == "forbidden":
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden\n", "text/plain; charset=utf-8", body)
        elif found.kind == "file" and found.path is not None:
            read = read_stamped(found.path)
            if read is None:  # removed by a rebuild between locating and reading
                self._not_found(version, body)
                return
            data, stamp = read
            preview.tracker.served(found.path.relative_to(preview.root).as_posix(), stamp)
            kind = content_type(found.path)
            if kind.startswith("text/html"):
                data = preview.inject(data, version, missing=False)
            self._send(HTTPStatus.OK, data, kind, body)
        else:
            if found.path is not None:  # a tab on a page yet to be written reloads once it is
                preview.tracker.served(found.path.relative_to(preview.root).as_posix(), None)
            self._not_found(version, body)

    def _ahead(self, wanted: Path, version: int, body: bool) -> bool:
        """Answer from the running build: with the page once it is rendered, or with how far
        the build is; False when the build has landed meanwhile."""
        preview = self.server.preview
        relative = wanted.relative_to(preview.root).as_posix()
        data = preview.waiting.page(relative)
        if data is not None:
            preview.tracker.served(relative, None)  # reloaded once the build lands: same page, swapped
            kind = content_type(wanted)
            if kind.startswith("text/html"):
                data = preview.inject(data, version, missing=False)
            self._send(HTTPStatus.OK, data, kind, body)
            return True
        if not preview.waiting.running:
            return False
        preview.tracker.served(relative, None)
        page = preview.inject(preview.waiting.progress_page(), version, missing=True)
        self._send(
            HTTPStatus.SERVICE_UNAVAILABLE, page, "text/html; charset=utf-8", body, {"Retry-After": "1"}
        )
        return True

    def _not_found(self, version: int, body: bool) -> None:
        preview = self.server.preview
        found = locate(preview.root, preview.base_path, preview.base_path + "404.html")
        read = read_stamped(found.path) if found.kind == "file" and found.path is not None else None
        if read is not None and found.path is not None:
            page = read[0]
            preview.tracker.served(found.path.relative_to(preview.root).as_posix(), read[1])
        else:
            page = b"<!DOCTYPE html><title>Not found</title><body><h1>Not found</h1></body>"
        self._send(
            HTTPStatus.NOT_FOUND,
            preview.inject(page, version, missing=True),
            "text/html; charset=utf-8",
            body,
        )

    def _send(
        self,
        status: HTTPStatus,
        data: bytes,
        kind: str,
        body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a preview is stale the moment it changes
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, query: dict[str, list[str]], body: bool) -> None:
        """One tab's Server-Sent Events stream: a message whenever a build or its errors
        change, starting with what changed since the tab's page was served."""
        hub = self.server.preview.hub
        token = query.get("t", [""])[0]
        try:
            version = int(query.get("v", ["0"])[0])
        except ValueError:
            version = -1
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        with hub.stream():
            self._stream(hub, token, version)

    def _stream(self, hub: Hub, token: str, version: int) -> None:
        self.wfile.write(b"retry: 500\n\n")  # reconnect quickly when the server restarts
        state = hub.last_build()
        while not state.closed:
            message = {
                "version": state.version,
                "changed": hub.changes_since(token, version),
                "errors": list(state.errors),
            }
            self.wfile.write(f"data: {json.dumps(message)}\n\n".encode())
            self.wfile.flush()
            token, version, errors = state.token, state.version, state.errors
            quiet_since = time.monotonic()
            while True:
                state = hub.wait(version, errors, PEER_CHECK)
                if state.closed or state.version != version or state.errors != errors:
                    break
                if self._peer_closed():
                    return  # the tab is gone: free this thread now, not at the next write
                if time.monotonic() - quiet_since >= KEEPALIVE:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    quiet_since = time.monotonic()

    def _peer_closed(self) -> bool:
        """Whether the browser has closed this connection: readable, with nothing to read.

        A closed tab sends a FIN; writing to it would only fail after a keep-alive or two,
        holding a thread per closed tab until then.
        """
        try:
            poller = select.poll()  # not select.select: it fails on descriptors above 1023
            poller.register(self.connection, select.POLLIN)
            return bool(poller.poll(0)) and not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True


def listen(host: str, port: int, err: TextIO) -> PreviewServer:
    """Bind ``host:port``, or the next free port after a busy one, saying so."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("PreviewServer", (PreviewServer,), {"address_family": family})
    candidates = range(port, min(port + PORT_ATTEMPTS, 65536))  # the next port stops at the last
    for candidate in candidates:
        try:
            server = server_class((host.strip("[]"), candidate), Handler)
        except OSError as error:
            if error.errno == errno.EADDRINUSE and port != 0:
                if candidate + 1 in candidates:
                    print(f"port {candidate} is in use; trying {candidate + 1}", file=err)
                continue
            raise DatelineError(f"cannot listen on {host}:{candidate}: {error.strerror or error}") from None
        return server
    raise DatelineError(f"ports {port}-{candidates[-1]} on {host} are all in use; choose one with --port")
