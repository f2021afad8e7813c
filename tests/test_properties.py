"""Property-based tests: any name or front matter a newsroom writes yields a safe, stable page."""

from __future__ import annotations

import json
import signal
import tempfile
import unicodedata
from pathlib import Path

import markdown
import markdown.treeprocessors
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.site import article, build_site, write_site

from generator.config import Config
from generator.content.markdown import PythonMarkdown, markdown_renderer, python_markdown
from generator.content.parse import parse
from generator.content.slugs import MAX_SLUG_BYTES, name_key, slugify
from generator.site.taxonomy import index
from generator.urls import output_path

HOSTILE = st.sampled_from(
    ["..", ".", "/", "\\", "\0", "CON", "nul", "COM1", "lpt9", "../../etc/passwd", "a/../../b", "\u202e",
     "عربي", "עברית", "🗞️", "ＡＢＣ", "e\u0301", "İstanbul", "ß", "x" * 500, " ", "-", "_", "%2e%2e",
     # letters of four UTF-8 bytes (CJK Extension B, Gothic): 80 of them overflow a file name
     "\U00020000", "\U00020000" * 100, "\U0002a6d6 " * 30, "\U00010348" * 81,
     # names that differ but slug alike
     "Cafe", "Café", "Cafe 2", "a b", "a-b"]
)  # fmt: skip
NAMES = st.one_of(st.text(max_size=120), HOSTILE, st.lists(HOSTILE, max_size=4).map("".join))
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


@given(NAMES)
def test_slug_is_never_empty_and_safe_as_a_file_name(name: str):
    slug = slugify(name)
    assert slug and slug not in (".", "..")
    assert not set(slug) & set('/\\\0:*?"<>|% ')
    assert slug.split(".")[0] not in WINDOWS_RESERVED
    assert len(slug.encode("utf-8")) <= MAX_SLUG_BYTES < 255  # room for a "-2" under the file-name limit


@given(NAMES)
def test_slug_is_stable(name: str):
    assert slugify(name) == slugify(name)
    assert slugify(slugify(name)) == slugify(name)


@given(st.lists(NAMES, min_size=1, max_size=4))
def test_any_url_built_from_slugs_stays_inside_the_output(names: list[str]):
    root = Path("/srv/site/output")
    url = "/" + "/".join(slugify(n) for n in names) + "/"
    assert output_path(root, url).is_relative_to(root)


@given(st.text(min_size=1, max_size=40))
def test_case_and_unicode_normalisation_variants_are_one_name(name: str):
    assert name_key(name.upper().lower()) == name_key(name.lower())
    assert name_key(unicodedata.normalize("NFD", name)) == name_key(unicodedata.normalize("NFC", name))


def _article(title: str, tags: list[str], region: str, number: int):
    config = Config(Path("site"))
    text = (
        f"---\ntitle: {json.dumps(title)}\ndate: 2024-01-01\ntags: {json.dumps(tags)}\n"
        f"region: {json.dumps(region)}\nslug: a{number}\n---\nBody"
    )
    found, errors, _ = parse(text.encode(), Path(f"content/{number}.md"), config, markdown_renderer(config))
    return found, errors


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAMES, min_size=1, max_size=6), NAMES)
def test_distinct_tag_names_never_share_a_page(tags: list[str], region: str):
    articles = []
    for number, tag in enumerate(tags):
        found, errors = _article(f"Story {number}", [tag], region, number)
        assert (found is None) == bool(errors)
        if found is not None:
            articles.append(found)
    site = index(articles, Config(Path("site")))
    keys = {name_key(tag) for found in articles for tag in found.tags}
    assert len(site.tags) == len(keys)
    assert len({term.url for term in site.tags.values()}) == len(site.tags)
    for term in site.tags.values():
        assert output_path(Path("/out"), term.url).is_relative_to(Path("/out"))
    for region_ in site.regions.values():
        assert output_path(Path("/out"), region_.url).is_relative_to(Path("/out"))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(NAMES, min_size=1, max_size=3).map("/".join), min_size=1, max_size=6))
def test_distinct_region_names_never_share_a_page(regions: list[str]):
    articles = []
    for number, region in enumerate(regions):
        found, errors = _article(f"Story {number}", [], region, number)
        assert (found is None) == bool(errors)
        if found is not None:
            articles.append(found)
    site = index(articles, Config(Path("site")))
    places = set()  # every region and parent region, as its names are compared
    for found in articles:
        for region in found.regions:
            keys = [name_key(part) for part in region.split("/") if part.strip()]
            places |= {tuple(keys[: depth + 1]) for depth in range(len(keys))}
    assert len(site.regions) == len(places)
    assert len({region.url for region in site.regions.values()}) == len(site.regions)


@settings(max_examples=80)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200).filter(str.strip))
def test_any_title_round_trips_through_front_matter(title: str):
    found, errors = _article(title, [], "", 1)
    assert errors == [], errors
    assert found.title == title.strip()


def test_control_characters_and_lone_surrogates_are_dropped_from_front_matter():
    found, _ = _article("Breaking\x00 news\x1b\ud800 today \ud83d\uddde", [], "", 1)
    assert found.title == "Breaking news today \U0001f5de"


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_an_article_or_errors_never_an_exception(data: bytes):
    config = Config(Path("site"))
    found, errors, _ = parse(b"---\n" + data, Path("content/x.md"), config, markdown_renderer(config))
    assert (found is None) == bool(errors)
    assert all(error.line >= 1 for error in errors)


def test_a_site_from_hostile_names_builds_inside_its_output():
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        files = {
            f"content/{i}.md": article(
                json.dumps(name), tags=json.dumps([name]), region=json.dumps(name), slug=json.dumps(name)
            )
            for i, name in enumerate(["..", "../x", "CON", "a/b\\c", "🗞️", "\u202eevil", "%2e%2e", "日本"])
        }
        write_site(site, files)
        build_site(site)
        output = (site / "output").resolve()
        for path in Path(folder).rglob("*"):
            if path.is_file() and not {"content", ".dateline-cache"} & set(path.parts):
                assert path.resolve().is_relative_to(output), path


@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_pathological_brackets_render_and_keep_their_text(engine: str):
    config = Config(Path("site"), markdown=engine)
    body = "[a" * 8000 + "\n\n" + "[](" * 4000
    source = f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode()
    signal.alarm(120)  # unguarded, this takes many minutes (Python-Markdown #798): fail, don't hang
    try:
        found, errors, _ = parse(source, Path("x.md"), config, markdown_renderer(config))
    finally:
        signal.alarm(0)
    assert not errors
    assert found.body_html.count("[a") == 8000


@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_brackets_in_code_blocks_are_left_alone(engine: str):
    config = Config(Path("site"), markdown=engine)
    body = "```\n" + "[" * 300 + "\n```\n"
    found, _, _ = parse(
        f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode(),
        Path("x.md"),
        config,
        markdown_renderer(config),
    )
    assert "[" * 300 in found.body_html


#: Text each inline pattern changes, with nothing else for another pattern to act on.
INLINE_AT_WORK = ["a *em* b", "a **strong** b", "a _em_ b", "a __strong__ b", "a `code` b", "a \\. b",
                  "a &copy; b", "a &#169; b", "a <b>b</b> c", "a  \nb", "a [link](https://example.org) b",
                  "a ![alt](/a.png) b", "a [b] c\n\n[b]: /c", "a [^n] b\n\n[^n]: note", "a <a@b.org> b",
                  "a <https://example.org> b"]  # fmt: skip
#: Blocks of one line that each block processor other than the paragraph's takes.
BLOCKS_AT_WORK = ["# Heading", "## Heading #", "- item", "* item", "+ item", "1. item", "12) item", "> quote",
                  "term\n: definition", "---", "***", "___", "- - -", "a[^n]\n\n[^n]: note",
                  "*[HTML]: Hyper Text\n\nHTML", "[a]\n\n[a]: /b", "    code", "\tcode", "|a|b|\n|-|-|\n|1|2|",
                  "<div>raw</div>", "<div markdown=\"1\">*md*</div>", "Title\n=====", "Title\n-----",
                  "- item\n\n    more of the item", "1. a\n\n    para in item\n2. b", "> a\nlazy line",
                  "Para\n    not code", "x\n\n\n\ny", "```\ncode\n```", "~~~\ncode\n~~~", "==", "|x"]  # fmt: skip


MARKDOWN_PIECES = st.sampled_from(
    ["word", " ", "\n", "\n\n", "  \n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "!",
     "<", ">", "&", "&amp;", "&#38;", ";", "#", "## ", "- ", "1. ", "> ", "    ", "|", "---", ":", "{",
     "}", "{: .x}", "[^1]", "[^1]: note", "*[HTML]: Hyper", "HTML", "```", "~~~", "<div markdown=\"1\">",
     "</div>", "<b>", "https://example.org", "<https://example.org>", "<a@b.org>", "[a](/b)", "[a][b]",
     "[b]: /c", "![i](/i.png)", "é", "'", '"', "--", "...",
     *INLINE_AT_WORK, *BLOCKS_AT_WORK]
)  # fmt: skip


#: The Python-Markdown engine's fast paths against stock Python-Markdown.
PYTHON_MARKDOWN = Config(Path("site"), markdown="python-markdown")


def _rendered(body: str, md: PythonMarkdown) -> tuple[str, str]:
    source = f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode()
    found, errors, _ = parse(source, Path("x.md"), PYTHON_MARKDOWN, md)
    assert found is not None, errors
    return found.body_html, found.toc_html


OURS = PythonMarkdown(python_markdown(PYTHON_MARKDOWN))
_stock = python_markdown(PYTHON_MARKDOWN)
_stock.treeprocessors.register(markdown.treeprocessors.InlineProcessor(_stock), "inline", 20)
_stock.parser.blockprocessors.deregister("prose_paragraph")
STOCK = PythonMarkdown(_stock)


@pytest.mark.parametrize("body", INLINE_AT_WORK)
def test_every_inline_pattern_still_applies_to_prose_that_needs_it(body: str):
    assert _rendered(body, OURS) == _rendered(body, STOCK)


@pytest.mark.parametrize("body", BLOCKS_AT_WORK)
def test_every_block_processor_still_takes_the_blocks_that_need_it(body: str):
    assert _rendered(body, OURS) == _rendered(body, STOCK)


@settings(max_examples=400)
@given(st.lists(MARKDOWN_PIECES, max_size=40).map("".join))
def test_skipping_inline_patterns_on_plain_prose_changes_no_output(body: str):
    assert _rendered(body, OURS) == _rendered(body, STOCK)
