"""Search in a real browser: headless Chromium on a built archive published under /archive/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from support.browser import serving
from support.wire_archive import build_wire_archive

expect.set_options(timeout=45_000)

ARTICLES = {
    "content/2024/talks.md": """\
        ---
        title: "Envoys meet for ceasefire talks"
        date: 2024-03-04T10:00:00+01:00
        region: europe/switzerland
        tags: [diplomacy]
        ---

        Envoys met in Geneva to discuss a ceasefire along the front line.
        """,
    "content/2023/violations.md": """\
        ---
        title: "Shelling breaks the ceasefire"
        date: 2023-07-21T06:00:00+03:00
        region: middle-east/syria
        tags: [airstrikes]
        ---

        Shelling overnight broke the ceasefire in the north of the country.
        """,
    "content/2022/harvest.md": """\
        ---
        title: "Ceasefire lets farmers bring in the harvest"
        date: 2022-09-15T08:00:00+02:00
        region: europe/ukraine
        tags: [agriculture]
        ---

        A local ceasefire let farmers bring in the wheat harvest before the rains.
        """,
    "content/2021/budget.md": """\
        ---
        title: "Parliament passes the budget"
        date: 2021-12-20T18:00:00Z
        region: europe/sweden
        tags: [budget]
        ---

        Parliament passed the budget after a late-night vote.
        """,
}


# Each name carries markup that, inserted as HTML, would run script naming where it came
# from; the search page must show it as the text it is.
HOSTILE = "<img src=x onerror=window.pwned='{}'>"
HOSTILE_ARTICLES = {
    "content/2024/curfew.md": f"""\
        ---
        title: "Curfew {HOSTILE.format("title")} a<b & c"
        date: 2024-05-01T10:00:00+02:00
        region: "Coast {HOSTILE.format("region")}/a<b"
        tags: ["{HOSTILE.format("tag")}", "a<b", "x &amp; y"]
        author: "{HOSTILE.format("author")} Correspondent"
        ---

        A curfew was declared as the storm neared the coast.
        """,
    "content/2024/storm.md": """\
        ---
        title: "Storm reaches the coast"
        date: 2024-05-02T10:00:00+02:00
        region: coast
        tags: [weather]
        ---

        The storm reached the coast overnight, days after the curfew.
        """,
}


@pytest.fixture(scope="module", params=[1000, 1], ids=["one index", "an index in shards"])
def archive_url(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[str]:
    """The built archive served at http://127.0.0.1:PORT/archive/, as if published there; its
    search index whole, or in shards merged by the search page."""
    root = tmp_path_factory.mktemp("browser")
    www = root / "www"
    build_wire_archive(
        root, ARTICLES, search=True, search_shard_articles=request.param, output_dir=www / "archive"
    )
    shards = list((www / "archive" / "pagefind").glob("shard-*/pagefind-entry.json"))
    assert len(shards) == (0 if request.param == 1000 else 2)  # and the first in /pagefind/
    with serving(www) as url:
        yield url + "archive/"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An archive whose front matter carries markup in every name the search page shows."""
    root = tmp_path_factory.mktemp("hostile")
    www = root / "www"
    build_wire_archive(root, HOSTILE_ARTICLES, search=True, output_dir=www / "archive")
    with serving(www) as url:
        yield url + "archive/"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(45_000)  # generous: the machine may be busy with other builds
    try:
        yield context.new_page()
    finally:
        context.close()


def search(page: Page, archive_url: str, query: str) -> None:
    page.goto(archive_url + "search/")
    page.locator(".pagefind-ui__search-input").fill(query)


def result_titles(page: Page) -> list[str]:
    # Pagefind shows a placeholder for each result first and its link once the result loads.
    expect(page.locator(".pagefind-ui__result-link")).to_have_count(
        page.locator(".pagefind-ui__result").count()
    )
    return page.locator(".pagefind-ui__result-link").all_inner_texts()


def test_typing_a_query_finds_the_matching_articles(page: Page, archive_url: str) -> None:
    search(page, archive_url, "ceasefire")
    expect(page.locator(".pagefind-ui__result")).to_have_count(3)
    assert sorted(result_titles(page)) == [
        "Ceasefire lets farmers bring in the harvest",
        "Envoys meet for ceasefire talks",
        "Shelling breaks the ceasefire",
    ]


def test_following_a_result_opens_its_article(page: Page, archive_url: str) -> None:
    search(page, archive_url, "geneva")
    link = page.locator(".pagefind-ui__result-link")
    expect(link).to_have_count(1)
    link.click()
    page.wait_for_url(archive_url + "2024/03/04/envoys-meet-for-ceasefire-talks/")
    expect(page.locator("h1")).to_have_text("Envoys meet for ceasefire talks")


def test_results_show_the_article_date(page: Page, archive_url: str) -> None:
    search(page, archive_url, "shelling")
    expect(page.locator(".pagefind-ui__result .search-date")).to_have_text("21 July 2023")


def test_a_tag_filter_narrows_the_results(page: Page, archive_url: str) -> None:
    search(page, archive_url, "ceasefire")
    expect(page.locator(".pagefind-ui__result")).to_have_count(3)
    page.locator("summary.pagefind-ui__filter-name", has_text="Tag").click()
    page.get_by_label("airstrikes").check()
    expect(page.locator(".pagefind-ui__result")).to_have_count(1)
    assert result_titles(page) == ["Shelling breaks the ceasefire"]


def test_a_region_filter_includes_its_sub_regions(page: Page, archive_url: str) -> None:
    search(page, archive_url, "ceasefire")
    page.locator("summary.pagefind-ui__filter-name", has_text="Region").click()
    page.locator('input[name="region"][value="Europe"]').check()
    expect(page.locator(".pagefind-ui__result")).to_have_count(2)
    assert sorted(result_titles(page)) == [
        "Ceasefire lets farmers bring in the harvest",
        "Envoys meet for ceasefire talks",
    ]


def test_a_year_filter_narrows_the_results(page: Page, archive_url: str) -> None:
    search(page, archive_url, "ceasefire")
    page.locator("summary.pagefind-ui__filter-name", has_text="Year").click()
    page.locator('input[name="year"][value="2022"]').check()
    expect(page.locator(".pagefind-ui__result")).to_have_count(1)
    assert result_titles(page) == ["Ceasefire lets farmers bring in the harvest"]


def test_a_query_in_the_address_is_searched_on_arrival(page: Page, archive_url: str) -> None:
    page.goto(archive_url + "search/?q=budget")
    expect(page.locator(".pagefind-ui__result-link")).to_have_text(["Parliament passes the budget"])


def no_script_ran(page: Page) -> None:
    """Nothing from the content became markup: no element of it, no script of it."""
    expect(page.locator("#search img")).to_have_count(0)  # the theme shows no result images
    assert page.evaluate("window.pwned ?? null") is None


def test_markup_in_tag_and_region_names_shows_as_text_in_the_filters(page: Page, hostile_url: str) -> None:
    search(page, hostile_url, "curfew")
    expect(page.locator(".pagefind-ui__result")).to_have_count(2)
    page.locator("summary.pagefind-ui__filter-name", has_text="Tag").click()
    page.locator("summary.pagefind-ui__filter-name", has_text="Region").click()
    labels = page.locator(".pagefind-ui__filter-label")
    expect(labels.filter(has_text=HOSTILE.format("tag"))).to_have_text([HOSTILE.format("tag") + " (1)"])
    expect(labels.filter(has_text="x &amp; y")).to_have_text(["x &amp; y (1)"])
    expect(labels.filter(has_text=HOSTILE.format("region"))).to_have_text(
        [f"Coast {HOSTILE.format('region')} (1)", f"Coast {HOSTILE.format('region')} › a<b (1)"]
    )
    no_script_ran(page)


def test_a_filter_on_a_name_with_markup_characters_narrows_the_results(page: Page, hostile_url: str) -> None:
    search(page, hostile_url, "curfew")
    expect(page.locator(".pagefind-ui__result")).to_have_count(2)
    page.locator("summary.pagefind-ui__filter-name", has_text="Tag").click()
    page.get_by_label("a<b (1)", exact=True).check()
    expect(page.locator(".pagefind-ui__result")).to_have_count(1)
    assert result_titles(page) == [f"Curfew {HOSTILE.format('title')} a<b & c"]


def test_markup_in_titles_and_bylines_shows_as_text_in_the_results(page: Page, hostile_url: str) -> None:
    search(page, hostile_url, "correspondent")
    expect(page.locator(".pagefind-ui__result-link")).to_have_text(
        [f"Curfew {HOSTILE.format('title')} a<b & c"]
    )
    expect(page.locator(".pagefind-ui__result-excerpt")).to_contain_text(
        f"{HOSTILE.format('author')} Correspondent"
    )
    no_script_ran(page)
