"""The archive the theme tests check: generated articles plus the cases the theme draws
specially (an update, a correction, code, a table), and one URL for every page kind."""

from __future__ import annotations

from pathlib import Path

from generator.config import load_config
from generator.engine.build import prepare

from .cli import generate_corpus
from .clock import NOW
from .site import article, build_site, write_site

SPECIAL = {
    "content/2024/corrected.md": article(
        "Officials revise casualty figures after the Anbar raid",
        date="2024-09-02T10:00:00+03:00",
        updated="2024-09-03T08:30:00+03:00",
        correction='"An earlier version gave the number of injured troops as five."',
        region="middle-east/iraq/anbar",
        tags="[isis, us-military]",
        author="Staff reporter",
        summary='"The defence ministry revised its figures on Tuesday."',
        body="""
        The ministry said the figures had been revised.

        ## Figures

        | Day | Injured |
        | --- | ------- |
        | Thursday | 5 |
        | Saturday | 7 |

        > "We regret the error," a spokesman said.

        ```python
        # Figures as filed, then as corrected.
        def injured(day: str) -> int:
            return {"Thursday": 5, "Saturday": 7}.get(day, 0) if day else None
        print(f"filed {injured('Saturday')!r}", 3.5, True)
        ```
        """,
    ),
}


def build_theme_archive(site: Path, count: int = 50) -> dict[str, str]:
    """Build ``count`` generated articles plus SPECIAL into ``site``; returns, for every page
    kind, the URL of its first page (the article kind gets the corrected article)."""
    generate_corpus(site / "content", count)
    write_site(site, SPECIAL)
    write_site(site, {"site.toml": 'title = "Test Archive"\ndescription = "A generated archive."\n'})
    build_site(site, per_page=10)
    _, plan, _ = prepare(load_config(site, per_page=10), NOW, lambda stage, total: lambda: None)
    kinds: dict[str, str] = {}
    for page in plan:
        kinds.setdefault(page.kind, page.url)
    kinds["article"] = "/2024/09/02/officials-revise-casualty-figures-after-the-anbar-raid/"
    return kinds
