#!/usr/bin/env python3
"""Edit-to-screen latency of ``dateline serve``, measured in headless Chromium.

    .venv/bin/python benchmarks/serve_latency.py [--sizes 1000 10000] [--edits 7]

For each archive size: generate a synthetic archive (``benchmarks/gen_corpus.py``,
or ``--corpus``), start ``dateline serve`` on it, open one article in Chromium, then save that
article ``--edits`` times, each with a new sentence, and time from just before the save
until the sentence is on the page (``wait_for_function`` polling every animation frame).
A stylesheet edit is timed the same way, until the computed style changes.

Reported per size: median / min / max latency, the median rebuild time the server printed,
and the rest (debounce, change detection, event stream, reload) as "serve overhead"; the
time the preview then takes to bring the search index up to date (the next save waits for
it, as an editor reading the page would); and for
the cold start (no cache, no earlier build), the time until the server first answers the
article's URL, until it answers with the article itself, and until the first build lands.
Goals: median <= 300 ms at 1,000 articles, <= 600 ms at 10,000; the article within 3 s.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
GEN_CORPUS = REPO / "benchmarks" / "gen_corpus.py"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
GOALS = {1000: 0.3, 10000: 0.6}


class Server:
    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", "0"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"^Serving (http://\S+)", timeout=3600)[1]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 600) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if match := re.search(pattern, line):
                return match
        raise SystemExit(f"server never printed {pattern!r}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def save(path: Path, text: str) -> None:
    """Save as editors do: a temporary file renamed over the article."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def article_url(source: Path) -> str:
    text = source.read_text(encoding="utf-8")
    date = re.search(r"^date: *['\"]?(\d{4})-(\d{2})-(\d{2})", text, re.M)
    slug = re.search(r"^slug: *['\"]?([^'\"\n]+)", text, re.M)
    if date and slug:
        return f"/{date[1]}/{date[2]}/{date[3]}/{slug[1].strip()}/"
    raise SystemExit(f"cannot tell the URL of {source}")


def first_answers(url: str, started: float) -> tuple[float, float]:
    """Seconds from ``started`` until ``url`` is first answered at all, and with its page."""
    answered = None
    while True:
        try:
            with urllib.request.urlopen(url, timeout=600) as reply:
                reply.read()
            now = time.perf_counter() - started
            return (answered if answered is not None else now), now
        except urllib.error.HTTPError as error:  # 503: the build's progress, asking again
            error.read()
            if answered is None:
                answered = time.perf_counter() - started
        time.sleep(0.05)


def measure(site: Path, edits: int) -> dict[str, object]:
    sources = sorted((site / "content").rglob("*.md"))
    source = sources[len(sources) // 2]
    url = article_url(source)
    started = time.perf_counter()
    server = Server(site)
    answered, article = first_answers(server.url.rstrip("/") + url, started)
    server.wait_for(r"^\d\d:\d\d:\d\d Built \d+ pages", timeout=3600)
    startup = time.perf_counter() - started
    latencies: list[float] = []
    builds: list[float] = []
    indexing: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(server.url.rstrip("/") + url)
            page.wait_for_function("() => document.querySelector('script[data-dateline]')")
            page.wait_for_timeout(300)  # let the event stream connect
            original = source.read_text(encoding="utf-8")
            for n in range(edits):
                sentence = f"Latency probe {n} {time.time_ns()}."
                before = time.perf_counter()
                save(source, original + f"\n{sentence}\n")
                page.wait_for_function(
                    f"() => document.body.innerText.includes({sentence!r})", polling="raf", timeout=600_000
                )
                latencies.append(time.perf_counter() - before)
                builds.append(float(server.wait_for(r"Built \d+ pages in ([\d.]+)s")[1]))
                # The search index follows each save once the page is shown: the editor's next
                # save comes after it, as it would after reading the page.
                indexing.append(float(server.wait_for(r"Search index updated in ([\d.]+)s")[1]))
                page.wait_for_timeout(200)
            save(source, original)
            server.wait_for(r"Built \d+ pages in ([\d.]+)s")
            css = site / "templates" / "static" / "style.css"
            css.parent.mkdir(parents=True, exist_ok=True)
            theme = (REPO / "templates" / "static" / "style.css").read_text(encoding="utf-8")
            save(css, theme)
            server.wait_for(r"(Built|Copied) ")
            page.wait_for_timeout(300)
            before = time.perf_counter()
            save(css, theme + "\nbody { background-color: rgb(1, 2, 3) !important; }\n")
            page.wait_for_function(
                "() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
                polling="raf",
                timeout=600_000,
            )
            css_latency = time.perf_counter() - before
            server.wait_for(r"(Built|Copied) ")
            css.unlink()
            browser.close()
    finally:
        server.stop()
    return {
        "startup": startup,
        "median": statistics.median(latencies),
        "min": min(latencies),
        "max": max(latencies),
        "build": statistics.median(builds),
        "css": css_latency,
        "indexing": statistics.median(indexing),
        "answered": answered,
        "article": article,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--corpus", type=Path, help="gen_corpus.py to use")
    args = parser.parse_args()
    generator = args.corpus or GEN_CORPUS
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"dateline-serve-{size}-") as folder:
            site = Path(folder)
            subprocess.run(
                [sys.executable, str(generator), str(site / "content"), str(size)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            (site / "site.toml").write_text('title = "Benchmark"\nbase_url = "http://example.com/"\n')
            result = measure(site, args.edits)
        goal = GOALS.get(size)
        verdict = (
            "" if goal is None else (" (goal met)" if result["median"] <= goal else f" (goal {goal:.1f}s)")
        )
        rows.append(
            f"{size:>6} articles: edit-to-screen median {result['median']:.3f}s{verdict}, "
            f"min {result['min']:.3f}s, max {result['max']:.3f}s; rebuild {result['build']:.3f}s, "
            f"serve overhead {result['median'] - result['build']:.3f}s; "
            f"search index current {result['indexing']:.2f}s later; "
            f"CSS swap {result['css']:.3f}s; cold start: first answer {result['answered']:.1f}s, "
            f"the article {result['article']:.1f}s, first build landed {result['startup']:.1f}s"
        )
        print(rows[-1], flush=True)
    print("\n".join(["", "dateline serve, edit-to-screen in headless Chromium:", *rows]))


if __name__ == "__main__":
    main()
