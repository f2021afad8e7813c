"""Slugs and display names: how a name written in front matter becomes a URL segment."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

MAX_SLUG_CHARS = 80
# File names are limited in bytes (255 on ext4, APFS, NTFS), and one character of UTF-8 takes
# up to four. 240 still holds 80 characters of most scripts (CJK takes three bytes each), so
# no slug that built before changes, and it leaves room for a "-2" numbering suffix.
MAX_SLUG_BYTES = 240
# Names Windows refuses as file names, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
_SEPARATORS = re.compile(r"-+")
_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Apostrophes and the dots of abbreviations vanish: "Don't" -> "dont", "U.S." -> "us".
_SILENT = re.compile(r"['’]|(?<=\b[^\W\d_])\.")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A readable, file-safe URL segment: Latin accents dropped, other scripts kept.

    ``"Café Society"`` -> ``"cafe-society"``, ``"Москва"`` -> ``"москва"``. Never empty: a name
    with no letters or digits (``"???"``) gets a short stable hash instead. Long ones are cut
    to ``MAX_SLUG_CHARS`` characters and ``MAX_SLUG_BYTES`` bytes of UTF-8.
    """
    silent = _SILENT.sub("", text)
    if silent.isascii():  # nothing to decompose, and only a-z and 0-9 make words: most names
        slug = _ASCII_SEPARATORS.sub("-", silent.lower()).strip("-")
    else:
        decomposed = unicodedata.normalize("NFKD", silent)
        kept: list[str] = []
        for char in decomposed:
            if unicodedata.combining(char) and kept and kept[-1].isascii():
                continue  # é -> e, but Devanagari vowel signs and the like stay
            kept.append(char)
        folded = unicodedata.normalize("NFC", "".join(kept)).casefold()
        # Letters, digits and combining marks (Devanagari vowel signs are marks) make words.
        words = "".join(c if unicodedata.category(c)[0] in "LNM" else "-" for c in folded)
        slug = _SEPARATORS.sub("-", words).strip("-")
    if len(slug) > MAX_SLUG_CHARS or len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        # the most whole characters within both limits (a character cut in two is dropped)...
        fits = len(slug[:MAX_SLUG_CHARS].encode("utf-8")[:MAX_SLUG_BYTES].decode("utf-8", "ignore"))
        cut = slug[: fits + 1]  # ...then back to a word boundary when there is one
        slug = cut[: cut.rindex("-")] if "-" in cut else cut[:fits]
    if not slug:
        return "n-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if slug in _RESERVED:
        return slug + "-"
    return slug


@lru_cache(maxsize=65536)  # asked for every tag of every article listed on every page
def name_key(text: str) -> str:
    """How two names are compared: ``ISIS`` and ``isis``, ``Café`` in NFC and NFD are one."""
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def display_name(slug: str) -> str:
    """A fallback display name from a slug: ``us-military`` -> ``Us Military``."""
    return " ".join(word[:1].upper() + word[1:] for word in slug.split("-"))


def date_segments(*parts: int) -> tuple[str, ...]:
    """The URL segments of a year, month and day, as article and date archive URLs both
    write them: the year in four digits, the others in two. ``(1, 1, 1)`` -> ``("0001",
    "01", "01")``."""
    return tuple(f"{part:04d}" if position == 0 else f"{part:02d}" for position, part in enumerate(parts))
