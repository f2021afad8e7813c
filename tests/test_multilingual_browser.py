"""A multilingual archive in headless Chromium and the Nu checker: the language switcher
leads a reader from a story to its translation, and right-to-left and CJK pages, with their
switcher and translation links, are valid and accessible."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser
from support.browser import serving
from support.multilingual import write_multilingual_archive
from support.site import build_site
from test_theme_browser import BLOCKING, axe_violations, describe
from test_theme_validity import nu_check

ARABIC = "/ar/2024/08/31/القوات-تشن-غارة-في-الأنبار/"
JAPANESE = "/ja/2024/09/02/バスラで洪水/"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    site = write_multilingual_archive(tmp_path_factory.mktemp("multilingual"))
    build_site(site, search=False)
    with serving(site / "output") as base:
        yield site, base


def test_the_language_switcher_leads_to_the_story_in_german(
    archive: tuple[Path, str], browser: Browser
) -> None:
    _, base = archive
    page = browser.new_page()
    try:
        page.goto(base + "2024/08/31/forces-launch-raid-in-anbar/")
        page.get_by_role("navigation", name="Languages").get_by_role("link", name="Deutsch").click()
        page.wait_for_url("**/de/2024/08/31/streitkrafte-starten-razzia-in-anbar/")
        assert page.locator("html").get_attribute("lang") == "de"
        assert page.locator("h1").inner_text() == "Streitkräfte starten Razzia in Anbar"
        current = page.get_by_role("navigation", name="Sprachen").locator("[aria-current]")
        assert current.inner_text() == "Deutsch"
    finally:
        page.close()


def test_a_story_in_one_language_only_switches_to_the_other_languages_homes(
    archive: tuple[Path, str], browser: Browser
) -> None:
    _, base = archive
    page = browser.new_page()
    try:
        page.goto(base + "2024/09/07/market-reopens-in-mosul/")
        page.get_by_role("navigation", name="Languages").get_by_role("link", name="日本語").click()
        page.wait_for_url(base + "ja/")
        assert page.locator("html").get_attribute("lang") == "ja"
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", [ARABIC, JAPANESE, "/ar/", "/ja/"])
def test_right_to_left_and_cjk_pages_have_no_serious_accessibility_violations(
    archive: tuple[Path, str], browser: Browser, url: str, scheme: str
) -> None:
    _, base = archive
    violations = axe_violations(browser, base + quote(url.lstrip("/")), scheme)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_every_page_of_every_language_has_no_nu_checker_errors(archive: tuple[Path, str]) -> None:
    site, _ = archive
    assert (site / "output" / ARABIC.strip("/") / "index.html").is_file()
    assert (site / "output" / JAPANESE.strip("/") / "index.html").is_file()
    result = nu_check(site / "output")
    assert result.returncode == 0, result.stdout + result.stderr
