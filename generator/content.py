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
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any

import markdown
import markdown.blockprocessors
import markdown.postprocessors
import markdown.treeprocessors
import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.config import Config
from generator.errors import ContentError, SourceUnreadable
from generator.slugs import slugify
from generator.sources import discover
from generator.typography import SmartPunctuation

WORDS_PER_MINUTE = 230
SUMMARY_CHARS = 300
#: continent/country/province/district/town/quarter is six; each level is a nested list on the
#: regions page (drawn by recursion) and up to 241 bytes of the page's file path, which the
#: system limits to 4,096 bytes in all.
MAX_REGION_DEPTH = 10


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
        for key_node, value_node in root.value:
            line = first_line + key_node.start_mark.line
            key = str(key_node.value)
            if key in fields:
                problems.error(line, f"duplicate key '{key}' (first set on line {fields[key].line})")
                continue
            value = _clean(loader.construct_object(value_node, deep=True))
            text = _clean(value_node.value) if isinstance(value_node, yaml.ScalarNode) else None
            fields[key] = _Field(value, line, text if value is not None else None)
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
        return _UNWRITABLE.sub("", joined)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


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
_KNOWN_KEYS = {
    "title", "date", "publishdate", "updated", "lastmod", "last_modified_at", "modified",
    "summary", "description", "slug", "draft", "published", "region", "regions", "tags",
    "author", "authors", "by", "categories", "topics", "keywords",
}  # fmt: skip


def parse(
    data: bytes, source: Path, config: Config, md: markdown.Markdown
) -> tuple[Article | None, list[ContentError], list[ContentError]]:
    """One article from a file's bytes, or the errors that stop it; plus warnings."""
    problems = _Problems(source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.error(line, f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8")
        return None, problems.errors, problems.warnings
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
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
    article = _article(fields, body, opening + 1, source, config, md, problems)
    if problems.errors:
        return None, problems.errors, problems.warnings
    return article, problems.errors, problems.warnings


def _article(
    fields: dict[str, _Field],
    body: str,
    opening_line: int,
    source: Path,
    config: Config,
    md: markdown.Markdown,
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

    def names(keys: Iterable[str]) -> tuple[str, ...]:
        collected: list[str] = []
        for key in keys:
            taken.add(key)
            if key not in fields or fields[key].value is None:
                continue
            item = fields[key]
            values = item.value
            if isinstance(values, str):
                values = values.split(",") if key not in config.region_keys else [values]
            elif not isinstance(values, list):
                values = [item.text if item.text is not None else values]
            for value in values:
                if isinstance(value, (dict, list)):
                    problems.error(item.line, f"'{key}' must be a list of names, not hold a {_kind(value)}")
                    continue
                name = " ".join(str(value).split())
                if name and name not in collected:
                    collected.append(name)
        return tuple(collected)

    def flag(*keys: str) -> bool | None:
        found = first(*keys)
        if found is None or found[1].value is None:
            return None
        key, item = found
        if not isinstance(item.value, bool):
            problems.error(item.line, f"'{key}' must be true or false, not '{item.text or item.value}'")
            return None
        return item.value

    title = text("title", required=True)
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
        else:
            problems.error(opening_line, "missing 'date' (or name the file YYYY-MM-DD-slug.md)")
    updated = _date(first("updated", "lastmod", "last_modified_at", "modified"), config.tz, problems)
    summary = text("summary", "description")
    given_slug = text("slug")
    draft = flag("draft")
    is_published = flag("published")
    tags = names(config.tag_keys)
    regions = names(config.region_keys)
    authors = names(config.author_keys)
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

    if problems.errors or title is None or published is None:
        return None
    if updated is not None and updated < published:
        problems.warn(fields[_key_of(fields, ("updated", "lastmod", "last_modified_at", "modified"))].line,
                      "'updated' is earlier than 'date'")  # fmt: skip
    slug = slugify(given_slug or (jekyll.group(4) if jekyll else title))
    day = published if config.archive_day == "as-written" else published.astimezone(config.tz)
    url = config.permalinks.article.format(
        year=f"{day.year:04d}", month=f"{day.month:02d}", day=f"{day.day:02d}", slug=slug
    )
    body_html, toc_html = _markdown(body, md)
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
        draft=bool(draft) or is_published is False,
        extra=MappingProxyType(extra),
        lines=MappingProxyType({key: item.line for key, item in fields.items()}),
    )


def _key_of(fields: Mapping[str, _Field], keys: Iterable[str]) -> str:
    return next(key for key in keys if key in fields)


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "table" if isinstance(value, dict) else type(value).__name__


# -- dates -------------------------------------------------------------------------------------

_OFFSET = re.compile(r"\s*(?:([+-])(\d{2}):?(\d{2})|Z|UTC|GMT)$")


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


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """A date as archives write them, made aware: a bare date or naive time takes ``tz``.

    Accepts ISO 8601 (``2024-08-31``, ``2024-08-31T09:00:00+03:00``, ``…Z``), Jekyll's
    ``2016-10-06 11:10:11 -0700`` and TOML/YAML date objects. Raises ValueError for anything
    else, and for an instant that UTC or ``tz`` cannot hold (before year 1, after 9999).
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        offset = ""
        if match := _OFFSET.search(text):
            sign, hours, minutes = match.groups()
            offset = f"{sign}{hours}:{minutes}" if sign else "+00:00"
            text = text[: match.start()]
        if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text):
            raise ValueError("write it as YYYY-MM-DD, optionally with a time (09:30) and offset (+03:00)")
        day, _, clock = text.replace("T", " ").partition(" ")
        year, month, dom = (int(part) for part in day.split("-"))
        parsed = datetime.fromisoformat(f"{year:04d}-{month:02d}-{dom:02d}T{clock or '00:00'}{offset}")
    else:
        raise ValueError(f"expected a date, got {type(value).__name__}")
    try:
        if parsed.tzinfo is None:
            # A wall time that a daylight-saving change skips (01:30 on the spring-forward night)
            # is moved forward by the gap, as clocks did; an ambiguous one takes its first instant.
            parsed = parsed.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
        # Later stages compare instants (UTC) and may file by the site's day (tz): near year 1
        # or 9999 one of them can fall outside what datetime holds.
        parsed.astimezone(UTC)
        parsed.astimezone(tz)
    except OverflowError:
        raise ValueError("too far in the past or future") from None
    return parsed


# -- Markdown ----------------------------------------------------------------------------------


def markdown_renderer(config: Config) -> markdown.Markdown:
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
    pattern is one of ``PATTERNS``, whose needs are known."""

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
        if self._NEEDED.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


#: Python-Markdown's link pattern is quadratic in the brackets of one block (8,000 ``[`` take
#: seconds to minutes, Python-Markdown #798); no prose has this many, so they are escaped.
MAX_BRACKETS_PER_BLOCK = 200
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)


def _defuse(body: str) -> str:
    if body.count("[") <= MAX_BRACKETS_PER_BLOCK:
        return body
    blocks = body.split("\n\n")
    fenced = False
    for number, block in enumerate(blocks):
        fences = len(_FENCE.findall(block))
        if not fenced and not fences and block.count("[") > MAX_BRACKETS_PER_BLOCK:
            blocks[number] = block.replace("[", "\\[").replace("]", "\\]")
        fenced ^= fences % 2 == 1
    return "\n\n".join(blocks)


class _SiteRootLinks(markdown.postprocessors.Postprocessor):
    """Root-relative links in articles (``[port](/2024/03/01/port/)``, ``<img src="/a.png">``)
    are written from the site root, as templates' ``url`` filter reads them: under a base path
    such as ``/archive/`` they get it prefixed, so the same content works on a project site.
    Runs on the final HTML so raw HTML links are covered; code samples are escaped by then
    (``&lt;a href=...``), so the pattern, which needs a real ``<``, leaves them alone."""

    _TAG = re.compile(r"<[a-zA-Z][^<>]*>")
    _ATTRIBUTE = re.compile(r"""(\s[^\s"'>/=]+\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")

    def __init__(self, md: markdown.Markdown, base_path: str) -> None:
        super().__init__(md)
        self.prefix = base_path

    def run(self, text: str) -> str:
        return self._TAG.sub(lambda tag: self._ATTRIBUTE.sub(self._attribute, tag[0]), text)

    def _attribute(self, match: re.Match[str]) -> str:
        name, value = match[1], match[2]
        if name.strip(" \t\n=").lower() not in ("href", "src"):
            return match[0]
        quote = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote else value
        if not inner.startswith("/") or inner.startswith(("//", "/\\")):
            return match[0]
        return f"{name}{quote}{self.prefix}{inner[1:]}{quote}"


def _markdown(body: str, md: markdown.Markdown) -> tuple[str, str]:
    md.reset()
    html_text = md.convert(_defuse(body))
    toc = getattr(md, "toc", "")
    has_headings = "<li>" in toc
    return html_text, toc if has_headings else ""


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
    for name in discover(config.content_dir):
        path = Path(name)
        source = config.site_dir / path.relative_to(config.site_dir)
        if path.is_symlink() and not path.resolve().is_relative_to(config.content_dir.resolve()):
            warnings.append(ContentError(source, 1, "symlink leads outside content/; skipped"))
            continue
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
