#!/usr/bin/env python3
"""Dateline on a generated multilingual archive: build times, pages, output size and memory.

    make bench-multilingual                      # 10,000 articles in 17 languages, no search
    .venv/bin/python benchmarks/multilingual.py --articles 10000 --languages 17 [--search] [--repeat 3]

The archive is ``benchmarks/gen_corpus.py --languages`` (English the default at the root, the
others under ``/de/``..., about a third of the English articles translated into 1-4 other
languages, the translations on top of the articles), with a ``site.toml`` that names no
languages: Dateline finds them in the content's folders. It is built as a user builds it,
``dateline build`` in a subprocess, by this checkout's Dateline copied at the start as a wheel
installs it (Dateline's caches are keyed by its source, so an edit to the working tree during
the run would turn the next incremental build into one from scratch): cold (no output, no
caches), with no change, after a sentence of one translation's body is changed, and after a
translation is added.
Each figure is the median of ``--repeat`` runs; CPU time (user + system, every process of the
build) is printed beside the wall time, which on a shared machine says as much about the
neighbours as about Dateline; peak memory is the largest resident set of any one process of
the build (as ``/usr/bin/time -v`` reports it). "Written" is how many files a build wrote.

The figures mean nothing if the site is wrong, so the run also checks it, outside the timings,
and stops at the first failure: three languages' home pages (the default, a right-to-left and
a CJK one when there are) list only articles of their own language, the newest of them; the
article translated into the most languages links each translation with ``<link
rel="alternate" hreflang>``, and each translation links back the same; after the edit, the
edited translation's page shows the new sentence; after a translation is added, the story's
every page links it. The archive is left as generated.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from gen_corpus import LANGUAGES  # beside this script

ROOT = Path(__file__).resolve().parent.parent
GEN_CORPUS = ROOT / "benchmarks" / "gen_corpus.py"
BASE_URL = "https://example.org"
ARTICLE_LINK = re.compile(r'<a href="(/(?:[^"/]+/)?\d{4}/\d{2}/\d{2}/[^"/]+/)">(.*?)</a>', re.S)
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
#: The home page's listing of the newest articles (other panels, "On this day", link older ones).
LISTING = re.compile(r'<section class="articles".*?</section>', re.S)
BUILT = re.compile(r"Built (\d+) articles, (\d+) pages \((\d+) written")


class CheckFailed(Exception):
    pass


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)
    written: list[int] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(self, name))


@dataclass(frozen=True)
class Build:
    seconds: float
    cpu: float
    peak_kb: int
    articles: int
    pages: int
    written: int


def installed(work: Path) -> Path:
    """This checkout's Dateline, laid out as its wheel installs it (the theme inside the
    package), byte-compiled as pip does. Its caches are keyed by its source, so the build
    after any edit to the working tree would start from scratch: the copy stays as it was."""
    target = work / "dateline"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "generator", target / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", target / "generator" / "theme")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target / "generator")], check=True)
    found = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=target,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(found).is_relative_to(target):
        sys.exit(f"builds would run {found}, not the copy in {target}")
    return target


def dateline_command(site: Path, search: bool, jobs: int | None) -> list[str]:
    """``dateline build``: the console script runs ``generator.cli``, as ``-m generator`` does."""
    command = [sys.executable, "-m", "generator", "build", "--site", str(site)]
    if not search:
        command.append("--no-search")
    if jobs:
        command += ["--jobs", str(jobs)]
    return command


def build(command: list[str], dateline: Path) -> Build:
    """Wall and CPU seconds, peak RSS (KB) and Dateline's own count of one build, run in the
    folder of ``dateline`` (the copy): ``-m`` imports from the current folder first."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=dateline)
    assert process.stdout is not None
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output}")
    found = BUILT.search(output)
    if not found:
        sys.exit(f"no 'Built ... pages' in the output of {' '.join(command)}:\n{output}")
    articles, pages, written = map(int, found.groups())
    return Build(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, articles, pages, written)


@dataclass(frozen=True)
class Archive:
    """The generated site: its languages, the default first, and each one's articles."""

    site: Path
    codes: tuple[str, ...]

    @property
    def content(self) -> Path:
        return self.site / "content"

    @property
    def output(self) -> Path:
        return self.site / "output"

    def files(self, code: str) -> list[Path]:
        if code != self.codes[0]:
            return sorted((self.content / code).rglob("*.md"))
        return sorted(path for path in self.content.glob("*/*.md") if path.parent.name.isdigit())

    def translations(self, story: Path) -> list[str]:
        """The languages a default-language article is translated into, in site order."""
        relative = story.relative_to(self.content)
        return [code for code in self.codes[1:] if (self.content / code / relative).is_file()]

    def page(self, url: str) -> Path:
        path = unquote(url.removeprefix(BASE_URL))
        return self.output / path.lstrip("/") / "index.html"

    def root(self, code: str) -> str:
        return "/" if code == self.codes[0] else f"/{code}/"


def generate(work: Path, articles: int, languages: int) -> Archive:
    site = work / f"multilingual-{articles}-{languages}"
    if not (site / "content").is_dir():
        print(f"generating {articles:,} articles in {languages} languages...", flush=True)
        scratch = site / "content.partial"  # a run stopped halfway leaves no half archive
        shutil.rmtree(scratch, ignore_errors=True)
        command = [
            sys.executable,
            str(GEN_CORPUS),
            str(scratch),
            str(articles),
            "--languages",
            str(languages),
        ]
        subprocess.run(command, check=True)
        scratch.rename(site / "content")
    (site / "site.toml").write_text(f'title = "News Archive"\nbase_url = "{BASE_URL}/"\n')
    return Archive(site, tuple(LANGUAGES)[:languages])


def front_matter(path: Path) -> dict[str, str]:
    """A generated article's front matter: one ``key: value`` a line, values in JSON or bare."""
    head = path.read_text(encoding="utf-8").split("---\n")[1]
    return dict(line.split(": ", 1) for line in head.splitlines())


def title_and_date(path: Path) -> tuple[str, datetime]:
    fields = front_matter(path)
    return json.loads(fields["title"]), datetime.fromisoformat(fields["date"])


def check_home(archive: Archive, code: str) -> str:
    """The language's home page links only its own articles, and lists the newest of them."""
    home = archive.output / archive.root(code).lstrip("/") / "index.html"
    text = home.read_text(encoding="utf-8")
    listing = LISTING.search(text)
    listed = ARTICLE_LINK.findall(listing[0]) if listing else []
    if not listed:
        raise CheckFailed(f'{home} has no listing of articles (<section class="articles">)')
    linked = ARTICLE_LINK.findall(text)
    for url, _ in linked:
        if not url.startswith(archive.root(code)) or any(
            url.startswith(archive.root(other)) for other in archive.codes[1:] if other != code
        ):
            raise CheckFailed(f"{home} lists {url}, not an article of {code}")
        page = archive.page(url)
        if f'<html lang="{code}"' not in page.read_text(encoding="utf-8"):
            raise CheckFailed(f"{home} lists {url}, whose page is not in {code}")
    titles = {html.unescape(re.sub(r"<[^>]+>", "", title)).strip() for _, title in listed} - {""}
    count = len({url for url, _ in listed})
    written = sorted((title_and_date(path) for path in archive.files(code)), key=lambda pair: pair[1])
    newest = {title for title, _ in written[-count:]}
    if titles != newest:
        raise CheckFailed(f"{home} lists {sorted(titles - newest)}, not among the newest of {code}")
    return (
        f"{code}: the newest {count} of its {len(written)} articles listed, {len(linked)} links all in {code}"
    )


def alternates(page: Path) -> dict[str, str]:
    return dict(HREFLANG.findall(page.read_text(encoding="utf-8")))


def article_page(archive: Archive, story: Path) -> Path:
    """The output page of a default-language article (its slug is unique in the archive)."""
    slug = json.loads(front_matter(story)["slug"])
    found = list(archive.output.glob(f"[0-9]*/*/*/{slug}/index.html"))
    if len(found) != 1:
        raise CheckFailed(f"{story}: {len(found)} pages at */*/*/{slug}/ in {archive.output}")
    return found[0]


def check_translations(archive: Archive, story: Path) -> dict[str, str]:
    """The story's page links each of its translations by hreflang (and x-default to itself),
    and each translation's page links the very same set. Returns language -> URL."""
    page = article_page(archive, story)
    links = alternates(page)
    expected = {archive.codes[0], *archive.translations(story), "x-default"}
    if set(links) != expected:
        raise CheckFailed(f"{page} has hreflang {sorted(links)}, not {sorted(expected)}")
    if links["x-default"] != links[archive.codes[0]]:
        raise CheckFailed(f"{page}: x-default {links['x-default']} is not the default language's page")
    for code, url in links.items():
        translation = archive.page(url)
        if not translation.is_file():
            raise CheckFailed(f"{page} links {url} ({code}), which was not built")
        if code != "x-default" and f'<html lang="{code}"' not in translation.read_text(encoding="utf-8"):
            raise CheckFailed(f"{page} links {url} as {code}; the page is not in {code}")
        if alternates(translation) != links:
            raise CheckFailed(f"{translation} links {alternates(translation)}, its original {links}")
    return links


def check_shown(page: Path, sentence: str) -> str:
    if sentence not in page.read_text(encoding="utf-8"):
        raise CheckFailed(f"{page} does not show {sentence!r}")
    return f"{sentence!r} shown"


def most_translated(archive: Archive, untranslated: int) -> Path:
    """The first story with the most translations that still lacks ``untranslated`` languages."""
    most = len(archive.codes) - 1 - untranslated
    counts = {story: len(archive.translations(story)) for story in archive.files(archive.codes[0])}
    found = max((story for story, count in counts.items() if count <= most), key=counts.get, default=None)
    if found is None or not counts[found]:
        sys.exit(f"no translated story lacks {untranslated} of the {len(archive.codes)} languages")
    return found


def changed_sentence(text: str, number: int) -> str:
    """``text`` (an article file) with the first sentence of its body replaced."""
    head, body = text.split("\n---\n\n", 1)
    first = body.index(". ") + 1
    return f"{head}\n---\n\nA sentence changed in edit {number}.{body[first:]}"


def translated(original: Path, code: str) -> str:
    """A translation of ``original`` (a default-language article) into ``code``, as
    gen_corpus.py writes them: title and summary headed by the language's word for it."""
    word = LANGUAGES[code][1]
    head, body = original.read_text(encoding="utf-8").split("\n---\n\n", 1)
    lines = []
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        if key in ("title", "summary"):
            line = f"{key}: {json.dumps(f'{word}: {json.loads(value)}', ensure_ascii=False)}"
        if key != "slug":
            lines.append(line)
    return "\n".join(lines) + "\n---\n\n" + body


def bench(
    archive: Archive, command: list[str], dateline: Path, repeat: int
) -> tuple[dict[str, Runs], Build, list[str]]:
    results: dict[str, Runs] = {}
    checks: list[str] = []
    story = most_translated(archive, untranslated=repeat)  # a translation is added in each run
    relative = story.relative_to(archive.content)
    edited = archive.content / archive.translations(story)[0] / relative
    missing = [code for code in archive.codes[1:] if code not in archive.translations(story)]
    original_edited = edited.read_text(encoding="utf-8")
    added: list[Path] = []

    def run(stage: str, number: int) -> Build:
        result = build(command, dateline)
        runs = results.setdefault(stage, Runs())
        runs.seconds.append(result.seconds)
        runs.cpu.append(result.cpu)
        runs.peak_kb.append(result.peak_kb)
        runs.written.append(result.written)
        print(
            f"  {stage:<22} {result.seconds:8.2f} s {result.cpu:8.2f} s CPU {result.peak_kb / 1024:6.0f} MB"
            f" {result.written:>8,} written",
            flush=True,
        )
        return result

    def check(what: str, step: Callable[[], str]) -> None:
        started = time.perf_counter()
        found = step()
        checks.append(f"{what}: {found} ({time.perf_counter() - started:.1f} s)")
        print(f"    checked {checks[-1]}", flush=True)

    homes = [archive.codes[0]]
    homes += [code for code in ("ar", "fa", "he", "ur") if code in archive.codes][:1]
    homes += [code for code in ("ja", "zh", "ko") if code in archive.codes][:1]
    homes += [code for code in archive.codes if code not in homes][: 3 - len(homes)]
    try:
        for number in range(repeat):
            for folder in ("output", ".dateline-cache"):
                shutil.rmtree(archive.site / folder, ignore_errors=True)
            cold = run("cold build", number)
        for code in homes:
            check("home page", lambda code=code: check_home(archive, code))
        check(
            f"hreflang of {relative}",
            lambda: ", ".join(sorted(check_translations(archive, story))),
        )
        time.sleep(2.1)  # let the newest file age past Dateline's racy-timestamp window
        for number in range(repeat):
            run("no change", number)
        for number in range(repeat):
            edited.write_text(changed_sentence(edited.read_text(encoding="utf-8"), number), encoding="utf-8")
            run("one-translation edit", number)
        page = archive.page(check_translations(archive, story)[archive.translations(story)[0]])
        sentence = f"A sentence changed in edit {repeat - 1}."
        check(f"edit of {edited.relative_to(archive.content)}", lambda: check_shown(page, sentence))
        for number in range(repeat):
            path = archive.content / missing[number] / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(translated(story, missing[number]), encoding="utf-8")
            added.append(path)
            run("translation added", number)
        check(
            f"hreflang after adding {', '.join(missing[:repeat])}",
            lambda: ", ".join(sorted(check_translations(archive, story))),
        )
    finally:  # the archive is kept between runs: leave it as generated
        edited.write_text(original_edited, encoding="utf-8")
        for path in added:
            path.unlink(missing_ok=True)
            for folder in path.parents[: len(relative.parts)]:  # the year and language folders
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
    return results, cold, checks


def disk_usage(folder: Path) -> tuple[int, int]:
    """Bytes of the files under ``folder``, and bytes they take on disk (as du counts)."""
    files = [path.stat() for path in folder.rglob("*") if path.is_file()]
    return sum(each.st_size for each in files), sum(each.st_blocks * 512 for each in files)


def table(archive: Archive, results: dict[str, Runs], cold: Build, stories: int, repeat: int) -> str:
    articles, pages = cold.articles, cold.pages
    size, on_disk = disk_usage(archive.output)
    rows = [
        f"\n{stories:,} stories in {len(archive.codes)} languages: {articles:,} articles"
        f" ({articles - stories:,} translations), {pages:,} pages",
        f"{'':<22}{'wall':>10}{'CPU':>10}{'peak memory':>13}{'written':>10}",
    ]
    for stage, runs in results.items():
        rows.append(
            f"{stage:<22}{runs.median('seconds'):9.2f}s{runs.median('cpu'):9.2f}s"
            f"{runs.median('peak_kb') / 1024:11.0f}MB{int(runs.median('written')):>10,}"
        )
    rows.append(
        f"output: {size / 1e6:,.0f} MB ({on_disk / 1e6:,.0f} MB on disk), "
        f"{size / 1024 / articles:.1f} KB per article ({on_disk / 1024 / articles:.1f} KB on disk)"
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    rows.append(f"{os.cpu_count()} cores; load average at the end: {load}; median of {repeat} runs")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000, help="articles, translations not counted")
    parser.add_argument("--languages", type=int, default=17, help=f"2-{len(LANGUAGES)}")
    parser.add_argument("--search", action="store_true", help="build the search index too")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--jobs", type=int, help="Dateline's --jobs (default: all cores)")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".work", help="archives go here")
    args = parser.parse_args()
    if not 2 <= args.languages <= len(LANGUAGES):
        parser.error(f"--languages must be 2-{len(LANGUAGES)}")
    args.work.mkdir(parents=True, exist_ok=True)
    dateline = installed(args.work)
    archive = generate(args.work, args.articles, args.languages)
    search = "with search" if args.search else "no search"
    print(f"{archive.site} ({search}; load average {os.getloadavg()[0]:.2f})", flush=True)
    command = dateline_command(archive.site, args.search, args.jobs)
    try:
        results, cold, checks = bench(archive, command, dateline, args.repeat)
    except CheckFailed as failure:
        sys.exit(f"check failed: {failure}")
    print("\nchecked:\n  " + "\n  ".join(checks))
    print(table(archive, results, cold, args.articles, args.repeat))


if __name__ == "__main__":
    main()
