"""``dateline import PATH``: a Jekyll or Hugo site's settings, written as ``site.toml``.

What carries over is what shapes the archive's pages and URLs: title, description, base URL,
language, time zone, articles per page, taxonomies (as tags, regions and authors), the
languages of a multilingual site (``[languages]``) and the article permalink, with the old
generator's slug rules (``[permalinks] slugs``) so that every old article URL is built again.
Every other setting is listed with the reason it was left behind: a migration says what it
dropped, it never drops it in silence.

``read_site`` reads the old settings (the only stage here that reads files), ``site_toml``
writes the new ones as text, ``write_settings`` puts them in place.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.config import SETTINGS_FILE, base_url_problem, pattern_problem
from generator.content.permalinks import ARTICLE_PLACEHOLDERS, JEKYLL_STYLES, as_folder_or_page, placeholders
from generator.content.permalinks import parse as parse_pattern
from generator.errors import BuildFailed, ContentError, DatelineError

JEKYLL_FILES = ("_config.yml", "_config.yaml", "_config.toml")
_FORMATS = ("toml", "yaml", "yml", "json")
HUGO_FILES = tuple(f"{name}.{ext}" for name in ("hugo", "config") for ext in _FORMATS)
#: Taxonomy names read as regions (Dateline's places) and as authors; any other is tags.
REGION_NAMES = frozenset({"region", "regions", "place", "places", "location", "locations", "country",
                          "countries", "geo"})  # fmt: skip
AUTHOR_NAMES = frozenset({"author", "authors", "by", "writer", "writers", "byline", "bylines"})
DEFAULT_AUTHOR_KEYS = ("author", "authors", "by")


@dataclass(frozen=True)
class Unmapped:
    """A setting of the old site that ``site.toml`` does not carry, and why."""

    name: str  # as written: "plugins", "permalinks.events"
    why: str


@dataclass(frozen=True)
class Imported:
    """The settings read from a Jekyll or Hugo site, as Dateline's."""

    generator: str  # "Jekyll" or "Hugo"
    read: tuple[Path, ...]  # the files read
    settings: Mapping[str, Any]  # site.toml's settings, in writing order; a Mapping is a table
    permalinks: Mapping[str, str]
    origins: Mapping[str, str]  # setting -> what it was made from, written as a comment
    unmapped: tuple[Unmapped, ...]
    notes: tuple[str, ...]  # what to do next: where the articles go


@dataclass
class _Draft:
    """An Imported being gathered."""

    settings: dict[str, Any] = field(default_factory=dict)
    permalinks: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # top-level keys of the old settings read
    spelled: dict[str, str] = field(default_factory=dict)  # Hugo's lowercased keys as written

    def set(self, key: str, value: Any, origin: str = "") -> None:
        self.settings[key] = value
        if origin:
            self.origins[key] = origin

    def leave(self, name: str, why: str) -> None:
        head, dot, rest = name.partition(".")
        self.used.add(head.split("[")[0])
        self.unmapped.append(Unmapped(self.spelled.get(head, head) + dot + rest, why))

    def done(self, generator: str, read: tuple[Path, ...]) -> Imported:
        return Imported(
            generator,
            read,
            self.settings,
            self.permalinks,
            self.origins,
            tuple(self.unmapped),
            tuple(self.notes),
        )


# -- finding and reading the old settings -------------------------------------------------------


def read_site(path: Path, section: str | None = None) -> Imported:
    """The settings of the Jekyll or Hugo site at ``path`` (its folder, or its settings file);
    ``section`` names the Hugo section (or Jekyll collection) holding the articles."""
    jekyll, hugo = _settings_files(path)
    if jekyll and hugo:
        raise DatelineError(
            f"{path} holds both Jekyll's {jekyll.name} and Hugo's {hugo.name}; "
            "name the one to import: dateline import PATH/FILE"
        )
    if jekyll:
        return _from_jekyll(_read(jekyll), jekyll, section)
    if hugo:
        data, read, spelled = _hugo_settings(hugo)
        return _from_hugo(data, read, spelled, _hugo_root(hugo), section)
    names = ", ".join((*JEKYLL_FILES, "hugo.toml", "config.toml", "config/_default/"))
    raise DatelineError(f"{path}: no Jekyll or Hugo settings found (looked for {names})")


def _settings_files(path: Path) -> tuple[Path | None, Path | None]:
    """Jekyll's and Hugo's settings file at ``path``, each None when absent."""
    if path.is_file():
        if path.name in JEKYLL_FILES:
            return path, None
        if path.name in HUGO_FILES:
            return None, path
        raise DatelineError(
            f"{path}: not a Jekyll or Hugo settings file ({', '.join(JEKYLL_FILES)}, hugo.toml, ...)"
        )
    jekyll = next((path / name for name in JEKYLL_FILES if (path / name).is_file()), None)
    default = path / "config" / "_default"
    hugo = next(
        (folder / name for folder in (path, default) for name in HUGO_FILES if (folder / name).is_file()),
        default if default.is_dir() else None,
    )
    return jekyll, hugo


def _hugo_root(found: Path) -> Path:
    """The Hugo site folder of a settings file or of ``config/_default/``."""
    if found.is_dir() or found.parent.name == "_default":
        return (found if found.is_dir() else found.parent).parent.parent
    return found.parent


def _hugo_settings(found: Path) -> tuple[dict[str, Any], tuple[Path, ...], dict[str, str]]:
    """Hugo's settings: the site's settings file, then ``config/_default/`` over it, where a
    file named after a setting (``params.toml``) holds that setting. Keys are lowercased, as
    Hugo reads them; the top-level ones as written come third."""
    root = _hugo_root(found)
    files = [root / name for name in HUGO_FILES if (root / name).is_file()][:1]
    default = root / "config" / "_default"
    if default.is_dir():
        files += sorted(p for p in default.iterdir() if p.is_file() and p.suffix[1:] in _FORMATS)
    data: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for file in files:
        written = _read(file)
        values = _lowercase_keys(written)
        name = file.stem.lower()
        if file.parent == default and name not in ("hugo", "config"):
            setting, dot, code = file.stem.partition(".")
            values, written = {setting.lower(): values}, {setting: written}
            if dot:  # menus.de.toml holds Hugo's languages.de.menus
                values, written = {"languages": {code.lower(): values}}, {"languages": {code: written}}
        spelled.update((str(key).lower(), str(key)) for key in written)
        _merge(data, values)
    return data, tuple(files), spelled


def _merge(into: dict[str, Any], values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _lowercase_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key).lower(): _lowercase_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lowercase_keys(item) for item in value]
    return value


def _read(path: Path) -> dict[str, Any]:
    """A settings file as a mapping; its syntax errors at their line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BuildFailed([ContentError(path, 1, "not UTF-8 text; save the file as UTF-8")]) from None
    except OSError as error:
        raise DatelineError(f"{path}: cannot read it: {error.strerror or error}") from None
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except tomllib.TOMLDecodeError as error:
        line = int(m[1]) if (m := re.search(r"line (\d+)", str(error))) else 1
        raise BuildFailed([ContentError(path, line, f"invalid TOML: {error}")]) from None
    except json.JSONDecodeError as error:
        raise BuildFailed([ContentError(path, error.lineno, f"invalid JSON: {error.msg}")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # An unclosed bracket or quote is noticed at the end; report where it was opened.
        problem = str(getattr(error, "problem", None) or error)
        if ("end of stream" in problem or "<stream end>" in problem) and getattr(error, "context_mark", None):
            mark = error.context_mark  # type: ignore[attr-defined]
        line = mark.line + 1 if mark is not None else 1
        detail = problem.replace("'<stream end>'", "the end of the file")
        raise BuildFailed([ContentError(path, line, f"invalid YAML: {detail}")]) from None
    except ValueError as error:  # a YAML date that is no date: 2024-13-45
        raise BuildFailed([ContentError(path, 1, f"invalid value: {error}")]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildFailed(
            [ContentError(path, 1, "the settings must be 'key: value' pairs, not a list or text")]
        )
    return data


# -- Jekyll ------------------------------------------------------------------------------------

#: Why Jekyll settings Dateline has no use for stay behind.
_JEKYLL_REASONS = {
    **dict.fromkeys(("plugins", "gems", "whitelist"), "Jekyll plugins do not run in Dateline (it writes feeds, a sitemap, SEO tags and redirects itself)"),
    **dict.fromkeys(("theme", "remote_theme", "sass", "layouts_dir", "includes_dir", "logo", "social", "twitter", "google_analytics", "google_analytics_id", "header_pages", "minima", "author", "repository", "github", "lang_vars"), "a theme setting: Dateline's theme is templates/ (override it file by file)"),
    **dict.fromkeys(("markdown", "kramdown", "highlighter", "markdown_ext", "commonmark", "excerpt_separator", "liquid"), "Dateline renders Markdown itself (the markdown setting: CommonMark with GitHub's extensions)"),
    **dict.fromkeys(("source", "destination", "exclude", "include", "keep_files", "data_dir", "plugins_dir", "safe", "incremental", "profile", "strict_front_matter", "encoding", "webrick", "port", "host", "livereload", "baseurl_prefix", "lsi", "limit_posts", "verbose", "quiet", "detach", "show_dir_listing", "version", "parallel_localization"), "a build setting: Dateline reads content/ and writes output/"),
    **dict.fromkeys(("future", "unpublished", "show_drafts"), "Dateline leaves out drafts and future-dated articles unless built with --drafts"),
    "paginate_path": "Dateline's listing pages are numbered from the oldest: /page/1/, /page/2/...",
    "feed": "Dateline writes /feed.xml (Atom) and /feed.json for the site, each tag and each region",
    "jekyll-archives": "Dateline writes tag, region and date pages itself (/tags/NAME/, /2024/08/)",
    "exclude_from_localization": "Dateline copies static files once for every language: only articles and pages have a language",
    "lang_from_path": "Dateline reads an article's language from its top folder (de/...) and its lang front matter by itself",
}  # fmt: skip


def _from_jekyll(data: dict[str, Any], source: Path, section: str | None) -> Imported:
    draft = _Draft()
    draft.used.update(("title", "name", "description", "url", "baseurl", "lang", "locale", "timezone"))
    draft.used.update(("paginate", "permalink", "collections", "defaults", "collections_dir"))
    _not_text(draft, data, ("title", "name", "description", "url", "baseurl", "lang", "locale"))
    title_key = "title" if _text(data.get("title")) else "name"
    if title := _text(data.get(title_key)):
        draft.set("title", title, title_key)
    if description := _text(data.get("description")):
        draft.set("description", description)
    if url := _text(data.get("url")):
        base = url.rstrip("/") + "/" + (_text(data.get("baseurl")) or "").strip("/")
        _base_url(draft, base.rstrip("/") + "/", "url + baseurl" if data.get("baseurl") else "url")
    elif data.get("url") is None:
        draft.leave("url", "not set: set base_url in site.toml to where the archive is published")
    if language := _text(data.get("lang")) or _text(data.get("locale")):
        draft.set("language", language.replace("_", "-"), "lang" if data.get("lang") else "locale")
    _polyglot(draft, data)
    _timezone(draft, data.get("timezone"), "timezone")
    if "timezone" not in draft.settings and data.get("timezone") is None:
        draft.notes.append(
            "Jekyll's timezone was not set: it used the building machine's (UTC on GitHub Pages); "
            "Dateline reads UTC (set timezone in site.toml if your builds ran elsewhere)"
        )
    # Jekyll reads every date in the site's time zone (Utils.parse_date: Time#localtime) and
    # dates its URLs by that day; Dateline does so with archive_day = "site".
    draft.set("archive_day", "site", "Jekyll dates posts in the site's time zone")
    _per_page(draft, data.get("paginate"), "paginate")
    draft.set("tag_keys", ["tags", "tag", "categories", "category"], "Jekyll's tags and categories")
    _jekyll_permalink(draft, data, section or "posts")
    if isinstance(defaults := data.get("defaults"), list) and any(
        isinstance(entry, dict) and isinstance(entry.get("values"), dict) and "permalink" in entry["values"]
        for entry in defaults
    ):
        draft.leave("defaults", "sets 'permalink' for some files; write it in those files' front matter")
    elif defaults:
        draft.leave("defaults", "front-matter defaults are not applied; write the values in the files")
    posts = Path(_text(data.get("source")) or ".") / (_text(data.get("collections_dir")) or "") / "_posts"
    in_urls = "{categories}" in draft.permalinks.get("article", "")
    draft.notes.append(
        f"Articles: Dateline reads content/. Copy {posts.as_posix()}/ (and _drafts/) into content/, keeping "
        "the folders above it (en/news/_posts/ -> content/en/news/_posts/)"
        + (": they are part of :categories URLs" if in_urls else "")
    )
    _leave_the_rest(draft, data, _JEKYLL_REASONS)
    return draft.done("Jekyll", (source,))


def _polyglot(draft: _Draft, data: dict[str, Any]) -> None:
    """jekyll-polyglot's ``languages`` as ``[languages]``, in its order, and its ``default_lang``
    (at the root, where polyglot puts it) as the site's language."""
    if "languages" not in data:
        return
    draft.used.update(("languages", "default_lang"))
    listed = data["languages"]
    if not isinstance(listed, list) or not all(isinstance(code, str) for code in listed):
        draft.leave("languages", "must be a list of language codes: [en, de]")
        return
    codes = [
        code
        for n, written in enumerate(listed)
        if (code := _language_code(draft, written, f"languages[{n}]"))
    ]
    if not codes:
        return
    default = _language_code(draft, _text(data.get("default_lang")) or "en", "default_lang") or codes[0]
    origin = "default_lang" if data.get("default_lang") else "jekyll-polyglot's default default_lang"
    _default_language(draft, data, default, origin, ("lang", "locale"))
    draft.set("languages", {code: {} for code in codes}, "jekyll-polyglot's languages")
    draft.notes.append(
        "jekyll-polyglot wrote each untranslated article under every language's prefix too (/de/...); "
        "Dateline writes it once, in its own language (its lang front matter)"
    )


def _jekyll_permalink(draft: _Draft, data: dict[str, Any], collection: str) -> None:
    """The posts' permalink: the collection's own, else the site's ``permalink`` (a style name
    or a pattern), else Jekyll's default style, ``date``."""
    collections = data.get("collections")
    own = collections.get(collection) if isinstance(collections, dict) else None
    if isinstance(own, dict) and own.get("permalink") is not None:
        written, name = own["permalink"], f"collections.{collection}.permalink"
    elif data.get("permalink") is not None:
        written, name = data["permalink"], "permalink"
    else:
        written, name = "date", "permalink (Jekyll's default style, date)"
    if isinstance(collections, dict):
        for other in collections:
            if other != collection:
                draft.leave(f"collections.{other}", f"only the {collection} collection is read, as articles")
    if not isinstance(written, str):
        draft.leave(name, "must be a style name or a pattern; articles keep Dateline's default URLs")
        return
    pattern = JEKYLL_STYLES.get(written.strip(), written.strip())
    if not pattern.startswith("/"):  # Jekyll adds the slash (URL#sanitize_url)
        pattern = "/" + pattern
    _article_pattern(draft, pattern, name, written, "jekyll")


# -- Hugo --------------------------------------------------------------------------------------

_HUGO_REASONS = {
    **dict.fromkeys(("theme", "themesdir", "module", "params", "menu", "menus", "layoutdir", "googleanalytics", "disqusshortname", "copyright", "author", "social", "services", "privacy", "sectionpagesmenu"), "a theme setting: Dateline's theme is templates/ (override it file by file; free-form values for your templates belong under [extra])"),
    **dict.fromkeys(("markup", "pygmentsstyle", "pygmentscodefences", "pygmentsusesclasses", "enableemoji", "footnotereturnlinkcontents"), "Dateline renders Markdown itself (the markdown setting: CommonMark with GitHub's extensions)"),
    **dict.fromkeys(("outputs", "outputformats", "mediatypes", "rsslimit", "sitemap", "enablerobotstxt"), "Dateline writes its own feeds (Atom and JSON Feed), sitemap, robots.txt and search"),
    **dict.fromkeys(("buildfuture", "builddrafts", "buildexpired"), "Dateline leaves out drafts and future-dated articles unless built with --drafts"),
    **dict.fromkeys(("contentdir", "publishdir", "staticdir", "datadir", "assetdir", "resourcedir", "archetypedir", "i18ndir", "cachedir", "workingdir", "ignorefiles", "build", "caches", "imaging", "minify", "server", "deployment", "security", "cleandestinationdir", "metadataformat", "enablegitinfo", "reflinkserrorlevel", "reflinksnotfoundurl", "ignorelogs", "timeout", "segments", "environment", "summarylength", "canonifyurls", "relativeurls", "enableinlineshortcodes", "capitalizelisttitles", "pluralizelisttitles", "preservetaxonomynames", "titlecasestyle", "hascjklanguage", "enablemissingtranslationplaceholders", "paginatepath"), "a build setting Dateline has no use for (it reads content/ and writes output/)"),
    "related": "Dateline picks related articles by shared tags and regions (related_count)",
    "frontmatter": "Dateline reads date from 'date' (or 'publishDate'), else a YYYY-MM-DD- file name, and 'updated' from 'lastmod'",
    "cascade": "front matter set by cascade is not applied; write the values in the files",
    "disablekinds": "Dateline writes every kind of page its theme has",
    "disablepathtolower": "Dateline's Hugo slug rules lowercase URLs, as Hugo does by default: old URLs with capitals change",
    "removepathaccents": "Dateline's Hugo slug rules keep accents, as Hugo does by default: old URLs without them change",
}  # fmt: skip


def _from_hugo(
    data: dict[str, Any], read: tuple[Path, ...], spelled: dict[str, str], root: Path, section: str | None
) -> Imported:
    draft = _Draft(spelled=spelled)
    draft.used.update(("title", "baseurl", "locale", "languagecode", "defaultcontentlanguage", "timezone"))
    draft.used.add("paginate")
    draft.used.update(("pagination", "permalinks", "taxonomies", "uglyurls", "mainsections"))
    _not_text(draft, data, ("title", "baseurl", "locale", "languagecode", "defaultcontentlanguage"))
    if title := _text(data.get("title")):
        draft.set("title", title)
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    if description := _text(params.get("description")):
        draft.set("description", description, "params.description")
    if base := _text(data.get("baseurl")):
        _base_url(draft, base.rstrip("/") + "/", "baseURL")
    elif data.get("baseurl") is None:
        draft.leave("baseURL", "not set: set base_url in site.toml to where the archive is published")
    for key in ("locale", "languagecode", "defaultcontentlanguage"):  # locale since Hugo 0.158
        if language := _text(data.get(key)):
            draft.set("language", language, spelled.get(key, key))
            break
    _timezone(draft, data.get("timezone"), "timeZone")
    languages = _hugo_languages(draft, data)
    pagination = data.get("pagination") if isinstance(data.get("pagination"), dict) else {}
    if "pagersize" in pagination:
        _per_page(draft, pagination["pagersize"], "pagination.pagerSize")
    else:
        _per_page(draft, data.get("paginate"), "paginate")
    section, chosen = _article_section(data, params, root, languages, asked=section)
    tag_plurals = _taxonomies(draft, data.get("taxonomies"))
    _hugo_permalinks(draft, data, section, chosen, tag_plurals)
    content = _text(data.get("contentdir")) or "content"
    folders = (section, *(f"{language}/{section}" for language in sorted(languages)))
    kept = [folder for folder in folders if (root / content / folder).is_dir()] or [section]
    keep = ", ".join(f"{content}/{folder}/ as content/{folder}/" for folder in kept)
    draft.notes.append(
        f"Articles: keep {keep} (the Hugo layout). Dateline reads every Markdown file under content/ as "
        "an article: move other sections (pages, events) out of it"
    )
    for key in ("disablepathtolower", "removepathaccents"):
        if not data.get(key):  # Hugo's default, which the Hugo slug rules follow
            draft.used.add(key)
    dates = data.get("frontmatter", {}).get("date") if isinstance(data.get("frontmatter"), dict) else None
    if isinstance(dates, list) and ":filename" in dates:
        draft.leave(
            "frontmatter.date",
            "takes dates and slugs from YYYY-MM-DD- file names: Dateline takes the date too, but an "
            "article without 'slug' gets its URL from its title; add 'slug' to keep those URLs",
        )
    _leave_the_rest(draft, data, _HUGO_REASONS, params_left=params)
    return draft.done("Hugo", read)


def _article_section(
    data: dict[str, Any], params: dict[str, Any], root: Path, languages: frozenset[str], asked: str | None
) -> tuple[str, str]:
    """The Hugo section holding the articles, and how it was chosen: ``--section``, else the
    site's ``mainSections``, else the section with the most Markdown files (in content/ and
    in its ``languages`` folders, content/de/posts/), else "posts"."""
    if asked:
        return asked.strip("/").lower(), "--section"
    main = params.get("mainsections", data.get("mainsections"))
    if isinstance(main, str):
        main = [main]
    if isinstance(main, list) and main and isinstance(main[0], str):
        return main[0].lower(), "mainSections"
    content = root / (_text(data.get("contentdir")) or "content")
    counts: dict[str, int] = {}
    for folder in _section_folders(content, languages):
        articles = sum(1 for p in folder.rglob("*.md") if not p.name.startswith("_"))
        counts[folder.name] = counts.get(folder.name, 0) + articles
    if counts and max(counts.values()) > 0:
        best = max(counts, key=lambda name: (counts[name], name == "posts"))
        return best.lower(), f"the section with the most articles ({counts[best]})"
    return "posts", "Hugo's usual section"


def _section_folders(content: Path, languages: frozenset[str]) -> list[Path]:
    """The folders of ``content`` that are sections, and of those of its folders named after
    one of ``languages`` (content/de/posts/)."""
    if not content.is_dir():
        return []
    found: list[Path] = []
    for folder in sorted(content.iterdir()):
        if folder.is_dir() and not folder.name.startswith((".", "_")):
            found += _section_folders(folder, frozenset()) if folder.name.lower() in languages else [folder]
    return found


#: Hugo's spelling of a language's settings, which are read lowercased.
_HUGO_SPELLING = {"languagename": "languageName", "languagecode": "languageCode", "languagedirection": "languageDirection",
                  "contentdir": "contentDir", "timezone": "timeZone", "baseurl": "baseURL"}  # fmt: skip
#: Why a language's own Hugo settings stay behind (contentDir, languageCode, baseURL: _language_left).
_HUGO_LANGUAGE_REASONS = {
    "languagedirection": "Dateline writes Arabic, Hebrew, Persian and Urdu right to left by itself",
    **dict.fromkeys(("menu", "menus"), "Dateline's menu is site.toml's [menu], one for every language"),
    "params": "a theme setting: free-form values for your templates belong under [extra]",
}
#: What a language's settings in ``[languages]`` are made from, and which the site's they stand for.
_HUGO_LANGUAGE_KEYS = ("title", "description", "timezone")


def _hugo_languages(draft: _Draft, data: dict[str, Any]) -> frozenset[str]:
    """Hugo's languages as ``[languages]``, in Hugo's order (by weight, the unweighted last,
    then by code), with what differs from the default language's: its title, description and
    time zone are the site's. A single language at the root is the site's language, with no
    table. Returns the folders named after the languages (content/de/), which hold sections."""
    draft.used.update(("languages", "defaultcontentlanguageinsubdir", "disablelanguages"))
    given, subdir = data.get("languages"), data.get("defaultcontentlanguageinsubdir")
    if subdir is not None and not isinstance(subdir, bool):
        draft.leave("defaultContentLanguageInSubdir", f"must be true or false, not {subdir!r}")
        subdir = None
    default = _text(data.get("defaultcontentlanguage")) or "en"
    if given is None and not subdir:
        return frozenset()
    if given is None:  # the default language under its prefix: /en/
        given = {default.lower(): {}}
    if not isinstance(given, dict):
        draft.leave("languages", "must be a table with a table per language: [languages.de]")
        return frozenset()
    off = data.get("disablelanguages")
    off = {str(code).lower() for code in off} if isinstance(off, list) else set()
    folders = {default.lower(), *given}
    found: list[tuple[int, str, str, dict[str, Any]]] = []  # weight, code as written, code, settings
    for written, values in given.items():
        if not isinstance(values, dict):
            draft.leave(f"languages.{written}", "must be a table of the language's settings")
            continue
        if content := _text(values.get("contentdir")):
            folders.add(PurePosixPath(content).name.lower())
        if values.get("disabled") is True or written in off:
            draft.leave(
                f"languages.{written}",
                f"disabled, so left out: Dateline would build its articles (content/{written}/, "
                f"name.{written}.md) as the default language's; move them out of content/",
            )
        elif code := _language_code(draft, written, f"languages.{written}"):
            weight = values.get("weight")
            weight = weight if isinstance(weight, int) and not isinstance(weight, bool) else 0
            found.append((weight, written, code, values))
    found.sort(key=lambda each: (each[0] == 0, each[0], each[1]))  # Hugo's langs.Languages order
    if not found:
        return frozenset(folders)
    single = len(found) == 1 and not subdir
    own = {code: _hugo_language(draft, written, code, values, single) for _, written, code, values in found}
    if single:
        ((_, written, code, values),) = found
        for key, (value, origin) in own[code].items():
            if key == "name":
                draft.leave(f"languages.{written}.languageName", "a site in one language names none")
            else:
                draft.set(key, value, origin)
        if said := _text(values.get("languagecode")):
            draft.set("language", said, f"languages.{written}.languageCode")
        elif "language" not in draft.settings:
            draft.set("language", code, f"languages.{written}")
        return frozenset(folders)
    written_as = draft.spelled.get("defaultcontentlanguage", "defaultContentLanguage")
    default = _language_code(draft, default, written_as) or found[0][2]
    origin = written_as if "defaultcontentlanguage" in data else "Hugo's default defaultContentLanguage"
    site = {key: (draft.settings.get(key), draft.origins.get(key, key)) for key in _HUGO_LANGUAGE_KEYS}

    def setting(code: str, key: str) -> tuple[Any, str]:
        return own.get(code, {}).get(key, site[key])

    for key in _HUGO_LANGUAGE_KEYS:
        if (chosen := setting(default, key))[0] not in (None, site[key][0]):
            draft.set(key, *chosen)
    table: dict[str, Any] = {}
    if subdir is not None:
        table["prefix_default_language"] = subdir
        draft.origins["languages.prefix_default_language"] = draft.spelled["defaultcontentlanguageinsubdir"]
    for weight, written, code, _ in found:
        mine = {key: setting(code, key) for key in _HUGO_LANGUAGE_KEYS if setting(code, key)[0] is not None}
        mine = {key: chosen for key, chosen in mine.items() if chosen[0] != setting(default, key)[0]}
        if "name" in own[code]:
            mine = {"name": own[code]["name"], **mine}
        table[code] = {key: value for key, (value, _) in mine.items()}
        draft.origins.update((f"languages.{code}.{key}", origin) for key, (_, origin) in mine.items())
        draft.origins[f"languages.{code}"] = f"languages.{written}" + (f", weight {weight}" if weight else "")
    _default_language(draft, data, default, origin, ("locale", "languagecode"))
    draft.set("languages", table, "Hugo's languages, by weight, then code")
    draft.notes.append(
        "Languages: Dateline reads each article's language from its top folder (content/de/...) or its name "
        "(name.de.md), as Hugo does, and links a story's translations by path or translationKey"
    )
    return frozenset(folders)


def _hugo_language(
    draft: _Draft, written: str, code: str, values: dict[str, Any], single: bool
) -> dict[str, tuple[str, str]]:
    """One Hugo language's name, title, description and time zone, each with what it was made
    from; its other settings are listed."""
    name = f"languages.{written}"
    params = values.get("params") if isinstance(values.get("params"), dict) else {}
    own: dict[str, tuple[str, str]] = {}
    for key, target in (("languagename", "name"), ("title", "title"), ("description", "description")):
        if text := _text(values.get(key)):
            own[target] = (text, f"{name}.{_HUGO_SPELLING.get(key, key)}")
        elif values.get(key) is not None:
            draft.leave(f"{name}.{_HUGO_SPELLING.get(key, key)}", f"must be text, not {values[key]!r}")
    if text := _text(params.get("description")):
        own["description"] = (text, f"{name}.params.description")
    if values.get("timezone") is not None:
        if zone := _zone(values["timezone"]):
            own["timezone"] = (zone, f"{name}.timeZone")
        else:
            draft.leave(f"{name}.timeZone", f"{values['timezone']!r} is not an IANA time zone")
    read = {"languagename", "title", "description", "timezone", "weight", "disabled"}
    for key, value in values.items():
        if key in read or (key == "params" and not set(params) - {"description"}):
            continue
        if key == "languagecode" and single:  # the site's language
            continue
        draft.leave(f"{name}.{_HUGO_SPELLING.get(key, key)}", _language_left(key, value, code))
    return own


def _language_left(key: str, value: Any, code: str) -> str:
    """Why a language's own Hugo setting ``key`` stays behind."""
    folder = code.lower()
    if key == "contentdir":
        moved = str(value).strip().strip("/")
        move = "" if moved == f"content/{folder}" else f": move {moved}/ to content/{folder}/"
        return (
            f"Dateline finds a language's articles in content/{folder}/ and in name.{folder}.md files{move}"
        )
    if key == "languagecode":
        return f'Dateline\'s pages in this language say lang="{code}", its code in [languages]'
    if key == "baseurl":
        return f"Dateline publishes every language under the site's base_url, this one under /{folder}/"
    return _HUGO_LANGUAGE_REASONS.get(
        key, "a language's own setting Dateline has no use for: it takes the site's"
    )


def _hugo_permalinks(
    draft: _Draft, data: dict[str, Any], section: str, chosen: str, tag_plurals: list[str]
) -> None:
    """The article pattern from the section's permalink (Hugo's default URL when it has none),
    and the tag pattern when one taxonomy holds the tags; every other rule left behind."""
    rules = _permalink_rules(data.get("permalinks"))
    if rules is None:
        draft.leave("permalinks", "is neither a table nor a list of rules; articles keep Hugo's default URLs")
        rules = []
    article = next(((n, p) for n, kind, s, p in rules if kind in ("", "page") and s == section), None)
    tag_taxonomy = tag_plurals[0] if len(tag_plurals) == 1 else None
    for name, kind, rule_section, pattern in rules:
        if article is not None and name == article[0]:
            continue
        wanted = _leading_slash(pattern)
        is_tags = rule_section == tag_taxonomy and kind in ("", "term") and isinstance(wanted, str)
        if is_tags and pattern_problem("tag", wanted) is None:
            draft.permalinks["tag"] = parse_pattern(wanted, {"slug"})
            continue
        if rule_section != section:
            draft.leave(name, f"only the {section} section is read, as articles ({chosen})")
        else:
            draft.leave(name, f"Dateline has no {kind} page for {section}: its articles are listed from /")
    if "tag" not in draft.permalinks and tag_taxonomy not in (None, "tags"):
        draft.permalinks["tag"] = f"/{tag_taxonomy}/{{slug}}/"
    ugly = data.get("uglyurls")
    ugly = ugly.get(section, False) if isinstance(ugly, dict) else bool(ugly)
    if article is None:
        # Hugo's own URL for a page: its folder, then its slug or file name.
        written, name = "/:folder/:slugorcontentbasename/", f"no permalink for {section}: Hugo's default"
    else:
        name, written = article
    pattern = _leading_slash(written) if isinstance(written, str) else written
    if ugly and isinstance(pattern, str) and pattern.endswith("/"):
        pattern = pattern.rstrip("/") + ".html"  # uglyURLs: /2024/story.html
        name += " with uglyURLs"
    _article_pattern(draft, pattern, name, written, "hugo")


def _permalink_rules(value: Any) -> list[tuple[str, str, str, Any]] | None:
    """Hugo's permalink rules as (setting name, page kind or "", section, pattern): the map
    forms (``posts = "..."``, ``[permalinks.page] posts = "..."``) and the list of
    ``{target, pattern}`` rules."""
    if value is None:
        return []
    rules: list[tuple[str, str, str, Any]] = []
    if isinstance(value, list):
        for number, rule in enumerate(value):
            if not isinstance(rule, dict):
                return None
            target = rule.get("target") if isinstance(rule.get("target"), dict) else {}
            kind = str(target.get("kind") or "").lower()
            rules.append((f"permalinks[{number}]", kind, _section_of_glob(str(target.get("path") or "")),
                          rule.get("pattern")))  # fmt: skip
        return rules
    if not isinstance(value, dict):
        return None
    for key, pattern in value.items():
        if isinstance(pattern, dict):
            rules += [(f"permalinks.{key}.{s}", key, s.strip("/"), p) for s, p in pattern.items()]
        else:
            rules.append((f"permalinks.{key}", "", key.strip("/"), pattern))
    return rules


def _section_of_glob(glob: str) -> str:
    """The top section a rule's path glob names (``/posts/**`` -> ``posts``), "" for none."""
    found = re.search(r"/([^/{},*?\[\]]+)", glob)
    return found[1].lower() if found else ""


def _taxonomies(draft: _Draft, value: Any) -> list[str]:
    """Hugo's taxonomies as tag, region and author keys (categories and any other taxonomy
    are tags); the plural names read as tags."""
    if value is None:
        value = {"tag": "tags", "category": "categories"}  # Hugo's default
    if not isinstance(value, dict):
        draft.leave("taxonomies", "must be a table of singular = plural names")
        return []
    tags: list[str] = []
    regions: list[str] = []
    authors: list[str] = []
    for singular, plural in value.items():
        if not isinstance(plural, str) or not plural.strip():
            draft.leave(f"taxonomies.{singular}", "has no plural name")
            continue
        plural = plural.strip().lower()
        if {singular, plural} & REGION_NAMES:
            regions.append(plural)
        elif {singular, plural} & AUTHOR_NAMES:
            authors.append(plural)
        else:
            tags.append(plural)
    if tags:
        draft.set("tag_keys", tags, "taxonomies: " + ", ".join(tags))
    if regions:
        draft.set("region_keys", regions, "taxonomies: " + ", ".join(regions))
    if extra_authors := [name for name in authors if name not in DEFAULT_AUTHOR_KEYS]:
        draft.set("author_keys", [*DEFAULT_AUTHOR_KEYS, *extra_authors], "taxonomies: " + ", ".join(authors))
    if len(tags) > 1:  # one set of tag pages for them all
        for plural in tags:
            if plural != "tags":
                draft.leave(
                    f"taxonomies.{plural}", f"read as tags: its pages /{plural}/NAME/ are now /tags/NAME/"
                )
    return tags


# -- shared ------------------------------------------------------------------------------------


def _article_pattern(draft: _Draft, pattern: Any, name: str, written: Any, rules: str) -> None:
    if not isinstance(pattern, str):
        draft.leave(name, "is not text; articles keep Dateline's default URLs")
        return
    if problem := pattern_problem("article", pattern):
        draft.leave(name, f"{written!r} {problem}; articles keep Dateline's default URLs")
        return
    parsed = parse_pattern(pattern, ARTICLE_PLACEHOLDERS)
    article = as_folder_or_page(parsed)
    draft.permalinks["article"] = article
    draft.permalinks["slugs"] = rules
    draft.origins["permalinks.article"] = f"{name}: {written}"
    if article != parsed:
        draft.notes.append(
            f"{name} ({written}) makes URLs without a trailing slash or .html: Dateline writes each "
            "as a folder (/2024/story/), which servers such as GitHub Pages answer at /2024/story too"
        )
    if "folder" in placeholders(parsed) or "section" in placeholders(parsed):
        draft.notes.append("The article URLs hold the folders under content/: keep the old site's folders")


def _leading_slash(pattern: Any) -> Any:
    return "/" + pattern.lstrip("/") if isinstance(pattern, str) else pattern


def _base_url(draft: _Draft, url: str, origin: str) -> None:
    if problem := base_url_problem(url):
        draft.leave(origin.split(" ")[0], f"base_url {problem}")
    else:
        draft.set("base_url", url, origin)


def _timezone(draft: _Draft, value: Any, name: str) -> None:
    if value is None:
        return
    if zone := _zone(value):
        draft.set("timezone", zone, name)
    else:
        draft.leave(name, f"{value!r} is not an IANA time zone; Dateline reads UTC")


def _zone(value: Any) -> str | None:
    """``value`` as an IANA time zone's name, None when it names none."""
    zone = _text(value)
    try:
        zoneinfo.ZoneInfo(zone or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return zone


_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|[0-9]{3}))?")


def _language_code(draft: _Draft, written: str, name: str) -> str | None:
    """``written`` as a language code in BCP 47's case (``pt-br`` -> ``pt-BR``); one that is
    none is listed under ``name`` and gives None."""
    found = _LANGUAGE_TAG.fullmatch(written.strip().lower())
    if found is None:
        draft.leave(
            name,
            f"{written!r} is no language code Dateline reads (BCP 47: 'de', 'pt-BR', 'zh-Hans'); "
            "rename it, and its folder",
        )
        return None
    language, script, region = found.groups()
    return "-".join(part for part in (language, script and script.title(), region and region.upper()) if part)


def _default_language(
    draft: _Draft, data: Mapping[str, Any], code: str, origin: str, keys: tuple[str, ...]
) -> None:
    """``code`` as the site's language, the default of its languages; each of ``keys`` that
    says another is listed."""
    for key in keys:
        if (said := _text(data.get(key))) and said.replace("_", "-").lower() != code.lower():
            draft.leave(key, f'{origin} makes {code} the default language: its pages say lang="{code}"')
    draft.set("language", code, origin)


def _per_page(draft: _Draft, value: Any, name: str) -> None:
    if value is None:
        return
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        draft.set("per_page", value, name)
    else:
        draft.leave(name, f"{value!r} is not a number of articles per page")


def _leave_the_rest(
    draft: _Draft,
    data: dict[str, Any],
    reasons: Mapping[str, str],
    params_left: Mapping[str, Any] | None = None,
) -> None:
    """Every setting not read yet, with why it stays behind."""
    for key in data:
        if key in draft.used:
            continue
        if key == "params" and params_left is not None:
            others = sorted(k for k in params_left if k != "description")
            if not others:
                continue
        why = reasons.get(key) or reasons.get(key.lower())
        draft.leave(
            key, why or "no Dateline setting (free-form values for your templates belong under [extra])"
        )


def _not_text(draft: _Draft, data: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    """List each of ``keys`` whose value is there but no text (``title: [a, b]``)."""
    for key in keys:
        if data.get(key) is not None and not isinstance(data[key], str):
            draft.leave(key, f"must be text, not {data[key]!r}")


def _text(value: Any) -> str | None:
    """A setting's text, stripped; None for anything else or blank."""
    return value.strip() or None if isinstance(value, str) else None


# -- writing site.toml -------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def site_toml(imported: Imported) -> str:
    """``site.toml`` holding the imported settings, each with what it was made from."""
    sources = ", ".join(path.name for path in imported.read)
    lines = [
        f"# Written by `dateline import` from {imported.generator}'s {_comment(sources)}.",
        "# Settings it could not carry over were listed when it ran; README.md, Settings, has them all.",
        "",
    ]
    tables = {key: value for key, value in imported.settings.items() if isinstance(value, Mapping)}
    for key, value in imported.settings.items():
        if key not in tables:
            lines.append(_line(key, value, imported.origins.get(key, "")))
    if imported.permalinks:
        tables["permalinks"] = imported.permalinks
    for key, table in tables.items():
        lines += _table(key, table, imported.origins)
    return "\n".join(lines) + "\n"


def _table(name: str, table: Mapping[str, Any], origins: Mapping[str, str]) -> list[str]:
    """``[name]`` and its settings, then its tables (``[languages.de]``)."""
    origin = origins.get(name, "")
    lines = ["", f"[{name}]" + (f"  # {_comment(origin)}" if origin else "")]
    inner = {key: value for key, value in table.items() if isinstance(value, Mapping)}
    for key, value in table.items():
        if key not in inner:
            lines.append(_line(key, value, origins.get(f"{name}.{key}", "")))
    for key, value in inner.items():
        lines += _table(f"{name}.{_key(key)}", value, origins)
    return lines


def _line(key: str, value: Any, origin: str) -> str:
    return f"{_key(key)} = {_toml(value)}" + (f"  # {_comment(origin)}" if origin else "")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    # JSON's string escapes are TOML's, but for DEL, which TOML wants escaped too.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def _comment(text: str) -> str:
    return _CONTROL.sub(" ", text)


def write_settings(imported: Imported, site_dir: Path, force: bool = False) -> Path:
    """Write ``site.toml`` into ``site_dir``; an existing one is replaced only with ``force``."""
    target = site_dir / SETTINGS_FILE
    if (target.exists() or target.is_symlink()) and not force:
        raise BuildFailed([ContentError(target, 1, "already exists; dateline import --force replaces it")])
    if target.is_dir():
        raise DatelineError(f"{target} is a folder; the settings must be a file")
    handle, staged = tempfile.mkstemp(dir=site_dir, prefix=".site.toml.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(site_toml(imported))
        os.replace(staged, target)
    except BaseException:
        Path(staged).unlink(missing_ok=True)
        raise
    return target
