"""The CommonMark engine (markdown = "commonmark"): Markdown as cmark-gfm reads it, with what
Dateline adds on top (heading ids and attributes, the table of contents, highlighting, links
under a base path, no script links with raw HTML off)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html
from support.cli import run_cli
from support.site import article, build_errors, build_site, page, write_site

from generator.content.commonmark import CommonMark


def body_of(site: Path, body: str, **settings: object) -> html.HtmlElement:
    write_site(site, {"content/a.md": article("Story", body=body)})
    build_site(site, markdown="commonmark", **settings)
    return page(site, "/2024/08/31/story/").xpath("//article//div[contains(@class, 'body')]")[0]


def test_a_list_nested_by_two_spaces_is_nested(tmp_path: Path):
    body = body_of(tmp_path, "- one\n  - inner\n- two\n")
    assert body.xpath(".//ul/li/ul/li/text()") == ["inner"]


def test_a_list_right_after_a_paragraph_is_a_list(tmp_path: Path):
    body = body_of(tmp_path, "The points:\n- first\n- second\n")
    assert body.xpath(".//p/text()") == ["The points:"]
    assert body.xpath(".//ul/li/text()") == ["first", "second"]


def test_a_list_numbered_with_parentheses_is_a_list(tmp_path: Path):
    body = body_of(tmp_path, "1) one\n2) two\n")
    assert body.xpath(".//ol/li/text()") == ["one", "two"]


def test_code_inside_a_list_item_stays_code(tmp_path: Path):
    body = body_of(tmp_path, "1. Run:\n\n   ```\n   make build\n   ```\n")
    assert "make build" in body.xpath("string(.//ol/li//pre)")


def test_a_hash_without_a_space_is_text_not_a_heading(tmp_path: Path):
    body = body_of(tmp_path, "#hashtag\n")
    assert not body.xpath(".//h1") and body.xpath(".//p/text()") == ["#hashtag"]


def test_headings_get_ids_and_the_attributes_written_after_them(tmp_path: Path):
    body = body_of(tmp_path, "## The raid {#raid .lead}\n\n## Casualties\n\n## Casualties\n")
    assert body.xpath(".//h2/@id") == ["raid", "casualties", "casualties_1"]
    assert body.xpath(".//h2[@id='raid']/@class") == ["lead"]
    assert body.xpath(".//h2[@id='raid']/text()") == ["The raid"]


def test_an_event_handler_written_after_a_heading_is_dropped(tmp_path: Path):
    body = body_of(tmp_path, "## Title {#t onclick=alert(1)}\n")
    assert body.xpath(".//h2/@onclick") == []


def test_the_table_of_contents_lists_the_second_to_fourth_level_headings():
    _, toc = CommonMark(allow_html=True, base_path="/").render("# Top\n\n## Raid\n\n### Toll\n\n## Inquiry\n")
    tree = html.fromstring(toc)
    assert tree.xpath("//a/@href") == ["#raid", "#toll", "#inquiry"]
    assert tree.xpath("//li[a[@href='#raid']]/ul/li/a/@href") == ["#toll"]


def test_a_body_without_headings_has_no_table_of_contents():
    assert CommonMark(allow_html=True, base_path="/").render("Just prose.\n") == ("<p>Just prose.</p>", "")


def test_fenced_code_with_a_language_is_highlighted(tmp_path: Path):
    body = body_of(tmp_path, '```python\nprint("<hi>")\n```\n')
    assert body.xpath(".//div[@class='highlight']//span[@class='nb']/text()") == ["print"]
    assert 'print("<hi>")' in body.xpath("string(.//pre)")


def test_tables_strikethrough_footnotes_and_task_lists_render(tmp_path: Path):
    body = body_of(
        tmp_path, "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ claim[^1]\n\n- [x] done\n\n[^1]: A note.\n"
    )
    assert body.xpath(".//td/text()") == ["1", "2"]
    assert body.xpath(".//del/text()") == ["gone"]
    assert "A note." in body.xpath("string(.//section[contains(@class, 'footnotes')])")
    assert body.xpath(".//li/input[@type='checkbox']/@checked")


def test_quotes_and_dashes_are_typographic_outside_code(tmp_path: Path):
    body = body_of(tmp_path, 'He said "yes" -- then left... `"as is" --`\n')
    assert body.xpath("string(.//p)") == 'He said \u201cyes\u201d \u2013 then left\u2026 "as is" --'


def test_root_relative_links_get_the_base_path(tmp_path: Path):
    body = body_of(
        tmp_path, "[port](/2024/03/01/port/) ![map](/img/map.png)\n", base_url="https://x.org/archive/"
    )
    assert body.xpath(".//a/@href") == ["/archive/2024/03/01/port/"]
    assert body.xpath(".//img/@src") == ["/archive/img/map.png"]


def test_raw_html_passes_through_when_allowed(tmp_path: Path):
    body = body_of(tmp_path, '<iframe src="https://example.org/embed"></iframe>\n')
    assert body.xpath(".//iframe/@src") == ["https://example.org/embed"]


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:x)",
    ],
)
def test_links_that_run_script_go_when_raw_html_is_off(tmp_path: Path, markdown_text: str):
    body = body_of(tmp_path, markdown_text + "\n", allow_html=False)
    assert all("script" not in href.lower() for href in body.xpath(".//a/@href"))
    assert body.xpath("string(.//p)") == "x"


def test_raw_html_is_left_out_when_raw_html_is_off(tmp_path: Path):
    body = body_of(tmp_path, "<script>alert(1)</script>\n\n<b onmouseover=x>bold</b>\n", allow_html=False)
    assert not body.xpath(".//script | //b")


def test_a_picture_as_data_keeps_its_source_when_raw_html_is_off(tmp_path: Path):
    body = body_of(tmp_path, "![dot](data:image/png;base64,iVBORw0KGgo=)\n", allow_html=False)
    assert body.xpath(".//img/@src") == ["data:image/png;base64,iVBORw0KGgo="]


def test_an_unknown_engine_is_a_settings_error_at_its_line(tmp_path: Path):
    write_site(tmp_path, {"site.toml": 'title = "T"\nmarkdown = "kramdown"\n', "content/a.md": article()})
    assert [error.replace(str(tmp_path) + "/", "") for error in build_errors(tmp_path)] == [
        'site.toml:2: \'markdown\' must be "commonmark" or "python-markdown"'
    ]


def test_changing_the_engine_renders_every_body_again(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Story", body="Points:\n- first\n- second\n")})
    build_site(tmp_path, markdown="python-markdown")
    assert not page(tmp_path, "/2024/08/31/story/").xpath("//article//ul")
    build_site(tmp_path, markdown="commonmark")
    assert page(tmp_path, "/2024/08/31/story/").xpath("//article//ul/li/text()") == ["first", "second"]


SHOUT_EXTENSION = """
import markdown


class Shout(markdown.postprocessors.Postprocessor):
    def run(self, text):
        return text.replace("breaking", "<mark>BREAKING</mark>")


class ShoutExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Shout(md), "shout", 1)


def makeExtension(**kwargs):
    return ShoutExtension(**kwargs)
"""


def test_python_markdown_loads_the_sites_own_extensions(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "site.toml": 'markdown = "python-markdown"\nmarkdown_extensions = ["shout_ext"]\n',
            "shout_ext.py": SHOUT_EXTENSION,
            "content/a.md": article("Story", body="This is breaking news.\n"),
        },
    )
    build_site(tmp_path)
    assert page(tmp_path, "/2024/08/31/story/").xpath("//article//p/mark/text()") == ["BREAKING"]


def test_an_extension_that_cannot_be_loaded_is_a_clear_error(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "site.toml": 'markdown = "python-markdown"\nmarkdown_extensions = ["no_such_ext"]\n',
            "content/a.md": article("Story"),
        },
    )
    done = run_cli("build", "--site", str(tmp_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "markdown_extensions: cannot load 'no_such_ext': ModuleNotFoundError" in done.stderr
