"""The archive timeline: bars per year or month, drawn as SVG with a link per non-empty bar."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from generator.site.timeline import CHART, Bar, archive_bars, chart, month_bars, svg, year_bars


@dataclass(frozen=True)
class P:
    url: str
    articles: tuple[object, ...]


def periods(counts: dict[tuple[int, ...], int]) -> dict[tuple[int, ...], P]:
    return {
        parts: P("/" + "".join(f"{x:02d}/" for x in parts), (object(),) * n) for parts, n in counts.items()
    }


def parse(markup: str) -> etree._Element:
    return etree.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


NS = {"s": "http://www.w3.org/2000/svg"}


def test_year_bars_cover_every_year_between_the_first_and_the_last_oldest_first():
    bars = year_bars(periods({(2021,): 3, (2024,): 1, (2024, 5): 1}))
    assert [(b.label, b.count, b.url) for b in bars] == [
        ("2021", 3, "/2021/"), ("2022", 0, None), ("2023", 0, None), ("2024", 1, "/2024/"),
    ]  # fmt: skip


def test_month_bars_are_the_twelve_months_of_the_year_named_in_full():
    bars = month_bars(periods({(2024,): 2, (2024, 2): 2}), 2024)
    assert len(bars) == 12
    assert bars[1] == Bar("Feb", "February 2024", 2, "/2024/02/")
    assert all(b.url is None for i, b in enumerate(bars) if i != 1)


def test_an_archive_of_one_year_is_charted_by_month():
    assert [b.label for b in archive_bars(periods({(2024,): 1, (2024, 8): 1}))][:2] == ["Jan", "Feb"]


def test_an_empty_archive_has_no_chart():
    assert archive_bars({}) == () and svg((), "Articles per year") == ""


def test_each_bar_with_articles_is_a_link_named_with_its_period_and_count():
    root = parse(svg([Bar("2023", "2023", 1, "/2023/"), Bar("2024", "2024", 4, "/2024/")], "Per year"))
    links = root.findall("s:a", NS)
    assert [a.get("href") for a in links] == ["/2023/", "/2024/"]
    assert [a.findtext("s:title", namespaces=NS) for a in links] == ["2023: 1 article", "2024: 4 articles"]
    assert root.get("aria-label") == "Per year"


def test_an_empty_period_has_a_label_but_no_bar_or_link():
    root = parse(svg([Bar("Jan", "January 2024", 0, None), Bar("Feb", "February 2024", 2, "/x/")], "t"))
    assert len(root.findall(".//s:rect", NS)) == 1 and len(root.findall(".//s:a", NS)) == 1
    assert [t.text for t in root.xpath(".//s:text[starts-with(@class, 'label')]", namespaces=NS)] == [
        "Jan",
        "Feb",
    ]


def test_bar_heights_are_proportional_and_a_single_article_still_shows():
    root = parse(svg([Bar("a", "a", 1, "/a/"), Bar("b", "b", 100, "/b/"), Bar("c", "c", 50, "/c/")], "t"))
    heights = [int(r.get("height")) for r in root.iterfind(".//s:rect", NS)]
    assert heights == [2, CHART, CHART // 2]


def test_links_go_through_the_given_url_function_and_are_escaped():
    root = parse(svg([Bar("a", "a&b", 1, "/a/")], "t", link=lambda u: "/base" + u + "?x=1&y=2"))
    assert root.find("s:a", NS).get("href") == "/base/a/?x=1&y=2"


def test_long_ranges_label_only_every_few_bars_so_labels_never_overlap():
    bars = [Bar(str(y), str(y), 1, f"/{y}/") for y in range(1950, 2025)]  # 75 years
    labels = parse(svg(bars, "t")).xpath(".//s:text[starts-with(@class, 'label')]", namespaces=NS)
    assert 12 <= len(labels) <= 24 and labels[-1].text == "2024"


def test_on_narrow_screens_at_most_eight_labels_are_kept():
    bars = [Bar(str(y), str(y), 1, f"/{y}/") for y in range(2005, 2025)]  # 20 years
    labels = parse(svg(bars, "t")).findall(".//s:text", NS)
    kept = [t.text for t in labels if t.get("class") == "label"]
    assert len(kept) <= 8 and kept[-1] == "2024"
    assert len([t for t in labels if t.get("class") == "label minor"]) > 0


def test_a_year_chart_is_titled_with_its_year():
    assert 'aria-label="Articles per month in 2024"' in chart(periods({(2024,): 1, (2024, 1): 1}), 2024)
