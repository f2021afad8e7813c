"""The theme in other scripts, in headless Chromium: an Arabic site (``<html lang="ar" dir="rtl">``)
is the English layout mirrored, from its masthead to its pager and timeline, and the English site
keeps its own; Arabic, Urdu and Japanese are set in their own type (no letter-spacing, no italics,
taller lines for Nastaliq, Japanese line breaking); a Japanese site fits a phone; Arabic and
Japanese pages pass axe and the Nu HTML checker."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from support.browser import serving
from support.site import article, build_site, write_site
from test_theme_browser import BLOCKING, axe_violations, describe
from test_theme_validity import nu_check


def _picture() -> bytes:
    data = io.BytesIO()
    Image.linear_gradient("L").resize((800, 450)).convert("RGB").save(data, "JPEG")
    return data.getvalue()


# A made-up local news desk, filed in each language: stories in two places of one country across
# two years (the home page's timeline has two bars); the latest is updated, has a picture (a
# thumbnail in listings), an emphasised word, a quotation and a table.
ARABIC = {
    "site.toml": """title = "أخبار عمّان"
description = "أرشيف الأخبار المحلية"
language = "ar"

[names]
"middle-east" = "الشرق الأوسط"
"middle-east/jordan" = "الأردن"
"middle-east/jordan/amman" = "عمّان"
"middle-east/jordan/irbid" = "إربد"
""",
    "content/2024/market.md": article(
        "افتتاح السوق المركزي الجديد في وسط عمّان",
        date="2024-08-31T09:00:00+03:00",
        updated="2024-08-31T15:00:00+03:00",
        region="middle-east/jordan/amman",
        tags="[اقتصاد, أسواق]",
        author="سارة الخطيب",
        summary="افتتحت أمانة عمّان السوق بعد عامين من أعمال البناء.",
        image="/images/market.jpg",
        image_alt="باعة الخضار في السوق الجديد",
        body="""
        افتتحت أمانة عمّان صباح السبت السوق المركزي الجديد بعد عامين من أعمال البناء. ويضم السوق
        أكثر من مئتي محل للخضار والفواكه واللحوم.

        وقال مدير السوق إن المحلات *ستفتح* أبوابها من السادسة صباحاً حتى العاشرة مساءً.

        > انتظرنا هذا اليوم طويلاً، قال أحد الباعة.

        | القسم | عدد المحلات |
        | --- | --- |
        | الخضار والفواكه | 120 |
        | اللحوم | 45 |
        """,
    ),
    "static/images/market.jpg": _picture(),
    "content/2024/rain.md": article(
        "أمطار غزيرة تغلق طرقاً في إربد",
        date="2024-03-12T07:30:00+03:00",
        region="middle-east/jordan/irbid",
        tags="[طقس]",
        body="أغلقت الشرطة ثلاثة طرق في إربد بعد أمطار غزيرة هطلت ليلاً، ولم تسجل إصابات.\n",
    ),
    "content/2023/library.md": article(
        "المكتبة العامة تمدد ساعات عملها خلال الامتحانات",
        date="2023-12-05T10:00:00+03:00",
        region="middle-east/jordan/amman",
        tags="[تعليم]",
        body="قالت المكتبة العامة إنها ستبقى مفتوحة حتى منتصف الليل طوال فترة الامتحانات.\n",
    ),
}
ENGLISH = {
    "site.toml": 'title = "Amman News"\ndescription = "An archive of local news"\nlanguage = "en"\n',
    "content/2024/market.md": article(
        "New central market opens in Amman",
        date="2024-08-31T09:00:00+03:00",
        updated="2024-08-31T15:00:00+03:00",
        region="middle-east/jordan/amman",
        tags="[economy, markets]",
        author="Sara Khatib",
        summary="The city opened the market after two years of building.",
        image="/images/market.jpg",
        image_alt="Greengrocers in the new market",
        body="""
        The city opened its new central market on Saturday morning after two years of building.

        The market's manager said its shops *would* open from six in the morning.

        > We waited a long time for this day, said one trader.

        | Section | Shops |
        | --- | --- |
        | Fruit and vegetables | 120 |
        | Meat | 45 |
        """,
    ),
    "static/images/market.jpg": _picture(),
    "content/2024/rain.md": article(
        "Heavy rain closes roads in Irbid",
        date="2024-03-12T07:30:00+03:00",
        region="middle-east/jordan/irbid",
        tags="[weather]",
        body="Police closed three roads in Irbid after heavy overnight rain; no one was hurt.\n",
    ),
    "content/2023/library.md": article(
        "Public library extends its hours for exams",
        date="2023-12-05T10:00:00+03:00",
        region="middle-east/jordan/amman",
        tags="[education]",
        body="The public library said it would stay open until midnight throughout the exams.\n",
    ),
}
JAPANESE = {
    "site.toml": """title = "大阪地域ニュースアーカイブ"
description = "大阪の地域ニュース"
language = "ja"

[names]
"asia" = "アジア"
"asia/japan" = "日本"
"asia/japan/osaka" = "大阪"
""",
    # A paragraph on one line: Chromium shows a line break between Japanese characters as a space.
    "content/2024/bridge.md": article(
        "淀川に架かる新しい歩道橋が完成し市民向けの開通式典が土曜日に開かれる予定",
        date="2024-08-31T09:00:00+09:00",
        region="asia/japan/osaka",
        tags="[交通, まちづくり]",
        author="山田花子",
        summary="大阪市は淀川の新しい歩道橋が完成したと発表した。",
        body="""
        大阪市は三十日、淀川に架かる新しい歩道橋が完成したと発表した。長さは約二百五十メートルで、自転車も通行できる。

        市の担当者は「通勤時間が*大幅に*短くなる」と話した。開通式典は土曜日の午前十時から開かれる。
        """,
    ),
    "content/2024/festival.md": article(
        "天神祭、今年は例年より多い人出",
        date="2024-07-25T21:00:00+09:00",
        region="asia/japan/osaka",
        tags="[祭り]",
        body="天神祭の船渡御が行われ、主催者によると約百三十万人が訪れた。\n",
    ),
}
URDU = {
    "site.toml": 'title = "لاہور کی خبریں"\nlanguage = "ur"\n',
    "content/2024/bus.md": article(
        "لاہور میں نئی بس سروس کا آغاز",
        date="2024-08-31T09:00:00+05:00",
        body="لاہور میں ہفتے کے روز نئی بس سروس کا آغاز ہوا۔ حکام کے مطابق روزانہ پچاس ہزار مسافر اس سے فائدہ اٹھائیں گے۔\n",
    ),
}
SITES = {"ar": ARABIC, "en": ENGLISH, "ja": JAPANESE, "ur": URDU}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, str]]]:
    """Each language's site, built with one article a page (a pager on each), and where it is served."""
    with contextlib.ExitStack() as stack:
        served = {}
        for language, files in SITES.items():
            site = write_site(tmp_path_factory.mktemp(language), files)
            build_site(site, per_page=1)
            served[language] = (site, stack.enter_context(serving(site / "output")))
        yield served


def url_of(sites: dict[str, tuple[Path, str]], language: str, page: str) -> str:
    """The served URL of ``home``, ``oldest-page`` (/page/1/), ``article`` (the article of 31
    August 2024) or the article of a day (``2024/03/12``): an article's URL is found in the
    output, its slug being its title's."""
    site, base = sites[language]
    if page == "home":
        return base
    if page == "oldest-page":
        return base + "page/1/"
    day = "2024/08/31" if page == "article" else page
    built = next((site / "output").glob(f"{day}/*/index.html")).parent
    return base + quote(built.relative_to(site / "output").as_posix()) + "/"


@contextlib.contextmanager
def opened(browser: Browser, url: str, width: int = 1000) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        response = page.goto(url)
        assert response is not None and response.ok, url
        yield page
    finally:
        page.close()


def gaps(page: Page, selector: str) -> tuple[float, float]:
    """How far the text of ``selector`` lies from the left and the right edge of its column
    (the content box of the .wrap it is in)."""
    left, right = page.evaluate(
        """selector => {
             const element = document.querySelector(selector), wrap = element.closest('.wrap');
             const range = document.createRange();
             range.selectNodeContents(element);
             const text = range.getBoundingClientRect(), column = wrap.getBoundingClientRect();
             const style = getComputedStyle(wrap);
             return [text.left - column.left - parseFloat(style.paddingLeft),
                     column.right - parseFloat(style.paddingRight) - text.right];
           }""",
        selector,
    )
    return left, right


def centres(page: Page, selector: str) -> list[float]:
    """The horizontal middle of each element matched, in document order."""
    return page.eval_on_selector_all(
        selector, "all => all.map(e => { const b = e.getBoundingClientRect(); return b.left + b.width / 2; })"
    )


START_OF_LINE = [".site-title", ".breadcrumbs ol", ".article .dateline", ".byline", ".article-footer .tags"]


def test_an_arabic_page_is_marked_right_to_left(sites, browser):
    with opened(browser, url_of(sites, "ar", "article")) as page:
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]


@pytest.mark.parametrize("selector", START_OF_LINE)
def test_arabic_lines_start_at_the_right_edge(sites, browser, selector):
    with opened(browser, url_of(sites, "ar", "article")) as page:
        left, right = gaps(page, selector)
    assert abs(right) < 1 and left > 100


@pytest.mark.parametrize("selector", START_OF_LINE)
def test_english_lines_still_start_at_the_left_edge(sites, browser, selector):
    with opened(browser, url_of(sites, "en", "article")) as page:
        left, right = gaps(page, selector)
    assert abs(left) < 1 and right > 100


@pytest.mark.parametrize(("language", "start"), [("ar", "right"), ("en", "left")])
@pytest.mark.parametrize("selector", [".notice", ".article-body blockquote"])
def test_a_bar_beside_text_stands_where_its_lines_start(sites, browser, language, start, selector):
    with opened(browser, url_of(sites, language, "article")) as page:
        sides = page.eval_on_selector(
            selector,
            "e => ({left: getComputedStyle(e).borderLeftStyle, right: getComputedStyle(e).borderRightStyle})",
        )
    assert sides == {"left": "none", "right": "none", start: "solid"}


@pytest.mark.parametrize(("language", "start"), [("ar", "right"), ("en", "left")])
def test_table_cells_align_where_lines_start(sites, browser, language, start):
    with opened(browser, url_of(sites, language, "article")) as page:
        cells = page.eval_on_selector_all(
            ".article-body th, .article-body td",
            """cells => cells.map(cell => {
                 const range = document.createRange(); range.selectNodeContents(cell);
                 const text = range.getBoundingClientRect(), box = cell.getBoundingClientRect();
                 return text.left - box.left < box.right - text.right ? 'left' : 'right'; })""",
        )
    assert cells == [start] * 6


@pytest.mark.parametrize(("language", "leftwards"), [("ar", True), ("en", False)])
def test_a_listed_thumbnail_stands_where_lines_end(sites, browser, language, leftwards):
    with opened(browser, url_of(sites, language, "home")) as page:
        thumbnail, title = centres(page, ".listing-item .thumbnail") + centres(page, ".listing-title")
    assert (thumbnail < title) == leftwards


@pytest.mark.parametrize(("language", "start"), [("ar", "right"), ("en", "left")])
def test_the_skip_link_shows_where_lines_start_when_focused(sites, browser, language, start):
    with opened(browser, url_of(sites, language, "home")) as page:
        page.keyboard.press("Tab")
        left, right = page.evaluate(
            """() => { const box = document.activeElement.getBoundingClientRect();
                       return [box.left, innerWidth - box.right]; }"""
        )
    assert (left < right) == (start == "left") and min(left, right) < 20


@pytest.mark.parametrize(("language", "leftwards"), [("ar", True), ("en", False)])
def test_the_menu_runs_the_way_the_language_reads(sites, browser, language, leftwards):
    with opened(browser, url_of(sites, language, "home")) as page:
        items = centres(page, ".site-nav li")
        title, nav = centres(page, ".site-title") + centres(page, ".site-nav")
    assert len(items) > 3
    assert items == sorted(items, reverse=leftwards)
    assert (title > nav) == leftwards  # the masthead's name is where lines start


@pytest.mark.parametrize(("language", "leftwards"), [("ar", True), ("en", False)])
def test_breadcrumbs_run_the_way_the_language_reads(sites, browser, language, leftwards):
    with opened(browser, url_of(sites, language, "article")) as page:
        steps = centres(page, ".breadcrumbs li")
    assert len(steps) == 4  # Regions, Middle East, Jordan, Amman
    assert steps == sorted(steps, reverse=leftwards)


@pytest.mark.parametrize(("language", "newer", "older"), [("ar", "→", "←"), ("en", "←", "→")])
def test_the_pager_arrows_point_outwards(sites, browser, language, newer, older):
    with opened(browser, url_of(sites, language, "home")) as page:
        older_side = centres(page, ".pager [rel=prev]")[0] > 500
        older_arrow = page.eval_on_selector(
            ".pager [rel=prev]", "a => getComputedStyle(a, '::after').content"
        )
    with opened(browser, url_of(sites, language, "oldest-page")) as page:
        newer_side = centres(page, ".pager [rel=next]")[0] > 500
        newer_arrow = page.eval_on_selector(
            ".pager [rel=next]", "a => getComputedStyle(a, '::before').content"
        )
    # Newer pages lie where lines start, older where they end; the arrows point that way.
    assert (newer_side, older_side) == ((True, False) if language == "ar" else (False, True))
    assert newer in newer_arrow and older in older_arrow


@pytest.mark.parametrize(("language", "leftwards"), [("ar", True), ("en", False)])
def test_the_next_article_lies_the_way_the_language_reads(sites, browser, language, leftwards):
    with opened(browser, url_of(sites, language, "2024/03/12")) as page:  # the rain, between the others
        previous, following = centres(page, ".neighbours .older") + centres(page, ".neighbours .newer")
    assert (previous > following) == leftwards


@pytest.mark.parametrize(("language", "leftwards"), [("ar", True), ("en", False)])
def test_the_timeline_runs_the_way_the_language_reads(sites, browser, language, leftwards):
    with opened(browser, url_of(sites, language, "home")) as page:
        bars = centres(page, ".explore .timeline-chart .bar")
        labels = centres(page, ".explore .timeline-chart .label")
    assert len(bars) == 2  # 2023, then 2024
    assert bars == sorted(bars, reverse=leftwards)
    assert [round(x) for x in labels] == [round(x) for x in bars]  # each year under its own bar


@pytest.mark.parametrize("selector", [".site-title", ".article h1", ".dateline-region", ".footer-heading"])
def test_arabic_letters_are_not_spaced_apart(sites, browser, selector):
    # Letter-spacing breaks the joins between Arabic letters; the English theme spaces these out.
    with opened(browser, url_of(sites, "ar", "article")) as page:
        arabic = page.eval_on_selector(selector, "e => getComputedStyle(e).letterSpacing")
    with opened(browser, url_of(sites, "en", "article")) as page:
        english = page.eval_on_selector(selector, "e => getComputedStyle(e).letterSpacing")
    assert (arabic, english != "normal") == ("normal", True)


@pytest.mark.parametrize("language", ["ar", "ja"])
def test_emphasis_is_bold_in_scripts_without_italics(sites, browser, language):
    with opened(browser, url_of(sites, language, "article")) as page:
        shown = page.eval_on_selector(
            ".article-body em", "e => [getComputedStyle(e).fontStyle, getComputedStyle(e).fontWeight]"
        )
    assert shown == ["normal", "700"]


def test_english_emphasis_is_still_italic(sites, browser):
    with opened(browser, url_of(sites, "en", "article")) as page:
        assert page.eval_on_selector(".article-body em", "e => getComputedStyle(e).fontStyle") == "italic"


@pytest.mark.parametrize(("selector", "at_least"), [(".article-body", 2.2), ("h1", 1.8)])
def test_urdu_lines_are_tall_enough_for_nastaliq(sites, browser, selector, at_least):
    # Nastaliq's words slope down to the right and its marks reach far above and below.
    with opened(browser, url_of(sites, "ur", "article")) as page:
        ratio = page.eval_on_selector(
            selector,
            "e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize)",
        )
    assert ratio >= at_least


def test_japanese_lines_break_by_japanese_rules(sites, browser):
    with opened(browser, url_of(sites, "ja", "article")) as page:
        assert page.eval_on_selector(".article-body p", "p => getComputedStyle(p).lineBreak") == "strict"


@pytest.mark.parametrize("kind", ["home", "article"])
def test_a_japanese_page_fits_a_phone_without_sideways_scrolling(sites, browser, kind):
    with opened(browser, url_of(sites, "ja", kind), width=360) as page:
        width, visible = page.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
    assert width <= visible


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("language", "kind"), [("ar", "article"), ("ar", "home"), ("ja", "article")])
def test_an_rtl_or_cjk_page_has_no_serious_accessibility_violations(sites, browser, language, kind, scheme):
    violations = axe_violations(browser, url_of(sites, language, kind), scheme)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


@pytest.mark.parametrize("language", ["ar", "ja"])
def test_every_page_of_an_rtl_or_cjk_site_has_no_nu_checker_errors(sites, language):
    site, _ = sites[language]
    assert len(list((site / "output").rglob("*.html"))) > 20
    result = nu_check(site / "output")
    assert result.returncode == 0, result.stdout + result.stderr
