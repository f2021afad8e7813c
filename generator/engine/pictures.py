"""Pictures: the images articles show, measured from their files, with narrower copies for srcset.

After loading, each picture an article shows (its lead image, the images of its body) that
is a file of the site, static or of a page bundle, is measured: width and height as shown
(EXIF orientation applied; Pillow reads only the file's header). Measurements are kept in the
cache folder by the file's path, size and mtime, and its content digest, which also names
the copies; they are part of the article's digest, so the pages that show an article render
again when one of its pictures changes, though its text did not. (The article cache, keyed by
the article's own content, could not notice a replaced picture.)

JPEG, PNG and WebP files wider than the narrowest of ``WIDTHS`` get narrower copies, made by
Pillow into the cache folder once per content digest and published under ``COPIES_URL`` as
files the build owns: they leave the output with the picture. A build from scratch reads
no cache and makes its copies in a temporary folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from generator.config import Config
from generator.content import sources
from generator.content.figures import sized
from generator.content.model import Article, Body, Picture
from generator.engine import cache
from generator.engine.state import RACY_SECONDS
from generator.errors import ContentError, DatelineError, SourceUnreadable
from generator.urls import site_url

#: The widths of the narrower copies, each made only below the picture's own width.
WIDTHS = (480, 960, 1440)
#: Where the copies are published: ``/static/_sized/flood-3fa2c1d4e5b6-960w.jpg``.
COPIES_URL = "/static/_sized/"
#: Each format copies are made in (the picture's own), its file suffix and its encoder's settings.
COPIED = {
    "JPEG": (".jpg", {"quality": 82, "optimize": True, "progressive": True}),
    "PNG": (".png", {}),  # optimize=True takes seconds on a photograph, to save a few percent
    "WEBP": (".webp", {"quality": 80, "method": 4}),
}
#: Files that are pictures by their name: one Pillow cannot read is worth a warning.
RASTER_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
MEASURED_FILE = "pictures.bin"
COPIES_FOLDER = "pictures"
_EXIF_ORIENTATION = 0x0112
_TURNED = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the picture a quarter
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")


class Measure(NamedTuple):
    """What the cache keeps of one picture file."""

    size: int
    mtime: int | None  # None for a file too new to trust its mtime (see state.RACY_SECONDS)
    digest: str  # of the file's content; names its copies
    kind: str  # Pillow's format ("JPEG"), "" for a file it cannot read
    width: int  # as shown, EXIF orientation applied; 0 when unknown
    height: int
    animated: bool


class Pictures:
    """The pictures of one build: measured (from the cache folder's record where the file is
    unchanged) and their narrower copies made. ``save`` keeps the measurements and the copies
    still used for the next build; ``close`` removes a build from scratch's copies."""

    def __init__(self, config: Config, enabled: bool) -> None:
        self.config = config
        self.enabled = enabled
        self.key = cache.digest("pictures", cache.code_version())
        self.known: dict[str, Measure] = {}
        if enabled:
            found = cache.load(config.cache_dir / MEASURED_FILE, self.key)
            self.known = found if isinstance(found, dict) else {}
        self.measured: dict[str, Measure] = {}  # file -> measure, of this build
        self._warnings: list[ContentError] = []
        self._folder: Path | None = None
        self._made: set[tuple[str, int]] = set()  # (digest, width) of each copy at hand
        self._copies: dict[str, dict[str, Path]] = {}  # article source -> URL -> copy

    @property
    def warnings(self) -> tuple[ContentError, ...]:
        """Pictures that could not be read, or copied, in this build."""
        return tuple(self._warnings)

    # -- measuring ----------------------------------------------------------------------------

    def show(
        self, articles: Sequence[Article], digests: Mapping[str, str], files: Mapping[str, Path], jobs: int
    ) -> tuple[tuple[Article, ...], dict[str, str]]:
        """``articles`` with their pictures measured, and each article's ``digests`` (by source)
        joined with its pictures' facts; ``files``: site path -> file of what the site holds."""
        wanted: dict[int, dict[str, str]] = {}  # article number -> site path -> file
        for number, article in enumerate(articles):
            if not article.images and article.lead_image is None:  # most articles: no picture
                continue
            for path in _local_pictures(article):
                if (file := files.get(path)) is not None:
                    wanted.setdefault(number, {})[path] = str(file)
        self._measure({file for pictures in wanted.values() for file in pictures.values()}, jobs)
        measured = self.measured
        self._make_copies(
            {(file, measured[file]) for pictures in wanted.values() for file in pictures.values()}, jobs
        )
        shown, joined = list(articles), dict(digests)
        for number, pictures in wanted.items():
            article = articles[number]
            found = {
                path: self._picture(path, file) for path, file in pictures.items() if measured[file].width
            }
            if not found:
                continue
            self._copies[article.source] = {
                url: self._copy_file(measured[pictures[path]], width)
                for path, picture in found.items()
                for url, width in picture.copies
            }
            shown[number] = self._sized(article, found)
            joined[article.source] = cache.digest(joined[article.source], sorted(found.items()))
        return tuple(shown), joined

    def _measure(self, files: set[str], jobs: int) -> None:
        """Measure ``files``: from the last build's record when their size and mtime are the
        same, else read (over ``jobs`` threads: reading, digesting and Pillow let go of
        Python's lock) and taken from the record still when their content is."""
        changed = []
        for file in sorted(files):
            try:
                st = os.stat(file)
            except OSError as error:  # listed a moment ago, so most likely deleted since
                raise SourceUnreadable.of(error) from None
            known = self.known.get(file)
            if known is not None and (known.size, known.mtime) == (st.st_size, st.st_mtime_ns):
                self.measured[file] = known
            else:
                changed.append((file, st.st_size, st.st_mtime_ns))
        if changed:
            racy_after = time.time_ns() - RACY_SECONDS * 1_000_000_000
            with ThreadPoolExecutor(max(1, min(jobs, len(changed)))) as pool:
                for (file, *_), measure in zip(
                    changed, pool.map(partial(self._read, racy_after=racy_after), changed), strict=True
                ):
                    self.measured[file] = measure
        for file in sorted(files):
            if not self.measured[file].kind and Path(file).suffix.lower() in RASTER_SUFFIXES:
                self._warnings.append(
                    ContentError(
                        Path(file), 1, "not a picture Pillow can read; shown without its width and height"
                    )
                )

    def _read(self, changed: tuple[str, int, int], racy_after: int) -> Measure:
        file, size, mtime = changed
        try:
            with open(file, "rb") as opened:
                data = opened.read()
        except OSError as error:
            raise SourceUnreadable.of(error) from None
        digest = cache.file_digest(data)
        known = self.known.get(file)
        if known is None or known.digest != digest:
            known = _measured(data, digest, size)
        return known._replace(size=size, mtime=mtime if mtime < racy_after else None)

    def _picture(self, path: str, file: str) -> Picture:
        """The measured picture at site path ``path``, with the copies made of it."""
        measure = self.measured[file]
        stem = _UNSAFE_IN_NAME.sub("-", Path(file).stem).strip("-")[:60] or "picture"
        copies = tuple(
            (f"{COPIES_URL}{stem}-{measure.digest[:12]}-{width}w{COPIED[measure.kind][0]}", width)
            for width in _copy_widths(measure)
            if (measure.digest, width) in self._made
        )
        return Picture(path, width=measure.width, height=measure.height, copies=copies)

    def _sized(self, article: Article, measured: Mapping[str, Picture]) -> Article:
        """``article`` showing its ``measured`` pictures: the lead image, and the body's images
        (its body, read when a page shows it, is given their sizes then)."""
        lead = article.lead_image
        if lead is not None and (picture := measured.get(unquote(lead.src))) is not None:
            lead = replace(lead, width=picture.width, height=picture.height, copies=picture.copies)
        body = article.body
        if not measured.keys().isdisjoint(article.images):
            written, page_url, base_path = article.body, article.url, self.config.base_path
            url = partial(site_url, self.config)
            body = Body(read=lambda: (sized(written.html, page_url, base_path, measured, url), written.toc))
        return replace(article, lead_image=lead, body=body)

    # -- copies -------------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        """Where copies are kept: in the cache folder under a key of Pillow's version and of
        this module, which makes them; a temporary folder for a build from scratch."""
        if self._folder is None:
            if self.enabled:
                import PIL

                recipe = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
                self._folder = self.config.cache_dir / COPIES_FOLDER / f"{PIL.__version__}-{recipe}"
            else:
                self._folder = Path(tempfile.mkdtemp(prefix="dateline-pictures-"))
            self._folder.mkdir(parents=True, exist_ok=True)
        return self._folder

    def _copy_file(self, measure: Measure, width: int) -> Path:
        return self.folder / f"{measure.digest}-{width}{COPIED[measure.kind][0]}"

    def _make_copies(self, pictures: Iterable[tuple[str, Measure]], jobs: int) -> None:
        """Make the copies of ``pictures`` (file, measure) not at hand yet, over ``jobs`` threads
        (Pillow lets go of Python's lock while it decodes, resizes and encodes)."""
        todo: dict[str, tuple[str, Measure, list[int]]] = {}
        for file, measure in sorted(pictures):
            for width in _copy_widths(measure):
                if os.path.isfile(self._copy_file(measure, width)):
                    self._made.add((measure.digest, width))
                else:
                    todo.setdefault(measure.digest, (file, measure, []))[2].append(width)
        if not todo:
            return
        work = list(todo.values())
        with ThreadPoolExecutor(max(1, min(jobs, len(work)))) as pool:
            for (file, measure, widths), failure in zip(work, pool.map(self._copy, work), strict=True):
                if failure is None:
                    self._made.update((measure.digest, width) for width in widths)
                else:
                    self._warnings.append(
                        ContentError(
                            Path(file), 1, f"no narrower copies made ({failure}); shown at full size"
                        )
                    )

    def _copy(self, task: tuple[str, Measure, list[int]]) -> str | None:
        """Make the copies of one picture at ``widths``; None, or why they could not be made."""
        file, measure, widths = task
        from PIL import Image, ImageOps

        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise SourceUnreadable.of(error) from None
        if cache.file_digest(data) != measure.digest:
            raise DatelineError(f"{file} changed during the build; build again")
        options = COPIED[measure.kind][1]
        try:
            with Image.open(io.BytesIO(data)) as opened:
                widest = max(widths)
                if opened.format == "JPEG":  # decoded at a half, a quarter... as large as the widest
                    opened.draft(opened.mode, (widest, widest * measure.height // measure.width))
                upright = ImageOps.exif_transpose(opened)
                if upright.mode in ("1", "P"):  # resized without blending, else: in full colour
                    upright = upright.convert("RGBA" if "transparency" in upright.info else "RGB")
                profile = opened.info.get("icc_profile")
                for width in sorted(widths, reverse=True):
                    height = max(1, round(measure.height * width / measure.width))
                    copy = upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
                    encoded = io.BytesIO()
                    copy.save(encoded, measure.kind, icc_profile=profile, **options)
                    _write_atomically(self._copy_file(measure, width), encoded.getvalue())
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            return str(error) or type(error).__name__
        return None

    def files(self, articles: Iterable[Article]) -> dict[str, Path]:
        """URL -> file of the copies of the pictures ``articles`` show: those published."""
        return {
            url: copy for article in articles for url, copy in self._copies.get(article.source, {}).items()
        }

    # -- keeping ------------------------------------------------------------------------------

    def save(self) -> None:
        """Keep this build's measurements, and only the copies they name."""
        if not self.enabled:
            return
        if self.measured != self.known:
            cache.store(self.config.cache_dir / MEASURED_FILE, self.key, self.measured)
        kept = {m.digest for m in self.measured.values()}
        parent = self.config.cache_dir / COPIES_FOLDER
        for folder in parent.iterdir() if parent.is_dir() else ():
            if folder != self._folder:
                shutil.rmtree(folder, ignore_errors=True)  # made by another Pillow or Dateline
            else:
                for copy in folder.iterdir():
                    if copy.name.split("-", 1)[0] not in kept:
                        copy.unlink(missing_ok=True)

    def close(self) -> None:
        if not self.enabled and self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def site_files(found: sources.Sources, articles: Iterable[Article]) -> dict[str, Path]:
    """Site path -> file of what the site may publish: its static files, and the files of the
    page bundles of ``articles`` that show pictures, published or not (``build.published_files``
    chooses)."""
    showing = [a for a in articles if a.images or a.lead_image is not None] if found.bundles else []
    return {**found.statics, **sources.bundle_statics(found.bundles, showing, {})[0]}


def _local_pictures(article: Article) -> Iterator[str]:
    """The site paths of the pictures ``article`` shows that may be files of the site."""
    lead = article.lead_image
    if lead is not None and lead.src.startswith("/") and not lead.src.startswith("//"):
        yield unquote(lead.src)
    yield from article.images


def _copy_widths(measure: Measure) -> list[int]:
    """The widths of a picture's copies: each of ``WIDTHS`` below its own, for the formats
    copies are made in; none of an animation, which a copy would stop."""
    if measure.kind not in COPIED or measure.animated:
        return []
    return [width for width in WIDTHS if width < measure.width]


def _measured(data: bytes, digest: str, size: int) -> Measure:
    """A picture file's format, width and height as shown, read from its header."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            # A PNG's EXIF may come after its pixels, which Pillow would decode to reach it.
            exif = opened.getexif() if opened.format != "PNG" or "exif" in opened.info else {}
            if exif.get(_EXIF_ORIENTATION) in _TURNED:
                width, height = height, width
            kind, animated = opened.format or "", bool(getattr(opened, "is_animated", False))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return Measure(size, None, digest, "", 0, 0, False)
    return Measure(size, None, digest, kind, width, height, animated)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
