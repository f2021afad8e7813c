#!/usr/bin/env python3
"""Measure what search costs: the time the Pagefind index adds to a build, the index's size,
and what one query downloads.

    .venv/bin/python benchmarks/search_index.py [N] [--keep DIR]

Generates N articles (default 10,000) with benchmarks/gen_corpus.py, builds them cold with
search on, and prints the figures. CPU times are printed beside wall times because on a
shared machine the wall clock says more about the neighbours than about Dateline.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.config import load_config
from generator.engine.build import build
from generator.site import search

HERE = Path(__file__).parent
GEN_CORPUS = HERE.resolve() / "gen_corpus.py"


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def size_of(paths: list[Path]) -> int:
    return sum(path.stat().st_size for path in paths)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def kilobytes(size: int) -> str:
    return f"{size / 1000:.0f} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--keep", type=Path, help="work here and keep the corpus and output")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="dateline-search-bench-"))
    site, output = work / "site", work / "output"
    try:
        if not (site / "content").is_dir():
            subprocess.run([sys.executable, GEN_CORPUS, site / "content", str(args.n)], check=True)
            (site / "site.toml").write_text('title = "Benchmark"\nbase_url = "https://example.org/"\n')
        shutil.rmtree(output, ignore_errors=True)

        indexing: dict[str, float] = {}
        index = search.index

        def timed_index(*args, **kwargs):  # the build calls search.index once; time just that
            started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
            try:
                return index(*args, **kwargs)
            finally:
                indexing["wall"] = time.perf_counter() - started
                indexing["pagefind_cpu"] = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu

        search.index = timed_index
        started = time.perf_counter()
        cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
        report = build(load_config(site, output_dir=output, search=True))
        total = time.perf_counter() - started
        total_cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu

        bundle = output / "pagefind"
        files = [p for p in bundle.rglob("*") if p.is_file()]
        chunks = sorted(bundle.glob("index/*.pf_index"))
        fragments = sorted(bundle.glob("fragment/*.pf_fragment"))
        filters = sorted(bundle.glob("filter/*.pf_filter"))
        runtime = [bundle / "pagefind.js", bundle / "wasm.en.pagefind", *bundle.glob("pagefind.*.pf_meta")]
        print(f"articles:                      {report.articles}")
        print(f"build with search:             {total:.1f} s wall, {total_cpu:.1f} s CPU")
        print(
            f"  of which the search index:   {indexing['wall']:.1f} s wall, "
            f"{indexing['pagefind_cpu']:.1f} s CPU in Pagefind"
        )
        print(f"index bundle:                  {megabytes(size_of(files))} in {len(files)} files")
        print(f"  word index chunks:           {megabytes(size_of(chunks))} in {len(chunks)} files,")
        print(f"                               largest {kilobytes(max(p.stat().st_size for p in chunks))}")
        print(f"  result fragments:            {megabytes(size_of(fragments))} in {len(fragments)} files")
        print(f"  filters (tag, region, year): {kilobytes(size_of(filters))} in {len(filters)} files")
        # A query fetches the runtime, the chunk holding its word, the filters and the fragments
        # of the results on screen (ten at a time): never the whole index.
        first_query = size_of(runtime) + max(p.stat().st_size for p in chunks) + size_of(filters)
        first_query += 10 * size_of(fragments) // max(1, len(fragments))
        print(f"one-word query downloads:      at most about {kilobytes(first_query)}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
