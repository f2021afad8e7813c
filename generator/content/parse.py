"""One article file: its bytes read into an Article, or the errors that stop it.

Front matter is read by frontmatter.py and the body rendered by markdown.py; here each
field is checked and turned into what the Article holds (dates, names, URLs, redirects),
every problem reported at its line.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin

from generator.config import Config
from generator.content import frontmatter
from generator.content.dates import parse_date
from generator.content.figures import lines_of, local_images, without_alt
from generator.content.frontmatter import Field, Problems
from generator.content.languages import LANGUAGE_KEYS, TRANSLATION_KEYS, language_code, placed
from generator.content.markdown import MAX_MARKDOWN_NESTING, Renderer, deepest_line, render_body
from generator.content.model import Alias, Article, Body, MenuEntry, Note, Picture
from generator.content.permalinks import ARTICLE_PLACEHOLDERS, ArticleFacts, article_url, content_path
from generator.content.permalinks import parse as parse_pattern
from generator.content.redirects import (
    ALIAS_KEYS,
    TARGET_KEYS,
    UNDATED,
    LeftOut,
    alias_url,
    file_url,
    redirect_target,
)
from generator.content.slugs import name_key, slugify
from generator.content.sources import PAGES_FOLDER, in_drafts_folder
from generator.errors import ContentError

SUMMARY_CHARS = 300
#: continent/country/province/district/town/quarter is six; each level is a nested list on the
#: regions page (drawn by recursion) and up to 241 bytes of the page's file path, which the
#: system limits to 4,096 bytes in all.
MAX_REGION_DEPTH = 10
#: Past this many tags (or regions, or authors) an article gets a warning: each name makes a
#: page (and for tags and regions a feed) of its own, and so many on one article is far more
#: often an import gone wrong (keywords, a list pasted whole) than a story filed under them.
MANY_NAMES = 50

_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
#: Hugo's keys for the time a page stops being published (its front matter is case-blind).
EXPIRY_KEYS = ("expirydate", "expiryDate", "expiry_date", "expires")
#: What front matter says of the lead image (``image``) besides where it is.
LEAD_IMAGE_KEYS = ("image_alt", "image_caption", "image_credit")
_KNOWN_KEYS = {
    "title", "date", "publishdate", "updated", "lastmod", "last_modified_at", "modified",
    "summary", "description", "slug", "draft", "published", "region", "regions", "tags",
    "author", "authors", "by", "categories", "topics", "keywords", "permalink", "story",
    "correction", "corrections", "updates", "type", "menu", "weight",
    "image", *LEAD_IMAGE_KEYS,
    *ALIAS_KEYS, *TARGET_KEYS, *EXPIRY_KEYS, *LANGUAGE_KEYS, *TRANSLATION_KEYS,
}  # fmt: skip


#: Far above any news article (a long feature is 50 KB of Markdown), and low enough that no file
#: can hold a build up: Python-Markdown takes seconds and gigabytes for tens of megabytes.
MAX_ARTICLE_BYTES = 2_000_000


def parse(
    data: bytes, source: Path, config: Config, md: Renderer
) -> tuple[Article | None, list[ContentError], list[ContentError]]:
    """One article from a file's bytes, or the errors that stop it; plus warnings."""
    problems = Problems(source)
    if len(data) > MAX_ARTICLE_BYTES:
        problems.error(
            1,
            f"the file is {len(data):,} bytes; an article may be at most {MAX_ARTICLE_BYTES:,} "
            "(2 MB): split it, or link to the data instead",
        )
        return None, problems.errors, problems.warnings
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.error(line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8")
        return None, problems.errors, problems.warnings
    front = frontmatter.read(text, problems)
    if front is None:
        return None, problems.errors, problems.warnings
    try:
        article = _article(
            front.fields, front.body, (front.opening_line, front.body_line), source, config, md, problems
        )
    except RecursionError:  # Python-Markdown parses what is nested by recursion
        deepest = front.body_line + deepest_line(front.body)
        problems.error(
            deepest,
            f"Markdown nested too deeply to render: lists, quotes or emphasis inside one another "
            f"more than about {MAX_MARKDOWN_NESTING} levels deep",
        )
    if problems.errors:
        return None, problems.errors, problems.warnings
    return article, problems.errors, problems.warnings


def _article(
    fields: dict[str, Field],
    body: str,
    lines: tuple[int, int],  # of the front matter's opening delimiter, and of the body's start
    source: Path,
    config: Config,
    md: Renderer,
    problems: Problems,
) -> Article | None:
    opening_line, body_line = lines
    taken: set[str] = set()
    under = content_path(source, config.content_dir)
    where = placed(under, config)
    lang = _language(fields, where.language or config.language, config, problems, taken)
    config = config.in_language(lang)

    def first(*keys: str) -> tuple[str, Field] | None:
        for key in keys:
            if key in fields:
                taken.update(keys)
                return key, fields[key]
        taken.update(keys)
        return None

    def text(*keys: str, required: bool = False) -> str | None:
        found = first(*keys)
        if found is None or found[1].value is None:
            if required:
                problems.error(opening_line, f"missing '{keys[0]}'")
            return None
        key, item = found
        if isinstance(item.value, (dict, list)):
            problems.error(item.line, f"'{key}' must be text, not a {_kind(item.value)}")
            return None
        value = (item.text if item.text is not None else str(item.value)).strip()
        if required and not value:
            problems.error(item.line, f"'{key}' is empty")
            return None
        return value

    def names(keys: Iterable[str], kind: str) -> tuple[str, ...]:
        collected: dict[str, str] = {}  # by name_key: "ISIS" and "isis" are one name
        for key in keys:
            taken.add(key)
            if key not in fields or fields[key].value is None:
                continue
            for value, line in _written_names(fields[key], split=key not in config.region_keys):
                if isinstance(value, (dict, list)):
                    problems.error(line, f"'{key}' must be a list of names, not hold a {_kind(value)}")
                elif value is None:
                    problems.warn(line, f"'{key}' has an empty item (~, null or a bare '-'); it is left out")
                elif name := " ".join(value.split()):
                    collected.setdefault(name_key(name), name)
        if len(collected) > MANY_NAMES:
            problems.warn(
                fields[_key_of(fields, keys)].line,
                f"{len(collected)} {kind} on one article; more than {MANY_NAMES} is most likely a mistake "
                "(each gets a page of its own, and listings and feeds show only the first few)",
            )
        return tuple(collected.values())

    def flag(*keys: str) -> bool | None:
        found = first(*keys)
        if found is None or found[1].value is None:
            return None
        key, item = found
        if not isinstance(item.value, bool):
            problems.error(item.line, f"'{key}' must be true or false, not '{item.text or item.value}'")
            return None
        return item.value

    # A file that only redirects (a Jekyll redirect_to page, a "redirect:" stub) needs no title
    # or date: it becomes a redirect page at its own URL, never an article.
    redirecting = any(fields[key].value is not None for key in TARGET_KEYS if key in fields)
    target = _redirect_target(first(*TARGET_KEYS), problems)
    taken.update(ALIAS_KEYS)
    standalone = _standalone(fields, where.path, taken)
    title = text("title", required=not redirecting)
    stem = where.path.stem
    jekyll = _JEKYLL_NAME.match(stem)
    published = _date(first("date", "publishDate"), config.tz, problems)
    if published is None and "date" not in fields and "publishDate" not in fields:
        if jekyll:
            written = "-".join(jekyll.groups()[:3])
            try:
                published = parse_date(written, config.tz)
            except ValueError as error:
                problems.error(
                    opening_line, f"the file name's date '{written}' is not a valid date ({error})"
                )
        elif not redirecting and not standalone:
            problems.error(
                opening_line,
                "missing 'date' (or name the file YYYY-MM-DD-slug.md); a page without one, such as "
                f"/about/, goes in {PAGES_FOLDER}/ under content/ or says 'type: page'",
            )
    updated = _date(first("updated", "lastmod", "last_modified_at", "modified"), config.tz, problems)
    taken.update(("corrections", "updates"))  # the old single "correction" stays in extra for templates
    corrections = _notes(fields, ("corrections", "correction"), published, updated, config.tz, problems)
    updates = _notes(fields, ("updates",), published, updated, config.tz, problems)
    expires = _date(first(*EXPIRY_KEYS), config.tz, problems)
    summary = text("summary", "description")
    given_slug = text("slug")
    story = text("story")
    draft = flag("draft")
    is_published = flag("published")
    tags = names(config.tag_keys, "tags")
    regions = names(config.region_keys, "regions")
    authors = names(config.author_keys, "authors")
    terms = tuple((t.name, found) for t in config.taxonomies if (found := names(t.keys, t.name)))
    menu = _menu(fields, title, problems, taken) if standalone else None
    if standalone:  # in no listing, so filed under nothing
        taxonomy_keys = [key for taxonomy in config.taxonomies for key in taxonomy.keys]
        for key in (*config.tag_keys, *config.region_keys, *config.author_keys, *taxonomy_keys, "story"):
            if key in fields and fields[key].value is not None:
                problems.warn(fields[key].line, f"'{key}' is left out: a page is in no listing")
        tags, regions, authors, terms, story = (), (), (), (), None
    for region in regions:
        parts = [part for part in region.split("/") if part.strip()]
        line = fields[_key_of(fields, config.region_keys)].line
        if not parts:
            problems.error(line, f"region '{region}' is empty")
        elif len(parts) > MAX_REGION_DEPTH:
            shown = "/".join(parts[:3]) + "/…"
            problems.error(
                line, f"region '{shown}' is {len(parts)} levels deep; at most {MAX_REGION_DEPTH} are allowed"
            )

    for key, item in fields.items():
        if key in taken or key in _KNOWN_KEYS:
            continue
        if close := difflib.get_close_matches(key, sorted(_KNOWN_KEYS), n=1, cutoff=0.8):
            problems.warn(item.line, f"unknown key '{key}' is kept for templates; did you mean '{close[0]}'?")

    if problems.errors or (not redirecting and (title is None or (published is None and not standalone))):
        return None
    undated = published is None  # a file that only redirects, with no date to place it by
    published, title = published or UNDATED, title or ""
    if updated is not None and updated < published:
        problems.warn(fields[_key_of(fields, ("updated", "lastmod", "last_modified_at", "modified"))].line,
                      "'updated' is earlier than 'date'")  # fmt: skip
    latest = max((note.date for note in (*corrections, *updates)), default=None)
    if latest is not None and latest > (updated or published):
        updated = latest  # the last change on the record
    slug = slugify(given_slug or (jekyll.group(4) if jekyll else title or stem))
    day = published if config.archive_day == "as-written" else published.astimezone(config.tz)
    path = under.with_name(where.path.name)  # no language suffix
    facts = ArticleFacts(day, slug, given_slug, title, path,
                         _value(fields, "categories"), _value(fields, "category"))  # fmt: skip
    url = _article_url(fields, facts, config, problems, taken)
    if standalone and not {"permalink", "url"} & taken:
        url = _page_url(where.path, given_slug, problems)
    elif undated and not {"permalink", "url"} & taken:  # no URL of its own either: its path's
        url = _own_url(where.path, given_slug, problems)
    if not {"permalink", "url"} & taken and not url.startswith(config.root):
        # A URL from a pattern or a path is under its language's prefix (/de/...), unless
        # the pattern put it there already (Jekyll's categories from a de/ folder).
        url = config.at(url)
    translation_key = text(*TRANSLATION_KEYS) or _without_suffix(where.path)
    aliases = _aliases(fields, url, config, problems)
    if target is not None and target.rstrip("/") == url.rstrip("/"):
        problems.error(fields[_key_of(fields, TARGET_KEYS)].line, f"redirects to its own URL {url}")
    if problems.errors:
        return None
    body_html, toc_html = render_body(body, md, config.allow_html)
    _warn_without_alt(body_html, body, body_line, problems)
    plain = _plain_text(body_html)
    if summary is None:  # a page shows its summary as a standfirst: only one written for it
        summary = "" if standalone else _first_paragraph(body_html)
    extra = {key: item.value for key, item in fields.items() if key not in taken}
    return Article(
        source=str(source),
        title=title,
        date=published,
        day=day.date(),
        updated=updated,
        slug=slug,
        url=url,
        regions=regions,
        tags=tags,
        authors=authors,
        summary=summary,
        body=Body(body_html, toc_html),
        word_count=word_count(plain),
        draft=bool(draft) or is_published is False or in_drafts_folder(under),
        extra=MappingProxyType(extra),
        lines=MappingProxyType({key: item.line for key, item in fields.items()}),
        aliases=aliases,
        redirect_to=target,
        expires=expires,
        story=slugify(story) if story else None,  # "Anbar raids" and "anbar-raids" are one story
        corrections=corrections,
        updates=updates,
        standalone=standalone,
        menu=menu,
        lang=lang,
        translation_key=translation_key,
        terms=terms,
        lead_image=_lead_image(fields, url, problems),
        images=local_images(body_html, url, config.base_path),
    )


def _standalone(fields: Mapping[str, Field], path: PurePosixPath, taken: set[str]) -> bool:
    """Whether the file is a standalone page: under content/pages/, unless it says
    ``type: article``, or anywhere with ``type: page``. Any other ``type`` (Hugo's layouts)
    is left for templates."""
    written = fields["type"].value if "type" in fields else None
    if written in ("page", "article"):
        taken.add("type")
        return written == "page"
    return path.parts[0] == PAGES_FOLDER


def _language(
    fields: Mapping[str, Field], placed_in: str, config: Config, problems: Problems, taken: set[str]
) -> str:
    """The article's language: ``lang`` (or ``language``) when the front matter says,
    else as its place says (``placed_in``)."""
    taken.update(LANGUAGE_KEYS)
    key = next((key for key in LANGUAGE_KEYS if key in fields and fields[key].value is not None), None)
    if key is None:
        return placed_in
    written = fields[key].value
    code = language_code(written, config) if isinstance(written, str) else None
    if code is None:
        if config.languages:
            known = ", ".join(each.code for each in config.languages)
            problems.error(fields[key].line, f"'{key}' is '{written}', no language of [languages] ({known})")
        else:
            problems.error(
                fields[key].line,
                f"'{key}' is '{written}', no language code CLDR knows (such as 'de' or 'pt-BR')",
            )
        return placed_in
    return code


def _page_url(path: PurePosixPath, given_slug: str | None, problems: Problems) -> str:
    """A standalone page's URL: its path under content/pages/ (else content/), its name
    slugified or replaced by its ``slug``: ``pages/policies/corrections.md`` ->
    ``/policies/corrections/``, ``pages/about/index.md`` -> ``/about/``."""
    if path.parts[:1] == (PAGES_FOLDER,) and len(path.parts) > 1:
        path = PurePosixPath(*path.parts[1:])
    named = given_slug or (path.stem if path.stem != "index" else None)
    return _own_url(path, slugify(named) if named else None, problems)


def _menu(
    fields: Mapping[str, Field], title: str | None, problems: Problems, taken: set[str]
) -> MenuEntry | None:
    """A standalone page's link in the menu: ``menu: true`` (labelled with its title) or
    ``menu: "About us"``, placed by a whole-number ``weight``, lighter first."""
    taken.update(("menu", "weight"))
    weight = fields["weight"].value if "weight" in fields else None
    if weight is not None and (not isinstance(weight, int) or isinstance(weight, bool)):
        problems.error(fields["weight"].line, f"'weight' must be a whole number, not {weight!r}")
        weight = None
    item = fields.get("menu")
    if item is None or item.value is None or item.value is False:
        return None
    if item.value is True:
        return MenuEntry(title or "", weight or 0)
    if isinstance(item.value, (dict, list)) or not str(item.text or item.value).strip():
        problems.error(item.line, "'menu' must be true, or the label of the page's link in the menu")
        return None
    return MenuEntry(" ".join(str(item.text or item.value).split()), weight or 0)


def _redirect_target(found: tuple[str, Field] | None, problems: Problems) -> str | None:
    """Where a file that redirects sends readers (``redirect_to``, ``redirect``), or None."""
    if found is None or found[1].value is None:
        return None
    key, item = found
    value = item.value
    if isinstance(value, list):  # jekyll-redirect-from follows the first of a list
        if len(value) > 1:
            problems.warn(item.line, f"'{key}' lists {len(value)} URLs; only the first is followed")
        value = value[0] if value else None
    if not isinstance(value, str):
        problems.error(item.line, f"'{key}' must be a URL or a path on this site, not {_as_written(value)!r}")
        return None
    try:
        return redirect_target(value)
    except ValueError as why:
        problems.error(item.line, f"'{key}' {value.strip()!r} {why}")
        return None


def _aliases(fields: Mapping[str, Field], url: str, config: Config, problems: Problems) -> tuple[Alias, ...]:
    """The article's old URLs (``aliases``, ``redirect_from``) as site paths, once each."""
    found: dict[str, Alias] = {}
    for key in ALIAS_KEYS:
        if key not in fields or fields[key].value is None:
            continue
        for value, line in _written_names(fields[key], split=False):
            if value is None:
                problems.warn(line, f"'{key}' has an empty item (~, null or a bare '-'); it is left out")
                continue
            if isinstance(value, (dict, list)):
                problems.error(line, f"'{key}' must be a list of URLs or paths, not hold a {_kind(value)}")
                continue
            try:
                alias = alias_url(
                    value,
                    url,
                    page_relative=key == "aliases",  # Hugo's are; Jekyll's are from the root
                    origin=config.origin,
                    base_path=config.base_path,
                )
            except LeftOut as why:
                problems.warn(line, f"'{key}' {value.strip()!r} {why}")
                continue
            except ValueError as why:
                problems.error(line, f"'{key}' {value.strip()!r} {why}")
                continue
            if alias == url:
                problems.warn(line, f"'{key}' {value.strip()!r} is this file's own URL; left out")
                continue
            found.setdefault(alias, Alias(alias, line))
    return tuple(found.values())


def _own_url(path: PurePosixPath, slug: str | None, problems: Problems) -> str:
    """The URL of an undated file that only redirects: from its ``path`` under ``content/``."""
    try:
        return file_url(path, slug)
    except ValueError as why:
        problems.error(1, f"this file's URL {why}")
        return "/"


def _article_url(
    fields: Mapping[str, Field], facts: ArticleFacts, config: Config, problems: Problems, taken: set[str]
) -> str:
    """The article's URL: its own, when front matter gives one (Jekyll's and Eleventy's
    ``permalink``, whose placeholders are filled in, or Hugo's ``url``), else the site's
    pattern's. A ``url`` that is no site path (``https://...``) is a link for templates."""
    pattern_url = article_url(config.permalinks.article, facts, config.permalinks.slugs)
    for key in ("permalink", "url"):
        item = fields.get(key)
        written = item.value if item is not None else None
        if written is None or (key == "url" and not (isinstance(written, str) and written.startswith("/"))):
            continue
        taken.add(key)
        if not isinstance(written, str):
            problems.error(item.line, f"'{key}' must be a path on this site such as /2024/08/story/")
            return pattern_url
        try:
            if key == "permalink":
                pattern = parse_pattern(written, ARTICLE_PLACEHOLDERS)
                written = article_url(pattern, facts, config.permalinks.slugs)
            return alias_url(
                written, "/", page_relative=False, origin=config.origin, base_path=config.base_path
            )
        except ValueError as why:
            problems.error(item.line, f"'{key}' {written.strip()!r} {why}")
            return pattern_url
    return pattern_url


def _without_suffix(path: PurePosixPath) -> str:
    """``str(path.with_suffix(""))``, without making a path."""
    written, suffix = str(path), path.suffix
    return written[: len(written) - len(suffix)]


def _value(fields: Mapping[str, Field], key: str) -> Any:
    return fields[key].value if key in fields else None


def _written_names(item: Field, split: bool) -> list[tuple[Any, int]]:
    """A names field's items with their lines: each a name as its author wrote it, None for an
    empty item, or the list or table found in its place. A string is a comma-separated list,
    unless ``split`` is off (a region's name may hold a comma)."""
    value = item.value
    if isinstance(value, str):
        return [(part, item.line) for part in (value.split(",") if split else [value])]
    if not isinstance(value, list):
        return [(item.text if item.text is not None else _as_written(value), item.line)]
    if len(item.items) != len(value):  # TOML, whose values come without their text
        return [(v if v is None or isinstance(v, (dict, list)) else _as_written(v), item.line) for v in value]
    return [
        (v if v is None or isinstance(v, (dict, list)) else written.text, written.line)
        for v, written in zip(value, item.items, strict=True)
    ]


def _as_written(value: Any) -> str:
    """A typed value as text the way front matter writes it: ``true``, not Python's ``True``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _key_of(fields: Mapping[str, Field], keys: Iterable[str]) -> str:
    return next(key for key in keys if key in fields)


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "table" if isinstance(value, dict) else type(value).__name__


# -- dates -------------------------------------------------------------------------------------


def _date(found: tuple[str, Field] | None, tz: tzinfo, problems: Problems) -> datetime | None:
    if found is None or found[1].value is None:
        return None
    key, item = found
    value = item.value
    try:
        return parse_date(value, tz)
    except ValueError as error:
        problems.error(item.line, f"'{key}' is not a valid date: '{item.text or value}' ({error})")
        return None


# -- corrections and updates -------------------------------------------------------------------

_NOTE_EXAMPLE = "'- date: 2024-09-03' with 'text: What was wrong' below it"


def _notes(
    fields: Mapping[str, Field],
    keys: tuple[str, ...],
    published: datetime | None,
    updated: datetime | None,
    tz: tzinfo,
    problems: Problems,
) -> tuple[Note, ...]:
    """The corrections or updates written under ``keys``, in date order: each a list of items
    with a ``date`` and a ``text``. Text alone is one note, dated ``updated`` (else ``date``),
    as the old single ``correction`` was."""
    notes = []
    dated = updated or published
    for key in keys:
        item = fields.get(key)
        if item is None or item.value is None:
            continue
        if isinstance(item.value, str):
            if item.value.strip() and dated is not None:
                notes.append(Note(dated, item.value.strip()))
            continue
        entries = item.value if isinstance(item.value, list) else [item.value]
        # YAML gives each item's line; TOML's tables come without theirs
        given = len(item.items) == len(entries)
        lines = [i.line for i in item.items] if given else [item.line] * len(entries)
        for entry, line in zip(entries, lines, strict=True):
            note = _note(entry, key, line, tz, problems)
            if note is not None and published is not None and note.date < published:
                problems.warn(line, f"'{key}' item is dated before the article's 'date'")
            if note is not None:
                notes.append(note)
    return tuple(sorted(notes, key=lambda note: note.date))


def _note(entry: Any, key: str, line: int, tz: tzinfo, problems: Problems) -> Note | None:
    if not isinstance(entry, dict):
        problems.error(line, f"'{key}' items need a 'date' and a 'text' ({_NOTE_EXAMPLE}), not {entry!r}")
        return None
    for unknown in sorted(str(name) for name in entry if name not in ("date", "text")):
        problems.warn(line, f"'{key}' item has an unknown key '{unknown}'; only 'date' and 'text' are read")
    text, written = entry.get("text"), entry.get("date")
    if text is None or written is None:
        problems.error(line, f"'{key}' item has no '{'text' if text is None else 'date'}' ({_NOTE_EXAMPLE})")
        return None
    if isinstance(text, (dict, list)):
        problems.error(line, f"'{key}' item's 'text' must be text, not a {_kind(text)}")
        return None
    if not (text := _as_written(text).strip()):
        problems.error(line, f"'{key}' item's 'text' is empty")
        return None
    try:
        return Note(parse_date(written, tz), text)
    except ValueError as error:
        problems.error(line, f"'{key}' item's 'date' is not a valid date: '{written}' ({error})")
        return None


# -- pictures ---------------------------------------------------------------------------------


def _lead_image(fields: Mapping[str, Field], page_url: str, problems: Problems) -> Picture | None:
    """The picture above the story: front matter ``image`` (a path, relative ones from the
    article's page as in its page bundle, or a URL; or jekyll-seo-tag's table with ``path``
    and ``alt``) with ``image_alt``, ``image_caption`` and ``image_credit``. Kept in ``extra``
    too, as link previews have always read it."""
    item = fields.get("image")
    if item is None or item.value is None:
        return None
    written, alt = item.value, ""
    if isinstance(written, dict):
        written, alt = written.get("path"), written.get("alt") or ""
    if not isinstance(written, str) or not written.strip():
        problems.warn(item.line, "'image' must be the path or URL of a picture; no lead image is shown")
        return None
    said = {key: _said(fields, key, problems) for key in LEAD_IMAGE_KEYS}
    alt = said["image_alt"] or " ".join(str(alt).split())
    if not alt:
        problems.warn(
            item.line,
            "the lead image has no 'image_alt': describe what it shows for readers who cannot see it",
        )
    src = written.strip()
    if not _ABSOLUTE_URL.match(src):
        src = urljoin(page_url, src)
    return Picture(src, alt, said["image_caption"], said["image_credit"])


_ABSOLUTE_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//")


def _said(fields: Mapping[str, Field], key: str, problems: Problems) -> str:
    """A front-matter value as one line of text; "" when missing or not text."""
    item = fields.get(key)
    if item is None or item.value is None:
        return ""
    if isinstance(item.value, (dict, list)):
        problems.warn(item.line, f"'{key}' must be text, not a {_kind(item.value)}; left out")
        return ""
    return " ".join((item.text if item.text is not None else _as_written(item.value)).split())


def _warn_without_alt(body_html: str, body: str, body_line: int, problems: Problems) -> None:
    """A warning at each image of the body without alt text, at its line where it is found."""
    sources = without_alt(body_html)
    for src, line in zip(sources, lines_of(sources, body), strict=True):
        name = src.rsplit("/", 1)[-1] or "photo.jpg"
        problems.warn(
            body_line + (line or 0),
            f"image '{name}' has no alt text: describe what it shows for readers who cannot see it "
            f"(![what it shows]({name}))",
        )


# -- the body as text --------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def _plain_text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


#: Chinese and Japanese are written without spaces between words: their characters are counted
#: instead, two to a word (a reader takes in some 500 a minute, about twice 230 words).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ASCII = bytes(range(0x80))


def word_count(plain: str) -> int:
    """Words of plain text: runs between spaces, and in Chinese and Japanese, half the
    characters (Korean is written with spaces)."""
    # Chinese and Japanese are counted among the characters that are not ASCII, most often few:
    # dropping the rest takes a fraction of the time the expression takes to read them.
    others = plain.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass")
    unspaced = len(_UNSPACED.findall(others))
    if not unspaced:
        return len(plain.split())
    return len(_UNSPACED.sub(" ", plain).split()) + (unspaced + 1) // 2


def _first_paragraph(body_html: str) -> str:
    match = _PARAGRAPH.search(body_html)
    if not match:
        return ""
    text = " ".join(_plain_text(match.group(1)).split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
