"""Live reload as an editor sees it: real headless Chromium on a running ``dateline serve``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from support.cli import generate_corpus
from support.paths import THEME
from support.serve import InProcess, Served, sample_site, save
from support.site import article

ARTICLE = "/2024/08/31/floods/"
WAIT = 15_000  # ms; a rebuild of this small site takes well under a second


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def open_page(page: Page, served: Served, path: str) -> None:
    page.goto(served.origin + path)
    page.wait_for_function("() => window.EventSource && document.querySelector('script[data-dateline]')")
    page.evaluate("() => { window.notReloaded = true; }")  # gone if the page ever reloads


def test_an_open_article_shows_an_edit_without_the_test_reloading_it(
    page: Page, served: Served, site: Path
) -> None:
    open_page(page, served, ARTICLE)
    path = site / "content" / "2024" / "floods.md"
    save(path, path.read_text().replace("Paragraph 5 of the flood report.", "The harbour reopened today."))
    page.wait_for_function(
        "() => document.body.innerText.includes('The harbour reopened today.')", timeout=WAIT
    )


def test_an_edited_page_is_updated_in_place_without_a_reload(page: Page, served: Served, site: Path) -> None:
    open_page(page, served, ARTICLE)
    path = site / "content" / "2024" / "floods.md"
    save(path, path.read_text().replace("Floods close the port", "Floods close the harbour"))
    page.wait_for_function("() => document.title.startsWith('Floods close the harbour')", timeout=WAIT)
    assert "Floods close the harbour" in page.inner_text("h1")
    assert page.evaluate("() => window.notReloaded") is True


def test_an_edit_that_brings_a_new_stylesheet_reloads_the_page(
    page: Page, served: Served, site: Path
) -> None:
    open_page(page, served, ARTICLE)
    path = site / "content" / "2024" / "floods.md"
    save(path, path.read_text() + "\n```python\nprint('tide tables')\n```\n")  # code wants highlight.css
    page.wait_for_function("() => document.querySelector('link[href$=\"highlight.css\"]')", timeout=WAIT)
    assert page.evaluate("() => window.notReloaded") is None


def test_a_reload_keeps_the_scroll_position(page: Page, served: Served, site: Path) -> None:
    page.set_viewport_size({"width": 800, "height": 400})
    open_page(page, served, ARTICLE)
    page.evaluate("() => window.scrollTo(0, 900)")
    page.wait_for_function("() => window.scrollY === 900")
    path = site / "content" / "2024" / "floods.md"
    save(path, path.read_text().replace("Paragraph 100 of", "Paragraph one hundred of"))
    page.wait_for_function("() => document.body.innerText.includes('Paragraph one hundred of')", timeout=WAIT)
    page.wait_for_function("() => window.scrollY === 900", timeout=WAIT)


def test_a_page_that_did_not_change_is_not_reloaded(page: Page, served: Served, site: Path) -> None:
    open_page(page, served, "/2024/09/02/election/")
    path = site / "content" / "2024" / "floods.md"
    save(path, path.read_text().replace("Paragraph 9 of", "Paragraph nine of"))
    served.wait_for(r"Built \d+ pages")
    page.wait_for_timeout(500)  # time for a reload to happen, were one coming
    assert page.evaluate("() => window.notReloaded") is True


def test_a_css_edit_applies_without_navigation(page: Page, served: Served, site: Path) -> None:
    open_page(page, served, ARTICLE)
    before = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert before != "rgb(1, 2, 3)"
    css = site / "templates" / "static" / "style.css"
    save(css, css.read_text() + "\nbody { background-color: rgb(1, 2, 3) !important; }\n")
    page.wait_for_function(
        "() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=WAIT
    )
    assert page.evaluate("() => window.notReloaded") is True


def test_broken_front_matter_shows_an_overlay_naming_the_file_and_the_fix_clears_it(
    page: Page, served: Served, site: Path
) -> None:
    open_page(page, served, ARTICLE)
    path = site / "content" / "2024" / "election.md"
    good = path.read_text()
    save(path, "---\ntitle: [unclosed\ndate: 2024-09-02\n---\n\nBody.\n")
    overlay = page.locator("#dateline-errors")
    overlay.wait_for(timeout=WAIT)
    assert "content/2024/election.md:" in overlay.inner_text()
    assert "Floods close the port" in page.inner_text("main")  # the last good build stays
    save(path, good)
    overlay.wait_for(state="detached", timeout=WAIT)


def test_the_overlay_appears_in_every_open_tab(browser: Browser, served: Served, site: Path) -> None:
    context = browser.new_context()
    try:
        tabs = [context.new_page(), context.new_page()]
        open_page(tabs[0], served, ARTICLE)
        open_page(tabs[1], served, "/tags/")
        save(site / "content" / "2024" / "election.md", "---\ntitle: [unclosed\n---\n")
        for tab in tabs:
            tab.locator("#dateline-errors").wait_for(timeout=WAIT)
            assert "content/2024/election.md:" in tab.locator("#dateline-errors").inner_text()
    finally:
        context.close()


def test_a_tab_opened_while_the_build_is_broken_shows_the_overlay(
    page: Page, served: Served, site: Path
) -> None:
    save(site / "content" / "2024" / "election.md", "---\ntitle: [unclosed\n---\n")
    served.wait_for(r"Build failed")
    page.goto(served.origin + ARTICLE)
    page.locator("#dateline-errors").wait_for(timeout=WAIT)


def test_a_new_article_appears_on_an_open_home_page(page: Page, served: Served, site: Path) -> None:
    open_page(page, served, "/")
    save(
        site / "content" / "2024" / "storm.md",
        article("Storm reaches the coast", "2024-09-05T09:00:00+00:00", "Winds rose.", slug="storm"),
    )
    page.wait_for_function("() => document.body.innerText.includes('Storm reaches the coast')", timeout=WAIT)


def test_a_missing_page_tab_shows_the_page_once_it_exists(page: Page, served: Served, site: Path) -> None:
    open_page(page, served, "/2024/09/05/storm/")
    assert "Page not found" in page.inner_text("body")
    save(
        site / "content" / "2024" / "storm.md",
        article("Storm reaches the coast", "2024-09-05T09:00:00+00:00", "Winds rose.", slug="storm"),
    )
    page.wait_for_function("() => document.body.innerText.includes('Winds rose.')", timeout=WAIT)


def test_a_template_edit_reloads_the_open_page(page: Page, served: Served, site: Path) -> None:
    open_page(page, served, ARTICLE)
    theme = THEME / "base.html"
    base = site / "templates" / "base.html"
    save(base, theme.read_text().replace("Skip to content", "Jump to the story"))
    page.wait_for_function("() => document.body.innerHTML.includes('Jump to the story')", timeout=WAIT)


def test_open_tabs_reload_when_the_server_restarts(page: Page, site: Path) -> None:
    first = Served(site)
    open_page(page, first, ARTICLE)
    first.stop()
    (site / "content" / "2024" / "floods.md").write_text(
        article(
            "Floods close the port", "2024-08-31T09:00:00+00:00", "Rewritten while stopped.", slug="floods"
        )
    )
    second = Served(site, port=first.port)
    try:
        page.wait_for_function(
            "() => document.body.innerText.includes('Rewritten while stopped.')", timeout=WAIT
        )
    finally:
        second.stop()


def test_a_template_failing_at_render_time_shows_its_file_and_line_over_the_last_good_page(
    page: Page, served: Served, site: Path
) -> None:
    open_page(page, served, ARTICLE)
    lines = (THEME / "article.html").read_text().splitlines()
    main = lines.index("{% block main %}")
    save(
        site / "templates" / "article.html",
        "\n".join([*lines[: main + 1], "{{ 1 / 0 }}", *lines[main + 1 :]]),
    )
    overlay = page.locator("#dateline-errors")
    overlay.wait_for(timeout=WAIT)
    assert f"templates/article.html:{main + 2}: ZeroDivisionError: division by zero" in overlay.inner_text()
    assert "Floods close the port" in page.inner_text("main")
    page.reload()  # a fresh load still gets the last good page, under the overlay
    overlay.wait_for(timeout=WAIT)
    assert "Floods close the port" in page.inner_text("main")


def test_closing_a_tab_releases_its_reload_channel(browser: Browser, tmp_path: Path) -> None:
    server = InProcess(sample_site(tmp_path / "site"), tmp_path / "out")
    context = browser.new_context()
    try:
        tabs = [context.new_page() for _ in range(3)]
        for tab in tabs:
            tab.goto(server.origin + ARTICLE)
        server.wait_for_streams(3, timeout=10)
        tabs[0].close()
        server.wait_for_streams(2, timeout=5)
        for tab in tabs[1:]:
            tab.close()
        server.wait_for_streams(0, timeout=5)
    finally:
        context.close()
        server.stop()


def test_a_tab_opened_during_the_first_build_comes_to_its_page(page: Page, tmp_path: Path) -> None:
    site = generate_corpus(tmp_path / "big" / "content", 600).parent
    served = Served(site, first_build=False)
    try:
        page.goto(served.origin + "/tags/")
        page.wait_for_function("() => document.title !== 'Building the site'", timeout=120_000)
        assert page.get_by_role("heading", level=1).inner_text() == "Tags"
    finally:
        served.stop()
