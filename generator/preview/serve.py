"""``dateline serve``: build the site, serve it on loopback, rebuild and reload on every save.

Four parts, each on its own thread, each in its own module of ``generator/preview/``:

- the HTTP server (``server.py``, stdlib ``ThreadingHTTPServer``) serves the last good
  build from ``.dateline-cache/serve/`` under the base URL's path, never ``output/``;
- the watcher (``watch.py``, watchdog) reacts to writes, creations, moves and deletions in
  ``content/``, ``templates/``, ``static/`` and ``site.toml`` only: reading a file emits
  opened/closed events, and reacting to those rebuilds forever (watchdog #949);
- the rebuilder (``rebuild.py``) gets a burst of events (editors save through a temporary
  file and a rename) as one, debounced by the watcher, builds once, then checks which pages
  open tabs show have changed (``tracker.py``);
- each open page holds a Server-Sent Events stream, added to served HTML only, that swaps
  stylesheets, reloads changed pages and shows build errors over the page; the hub
  (``hub.py``) tells every stream about each build.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from generator.config import Config, load_config
from generator.errors import DatelineError
from generator.preview.hub import Hub
from generator.preview.rebuild import Rebuilder
from generator.preview.server import Preview, is_loopback, listen
from generator.preview.watch import Changes, add_root, debounce, watch, watched_roots


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
    preview = Preview(serve_dir, "/", host, hub)
    server.preview = preview
    defaults = Config(site_dir)  # which folders to watch does not depend on site.toml
    changes = Changes(site_dir, watched_roots(defaults), lambda root: None)
    observer = watch(defaults, changes, err)  # before the first build, so no save is missed
    changes.on_new_root = lambda root: add_root(observer, changes, root)
    rebuilder = Rebuilder(site_dir, load, preview, out, err, changes.pending)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    try:  # Ctrl-C at any point from here on stops cleanly, even during the first build
        preview.base_path = _base_path(load)
        # Serving from the start: the first build of a large archive takes a while, and the
        # pages asked for meanwhile are rendered first (waiting.py).
        serving.start()
        url = f"http://{shown_host}:{bound_port}{preview.base_path}"
        print(f"Serving {url} (Ctrl-C to stop)", file=out, flush=True)
        rebuilder.rebuild([])
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


def _base_path(load: Callable[[], Config]) -> str:
    """The site's URL path; "/" while site.toml has an error, which the first build reports."""
    try:
        return load().base_path
    except DatelineError:
        return "/"


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
