"""Markdown engines: a body's Markdown to HTML and its table of contents.

CommonMark (cmark-gfm, commonmark.py) is the default engine; Python-Markdown, with the
extensions Dateline has always used and the site's own, is the other. Both are made once per
process and reused for every body. A body whose raw HTML is escaped also loses every URL
that would run script.
"""

from __future__ import annotations

import html
import re
import sys
from functools import cache
from typing import Any, Protocol

import markdown
import markdown.blockprocessors
import markdown.postprocessors
import markdown.treeprocessors
from markupsafe import Markup

from generator.config import Config
from generator.content.commonmark import CommonMark, site_root_links
from generator.content.figures import figures
from generator.content.typography import SmartPunctuation
from generator.errors import DatelineError


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


def render_body(body: str, md: Renderer, allow_html: bool) -> tuple[str, str]:
    """A body's HTML and table of contents; without URLs that run script unless the site
    allows raw HTML; with its pictures as figures (see figures.py)."""
    html_text, toc = md.render(body)
    if not allow_html:
        html_text = without_unsafe_urls(html_text)
    return figures(html_text), toc


#: What Python-Markdown renders for sure, nested (a list in a list...); deeper, it runs out of
#: Python's stack somewhere past 200 levels, which is reported at the deepest-looking line.
MAX_MARKDOWN_NESTING = 150
_NESTING = re.compile(r"(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*")


def deepest_line(body: str) -> int:
    """The body line (from 0) that looks the most nested: the longest run of indentation,
    quote and list markers; the first line with text when none has any."""
    depths = [
        (_NESTING.match(line).end(), bool(line.strip()), -number)  # type: ignore[union-attr]
        for number, line in enumerate(body.split("\n"))
    ]
    return -max(depths)[2]


@cache
def inline_markdown(text: str, base_path: str) -> Markup:
    """One line of Markdown as HTML without its paragraph: links, emphasis and code; raw HTML
    and links that run script are left out, as in an article of a site that allows no HTML."""
    rendered, _ = render_body(text, CommonMark(False, base_path), allow_html=False)
    inline = rendered.removeprefix("<p>").removesuffix("</p>").replace("<!-- raw HTML omitted -->", "")
    if not rendered.startswith("<p>") or "<p>" in inline:  # a heading, a list: no line of text
        return Markup.escape(text)
    return Markup(inline)
