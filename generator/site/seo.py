"""What search engines and link previews read: schema.org ``NewsArticle`` data for articles.

The head tags themselves live in ``templates/_head.html``; this module builds the one value
that is awkward to write in a template, the JSON-LD object, as plain data for ``tojson``.
"""

from __future__ import annotations

from typing import Any

from generator.content.model import Article
from generator.site.taxonomy import Region, Site
from generator.urls import absolute_url


def news_article(article: Article, site: Site) -> dict[str, Any]:
    """A schema.org ``NewsArticle`` for ``article``, with absolute URLs."""
    config = site.config
    url = absolute_url(config, article.url)
    regions = site.regions_of(article)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "inLanguage": config.language,
        "wordCount": article.word_count,
        "publisher": {"@type": "Organization", "name": config.title, "url": absolute_url(config, "/")},
    }
    if article.summary:
        data["description"] = article.summary
    authors = site.authors_of(article)
    if authors:
        data["author"] = [
            {"@type": "Person", "name": a.name, "url": absolute_url(config, a.url)} for a in authors
        ]
    else:  # Google wants an author; the publication stands in for an unsigned article
        data["author"] = {"@type": "Organization", "name": config.title}
    if regions:
        data["dateline"] = dateline(site, regions[0])
        places = [place(site, region) for region in regions]
        data["contentLocation"] = places[0] if len(places) == 1 else places
        data["articleSection"] = site.breadcrumbs(regions[0])[0].name
    if article.corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": note.text, "datePublished": note.date.isoformat()}
            for note in article.corrections
        ]
    tags = site.tags_of(article)
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if article.lead_image is not None:
        data["image"] = [absolute_url(config, article.lead_image.src)]
    return data


def dateline(site: Site, region: Region) -> str:
    """Where a story was filed, the way a dateline reads: ``Anbar, Iraq``."""
    names = [step.name for step in site.breadcrumbs(region)]
    return ", ".join(reversed(names[-2:]))


def place(site: Site, region: Region) -> dict[str, Any]:
    """A schema.org ``Place`` nested in its parent regions."""
    data: dict[str, Any] = {"@type": "Place", "name": region.name}
    if region.parent is not None:
        data["containedInPlace"] = place(site, site.regions[region.parent])
    return data
