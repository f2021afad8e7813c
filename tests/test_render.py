"""Rendering on its own: one planned page through the site's templates to bytes."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
from support.clock import NOW
from support.site import write_site

from generator.config import load_config
from generator.engine import render
from generator.errors import ContentError
from generator.site import taxonomy
from generator.site.pages import Kind, Page


def _rendered(tmp_path: Path, template: str, page: Page) -> bytes:
    site_dir = write_site(tmp_path, {"site.toml": 'title = "Desk"\n', "templates/one.html": template})
    config = load_config(site_dir)
    site = taxonomy.index((), config, NOW)
    return render.render(page, render.environment(config), site)


def test_a_page_gets_its_context_and_what_every_page_is_given(tmp_path: Path) -> None:
    page = Page("/x/", "one.html", Kind.NOT_FOUND, "X", MappingProxyType({"note": "<b>"}))
    shown = _rendered(
        tmp_path, "{{ page.title }} {{ note }} {{ menu | map(attribute='label') | join(',') }}", page
    )
    assert shown == b"X &lt;b&gt; Latest,Regions,Tags,Archive,Search"


def test_a_template_error_names_its_line_and_the_page_being_rendered(tmp_path: Path) -> None:
    page = Page("/x/", "one.html", Kind.NOT_FOUND, "X")
    with pytest.raises(ContentError) as raised:
        _rendered(tmp_path, "line one\n{{ config.titel }}\n", page)
    assert raised.value.line == 2 and raised.value.page == "/x/"
    assert str(raised.value).endswith("(while rendering /x/)")
