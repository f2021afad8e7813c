"""The archive the theme tests check: generated articles and running stories plus the cases
the theme draws specially (an update, a correction, code, a table), and one URL for every page
kind."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

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
        updates='[{date: "2024-09-03T08:30:00+03:00", text: "Adds the ministry\'s statement."}]',
        region="middle-east/iraq/anbar",
        tags="[isis, us-military]",
        author="Staff reporter",
        summary='"The defence ministry revised its figures on Tuesday."',
        image="/images/anbar.jpg",
        image_alt="Armoured vehicles on a desert road at dusk",
        image_caption="A convoy leaves the base near Ramadi.",
        image_credit="Staff photographer",
        body="""
        The ministry said the figures had been revised.

        ![Soldiers at a checkpoint outside Ramadi](/images/checkpoint.jpg)
        *A checkpoint outside Ramadi on Monday. Photo: Staff photographer*

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
    # A standalone page (page.html), in the menu from its front matter.
    "content/pages/about.md": """---
title: About this archive
summary: Who files these reports, and how to reach the desk.
menu: About
---

The archive is kept by the **desk**. Write to [the editors](/archive/) with corrections.

## Corrections

We correct errors as soon as we learn of them.
""",
}


#: A year before the build's clock (NOW, 1 January 2026): the home page shows it "on this day".
A_YEAR_AGO = {
    "content/2025/new-year.md": article("Ferry service resumes for the new year", date="2025-01-01"),
}


#: Built with drafts, as a preview shows them: badged in their pages and listings.
UNPUBLISHED = {
    "content/2024/draft.md": article("Ministry weighs a new inquiry", date="2024-09-03", draft="true"),
    "content/2026/scheduled.md": article(
        "Inquiry opens",
        date="2026-03-01",
        region="middle-east/iraq",
        image="/images/anbar.jpg",
        image_alt="A convoy",
    ),
}


def _picture(width: int, height: int) -> bytes:
    data = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(data, "JPEG")
    return data.getvalue()


#: The lead image and the figure of the corrected article: a card with a thumbnail on the
#: first page of the home listing (the scheduled article's) and the listings of its tags.
PICTURES = {
    "static/images/anbar.jpg": _picture(1600, 900),
    "static/images/checkpoint.jpg": _picture(1200, 800),
}


def build_theme_archive(site: Path, count: int = 50) -> dict[str, str]:
    """Build ``count`` generated articles, two running stories and SPECIAL into ``site``;
    returns, for every page kind, the URL of its first page (the article kind gets the
    corrected article, ``story-article`` an article in the middle of a story and
    ``draft-article`` a draft: the archive is built with drafts, see UNPUBLISHED; ``page`` is
    /about/)."""
    generate_corpus(site / "content", count, stories=2)
    write_site(site, SPECIAL | UNPUBLISHED | PICTURES | A_YEAR_AGO)
    write_site(site, {"site.toml": 'title = "Test Archive"\ndescription = "A generated archive."\n'})
    build_site(site, per_page=10, drafts=True)
    config = load_config(site, per_page=10, drafts=True)
    built, plan, _ = prepare(config, NOW, lambda stage, total: lambda: None)
    kinds: dict[str, str] = {}
    for page in plan:
        kinds.setdefault(page.kind, page.url)
    kinds["article"] = "/2024/09/02/officials-revise-casualty-figures-after-the-anbar-raid/"
    kinds["draft-article"] = "/2024/09/03/ministry-weighs-a-new-inquiry/"
    kinds["numbered-page"] = "/page/2/"  # a listing's numbered page, with its pager both ways
    middles = (url for url, part in built.story_parts.items() if part.previous and part.next)
    kinds["story-article"] = next(middles)
    return kinds
