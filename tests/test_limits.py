"""Input past what a news archive holds (a 2 MB article, lists nested hundreds deep, pages
whose URLs meet) is reported at the file and line that caused it, never as a traceback."""

from __future__ import annotations

from pathlib import Path

from lxml import html
from support.cli import run_cli
from support.site import article, build_errors, build_site, write_site

from generator.config import Config
from generator.content.markdown import MAX_MARKDOWN_NESTING, markdown_renderer
from generator.content.parse import MAX_ARTICLE_BYTES, parse


def nested_list(depth: int) -> str:
    return "".join(" " * (4 * level) + f"- level {level + 1}\n" for level in range(depth))


def test_an_article_over_the_size_limit_is_an_error_at_its_first_line(tmp_path: Path):
    text = article("Huge", body="Words. " * (MAX_ARTICLE_BYTES // 7))
    write_site(tmp_path, {"content/huge.md": text})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/huge.md:1: the file is {len(text.encode()):,} bytes; an article may be at "
        "most 2,000,000 (2 MB): split it, or link to the data instead"
    ]


def test_a_list_nested_to_the_documented_depth_renders(tmp_path: Path):
    write_site(tmp_path, {"content/deep.md": article("Deep", body=nested_list(MAX_MARKDOWN_NESTING))})
    build_site(tmp_path)
    written = (tmp_path / "output/2024/08/31/deep/index.html").read_bytes()
    tree = html.fromstring(written, parser=html.HTMLParser(huge_tree=True))  # past libxml2's 256 levels
    items = tree.find_class("article-body")[0].iter("li")
    assert len(list(items)) == MAX_MARKDOWN_NESTING


def test_a_list_nested_400_deep_renders_with_commonmark(tmp_path: Path):
    write_site(tmp_path, {"content/deep.md": article("Deep", body=nested_list(400))})
    build_site(tmp_path)
    written = (tmp_path / "output/2024/08/31/deep/index.html").read_bytes()
    tree = html.fromstring(written, parser=html.HTMLParser(huge_tree=True))
    assert len(list(tree.find_class("article-body")[0].iter("li"))) == 400


def test_a_list_nested_400_deep_is_an_error_at_its_deepest_line_with_python_markdown(tmp_path: Path):
    write_site(tmp_path, {"content/deep.md": article("Deep", body=nested_list(400))})
    assert build_errors(tmp_path, markdown="python-markdown") == [
        f"{tmp_path}/content/deep.md:405: Markdown nested too deeply to render: lists, quotes or "
        f"emphasis inside one another more than about {MAX_MARKDOWN_NESTING} levels deep"
    ]


def test_list_markers_chained_on_one_line_are_an_error_at_that_line_with_python_markdown(tmp_path: Path):
    write_site(tmp_path, {"content/deep.md": article("Deep", body="Intro.\n\n" + "1. " * 1000 + "item\n")})
    errors = build_errors(tmp_path, markdown="python-markdown")
    assert len(errors) == 1
    assert errors[0].startswith(f"{tmp_path}/content/deep.md:8: Markdown nested too deeply to render")


def test_a_document_too_deep_leaves_the_python_markdown_converter_as_new():
    config = Config(Path("site"), markdown="python-markdown")
    used, fresh = markdown_renderer(config), markdown_renderer(config)

    def parsed(body: str, md):
        found, errors, _ = parse(
            f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode(), Path("a.md"), config, md
        )
        return found.body_html if found else errors

    assert parsed(nested_list(400), used)  # errors
    after = "A paragraph.\n\n- an item\n\n    more of it\n"
    assert parsed(after, used) == parsed(after, fresh)


PAGED_REGION = {
    "content/one.md": article("One", date="2024-01-01", region="a"),
    "content/two.md": article("Two", date="2024-01-02", region="a"),
    "content/odd.md": article("Odd", date="2024-01-03", region="a/page/2"),
}


def test_a_region_page_that_a_listing_page_also_wants_is_named_at_its_line(tmp_path: Path):
    write_site(tmp_path, PAGED_REGION)
    assert build_errors(tmp_path, per_page=1) == [
        f"{tmp_path}/content/odd.md:4: region 'a/page/2' makes a page: URL /regions/a/page/2/ is also "
        "wanted by page 2 of the region 'a'"
    ]


def test_check_reports_a_region_page_that_a_listing_page_also_wants(tmp_path: Path):
    write_site(tmp_path, {**PAGED_REGION, "site.toml": "per_page = 1\n"})
    checked = run_cli("check", "--site", str(tmp_path))
    assert checked.returncode == 1
    assert f"{tmp_path}/content/odd.md:4: region 'a/page/2' makes a page" in checked.stderr


def test_a_tag_and_a_year_on_one_url_are_each_named_at_their_line(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "site.toml": '[permalinks]\ntag = "/{slug}/"\n',
            "content/tagged.md": article("Tagged", date="2023-05-01", tags="[2024]"),
            "content/dated.md": article("Dated", date="2024-05-01"),
            "content/later.md": article("Later", date="2024-06-01"),
        },
    )
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/dated.md:3: year '2024' (here and in 1 other article) makes a page: "
        "URL /2024/ is also wanted by the tag '2024'",
        f"{tmp_path}/content/tagged.md:4: tag '2024' makes a page: URL /2024/ is also wanted by the year '2024'",
    ]


def _body_html(body: str) -> str:
    """The body as the Python-Markdown engine renders it (CommonMark has no such traps)."""
    config = Config(Path("site"), markdown="python-markdown")
    found, errors, _ = parse(
        f"---\ntitle: T\ndate: 2024-01-01\n---\n{body}".encode(),
        Path("a.md"),
        config,
        markdown_renderer(config),
    )
    assert not errors, errors
    return found.body_html


def test_a_paragraph_of_twenty_thousand_reference_links_is_shown_as_written():
    assert _body_html("[a][b]" * 20_000) == "<p>" + "[a][b]" * 20_000 + "</p>"


def test_a_paragraph_with_brackets_left_open_is_shown_as_written():
    body = "[" * 400 + " a" * 50_000
    assert _body_html(body) == f"<p>{body}</p>"


def test_links_in_a_table_of_many_rows_still_render():
    rows = "".join(f"| [Source {n}](https://example.org/{n}) | {n} |\n" for n in range(300))
    assert _body_html("| Source | Figure |\n| --- | --- |\n" + rows).count("<a href=") == 300
