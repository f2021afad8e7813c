"""A small archive of three articles under one base URL, written into a temporary folder, for
the feeds, SEO and search tests."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from generator.config import Config, load_config
from generator.engine.build import build

from .clock import NOW
from .site import write_site

SETTINGS = (
    'title = "Wire Archive"\ndescription = "News by region"\nbase_url = "https://news.example/archive/"\n'
)

ARTICLES = {
    "content/2024/raid.md": """\
        ---
        title: "Forces raid desert hideouts"
        date: 2024-08-31T09:00:00+03:00
        updated: 2024-09-02T12:00:00+03:00
        region: middle-east/iraq/anbar
        tags: [isis, airstrikes]
        author: Jane Doe
        summary: "Forces raided hideouts in the Anbar desert."
        ---

        Forces raided **hideouts** in the desert. See the [earlier report](/2023/05/01/floods-close-the-port/)
        and the [map](../maps/anbar/).

        ![A convoy](/images/convoy.jpg)
        """,
    "content/2023/floods.md": """\
        ---
        title: "Floods close the port"
        date: 2023-05-01T08:00:00+02:00
        region: europe/italy
        tags: [floods, ports]
        author: Marco Rossi
        ---

        Heavy rain flooded the harbour and closed the port to shipping for a week.
        """,
    "content/2022/election.md": """\
        ---
        title: "Voters return the coalition"
        date: 2022-10-09T20:00:00Z
        region: europe/sweden
        tags: [elections]
        ---

        The coalition kept its majority after a long count of postal ballots.
        """,
}


def write_wire_archive(root: Path, files: dict[str, str] | None = None, settings: str = "") -> Path:
    """The site folder ``root/site``: ``files`` (default: ARTICLES) and the archive's settings
    followed by ``settings``, all dedented."""
    written = {name: dedent(text) for name, text in (ARTICLES if files is None else files).items()}
    return write_site(root / "site", {**written, "site.toml": SETTINGS + dedent(settings)})


def config_for(site: Path, **overrides) -> Config:
    overrides.setdefault("search", False)  # only the search tests need the index
    return load_config(site, **overrides)


def build_wire_archive(
    root: Path, files: dict[str, str] | None = None, settings: str = "", **overrides
) -> Path:
    """Build the archive ``write_wire_archive`` writes; returns its output folder."""
    config = config_for(write_wire_archive(root, files, settings), **overrides)
    build(config, now=NOW)
    return config.out_dir
