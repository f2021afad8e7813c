"""A site written into a temporary folder, built, and its output read back."""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import pytest
from lxml import html

from generator.config import load_config
from generator.engine.build import Report, build
from generator.errors import BuildFailed

from .clock import NOW


def article(title: str = "A title", date: str = "2024-08-31", body: str = "Body text.", **fields: str) -> str:
    """An article file's text; extra fields are YAML lines written as given, the body is dedented."""
    lines = [f"title: {title}", f"date: {date}"] + [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body)


def write_site(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root``; returns ``root``."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def build_site(site: Path, now: datetime = NOW, **overrides: object) -> Report:
    return build(load_config(site, **overrides), now=now)


def build_errors(site: Path, **overrides: object) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build_site(site, **overrides)
    return [str(error) for error in failed.value.errors]


def page(site: Path, url: str) -> html.HtmlElement:
    """The built page at a site URL, parsed."""
    relative = url.strip("/")
    path = site / "output" / relative / "index.html" if url.endswith("/") else site / "output" / relative
    return html.fromstring(path.read_bytes())


def links(tree: html.HtmlElement) -> list[str]:
    return [a.get("href") for a in tree.iter("a")]


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: equal results, equal trees."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its content hash and mtime: equal digests, equal trees."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() + f"@{p.stat().st_mtime_ns}"
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
