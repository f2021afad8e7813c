"""Small archives written into a temporary folder, for the feeds, SEO and search tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from textwrap import dedent

from generator.config import Config, load_config
from generator.engine.build import build

NOW = datetime(2025, 1, 1, tzinfo=UTC)

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


def write_site(root: Path, files: dict[str, str] | None = None, settings: str = "") -> Path:
    """A site folder holding ``files`` (default: three articles) and ``site.toml``."""
    site = root / "site"
    for name, text in (ARTICLES if files is None else files).items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    base = (
        'title = "Wire Archive"\ndescription = "News by region"\nbase_url = "https://news.example/archive/"\n'
    )
    (site / "site.toml").write_text(base + dedent(settings), encoding="utf-8")
    return site


def config_for(site: Path, **overrides) -> Config:
    overrides.setdefault("search", False)  # only the search tests need the index
    return load_config(site, **overrides)


def build_site(root: Path, files: dict[str, str] | None = None, settings: str = "", **overrides) -> Path:
    """Build a site and return its output folder."""
    config = config_for(write_site(root, files, settings), **overrides)
    build(config, now=NOW)
    return config.out_dir
