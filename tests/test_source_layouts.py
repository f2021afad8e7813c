"""Archives as Jekyll and Hugo lay them out: ``_posts/`` and ``_drafts/`` folders, page bundles
with their images, section pages; and no Markdown file passed over without saying so."""

from __future__ import annotations

from pathlib import Path

from support.cli import run_cli
from support.site import article, build_site, files_of, page, write_site

from generator.config import load_config
from generator.engine import build

#: A real picture (one pixel): one Pillow cannot read would be a warning (engine/pictures.py).
PHOTO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82"
)


def incremental_equals_cold(site: Path, tmp_path: Path, name: str) -> None:
    """Build ``site`` incrementally, then from scratch elsewhere: the two outputs are equal."""
    build_site(site)
    cold = tmp_path / f"cold-{name}"
    build.build(load_config(site, output_dir=cold), use_cache=False)
    assert files_of(site / "output") == files_of(cold)


# -- Jekyll's _posts/ and _drafts/ -------------------------------------------------------------


def test_posts_folders_anywhere_in_the_tree_are_articles_dated_by_their_names(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/en/news/_posts/2024-01-02-harbour-reopens.md": "---\ntitle: Harbour reopens\n---\nText.\n",
            "content/de/news/_posts/2023/2023-12-30-hafen-gesperrt.markdown": "---\ntitle: Hafen gesperrt\n---\n",
        },
    )
    assert build_site(tmp_path).articles == 2
    assert page(tmp_path, "/2024/01/02/harbour-reopens/").xpath("//h1")[0].text_content().strip() == (
        "Harbour reopens"
    )
    assert (tmp_path / "output/de/2023/12/30/hafen-gesperrt/index.html").is_file()  # German: under /de/


def test_a_file_in_posts_without_a_dated_name_is_skipped_as_jekyll_skips_it(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/_posts/2024-01-02-story.md": "---\ntitle: Story\n---\n",
            "content/_posts/README.md": "How to write a post.\n",  # no front matter: never read
        },
    )
    report = build_site(tmp_path)
    assert report.articles == 1
    assert [(u.reason, u.count, u.example) for u in report.unread] == [
        ("in _posts/ without a YYYY-MM-DD- name (Jekyll skips them too)", 1, "content/_posts/README.md")
    ]


def test_drafts_folders_are_not_read_without_drafts(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("Published"),
            "content/_drafts/half-written.md": "no front matter yet\n",  # would be an error if read
        },
    )
    report = build_site(tmp_path)
    assert report.articles == 1
    assert [(u.reason, u.count) for u in report.unread] == [("drafts in _drafts/ (built with --drafts)", 1)]


def test_drafts_folders_are_built_with_drafts(tmp_path: Path):
    write_site(tmp_path, {"content/_drafts/next-week.md": article("Next week", date="2024-09-07")})
    report = build_site(tmp_path, drafts=True)
    assert report.articles == 1
    assert report.unread == ()
    assert (tmp_path / "output/2024/09/07/next-week/index.html").is_file()


def test_an_article_in_a_drafts_folder_is_a_draft(tmp_path: Path):
    write_site(tmp_path, {"content/news/_drafts/next-week.md": article("Next week", draft="false")})
    site, _, _ = build.prepare(load_config(tmp_path, drafts=True), None, build.no_progress)
    [draft] = site.articles
    assert draft.draft


def test_other_underscore_folders_and_files_stay_skipped_and_are_counted(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("Kept"),
            "content/_layouts/post.md": "{{ content }}",
            "content/_includes/footer.md": "footer",
            "content/_includes/nav/menu.md": "menu",
            "content/news/_index.md": "---\ntitle: News\n---\n",  # Hugo's section page: no date
            "content/_notes.md": "notes",
            "content/_layouts/default.html": "<html></html>",  # not Markdown: not counted
        },
    )
    report = build_site(tmp_path)
    assert report.articles == 1
    assert report.warnings == ()
    assert [(u.reason, u.count, u.example) for u in report.unread] == [
        ("in folders starting with _", 3, "content/_includes/footer.md"),
        ("Hugo section pages (_index.md)", 1, "content/news/_index.md"),
        ("named with a leading _", 1, "content/_notes.md"),
    ]


# -- Hugo page bundles -------------------------------------------------------------------------


def bundle_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "content/posts/raid/index.md": article(
                "Raid", body="![The compound](photo.jpg)\n\n[The report](files/report.pdf)\n"
            ),
            "content/posts/raid/photo.jpg": PHOTO,
            "content/posts/raid/files/report.pdf": b"%PDF-1.4 report",
            "content/posts/other.jpg": b"beside the bundle, not in it",
            "content/posts/raid/.photo.jpg.swp": b"an editor's",
        },
    )


def test_a_bundle_copies_its_files_beside_the_article_page(tmp_path: Path):
    bundle_site(tmp_path)
    build_site(tmp_path)
    out = tmp_path / "output/2024/08/31/raid"
    assert (out / "photo.jpg").read_bytes() == PHOTO
    assert (out / "files/report.pdf").read_bytes() == b"%PDF-1.4 report"
    assert page(tmp_path, "/2024/08/31/raid/").xpath("//article//img/@src") == ["photo.jpg"]


def test_only_the_bundles_own_files_are_copied(tmp_path: Path):
    bundle_site(tmp_path)
    build_site(tmp_path)
    copied = {p.name for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert "other.jpg" not in copied
    assert ".photo.jpg.swp" not in copied
    assert "index.md" not in copied


def test_a_bundle_file_goes_where_a_relative_link_from_an_html_page_url_leads(tmp_path: Path):
    bundle_site(tmp_path)
    write_site(tmp_path, {"site.toml": '[permalinks]\narticle = "/{year}/{month}/{slug}.html"\n'})
    build_site(tmp_path)
    assert (tmp_path / "output/2024/08/photo.jpg").read_bytes() == PHOTO


def test_a_bundle_file_where_the_article_page_goes_is_not_copied_with_a_warning(tmp_path: Path):
    bundle_site(tmp_path)
    write_site(tmp_path, {"content/posts/raid/index.html": "<p>Hugo's own output, left behind</p>"})
    report = build_site(tmp_path)
    assert [str(w) for w in report.warnings] == [
        f"{tmp_path}/content/posts/raid/index.html:1: not copied: /2024/08/31/raid/index.html is the page "
        "/2024/08/31/raid/"
    ]
    assert "Raid" in page(tmp_path, "/2024/08/31/raid/").text_content()


def test_a_draft_bundle_publishes_none_of_its_files(tmp_path: Path):
    bundle_site(tmp_path)
    write_site(tmp_path, {"content/posts/raid/index.md": article("Raid", draft="true")})
    build_site(tmp_path)
    assert not (tmp_path / "output/2024/08/31/raid").exists()


def test_incremental_builds_copy_edit_and_remove_bundle_files_as_a_cold_build_does(tmp_path: Path):
    site = bundle_site(tmp_path / "site")
    incremental_equals_cold(site, tmp_path, "first")
    write_site(
        site, {"content/posts/raid/photo.jpg": PHOTO + b" edited", "content/posts/raid/map.svg": "<svg/>"}
    )
    incremental_equals_cold(site, tmp_path, "edited-and-added")
    assert (site / "output/2024/08/31/raid/map.svg").read_text() == "<svg/>"
    (site / "content/posts/raid/files/report.pdf").unlink()
    incremental_equals_cold(site, tmp_path, "removed")
    assert not (site / "output/2024/08/31/raid/files/report.pdf").exists()
    write_site(site, {"content/posts/raid/index.md": article("Raid", slug="night-raid")})
    incremental_equals_cold(site, tmp_path, "moved")
    assert (site / "output/2024/08/31/night-raid/photo.jpg").is_file()
    assert not (site / "output/2024/08/31/raid").exists()


def test_dateline_check_follows_links_to_bundle_files(tmp_path: Path):
    bundle_site(tmp_path)
    result = run_cli("check", "--site", str(tmp_path))
    assert result.returncode == 0, result.stderr


# -- nothing dropped in silence ----------------------------------------------------------------


def test_build_says_how_many_files_it_skipped_and_why(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("Kept"),
            "content/_includes/one.md": "one",
            "content/_includes/two.md": "two",
            "content/news/_index.md": "---\ntitle: News\n---\n",
        },
    )
    result = run_cli("build", "--site", str(tmp_path), "--no-search")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "Skipped 3 Markdown files: 2 in folders starting with _ (e.g. content/_includes/one.md), "
        "1 Hugo section pages (_index.md) (e.g. content/news/_index.md)"
    )


def test_a_build_that_skips_nothing_says_nothing_more(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Kept")})
    result = run_cli("build", "--site", str(tmp_path), "--no-search")
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr == ""


def test_markdown_files_but_no_article_built_is_a_warning_saying_where_and_why(tmp_path: Path):
    # A Jekyll site's collections, copied into content/ whole: every file under a _ folder.
    write_site(tmp_path, {f"content/en/_docs/page-{n}.md": f"---\ntitle: Page {n}\n---\n" for n in range(3)})
    result = run_cli("build", "--site", str(tmp_path), "--no-search")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{tmp_path}/content:1: no article was built from the 3 Markdown files here: 3 in folders "
        "starting with _, such as content/en/_docs/page-0.md (warning)"
    ]


def test_drafts_and_future_articles_alone_are_a_warning_with_the_way_to_build_them(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("Tomorrow", date="2099-01-01"),
            "content/b.md": article("Draft", draft="true"),
        },
    )
    result = run_cli("build", "--site", str(tmp_path), "--no-search")
    assert result.stderr.splitlines() == [
        f"{tmp_path}/content:1: no article was built from the 2 Markdown files here: 1 marked as drafts "
        "(draft: true or published: false); 1 dated in the future (build with --drafts to include drafts "
        "and future articles) (warning)"
    ]


def test_the_no_article_warning_is_repeated_by_a_build_that_finds_nothing_changed(tmp_path: Path):
    write_site(tmp_path, {"content/_docs/page.md": "---\ntitle: Page\n---\n"})
    first = run_cli("build", "--site", str(tmp_path), "--no-search")
    again = run_cli("build", "--site", str(tmp_path), "--no-search")
    assert again.stderr == first.stderr != ""
    assert again.stdout.splitlines()[1:] == first.stdout.splitlines()[1:]


def test_the_translations_of_a_bundle_each_get_its_files(tmp_path: Path):
    bundle_site(tmp_path)
    write_site(
        tmp_path, {"content/posts/raid/index.de.md": article("Razzia", body="![Das Gelände](photo.jpg)\n")}
    )
    build_site(tmp_path)
    [german] = list((tmp_path / "output").rglob("razzia/index.html"))
    assert (german.parent / "photo.jpg").read_bytes() == PHOTO
    assert (tmp_path / "output/2024/08/31/raid/photo.jpg").read_bytes() == PHOTO
