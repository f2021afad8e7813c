"""Smart punctuation on rendered HTML: curly quotes, dashes and ellipses.

Python-Markdown's ``smarty`` extension does this with inline patterns that rescan every text
run, which doubled the cost of converting an article; one pass over the finished HTML gives
the same entities. Text inside tags' attributes, ``<code>``, ``<pre>``, ``<script>`` and
``<style>`` is left exactly as written.
"""

from __future__ import annotations

import re

import markdown

_PARTS = re.compile(r"(<[^>]*>)")
_VERBATIM = re.compile(r"<(/?)(code|pre|script|style|kbd|samp)\b", re.IGNORECASE)
_BLOCK = re.compile(r"</?(p|li|h[1-6]|blockquote|td|th|dd|dt|div|br|hr|figcaption)\b", re.IGNORECASE)
_QUOTES = re.compile(r"[\"']")
_OPENING_CONTEXT = frozenset(" \t\n([{\u2014\u2013-/")


def smarten(html_text: str) -> str:
    """Curly quotes, ``--`` and ``---`` as dashes, ``...`` as an ellipsis, outside code."""
    if not any(mark in html_text for mark in ('"', "'", "--", "...")):
        return html_text
    parts = _PARTS.split(html_text)
    verbatim = 0
    previous = " "  # the character before the current text, across inline tags
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if match := _VERBATIM.match(part):
                verbatim += -1 if match[1] else 1
                verbatim = max(verbatim, 0)
            if _BLOCK.match(part):
                previous = " "
            continue
        if not part:
            continue
        if not verbatim:
            part = _smarten_text(part, previous)
            parts[index] = part
        previous = part[-1]
    return "".join(parts)


def _smarten_text(text: str, previous: str) -> str:
    if '"' in text or "'" in text:

        def curl(match: re.Match[str]) -> str:
            at = match.start()
            before = text[at - 1] if at else previous
            after = text[at + 1] if at + 1 < len(text) else "x"  # a tag follows: inline content
            opening = before in _OPENING_CONTEXT or before.isspace()
            if match[0] == '"':
                return "&ldquo;" if opening and not after.isspace() else "&rdquo;"
            if before.isalnum() or after.isdigit():  # don't, the '90s
                return "&rsquo;"
            return "&lsquo;" if opening and not after.isspace() else "&rsquo;"

        text = _QUOTES.sub(curl, text)
    if "--" in text:
        text = text.replace("---", "&mdash;").replace("--", "&ndash;")
    if "..." in text:
        text = text.replace("...", "&hellip;")
    return text


class SmartPunctuation(markdown.postprocessors.Postprocessor):
    def run(self, text: str) -> str:
        return smarten(text)
