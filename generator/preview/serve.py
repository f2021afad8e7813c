"""``dateline serve``: build the site, serve it on loopback, rebuild and reload on every save.

Four parts, each on its own thread:

- the HTTP server (stdlib ``ThreadingHTTPServer``) serves the last good build from
  ``.dateline-cache/serve/`` under the base URL's path, never ``output/``;
- the watcher (watchdog) reacts to writes, creations, moves and deletions in ``content/``,
  ``templates/``, ``static/`` and ``site.toml`` only: reading a file emits opened/closed
  events, and reacting to those rebuilds forever (watchdog #949);
- the rebuilder debounces a burst of events (editors save through a temporary file and a
  rename) into one ``build.build``, then checks which pages open tabs show have changed;
- each open page holds a Server-Sent Events stream, added to served HTML only, that swaps
  stylesheets, reloads changed pages and shows build errors over the page.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import ipaddress
import json
import mimetypes
import os
import secrets
import select
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, quote, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from generator.config import SETTINGS_FILE, Config, load_config, template_dirs
from generator.content import sources
from generator.content.slugs import output_path
from generator.engine import build, incremental
from generator.errors import BuildFailed, ContentError, DatelineError, SourceUnreadable

EVENTS_PATH = "/__dateline/events"
PORT_ATTEMPTS = 20  # a busy port moves to the next one, this many times at most
DEBOUNCE = 0.02  # seconds of quiet that end a burst of file events (temp file + rename: ~1 ms)
DEBOUNCE_LIMIT = 1.0  # a stream of events still rebuilds this often
KEEPALIVE = 10.0  # seconds between comments on an idle event stream, for proxies and timeouts
PEER_CHECK = 0.5  # seconds between checks that a tab's event stream is still open
BACKLOG = 256  # connections the kernel queues; the default 5 drops them when many tabs load at once
HISTORY = 200  # builds remembered, so a page that missed some learns what changed
#: Event types that mean a file's content or presence changed; opened/closed are reads.
CHANGES = frozenset({"created", "modified", "moved", "deleted"})
#: Saves by editors pass through these names; the final rename still reaches the real file.
EDITOR_NOISE = (".swp", ".swx", ".tmp", "~")

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


# --- What changed between builds --------------------------------------------------------


Stamp = tuple[int, int, int] | None  # (inode, mtime, size) of a file; None when missing
TRACK_LIMIT = 10_000  # files remembered; the oldest are forgotten first


class Tracker:
    """The stamp of every file a tab may be showing, as it was when it was served.

    After a build only these files are compared, not the whole built tree: a stat per page
    someone has open, instead of tens of thousands on a large archive. A file replaced by the
    build gets a new inode, so a rewrite is seen even within one mtime tick.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._stamps: dict[str, Stamp] = {}

    def served(self, name: str, stamp: Stamp) -> None:
        with self._lock:
            self._stamps.pop(name, None)
            self._stamps[name] = stamp
            if len(self._stamps) > TRACK_LIMIT:
                del self._stamps[next(iter(self._stamps))]

    def changed(self) -> frozenset[str]:
        """Names whose file differs from what was last served (written, added or removed)."""
        with self._lock:
            known = dict(self._stamps)
        now = {name: stamp_of(self.root / name) for name in known}
        changed = frozenset(name for name, stamp in now.items() if stamp != known[name])
        with self._lock:
            for name in changed:
                if self._stamps.get(name) == known[name]:  # unless a request saw it meanwhile
                    self._stamps[name] = now[name]
        return changed


def stamp_of(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def read_stamped(path: Path) -> tuple[bytes, Stamp] | None:
    """A file's bytes and the stamp of exactly that file, even if a build replaces it now."""
    try:
        with path.open("rb") as file:
            stat = os.fstat(file.fileno())
            return file.read(), (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None


def url_of(name: str, base_path: str) -> str:
    """``2024/a/index.html`` -> ``/base/2024/a/``: the URL a tab shows for a built file."""
    if name == "index.html" or name.endswith("/index.html"):
        name = name[: -len("index.html")]
    return base_path + name


# --- The reload channel -----------------------------------------------------------------


@dataclass(frozen=True)
class State:
    token: str
    version: int
    errors: tuple[str, ...]
    closed: bool


class Hub:
    """The latest build, shared by the rebuilder (writes) and every event stream (reads)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._token = secrets.token_hex(8)  # a new server means pages must reload
        self._version = 0
        self._errors: tuple[str, ...] = ()
        self._history: list[tuple[int, frozenset[str] | None]] = []
        self._closed = False
        self._streams = 0

    @property
    def streams(self) -> int:
        """Event streams open now: one per tab; back to zero once every tab has closed."""
        with self._cond:
            return self._streams

    @contextlib.contextmanager
    def stream(self) -> Iterator[None]:
        with self._cond:
            self._streams += 1
        try:
            yield
        finally:
            with self._cond:
                self._streams -= 1

    def state(self) -> State:
        with self._cond:
            return State(self._token, self._version, self._errors, self._closed)

    def built(self, changed: frozenset[str] | None) -> None:
        """A good build; ``changed`` holds the URLs it changed, None for all of them."""
        with self._cond:
            if changed is None or changed:
                self._version += 1
                self._history = [*self._history[-HISTORY + 1 :], (self._version, changed)]
            self._errors = ()
            self._cond.notify_all()

    def failed(self, errors: tuple[str, ...]) -> None:
        with self._cond:
            self._errors = errors
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def changes_since(self, token: str, version: int) -> list[str] | None:
        """URLs changed after ``version``; None when that cannot be told (reload everything)."""
        with self._cond:
            if token != self._token or version > self._version:
                return None
            if version == self._version:
                return []
            if not self._history or self._history[0][0] > version + 1:
                return None
            urls: set[str] = set()
            for number, changed in self._history:
                if number > version:
                    if changed is None:
                        return None
                    urls |= changed
            return sorted(urls)

    def wait(self, version: int, errors: tuple[str, ...], timeout: float) -> State:
        """Block until a build or an error differs from what a stream has sent, or timeout."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._closed or self._version != version or self._errors != errors, timeout
            )
            return State(self._token, self._version, self._errors, self._closed)


# --- HTTP -------------------------------------------------------------------------------


class Preview:
    """What the request handlers need: where the build is, its URL path, the live channel."""

    def __init__(self, root: Path, base_path: str, host: str, hub: Hub) -> None:
        self.root = root.resolve()
        self.base_path = base_path
        self.host = host
        self.hub = hub
        self.tracker = Tracker(self.root)
        self.client = (Path(__file__).parent / "serve_client.js").read_text(encoding="utf-8")

    def inject(self, page: bytes, version: int, missing: bool) -> bytes:
        """Add the reload script before ``</body>``: to this response only, never to a file."""
        settings = {
            "events": EVENTS_PATH,
            "token": self.hub.state().token,
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
        version = preview.hub.state().version  # before reading: at worst one extra reload
        found = locate(preview.root, preview.base_path, path)
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
        state = hub.state()
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


# --- Watching and rebuilding ------------------------------------------------------------


class Changes(FileSystemEventHandler):
    """Collects the paths of real changes to the site's sources; signals ``pending``."""

    def __init__(self, site_dir: Path, roots: list[Path], on_new_root: Callable[[Path], None]) -> None:
        self.site_dir = site_dir
        self.roots = roots
        self.on_new_root = on_new_root
        self.pending = threading.Event()
        self._lock = threading.Lock()
        self._paths: list[Path] = []
        self._taken: dict[Path, object] = {}  # what each path held when a build last took it

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        paths = [Path(os.fsdecode(event.src_path))]
        if event.event_type == "moved":
            paths.append(Path(os.fsdecode(event.dest_path)))
        relevant = [path for path in paths if self._relevant(path, event.is_directory)]
        if not relevant:
            return
        with self._lock:
            self._paths.extend(relevant)
        self.pending.set()

    def take(self) -> list[Path]:
        """The paths changed since the last take, leaving out those a build has already read.

        Events often arrive after the build they belong to has started and read the file
        (a burst of saves on a busy machine); building again for them would change nothing.
        """
        with self._lock:
            paths, self._paths = list(dict.fromkeys(self._paths)), []
        changed = []
        for path in paths:
            held = _held(path)
            if self._taken.get(path, _NEVER) != held:
                changed.append(path)
            self._taken[path] = held
        return changed

    def _relevant(self, path: Path, is_directory: bool) -> bool:
        if path.name.startswith(".") or path.name.endswith(EDITOR_NOISE) or path.name == "4913":
            return False  # vim probes with "4913" and keeps "name~" while it saves
        if path.parent == self.site_dir:
            if path.name == SETTINGS_FILE:
                return True
            root = next((r for r in self.roots if r == path), None)
            if root is not None and is_directory:
                self.on_new_root(root)  # content/ or templates/ made after serve started
                return True
            return False
        return any(path.is_relative_to(root) for root in self.roots)


_NEVER = object()
_HASHED_UP_TO = 1 << 20  # bytes; larger files (video, archives) are told apart by their stat


def _held(path: Path) -> object:
    """What a path holds, to compare: a file's mode and bytes (digested), or that it is a folder."""
    try:
        if path.is_dir():
            return "folder"
        status = path.stat()
        if status.st_size > _HASHED_UP_TO:
            return (status.st_mode, status.st_ino, status.st_size, status.st_mtime_ns)
        return (status.st_mode, hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    except OSError:
        return None  # gone, or unreadable for now: the build reports it


def watch(config: Config, changes: Changes, err: TextIO) -> BaseObserver:
    """Start watching the sources; never the build folder or ``output/`` (that would loop)."""
    observer: BaseObserver = Observer()
    try:
        _schedule(observer, config, changes)
    except OSError as error:  # inotify limits (watchdog #673): polling still works
        print(f"file watching is limited ({error.strerror}); polling for changes instead", file=err)
        observer = PollingObserver()
        _schedule(observer, config, changes)
    observer.daemon = True
    observer.start()
    return observer


def _schedule(observer: BaseObserver, config: Config, changes: Changes) -> None:
    observer.schedule(changes, str(config.site_dir), recursive=False)
    for root in changes.roots:
        if root.is_dir() and root != config.site_dir:
            observer.schedule(changes, str(root), recursive=True)


def watched_roots(config: Config) -> list[Path]:
    dirs = [config.content_dir, config.templates_dir, config.static_dir, *template_dirs(config)]
    return list(dict.fromkeys(path.resolve() for path in dirs))


class Rebuilder:
    """Builds into the serve folder and tells the hub what changed or what went wrong."""

    def __init__(
        self,
        site_dir: Path,
        load: Callable[[], Config],
        preview: Preview,
        out: TextIO,
        err: TextIO,
        pending: threading.Event | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.pending = pending or threading.Event()  # set while saves wait for the next build
        self.load = load
        self.preview = preview
        self.out = out
        self.err = err
        self.indexed = False
        self.session = incremental.Session()  # parsed articles and templates, kept between saves

    def rebuild(self, because: list[Path]) -> None:
        started = time.perf_counter()
        clock = time.strftime("%H:%M:%S")
        try:
            config = self.load()
            moved = config.base_path != self.preview.base_path
            self.preview.base_path = config.base_path
            copied = None if moved else self._copy_static(config, because)
            # The search index is built once per session; later saves keep it (see build.build).
            report = (
                build.build(config, reindex_search=not self.indexed, session=self.session)
                if copied is None
                else None
            )
            self.indexed = True
        except BuildFailed as failed:
            self._failed(clock, [self._shown(error) for error in failed.errors])
            return
        except (OSError, SourceUnreadable) as error:  # a source deleted or renamed while the build read it
            if self.pending.is_set():  # its own event is waiting: that build will tell
                print(f"{clock} Sources changed during the build; building again", file=self.out, flush=True)
            else:
                self._failed(clock, [self._unreadable(error)])
            return
        except DatelineError as error:
            self._failed(clock, [str(error)])
            return
        except Exception as error:  # a bug must not take the preview down with it
            self._failed(clock, [f"internal error: {error!r}"])
            return
        if moved:
            self.preview.hub.built(None)  # every URL an open tab shows has changed
        elif copied or (report is not None and (report.written or report.removed)):
            changed = self.preview.tracker.changed()
            self.preview.hub.built(frozenset(url_of(name, config.base_path) for name in changed))
        else:
            self.preview.hub.built(frozenset())  # clears errors; nothing to reload
        seconds = time.perf_counter() - started
        if report is None:
            done = f"Copied {copied} static file{'s' * (copied != 1)} in {seconds:.2f}s"
        else:
            for warning in report.warnings:
                print(f"{self._shown(warning)} (warning)", file=self.err, flush=True)
            done = (
                f"Built {report.pages} pages in {seconds:.2f}s: "
                f"{report.written} written, {report.removed} removed"
            )
        print(f"{clock} {done}{self._cause(because)}", file=self.out, flush=True)

    def _copy_static(self, config: Config, because: list[Path]) -> int | None:
        """Copy edited static files straight into the build, or None when a build is needed.

        A stylesheet or image changes no page, so it needs no build: on a large archive this
        turns a CSS edit from a full build into a file copy. Anything else, a deletion, or a
        save while the build is broken (the fix may be elsewhere) goes through the build.
        """
        folders = [d / "static" for d in template_dirs(config)] + [config.static_dir]
        folders = [folder.resolve() for folder in folders]
        if not because or self.preview.hub.state().errors:
            return None
        if not all(p.is_file() and any(p.is_relative_to(f) for f in folders) for p in because):
            return None
        urls = {source.resolve(): url for url, source in sources.static_files(config).items()}
        if not all(path.resolve() in urls for path in because):
            return None  # shadowed by a file of the same name that wins, or a hidden one
        copied = 0
        for path in dict.fromkeys(p.resolve() for p in because):
            target = output_path(self.preview.root, urls[path])
            data = path.read_bytes()
            if read_stamped(target) is not None and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.copying")
            temporary.write_bytes(data)
            os.replace(temporary, target)  # atomic: a tab never reads half a stylesheet
            copied += 1
        return copied

    def _failed(self, clock: str, errors: list[str]) -> None:
        self.preview.hub.failed(tuple(errors))
        count = len(errors)
        print(
            f"{clock} Build failed with {count} error{'s' * (count != 1)}; serving the last good build",
            file=self.err,
        )
        for line in errors:
            print(f"  {line}", file=self.err)
        self.err.flush()

    def _unreadable(self, error: OSError | SourceUnreadable) -> str:
        where = f"{self._relative(Path(os.fsdecode(error.filename)))}: " if error.filename else ""
        return f"{where}{error.strerror or error}"

    def _shown(self, error: ContentError) -> str:
        """``content/2024/a.md:3: ...``: paths relative to the site, as the editor names them."""
        return str(ContentError(self._relative(error.path), error.line, error.message))

    def _relative(self, path: Path) -> Path:
        if path.is_absolute() and path.resolve().is_relative_to(self.site_dir):
            return path.resolve().relative_to(self.site_dir)
        return path

    def _cause(self, because: list[Path]) -> str:
        unique = list(dict.fromkeys(because))
        if not unique:
            return ""
        more = f" and {len(unique) - 1} more" if len(unique) > 1 else ""
        return f" ({self._relative(unique[0])}{more})"


def debounce(changes: Changes, stop: threading.Event, rebuild: Callable[[list[Path]], None]) -> None:
    """Turn bursts of events into one rebuild each, until ``stop`` is set."""
    while not stop.is_set():
        if not changes.pending.wait(0.2):
            continue
        burst_started = time.monotonic()
        while True:
            changes.pending.clear()
            if stop.wait(DEBOUNCE):
                return
            if not changes.pending.is_set() or time.monotonic() - burst_started > DEBOUNCE_LIMIT:
                break
        paths = changes.take()
        if not paths:
            continue
        try:
            rebuild(paths)
        except Exception as error:  # keep watching: the next save may well succeed
            print(f"dateline serve: rebuild failed: {error!r}", file=sys.stderr, flush=True)


# --- The command ------------------------------------------------------------------------


def serve(
    site_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    base_url: str | None = None,
    drafts: bool = False,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Serve the site with live reload until Ctrl-C or SIGTERM; returns the exit status."""
    site_dir = site_dir.resolve()
    stop = threading.Event()
    previous = _on_sigterm(stop)  # first, so a SIGTERM at any point stops cleanly
    try:
        _serve(site_dir, host, port, base_url, drafts, stop, out, err)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("Stopped", file=out, flush=True)
    return 0


def _serve(
    site_dir: Path,
    host: str,
    port: int,
    base_url: str | None,
    drafts: bool,
    stop: threading.Event,
    out: TextIO,
    err: TextIO,
) -> None:
    serve_dir = Config(site_dir).cache_dir / "serve"
    serve_dir.mkdir(parents=True, exist_ok=True)
    if not is_loopback(host):
        print(
            f"warning: serving on {host} makes the preview reachable from other machines; "
            "the default 127.0.0.1 keeps it on this one",
            file=err,
            flush=True,
        )
    server = listen(host, port, err)
    bound_port = server.server_address[1]
    shown_host = f"[{host.strip('[]')}]" if ":" in host else host

    def load() -> Config:
        config = load_config(site_dir, drafts=drafts or None, base_url=base_url, output_dir=serve_dir)
        # Absolute links (canonical, feeds) point at the preview, under the site's own path.
        return replace(config, base_url=f"http://{shown_host}:{bound_port}{config.base_path}")

    hub = Hub()
    preview = Preview(serve_dir, "/", host, hub)  # the first build sets the site's base path
    server.preview = preview
    defaults = Config(site_dir)  # which folders to watch does not depend on site.toml
    changes = Changes(site_dir, watched_roots(defaults), lambda root: None)
    observer = watch(defaults, changes, err)  # before the first build, so no save is missed
    changes.on_new_root = lambda root: _add_root(observer, changes, root)
    rebuilder = Rebuilder(site_dir, load, preview, out, err, changes.pending)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    try:  # Ctrl-C at any point from here on stops cleanly, even during the first build
        rebuilder.rebuild([])
        serving.start()
        url = f"http://{shown_host}:{bound_port}{preview.base_path}"
        print(f"Serving {url} (Ctrl-C to stop)", file=out, flush=True)
        # Rebuilds run here, in the main thread, so Ctrl-C or SIGTERM interrupts one in
        # progress and its worker processes are ended with it; a build left running in
        # another thread would hold the process open at exit.
        debounce(changes, stop, rebuilder.rebuild)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        hub.close()
        if serving.is_alive():
            server.shutdown()  # waits for serve_forever, which must be running
        server.server_close()
        observer.stop()
        observer.join(timeout=1)


def _on_sigterm(stop: threading.Event) -> Any:
    """SIGTERM stops like Ctrl-C: it interrupts the main thread even mid-build (a first build
    of a large archive takes minutes), once; a second signal while stopping is ignored."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def terminate(*_: object) -> None:
        if not stop.is_set():
            stop.set()
            raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, terminate)


def _add_root(observer: BaseObserver, changes: Changes, root: Path) -> None:
    """Watch ``root`` afresh after it was made, deleted or moved.

    A deleted folder leaves a stopped watch behind, and watchdog hands that same dead watch
    back when the folder is made again, so saves in the new folder would go unseen.
    """
    for watch in [emitter.watch for emitter in observer.emitters]:
        if Path(watch.path) == root:
            with contextlib.suppress(KeyError):
                observer.unschedule(watch)
    # It may have vanished again, or inotify may be full; a later save still rebuilds.
    with contextlib.suppress(OSError):
        observer.schedule(changes, str(root), recursive=True)
