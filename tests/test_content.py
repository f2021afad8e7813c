"""Articles as newsrooms write them, including what Jekyll and Hugo archives contain."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from support.site import article, build_site, links, page, write_site

from generator.config import Config
from generator.content.markdown import markdown_renderer
from generator.content.parse import MANY_NAMES, parse, word_count


def parse_text(text: str | bytes, **settings: object):
    config = Config(Path("site"), **settings)
    data = text.encode() if isinstance(text, str) else text
    found, errors, warnings = parse(data, Path("content/a.md"), config, markdown_renderer(config))
    assert not errors, errors
    return found, warnings


def test_offset_timestamp_keeps_its_offset_and_day_as_written():
    found, _ = parse_text(article(date="2024-08-31T23:30:00-05:00"))
    assert found.date.utcoffset() == timedelta(hours=-5)
    assert found.url == "/2024/08/31/a-title/"


def test_naive_time_takes_the_site_timezone():
    found, _ = parse_text(article(date="2024-08-31 23:30"), timezone="Asia/Baghdad")
    assert found.date.utcoffset() == timedelta(hours=3)


def test_archive_day_can_follow_the_site_timezone():
    found, _ = parse_text(article(date="2024-08-31T23:30:00-05:00"), timezone="UTC", archive_day="site")
    assert found.url == "/2024/09/01/a-title/"


def test_jekyll_style_timestamp_string_is_read():
    found, _ = parse_text(article(date="2016-10-06 11:10:11 -0700"))
    assert found.date == datetime(2016, 10, 6, 11, 10, 11, tzinfo=timezone(timedelta(hours=-7)))


def test_date_comes_from_a_jekyll_file_name_when_absent():
    config = Config(Path("site"))
    data = b"---\ntitle: Old post\n---\nText"
    found, errors, _ = parse(data, Path("content/2016-10-06-old-post.md"), config, markdown_renderer(config))
    assert not errors
    assert found.day.isoformat() == "2016-10-06"
    assert found.slug == "old-post"


def test_bom_blank_lines_and_crlf_are_accepted():
    found, _ = parse_text(b"\xef\xbb\xbf\r\n\r\n---\r\ntitle: Hi\r\ndate: 2024-01-02\r\n---\r\n\r\nBody\r\n")
    assert found.title == "Hi"
    assert found.body_html == "<p>Body</p>"


def test_empty_body_is_accepted():
    found, _ = parse_text("---\ntitle: Brief\ndate: 2024-01-02\n---\n")
    assert found.body_html == ""
    assert found.summary == ""


def test_tags_may_be_a_comma_separated_string():
    found, _ = parse_text(article(tags="isis, iraq,  us-military"))
    assert found.tags == ("isis", "iraq", "us-military")


def test_categories_feed_tags_when_settings_say_so():
    found, _ = parse_text(article(tags="[a]", categories="[b, c]"), tag_keys=("tags", "categories"))
    assert found.tags == ("a", "b", "c")


def test_authors_come_from_author_authors_or_by():
    assert parse_text(article(author="Ana Silva"))[0].authors == ("Ana Silva",)
    assert parse_text(article(authors="[Ana Silva, Omar Ali]"))[0].authors == ("Ana Silva", "Omar Ali")
    assert parse_text(article(by="Omar Ali"))[0].authors == ("Omar Ali",)


def test_yaml_one_one_words_stay_words():
    found, _ = parse_text(article(region="no", tags="[yes, off]"))
    assert found.regions == ("no",)
    assert found.tags == ("yes", "off")


def test_numeric_title_is_kept_as_written():
    found, _ = parse_text(article(title="007"))
    assert found.title == "007"


def test_unknown_keys_are_kept_for_templates():
    found, warnings = parse_text(article(photographer="Lena Fischer", priority="3"))
    assert found.extra == {"photographer": "Lena Fischer", "priority": 3}
    assert warnings == []


def test_unknown_key_resembling_a_known_one_warns_with_its_line():
    _, warnings = parse_text(article(tittle="x"))
    assert [str(w) for w in warnings] == [
        "content/a.md:4: unknown key 'tittle' is kept for templates; did you mean 'title'?"
    ]


def test_toml_front_matter_from_hugo_is_read():
    found, _ = parse_text("+++\ntitle = 'Hugo post'\ndate = 2024-05-01T10:00:00Z\ntags = ['a']\n+++\nText")
    assert (found.title, found.tags, found.day.isoformat()) == ("Hugo post", ("a",), "2024-05-01")


def test_summary_defaults_to_the_first_paragraph_as_text():
    found, _ = parse_text(article(body="## Heading\n\nFirst *paragraph* & more.\n\nSecond."))
    assert found.summary == "First paragraph & more."


@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_markdown_tables_footnotes_code_toc_and_smart_quotes(engine: str):
    body = """
        ## Figures

        | a | b |
        |---|---|
        | 1 | 2 |

        A claim[^1] and "quotes".

        ```python
        print("hi")
        ```

        [^1]: The source.
        """
    found, _ = parse_text(article(body=body), markdown=engine)
    assert "<table>" in found.body_html
    assert 'class="footnote' in found.body_html
    assert 'class="highlight"' in found.body_html
    assert "\u201cquotes\u201d" in html.unescape(found.body_html)
    assert 'id="figures"' in found.body_html
    assert 'href="#figures"' in found.toc_html


@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_raw_html_is_kept_out_by_setting(engine: str):
    found, _ = parse_text(article(body="<script>alert(1)</script>"), allow_html=False, markdown=engine)
    assert "<script>" not in found.body_html


def test_files_in_any_nesting_with_both_extensions_are_articles(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/a.md": article("First"),
            "content/2024/08/b.markdown": article("Second"),
            "content/.#c.md": article("Editor lock file"),
            "content/notes.txt": "not an article",
        },
    )
    assert build_site(tmp_path).articles == 2
    home = links(page(tmp_path, "/"))
    assert "/2024/08/31/first/" in home
    assert "/2024/08/31/second/" in home


def test_numbers_and_words_in_name_lists_are_kept_as_written():
    found, warnings = parse_text(
        article(tags="[2024, 0x1F, 1.50, true, 2024-01-01]", region="[0x1F]", authors="[007, 1e3]")
    )
    assert found.tags == ("2024", "0x1F", "1.50", "true", "2024-01-01")
    assert found.regions == ("0x1F",)
    assert found.authors == ("007", "1e3")
    assert warnings == []


def test_an_empty_item_in_a_name_list_is_left_out_with_a_warning_at_its_line():
    found, warnings = parse_text(article(tags="\n  - isis\n  - ~\n  -", author="[null, Ana Silva]"))
    assert found.tags == ("isis",)
    assert found.authors == ("Ana Silva",)
    assert [str(w) for w in warnings] == [
        "content/a.md:6: 'tags' has an empty item (~, null or a bare '-'); it is left out",
        "content/a.md:7: 'tags' has an empty item (~, null or a bare '-'); it is left out",
        "content/a.md:8: 'author' has an empty item (~, null or a bare '-'); it is left out",
    ]


def test_names_differing_only_in_case_are_one_name_on_an_article():
    found, _ = parse_text(article(tags="[ISIS, isis, Isis]"))
    assert found.tags == ("ISIS",)


def test_more_tags_than_an_article_plausibly_has_warns_at_the_tags_line():
    many = ", ".join(f"t{n}" for n in range(MANY_NAMES + 1))
    _, warnings = parse_text(article(tags=f"[{many}]"))
    assert [str(w) for w in warnings] == [
        f"content/a.md:4: {MANY_NAMES + 1} tags on one article; more than {MANY_NAMES} is most likely a "
        "mistake (each gets a page of its own, and listings and feeds show only the first few)"
    ]


def test_as_many_tags_as_allowed_build_without_a_warning():
    _, warnings = parse_text(article(tags="[" + ", ".join(f"t{n}" for n in range(MANY_NAMES)) + "]"))
    assert warnings == []


def test_chinese_and_japanese_words_are_counted_from_their_characters() -> None:
    assert word_count("Floods reach the capital") == 4
    assert word_count("バスラで洪水が発生した") == 6  # 11 characters, two to a word
    assert word_count("東京 Olympics 2020") == 3
