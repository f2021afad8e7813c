"""The page's language: dates, month and language names and script direction from CLDR
(through Babel), and the theme's words from gettext catalogues.

Languages are BCP 47 codes, as ``language`` in site.toml writes them ("de", "pt-BR",
"zh-Hans"). A bare "en" is written as the theme always has: day, month, year ("31 August
2024"), CLDR's British English.

The theme's words are ``.po`` files a translator edits without touching a template:
``templates/locales/<code>.po`` of the theme, overridden message by message by a site's own
``templates/locales/<code>.po``. They are read as they are and compiled in memory, so no
compile step and no ``.mo`` file. The English in the templates is the message itself: a
language without a catalogue, or a message a catalogue leaves untranslated, reads in English.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as format_pattern
from babel.dates import get_month_names, match_skeleton
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

#: Where a templates folder keeps its catalogues: ``locales/de.po``.
LOCALES = "locales"
#: The CLDR locale of dates written in a bare "en": the theme's "31 August 2024"; its month
#: names are CLDR's "en", whose September is "Sep" (British English's is "Sept").
_ENGLISH_DATES = "en_GB"
_ENGLISH_NAMES = "en"
#: The theme's date styles (the ``date`` filter's argument) as CLDR skeletons: which fields
#: to show, which each language orders and spells its own way. ``long`` is CLDR's long date.
_SKELETONS = {"short": "yMMMd", "month": "yMMMM"}
_LEAP_YEAR = 2024  # has every month-day, 29 February too


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is written; translated where it is shown."""
    return message


@lru_cache(maxsize=1024)
def locale_of(code: str) -> Locale:
    """The CLDR locale whose patterns write dates in ``code``: "pt-BR", "zh-Hans", "sr-Latn";
    British English for a bare "en" and for a code CLDR does not know."""
    if code.lower() == "en":
        return Locale.parse(_ENGLISH_DATES)
    return _cldr(code) or Locale.parse(_ENGLISH_DATES)


def language_name(code: str) -> str:
    """The language's own name: "Deutsch", "Español", "日本語", "Português (Brasil)"; the code
    itself when CLDR does not know it."""
    locale = _cldr(code)
    name = locale.get_display_name(locale) if locale is not None else None
    return _capitalised(name) if name else code


def direction(code: str) -> str:
    """Which way the language is written: "rtl" (Arabic, Hebrew, Persian, Urdu) or "ltr"."""
    locale = _cldr(code)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


@lru_cache(maxsize=65536)  # asked for each date of each page; CLDR lookups are slow
def format_date(value: date, style: str, code: str) -> str:
    """A date (or the date of a datetime, as it is, with no change of time zone) in one of the
    theme's styles: ``long`` "31 August 2024", "31. August 2024", "2024年8月31日"; ``short``
    "31 Aug 2024"; ``month`` "August 2024"."""
    locale = locale_of(code)
    if style == "long":
        return format_pattern(value, locale.date_formats["long"], locale=_names_of(code))
    if style not in _SKELETONS:
        raise ValueError(f"no date style {style!r}: long, short or month")
    return format_pattern(value, _pattern(_SKELETONS[style], locale), locale=_names_of(code))


@lru_cache(maxsize=65536)
def period_name(parts: tuple[int, ...], code: str) -> str:
    """A year, month or day of the archive by its parts: "2024", "August 2024" ("2024年8月",
    "Август 2024 г."), "31 August 2024"."""
    locale = locale_of(code)
    skeleton = ("y", "yMMMM")[len(parts) - 1] if len(parts) < 3 else None
    day = date(*parts, *(1,) * (3 - len(parts)))
    pattern = locale.date_formats["long"] if skeleton is None else _pattern(skeleton, locale)
    return _capitalised(format_pattern(day, pattern, locale=_names_of(code)))


def month_name(month: int, code: str, width: str = "wide") -> str:
    """A month's name on its own, as a calendar or a chart heads it: "August", "Август", "8月";
    ``width`` "abbreviated": "Aug"."""
    return _capitalised(get_month_names(width, "stand-alone", _names_of(code))[month])


@lru_cache(maxsize=1024)
def day_month(month: int, day: int, code: str) -> str:
    """A day of the year: "31 August", "31. August", "8月31日", "31 августа"."""
    pattern = _pattern("MMMMd", locale_of(code))
    return format_pattern(date(_LEAP_YEAR, month, day), pattern, locale=_names_of(code))


#: Languages written without spaces between words, whose phrases follow one another unspaced.
_UNSPACED = frozenset(("ja", "zh", "th", "lo", "km", "my"))


def word_space(code: str) -> str:
    """What goes between two phrases of a sentence: a space, or nothing in Chinese, Japanese
    and the other languages written without spaces ("記事3件（3年分）")."""
    return "" if code.replace("_", "-").split("-")[0].lower() in _UNSPACED else " "


@lru_cache(maxsize=1024)
def list_separator(position: int, length: int, code: str) -> str:
    """What follows the ``position``-th (from 1) of ``length`` names listed in ``code``, as
    CLDR joins them: ", " and " and " ("A, B and C"), "、" ("A、B、C"), " und "."""
    patterns = locale_of(code).list_patterns["standard"]
    key = "2" if length == 2 else "end" if position == length - 1 else "start" if position == 1 else "middle"
    pattern = patterns[key]  # "{0} and {1}"
    return pattern[pattern.index("{0}") + 3 : pattern.index("{1}")]


def translations(code: str, folders: Sequence[Path]) -> gettext.NullTranslations:
    """The theme's words in ``code``, from ``locales/<code>.po`` in each of ``folders`` (the
    site's templates before the theme's, as ``config.template_dirs`` lists them): a message is
    the first folder's that translates it, and "pt-BR" falls back to "pt" message by message.
    Plural forms are the catalogue's header's (or CLDR's, when it has none). No catalogue: the
    English of the templates (NullTranslations)."""
    found = [
        (candidate, path)
        for candidate in _fallbacks(code)
        for folder in folders
        if (path := folder / LOCALES / f"{candidate}.po").is_file()
    ]
    if not found:
        return gettext.NullTranslations()
    catalogues = [_read(path, candidate) for candidate, path in found]  # the first one wins
    merged = Catalog(locale=catalogues[0].locale)
    merged.mime_headers = [("Plural-Forms", catalogues[0].plural_forms)]
    for catalogue in catalogues:
        for message in catalogue:
            if _translated(message) and merged.get(message.id, message.context) is None:
                merged[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    compiled.seek(0)
    return Translations(compiled)


class Catalogues:
    """The theme's words in each language, read once for as long as the templates are the
    same: what a render environment holds (a site's pages may be in several languages)."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = tuple(folders)
        self._read: dict[str, gettext.NullTranslations] = {}

    def __call__(self, code: str) -> gettext.NullTranslations:
        if (read := self._read.get(code)) is None:
            read = self._read[code] = translations(code, self.folders)
        return read


@lru_cache(maxsize=1024)
def _names_of(code: str) -> Locale:
    """The locale of the month names in ``code``'s dates (see ``_ENGLISH_NAMES``)."""
    return Locale.parse(_ENGLISH_NAMES) if code.lower() == "en" else locale_of(code)


@lru_cache(maxsize=1024)
def _cldr(code: str) -> Locale | None:
    """The CLDR locale of a BCP 47 code, or of its language when CLDR has no data for the
    whole of it ("de-XY" -> "de"); None for a language CLDR does not know."""
    for candidate in _fallbacks(code):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return None


def _fallbacks(code: str) -> Iterator[str]:
    """The code, then less and less of it: "zh-Hant-TW", "zh-Hant", "zh"."""
    subtags = code.replace("_", "-").split("-")
    for end in range(len(subtags), 0, -1):
        yield "-".join(subtags[:end])


def _pattern(skeleton: str, locale: Locale) -> str:
    """The locale's pattern for a CLDR skeleton ("yMMMM" -> "MMMM y", "y年M月", "LLLL y 'г'.")."""
    skeletons = locale.datetime_skeletons
    matched = skeleton if skeleton in skeletons else match_skeleton(skeleton, skeletons)
    return str(skeletons[matched]) if matched else str(locale.date_formats["long"])


def _capitalised(text: str) -> str:
    """A name as it heads a page, a list or a calendar: CLDR's month names are lower case in
    many languages ("август 2024 г.", "agosto de 2024"), which start such a line upper case."""
    return text[:1].upper() + text[1:]


def _read(path: Path, code: str) -> Catalog:
    with path.open("rb") as file:
        # The code as a locale: a catalogue with no header still gets the language's plural forms.
        return read_po(file, locale=_babel_identifier(code))


def _babel_identifier(code: str) -> str | None:
    locale = _cldr(code)
    return str(locale) if locale is not None else None


def _translated(message: Message) -> bool:
    """A message with a translation to use: not the header, not fuzzy, every plural form given."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.id) and not message.fuzzy and all(strings)
