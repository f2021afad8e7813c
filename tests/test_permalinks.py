"""Article URL patterns: Dateline's {year} and Jekyll's and Hugo's :year placeholders, Jekyll's
built-in styles, .html endings, the slug rules of each generator and URLs given in front matter."""

from __future__ import annotations

from pathlib import Path

from support.site import article, build_site, links, page, write_site
from support.site import build_errors as build_errors_of
from test_incremental import assert_same_as_cold, incremental_build
from test_incremental import write as write_later

from generator.config import load_config


def site_with(tmp_path: Path, settings: str, files: dict[str, str]) -> Path:
    return write_site(tmp_path, {"site.toml": settings, **{f"content/{k}": v for k, v in files.items()}})


def build_errors(site: Path) -> list[str]:
    return build_errors_of(site, search=False)


def built(site: Path) -> set[str]:
    """Every file the build wrote, as paths under output/."""
    return {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*") if p.is_file()}


def test_colon_placeholders_read_as_braces(tmp_path: Path) -> None:
    colon = load_config(site_with(tmp_path / "a", '[permalinks]\narticle = "/:year/:month/:slug/"\n', {}))
    braces = load_config(site_with(tmp_path / "b", '[permalinks]\narticle = "/{year}/{month}/{slug}/"\n', {}))
    assert colon.permalinks.article == braces.permalinks.article == "/{year}/{month}/{slug}/"


def test_an_article_pattern_ending_in_html_writes_a_file_that_pages_link_to(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        '[permalinks]\narticle = "/:year/:month/:day/:slug.html"\n',
        {"raid.md": article("Port raid", "2024-08-31")},
    )
    build_site(site)  # with the search index, which reads the article's file
    assert "2024/08/31/port-raid.html" in built(site)
    assert "/2024/08/31/port-raid.html" in links(page(site, "/"))
    assert "/2024/08/31/port-raid.html</loc>" in (site / "output/sitemap.xml").read_text()


def test_jekyll_styles_name_their_patterns(tmp_path: Path) -> None:
    files = {"2024-08-31-port-raid.md": article("Anything", "2024-08-31", categories="[World, Ports]")}
    expected = {
        "date": "world/ports/2024/08/31/port-raid.html",
        "pretty": "world/ports/2024/08/31/port-raid/index.html",
        "ordinal": "world/ports/2024/244/port-raid.html",
        "none": "world/ports/port-raid.html",
        "weekdate": "world/ports/2024/W35/Sat/port-raid.html",
    }
    for style, path in expected.items():
        site = site_with(tmp_path / style, f'[permalinks]\narticle = "{style}"\nslugs = "jekyll"\n', files)
        build_site(site, search=False)
        assert path in built(site), style


def test_every_date_placeholder_is_filled_in(tmp_path: Path) -> None:
    pattern = (
        "/:year/:month/:day/:i_month/:i_day/:short_year/:hour:minute:second/:y_day/:yearday/:short_month/"
        ":long_month/:monthname/:week/:w_year/:w_day/:weekday/:short_day/:long_day/:weekdayname/:slug/"
    )
    site = site_with(
        tmp_path,
        f'[permalinks]\narticle = "{pattern}"\n',
        {"a.md": article("A", "2024-01-05T07:08:09+00:00")},
    )
    build_site(site, search=False)
    want = "2024/01/05/1/5/24/070809/005/5/Jan/January/January/01/2024/5/5/Fri/Friday/Friday/a/index.html"
    assert want in built(site)


def test_jekyll_rules_keep_the_file_names_capitals_and_dots(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        '[permalinks]\narticle = "/:year/:title.html"\nslugs = "jekyll"\n',
        {
            "2024-03-05-Floods-Close-The-Port.md": article("Anything", "2024-03-05"),
            "2024-03-06-u.s.-aid.md": article("Aid", "2024-03-06"),
            "2024-03-07-old-name.md": article("Renamed", "2024-03-07", slug="New Name"),
        },
    )
    build_site(site, search=False)
    assert {"2024/Floods-Close-The-Port.html", "2024/u.s.-aid.html", "2024/New-Name.html"} <= built(site)


def test_jekyll_slug_is_lowercased_where_title_keeps_capitals(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        '[permalinks]\narticle = "/:slug/:title/"\nslugs = "jekyll"\n',
        {"2024-03-05-Floods.Close.md": article("Anything", "2024-03-05")},
    )
    build_site(site, search=False)
    assert "floods-close/Floods.Close/index.html" in built(site)


def test_jekyll_categories_come_from_folders_above_posts_and_front_matter(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        '[permalinks]\narticle = "/:categories/:title/"\nslugs = "jekyll"\n',
        {
            "en/news/_posts/2024-03-05-floods.md": article(
                "Floods", "2024-03-05", categories="Weather Ports"
            ),
            "_posts/2024-03-06-aid.md": article("Aid", "2024-03-06", category="World News"),
            "_posts/2024-03-07-calm.md": article("Calm", "2024-03-07"),
        },
    )
    build_site(site, search=False)
    expected = {"en/news/weather/ports/floods/index.html", "world news/aid/index.html", "calm/index.html"}
    assert expected <= built(site)


def test_hugo_rules_lowercase_and_keep_dots_and_accents(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        '[permalinks]\narticle = "/:monthname/:slug/"\nslugs = "hugo"\n',
        {
            "aid.md": article('"U.S. Aid Arrives: Día Uno"', "2024-04-02"),
            "given.md": article("Anything", "2024-04-03", slug="Harbour Reopens"),
            "escaped.md": article("Anything", "2024-04-04", slug="sin%e2%80%8a-%e2%80%8aready"),
        },
    )
    build_site(site, search=False)
    expected = {"april/u.s.-aid-arrives-día-uno/index.html", "april/harbour-reopens/index.html"}
    assert expected | {"april/sin-ready/index.html"} <= built(site)


def test_hugo_section_filename_and_folder_placeholders(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        '[permalinks]\narticle = "/:section/:filename/"\nslugs = "hugo"\n',
        {
            "posts/Storm-Report.md": article("Storm", "2024-04-02"),
            "posts/harbour/index.md": article("Harbour", "2024-04-03"),
            "posts/notes.de.md": article("Notizen", "2024-04-04"),  # German, under /de/
        },
    )
    build_site(site, search=False)
    assert {
        "posts/storm-report/index.html",
        "posts/harbour/index.html",
        "de/posts/notes/index.html",
    } <= built(site)
    site = site_with(
        tmp_path / "folder",
        '[permalinks]\narticle = "/:folder/:slugorcontentbasename/"\nslugs = "hugo"\n',
        {
            "posts/2024/Deep-One.md": article("Deep", "2024-05-03"),
            "posts/bundle/index.md": article("B", "2024-05-04"),
        },
    )
    build_site(site, search=False)
    assert {"posts/2024/deep-one/index.html", "posts/bundle/index.html"} <= built(site)


def test_an_unknown_placeholder_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, 'title = "x"\n[permalinks]\narticle = "/:year/:sections/:slug/"\n', {})
    assert build_errors(site) == [
        f"{site / 'site.toml'}:3: permalink 'article' unknown placeholder :sections"
    ]


def test_an_article_pattern_needs_a_name(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[permalinks]\narticle = "/{year}/{month}/"\n', {})
    assert "must contain a name placeholder" in build_errors(site)[0]


def test_unknown_slug_rules_are_an_error(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[permalinks]\nslugs = "pelican"\n', {})
    assert build_errors(site) == [
        f"{site / 'site.toml'}:2: permalink 'slugs' must be one of: dateline, jekyll, hugo"
    ]


def test_a_pattern_without_a_trailing_slash_or_html_is_a_folder(tmp_path: Path) -> None:
    site = site_with(
        tmp_path, '[permalinks]\narticle = "/:year/:slug"\n', {"a.md": article("A", "2024-01-05")}
    )
    build_site(site, search=False)
    assert "2024/a/index.html" in built(site)


def test_tag_patterns_take_colon_slug(tmp_path: Path) -> None:
    site = site_with(
        tmp_path, '[permalinks]\ntag = "/topics/:slug/"\n', {"a.md": article("A", tags="[floods]")}
    )
    build_site(site, search=False)
    assert "topics/floods/index.html" in built(site)


def test_front_matter_permalink_gives_an_article_its_own_url(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        "",
        {
            "night.md": article("Election night", "2024-05-01", permalink="/special/:year/:slug/"),
            "about.md": article("About", "2024-05-02", permalink="/about"),
            "hugo.md": article("Hugo style", "2024-05-03", url="/old/hugo-style/"),
        },
    )
    build_site(site, search=False)
    expected = {"special/2024/election-night/index.html", "about/index.html", "old/hugo-style/index.html"}
    assert expected <= built(site)


def test_a_url_to_another_site_stays_for_templates(tmp_path: Path) -> None:
    site = site_with(
        tmp_path, "", {"link.md": article("Linked", "2024-05-01", url="https://example.com/story")}
    )
    write_site(site, {"templates/article.html": "{{ article.url }} {{ article.extra.url }}"})
    build_site(site, search=False)
    assert (
        site / "output/2024/05/01/linked/index.html"
    ).read_text() == "/2024/05/01/linked/ https://example.com/story"


def test_a_bad_front_matter_permalink_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, "", {"a.md": article("A", "2024-05-01", permalink="/:year/:nope/")})
    assert build_errors(site) == [
        f"{site / 'content/a.md'}:4: 'permalink' '/:year/:nope/' unknown placeholder :nope"
    ]


def test_changing_the_slug_rules_builds_incrementally_as_from_scratch(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_later(site / "site.toml", '[permalinks]\narticle = "/:year/:title/"\n')
    for name, title in (("2024-03-05-Floods-Close.md", "Floods"), ("2024-03-06-u.s.-aid.md", "Aid")):
        write_later(site / "content" / "_posts" / name, article(title, name[:10], tags="[floods]"))
    incremental_build(site)
    assert (site / "output/2024/floods/index.html").is_file()
    write_later(site / "site.toml", '[permalinks]\narticle = "/:year/:title.html"\nslugs = "jekyll"\n')
    incremental_build(site)
    assert (site / "output/2024/Floods-Close.html").is_file()
    assert_same_as_cold(site, tmp_path)


def test_a_misspelt_permalink_key_gets_a_warning(tmp_path: Path) -> None:
    site = site_with(tmp_path, "", {"a.md": article("A", "2024-05-01", permalnk="/special/")})
    warnings = [str(w) for w in build_site(site, search=False).warnings]
    assert (
        f"{site / 'content/a.md'}:4: unknown key 'permalnk' is kept for templates; did you mean 'permalink'?"
        in warnings
    )


def test_a_backslashed_colon_is_a_colon(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[permalinks]\narticle = "/news\\\\:{year}/:slug/"\n', {})
    assert load_config(site).permalinks.article == "/news:{year}/{slug}/"


def test_template_code_in_a_permalink_is_an_error(tmp_path: Path) -> None:
    site = site_with(
        tmp_path, "", {"a.md": article("A", "2024-05-01", permalink='"/blog/{{ page.fileSlug }}/"')}
    )
    assert build_errors(site) == [
        f"{site / 'content/a.md'}:4: 'permalink' '/blog/{{{{ page.fileSlug }}}}/' holds a brace that is no "
        "placeholder (template code is not run)"
    ]
