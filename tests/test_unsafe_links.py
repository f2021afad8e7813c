"""With raw HTML off (``allow_html = false``), Markdown cannot write script either: links and
image sources with a ``javascript:``, ``vbscript:`` or ``data:`` URL, however disguised, are
dropped from the built page, and so are the event attributes attr_list could write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html
from playwright.sync_api import Browser
from support.browser import serving
from support.site import article, build_site, page, write_site

from generator.content.markdown import UNSAFE_SCHEMES

#: Link targets that run script when clicked, each disguised as browsers still read it.
SCRIPT_LINKS = {
    "plain": "javascript:alert(1)",
    "upper case": "JAVASCRIPT:alert(1)",
    "mixed case": "JaVaScRiPt:alert(1)",
    "leading space": "<  javascript:alert(1)>",
    "leading tab as entity": "&Tab;javascript:alert(1)",
    "leading newline as entity": "&#10;javascript:alert(1)",
    "decimal entity": "&#106;avascript:alert(1)",
    "hex entity and named colon": "&#x6A;avascript&colon;alert(1)",
    "tab inside as entity": "java&#9;script:alert(1)",
    "newline inside": "<java\nscript:alert(1)>",
    "vbscript": "vbscript:msgbox(1)",
    "data page": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data image as a link": "data:image/png;base64,iVBORw0KGgo=",
}
#: Disguises Python-Markdown writes so that browsers no longer read a scheme (it escapes the
#: ``&`` of an unfinished reference; it expands tabs to spaces): the browser test checks them.
OTHER_DISGUISES = {
    "entity without semicolon": "&#106avascript:alert(1)",
    "raw tab": "<java\tscript:alert(1)>",
}
SCRIPT_IMAGES = {
    "javascript": "javascript:alert(1)",
    "svg data": "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "svg data in capitals": "DATA:Image/SVG+XML,<svg onload=alert(1)>",
    "html data": "data:text/html,<script>alert(1)</script>",
}
PICTURE = "data:image/png;base64,iVBORw0KGgo="


def _articles(engine: str) -> dict[str, str]:
    files = {"site.toml": f'allow_html = false\nmarkdown = "{engine}"\n'}
    for number, target in enumerate(SCRIPT_LINKS.values()):
        files[f"content/link{number}.md"] = article(
            f"Link {number}", body=f"See [the report {number}]({target})."
        )
    for number, target in enumerate(OTHER_DISGUISES.values()):
        files[f"content/other{number}.md"] = article(f"Other {number}", body=f"See [the report]({target}).")
    for number, target in enumerate(SCRIPT_IMAGES.values()):
        files[f"content/image{number}.md"] = article(f"Image {number}", body=f"![A map {number}]({target})")
    files["content/reference.md"] = article(
        "Reference", body="See [the report][r].\n\n[r]: javascript:alert(1)\n"
    )
    files["content/picture.md"] = article("Picture", body=f"![A chart]({PICTURE})")
    files["content/handler.md"] = article("Handler", body='A paragraph.\n{: onclick="alert(1)" }\n')
    files["content/override.md"] = article("Override", body='[Home](/){: href="javascript:alert(1)" }\n')
    files["content/safe.md"] = article("Safe", body="[Home](/) and [mail](mailto:desk@example.org).")
    return files


@pytest.fixture(scope="module", params=["commonmark", "python-markdown"])
def site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    root = write_site(tmp_path_factory.mktemp("unsafe"), _articles(request.param))
    build_site(root)
    return root


@pytest.fixture(scope="module")
def python_markdown_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """attr_list (``{: onclick=...}``) is Python-Markdown's; CommonMark shows it as text."""
    root = write_site(tmp_path_factory.mktemp("unsafe"), _articles("python-markdown"))
    build_site(root)
    return root


def body(site: Path, slug: str) -> html.HtmlElement:
    return page(site, f"/2024/08/31/{slug}/").find_class("article-body")[0]


def _scheme(url: str) -> str:
    """The scheme a browser reads in a URL (lxml has decoded the character references)."""
    url = re.sub("[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return found[1].lower() if found else ""


@pytest.mark.parametrize("number", range(len(SCRIPT_LINKS)), ids=list(SCRIPT_LINKS))
def test_a_link_that_runs_script_is_left_as_its_text(site: Path, number: int):
    """Python-Markdown makes a link of each, which is then dropped; CommonMark makes a link
    of some, to a URL it has percent-encoded (``%09javascript:``, no scheme at all), which
    is dropped only when it still reads as script."""
    text = body(site, f"link-{number}")
    assert [a.get("href") for a in text.iter("a") if _scheme(a.get("href", "")) in UNSAFE_SCHEMES] == []
    assert f"the report {number}" in text.text_content()


def test_a_reference_link_that_runs_script_becomes_its_text(site: Path):
    text = body(site, "reference")
    assert text.findall(".//a") == []
    assert "See the report." in text.text_content()


@pytest.mark.parametrize("number", range(len(SCRIPT_IMAGES)), ids=list(SCRIPT_IMAGES))
def test_an_image_that_runs_script_loses_its_source(site: Path, number: int):
    text = body(site, f"image-{number}")
    assert [image.get("src") for image in text.iter("img")] in ([None], [])  # [] where it is no image
    assert f"A map {number}" in text.text_content() + "".join(text.xpath(".//img/@alt"))


def test_a_picture_as_data_keeps_its_source(site: Path):
    (image,) = body(site, "picture").iter("img")
    assert image.get("src") == PICTURE


def test_attr_list_cannot_add_an_event_handler(python_markdown_site: Path):
    (paragraph,) = body(python_markdown_site, "handler").iter("p")
    assert paragraph.get("onclick") is None
    assert paragraph.text_content() == "A paragraph."


def test_attr_list_cannot_point_a_link_at_script(python_markdown_site: Path):
    text = body(python_markdown_site, "override")
    assert text.findall(".//a") == []
    assert text.text_content().strip() == "Home"


def test_ordinary_links_stay(site: Path):
    assert [a.get("href") for a in body(site, "safe").iter("a")] == ["/", "mailto:desk@example.org"]


def test_raw_html_on_leaves_links_as_written(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Trusted", body="[Run](javascript:void(0))")})
    build_site(tmp_path)
    assert [a.get("href") for a in body(tmp_path, "trusted").iter("a")] == ["javascript:void(0)"]


def test_no_link_or_image_in_any_article_runs_script_in_a_browser(site: Path, browser: Browser):
    """The browser's own URL parser decides: every href and src in every article body."""
    days = site / "output" / "2024" / "08" / "31"
    urls = [f"/2024/08/31/{folder.name}/" for folder in sorted(days.iterdir()) if folder.is_dir()]
    with serving(site / "output") as base:
        tab = browser.new_page()
        found: list[tuple[str, str]] = []
        for url in urls:
            assert (response := tab.goto(base.rstrip("/") + url)) is not None and response.ok, url
            found += tab.evaluate(
                """() => [...document.querySelectorAll('.article-body [href], .article-body [src]')]
                    .map(e => [e.tagName, new URL(e.getAttribute('href') ?? e.getAttribute('src'),
                                                  document.baseURI).href])"""
            )
            handlers = tab.evaluate(
                "() => [...document.querySelectorAll('.article-body *')].flatMap(e => "
                "[...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
            )
            assert handlers == [], url
        tab.close()
    schemes = {(tag, target.split(":", 1)[0]) for tag, target in found}
    assert schemes <= {("A", "http"), ("A", "mailto"), ("IMG", "data")}, found
    assert [target for tag, target in found if target.startswith("data:")] == [PICTURE]
