"""Load articles: find Markdown files, read their front matter, render their Markdown.

Front matter is parsed here rather than by ``frontmatter.loads`` because of its traps (see
FIELD-NOTES): it strips leading lines (so line numbers drift), ignores a BOM-prefixed or
unclosed block, and lets YAML 1.1 turn ``no`` into ``False`` and ``2024-13-45`` into a bare
``ValueError``. We keep python-frontmatter's delimiters and do the rest with line numbers.
"""

from __future__ import annotations

import difflib
import html
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Protocol

import markdown
import markdown.blockprocessors
import markdown.postprocessors
import markdown.treeprocessors
import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.config import Config
from generator.content.commonmark import CommonMark, site_root_links
from generator.content.dates import parse_date
from generator.content.permalinks import ARTICLE_PLACEHOLDERS, ArticleFacts, article_url, content_path
from generator.content.permalinks import parse as parse_pattern
from generator.content.redirects import (
    ALIAS_KEYS,
    TARGET_KEYS,
    UNDATED,
    Alias,
    LeftOut,
    alias_url,
    file_url,
    redirect_target,
)
from generator.content.slugs import name_key, slugify
from generator.content.sources import discover, in_drafts_folder
from generator.content.typography import SmartPunctuation
from generator.errors import ContentError, DatelineError, SourceUnreadable

WORDS_PER_MINUTE = 230
SUMMARY_CHARS = 300
#: continent/country/province/district/town/quarter is six; each level is a nested list on the
#: regions page (drawn by recursion) and up to 241 bytes of the page's file path, which the
#: system limits to 4,096 bytes in all.
MAX_REGION_DEPTH = 10
#: Past this many tags (or regions, or authors) an article gets a warning: each name makes a
#: page (and for tags and regions a feed) of its own, and so many on one article is far more
#: often an import gone wrong (keywords, a list pasted whole) than a story filed under them.
MANY_NAMES = 50


class Body:
    """An article's rendered Markdown and its table of contents.

    A build keeps every article but shows few bodies: an incremental build renders a handful
    of pages, and feeds carry only the newest articles. So the body of an article read from
    the build cache stays on disk until a page asks for it (``read``), and memory holds the
    archive's front matter rather than its text.
    """

    __slots__ = ("_parts", "_read")

    def __init__(
        self, html: str = "", toc: str = "", read: Callable[[], tuple[str, str]] | None = None
    ) -> None:
        self._parts = None if read is not None else (html, toc)
        self._read = read

    def _get(self) -> tuple[str, str]:
        if self._parts is None:
            assert self._read is not None
            self._parts = self._read()
        return self._parts

    @property
    def html(self) -> str:
        return self._get()[0]

    @property
    def toc(self) -> str:
        return self._get()[1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and self._get() == other._get()

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Article:
    """One article, as written: front matter validated and Markdown rendered."""

    source: str  # the file as reported in messages: the site folder joined with content/...
    title: str
    date: datetime  # aware, with the offset it was written with
    day: date  # the archive day: as written, or in the site's timezone (config.archive_day)
    updated: datetime | None
    slug: str
    url: str
    regions: tuple[str, ...]  # paths as written: "Middle East/Iraq"
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    summary: str
    # What the body is made of is in the source and its digest; the text itself is compared
    # by pages that show it (incremental.Fingerprints), never through the Article.
    body: Body = field(compare=False, repr=False)
    word_count: int
    draft: bool
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Old URLs that redirect here (aliases, redirect_from), resolved to site paths.
    aliases: tuple[Alias, ...] = ()
    # Where this file sends readers instead (redirect_to, redirect): it is then no article of
    # the site, only a redirect page at its URL (see redirects.collect).
    redirect_to: str | None = None
    # When the article leaves the site (Hugo's expiryDate): past it, it is published no more.
    expires: datetime | None = None

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def toc_html(self) -> str:
        return self.body.toc

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))


# -- YAML without the traps --------------------------------------------------------------------

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML 1.2-style scalars: only true/false are booleans, and dates stay text for us to
    parse (so ``2024-13-45`` is reported at its line instead of raising a bare ValueError)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FrontMatterLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

if yaml.__with_libyaml__:

    class _FastLoader(yaml.CSafeLoader):
        """The same rules on libyaml's parser, several times faster; front matter it
        rejects is read again by the Python loader, whose error messages are reported."""

    _FastLoader.yaml_implicit_resolvers = _FrontMatterLoader.yaml_implicit_resolvers
    _LOADERS: tuple[type, ...] = (_FastLoader, _FrontMatterLoader)
else:
    _LOADERS = (_FrontMatterLoader,)


@dataclass(frozen=True)
class _Field:
    """One front-matter value with where it was written."""

    value: Any
    line: int
    text: str | None  # the scalar as written, for keys that want text ("title: 2024")
    # A list's items as written, for keys that want names: "tags: [2024, 0x1F]" are the tags
    # "2024" and "0x1F", where YAML reads the numbers 2024 and 31.
    items: tuple[_Item, ...] = ()


@dataclass(frozen=True)
class _Item:
    """One item of a front-matter list: its text as written (None for anything but a scalar)
    and its line."""

    text: str | None
    line: int


class _Problems:
    def __init__(self, source: Path) -> None:
        self.source = source
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.source, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ContentError(self.source, line, message))


def _yaml_fields(block: str, first_line: int, problems: _Problems) -> dict[str, _Field] | None:
    if len(_LOADERS) > 1:
        quiet = _Problems(problems.source)
        try:
            fields = _read_yaml(_LOADERS[0](block), first_line, quiet)
        except Exception:  # anything odd: the Python loader decides, and explains
            fields = None
        if fields is not None and not quiet.errors:
            problems.warnings += quiet.warnings
            return fields
    return _read_yaml(_FrontMatterLoader(block), first_line, problems)


def _read_yaml(loader: Any, first_line: int, problems: _Problems) -> dict[str, _Field] | None:
    try:
        root = loader.get_single_node()
        if root is None:
            return {}
        if not isinstance(root, yaml.MappingNode):
            problems.error(first_line, "front matter must be 'key: value' lines, not a list or text")
            return None
        if _has_alias(root):
            problems.error(first_line, "YAML anchors and aliases (& and *) are not supported in front matter")
            return None
        fields: dict[str, _Field] = {}
        first_set: dict[str, int] = {}
        for key_node, value_node in root.value:
            line = first_line + key_node.start_mark.line
            key = str(key_node.value)
            # Hugo and Jekyll keep the last value without a word; archives made with them hold
            # such keys (an "expirydate" set twice), so it is read their way, and said.
            if key in first_set:
                problems.warn(
                    line,
                    f"duplicate key '{key}' (first set on line {first_set[key]}); the last value is used",
                )
            first_set.setdefault(key, line)
            value = _clean(loader.construct_object(value_node, deep=True))
            text = _clean(value_node.value) if isinstance(value_node, yaml.ScalarNode) else None
            items = _items(value_node, first_line)
            fields[key] = _Field(value, line, text if value is not None else None, items)
        return fields
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # An unclosed quote or bracket is noticed at the end; report where it was opened.
        if error.context_mark is not None and "end of stream" in str(error.problem):
            mark = error.context_mark
        line = first_line + (mark.line if mark else 0)
        detail = f"{error.problem}" + (f" ({error.context})" if error.context else "")
        detail = detail.replace("'<stream end>'", "the end of the front matter")
        problems.error(line, f"invalid YAML: {detail}")
        return None
    except yaml.YAMLError as error:
        problems.error(first_line, f"invalid YAML: {error}")
        return None
    finally:
        loader.dispose()


# Control characters are invalid in XML (feeds); lone surrogates cannot be written as UTF-8.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _clean(value: Any) -> Any:
    """Text a page and a feed can carry: YAML escapes of a surrogate pair (``\\ud83d\\uddde``)
    joined into one character, and unwritable characters dropped."""
    if isinstance(value, str):
        joined = value.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        return _UNWRITABLE.sub("", clean_text(joined))  # "\v" written as a YAML escape too
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


def _items(node: yaml.Node, first_line: int) -> tuple[_Item, ...]:
    """The items of a YAML list as written, with their lines; none for anything else."""
    if not isinstance(node, yaml.SequenceNode):
        return ()
    items = []
    for item in node.value:
        text = _clean(item.value) if isinstance(item, yaml.ScalarNode) else None
        items.append(_Item(text, first_line + item.start_mark.line))
    return tuple(items)


def _has_alias(root: yaml.Node) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _toml_fields(block: str, first_line: int, problems: _Problems) -> dict[str, _Field] | None:
    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as error:
        line = int(m[1]) if (m := re.search(r"line (\d+)", str(error))) else 1
        problems.error(first_line + line - 1, f"invalid TOML: {error}")
        return None
    lines = block.split("\n")

    def line_of(key: str) -> int:
        for number, text in enumerate(lines):
            if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", text):
                return first_line + number
        return first_line

    return {key: _Field(value, line_of(key), None) for key, value in data.items()}


# -- one file ----------------------------------------------------------------------------------

_YAML_DELIMITER = YAMLHandler.START_DELIMITER  # ---
_TOML_DELIMITER = "+++"  # Hugo's TOML front matter
_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
#: Hugo's keys for the time a page stops being published (its front matter is case-blind).
EXPIRY_KEYS = ("expirydate", "expiryDate", "expiry_date", "expires")
_KNOWN_KEYS = {
    "title", "date", "publishdate", "updated", "lastmod", "last_modified_at", "modified",
    "summary", "description", "slug", "draft", "published", "region", "regions", "tags",
    "author", "authors", "by", "categories", "topics", "keywords", "permalink",
    *ALIAS_KEYS, *TARGET_KEYS, *EXPIRY_KEYS,
}  # fmt: skip


#: Far above any news article (a long feature is 50 KB of Markdown), and low enough that no file
#: can hold a build up: Python-Markdown takes seconds and gigabytes for tens of megabytes.
MAX_ARTICLE_BYTES = 2_000_000

#: Characters a reader cannot see and YAML refuses (``ReaderError``) or reads as line breaks: C0
#: controls but tab and newline, DEL, the C1 controls U+0080-U+009F (NEL among them), the line
#: and paragraph separators and the noncharacters. Word's soft line break (U+000B) and the
#: separators read as spaces; the rest are dropped. Newlines stay, so every line keeps its
#: number for messages.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")
_READ_AS_SPACE = frozenset("\x0b\u2028\u2029")


def clean_text(text: str) -> str:
    """``text`` as a reader sees it: invisible control characters dropped, or made spaces."""
    if _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(lambda found: " " if found[0] in _READ_AS_SPACE else "", text)


def parse(
    data: bytes, source: Path, config: Config, md: Renderer
) -> tuple[Article | None, list[ContentError], list[ContentError]]:
    """One article from a file's bytes, or the errors that stop it; plus warnings."""
    problems = _Problems(source)
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
    text = clean_text(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        problems.error(1, "empty file: an article needs front matter with at least 'title' and 'date'")
        return None, problems.errors, problems.warnings

    lines = text.split("\n")
    opening = next(i for i, line in enumerate(lines) if line.strip())
    delimiter = lines[opening].rstrip()
    if delimiter not in (_YAML_DELIMITER, _TOML_DELIMITER):
        problems.error(opening + 1, "no front matter: start the file with '---', then 'title:' and 'date:'")
        return None, problems.errors, problems.warnings
    closers = {delimiter, "..."} if delimiter == _YAML_DELIMITER else {delimiter}
    closing = next((i for i in range(opening + 1, len(lines)) if lines[i].rstrip() in closers), None)
    if closing is None:
        problems.error(opening + 1, f"front matter opened here is never closed with a '{delimiter}' line")
        return None, problems.errors, problems.warnings
    block = "\n".join(lines[opening + 1 : closing])
    body = "\n".join(lines[closing + 1 :])
    reader = _yaml_fields if delimiter == _YAML_DELIMITER else _toml_fields
    fields = reader(block, opening + 2, problems)
    if fields is None:
        return None, problems.errors, problems.warnings
    try:
        article = _article(fields, body, opening + 1, source, config, md, problems)
    except RecursionError:  # Python-Markdown parses what is nested by recursion
        deepest = closing + 2 + _deepest_line(body)
        problems.error(
            deepest,
            f"Markdown nested too deeply to render: lists, quotes or emphasis inside one another "
            f"more than about {MAX_MARKDOWN_NESTING} levels deep",
        )
    if problems.errors:
        return None, problems.errors, problems.warnings
    return article, problems.errors, problems.warnings


#: What Python-Markdown renders for sure, nested (a list in a list...); deeper, it runs out of
#: Python's stack somewhere past 200 levels, which is reported at the deepest-looking line.
MAX_MARKDOWN_NESTING = 150
_NESTING = re.compile(r"(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")


def _deepest_line(body: str) -> int:
    """The body line (from 0) that looks the most nested: the longest run of indentation,
    quote and list markers; the first line with text when none has any."""
    depths = [
        (_NESTING.match(line).end(), bool(line.strip()), -number)  # type: ignore[union-attr]
        for number, line in enumerate(body.split("\n"))
    ]
    return -max(depths)[2]


def _article(
    fields: dict[str, _Field],
    body: str,
    opening_line: int,
    source: Path,
    config: Config,
    md: Renderer,
    problems: _Problems,
) -> Article | None:
    taken: set[str] = set()

    def first(*keys: str) -> tuple[str, _Field] | None:
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
    title = text("title", required=not redirecting)
    stem = source.stem
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
        elif not redirecting:
            problems.error(opening_line, "missing 'date' (or name the file YYYY-MM-DD-slug.md)")
    updated = _date(first("updated", "lastmod", "last_modified_at", "modified"), config.tz, problems)
    expires = _date(first(*EXPIRY_KEYS), config.tz, problems)
    summary = text("summary", "description")
    given_slug = text("slug")
    draft = flag("draft")
    is_published = flag("published")
    tags = names(config.tag_keys, "tags")
    regions = names(config.region_keys, "regions")
    authors = names(config.author_keys, "authors")
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

    if problems.errors or (not redirecting and (title is None or published is None)):
        return None
    undated = published is None  # a file that only redirects, with no date to place it by
    published, title = published or UNDATED, title or ""
    if updated is not None and updated < published:
        problems.warn(fields[_key_of(fields, ("updated", "lastmod", "last_modified_at", "modified"))].line,
                      "'updated' is earlier than 'date'")  # fmt: skip
    slug = slugify(given_slug or (jekyll.group(4) if jekyll else title or stem))
    day = published if config.archive_day == "as-written" else published.astimezone(config.tz)
    facts = ArticleFacts(day, slug, given_slug, title, content_path(source, config.content_dir),
                         _value(fields, "categories"), _value(fields, "category"))  # fmt: skip
    url = _article_url(fields, facts, config, problems, taken)
    if undated and not {"permalink", "url"} & taken:  # no URL of its own either: its path's
        url = _own_url(facts.path, given_slug, problems)
    aliases = _aliases(fields, url, config, problems)
    if target is not None and target.rstrip("/") == url.rstrip("/"):
        problems.error(fields[_key_of(fields, TARGET_KEYS)].line, f"redirects to its own URL {url}")
    if problems.errors:
        return None
    body_html, toc_html = _markdown(body, md, config.allow_html)
    plain = _plain_text(body_html)
    if summary is None:
        summary = _first_paragraph(body_html)
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
        word_count=len(plain.split()),
        draft=bool(draft) or is_published is False or in_drafts_folder(source, config.content_dir),
        extra=MappingProxyType(extra),
        lines=MappingProxyType({key: item.line for key, item in fields.items()}),
        aliases=aliases,
        redirect_to=target,
        expires=expires,
    )


def _redirect_target(found: tuple[str, _Field] | None, problems: _Problems) -> str | None:
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


def _aliases(
    fields: Mapping[str, _Field], url: str, config: Config, problems: _Problems
) -> tuple[Alias, ...]:
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


def _own_url(path: PurePosixPath, slug: str | None, problems: _Problems) -> str:
    """The URL of an undated file that only redirects: from its ``path`` under ``content/``."""
    try:
        return file_url(path, slug)
    except ValueError as why:
        problems.error(1, f"this file's URL {why}")
        return "/"


def _article_url(
    fields: Mapping[str, _Field], facts: ArticleFacts, config: Config, problems: _Problems, taken: set[str]
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


def _value(fields: Mapping[str, _Field], key: str) -> Any:
    return fields[key].value if key in fields else None


def _written_names(item: _Field, split: bool) -> list[tuple[Any, int]]:
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


def _key_of(fields: Mapping[str, _Field], keys: Iterable[str]) -> str:
    return next(key for key in keys if key in fields)


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "table" if isinstance(value, dict) else type(value).__name__


# -- dates -------------------------------------------------------------------------------------


def _date(found: tuple[str, _Field] | None, tz: tzinfo, problems: _Problems) -> datetime | None:
    if found is None or found[1].value is None:
        return None
    key, item = found
    value = item.value
    try:
        return parse_date(value, tz)
    except ValueError as error:
        problems.error(item.line, f"'{key}' is not a valid date: '{item.text or value}' ({error})")
        return None


# -- Markdown ----------------------------------------------------------------------------------


class Renderer(Protocol):
    """A Markdown engine: a body's HTML and its table of contents ("" without headings)."""

    def render(self, body: str) -> tuple[str, str]: ...


def markdown_renderer(config: Config) -> Renderer:
    """The site's Markdown engine, made once per process and reused for every body."""
    if config.markdown == "python-markdown":
        return PythonMarkdown(python_markdown(config))
    return CommonMark(config.allow_html, config.base_path)


class PythonMarkdown:
    """Python-Markdown with the extensions Dateline has always used."""

    def __init__(self, md: markdown.Markdown) -> None:
        self.md = md

    def render(self, body: str) -> tuple[str, str]:
        md = self.md
        md.reset()
        # Not reset by Python-Markdown: a document it gave up on (RecursionError) leaves its
        # nesting there, which the next document would be parsed inside of.
        md.parser.state.clear()
        html_text = md.convert(body)
        toc = getattr(md, "toc", "")
        return html_text, toc if "<li>" in toc else ""


def python_markdown(config: Config) -> markdown.Markdown:
    """One reusable Markdown converter (``reset()`` between documents is far cheaper than a
    new instance per article)."""
    md = markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "fenced_code",
            "codehilite",
            "toc",
            "attr_list",
            "def_list",
            "abbr",
            "sane_lists",
            "md_in_html",
            *_site_extensions(config),
        ],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"toc_depth": "2-4"},
        },
        output_format="html",
    )
    # Smart punctuation runs on the finished HTML (typography.py), after raw HTML is restored
    # (priority 30) and before the base-path rewrite below (5).
    md.postprocessors.register(SmartPunctuation(md), "smart_punctuation", 25)
    if not config.allow_html:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    if config.base_path != "/":
        md.postprocessors.register(_SiteRootLinks(md, config.base_path), "site_root_links", 5)
    if {item.name for item in md.inlinePatterns._priority} <= _ProseInline.PATTERNS:
        md.treeprocessors.register(_ProseInline(md), "inline", 20)  # in place of the stock one
    if {item.name for item in md.parser.blockprocessors._priority} <= _ProseParagraph.PROCESSORS:
        md.parser.blockprocessors.register(_ProseParagraph(md.parser), "prose_paragraph", 105)
    return md


def _site_extensions(config: Config) -> list[markdown.Extension]:
    """The site's own Python-Markdown extensions, importable from the site folder."""
    loaded = []
    sys.path.insert(0, str(config.site_dir))
    try:
        for name in config.markdown_extensions:
            try:
                loaded.append(markdown.Markdown().build_extension(name, {}))
            except Exception as error:  # an extension's import can fail in any way
                raise DatelineError(
                    f"site.toml: markdown_extensions: cannot load '{name}': {type(error).__name__}: {error}"
                ) from None
    finally:
        sys.path.remove(str(config.site_dir))
    return loaded


class _ProseParagraph(markdown.blockprocessors.BlockProcessor):
    """Python-Markdown offers every block to each of its block processors in turn, and most
    run a regular expression over it; a third of its time on news prose, whose paragraphs are
    mostly one line (soft-wrapped) starting with a letter or a quote. Such a block can only be
    a paragraph: each of ``PROCESSORS`` needs a second line, or a first character in
    ``_NEEDED`` (indent, heading, list, rule, quote, definition, footnote, abbreviation,
    reference, raw HTML or its placeholder), so it goes to the paragraph processor at once."""

    PROCESSORS = frozenset(
        [
            "empty",
            "indent",
            "defindent",
            "code",
            "table",
            "hashheader",
            "setextheader",
            "hr",
            "olist",
            "ulist",
            "deflist",
            "quote",
            "footnote",
            "abbr",
            "reference",
            "markdown_block",
            "paragraph",
        ]
    )
    _NEEDED = frozenset(" \t#-_*+>:[<|=\x020123456789")

    def test(self, parent: Any, block: str) -> bool:
        return bool(block) and block[0] not in self._NEEDED and "\n" not in block

    def run(self, parent: Any, blocks: list[str]) -> bool | None:
        return self.parser.blockprocessors["paragraph"].run(parent, blocks)


class _ProseInline(markdown.treeprocessors.InlineProcessor):
    """Python-Markdown tries each of its inline patterns in turn on every paragraph, heading
    and list item: a third of its time on news prose, where most paragraphs contain none of
    the characters any of the patterns needs (a backtick, backslash, bracket, ``<``, ``&``,
    ``*`` or ``_``, or a line ending in two spaces). For those every pattern fails and the text
    comes back as it went in, so it is handed back at once. Used only when every inline
    pattern is one of ``PATTERNS``, whose needs are known. Text on which the patterns would
    take time growing with the square of its length is handed back as written too (see
    ``MAX_INLINE_MARKS``)."""

    PATTERNS = frozenset(
        [
            "backtick",
            "escape",
            "footnote",
            "reference",
            "link",
            "image_link",
            "image_reference",
            "short_reference",
            "short_image_ref",
            "autolink",
            "automail",
            "linebreak",
            "html",
            "entity",
            "em_strong",
        ]
    )
    _NEEDED = re.compile(r"[`\\\[<&*_]|  \n")

    # The name Python gives InlineProcessor's private ``__handleInline``: its calls come here.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if self._NEEDED.search(data) is None or _too_costly_for_inline_patterns(data, self._NEEDED):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


#: Python-Markdown turns a paragraph's inline Markdown into placeholders one match at a time,
#: copying the whole paragraph for each: 20,000 links, escapes or entities in one paragraph
#: take seconds to minutes (the square of its length). A paragraph (list item, heading, table
#: cell) with more of the characters that start inline Markdown than this, which no prose has,
#: is shown as written.
MAX_INLINE_MARKS = 1_000
#: Its link patterns read from each ``[`` to its ``]`` and from each ``](`` to its ``)``: to the
#: end of the paragraph when there is none, so 8,000 ``[`` take minutes (Python-Markdown #798).
#: Real links read their own text and URL, less than the paragraph; past this many characters
#: per character of the paragraph (plus a stray bracket's worth), it is shown as written.
LINK_SCANS_PER_CHARACTER = 4
LINK_SCANS_ALLOWED = 20_000
_LINK_SYNTAX = re.compile(r"\]\(|[\[\]()]")


def _too_costly_for_inline_patterns(text: str, marks: re.Pattern[str]) -> bool:
    """Whether Python-Markdown's inline patterns would copy or scan ``text`` once per mark."""
    if len(text) > MAX_INLINE_MARKS and len(marks.findall(text)) > MAX_INLINE_MARKS:
        return True
    budget = LINK_SCANS_PER_CHARACTER * len(text) + LINK_SCANS_ALLOWED
    return "[" in text and len(text) ** 2 > budget and _link_scans(text) > budget


def _link_scans(text: str) -> int:
    """How many characters Python-Markdown's link patterns read in ``text``: from each ``[``
    to the ``]`` that closes it, from each ``](`` to the ``)`` that closes it, or to the end."""
    total = 0
    brackets: list[int] = []
    parentheses: list[tuple[int, bool]] = []  # where each opened, and whether a link's
    for found in _LINK_SYNTAX.finditer(text):
        mark, at = found[0], found.start()
        if mark[0] == "]" and brackets:
            total += at - brackets.pop()
        if mark == "[":
            brackets.append(at)
        elif mark[-1] == "(":
            parentheses.append((at, mark == "]("))
        elif mark == ")" and parentheses:
            opened, of_link = parentheses.pop()
            total += at - opened if of_link else 0
    total += sum(len(text) - at for at in brackets)
    return total + sum(len(text) - at for at, of_link in parentheses if of_link)


class _SiteRootLinks(markdown.postprocessors.Postprocessor):
    """Root-relative links get the base path (``commonmark.site_root_links``); on the final
    HTML, so raw HTML links are covered."""

    def __init__(self, md: markdown.Markdown, base_path: str) -> None:
        super().__init__(md)
        self.prefix = base_path

    def run(self, text: str) -> str:
        return site_root_links(text, self.prefix)


#: Schemes that run code where a link or image points (``data:`` pages run script too; a
#: ``data:image/`` picture does not, but an SVG one may). Browsers read a URL's scheme after
#: decoding character references, dropping leading controls and spaces and every tab and line
#: break, ignoring case: ``&#106;ava&#x09;Script:`` is ``javascript:``; so is it read here.
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite"})
_ENGINE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_TAG_ATTRIBUTE = re.compile(r"""(\s+)([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")


def without_unsafe_urls(html_text: str) -> str:
    """Rendered Markdown without links or image sources that run script or are empty: such a
    link is left as its text, an image loses its ``src``; and without the ``on...`` event attributes
    that ``{: onclick=...}`` (attr_list) can write. For bodies whose raw HTML is escaped, so
    every tag here is the Markdown engine's own, well formed and nested."""
    dropped_links: list[bool] = []  # one per open <a>: was its tag dropped?

    def tag(found: re.Match[str]) -> str:
        closing, name, attributes = found[1], found[2].lower(), found[3]
        if name == "a" and closing:
            return "" if dropped_links and dropped_links.pop() else found[0]
        if closing:
            return found[0]
        unsafe = False

        def attribute(match: re.Match[str]) -> str:
            nonlocal unsafe
            key, value = match[2].lower(), match[3]
            if key.startswith("on"):
                return ""
            if key in _URL_ATTRIBUTES and value is not None and _unsafe_or_empty(value, image=name == "img"):
                unsafe = True
                return ""
            return match[0]

        kept = _TAG_ATTRIBUTE.sub(attribute, attributes)
        if name == "a":
            dropped_links.append(unsafe)
            if unsafe:
                return ""
        return f"<{found[2]}{kept}>"

    return _ENGINE_TAG.sub(tag, html_text)


def _unsafe_or_empty(value: str, image: bool) -> bool:
    """A URL that runs script, or one left empty: the CommonMark engine empties the URLs it
    refuses, and an empty link or image source points back at the page itself."""
    return value in ('""', "''") or _runs_script(value, image)


def _runs_script(value: str, image: bool) -> bool:
    quoted = value[:1] in "\"'" and len(value) > 1
    url = _URL_IGNORED.sub("", html.unescape(value[1:-1] if quoted else value))
    url = url.strip("".join(map(chr, range(0x21))))  # C0 controls and space
    scheme = _SCHEME.match(url)
    if scheme is None or scheme[1].lower() not in UNSAFE_SCHEMES:
        return False
    if image and scheme[1].lower() == "data":
        media_type = url[len(scheme[0]) :].split(",", 1)[0].split(";", 1)[0].strip().lower()
        return not media_type.startswith("image/") or media_type.startswith("image/svg")
    return True


def _markdown(body: str, md: Renderer, allow_html: bool) -> tuple[str, str]:
    html_text, toc = md.render(body)
    if not allow_html:
        html_text = without_unsafe_urls(html_text)
    return html_text, toc


_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def _plain_text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def _first_paragraph(body_html: str) -> str:
    match = _PARAGRAPH.search(body_html)
    if not match:
        return ""
    text = " ".join(_plain_text(match.group(1)).split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


# -- the whole folder --------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    articles: tuple[Article, ...]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]


def load(config: Config, progress: Any = None) -> Loaded:
    """Every article under ``content/``, with all errors and warnings found on the way."""
    md = markdown_renderer(config)
    articles: list[Article] = []
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    for name in discover(config.content_dir, config.drafts):
        path = Path(name)
        source = config.site_dir / path.relative_to(config.site_dir)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SourceUnreadable.of(error) from None
        article, file_errors, file_warnings = parse(data, source, config, md)
        errors += file_errors
        warnings += file_warnings
        if article is not None:
            articles.append(article)
        if progress is not None:
            progress()
    return Loaded(tuple(articles), tuple(errors), tuple(warnings))
