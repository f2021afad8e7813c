"""The output folder: complete, reproducible, minimal in its changes, and the theme's to override."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import run_cli
from support.site import article, build_errors, build_site, page, tree_digest, write_site

from generator.engine.output import MARKER, read_marker
from generator.errors import DatelineError

SITE = {
    "content/a.md": article("First", tags="[a]", region="europe/france"),
    "content/b.md": article("Second", date="2024-09-01", tags="[a, b]"),
}


def test_a_folder_with_only_content_builds_with_the_default_theme(tmp_path: Path):
    write_site(tmp_path, SITE)
    report = build_site(tmp_path)
    assert report.articles == 2
    assert (tmp_path / "output/static/style.css").is_file()
    assert page(tmp_path, "/").findtext(".//title") == "News Archive"


def test_pages_use_pretty_urls(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    for url in ["/", "/2024/08/31/first/", "/tags/", "/tags/a/", "/regions/", "/regions/europe/france/",
                "/archive/", "/2024/", "/2024/08/", "/2024/08/31/"]:  # fmt: skip
        assert page(tmp_path, url) is not None, url
    assert (tmp_path / "output/404.html").is_file()


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path: Path):
    write_site(tmp_path / "one", SITE)
    write_site(tmp_path / "two", SITE)
    build_site(tmp_path / "one")
    build_site(tmp_path / "two")

    def contents(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    assert contents(tmp_path / "one/output") == contents(tmp_path / "two/output")


def test_a_rebuild_without_changes_rewrites_nothing(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    before = tree_digest(tmp_path / "output")
    report = build_site(tmp_path)
    assert report.written == 0
    assert tree_digest(tmp_path / "output") == before


def test_an_edit_rewrites_only_the_pages_that_change(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    untouched = (tmp_path / "output/regions/europe/france/index.html").stat().st_mtime_ns
    write_site(
        tmp_path, {"content/b.md": article("Second", date="2024-09-01", tags="[a, b]", body="New text.")}
    )
    build_site(tmp_path)
    assert "New text." in (tmp_path / "output/2024/09/01/second/index.html").read_text()
    assert (tmp_path / "output/regions/europe/france/index.html").stat().st_mtime_ns == untouched


def test_files_that_no_longer_belong_are_removed(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    (tmp_path / "content/b.md").unlink()
    build_site(tmp_path)
    output = tmp_path / "output"
    assert not (output / "2024/09/01/second").exists()
    assert not (output / "tags/b").exists()
    assert (output / "2024/08/31/first/index.html").is_file()


def test_a_symlinked_folder_in_the_output_is_never_written_through(tmp_path: Path):
    write_site(tmp_path / "site", SITE)
    build_site(tmp_path / "site")
    output, elsewhere = tmp_path / "site/output", tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(output / "tags")
    (output / "tags").symlink_to(elsewhere)
    with pytest.raises(DatelineError, match="symlink"):
        build_site(tmp_path / "site")
    assert list(elsewhere.iterdir()) == []
    assert (output / "2024/08/31/first/index.html").is_file()


def test_a_first_build_leaves_no_staging_folder_behind(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    assert (tmp_path / "output/.dateline-output").is_file()
    assert not list(tmp_path.glob(".output.*"))


def test_a_failed_build_leaves_the_previous_output_exactly_as_it_was(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    before = tree_digest(tmp_path / "output")
    write_site(tmp_path, {"content/a.md": article("First, edited"), "content/c.md": "---\ntitle: [\n---\n"})
    build_errors(tmp_path)
    assert tree_digest(tmp_path / "output") == before
    assert not list(tmp_path.glob(".output.staging*"))


def test_static_assets_are_copied(tmp_path: Path):
    write_site(tmp_path, {**SITE, "static/images/map.svg": "<svg/>", "static/CNAME": "news.example.org"})
    build_site(tmp_path)
    assert (tmp_path / "output/images/map.svg").read_text() == "<svg/>"
    assert (tmp_path / "output/CNAME").read_text() == "news.example.org"


def test_site_templates_override_the_theme_file_by_file(tmp_path: Path):
    write_site(
        tmp_path,
        {
            **SITE,
            "templates/404.html": "{% extends 'base.html' %}{% block main %}<h1>Nothing here</h1>{% endblock %}",
            "templates/static/style.css": "body { color: red }",
        },
    )
    build_site(tmp_path)
    assert page(tmp_path, "/404.html").findtext(".//h1") == "Nothing here"
    assert (tmp_path / "output/static/style.css").read_text() == "body { color: red }"
    assert page(tmp_path, "/2024/08/31/first/").findtext(".//h1") == "First"  # theme's article.html


def test_base_url_path_prefixes_every_link(tmp_path: Path):
    write_site(tmp_path, {**SITE, "site.toml": 'base_url = "https://org.github.io/archive/"\n'})
    build_site(tmp_path)
    for path in (tmp_path / "output").rglob("*.html"):
        tree = page(tmp_path, "/" + str(path.relative_to(tmp_path / "output")))
        for ref in tree.xpath("//a/@href | //link/@href | //script/@src | //img/@src"):
            if ref.startswith("/"):
                assert ref.startswith("/archive/"), (path, ref)
    assert page(tmp_path, "/").xpath('//link[@rel="canonical"]/@href') == ["https://org.github.io/archive/"]


def test_output_files_are_complete_on_disk_after_build(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    for path in (tmp_path / "output").rglob("*.html"):
        assert path.read_text().rstrip().endswith("</html>"), path
        assert os.access(path, os.R_OK)


# -- Only Dateline's own files are ever removed; a failed commit is undone -------------------------


def test_a_cold_build_removes_only_the_files_dateline_wrote(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    output = tmp_path / "output"
    subprocess.run(["git", "init", "-q", str(output)], check=True)
    write_site(output, {"CNAME": "news.example.org", "notes.txt": "mine"})
    (tmp_path / "content/b.md").unlink()
    shutil.rmtree(tmp_path / ".dateline-cache")  # a cold build
    build_site(tmp_path)
    assert (output / ".git/HEAD").is_file()
    assert (output / "CNAME").read_text() == "news.example.org"
    assert (output / "notes.txt").read_text() == "mine"
    assert not (output / "2024/09/01/second").exists()  # stale, and Dateline's: removed


def test_an_output_marked_by_an_older_dateline_has_no_unknown_file_removed(tmp_path: Path):
    write_site(tmp_path, SITE)
    build_site(tmp_path)
    output = tmp_path / "output"
    (output / MARKER).write_text("")  # as Dateline left it before listing its files there
    write_site(output, {"mine.html": "<p>mine</p>"})
    shutil.rmtree(tmp_path / ".dateline-cache")
    build_site(tmp_path)
    assert (output / "mine.html").is_file()
    listed = read_marker(output / MARKER)
    assert listed is not None and "index.html" in listed and "mine.html" not in listed


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """A file nobody can replace or remove, root included, until the block ends."""
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


MANY = {
    f"content/story-{n}.md": article(f"Story {n}", date=f"2024-08-{n:02d}", tags="[common]")
    for n in range(1, 25)
}


def test_a_failed_move_puts_back_every_file_replaced_and_removes_every_one_added(tmp_path: Path):
    write_site(tmp_path, MANY)
    build_site(tmp_path)
    before = tree_digest(tmp_path / "output")
    for n in range(1, 25):  # new titles, new URLs: pages added, changed and gone stale
        write_site(
            tmp_path,
            {f"content/story-{n}.md": article(f"Retitled {n}", date=f"2024-08-{n:02d}", tags="[common]")},
        )
    with immutable(tmp_path / "output/sitemap.xml"):  # among the last files moved in
        result = run_cli("build", "--site", str(tmp_path), "--jobs", "1")
    assert result.returncode == 1
    assert result.stderr == (
        f"dateline: cannot write {tmp_path}/output/sitemap.xml: Operation not permitted; output left as it was\n"
    )
    assert tree_digest(tmp_path / "output") == before
    assert not list(tmp_path.glob(".output.*"))


def test_a_failed_removal_puts_back_every_file_already_moved_in(tmp_path: Path):
    write_site(tmp_path, MANY)
    build_site(tmp_path)
    before = tree_digest(tmp_path / "output")
    (tmp_path / "content/story-3.md").unlink()
    with immutable(tmp_path / "output/2024/08/03/story-3/index.html"):
        result = run_cli("build", "--site", str(tmp_path), "--jobs", "1")
    assert result.returncode == 1
    assert tree_digest(tmp_path / "output") == before
    assert not list(tmp_path.glob(".output.*"))


# -- Output folders that would eat the sources are refused before anything is written -------------


@pytest.mark.parametrize(
    "output",
    [
        "static/out",
        "templates/out",
        "content/out",
        ".dateline-cache",
        ".dateline-cache/out",
        "notes.txt",
        ".",
    ],
)
def test_an_output_folder_inside_what_a_build_reads_is_refused_before_anything_is_written(
    tmp_path: Path, output: str
):
    write_site(tmp_path, {**SITE, "static/logo.svg": "<svg/>", "templates/static/x.css": "", "notes.txt": ""})
    (tmp_path / ".dateline-cache").mkdir()
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(DatelineError, match=f"^refusing to build into {tmp_path / output}: it "):
        build_site(tmp_path, output_dir=tmp_path / output)
    assert sorted(tmp_path.rglob("*")) == before


def test_a_page_is_never_written_into_the_outputs_git_folder(tmp_path: Path):
    write_site(tmp_path, {**SITE, "site.toml": '[permalinks]\narticle = "/.git/{slug}/"\n'})
    with pytest.raises(
        DatelineError, match=r"refusing to write /\.git/second/: the output's \.git is not for pages"
    ):
        build_site(tmp_path)
