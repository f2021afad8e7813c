"""Which language an article is written in, and which articles are one story's translations.

Read from the content's own layout, weakest first: a top-level language folder
(``content/de/…``, Jekyll's ``de/news/_posts/…`` too), Hugo's ``name.de.md`` suffix, then
``lang`` or ``language`` in the front matter. Translations share their path with the language
folder and suffix taken out (``de/2024/raid.md`` and ``2024/raid.fr.md``), or a
``translationKey`` (Hugo's name for it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath
from typing import NamedTuple

from babel import Locale, UnknownLocaleError

from generator.config import Config

TRANSLATION_KEYS = ("translationKey", "translation_key", "ref")
LANGUAGE_KEYS = ("lang", "language")
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?(?:[-_](?:[A-Za-z]{2}|[0-9]{3}))?")


class Placed(NamedTuple):
    """An article file's language as its place says (None: the place says nothing), and its
    path with the language folder and suffix taken out: what its translations share."""

    language: str | None
    path: PurePosixPath


@lru_cache(maxsize=512)
def cldr_code(written: str) -> str | None:
    """``written`` as a BCP 47 tag CLDR knows (``pt_br`` -> ``pt-BR``), or None."""
    if not _TAG.fullmatch(written):
        return None
    try:
        locale = Locale.parse(written.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    if locale.language.lower() != written.replace("_", "-").split("-")[0].lower():
        return None  # "iw" is read as "he": the folder says something else than its code
    return "-".join(part for part in (locale.language, locale.script, locale.territory) if part)


def language_code(written: str, config: Config) -> str | None:
    """The language ``written`` names: one of ``[languages]`` (matched without regard to
    case) when the settings list them, else any language CLDR knows."""
    if config.languages:
        wanted = written.replace("_", "-").lower()
        return next((each.code for each in config.languages if each.code.lower() == wanted), None)
    return cldr_code(written)


def placed(path: PurePosixPath, config: Config) -> Placed:
    """The language ``path`` (under content/) says, from its suffix or else its top folder."""
    language, parts = None, list(path.parts)
    if len(parts) > 1 and (folder := language_code(parts[0], config)) is not None:
        language, parts = folder, parts[1:]
    stem, dot, suffix = parts[-1].rpartition(".")
    name, dot, code = stem.rpartition(".")
    if dot and name and (by_suffix := language_code(code, config)) is not None:
        language, parts[-1] = by_suffix, f"{name}.{suffix}"
    return Placed(language, path if language is None else PurePosixPath(*parts))
