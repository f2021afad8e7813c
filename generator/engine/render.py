"""Render pages with Jinja: the environment, its filters, and one page to bytes."""

from __future__ import annotations

import difflib
import os
import re
import traceback
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2
from markupsafe import Markup

from generator import i18n
from generator.config import Config, template_dirs, theme_dir
from generator.content import sources
from generator.content.model import Article
from generator.errors import ContentError
from generator.site import kinds, timeline
from generator.site.feeds import json_feed_text
from generator.site.pages import Page
from generator.site.search import filters
from generator.site.seo import news_article
from generator.site.taxonomy import Site
from generator.urls import absolute_url, site_url

#: Names the theme's template over the site's of the same name: ``theme/article.html``.
THEME_PREFIX = "theme"


class TemplateLoader(jinja2.FileSystemLoader):
    """The site's templates over the theme's, file by file, reading only the files
    ``sources.find_templates`` lists: a symlink that leads out of the site folder is skipped
    (the build warns), and the theme's template of that name is used instead. ``theme/NAME``
    is the theme's own, so a site's ``article.html`` can extend ``theme/article.html`` and
    change one block of it."""

    def __init__(self, config: Config) -> None:
        super().__init__(template_dirs(config))
        self.listed = {str(path) for path in sources.find_templates(config)[0]}
        self.theme = str(theme_dir())

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        folders = self.searchpath
        if pieces[:1] == [THEME_PREFIX] and len(pieces) > 1:
            folders, pieces = [self.theme], pieces[1:]
        for folder in folders:
            filename = os.path.join(folder, *pieces)
            if filename in self.listed:
                with open(filename, encoding=self.encoding) as file:
                    # Never reloaded (auto_reload is off): an edit makes a new environment.
                    return file.read(), os.path.normpath(filename), lambda: True
        raise jinja2.TemplateNotFound(template)


class ReadingEnvironment(jinja2.Environment):
    """An environment that notes which articles a page reads while it renders.

    A site's own templates may show anything of any article; rather than re-render every
    page whenever any article changes, a build notes the articles each page read (any
    attribute of an Article, in a template or through ``card``, ``news_article`` and
    ``search_filters``), and the next build renders a page again when one of them changed
    (see incremental.py). Everything else a page can show comes from the settings, the
    templates and where articles are filed, which the fingerprints already cover.
    """

    reads: set[str] | None = None  # URLs of the articles read by the page being rendered

    def note(self, article: Article) -> None:
        if self.reads is not None:
            self.reads.add(article.url)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is Article and self.reads is not None:
            self.reads.add(obj.url)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) is Article and self.reads is not None:
            self.reads.add(obj.url)
        return super().getitem(obj, argument)


def environment(
    config: Config, bytecode_dir: Path | None = None, note_reads: bool = False
) -> jinja2.Environment:
    """The template environment of one build: templates are read once (a build never sees
    them change), and compiled templates are kept in ``bytecode_dir`` for the next build.
    With ``note_reads``, a ReadingEnvironment."""
    kind = ReadingEnvironment if note_reads else jinja2.Environment
    env = kind(
        loader=TemplateLoader(config),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # else every page rendered stats every template it uses
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
        autoescape=True,  # every extension, .txt and .xml too: front matter is never markup
        undefined=_Undefined,  # a typo in a template is an error, not empty text
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["url"] = lambda path: site_url(config, path)
    env.filters["absolute_url"] = lambda path: absolute_url(config, path)
    env.filters["isodate"] = lambda value: value.isoformat()
    env.filters["direction"] = i18n.direction
    catalogues = i18n.Catalogues(template_dirs(config))
    language = _install_gettext(env, catalogues)

    @jinja2.pass_context
    def chart(context: jinja2.runtime.Context, periods: Any, year: int | None = None) -> Markup:
        # The archive timeline is computed in Python (site/timeline.py), not in Jinja.
        code = language(context)
        link = partial(site_url, config)
        return Markup(timeline.chart(timeline.by_parts(periods), year, link, code, catalogues(code)))

    env.globals["timeline"] = chart

    def reading(function: Any) -> Any:
        if not isinstance(env, ReadingEnvironment):
            return function

        def read(article: Article, *args: Any) -> Any:
            env.note(article)
            return function(article, *args)

        return read

    env.globals.update(
        feed_of=kinds.feed_of,
        card=_Cards(env),
        news_article=reading(news_article),
        search_filters=reading(filters),
        json_feed=lambda feed, url: Markup(json_feed_text(feed, url)),
    )
    return env


class _Cards:
    """An article's entry in listings (``_card.html``), rendered once per build: an article
    is listed a dozen times (home, its tags, regions and dates) and identically each time.
    In a ReadingEnvironment each page using a card is noted as reading what the card read."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.build: object = None
        self.made: dict[tuple[str, str], tuple[Markup, frozenset[str]]] = {}

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, article: Any, heading: str = "h3") -> Markup:
        site = context["site"]
        build = site.languages or site  # the sites of one build's languages share their tuple
        if build is not self.build:  # a new build
            self.build, self.made = build, {}
        key = (article.url, heading)
        if (made := self.made.get(key)) is None:
            made = self.made[key] = self._make(article, heading, site)
        if isinstance(self.env, ReadingEnvironment) and self.env.reads is not None:
            self.env.reads |= made[1]
        return made[0]

    def _make(self, article: Any, heading: str, site: Site) -> tuple[Markup, frozenset[str]]:
        """The card and the articles it read."""
        values = {"article": article, "heading": heading, "site": site, "config": site.config}
        template = self.env.get_template("_card.html")
        if not isinstance(self.env, ReadingEnvironment) or self.env.reads is None:
            return Markup(template.render(values)), frozenset()
        page_reads, self.env.reads = self.env.reads, {article.url}
        try:
            return Markup(template.render(values)), frozenset(self.env.reads)
        finally:
            self.env.reads = page_reads


def _install_gettext(
    env: jinja2.Environment, catalogues: i18n.Catalogues
) -> Callable[[jinja2.runtime.Context], str]:
    """``_()``, ``{% trans %}``, the ``date`` filter, ``list_separator`` and ``day_month`` in
    the language of the page rendered: one environment renders the pages of every language of
    a site, so the catalogue is looked up for each page (``config`` is its language's
    settings). Returns how the language of a page is found."""

    def language(context: jinja2.runtime.Context) -> str:
        # A macro imported without context has no ``config``: it writes the theme's English.
        config = context.get("config")
        return config.language if isinstance(config, Config) else "en"

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str) -> str:
        return catalogues(language(context)).gettext(message)

    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
        return catalogues(language(context)).ngettext(singular, plural, n)

    @jinja2.pass_context
    def pgettext(context: jinja2.runtime.Context, where: str, message: str) -> str:
        return catalogues(language(context)).pgettext(where, message)

    @jinja2.pass_context
    def npgettext(context: jinja2.runtime.Context, where: str, singular: str, plural: str, n: int) -> str:
        return catalogues(language(context)).npgettext(where, singular, plural, n)

    @jinja2.pass_context
    def date_filter(context: jinja2.runtime.Context, value: date | datetime, style: str = "long") -> str:
        return i18n.format_date(value, style, language(context))

    @jinja2.pass_context
    def list_separator(context: jinja2.runtime.Context, position: int, length: int) -> str:
        return i18n.list_separator(position, length, language(context))

    @jinja2.pass_context
    def day_month(context: jinja2.runtime.Context, month: int, day: int) -> str:
        return i18n.day_month(month, day, language(context))

    @jinja2.pass_context
    def word_space(context: jinja2.runtime.Context) -> str:
        return i18n.word_space(language(context))

    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    # {% trans %} blocks span lines in templates; their messages should not.
    env.policies["ext.i18n.trimmed"] = True
    env.filters["date"] = date_filter
    env.globals.update(list_separator=list_separator, day_month=day_month, word_space=word_space)
    return language


def render(page: Page, env: jinja2.Environment, site: Site) -> bytes:
    """One page to bytes; a template problem is reported at its template file and line."""
    values = {"page": page, "site": site, "config": site.config, **kinds.shared(site), **page.context}
    try:
        template = env.get_template(page.template)
        return template.render(values).encode()
    except jinja2.TemplateError as error:
        raise _template_error(error, page, [*values, *env.globals]) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, RecursionError) as error:
        # Raised by the template's own expressions ({{ 1 / 0 }}, a bad filter argument, a
        # template that includes itself): still the template's fault, so still reported at its
        # file and line, not as a crash.
        raise _template_error(error, page, [*values, *env.globals]) from None


def render_reading(page: Page, env: ReadingEnvironment, site: Site) -> tuple[bytes, set[str]]:
    """``render`` with the URLs of the articles the page read."""
    env.reads = set()
    try:
        return render(page, env, site), env.reads
    finally:
        env.reads = None


def _template_error(error: Exception, page: Page, names: list[str]) -> ContentError:
    """``error`` at the template file and line that raised it; ``names``: those the page's
    templates are given, to suggest one for a name that is undefined."""
    path, line = Path(page.template), 1
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        path, line = Path(error.filename), error.lineno or 1
    else:  # Jinja rewrites tracebacks so template frames point at template lines
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith((".html", ".xml", ".txt", ".json")):
                path, line = Path(frame.filename), frame.lineno or 1
                break
    if isinstance(error, Missing):
        message = error.explain(_source_line(path, line), names)
    elif isinstance(error, jinja2.TemplateError):
        message = error.message or type(error).__name__
    elif isinstance(error, RecursionError):
        message = "RecursionError: templates include, extend or call one another without end"
    else:
        message = f"{type(error).__name__}: {error}"
    return ContentError(path, line, message, page.url)


# -- undefined values, in the template's own terms -------------------------------------------------

#: The names templates know Dateline's objects by, for a message about one of them that
#: cannot be placed in the template's text: ``config.titel``, not ``generator.config.Config``.
TEMPLATE_NAMES = MappingProxyType(
    {
        "Config": "config",
        "Site": "site",
        "Article": "article",
        "Page": "page",
        "Term": "term",
        "Region": "region",
        "Period": "period",
        "Pagination": "pagination",
        "Overview": "overview",
        "MenuItem": "item",
    }
)


class Missing(jinja2.UndefinedError):
    """An undefined name, attribute or item, with the object it was asked of."""

    def __init__(self, message: str, owner: Any, name: Any) -> None:
        super().__init__(message)
        self.owner = owner
        self.name = name

    def explain(self, source: str, names: list[str]) -> str:
        """What is undefined as the template wrote it (``config.titel``, read from the
        template's ``source`` line where it can be found), and the closest name it has."""
        if self.owner is jinja2.runtime.missing:  # a variable: suggested from those given
            return _suggesting(str(self.message), repr(self.name), names, repr, cutoff=0.75)
        if not isinstance(self.name, str):
            return str(self.message)
        written = _written(source, self.name) or _known_name(self.owner)
        if written is None:
            return _suggesting(str(self.message), repr(self.name), _names_of(self.owner), repr)
        receiver, style = written

        def spell(name: str) -> str:
            return f'{receiver}["{name}"]' if style == "item" else f"{receiver}.{name}"

        return _suggesting(f"{spell(self.name)} is undefined", self.name, _names_of(self.owner), spell)


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined raising ``Missing``, which remembers what was asked of what."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = jinja2.runtime.missing,
        name: str | None = None,
        exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError,
    ) -> None:
        if exc is jinja2.UndefinedError:
            exc = partial(Missing, owner=obj, name=name)  # type: ignore[assignment]
        super().__init__(hint, obj, name, exc)


def _source_line(path: Path, line: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _written(source: str, name: str) -> tuple[str, str] | None:
    """Where a template line asks for ``name`` of something: the expression asked
    (``site.config``) and how (``attribute`` or ``item``); None unless exactly one is found."""
    attribute = re.compile(rf"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\.\s*{re.escape(name)}\b")
    item = re.compile(rf"""([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\[\s*["']{re.escape(name)}["']\s*\]""")
    found = {(m, "attribute") for m in attribute.findall(source)} | {
        (m, "item") for m in item.findall(source)
    }
    return found.pop() if len(found) == 1 else None


def _known_name(owner: Any) -> tuple[str, str] | None:
    """The name templates give a Dateline object (``config``), when the line does not say."""
    kind = type(owner)
    if kind.__module__.startswith("generator.") and kind.__name__ in TEMPLATE_NAMES:
        return TEMPLATE_NAMES[kind.__name__], "attribute"
    return None


def _names_of(owner: Any) -> list[str]:
    """The names a template may ask of ``owner``: a mapping's keys, the public attributes of
    one of Dateline's objects; none of anything else (a string's methods help nobody)."""
    if isinstance(owner, Mapping):
        return [key for key in owner if isinstance(key, str)]
    if type(owner).__module__.startswith("generator."):
        return [name for name in dir(owner) if not name.startswith("_")]
    return []


def _suggesting(
    message: str, name: str, candidates: list[str], spell: Callable[[str], str], cutoff: float = 0.6
) -> str:
    """``message``, with "did you mean" the candidate closest to ``name``, if one is close.
    Variables are few and unlike one another, so one must be closer to be meant."""
    close = difflib.get_close_matches(name.strip("'"), candidates, n=1, cutoff=cutoff)
    return f"{message}; did you mean {spell(close[0])}?" if close else message
