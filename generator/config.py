"""Site settings: ``site.toml`` read into one frozen ``Config``, with defaults."""

from __future__ import annotations

import difflib
import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from generator.content.permalinks import (
    ARTICLE_PLACEHOLDERS,
    JEKYLL_STYLES,
    NAME_PLACEHOLDERS,
    SLUG_RULES,
    as_folder_or_page,
    placeholders,
)
from generator.content.permalinks import parse as parse_pattern
from generator.errors import BuildFailed, ContentError, DatelineError
from generator.theming import STYLESHEET, MenuLink, Theme, read_menu, read_theme

SETTINGS_FILE = "site.toml"


@dataclass(frozen=True)
class Permalinks:
    """URL patterns, in Dateline's ``{name}`` form (``site.toml`` may write Jekyll's and Hugo's
    ``:name`` too; see permalinks.py). Articles take the date, name and place placeholders of
    ``permalinks.ARTICLE_PLACEHOLDERS`` and may end in ``.html``; terms and stories take
    {slug}, regions {path} (``middle-east/iraq``)."""

    article: str = "/{year}/{month}/{day}/{slug}/"
    tag: str = "/tags/{slug}/"
    region: str = "/regions/{path}/"
    author: str = "/authors/{slug}/"
    story: str = "/stories/{slug}/"
    #: How names become parts of article URLs: "dateline" (``slugs.slugify``), or as "jekyll"
    #: or "hugo" made them, so an archive moved from one keeps its URLs.
    slugs: str = "dateline"

    def under(self, root: str) -> Permalinks:
        """The patterns of a language whose pages live under ``root`` (``/de/``). Articles'
        are prefixed as they are read (parse.py): their pattern may put them there already."""
        prefix = root.rstrip("/")
        return replace(
            self,
            tag=prefix + self.tag,
            region=prefix + self.region,
            author=prefix + self.author,
            story=prefix + self.story,
        )


@dataclass(frozen=True)
class Taxonomy:
    """A way of filing articles of the site's own (``[taxonomies.desks]``), beside tags,
    regions and authors: an index of its names at ``/desks/`` and each name's listing, with
    its feed, at ``/desks/{slug}/``."""

    name: str  # as in the settings and in URLs: "desks"
    keys: tuple[str, ...]  # the front-matter keys that name an article's: ("desk",)
    url: str  # "/desks/{slug}/"
    title: str  # of its index, and its label in the menu: "Desks"
    label: str  # one of its names, as a listing's heading says: "Desk"
    menu: bool = True  # whether the menu links its index

    def under(self, root: str) -> Taxonomy:
        return replace(self, url=root.rstrip("/") + self.url)


@dataclass(frozen=True)
class LanguageSettings:
    """One language of ``[languages]``: what the site is called in it, and where its
    readers are. Empty values take the site's own (the name: its own, from CLDR)."""

    code: str  # BCP 47: "de", "pt-BR", "zh-Hans"
    name: str = ""
    title: str = ""
    description: str = ""
    timezone: str = ""
    #: Display names in this language, over the site's ``[names]``: {"middle-east" = "Naher Osten"}.
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


MARKDOWN_ENGINES = ("commonmark", "python-markdown")


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know besides the content itself."""

    site_dir: Path
    title: str = "News Archive"
    description: str = ""
    #: Where the site is published; its path (``/archive/``) prefixes every link.
    base_url: str = "http://localhost:8000/"
    #: The ``lang`` of every page (BCP 47); of a multilingual site, its default language
    #: (and in a language's own settings, ``in_language``, that language).
    language: str = "en"
    #: ``[languages]``: the languages of a multilingual site, in the order readers are offered
    #: them. Without the table, languages are found in the content (content/de/, name.de.md,
    #: ``lang``) and take the site's settings.
    languages: tuple[LanguageSettings, ...] = ()
    #: Whether the default language's pages live under its prefix too (/en/), not at the root.
    prefix_default_language: bool = False
    #: Where the pages of this configuration's language live: "/" or "/de/". Not a setting.
    root: str = "/"
    #: Whether this configuration plans the site's own files (robots.txt, 404.html): the site's,
    #: and its default language's; not another language's. Not a setting.
    site_files: bool = True
    #: IANA name; dates written without an offset are read in it.
    timezone: str = "UTC"
    #: Articles per listing page (home, tag, region and date pages).
    per_page: int = 20
    #: "as-written": an article dated 23:30-05:00 is filed under that day, the way a dateline
    #: reads; "site": under its day in the site's timezone.
    archive_day: str = "as-written"
    #: Front-matter keys whose values become tags / regions / authors, in this order.
    tag_keys: tuple[str, ...] = ("tags",)
    region_keys: tuple[str, ...] = ("region", "regions")
    author_keys: tuple[str, ...] = ("author", "authors", "by")
    #: Display names for region paths or tag slugs: {"middle-east/iraq" = "Iraq", "us" = "US"}.
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: The line of ``site.toml`` each ``[names]`` key is on, for warnings about it. Not a
    #: setting, and left out of ``repr``: no page shows it, so moving a line rebuilds nothing.
    names_lines: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    #: Display names of running stories by slug: {"anbar-raids" = "Anbar raids"}; a story not
    #: named here takes the title of its first article.
    stories: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stories_lines: Mapping[str, int] = field(  # as ``names_lines``, for ``[stories]``
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    #: Newest entries per feed.
    feed_limit: int = 50
    #: Feeds carry whole articles (true) or their summaries (false).
    feed_full_content: bool = True
    #: The feeds of tags, regions, authors, stories and the site's own taxonomies carry whole
    #: articles too (true), or their summaries (false: each article is in a dozen of them).
    listing_feeds_full_content: bool = False
    #: Build the full-text search index (Pagefind) and the /search/ page.
    search: bool = True
    #: Articles per shard of the search index: an edit re-indexes only its shard.
    search_shard_articles: int = 1000
    #: Raw HTML in article bodies passes through (true) or is left out (false).
    allow_html: bool = True
    #: The Markdown engine: "commonmark" (cmark-gfm, as GitHub, Hugo, Eleventy and Zola read
    #: Markdown) or "python-markdown" (as Pelican and MkDocs read it).
    markdown: str = "commonmark"
    #: Python-Markdown extensions of the site's own, by import name ("pullquote" for
    #: pullquote.py in the site folder, "package.module:Class"); python-markdown engine only.
    markdown_extensions: tuple[str, ...] = ()
    #: Related articles shown under each article.
    related_count: int = 5
    permalinks: Permalinks = field(default_factory=Permalinks)
    #: ``[[menu]]``: links the menu shows after the site's sections, lighter ``weight`` first.
    menu: tuple[MenuLink, ...] = ()
    #: ``[theme]``: a logo, accent colours, footer text and a stylesheet of the site's own.
    theme: Theme = field(default_factory=Theme)
    #: ``[taxonomies]``: ways of filing articles of the site's own (desks, sections, beats).
    taxonomies: tuple[Taxonomy, ...] = ()
    #: Free-form values handed to templates as ``site.extra``.
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: The custom domain GitHub Pages serves the site at (``news.example.com``); ``dateline
    #: publish`` writes it to ``CNAME``. Empty keeps whatever CNAME the branch already has.
    cname: str = ""
    #: Include drafts and future-dated articles.
    drafts: bool = False
    output_dir: Path | None = None
    #: Where the build cache lives, when not in the site folder (publishing keeps its own).
    cache_folder: Path | None = None

    def at(self, path: str) -> str:
        """A site path in this configuration's language: ``/archive/`` -> ``/de/archive/``."""
        return path if self.root == "/" else self.root.rstrip("/") + path

    def in_language(self, code: str) -> Config:
        """The settings of the site's pages in language ``code`` (read from the site's own
        settings, not from another language's): its ``[languages]`` entry over the site's, its
        URLs under ``/code/`` unless it is the default language at the root."""
        if code == self.language and not self.prefix_default_language:
            return self
        given = next((each for each in self.languages if each.code == code), LanguageSettings(code))
        root = f"/{code.lower()}/"
        return replace(
            self,
            language=code,
            title=given.title or self.title,
            description=given.description or self.description,
            names=MappingProxyType({**self.names, **given.names}),
            timezone=given.timezone or self.timezone,
            root=root,
            site_files=code == self.language,
            permalinks=self.permalinks.under(root),
            taxonomies=tuple(taxonomy.under(root) for taxonomy in self.taxonomies),
        )

    @property
    def content_dir(self) -> Path:
        return self.site_dir / "content"

    @property
    def templates_dir(self) -> Path:
        return self.site_dir / "templates"

    @property
    def static_dir(self) -> Path:
        return self.site_dir / "static"

    @property
    def cache_dir(self) -> Path:
        return self.cache_folder if self.cache_folder is not None else self.site_dir / ".dateline-cache"

    @property
    def out_dir(self) -> Path:
        return self.output_dir if self.output_dir is not None else self.site_dir / "output"

    @cached_property  # read for every link of every page
    def base_path(self) -> str:
        """The base URL's path, always with a leading and trailing slash."""
        path = urlsplit(self.base_url).path.strip("/")
        return f"/{path}/" if path else "/"

    @cached_property
    def origin(self) -> str:
        """The base URL's scheme and host: ``https://example.org``."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


def theme_dir() -> Path:
    """The default theme: shipped inside the package, or the repository's ``templates/``."""
    packaged = Path(__file__).parent / "theme"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


def template_dirs(config: Config) -> list[Path]:
    """The site's own templates first, so they override the theme file by file."""
    return [path for path in (config.templates_dir, theme_dir()) if path.is_dir()]


_NOT_SETTINGS = {
    "site_dir", "drafts", "output_dir", "cache_folder", "names_lines", "stories_lines", "root", "site_files",
}  # fmt: skip
_TOP_LEVEL = {f.name for f in fields(Config)} - _NOT_SETTINGS


def load_config(site_dir: Path, **overrides: Any) -> Config:
    """Read ``site.toml`` (if any) under ``site_dir``; report every bad setting at once."""
    path = site_dir / SETTINGS_FILE
    raw: dict[str, Any] = {}
    text = _settings_text(path)
    if text:
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            line = int(m[1]) if (m := re.search(r"line (\d+)", str(error))) else 1
            raise BuildFailed([ContentError(path, line, f"invalid TOML: {error}")]) from None
    errors: list[ContentError] = []

    def error(key: str, message: str) -> None:
        errors.append(ContentError(path, _line_of(text, key), message))

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _TOP_LEVEL:
            error(key, _unknown_setting(key))
            continue
        expected = type(getattr(Config(site_dir), key))
        if key == "permalinks":
            values[key] = _permalinks(value, lambda k, m: error(k, m))
        elif key == "languages":
            values[key], prefix = _languages(value, lambda k, m: error(k, m))
            if prefix is not None:
                values["prefix_default_language"] = prefix
        elif key == "taxonomies":
            values[key] = _taxonomies(value, lambda k, m: error(k, m))
        elif key == "menu":
            values[key] = read_menu(value, text, lambda line, m: errors.append(ContentError(path, line, m)))
        elif key == "theme":
            values[key] = read_theme(
                value,
                text,
                site_dir,
                lambda: _theme_stylesheet(site_dir),
                lambda line, m: errors.append(ContentError(path, line, m)),
            )
        elif expected is tuple:
            if isinstance(value, str):
                value = [value]
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                error(key, f"'{key}' must be a list of strings")
                continue
            values[key] = tuple(value)
        elif key in ("names", "stories", "extra"):
            if not isinstance(value, dict):
                error(key, f"'{key}' must be a table")
                continue
            if key != "extra" and not all(isinstance(v, str) for v in value.values()):
                error(key, f"every name in [{key}] must be a string")
                continue
            values[key] = MappingProxyType(value)
            if key != "extra":
                values[f"{key}_lines"] = MappingProxyType(_table_lines(text, key, value))
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            error(key, f"'{key}' must be a {expected.__name__}, not {type(value).__name__}")
        else:
            values[key] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    config = replace(Config(site_dir), **values)
    if not _known_timezone(config.timezone):
        error("timezone", f"unknown timezone '{config.timezone}' (use an IANA name like 'Europe/London')")
    if config.per_page < 1:
        error("per_page", "'per_page' must be at least 1")
    if config.search_shard_articles < 1:
        error("search_shard_articles", "'search_shard_articles' must be at least 1")
    if config.archive_day not in ("as-written", "site"):
        error("archive_day", '\'archive_day\' must be "as-written" or "site"')
    if config.markdown not in MARKDOWN_ENGINES:
        error("markdown", '\'markdown\' must be "commonmark" or "python-markdown"')
    if config.markdown_extensions and config.markdown != "python-markdown":
        error("markdown_extensions", "'markdown_extensions' needs markdown = \"python-markdown\"")
    for each in config.languages:
        if each.timezone and not _known_timezone(each.timezone):
            error(each.code, f"[languages.{each.code}] unknown timezone '{each.timezone}'")
    if config.languages and config.language not in {each.code for each in config.languages}:
        config = replace(config, languages=(LanguageSettings(config.language), *config.languages))
    if problem := base_url_problem(config.base_url):
        error("base_url", f"'base_url' {problem}")
    if errors:
        raise BuildFailed(errors)
    return config


def _theme_stylesheet(site_dir: Path) -> str:
    """The text of the stylesheet the theme's pages link: the site's own when it has one."""
    for folder in template_dirs(Config(site_dir)):
        if (folder / STYLESHEET).is_file():
            return (folder / STYLESHEET).read_text(encoding="utf-8", errors="replace")
    return ""


def _unknown_setting(key: str) -> str:
    # As content.py does for front-matter keys: a typo is far likelier than a new setting.
    if close := difflib.get_close_matches(key, sorted(_TOP_LEVEL), n=1, cutoff=0.8):
        return f"unknown setting '{key}'; did you mean '{close[0]}'?"
    return f"unknown setting '{key}' (free-form values belong under [extra])"


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a base URL, or None when it can."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number or out of range
    except ValueError as error:
        return f"must be an http(s) URL, not '{url}' ({error})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must be an http(s) URL with a host, such as https://example.org/, not '{url}'"
    if any(c.isspace() or not c.isprintable() for c in url):
        return f"must not contain spaces or control characters: '{url}'"
    return None


def _settings_text(path: Path) -> str:
    """The text of ``site.toml``; "" when there is none. A file that cannot be read as UTF-8
    is an error at its line, never a traceback."""
    if not path.exists() and not path.is_symlink():
        return ""
    if path.is_dir():
        raise DatelineError(f"{path} is a folder; the settings must be a file")
    if not path.is_file():  # a dangling link, a pipe (reading it would wait forever), a device
        raise DatelineError(f"{path} is not a regular file; the settings must be a file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DatelineError(f"{path}: cannot read it: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        read = bytes(error.object)  # after any BOM, which the codec strips first
        line = read.count(b"\n", 0, error.start) + 1
        byte = read[error.start]
        message = f"not UTF-8 text (byte 0x{byte:02x} cannot be read); save the file as UTF-8"
        raise BuildFailed([ContentError(path, line, message)]) from None


_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "article": ARTICLE_PLACEHOLDERS,
    "tag": frozenset({"slug"}),
    "region": frozenset({"path"}),
    "author": frozenset({"slug"}),
    "story": frozenset({"slug"}),
}


_LANGUAGE_KEYS = {f.name for f in fields(LanguageSettings)} - {"code"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|[0-9]{3}))?")


def _languages(value: Any, error: Any) -> tuple[tuple[LanguageSettings, ...], bool | None]:
    """``[languages]``: a table per language (``[languages.de]``, its keys those of
    ``LanguageSettings``), and ``prefix_default_language``."""
    if not isinstance(value, dict):
        error("languages", "[languages] must be a table, with a table per language: [languages.de]")
        return (), None
    found, prefix = [], None
    for code, given in value.items():
        if code == "prefix_default_language":
            if isinstance(given, bool):
                prefix = given
            else:
                error(code, "'prefix_default_language' must be true or false")
        elif not _LANGUAGE_TAG.fullmatch(code):
            error(code, f"[languages] '{code}' is no language code; use BCP 47, such as 'de' or 'pt-BR'")
        elif not isinstance(given, dict):
            error(code, f"[languages.{code}] must be a table (name, title, description, timezone)")
        else:
            unknown = sorted(set(given) - _LANGUAGE_KEYS)
            wrong = sorted(
                key for key in set(given) & _LANGUAGE_KEYS - {"names"} if not isinstance(given[key], str)
            )
            names = given.get("names", {})
            if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
                wrong.append("names")
            if unknown:
                error(
                    code,
                    f"[languages.{code}] unknown key '{unknown[0]}' (one of: {', '.join(sorted(_LANGUAGE_KEYS))})",
                )
            elif wrong:
                what = "a table of names" if wrong[0] == "names" else "a string"
                error(code, f"[languages.{code}] '{wrong[0]}' must be {what}")
            else:
                found.append(LanguageSettings(code, **{**given, "names": MappingProxyType(names)}))
    return tuple(found), prefix


#: Names a taxonomy of the site's own cannot take: the URLs of the site's own sections.
_BUILT_IN_SECTIONS = frozenset(
    (
        "home",
        "tags",
        "regions",
        "authors",
        "stories",
        "archive",
        "search",
        "corrections",
        "on-this-day",
        "page",
    )
)
_TAXONOMY_KEYS = {"keys", "url", "title", "label", "menu"}
_TAXONOMY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _taxonomies(value: Any, error: Any) -> tuple[Taxonomy, ...]:
    """``[taxonomies]``: a table per taxonomy, ``[taxonomies.desks]``, each key optional:
    ``keys`` (default: the name without its plural s), ``url`` (``/desks/{slug}/``),
    ``title`` ("Desks"), ``label`` ("Desk") and ``menu`` (true)."""
    if not isinstance(value, dict):
        error("taxonomies", "[taxonomies] must be a table, with a table per taxonomy: [taxonomies.desks]")
        return ()
    found: list[Taxonomy] = []
    for name, given in value.items():
        if not _TAXONOMY_NAME.fullmatch(name) or name in _BUILT_IN_SECTIONS:
            why = (
                "is a section of the site already"
                if name in _BUILT_IN_SECTIONS
                else "must be lowercase letters, digits and hyphens"
            )
            error(name, f"taxonomy '{name}' {why}")
            continue
        if not isinstance(given, dict):
            error(name, f"[taxonomies.{name}] must be a table (keys, url, title, label, menu)")
            continue
        if unknown := sorted(set(given) - _TAXONOMY_KEYS):
            error(
                name,
                f"[taxonomies.{name}] unknown key '{unknown[0]}' (one of: {', '.join(sorted(_TAXONOMY_KEYS))})",
            )
            continue
        singular = name[:-1] if name.endswith("s") and len(name) > 1 else name
        keys = given.get("keys", [singular])
        keys = [keys] if isinstance(keys, str) else keys
        url = given.get("url", f"/{name}/{{slug}}/")
        title = given.get("title", name.replace("-", " ").capitalize())
        label = given.get("label", singular.replace("-", " ").capitalize())
        if not (isinstance(keys, list) and keys and all(isinstance(k, str) and k for k in keys)):
            error(name, f"[taxonomies.{name}] 'keys' must be a list of front-matter keys")
        elif not all(isinstance(v, str) for v in (url, title, label)):
            error(name, f"[taxonomies.{name}] 'url', 'title' and 'label' must be strings")
        elif not isinstance(given.get("menu", True), bool):
            error(name, f"[taxonomies.{name}] 'menu' must be true or false")
        elif problem := pattern_problem("tag", url):
            error(name, f"[taxonomies.{name}] 'url' {problem}")
        else:
            pattern = parse_pattern(url, _PLACEHOLDERS["tag"], styles=False)
            found.append(Taxonomy(name, tuple(keys), pattern, title, label, given.get("menu", True)))
    return tuple(found)


def _permalinks(value: Any, error: Any) -> Permalinks:
    if not isinstance(value, dict):
        error("permalinks", "[permalinks] must be a table")
        return Permalinks()
    patterns: dict[str, str] = {}
    for kind, pattern in value.items():
        if kind == "slugs":
            if pattern in SLUG_RULES:
                patterns[kind] = pattern
            else:
                error(kind, f"permalink 'slugs' must be one of: {', '.join(SLUG_RULES)}")
        elif kind not in _PLACEHOLDERS:
            error(kind, f"unknown permalink '{kind}' (one of: {', '.join(_PLACEHOLDERS)}, slugs)")
        elif not isinstance(pattern, str):
            error(kind, f"permalink '{kind}' must be a string starting with '/'")
        elif problem := pattern_problem(kind, pattern):
            error(kind, f"permalink '{kind}' {problem}")
        else:
            parsed = parse_pattern(pattern, _PLACEHOLDERS[kind], styles=kind == "article")
            patterns[kind] = as_folder_or_page(parsed) if kind == "article" else parsed
    return Permalinks(**patterns)


def pattern_problem(kind: str, pattern: str) -> str | None:
    """What is wrong with a ``[permalinks]`` pattern of ``kind`` as written, or None."""
    article = kind == "article"
    if not pattern.startswith("/") and not (article and pattern in JEKYLL_STYLES):
        styles = f" or be one of Jekyll's styles: {', '.join(JEKYLL_STYLES)}" if article else ""
        return f"must start with '/'{styles}"
    try:
        parsed = parse_pattern(pattern, _PLACEHOLDERS[kind], styles=article)
    except ValueError as error:
        return str(error)
    if not article:
        if not parsed.endswith("/"):
            return "must end with '/'"
        if not placeholders(parsed) & {"slug", "path"}:
            return "must contain {slug} or {path}"
    elif not placeholders(parsed) & NAME_PLACEHOLDERS:
        return "must contain a name placeholder, one of: " + ", ".join(sorted(NAME_PLACEHOLDERS))
    return None


def _known_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA zone; asked directly, as listing every zone takes longer
    than a whole preview rebuild."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


_TABLE_HEADER = re.compile(r"\s*\[\s*([^\]]*?)\s*\]")
_TABLE_KEY = re.compile(r"""\s*(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def _table_lines(text: str, table: str, keys: Mapping[str, Any]) -> dict[str, int]:
    """The line of each of ``keys`` in ``[table]``; a key written another way (escaped, in
    an inline table, dotted) gets the table's own line."""
    found: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if header := _TABLE_HEADER.match(line):
            inside = header[1].strip('"') == table
        elif inside and (written := _TABLE_KEY.match(line)):
            found.setdefault(next(group for group in written.groups() if group is not None), number)
    table_line = _line_of(text, table)
    return {key: found.get(key, table_line) for key in keys}


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[?\s*\"?{re.escape(key)}\b", line) or re.match(
            rf"\s*\[\s*[\w-]+\.{re.escape(key)}\s*\]", line
        ):
            return number
    return 1
