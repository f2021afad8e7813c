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

import contextlib
import gzip
import hashlib
import html
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator.config import Config
from generator.content.model import Article
from generator.engine import cache
from generator.engine.output import Staging
from generator.errors import DatelineError
from generator.site.pages import Kind, Page
from generator.site.taxonomy import Site
from generator.urls import output_path, relative_path

BUNDLE_URL = "/pagefind/"
SEARCH_URL = "/search/"
REGION_SEPARATOR = " › "


def plan(site: Site) -> list[Page]:
    """The search page, when search is on, with the bundle of each shard it merges."""
    title = site.words.gettext("Search")
    return [
        Page(
            site.config.at(SEARCH_URL),
            "search.html",
            Kind.SEARCH,
            title,
            MappingProxyType({"shards": shard_urls(site)}),
        )
    ]


def filters(article: Article, site: Site) -> dict[str, list[str]]:
    """The values an article is found under: its tags, its regions with every parent region
    (a search filtered to Iraq finds Anbar too, as the region pages do), and its year; each
    written as Pagefind must be handed it (``pagefind_filter_text``)."""
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
    return {name: [pagefind_filter_text(v) for v in values] for name, values in found.items() if values}


def pagefind_filter_text(name: str) -> str:
    """A filter value as a template writes it (autoescaped) for Pagefind to show ``name``.

    Pagefind's default interface inserts filter values as HTML (``{@html}`` in its
    filters.svelte, unlike titles and metadata, which it inserts as text), and Pagefind 1.5
    decodes the entities of a filter's text twice while indexing: once as HTML, then again as a
    filter value (Pagefind #459, #499). So a tag named ``<img src=x onerror=...>`` ran as
    script on /search/. The value is the name escaped twice: the template's escaping is undone
    by the HTML parser, the second by the filter decoding, and the third is what the interface
    reads as HTML. Should a later Pagefind decode once, names show their ``&lt;`` rather than
    turn into markup."""
    return html.escape(html.escape(name, quote=False), quote=False)


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


def bundle_files(outputs: Iterable[str], out_dir: Path) -> list[str]:
    """The search bundle among a build's output files (relative paths), if all still exist."""
    prefix = BUNDLE_URL.lstrip("/")
    files = [relative for relative in outputs if relative.startswith(prefix)]
    out = f"{out_dir}{os.sep}"  # strings, not Paths: a large archive's bundle has ten thousand files
    return files if all(os.path.isfile(out + relative) for relative in files) else []


#: The most search shards an archive is split into: each is one more index the browser loads.
MAX_SHARDS = 32


def shard_count(articles: int, per_shard: int) -> int:
    return max(1, min(MAX_SHARDS, -(-articles // max(1, per_shard))))


def shard_of(url: str, count: int) -> int:
    """An article's shard: fixed by its URL, so an edit re-indexes the one shard it is in."""
    return int.from_bytes(hashlib.blake2b(url.encode(), digest_size=8).digest(), "big") % count


def shards(urls: Iterable[str], per_shard: int, language: str = "") -> dict[str, list[str]]:
    """The article URLs of each shard that has any, by the URL of its bundle: the first
    shard's bundle is ``/pagefind/`` and holds Pagefind's interface, the others are
    ``/pagefind/shard-N/``. Of a multilingual site, each language other than the default
    has shards of its own, ``/pagefind/shard-de-N/`` (``language``: "de"), which its
    search page merges: Pagefind finds within the language of the page it runs on."""
    urls = list(urls)
    count = shard_count(len(urls), per_shard)
    members: dict[int, list[str]] = {}
    for url in urls:
        members.setdefault(shard_of(url, count), []).append(url)
    numbers = sorted(members)
    named = f"{language}-" if language else ""
    return {
        BUNDLE_URL if i == 0 and not language else f"{BUNDLE_URL}shard-{named}{number}/": members[number]
        for i, number in enumerate(numbers)
    }


def shard_language(config: Config) -> str:
    """The name a language's shards carry (see ``shards``): none for the default language."""
    return "" if config.site_files else config.language.lower()


def shard_urls(site: Site) -> tuple[str, ...]:
    """The bundle of each shard of the site's language, for the search page to merge."""
    config = site.config
    found = shards((a.url for a in site.articles), config.search_shard_articles, shard_language(config))
    return tuple(found) or (BUNDLE_URL,)


def index(
    staging: Staging,
    urls: Mapping[str, Sequence[str]],
    per_shard: int,
    changed_pages: set[str],
    previous: tuple[Sequence[str], Sequence[str]] | None,
    jobs: int,
    stop: threading.Event | None = None,
) -> tuple[str, ...]:
    """Index the article pages at ``urls`` (by ``shard_language``) into the bundle's shards and stage them; returns a
    digest of each shard's input for the next build to compare against.

    A large archive's index is split by article URL into shards of about ``per_shard``
    articles, merged by the search page: Pagefind indexes an archive in one go and holds all
    of it in memory (some 3.5 ms and 160 KB per article here), so an edit re-indexes only its
    shard. A shard is kept as it is in the output when its articles are the last build's
    (``previous``: its output files and shard digests), none of their pages changed
    (``changed_pages``, relative paths) and the Pagefind binary is the same. Setting ``stop``
    ends the indexing with DatelineError."""
    if not any(urls.values()):
        return ()  # Pagefind refuses an empty site; an archive without articles has nothing to find
    executable = pagefind_executable()
    stat = executable.stat()
    members = {
        bundle: shard
        for language, language_urls in urls.items()
        for bundle, shard in shards(language_urls, per_shard, language).items()
    }
    digests = tuple(
        cache.digest(str(executable), stat.st_size, stat.st_mtime_ns, bundle, shard)
        for bundle, shard in members.items()
    )
    old_files, old_digests = previous or ((), ())
    old_bundles = _bundles_of(old_files)
    todo = []
    for (bundle, shard), digest in zip(members.items(), digests, strict=True):
        files = old_bundles.get(bundle, [])
        if (
            digest in old_digests
            and files
            and not any(relative_path(url) in changed_pages for url in shard)
            and all(os.path.isfile(os.path.join(staging.out_dir, relative)) for relative in files)
        ):
            for relative in files:
                staging.keep("/" + relative)
        else:
            todo.append((bundle, shard))
    scratch = staging.out_dir.parent / f".{staging.out_dir.name}.search"
    if scratch.exists():
        shutil.rmtree(scratch)  # left by a build that was killed
    indexers = _Indexers()
    try:
        with _stopped_by(stop, indexers), ThreadPoolExecutor(max(1, min(jobs, len(todo)))) as pool:
            try:
                done = list(
                    pool.map(lambda job: _index_shard(indexers, executable, staging, scratch, *job), todo)
                )
            except BaseException:  # an interrupt (Ctrl-C, SIGTERM) must not wait for Pagefind
                pool.shutdown(wait=False, cancel_futures=True)
                indexers.stop()
                raise
        for bundle, bundle_dir in done:
            for path in sorted(path for path in bundle_dir.rglob("*") if path.is_file()):
                staging.add_file(bundle + path.relative_to(bundle_dir).as_posix(), path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return digests


def _bundles_of(outputs: Sequence[str]) -> dict[str, list[str]]:
    """The search bundle's output files (relative paths) by the URL of their shard's bundle."""
    first = BUNDLE_URL.lstrip("/")
    found: dict[str, list[str]] = {}
    for relative in outputs:
        if relative.startswith(first):
            folder, _, inner = relative[len(first) :].partition("/")
            bundle = f"{BUNDLE_URL}{folder}/" if inner and folder.startswith("shard-") else BUNDLE_URL
            found.setdefault(bundle, []).append(relative)
    return found


@contextlib.contextmanager
def _stopped_by(stop: threading.Event | None, indexers: _Indexers) -> Iterator[None]:
    """Stop ``indexers`` as soon as ``stop`` is set, until the block ends."""
    if stop is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if stop.is_set():
                indexers.stop()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


class _Indexers:
    """The Pagefind processes running for one build, so an interrupted build ends them
    instead of waiting seconds for them to finish."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: set[subprocess.Popen[str]] = set()
        self.stopped = False

    def run(self, command: list[str | Path]) -> tuple[int, str, str]:
        """Run ``command`` to its end (returncode, stdout, stderr), unless stopped."""
        with self.lock:
            if self.stopped:
                raise DatelineError("the build was interrupted")
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.running.add(process)
        try:
            stdout, stderr = process.communicate()
        finally:
            with self.lock:
                self.running.discard(process)
        return process.returncode, stdout, stderr

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for process in self.running:
                process.kill()


def _index_shard(
    indexers: _Indexers, executable: Path, staging: Staging, scratch: Path, bundle: str, urls: list[str]
) -> tuple[str, Path]:
    name = bundle.strip("/").replace("/", "-")
    site_dir, bundle_dir = scratch / name / "site", scratch / name / "bundle"
    for url in urls:
        _link(_current_file(staging, url), output_path(site_dir, url))
    returncode, stdout, stderr = indexers.run(
        [executable, "--site", site_dir, "--output-path", bundle_dir, "--quiet"]
    )
    if returncode != 0:
        output = (stderr.strip() or stdout.strip()).splitlines()[-5:]
        detail = " / ".join(output) or f"{executable} exited with status {returncode}"
        raise DatelineError(f"building the search index failed: {detail}")
    make_filters_deterministic(bundle_dir)
    return bundle, bundle_dir


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


# -- byte-identical rebuilds -------------------------------------------------------------------
#
# Pagefind 1.5 writes each filter's values, and the list of filters in its metadata file, in
# hash-map order, which differs from run to run; the file names are hashes of the contents, so
# every rebuild of an unchanged archive would rewrite them. We sort both and rename the files
# by their new contents. The files are gzipped CBOR after a "pagefind_dcd" signature; filter
# files hold [name, [[value, [page numbers]], ...]], the metadata file lists the filters as
# [[name, file hash], ...] in its fourth field, and pagefind-entry.json names the metadata file.

_SIGNATURE = b"pagefind_dcd"
_FILTERS_FIELD = 3


def make_filters_deterministic(bundle: Path) -> None:
    """Sort Pagefind's filter files and filter list so equal input gives equal bytes."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = meta[_FILTERS_FIELD]
        for pair in filters:
            name, old_hash = pair
            old_path = bundle / "filter" / f"{old_hash}.pf_filter"
            data = _read(old_path)
            data[1].sort(key=lambda value: value[0])
            pair[1] = _write(data, old_path, lambda digest, old=old_hash: f"{old.split('_')[0]}_{digest[:7]}")
        filters.sort(key=lambda pair: pair[0])
        old = language["hash"]
        new_meta = _write(meta, meta_path, lambda digest, old=old: f"{old.split('_')[0]}_{digest[:10]}")
        language["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise DatelineError(f"unexpected search index file {path.name}: is pagefind[bin] a 1.x release?")
    value, end = _cbor_decode(raw, len(_SIGNATURE))
    if end != len(raw):
        raise DatelineError(f"unexpected search index file {path.name}: trailing bytes")
    return value


def _write(value: Any, old_path: Path, name_for: Any) -> str:
    """Write ``value`` under a name made from its hash, in place of ``old_path``; the new hash."""
    raw = _SIGNATURE + _cbor_encode(value)
    new_hash = name_for(hashlib.sha256(raw).hexdigest())
    stem = old_path.name.split(".")[0]
    prefix = "pagefind." if stem == "pagefind" else ""
    suffix = old_path.suffix
    old_path.unlink()
    (old_path.parent / f"{prefix}{new_hash}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return new_hash


def _cbor_decode(data: bytes, at: int) -> tuple[Any, int]:
    """The CBOR subset Pagefind writes: unsigned and negative integers, text, bytes, arrays."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise DatelineError(f"unexpected CBOR item 0x{head:02x} in the search index")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major == 2:
        return data[at : at + argument], at + argument
    if major == 3:
        return data[at : at + argument].decode("utf-8"), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    raise DatelineError(f"unexpected CBOR item 0x{head:02x} in the search index")


def _cbor_head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError(f"integer too large for CBOR: {argument}")


def _cbor_encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"unexpected value in the search index: {value!r}")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    return _cbor_head(4, len(value)) + b"".join(_cbor_encode(item) for item in value)
