"""Markdown as CommonMark with GitHub's extensions, rendered by cmark-gfm (``cmarkgfm``).

Archives come from CommonMark engines (Hugo's goldmark, Eleventy's markdown-it, Zola's
pulldown-cmark, GitHub's cmark-gfm, kramdown's GFM input), so this is the default engine: a
two-space nested list, a list right after a paragraph, ``1)`` lists and code inside list
items render the way their authors saw them. cmark-gfm parses; what Dateline adds on top
works on its HTML, each a single pass: heading ids and attributes (``## Title {#id .class}``,
as goldmark and kramdown read them) with the table of contents, Pygments highlighting of
fenced code and site-root links under a base path.

Raw HTML follows ``allow_html``: on, it passes through as written (a newsroom's embeds);
off, cmark-gfm's safe mode leaves it out and drops ``javascript:``, ``vbscript:``,
``file:`` and non-image ``data:`` link targets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import cmarkgfm
from cmarkgfm.cmark import Options
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from generator.content.slugs import slugify

EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]
TOC_LEVELS = range(2, 5)  # h2-h4, as the Python-Markdown engine's toc_depth "2-4"

_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
# Attributes at the end of a heading: {#id .class key=value} (goldmark) or {: ...} (kramdown).
_HEADING_ATTRIBUTES = re.compile(
    r"\s*\{:?\s*((?:[#.][\w:-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]*)|\s)+)\}\s*$"
)
_ATTRIBUTE = re.compile(r"([#.])([\w:-]+)|([\w-]+)=(\"[^\"]*\"|'[^']*'|[^\s}]*)")
_CODE = re.compile(r'<pre><code class="language-([^"\s]+)">(.*?)</code></pre>', re.S)
_TAG = re.compile(r"<[^>]+>")


class CommonMark:
    """One engine per process; ``render`` is a pure function of the body."""

    def __init__(self, allow_html: bool, base_path: str) -> None:
        # SMART: curly quotes, dashes and ellipses by the parser, which knows code from text.
        self.options = Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_VALIDATE_UTF8 | Options.CMARK_OPT_SMART
        if allow_html:
            self.options |= Options.CMARK_OPT_UNSAFE
        self.base_path = base_path
        self.formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)

    def render(self, body: str) -> tuple[str, str]:
        """The body's HTML and its table of contents ("" when it has no headings to list)."""
        text = cmarkgfm.markdown_to_html_with_extensions(body, options=self.options, extensions=EXTENSIONS)
        if "<pre><code class=" in text:
            text = _CODE.sub(self._highlight, text)
        toc = ""
        if "<h" in text:
            text, headings = _heading_ids(text)
            toc = table_of_contents(headings)
        if self.base_path != "/":
            text = site_root_links(text, self.base_path)
        return text.rstrip("\n"), toc

    def _highlight(self, match: re.Match[str]) -> str:
        try:
            lexer = get_lexer_by_name(html.unescape(match[1]))
        except ClassNotFound:
            return match[0]  # a language Pygments does not know stays plain code
        return highlight(html.unescape(match[2]), lexer, self.formatter)


def _heading_ids(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Give every heading an id (its own ``{#id}``, else a slug of its text, made unique) and
    apply its ``{.class key=value}`` attributes; returns the HTML and (level, id, inner HTML)
    of each heading."""
    used: set[str] = set()
    headings: list[tuple[int, str, str]] = []

    def heading(match: re.Match[str]) -> str:
        level, inner = int(match[1]), match[2]
        given, classes, others = _attributes(inner)
        if given is not None or classes or others:
            inner = _HEADING_ATTRIBUTES.sub("", inner)
        anchor = _unique(given or slugify(html.unescape(_TAG.sub("", inner))), used)
        headings.append((level, anchor, inner))
        attributes = f' id="{html.escape(anchor)}"'
        if classes:
            attributes += f' class="{html.escape(" ".join(classes))}"'
        attributes += "".join(f' {name}="{html.escape(value)}"' for name, value in others)
        return f"<h{level}{attributes}>{inner}</h{level}>"

    return _HEADING.sub(heading, text), headings


def _attributes(inner: str) -> tuple[str | None, list[str], list[tuple[str, str]]]:
    found = _HEADING_ATTRIBUTES.search(inner)
    if found is None:
        return None, [], []
    anchor, classes, others = None, [], []
    for mark, name, key, value in _ATTRIBUTE.findall(html.unescape(found[1])):
        if mark == "#":
            anchor = name
        elif mark == ".":
            classes.append(name)
        elif not key.lower().startswith("on"):  # no event handlers from a heading
            others.append((key, value.strip("\"'")))
    return anchor, classes, others


def _unique(anchor: str, used: set[str]) -> str:
    candidate, number = anchor, 1
    while candidate in used:
        candidate = f"{anchor}_{number}"
        number += 1
    used.add(candidate)
    return candidate


def table_of_contents(headings: list[tuple[int, str, str]]) -> str:
    """Nested lists of links to the h2-h4 headings, the markup the Python-Markdown engine
    gives (``<div class="toc"><ul><li><a href="#id">…``); "" when there are none."""
    listed = [
        (level, anchor, _TAG.sub("", inner)) for level, anchor, inner in headings if level in TOC_LEVELS
    ]
    if not listed:
        return ""
    parts = ['<div class="toc">\n<ul>\n']
    depth = [listed[0][0]]
    for index, (level, anchor, label) in enumerate(listed):
        if index:
            if level > depth[-1]:
                parts.append("<ul>\n")
                depth.append(level)
            else:
                parts.append("</li>\n")
                while len(depth) > 1 and level < depth[-1]:
                    parts.append("</ul>\n</li>\n")
                    depth.pop()
        parts.append(f'<li><a href="#{html.escape(anchor)}">{label.strip()}</a>')
    parts.append("</li>\n")
    while len(depth) > 1:
        parts.append("</ul>\n</li>\n")
        depth.pop()
    parts.append("</ul>\n</div>\n")
    return "".join(parts)


_ANY_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_LINK_ATTRIBUTE = re.compile(r"""(\s[^\s"'>/=]+\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")


def site_root_links(text: str, prefix: str) -> str:
    """Root-relative ``href`` and ``src`` values (``/2024/03/01/port/``) get the base path
    ``prefix`` (``/archive/``), so the same content works on a project site. Runs on finished
    HTML: code samples are escaped by then (``&lt;a href=...``), so they are left alone."""

    def attribute(match: re.Match[str]) -> str:
        name, value = match[1], match[2]
        if name.strip(" \t\n=").lower() not in ("href", "src"):
            return match[0]
        quote = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote else value
        if not inner.startswith("/") or inner.startswith(("//", "/\\")):
            return match[0]
        return f"{name}{quote}{prefix}{inner[1:]}{quote}"

    rewrite: Callable[[re.Match[str]], str] = lambda tag: _LINK_ATTRIBUTE.sub(attribute, tag[0])  # noqa: E731
    return _ANY_TAG.sub(rewrite, text)
