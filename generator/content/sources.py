"""What a build reads: the article files under content/ (and the Markdown files there that it
does not read), the files of page bundles, the static files and the templates.

Each is found by walking its folder once, symlinks followed only while they stay inside the
site (or the theme); a build that finds nothing changed lists them all (see
engine/state.py), so the walk is kept cheap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.config import Config, template_dirs, theme_dir
from generator.content.model import Article
from generator.errors import ContentError
from generator.urls import relative_path

EXTENSIONS = (".md", ".markdown")

#: Jekyll's posts: read although the name starts with "_", like every folder so named.
POSTS_FOLDER = "_posts"
#: Jekyll's drafts: read as drafts, and only for a build with drafts (``--drafts``).
DRAFTS_FOLDER = "_drafts"
#: Standalone pages (``content/pages/about.md`` is ``/about/``): no date, in no listing.
PAGES_FOLDER = "pages"
#: The article of a Hugo (or Zola) page bundle: ``post/index.md`` with its images and files
#: beside it; ``index.de.md`` and the like are its translations, which share the files.
_BUNDLE_INDEX = re.compile(r"index(?:\.[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)?\.(?:md|markdown)", re.IGNORECASE)
#: Jekyll reads only files so named in ``_posts/`` (``Document::DATE_FILENAME_MATCHER``).
_DATED_NAME = re.compile(r"\d{2,4}-\d{1,2}-\d{1,2}-.")

# Why Markdown files under content/ are not read, in the order a report lists them.
IN_UNDERSCORE_FOLDER = "in folders starting with _"
SECTION_PAGE = "Hugo section pages (_index.md)"
UNDERSCORE_NAME = "named with a leading _"
UNDATED_POST = "in _posts/ without a YYYY-MM-DD- name (Jekyll skips them too)"
DRAFT_FOLDER = "drafts in _drafts/ (built with --drafts)"
_REASONS = (IN_UNDERSCORE_FOLDER, SECTION_PAGE, UNDERSCORE_NAME, UNDATED_POST, DRAFT_FOLDER)


@dataclass(frozen=True)
class Unread:
    """Markdown files under content/ that a build does not read, for one reason."""

    reason: str
    count: int
    example: str  # the first of them, relative to the site folder: content/_layouts/a.md


@dataclass(frozen=True)
class Found:
    """The files of one kind of source, and a warning naming each symlink skipped; for
    articles, also the Markdown files not read and the files of each page bundle."""

    paths: tuple[str, ...]
    skipped: tuple[ContentError, ...]
    unread: tuple[Unread, ...] = ()
    bundles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # bundle folder -> its files


@dataclass(frozen=True)
class Sources:
    """What a build reads besides the settings: article files, static files (by URL), the
    files of page bundles (by bundle folder), a warning for each symlink among them that it
    does not follow, and the Markdown files under content/ it does not read."""

    articles: tuple[str, ...]
    statics: dict[str, Path]
    skipped: tuple[ContentError, ...]
    unread: tuple[Unread, ...] = ()
    bundles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def stamped(self) -> list[Path]:
        """Every file besides articles and templates whose change changes the site."""
        return [*self.statics.values(), *(Path(p) for files in self.bundles.values() for p in files)]


def find(config: Config) -> Sources:
    """The article and static files of the site, and the symlinks skipped among them and
    among the templates."""
    articles = find_articles(config.content_dir, config.drafts)
    statics, skipped_static = find_static(config)
    skipped = articles.skipped + skipped_static + find_templates(config)[1]
    return Sources(
        articles.paths,
        statics,
        tuple(dict.fromkeys(skipped)),  # templates/static/ is both
        articles.unread,
        articles.bundles,
    )


@dataclass(frozen=True)
class _Folder:
    """A folder under content/ still to be listed, with what it inherits from its parents."""

    path: str
    unread: str | None = None  # why none of its Markdown files is read
    in_posts: bool = False  # inside a Jekyll _posts/ folder
    bundle: str | None = None  # the page bundle it belongs to: the folder holding index.md


def find_articles(content_dir: Path, drafts: bool = False) -> Found:
    """Every article file under ``content_dir``, in a stable order: Markdown files, hidden
    ones (``.``) skipped, and symlinks that lead outside ``content_dir`` (or nowhere). Those
    under a folder or with a name starting with ``_`` are not read but counted (``Found.unread``),
    except in Jekyll's ``_posts/`` and, with ``drafts``, ``_drafts/``. The other files of a
    page bundle (a folder below ``content_dir`` holding ``index.md``, and its subfolders)
    are listed by the bundle's folder. Paths as strings: an archive has tens of thousands,
    and a build that finds nothing changed has no use for ``Path`` objects."""
    if not content_dir.is_dir():
        return Found((), ())
    site = content_dir.parent  # a content/ that is itself a symlink must stay in the site too
    if problem := _outside(str(content_dir), os.path.realpath(site), "the site folder"):
        return Found((), (ContentError(content_dir, 1, problem),))
    inside, inside_name = os.path.realpath(content_dir), f"{content_dir.name}/"
    articles: list[str] = []
    skipped: list[ContentError] = []
    unread: dict[str, tuple[int, str]] = {}  # reason -> (count, first path)
    bundles: dict[str, list[str]] = {}
    folders = [_Folder(str(content_dir))]
    visited = {inside}  # a symlink back up the tree is followed once

    def not_read(reason: str, path: str) -> None:
        count, first = unread.get(reason, (0, path))
        unread[reason] = (count + 1, min(first, path))

    # scandir rather than rglob or os.walk: a large archive has tens of thousands of files,
    # and any per-file overhead shows in every incremental build.
    while folders:
        folder = folders.pop()
        with os.scandir(folder.path) as listing:
            entries = [entry for entry in listing if not entry.name.startswith(".")]
        if folder.unread is not None:  # only counted: no symlink here is followed or reported
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(_Folder(entry.path, folder.unread))
                elif _is_markdown(entry.name) and entry.is_file(follow_symlinks=False):
                    not_read(folder.unread, entry.path)
            continue
        bundle = folder.bundle
        if folder.path != str(content_dir) and any(is_bundle_index(entry.name) for entry in entries):
            bundle = folder.path
        for entry in entries:
            if entry.is_symlink() and (problem := _outside(entry.path, inside, inside_name)):
                skipped.append(ContentError(Path(entry.path), 1, problem))
            elif entry.is_dir():
                real = os.path.realpath(entry.path)
                if real not in visited:
                    visited.add(real)
                    in_posts = folder.in_posts or entry.name == POSTS_FOLDER
                    folders.append(_Folder(entry.path, _unread_folder(entry.name, drafts), in_posts, bundle))
            elif not entry.is_file():
                continue
            elif _is_markdown(entry.name):
                if reason := _unread_file(entry.name, folder.in_posts):
                    not_read(reason, entry.path)
                else:
                    articles.append(entry.path)
            elif bundle is not None and not entry.name.startswith("_"):
                bundles.setdefault(bundle, []).append(entry.path)
    return Found(
        tuple(sorted(articles, key=lambda path: path.split(os.sep))),
        tuple(sorted(skipped, key=lambda error: str(error.path))),
        tuple(
            Unread(reason, unread[reason][0], os.path.relpath(unread[reason][1], site))
            for reason in _REASONS
            if reason in unread
        ),
        {bundle: tuple(sorted(files)) for bundle, files in sorted(bundles.items())},
    )


def is_bundle_index(name: str) -> bool:
    """Whether a file so named is the article of the page bundle that is its folder."""
    return _BUNDLE_INDEX.fullmatch(name) is not None


def _is_markdown(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS)


def _unread_folder(name: str, drafts: bool) -> str | None:
    """Why the Markdown files under a folder so named are not read, or None when they are."""
    if name == DRAFTS_FOLDER:
        return None if drafts else DRAFT_FOLDER
    if name.startswith("_") and name != POSTS_FOLDER:  # Jekyll's _layouts/, _includes/, _site/...
        return IN_UNDERSCORE_FOLDER
    return None


def _unread_file(name: str, in_posts: bool) -> str | None:
    """Why a Markdown file so named is not read, or None when it is an article."""
    if name.startswith("_"):
        return SECTION_PAGE if name.rsplit(".", 1)[0] == "_index" else UNDERSCORE_NAME
    if in_posts and not _DATED_NAME.match(name):
        return UNDATED_POST
    return None


def in_drafts_folder(path: PurePosixPath) -> bool:
    """Whether an article file (its ``path`` under content/) lies in a Jekyll ``_drafts/``
    folder, which makes it a draft."""
    return DRAFTS_FOLDER in path.parts[:-1]


def describe_unread(unread: Sequence[Unread]) -> str | None:
    """One line saying how many Markdown files under content/ were not read, and why."""
    if not unread:
        return None
    total = sum(kind.count for kind in unread)
    reasons = ", ".join(f"{kind.count:,} {kind.reason} (e.g. {kind.example})" for kind in unread)
    return f"Skipped {total:,} Markdown file{'s' * (total != 1)}: {reasons}"


def nothing_built(
    content_dir: Path, unread: Sequence[Unread], articles: Sequence[Article], published: int
) -> ContentError | None:
    """A warning when content/ holds Markdown files but the build publishes no article:
    where they are and why none was built; None otherwise."""
    if published or not (unread or articles):
        return None
    drafts = sum(1 for article in articles if article.draft)
    reasons = [f"{kind.count:,} {kind.reason}, such as {kind.example}" for kind in unread]
    if drafts:
        reasons.append(f"{drafts:,} marked as drafts (draft: true or published: false)")
    if scheduled := len(articles) - drafts:
        reasons.append(f"{scheduled:,} dated in the future")
    total = sum(kind.count for kind in unread) + len(articles)
    hint = " (build with --drafts to include drafts and future articles)" if articles else ""
    return ContentError(
        content_dir,
        1,
        f"no article was built from the {total:,} Markdown file{'s' * (total != 1)} here: "
        + "; ".join(reasons)
        + hint,
    )


def bundle_statics(
    bundles: Mapping[str, tuple[str, ...]], articles: Iterable[Article], taken: Mapping[str, str]
) -> tuple[dict[str, Path], tuple[ContentError, ...]]:
    """URL -> file for every file of the page bundles of ``articles``: beside the article's
    page, where its relative links (``![](photo.jpg)``, ``files/report.pdf``) resolve from
    it. A file whose output path is ``taken`` (output path -> what is written there: a
    page, a static file) or claimed by another bundle's file is not copied, with a warning."""
    files: dict[str, Path] = {}
    claimed = dict(taken)
    warnings: list[ContentError] = []
    for article in articles:
        folder, name = os.path.split(article.source)
        own = bundles.get(folder) if is_bundle_index(name) else None
        if not own:
            continue
        page_folder = article.url.rsplit("/", 1)[0]  # /2024/08/31/slug/ or /2024/08/31/slug.html
        for path in own:
            url = f"{page_folder}/{os.path.relpath(path, folder).replace(os.sep, '/')}"
            try:
                target = relative_path(url)
            except ValueError:  # a name with a backslash, which no URL path may hold
                warnings.append(ContentError(Path(path), 1, f"not copied: {url} is no safe URL"))
                continue
            if target in claimed:
                warnings.append(ContentError(Path(path), 1, f"not copied: {url} is {claimed[target]}"))
                continue
            claimed[target] = f"also a file of the page bundle {_bundle_name(article.source)}"
            files[url] = Path(path)
    return files, tuple(warnings)


def _bundle_name(source: str) -> str:
    return os.path.join(os.path.basename(os.path.dirname(source)), os.path.basename(source))


def _walk(
    top: Path,
    inside: str,
    inside_name: str,
    wanted: Callable[[str], bool],
    hidden: tuple[str, ...],
    root_inside: str | None = None,
) -> Found:
    """The files under ``top`` whose names ``wanted`` accepts, in no particular order;
    names starting with ``hidden`` skipped. A symlink is followed only when it resolves
    inside ``inside`` (a real path, named ``inside_name`` in warnings), and ``top`` itself
    only when it lies inside ``root_inside`` (default: ``inside``): one leading out would
    publish what the site folder does not hold, such as ``static/key -> ~/.ssh/id_rsa``."""
    problem = _outside(str(top), root_inside or inside, "the site folder" if root_inside else inside_name)
    if problem:
        return Found((), (ContentError(top, 1, problem),))
    found: list[str] = []
    skipped: list[ContentError] = []
    folders = [str(top)]
    visited = {os.path.realpath(top)}  # a symlink back up the tree is followed once
    # scandir rather than rglob or os.walk: a large archive has tens of thousands of files,
    # and any per-file overhead shows in every incremental build.
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith(hidden):
                    continue
                if entry.is_symlink() and (problem := _outside(entry.path, inside, inside_name)):
                    skipped.append(ContentError(Path(entry.path), 1, problem))
                elif entry.is_dir():
                    real = os.path.realpath(entry.path)
                    if real not in visited:
                        visited.add(real)
                        folders.append(entry.path)
                elif wanted(entry.name) and entry.is_file():
                    found.append(entry.path)
    return Found(tuple(found), tuple(sorted(skipped, key=lambda error: str(error.path))))


def _outside(path: str, inside: str, inside_name: str) -> str | None:
    """Why ``path`` may not be read (it leads out of ``inside``, or nowhere), or None."""
    try:
        os.stat(path)
    except OSError as error:  # a dangling link, or a loop such as a.md -> b.md -> a.md
        return f"symlink leads nowhere ({error.strerror or error}); skipped"
    target = os.path.realpath(path)
    if Path(target).is_relative_to(inside):
        return None
    return f"symlink leads outside {inside_name} (to {target}); skipped"


def find_static(config: Config) -> tuple[dict[str, Path], tuple[ContentError, ...]]:
    """URL -> source file for every static asset, later sources overriding earlier ones;
    and the symlinks skipped.

    The theme's and the site's ``templates/static/`` land under ``/static/``; the site's own
    ``static/`` folder lands at the root (images, favicon, CNAME). Symlinks are followed
    while they stay inside the site folder (the theme's: inside the theme).
    """
    sources = [(d / "static", "/static/") for d in reversed(template_dirs(config))]
    sources.append((config.static_dir, "/"))
    files: dict[str, Path] = {}
    skipped: list[ContentError] = []
    for folder, prefix in sources:
        if not folder.is_dir() and not folder.is_symlink():
            continue
        found = _walk(folder, *_boundary(config, folder), lambda name: True, (".",))
        skipped += found.skipped
        top = len(str(folder)) + 1
        for path in sorted(found.paths):
            files[prefix + path[top:].replace(os.sep, "/")] = Path(path)
    return files, tuple(skipped)


def static_files(config: Config) -> dict[str, Path]:
    """URL -> source file for every static asset (see ``find_static``)."""
    return find_static(config)[0]


def find_templates(config: Config) -> tuple[list[Path], tuple[ContentError, ...]]:
    """Every template file, the site's before the theme's; and the symlinks skipped."""
    files: list[Path] = []
    skipped: list[ContentError] = []
    for folder in template_dirs(config):
        found = _walk(folder, *_boundary(config, folder), lambda name: True, ("__pycache__",))
        files += sorted(map(Path, found.paths))
        skipped += found.skipped
    return files, tuple(skipped)


def template_files(config: Config) -> list[Path]:
    return find_templates(config)[0]


def _boundary(config: Config, folder: Path) -> tuple[str, str]:
    """Where symlinks under ``folder`` may lead: the site folder, or the theme for its own
    files (Dateline's, wherever it is installed)."""
    theme = theme_dir()
    if folder.is_relative_to(theme) and not folder.is_relative_to(config.site_dir):
        return os.path.realpath(theme), "the theme"
    return os.path.realpath(config.site_dir), "the site folder"
