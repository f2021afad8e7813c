"""URL patterns: Dateline's ``{year}`` placeholders, Jekyll's and Hugo's ``:year``, and the
rules each of those generators turns names into URL segments by.

An archive that moves from Jekyll or Hugo keeps its URLs only if every part of them comes out
as its old generator wrote it: ``/:year/:month/:day/:title.html`` means the file name's slug
with its capitals kept under Jekyll, and ``/:year/:month/:slug/`` a lowercased slug with dots
kept under Hugo. So a pattern is read once (``parse``: either syntax, Jekyll's built-in styles,
unknown placeholders refused) into Dateline's ``{name}`` form, and expanded per article
(``article_url``) under the ``slugs`` rules the site names: "dateline", "jekyll" or "hugo".
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote_plus

from generator.content.slugs import slugify

SLUG_RULES = ("dateline", "jekyll", "hugo")

#: Jekyll's built-in permalink styles (``lib/jekyll/configuration.rb``); ``date`` is its default.
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: The date placeholders, from the article's date as it is filed (see ``archive_day``).
#: English names, whatever the site's language: they are what Jekyll and Hugo wrote.
DATE_PLACEHOLDERS: Mapping[str, Callable[[datetime], str]] = {
    "year": lambda d: f"{d.year:04d}",
    "month": lambda d: f"{d.month:02d}",
    "day": lambda d: f"{d.day:02d}",
    "i_month": lambda d: str(d.month),
    "i_day": lambda d: str(d.day),
    "short_year": lambda d: f"{d.year % 100:02d}",
    "hour": lambda d: f"{d.hour:02d}",
    "minute": lambda d: f"{d.minute:02d}",
    "second": lambda d: f"{d.second:02d}",
    "y_day": lambda d: f"{d.timetuple().tm_yday:03d}",  # Jekyll
    "yearday": lambda d: str(d.timetuple().tm_yday),  # Hugo
    "short_month": lambda d: _MONTHS[d.month - 1][:3],
    "long_month": lambda d: _MONTHS[d.month - 1],
    "monthname": lambda d: _MONTHS[d.month - 1],  # Hugo
    "week": lambda d: f"{d.isocalendar().week:02d}",
    "w_year": lambda d: str(d.isocalendar().year),
    "w_day": lambda d: str(d.isoweekday()),  # Jekyll: 1 is Monday
    "weekday": lambda d: str(d.isoweekday() % 7),  # Hugo: 0 is Sunday
    "short_day": lambda d: _WEEKDAYS[d.weekday()][:3],
    "long_day": lambda d: _WEEKDAYS[d.weekday()],
    "weekdayname": lambda d: _WEEKDAYS[d.weekday()],  # Hugo
}
#: Placeholders that tell one article from another on the same day: an article pattern needs one.
NAME_PLACEHOLDERS = frozenset(
    {"slug", "title", "filename", "contentbasename", "slugorfilename", "slugorcontentbasename"}
)
#: Where the article sits: Jekyll's categories, Hugo's section, the folders under content/.
PLACE_PLACEHOLDERS = frozenset({"categories", "slugified_categories", "section", "folder"})
ARTICLE_PLACEHOLDERS = frozenset({*DATE_PLACEHOLDERS, *NAME_PLACEHOLDERS, *PLACE_PLACEHOLDERS, "output_ext"})

_COLON_FORM = re.compile(r"\\:|:([A-Za-z_]+)")
_BRACE_FORM = re.compile(r"{(\w+)}")
_HTML = ".html"


def parse(pattern: str, known: Collection[str], *, styles: bool = False) -> str:
    """``pattern`` in Dateline's ``{name}`` form: Jekyll's and Hugo's ``:name`` read as
    ``{name}`` (``\\:`` is a colon, as in Hugo), and with ``styles`` a Jekyll style name
    (``pretty``) as its pattern. Raises ValueError naming the first unknown placeholder."""
    if styles and pattern in JEKYLL_STYLES:
        pattern = JEKYLL_STYLES[pattern]

    def colon(found: re.Match[str]) -> str:
        if found[0] == "\\:":
            return ":"
        name = found[1]
        # Jekyll reads "/:month_:day" as :month then "_": a name may end in an underscore.
        for candidate, rest in ((name, ""), (name.rstrip("_"), name[len(name.rstrip("_")) :])):
            if candidate in known:
                return "{" + candidate + "}" + rest
        raise ValueError(f"unknown placeholder :{name}")

    converted = _COLON_FORM.sub(colon, pattern)
    for name in _BRACE_FORM.findall(converted):
        if name not in known:
            raise ValueError(f"unknown placeholder {{{name}}}")
    if "{" in _BRACE_FORM.sub("", converted) or "}" in _BRACE_FORM.sub("", converted):
        # Eleventy's "{{ page.fileSlug }}" and the like: template code, which is not run here.
        raise ValueError("holds a brace that is no placeholder (template code is not run)")
    return converted


def placeholders(pattern: str) -> set[str]:
    """The ``{name}`` placeholders of a parsed pattern."""
    return set(_BRACE_FORM.findall(pattern))


def as_folder_or_page(pattern: str) -> str:
    """A parsed article pattern made to end in ``/`` (a folder with an index.html) or in
    ``.html`` (a file). One that ends in neither is a folder, as redirects read old URLs:
    ``/2024/story`` is answered at ``/2024/story/``, as servers answer it."""
    if pattern.endswith(("/", _HTML, "{output_ext}")):
        return pattern
    return pattern + "/"


@dataclass(frozen=True)
class ArticleFacts:
    """What an article's URL may be made of."""

    when: datetime  # the date it is filed under (archive_day)
    slug: str  # Dateline's slug: ``slug``, else the Jekyll file name's, else the title's
    given_slug: str | None  # ``slug`` as written in front matter
    title: str
    path: PurePosixPath  # the file under content/
    categories: Any = None  # front matter ``categories`` as written (a list or a string)
    category: Any = None  # front matter ``category``


def article_url(pattern: str, facts: ArticleFacts, rules: str = "dateline") -> str:
    """The URL of one article from a parsed pattern, its parts made by ``rules``."""
    url = "".join(
        _value(part, facts, rules) if is_placeholder else part for part, is_placeholder in _parts(pattern)
    )
    if rules == "jekyll":  # Jekyll::URL#sanitize_url
        url = ("/" + url).replace("..", "/").replace("./", "")
    if "//" in url:  # an empty placeholder leaves no empty segment
        url = re.sub(r"/{2,}", "/", url)
    if rules == "hugo":  # Hugo unescapes an expanded permalink, then sanitizes the path
        url = hugo_sanitize(unquote_plus(url)).lower()
    return url


@lru_cache(maxsize=64)
def _parts(pattern: str) -> tuple[tuple[str, bool], ...]:
    """A parsed pattern as its text and placeholders, in order: read once per build."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for found in _BRACE_FORM.finditer(pattern):
        parts += [(pattern[at : found.start()], False), (found[1], True)]
        at = found.end()
    return (*parts, (pattern[at:], False))


def _value(name: str, facts: ArticleFacts, rules: str) -> str:
    """One placeholder of one article."""
    if name in DATE_PLACEHOLDERS:
        return DATE_PLACEHOLDERS[name](facts.when)
    if name in NAME_PLACEHOLDERS:
        return _name_of(name, facts, rules) or facts.slug  # never an empty name: "/2024/.html"
    if name == "output_ext":
        return _HTML
    if name in ("categories", "slugified_categories"):
        found = jekyll_categories(facts.path, facts.categories, facts.category)
        if name == "slugified_categories" or rules == "dateline":
            return "/".join(dict.fromkeys(_name(category, rules) for category in found))
        return "/".join(dict.fromkeys(category.lower() for category in found))
    if name == "section":
        return _name(facts.path.parts[0], rules) if len(facts.path.parts) > 1 else ""
    if name == "folder":
        return "/".join(_name(part, rules) for part in _container(facts.path).parts)
    raise ValueError(f"unknown placeholder {{{name}}}")  # parse() lets none through


def _name_of(name: str, facts: ArticleFacts, rules: str) -> str:
    """A name placeholder of one article under ``rules``."""
    given = facts.given_slug.strip() if facts.given_slug else ""
    if name in ("slugorfilename", "slugorcontentbasename"):
        return _name_of("slug" if given else "filename", facts, rules)
    if name in ("filename", "contentbasename"):
        base = _content_base_name(facts.path)
        return _name(base, rules) if base else ""
    if rules == "jekyll":  # Jekyll::Drops::UrlDrop: title and slug both from `slug`, else the file name
        written = given or jekyll_file_slug(facts.path.name)
        return (
            jekyll_slugify(written, pretty=True, cased=True) if name == "title" else jekyll_slugify(written)
        )
    if rules == "hugo":  # resources/page/permalinks.go: slug, else the title
        return hugo_urlize(given if given and name == "slug" else facts.title)
    return facts.slug if name == "slug" else slugify(facts.title)


def _name(text: str, rules: str) -> str:
    if rules == "jekyll":
        return jekyll_slugify(text)
    if rules == "hugo":
        return hugo_urlize(text)
    return slugify(text)


# -- Jekyll ------------------------------------------------------------------------------------

#: Jekyll::Document::DATE_FILENAME_MATCHER, for one file name.
_JEKYLL_DATED = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")
_JEKYLL_PRETTY_KEEPS = frozenset("._~!$&'()+,;=@")
_SPECIAL_FOLDERS = ("_posts", "_drafts")


def jekyll_file_slug(file_name: str) -> str:
    """The slug Jekyll takes from a post's file name: ``2024-05-01-Hello.md`` -> ``Hello``;
    without trailing dots (``Document#populate_title``)."""
    dated = _JEKYLL_DATED.match(file_name)
    name = dated[2] if dated else PurePosixPath(file_name).stem
    return name.rstrip(".")


def jekyll_slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """``Jekyll::Utils.slugify`` in its "default" and "pretty" modes: each run of characters
    that are not letters, marks or decimal digits (in pretty mode, nor ``._~!$&'()+,;=@``)
    becomes one hyphen; one leading and one trailing hyphen go; lowercased unless ``cased``."""
    out: list[str] = []
    for char in text:
        if _letter_mark_or_digit(char) or (pretty and char in _JEKYLL_PRETTY_KEEPS):
            out.append(char)
        elif not out or out[-1] != "\0":
            out.append("\0")  # a hyphen, written in the input or not, is part of the run
    slug = re.sub(r"^-|-$", "", "".join(out).replace("\0", "-"))
    return slug if cased else slug.lower()


def _letter_mark_or_digit(char: str) -> bool:
    """Ruby's ``\\p{L}``, ``\\p{M}`` or ``\\p{Nd}``, as Go's IsLetter, IsMark or IsDigit."""
    if char.isalpha() or char.isdecimal():
        return True
    return not char.isascii() and unicodedata.category(char)[0] == "M"


def jekyll_categories(path: PurePosixPath, categories: Any, category: Any) -> tuple[str, ...]:
    """A post's categories as Jekyll gathers them (``Document#categories_from_path``,
    ``#populate_categories``): the folders above its ``_posts`` folder, then ``categories``
    (a string is split at spaces), then ``category`` (not split); each once."""
    parts = path.parts[:-1]
    special = next((i for i, part in enumerate(parts) if part in _SPECIAL_FOLDERS), None)
    found: list[str] = list(parts[:special]) if special is not None else []
    found += _category_names(categories, split=True)
    found += _category_names(category, split=False)
    return tuple(dict.fromkeys(name for name in found if name))


def _category_names(value: Any, split: bool) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split else [value]
    if isinstance(value, list):
        return [_as_text(item) for item in value if item is not None and not isinstance(item, (list, dict))]
    return [_as_text(value)]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- Hugo --------------------------------------------------------------------------------------

_HUGO_KEEPS = frozenset("./\\_#+~-@")
_HUGO_PLAIN = re.compile(r"[A-Za-z0-9./\\_#+~@-]*")
_HEX_PAIR = re.compile(r"[0-9A-Fa-f]{2}")


def hugo_sanitize(text: str) -> str:
    """Hugo's ``paths.Sanitize``: letters, digits, marks and ``./\\_#+~-@`` stay (and ``%``
    before two hex digits); a run of spaces between kept characters becomes one hyphen;
    everything else goes."""
    if _HUGO_PLAIN.fullmatch(text):  # nothing to change, as in most URLs
        return text
    out: list[str] = []
    hyphen_due = was_hyphen = False
    for i, char in enumerate(text):
        if _hugo_keeps(text, i, char):
            was_hyphen = char == "-"
            if hyphen_due and not was_hyphen:
                out.append("-")
            hyphen_due = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            hyphen_due = True
    return "".join(out)


def _hugo_keeps(text: str, i: int, char: str) -> bool:
    if char.isalpha() or char.isdecimal() or char in _HUGO_KEEPS:  # Go's IsLetter, IsDigit
        return True
    if char.isascii():
        return char == "%" and bool(_HEX_PAIR.fullmatch(text, i + 1, i + 3))
    return unicodedata.category(char)[0] == "M"


def hugo_urlize(text: str) -> str:
    """Hugo's ``urlize`` as its permalinks use it: sanitized and lowercased (Hugo's default,
    ``disablePathToLower = false``; accents are kept, ``removePathAccents = false``)."""
    return hugo_sanitize(text).lower()


def _content_base_name(path: PurePosixPath) -> str:
    """Hugo's content base name: the file name without its extension; for a bundle
    (``story/index.md``), the folder's name. (A language in the name, ``story.de.md``, is
    Hugo's only on a site that configures that language, which Dateline does not read.)"""
    if path.stem in ("index", "_index") and len(path.parts) > 1:
        return path.parts[-2]
    return path.stem


def _container(path: PurePosixPath) -> PurePosixPath:
    """The folder an article is in under content/; for a bundle, the folder holding it."""
    folder = path.parent.parent if path.stem in ("index", "_index") else path.parent
    return PurePosixPath() if str(folder) == "." else folder


def content_path(source: Path, content_dir: Path) -> PurePosixPath:
    """An article file's path under ``content_dir``; its name alone when it lies elsewhere."""
    # As text, the way discovery lists the files under content/: ``relative_to`` takes several
    # times as long, once per article of a cold build.
    written, folder = str(source), os.path.join(content_dir, "")
    if written.startswith(folder):
        return PurePosixPath(written[len(folder) :].replace(os.sep, "/"))
    return PurePosixPath(source.name)
