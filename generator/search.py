"""Full-text search from static files: a Pagefind index built into the output, and /search/.

Pagefind splits its index into small chunks fetched on demand, so a search on a 100,000-article
archive downloads a few hundred kilobytes, not the whole index. Article pages mark what to
index with ``data-pagefind-body`` and carry their filters (tag, region, year) as
``data-pagefind-filter`` meta tags (``templates/_head.html``).

The index is built from the staged build, before anything reaches the output folder: the
article pages are linked into a scratch folder, Pagefind writes its bundle beside them, and the
bundle joins the staging area like any other file. A failing index leaves the output untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from generator.content import Article
from generator.errors import DatelineError
from generator.output import Staging
from generator.pages import Page
from generator.slugs import output_path
from generator.taxonomy import Site

BUNDLE_URL = "/pagefind/"
SEARCH_URL = "/search/"
REGION_SEPARATOR = " › "


def plan(site: Site) -> list[Page]:
    """The search page, when search is on."""
    if not site.config.search:
        return []
    return [Page(SEARCH_URL, "search.html", "search", "Search")]


def filters(article: Article, site: Site) -> dict[str, list[str]]:
    """The values an article is found under: its tags, its regions with every parent region
    (a search filtered to Iraq finds Anbar too, as the region pages do), and its year."""
    regions: dict[str, None] = {}  # ordered set
    for region in site.regions_of(article):
        names = [step.name for step in site.breadcrumbs(region)]
        for depth in range(1, len(names) + 1):
            regions[REGION_SEPARATOR.join(names[:depth])] = None
    found = {
        "tag": [tag.name for tag in site.tags_of(article)],
        "region": list(regions),
        "year": [str(article.day.year)],
    }
    return {name: values for name, values in found.items() if values}


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind[bin]`` package (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        executable = None
    else:
        executable = get_executable()
    if executable is None or not Path(executable).is_file():
        raise DatelineError(
            "search needs the Pagefind binary: install it with pip install 'pagefind[bin]', "
            "or turn search off with search = false in site.toml"
        )
    return Path(executable)


def index(staging: Staging, urls: Iterable[str]) -> int:
    """Index the pages at ``urls`` as staged (or as already in the output when unchanged)
    and stage the Pagefind bundle under /pagefind/; returns the number of bundle files."""
    executable = pagefind_executable()
    scratch = staging.out_dir.parent / f".{staging.out_dir.name}.search"
    if scratch.exists():
        shutil.rmtree(scratch)  # left by a build that was killed
    try:
        site_dir, bundle_dir = scratch / "site", scratch / "bundle"
        for url in urls:
            _link(_current_file(staging, url), output_path(site_dir, url))
        site_dir.mkdir(parents=True, exist_ok=True)  # an archive with no articles yet
        result = subprocess.run(
            [executable, "--site", site_dir, "--output-path", bundle_dir, "--quiet"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            output = (result.stderr.strip() or result.stdout.strip()).splitlines()[-5:]
            detail = " / ".join(output) or f"{executable} exited with status {result.returncode}"
            raise DatelineError(f"building the search index failed: {detail}")
        files = sorted(path for path in bundle_dir.rglob("*") if path.is_file())
        for path in files:
            staging.add_file(BUNDLE_URL + path.relative_to(bundle_dir).as_posix(), path)
        return len(files)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _current_file(staging: Staging, url: str) -> Path:
    """Where this build's bytes for ``url`` are: staged when changed, else in the output."""
    target = output_path(staging.out_dir, url)
    staged = staging.dir / target.relative_to(staging.out_dir)
    return staged if staged.exists() else target


def _link(source: Path, destination: Path) -> None:
    """Hard-link when the file system allows (no copying 100,000 pages), else copy."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copyfile(source, destination)
