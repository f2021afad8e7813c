"""Fuzzing the loader the build uses (content.parse): any bytes in front matter and any
Markdown in a body give an article or ContentErrors, never an exception; front-matter markup
never reaches the page unescaped; and hostile Markdown costs time in proportion to its size."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html
from support.site import build_site, write_site

from generator.config import Config
from generator.content.markdown import UNSAFE_SCHEMES, markdown_renderer
from generator.content.parse import parse

CONFIG = Config(Path("site"))
MD = markdown_renderer(CONFIG)
ENGINES = ["python-markdown", "commonmark"]
#: Each engine's settings and renderer, with raw HTML allowed (True) and not.
RENDERERS = {
    (engine, allowed): (config, markdown_renderer(config))
    for engine in ENGINES
    for allowed in (True, False)
    for config in [Config(Path("site"), markdown=engine, allow_html=allowed)]
}

#: Characters that broke loaders before: controls YAML refuses or reads as line breaks, the
#: byte-order mark, separators, noncharacters, a lone UTF-8 continuation byte.
AWKWARD = st.sampled_from(
    ["\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\ufeff", "\ufdd0", "\ufffe",
     "\uffff", "\r", "\r\n", "\t", "---", "...", "+++", ":", "- ", "[", "{", "&a", "*a", "!!python/object", "'", '"',
     "#", "|", ">", "%YAML 1.2", "\\", "\\u0000", "\\x85"]
)  # fmt: skip
FRONT_MATTER_BYTES = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(AWKWARD, st.text(max_size=8)), max_size=30).map(lambda parts: "".join(parts).encode()),
)
#: Pieces of Markdown, many of them hostile: nesting, unclosed brackets, script URLs.
MARKDOWN = st.sampled_from(
    ["word", " ", "\n", "\n\n", "  \n", "    ", "\t", "*", "**", "_", "`", "```", "~~~", "\\", "[", "]", "(",
     ")", "![", "](", "[a][b]", "[a]: /b", "[^1]", "[^1]: n", "*[A]: b", "<", ">", "&", "&amp;", "&#106;", "#",
     "- ", "1. ", "1) ", "> ", "---", "===", "|a|b|\n|-|-|", "{: .x}", '{: onclick="x"}', "<div>",
     '<div markdown="1">', "</div>", "<script>", "javascript:", "JaVa&#x09;ScRiPt:", "data:text/html,",
     "[x](javascript:alert(1))", "![x](data:image/svg+xml,a)", "<javascript:x>", "\x00", "\x0b", "\u2028",
     "é", "'", '"', "--", "..."]
)  # fmt: skip
BODIES = st.lists(st.one_of(MARKDOWN, st.text(max_size=5)), max_size=60).map("".join)


def load(data: bytes, config: Config = CONFIG, md=MD):
    """content.parse as the build calls it; ``None`` for the article when there are errors."""
    found, errors, warnings = parse(data, Path("content/x.md"), config, md)
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1  # a lone CR ends a line too
    assert (found is None) == bool(errors), errors
    assert all(1 <= problem.line <= lines for problem in errors + warnings), (errors, warnings)
    return found


@settings(max_examples=300, deadline=2_000, suppress_health_check=[HealthCheck.too_slow])
@given(FRONT_MATTER_BYTES, FRONT_MATTER_BYTES)
def test_any_bytes_in_front_matter_give_an_article_or_errors(before: bytes, after: bytes):
    load(b"---\n" + before + b"\ntitle: T\ndate: 2024-01-01\n" + after + b"\n---\nBody.\n")


@settings(max_examples=300, deadline=2_000, suppress_health_check=[HealthCheck.too_slow])
@given(FRONT_MATTER_BYTES)
def test_any_bytes_in_a_title_give_an_article_or_errors(title: bytes):
    found = load(b"---\ntitle: " + title + b"\ndate: 2024-01-01\n---\nBody.\n")
    if found is not None:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", found.title)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=300, deadline=2_000, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_any_markdown_body_gives_an_article_or_errors(engine: str, body: str):
    load(f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode(), *RENDERERS[engine, True])


def _browser_scheme(url: str) -> str:
    """The scheme a browser reads in an attribute value lxml has already decoded."""
    url = re.sub("[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return found[1].lower() if found else ""


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=300, deadline=2_000, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_without_raw_html_no_body_links_to_script(engine: str, body: str):
    found = load(f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode(), *RENDERERS[engine, False])
    if found is None or not found.body_html.strip():
        return
    for element in html.fragment_fromstring(found.body_html, create_parent="div").iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")], found.body_html
        for name in ("href", "src"):
            if (url := element.get(name)) is not None and _browser_scheme(url) in UNSAFE_SCHEMES:
                assert name == "src" and url.lower().startswith("data:image/") and "svg" not in url.lower()


#: Front-matter text that would be markup, script or template code if written unescaped.
MARKUP = st.sampled_from(
    ["<x-injected>", "</title><x-injected>", "</script><x-injected>", '"><x-injected>', "'><x-injected>",
     '" onmouseover="x', "' onmouseover='x", "{{ 7 * 7 }}", "{% raw %}", "&lt;x-injected&gt;", "<!--", "]]>",
     "\\u003c", "\x0b", "\x00"]
)  # fmt: skip
FIELD = st.lists(st.one_of(MARKUP, st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)),
                 min_size=1, max_size=6).map("".join)  # fmt: skip


@settings(max_examples=8, deadline=30_000, suppress_health_check=[HealthCheck.too_slow])
@given(FIELD, FIELD, FIELD, FIELD, FIELD)
def test_front_matter_markup_never_reaches_the_article_page(title, summary, tag, author, region):
    fields = {"title": title, "summary": summary, "tags": [tag], "author": author, "region": region}
    front = "".join(f"{key}: {json.dumps(value)}\n" for key, value in fields.items())
    with tempfile.TemporaryDirectory() as folder:
        site = write_site(
            Path(folder), {"content/a.md": f"---\n{front}date: 2024-08-31\nslug: a\n---\nBody.\n"}
        )
        try:
            build_site(site)
        except Exception as error:  # a name the build refuses is reported, never a crash
            assert type(error).__name__ == "BuildFailed", error
            return
        written = (site / "output/2024/08/31/a/index.html").read_text(encoding="utf-8")
    tree = html.fromstring(written)
    assert tree.xpath("//x-injected") == []
    assert not [a for e in tree.iter() for a in e.attrib if a.lower() == "onmouseover"]
    assert "49" not in tree.findtext(".//h1")  # no template ran {{ 7 * 7 }}
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.text)


#: Markdown whose repetition made Python-Markdown quadratic: reference links (escaped, as they
#: were, into one placeholder each), entities, escapes, unclosed brackets and links.
HOSTILE_UNITS = {"reference links": "[a][b]", "entities": "&amp; ", "escapes": "\\. ", "brackets": "[",
                 "unclosed links": "[a](", "code spans": "`a` "}  # fmt: skip


def _seconds_to_load(body: str, engine: str) -> float:
    data = f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode()
    best = float("inf")
    for _ in range(2):  # the quicker of two: a busy machine slows one run, not the trend
        started = time.perf_counter()
        load(data, *RENDERERS[engine, True])
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("unit", HOSTILE_UNITS.values(), ids=list(HOSTILE_UNITS))
def test_hostile_markdown_costs_time_in_proportion_to_its_size(unit: str, engine: str):
    """Four times the text may take four times as long; eight, to allow for noise, not sixteen."""
    count = 48_000 // len(unit)
    small, large = _seconds_to_load(unit * count, engine), _seconds_to_load(unit * 4 * count, engine)
    assert large < 8 * max(small, 0.02), (small, large)
