"""The default theme speaks the page's language: its words from gettext catalogues
(templates/locales/*.po), dates, month names and plural forms from CLDR, and the script's
direction."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from support.paths import REPO, THEME
from support.site import article, build_site, page, write_site
from test_incremental import assert_same_as_cold, incremental_build, write

from generator import i18n

LOCALES = THEME / "locales"


def text(element) -> str:
    return " ".join(element.text_content().split())


def counts(tree) -> list[str]:
    return [text(p) for p in tree.find_class("count")]


def site_in(root: Path, language: str, files: dict[str, str] | None = None) -> Path:
    """A small archive in ``language``: tags on one, two and five articles."""
    articles = {
        f"content/{n}.md": article(
            f"Story {n}",
            date=f"2024-08-{31 - n:02d}T09:00:00+03:00",
            tags="["
            + ", ".join(tag for tag, many in (("one", 1), ("two", 2), ("five", 5)) if n < many)
            + "]",
            region="middle-east/iraq",
            author="Ana Mensah",
        )
        for n in range(5)
    }
    settings = (
        f'title = "Archive"\nlanguage = "{language}"\nbase_url = "https://example.org/"\nsearch = false\n'
    )
    write_site(root, {"site.toml": settings, **articles, **(files or {})})
    build_site(root)
    return root


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_in(tmp_path_factory.mktemp("de"), "de")


@pytest.fixture(scope="module")
def russian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_in(tmp_path_factory.mktemp("ru"), "ru")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_in(tmp_path_factory.mktemp("en"), "en")


# -- a German site ---------------------------------------------------------------------------


def test_a_german_site_shows_the_themes_words_in_german(german: Path) -> None:
    home = page(german, "/")
    assert text(home.find_class("skip-link")[0]) == "Zum Inhalt springen"
    assert [text(a) for a in home.xpath("//nav[@class='site-nav']//a")] == [
        "Aktuell", "Regionen", "Schlagwörter", "Archiv", "Autoren",
    ]  # fmt: skip
    assert text(home.xpath("//main//h1")[0]) == "Neueste Artikel"


def test_a_german_site_titles_its_pages_in_german(german: Path) -> None:
    assert page(german, "/tags/").findtext(".//title") == "Schlagwörter · Archive"
    assert page(german, "/404.html").findtext(".//title") == "Seite nicht gefunden · Archive"


def test_a_german_site_writes_german_dates(german: Path) -> None:
    dateline = page(german, "/2024/08/31/story-0/").find_class("dateline")[0]
    assert dateline.findtext(".//time") == "31. August 2024"
    assert text(page(german, "/2024/08/").xpath("//main//h1")[0]) == "August 2024"


def test_a_german_site_counts_in_german(german: Path) -> None:
    assert counts(page(german, "/tags/one/")) == ["1 Artikel"]
    assert counts(page(german, "/tags/two/")) == ["2 Artikel"]
    assert "5 Artikel vom 27. August 2024 bis zum 31. August 2024" in counts(page(german, "/archive/"))


def test_a_german_article_reads_its_byline_in_german(german: Path) -> None:
    assert (
        text(page(german, "/2024/08/31/story-0/").find_class("byline")[0])
        == "Von Ana Mensah · 1 Min. Lesezeit"
    )


def test_a_german_archive_names_its_months_in_german_on_the_calendar(german: Path) -> None:
    calendar = page(german, "/on-this-day/")
    assert [h.text for h in calendar.xpath("//section/h2")][:3] == ["Januar", "Februar", "März"]
    assert "31. August (1 Artikel)" in text(calendar.xpath('//a[contains(@href, "/08-31/")]')[0])


# -- other languages ---------------------------------------------------------------------------


def test_russian_counts_take_each_of_its_three_plural_forms(russian: Path) -> None:
    assert counts(page(russian, "/tags/one/")) == ["1 статья"]
    assert counts(page(russian, "/tags/two/")) == ["2 статьи"]
    assert counts(page(russian, "/tags/five/")) == ["5 статей"]


def test_a_japanese_site_writes_japanese_dates(tmp_path: Path) -> None:
    site = site_in(tmp_path, "ja")
    assert page(site, "/2024/08/31/story-0/").find_class("dateline")[0].findtext(".//time") == "2024年8月31日"
    assert text(page(site, "/2024/08/").xpath("//main//h1")[0]) == "2024年8月"


def test_japanese_phrases_follow_one_another_without_spaces(tmp_path: Path) -> None:
    site = site_in(tmp_path, "ja")
    (count,) = page(site, "/on-this-day/08-31/").find_class("count")
    assert " " not in count.text_content()


def test_a_revision_note_is_a_sentence_of_its_own_in_any_language(tmp_path: Path) -> None:
    updated = {"content/late.md": article("Late", date="2024-08-01", updated="2024-08-02")}
    site = site_in(tmp_path, "ru", updated)
    notice = page(site, "/2024/08/01/late/").find_class("notice")[0]
    assert [text(p) for p in notice.iter("p")][0] == "Обновлено 2 августа 2024 г."


def test_a_language_written_right_to_left_sets_the_pages_direction(tmp_path: Path) -> None:
    site = site_in(tmp_path, "ar")
    assert page(site, "/").get("dir") == "rtl"
    assert page(site, "/2024/08/31/story-0/").get("dir") == "rtl"


def test_a_language_without_a_catalogue_keeps_the_themes_english_words_with_its_own_dates(
    tmp_path: Path,
) -> None:
    site = site_in(tmp_path, "fo")
    article_page = page(site, "/2024/08/31/story-0/")
    assert text(article_page.find_class("skip-link")[0]) == "Skip to content"
    assert article_page.find_class("dateline")[0].findtext(".//time") == i18n.format_date(
        date(2024, 8, 31), "long", "fo"
    )


def test_an_english_site_reads_as_the_theme_always_has(english: Path) -> None:
    home = page(english, "/")
    assert home.get("dir") is None
    assert text(home.find_class("skip-link")[0]) == "Skip to content"
    assert (
        page(english, "/2024/08/31/story-0/").find_class("dateline")[0].findtext(".//time")
        == "31 August 2024"
    )
    assert counts(page(english, "/tags/one/")) == ["1 article"]
    assert counts(page(english, "/tags/two/")) == ["2 articles"]
    assert text(page(english, "/2024/08/31/story-0/").find_class("byline")[0]) == "By Ana Mensah · 1 min read"


# -- a site's own translations -----------------------------------------------------------------

OWN_GERMAN = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Tags"
msgstr "Themen"
"""


def test_a_sites_own_catalogue_overrides_one_message_and_keeps_the_themes_others(tmp_path: Path) -> None:
    site = site_in(tmp_path, "de", {"templates/locales/de.po": OWN_GERMAN})
    home = page(site, "/")
    assert "Themen" in [text(a) for a in home.xpath("//nav[@class='site-nav']//a")]
    assert text(home.find_class("skip-link")[0]) == "Zum Inhalt springen"
    assert counts(page(site, "/tags/two/")) == ["2 Artikel"]  # the theme's plural forms


def test_a_regional_language_falls_back_to_its_languages_catalogue(tmp_path: Path) -> None:
    own = OWN_GERMAN.replace('msgstr "Themen"', 'msgstr "Etiquetas"')
    site = site_in(tmp_path, "pt-BR", {"templates/locales/pt.po": own})
    assert "Etiquetas" in [text(a) for a in page(site, "/").xpath("//nav[@class='site-nav']//a")]


def test_editing_a_sites_catalogue_rebuilds_as_a_cold_build_would(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site / "site.toml", 'title = "Archiv"\nlanguage = "de"\nper_page = 2\nsearch = false\n')
    for n in range(5):
        write(
            site / "content" / f"{n}.md", article(f"Story {n}", date=f"2024-08-{n + 1:02d}", tags="[floods]")
        )
    incremental_build(site)
    write(site / "templates" / "locales" / "de.po", OWN_GERMAN)
    incremental_build(site)
    assert "Themen" in (site / "output" / "index.html").read_text()
    assert_same_as_cold(site, tmp_path)


# -- the catalogues ----------------------------------------------------------------------------


def catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def messages(found) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in found if m.id}


def test_the_catalogue_template_has_every_message_of_the_theme() -> None:
    """``make locales`` extracts it; a word added to a template without it is not translatable."""
    with (REPO / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)

    def searched(folder: str) -> bool:
        name = Path(folder).name
        return not name.startswith((".", "_")) and name not in {"node_modules", "output", "tests"}

    found = extract_from_dir(REPO, method_map, options_map, directory_filter=searched)
    extracted = {(context, m if isinstance(m, str) else m[0]) for _, _, m, _, context in found}
    assert extracted == messages(catalogue(LOCALES / "messages.pot"))


@pytest.mark.parametrize("path", sorted(LOCALES.glob("*.po")), ids=lambda path: path.stem)
def test_each_catalogue_of_the_theme_translates_every_message(path: Path) -> None:
    found = catalogue(path)
    untranslated = [
        m.id
        for m in found
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == []
    assert messages(found) == messages(catalogue(LOCALES / "messages.pot"))


@pytest.mark.parametrize("path", sorted(LOCALES.glob("*.po")), ids=lambda path: path.stem)
def test_each_catalogue_of_the_theme_has_its_languages_plural_forms(path: Path) -> None:
    assert catalogue(path).num_plurals == get_plural(path.stem.replace("-", "_")).num_plurals


@pytest.mark.parametrize("path", sorted(LOCALES.glob("*.po")), ids=lambda path: path.stem)
def test_each_translation_keeps_the_placeholders_of_its_message(path: Path) -> None:
    def names(string: str) -> set[str]:
        return set(re.findall(r"%\((\w+)\)s", string))

    for message in catalogue(path):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(names(string) <= names(ids[-1]) for string in strings if string), message.id


# -- CLDR ----------------------------------------------------------------------------------------


def test_languages_are_named_in_themselves() -> None:
    assert [i18n.language_name(code) for code in ("de", "es", "fr", "ja", "ar", "en")] == [
        "Deutsch", "Español", "Français", "日本語", "العربية", "English",
    ]  # fmt: skip


def test_arabic_persian_hebrew_and_urdu_are_written_right_to_left() -> None:
    assert {code: i18n.direction(code) for code in ("ar", "fa", "he", "ur", "en", "zh-Hans")} == {
        "ar": "rtl", "fa": "rtl", "he": "rtl", "ur": "rtl", "en": "ltr", "zh-Hans": "ltr",
    }  # fmt: skip


def test_english_dates_are_written_day_month_year_as_the_theme_always_has() -> None:
    day = date(2024, 9, 30)
    assert [i18n.format_date(day, style, "en") for style in ("long", "short", "month")] == [
        "30 September 2024", "30 Sep 2024", "September 2024",
    ]  # fmt: skip


def test_archive_periods_are_named_in_the_language() -> None:
    assert [i18n.period_name(parts, "ru") for parts in ((2024,), (2024, 8), (2024, 8, 31))] == [
        "2024", "Август 2024\u202fг.", "31 августа 2024\u202fг.",  # CLDR: a narrow no-break space
    ]  # fmt: skip
    assert i18n.period_name((2024, 8), "zh-Hans") == "2024年8月"


def test_days_of_the_year_are_named_in_the_language() -> None:
    assert [i18n.day_month(8, 31, code) for code in ("en", "de", "ja")] == [
        "31 August",
        "31. August",
        "8月31日",
    ]
    assert i18n.day_month(2, 29, "en") == "29 February"


def test_a_date_style_the_theme_does_not_have_is_an_error() -> None:
    with pytest.raises(ValueError, match="long, short or month"):
        i18n.format_date(date(2024, 8, 31), "full", "en")
