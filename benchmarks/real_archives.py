#!/usr/bin/env python3
"""How Dateline reads an archive written for another tool, with each Markdown engine.

    .venv/bin/python benchmarks/real_archives.py FOLDER [FOLDER ...]

Each FOLDER is an archive's folder of Markdown articles as the other tool keeps it (for
example a Hugo site's ``content/news``, a Jekyll site's ``_posts``). For each engine it
prints: articles read and files rejected (with the reasons, grouped), the share of articles
whose block structure (headings, paragraphs, lists and their nesting, code, quotes, tables)
matches cmark-gfm's rendering of the same body — the way the CommonMark engines these
archives were written for read it — Markdown time per article, and a cold ``dateline build``
of the folder. Third-party archives are measured here, never copied into the project.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options
from lxml import html

from generator.config import Config
from generator.content.markdown import markdown_renderer
from generator.content.parse import parse

ENGINES = ("python-markdown", "commonmark")
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "pre", "blockquote", "table", "hr"}
FRONT_MATTER = re.compile(r"\A\ufeff?\s*(---|\+\+\+)\s*\n.*?\n\1\s*\n", re.S)


def block_structure(fragment: str) -> list[tuple[int, str]]:
    """(depth, tag) of every block element, in document order."""
    if not fragment.strip():
        return []
    root = html.fragment_fromstring(fragment, create_parent="div")
    found = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            depth = sum(1 for parent in element.iterancestors() if parent.tag in BLOCKS)
            found.append((depth, element.tag))
    return found


def reference(body: str) -> str:
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    return cmarkgfm.markdown_to_html_with_extensions(
        body, options=options, extensions=["table", "strikethrough", "autolink", "tasklist"]
    )


def reason(message: str) -> str:
    """An error message without the parts that differ per file."""
    return re.sub(r"'[^']*'", "'…'", message.split(": ", 2)[-1])[:90]


def measure(folder: Path, engine: str) -> None:
    config = Config(folder.parent, markdown=engine)
    renderer = markdown_renderer(config)
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".markdown") and p.is_file())
    read, matched, seconds = 0, 0, []
    reasons: Counter[str] = Counter()
    for path in files:
        data = path.read_bytes()
        started = time.perf_counter()
        article, errors, _ = parse(data, path, config, renderer)
        seconds.append(time.perf_counter() - started)
        if article is None:
            reasons.update({reason(str(error)) for error in errors})
            continue
        read += 1
        text = data.decode("utf-8", "replace")
        body = FRONT_MATTER.sub("", text, count=1)
        matched += block_structure(article.body_html) == block_structure(reference(body))
    print(f"  {engine}: {read} of {len(files)} files read as articles; block structure as cmark-gfm's: "
          f"{matched}/{read} ({100 * matched / max(read, 1):.1f} %); parse+render median "
          f"{1000 * statistics.median(seconds):.2f} ms, max {1000 * max(seconds):.1f} ms per file")  # fmt: skip
    for message, count in reasons.most_common(6):
        print(f"      rejected {count:>4}: {message}")
    print(f"    cold build: {cold_build(folder, engine)}")


def cold_build(folder: Path, engine: str) -> str:
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp)
        shutil.copytree(folder, site / "content")
        (site / "site.toml").write_text(f'title = "Archive"\nmarkdown = "{engine}"\nsearch = false\n')
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--site", str(site), "--no-cache"],
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - started
        last = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
        errors = sum(1 for line in done.stderr.splitlines() if re.match(r"\S+:\d+: ", line))
        return f"{took:.2f} s, exit {done.returncode}, {errors} error lines; {last[:100]}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args()
    for folder in args.folders:
        print(folder)
        for engine in ENGINES:
            measure(folder.resolve(), engine)


if __name__ == "__main__":
    main()
