"""Front matter: a file's YAML or TOML block read into fields that know their line.

Front matter is read here rather than by ``frontmatter.loads`` because of its traps (see
FIELD-NOTES): it strips leading lines (so line numbers drift), ignores a BOM-prefixed or
unclosed block, and lets YAML 1.1 turn ``no`` into ``False`` and ``2024-13-45`` into a bare
``ValueError``. We keep python-frontmatter's delimiters and do the rest with line numbers.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.errors import ContentError

_YAML_DELIMITER = YAMLHandler.START_DELIMITER  # ---
_TOML_DELIMITER = "+++"  # Hugo's TOML front matter


@dataclass(frozen=True)
class FrontMatter:
    """A file's front matter and the Markdown body after it."""

    fields: dict[str, Field]
    body: str
    opening_line: int  # the line of the opening delimiter
    body_line: int  # the line the body starts on


class Problems:
    """The errors and warnings found in one file, each at its line."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.source, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ContentError(self.source, line, message))


def read(text: str, problems: Problems) -> FrontMatter | None:
    """The front matter and body of a file's text, or None when ``problems`` holds why not."""
    text = clean_text(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        problems.error(1, "empty file: an article needs front matter with at least 'title' and 'date'")
        return None

    lines = text.split("\n")
    opening = next(i for i, line in enumerate(lines) if line.strip())
    delimiter = lines[opening].rstrip()
    if delimiter not in (_YAML_DELIMITER, _TOML_DELIMITER):
        problems.error(opening + 1, "no front matter: start the file with '---', then 'title:' and 'date:'")
        return None
    closers = {delimiter, "..."} if delimiter == _YAML_DELIMITER else {delimiter}
    closing = next((i for i in range(opening + 1, len(lines)) if lines[i].rstrip() in closers), None)
    if closing is None:
        problems.error(opening + 1, f"front matter opened here is never closed with a '{delimiter}' line")
        return None
    block = "\n".join(lines[opening + 1 : closing])
    body = "\n".join(lines[closing + 1 :])
    reader = _yaml_fields if delimiter == _YAML_DELIMITER else _toml_fields
    fields = reader(block, opening + 2, problems)
    if fields is None:
        return None
    return FrontMatter(fields, body, opening + 1, closing + 2)


#: Characters a reader cannot see and YAML refuses (``ReaderError``) or reads as line breaks: C0
#: controls but tab and newline, DEL, the C1 controls U+0080-U+009F (NEL among them), the line
#: and paragraph separators and the noncharacters. Word's soft line break (U+000B) and the
#: separators read as spaces; the rest are dropped. Newlines stay, so every line keeps its
#: number for messages.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")
_READ_AS_SPACE = frozenset("\x0b\u2028\u2029")
_VISIBLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def clean_text(text: str) -> str:
    """``text`` as a reader sees it: invisible control characters dropped, or made spaces."""
    # The expression is looked for only among the characters that are not visible ASCII, most
    # often none: a regular expression reads a whole article ten times slower than this.
    others = text.encode("utf-8", "surrogatepass").translate(None, _VISIBLE_ASCII)
    if not others or _INVISIBLE.search(others.decode("utf-8", "surrogatepass")) is None:
        return text
    return _INVISIBLE.sub(lambda found: " " if found[0] in _READ_AS_SPACE else "", text)


# -- YAML without the traps --------------------------------------------------------------------

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"


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
class Field:
    """One front-matter value with where it was written."""

    value: Any
    line: int
    text: str | None  # the scalar as written, for keys that want text ("title: 2024")
    # A list's items as written, for keys that want names: "tags: [2024, 0x1F]" are the tags
    # "2024" and "0x1F", where YAML reads the numbers 2024 and 31.
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Item:
    """One item of a front-matter list: its text as written (None for anything but a scalar)
    and its line."""

    text: str | None
    line: int


def _yaml_fields(block: str, first_line: int, problems: Problems) -> dict[str, Field] | None:
    may_alias = "&" in block or "*" in block  # an anchor or an alias is written with one
    if len(_LOADERS) > 1:
        quiet = Problems(problems.source)
        try:
            fields = _read_yaml(_LOADERS[0](block), first_line, may_alias, quiet)
        except Exception:  # anything odd: the Python loader decides, and explains
            fields = None
        if fields is not None and not quiet.errors:
            problems.warnings += quiet.warnings
            return fields
    return _read_yaml(_FrontMatterLoader(block), first_line, may_alias, problems)


def _read_yaml(loader: Any, first_line: int, may_alias: bool, problems: Problems) -> dict[str, Field] | None:
    try:
        root = loader.get_single_node()
        if root is None:
            return {}
        if not isinstance(root, yaml.MappingNode):
            problems.error(first_line, "front matter must be 'key: value' lines, not a list or text")
            return None
        if may_alias and _has_alias(root):
            problems.error(first_line, "YAML anchors and aliases (& and *) are not supported in front matter")
            return None
        fields: dict[str, Field] = {}
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
            if isinstance(value_node, yaml.ScalarNode):
                text = _clean(value_node.value)
                # A string is its text as written: most values, read without the constructor.
                value = text if value_node.tag == _STR else _clean(loader.construct_object(value_node))
                fields[key] = Field(value, line, text if value is not None else None)
            else:
                value = _clean(loader.construct_object(value_node, deep=True))
                fields[key] = Field(value, line, None, _items(value_node, first_line))
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
        if value.isprintable():  # no surrogate, control character or separator: most values
            return value
        joined = value.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        return _UNWRITABLE.sub("", clean_text(joined))  # "\v" written as a YAML escape too
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


def _items(node: yaml.Node, first_line: int) -> tuple[Item, ...]:
    """The items of a YAML list as written, with their lines; none for anything else."""
    if not isinstance(node, yaml.SequenceNode):
        return ()
    items = []
    for item in node.value:
        text = _clean(item.value) if isinstance(item, yaml.ScalarNode) else None
        items.append(Item(text, first_line + item.start_mark.line))
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


def _toml_fields(block: str, first_line: int, problems: Problems) -> dict[str, Field] | None:
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

    return {key: Field(value, line_of(key), None) for key, value in data.items()}
