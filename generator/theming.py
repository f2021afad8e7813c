"""The theme's settings in ``site.toml``: ``[theme]`` (logo, accent colours, footer text, an
extra stylesheet) and ``[[menu]]`` (links added to the site's menu); and ``dateline theme
copy``, which starts a site template from the theme's.

Config.py reads the settings through it, so it imports nothing of Dateline but its errors.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from generator.errors import DatelineError

#: WCAG 2 AA for text: the accent colours kickers, badges and links as they are hovered.
AA_TEXT = 4.5
#: The theme's stylesheet, whose colours an accent is checked against.
STYLESHEET = "static/style.css"
_DARK_MODE = "@media (prefers-color-scheme: dark)"
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

Report = Callable[[int, str], None]  # (line of site.toml, message): an error


@dataclass(frozen=True)
class Theme:
    """``[theme]``: what a site changes of the default theme without copying a template."""

    logo: str = ""  # a site path (from a file under static/) or an absolute URL
    accent: str = ""  # "#rrggbb", light mode
    accent_dark: str = ""  # dark mode: as written, else ``accent`` lightened until it reads
    footer: str = ""  # a line of inline Markdown under the site's name
    stylesheet: str = ""  # a site path, linked after the theme's stylesheet


@dataclass(frozen=True)
class MenuLink:
    """A ``[[menu]]`` entry: a link the site's menu shows after its sections."""

    label: str
    url: str  # a site path ("/about/") or an absolute URL
    weight: int = 0  # lighter first; ties in the order written
    line: int = field(default=1, compare=False, repr=False)  # in site.toml, for messages


# -- [theme] -------------------------------------------------------------------------------------

_THEME_KEYS = ("logo", "accent", "accent_dark", "footer", "stylesheet")


def read_theme(value: Any, text: str, site_dir: Path, stylesheet: Callable[[], str], error: Report) -> Theme:
    """``[theme]`` as written in ``text`` (the settings file), checked: its files exist under
    ``site_dir``'s static/, and its accent colours read (WCAG AA) on the backgrounds that
    ``stylesheet()``, the theme's CSS, declares for light and for dark mode."""
    lines = _lines_of(text, "theme")
    table_line = lines.get("", _first_line(text, "theme"))
    if not isinstance(value, dict):
        error(table_line, "[theme] must be a table")
        return Theme()
    values: dict[str, str] = {}
    for key, setting in value.items():
        line = lines.get(key, table_line)
        if key not in _THEME_KEYS:
            error(line, f"unknown [theme] setting '{key}' (one of: {', '.join(_THEME_KEYS)})")
        elif not isinstance(setting, str):
            error(line, f"[theme] '{key}' must be a string, not {type(setting).__name__}")
        elif key in ("logo", "stylesheet"):
            url = _file_or_url(
                key, setting.strip(), site_dir, lambda message, line=line: error(line, message)
            )
            if url is not None:
                values[key] = url
        elif key == "footer":
            values[key] = " ".join(setting.split())
        elif _HEX.fullmatch(setting.strip()):
            values[key] = _six_digits(setting.strip())
        else:
            error(line, f"[theme] '{key}' must be a hex colour such as \"#a3161a\", not {setting!r}")
    if not values.keys() & {"accent", "accent_dark"}:
        return Theme(**values)
    backgrounds = theme_backgrounds(stylesheet())
    if backgrounds is None:  # a stylesheet of the site's own, whose colours are its business
        return Theme(**values)
    for key, mode, on in (("accent", "light", backgrounds[0]), ("accent_dark", "dark", backgrounds[1])):
        if key in values and (problem := contrast_problem(values[key], on, mode)):
            error(lines.get(key, table_line), f"[theme] '{key}' {problem}")
    if "accent" in values and "accent_dark" not in values:
        values["accent_dark"] = readable_on(values["accent"], backgrounds[1])
    return Theme(**values)


def _file_or_url(key: str, written: str, site_dir: Path, error: Callable[[str], None]) -> str | None:
    """An absolute URL as written, or a file under static/ as the site path it is published
    at (``images/logo.svg`` -> ``/images/logo.svg``); None, with an error, for anything else."""
    parts = urlsplit(written)
    if parts.scheme in ("http", "https") and parts.netloc:
        return written
    if parts.scheme or written.startswith("//"):
        error(f"[theme] '{key}' must be a file under static/ or an http(s) URL, not {written!r}")
        return None
    path = PurePosixPath(written.lstrip("/"))
    if not written.strip("/") or any(part in ("..", ".") or part.startswith(".") for part in path.parts):
        error(f"[theme] '{key}' must name a file under static/, such as \"images/logo.svg\", not {written!r}")
        return None
    if key == "stylesheet" and path.suffix.lower() != ".css":
        error(f"[theme] 'stylesheet' must be a .css file, not {written!r}")
        return None
    if not (site_dir / "static" / path).is_file():
        error(
            f"[theme] '{key}': static/{path} does not exist (files under static/ are published at the root)"
        )
        return None
    return f"/{path}"


def _lines_of(text: str, table: str) -> dict[str, int]:
    """The line of ``[table]`` (under ""), and of each key written directly under it."""
    found: dict[str, int] = {}
    inside = False
    for number, row in enumerate(text.splitlines(), 1):
        if header := re.match(r"\s*\[\s*([^\]]*?)\s*\]", row):
            inside = header[1].strip('"') == table
            if inside:
                found.setdefault("", number)
        elif inside and (key := re.match(r"\s*\"?([A-Za-z0-9_-]+)\"?\s*=", row)):
            found.setdefault(key[1], number)
    return found


# -- contrast ------------------------------------------------------------------------------------


def _six_digits(colour: str) -> str:
    digits = colour.lstrip("#").lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def _luminance(colour: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""
    digits = _six_digits(colour)[1:]
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_problem(accent: str, backgrounds: Mapping[str, str], mode: str) -> str | None:
    """Why ``accent`` cannot be the accent over ``backgrounds`` (name -> colour) of ``mode``,
    or None when it reads on all of them."""
    name, background = min(backgrounds.items(), key=lambda item: contrast(accent, item[1]))
    ratio = contrast(accent, background)
    if ratio >= AA_TEXT:
        return None
    hint = "darker" if mode == "light" else "lighter"
    return (
        f"{accent} has a contrast ratio of {ratio:.2f}:1 against the theme's {mode} {name} "
        f"{background}; WCAG AA needs {AA_TEXT}:1 for text: choose a {hint} colour"
    )


def readable_on(accent: str, backgrounds: Mapping[str, str]) -> str:
    """``accent`` mixed with white in steps of a tenth until it reads on every one of
    ``backgrounds`` (dark ones): the dark mode's accent when only the light one is given."""
    digits = _six_digits(accent)[1:]
    channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    for step in range(11):
        mixed = "#" + "".join(f"{round(c + (255 - c) * step / 10):02x}" for c in channels)
        if all(contrast(mixed, background) >= AA_TEXT for background in backgrounds.values()):
            return mixed
    return "#ffffff"


def theme_backgrounds(stylesheet: str) -> tuple[dict[str, str], dict[str, str]] | None:
    """The colours text is drawn on in light and in dark mode (``--bg`` and ``--panel``, by
    those names) as the theme's stylesheet declares them; None when it declares them otherwise."""
    light_css, _, rest = stylesheet.partition(_DARK_MODE)
    dark_css = rest.split("}", 1)[0]
    light, dark = _backgrounds(light_css), _backgrounds(dark_css)
    return (light, dark) if light and dark else None


def _backgrounds(css: str) -> dict[str, str]:
    names = {"bg": "background", "panel": "panel background"}
    found = {}
    for prop, name in names.items():
        if match := re.search(rf"--{prop}:\s*(#[0-9a-fA-F]{{3,6}})\b", css):
            found[name] = _six_digits(match[1])
    return found if len(found) == len(names) else {}


# -- [[menu]] ------------------------------------------------------------------------------------


def read_menu(value: Any, text: str, error: Report) -> tuple[MenuLink, ...]:
    """``[[menu]]`` entries, each with a ``label``, a ``url`` (a site path or an http(s)
    URL) and an optional whole-number ``weight``, in menu order: lighter first, ties as written."""
    starts = [n for n, row in enumerate(text.splitlines(), 1) if _MENU_HEADER.match(row)]
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        line = starts[0] if starts else _first_line(text, "menu")
        error(
            line,
            'menu must be [[menu]] tables, each with a label and a url: label = "About", url = "/about/"',
        )
        return ()
    links = []
    for number, entry in enumerate(value):
        line = starts[number] if number < len(starts) else _first_line(text, "menu")
        if (link := _menu_link(entry, line, error)) is not None:
            links.append(link)
    return tuple(sorted(links, key=lambda link: link.weight))


_MENU_HEADER = re.compile(r"\s*\[\[\s*\"?menu\"?\s*\]\]")
_MENU_KEYS = ("label", "url", "weight")


def _menu_link(entry: Mapping[str, Any], line: int, error: Report) -> MenuLink | None:
    """One ``[[menu]]`` entry, or None when it is reported as wrong."""
    wrong: list[str] = []
    for key in sorted(set(entry) - set(_MENU_KEYS)):
        wrong.append(f"[[menu]] has an unknown key '{key}' (one of: {', '.join(_MENU_KEYS)})")
    label, url, weight = entry.get("label"), entry.get("url"), entry.get("weight", 0)
    if not isinstance(label, str) or not label.strip():
        wrong.append("[[menu]] needs a 'label': the text of the link")
    if not isinstance(url, str):
        wrong.append("[[menu]] needs a 'url': a site path such as \"/about/\" or an http(s) URL")
    elif problem := menu_url_problem(url):
        wrong.append(f"[[menu]] 'url' {url!r} {problem}")
    if not isinstance(weight, int) or isinstance(weight, bool):
        wrong.append(f"[[menu]] 'weight' must be a whole number, not {weight!r}")
    for message in wrong:
        error(line, message)
    if wrong:
        return None
    return MenuLink(" ".join(label.split()), url.strip(), weight, line)


def menu_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a menu link, or None: a site path or an http(s) URL it must be."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    if url.startswith("/") and not url.startswith("//") and not parts.scheme:
        if any(segment in (".", "..") for segment in parts.path.split("/")) or "\\" in url:
            return "may not hold '.' or '..' parts, or a backslash"
        return None
    return 'must be a site path such as "/about/" or an http(s) URL'


def _first_line(text: str, key: str) -> int:
    return next((n for n, row in enumerate(text.splitlines(), 1) if key in row), 1)


# -- dateline theme copy -------------------------------------------------------------------------


def theme_files(theme: Path) -> list[str]:
    """Every file of the theme, as paths under it: ``article.html``, ``static/style.css``."""
    return sorted(
        path.relative_to(theme).as_posix()
        for path in theme.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")
    )


def copy(theme: Path, templates: Path, name: str) -> Path:
    """Copy the theme's file ``name`` into the site's ``templates`` folder, where it overrides
    the theme's. A file the theme does not have, or the site already has, is an error."""
    wanted = PurePosixPath(name.replace("\\", "/")).as_posix().removeprefix("templates/")
    files = theme_files(theme)
    if wanted not in files:
        raise DatelineError(f"the theme has no file '{name}'; it has:\n  " + "\n  ".join(files))
    target = templates / wanted
    if target.exists() or target.is_symlink():
        raise DatelineError(f"{target} exists; not overwritten (remove it first to start again)")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(theme / wanted, target)
    return target
