"""The theme in headless Chromium: axe-core finds no serious or critical problem on any page
kind, in light and in dark mode; pages fit a phone, keyboard focus shows, print keeps the story."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from support.browser import serving
from support.paths import NODE_MODULES
from support.theme_archive import build_theme_archive

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
KINDS = [
    "home", "numbered-page", "article", "draft-article", "tag", "tags", "author", "authors", "region", "regions",
    "stories", "story", "story-article", "archive", "year", "month", "day", "corrections", "not-found",
    "page", "on-this-day", "calendar-day",
]  # fmt: skip
BLOCKING = ("serious", "critical")
PHONE_KINDS = [
    "home", "article", "story-article", "region", "story", "archive", "year", "tags", "corrections",
]  # fmt: skip


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):
    site = tmp_path_factory.mktemp("axe")
    kinds = build_theme_archive(site)
    with serving(site / "output") as base:
        yield base, kinds


def axe_violations(browser: Browser, url: str, scheme: str) -> list[dict]:
    page = browser.new_page(color_scheme=scheme)
    try:
        response = page.goto(url)
        assert response is not None and response.ok, url
        page.add_script_tag(path=str(AXE))
        return page.evaluate("async () => (await axe.run(document)).violations")
    finally:
        page.close()


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_page_kind_has_no_serious_accessibility_violations(archive, browser, kind, scheme):
    base, kinds = archive
    violations = axe_violations(browser, base + kinds[kind].lstrip("/"), scheme)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def test_axe_reports_a_serious_violation_on_a_broken_page(archive, browser, tmp_path):
    # Guards the check above: the same harness must see an unnamed link and low contrast.
    base, _ = archive
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="en"><body><main><a href="/x"><img src="data:,"></a>'
            '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
        )
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document)).violations")
    finally:
        page.close()
    assert {"link-name", "color-contrast", "image-alt"} <= {
        v["id"] for v in violations if v["impact"] in BLOCKING
    }


@pytest.mark.parametrize("kind", PHONE_KINDS)
def test_page_kind_fits_a_phone_screen_without_sideways_scrolling(archive, browser, kind):
    base, kinds = archive
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(base + kinds[kind].lstrip("/"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        page.close()


def test_the_skip_link_is_the_first_tab_stop_and_shows_when_focused(archive, browser):
    base, _ = archive
    page = browser.new_page()
    try:
        page.goto(base)
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const a = document.activeElement, box = a.getBoundingClientRect(),
                       style = getComputedStyle(a);
                       return [a.textContent, box.top >= 0 && box.bottom > 0, style.outlineStyle]; }"""
        )
        assert focused == ["Skip to content", True, "solid"]
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.close()


def test_a_printed_article_keeps_the_story_and_drops_the_navigation(archive, browser):
    base, kinds = archive
    page = browser.new_page()
    try:
        page.goto(base + kinds["article"].lstrip("/"))
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => ['.site-nav', '.neighbours', '.related', '.article-body', 'h1']
                     .map(s => getComputedStyle(document.querySelector(s)).display !== 'none')"""
        )
        assert shown == [False, False, False, True, True]
    finally:
        page.close()
