"""``dateline import``: a Jekyll or Hugo site's settings become site.toml, and building the
site gives every article the URL its old generator gave it (worked out by hand below, from
Jekyll's and Hugo's rules)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml
from support.cli import run_cli
from support.site import build_site, page, write_site

from generator.config import load_config
from generator.importer import read_site, site_toml, write_settings


def post(title: str, *lines: str) -> str:
    return "---\n" + "\n".join([f"title: {title}", *lines]) + "\n---\n\nThe story.\n"


def imported(site: Path, *args: str) -> str:
    """Import the site's own settings into its site.toml; the command's output."""
    result = run_cli("import", str(site), "--site", str(site), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def built(site: Path) -> set[str]:
    build_site(site, search=False)
    return {p.relative_to(site / "output").as_posix() for p in (site / "output").rglob("*") if p.is_file()}


JEKYLL_CONFIG = """\
title: The Valley Courier
description: "News from the valley: floods, ports and councils"
url: https://example.org
baseurl: /courier
timezone: America/New_York
permalink: /:year/:month/:day/:title.html
paginate: 5
plugins: [jekyll-feed, jekyll-sitemap]
kramdown:
  input: GFM
"""


def test_an_imported_jekyll_site_builds_every_old_article_url(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "_config.yml": JEKYLL_CONFIG,
            # Filed at 02:30 in Paris: 20:30 the day before in New York, the day Jekyll dates it by.
            "content/_posts/2024-03-05-Floods-Close-The-Port.md": post(
                "Floods", "date: 2024-03-06 02:30:00 +0100"
            ),
            "content/_posts/2024-03-07-port-reopens.md": post("Port reopens", "slug: harbour-reopens"),
            "content/_posts/2024-03-08-u.s.-aid-arrives.md": post("U.S. aid arrives"),
            "content/_posts/2024-03-09-election.md": post("Election night", "permalink: /special/:title/"),
        },
    )
    imported(site)
    assert {
        "2024/03/05/Floods-Close-The-Port.html",  # :title keeps the file name's capitals
        "2024/03/07/harbour-reopens.html",  # a slug in front matter is the title's
        "2024/03/08/u.s.-aid-arrives.html",  # and its dots
        "special/election/index.html",  # the post's own permalink
    } <= built(site)


def test_jekyll_settings_carry_over(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"_config.yml": JEKYLL_CONFIG})
    imported(site)
    settings = tomllib.loads((site / "site.toml").read_text())
    assert settings == {
        "title": "The Valley Courier",
        "description": "News from the valley: floods, ports and councils",
        "base_url": "https://example.org/courier/",
        "timezone": "America/New_York",
        "archive_day": "site",
        "per_page": 5,
        "tag_keys": ["tags", "tag", "categories", "category"],
        "permalinks": {"article": "/{year}/{month}/{day}/{title}.html", "slugs": "jekyll"},
    }


def test_jekylls_default_style_puts_categories_first_and_ends_in_html(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "_config.yml": "title: Courier\n",
            "content/world/_posts/2024-03-10-Summit-Opens.md": post("Summit", "categories: [Europe, Talks]"),
            "content/_posts/2024-03-11-calm.md": post("Calm"),
        },
    )
    imported(site)
    assert {"world/europe/talks/2024/03/10/Summit-Opens.html", "2024/03/11/calm.html"} <= built(site)


def test_a_jekyll_collection_permalink_wins_over_the_sites(tmp_path: Path) -> None:
    config = "permalink: /:year/:title.html\ncollections:\n  posts:\n    permalink: /news/:year/:month/:day/:title/\n"
    site = write_site(
        tmp_path,
        {"_config.yml": config, "content/_posts/2024-03-10-summit.md": post("Summit")},
    )
    imported(site)
    assert "news/2024/03/10/summit/index.html" in built(site)


HUGO_CONFIG = """\
baseURL = "https://example.org/courier/"
title = "Valley Courier"
languageCode = "en-us"
timeZone = "Europe/Berlin"
enableEmoji = true

[permalinks]
posts = "/:year/:month/:slug/"
pages = "/:slug/"

[taxonomies]
tag = "tags"
category = "categories"

[params]
description = "News from the valley"
logo = "logo.png"
"""

HUGO_POSTS = {
    "content/posts/_index.md": "---\ntitle: Posts\n---\n",
    # As written: 23:30 on 31 March in New York is 1 April in Berlin; Hugo dates it by March.
    "content/posts/floods.md": post("Floods Close the Port", "date: 2024-03-31T23:30:00-05:00"),
    "content/posts/aid.md": post('"U.S. Aid Arrives: Día Uno"', "date: 2024-04-02T10:00:00+02:00"),
    "content/posts/harbour/index.md": post(
        "The Harbour", "slug: Harbour Reopens", "date: 2024-04-30T23:30:00"
    ),
    "content/posts/election.md": post("Election Night", "date: 2024-05-01", "url: /special/election-night/"),
    "content/posts/2024-05-02-council-votes.md": post("Council Votes on the Budget", "date: 2024-05-02"),
}


def test_an_imported_hugo_site_builds_every_old_article_url(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": HUGO_CONFIG, **HUGO_POSTS})
    imported(site)
    assert {
        "2024/03/floods-close-the-port/index.html",
        "2024/04/u.s.-aid-arrives-día-uno/index.html",  # Hugo keeps dots and accents
        "2024/04/harbour-reopens/index.html",  # a page bundle, its slug urlized
        "special/election-night/index.html",  # its own url
        "2024/05/council-votes-on-the-budget/index.html",  # from the title, not the file name
    } <= built(site)


def test_hugo_settings_carry_over(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": HUGO_CONFIG, **HUGO_POSTS})
    imported(site)
    settings = tomllib.loads((site / "site.toml").read_text())
    assert settings == {
        "title": "Valley Courier",
        "description": "News from the valley",
        "base_url": "https://example.org/courier/",
        "language": "en-us",
        "timezone": "Europe/Berlin",
        "tag_keys": ["tags", "categories"],
        "permalinks": {"article": "/{year}/{month}/{slug}/", "slugs": "hugo"},
    }


def test_import_lists_what_it_could_not_carry_over(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": HUGO_CONFIG, **HUGO_POSTS})
    output = imported(site)
    assert "Not carried over (4 settings):" in output
    assert "  permalinks.pages: only the posts section is read, as articles (" in output
    assert "  categories: read as tags: its pages /categories/NAME/ are now /tags/NAME/" not in output
    assert "  taxonomies.categories: read as tags: its pages /categories/NAME/ are now /tags/NAME/" in output
    assert "  enableEmoji: Dateline renders Markdown itself" in output
    assert "  params: a theme setting" in output


def test_hugo_ugly_urls_become_html_files(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": "uglyURLs = true\n" + HUGO_CONFIG, **HUGO_POSTS})
    imported(site)
    assert {"2024/03/floods-close-the-port.html", "2024/04/harbour-reopens.html"} <= built(site)


def test_a_hugo_section_without_a_permalink_keeps_hugos_own_urls(tmp_path: Path) -> None:
    files = {
        "hugo.toml": 'title = "Courier"\n',
        **HUGO_POSTS,
        "content/posts/2024/deep/Deep-One.md": post("Deep Story", "date: 2024-05-03"),
    }
    site = write_site(tmp_path, files)
    imported(site)
    assert {
        "posts/floods/index.html",
        "posts/aid/index.html",
        "posts/harbour-reopens/index.html",
        "posts/2024-05-02-council-votes/index.html",
        "posts/2024/deep/deep-one/index.html",
    } <= built(site)


def test_hugos_config_folder_is_read(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "config/_default/hugo.yaml": "title: Courier\nbaseURL: https://example.org/\n",
            "config/_default/permalinks.toml": 'news = ":year/:slug/"\n',
            "config/_default/params.toml": 'description = "From the folder"\nmainSections = ["news"]\n',
            "config/_default/taxonomies.toml": 'topic = "topics"\nplace = "places"\nwriter = "writers"\n',
        },
    )
    result = read_site(site)
    assert result.settings == {
        "title": "Courier",
        "description": "From the folder",
        "base_url": "https://example.org/",
        "tag_keys": ["topics"],
        "region_keys": ["places"],
        "author_keys": ["author", "authors", "by", "writers"],
    }
    assert result.permalinks == {"tag": "/topics/{slug}/", "article": "/{year}/{slug}/", "slugs": "hugo"}


def test_the_section_can_be_named(tmp_path: Path) -> None:
    config = '[permalinks]\nposts = "/:year/:slug/"\nnews = "/news/:slug/"\n'
    site = write_site(tmp_path, {"hugo.toml": config, **HUGO_POSTS})
    assert read_site(site).permalinks["article"] == "/{year}/{slug}/"
    assert read_site(site, section="news").permalinks["article"] == "/news/{slug}/"


def test_an_existing_site_toml_is_kept_without_force(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": HUGO_CONFIG, "site.toml": 'title = "Mine"\n'})
    result = run_cli("import", str(site), "--site", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"{site / 'site.toml'}:1: already exists; dateline import --force replaces it"
    )
    assert (site / "site.toml").read_text() == 'title = "Mine"\n'
    assert run_cli("import", str(site), "--site", str(site), "--force").returncode == 0
    assert "Valley Courier" in (site / "site.toml").read_text()


def test_bad_settings_are_reported_at_their_line(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"_config.yml": "title: Courier\npermalink: [unclosed\n"})
    result = run_cli("import", str(site), "--site", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{site / '_config.yml'}:2: invalid YAML:")
    assert "Traceback" not in result.stderr
    assert not (site / "site.toml").exists()


def test_a_folder_without_settings_is_an_error(tmp_path: Path) -> None:
    result = run_cli("import", str(tmp_path), "--site", str(tmp_path))
    assert result.returncode == 1
    assert "no Jekyll or Hugo settings found" in result.stderr


@pytest.mark.parametrize("generator", ["jekyll", "hugo"])
def test_titles_with_quotes_and_backslashes_are_written_as_valid_toml(tmp_path: Path, generator: str) -> None:
    title = 'The "Courier" \\ Gazette\x7f — café'
    settings = {"title": title}
    files = (
        {"_config.yml": yaml.safe_dump(settings)}
        if generator == "jekyll"
        else {"hugo.json": json.dumps(settings)}
    )
    site = write_site(tmp_path, files)
    write_settings(read_site(site), site)
    assert tomllib.loads((site / "site.toml").read_text())["title"] == title


def test_a_pattern_dateline_cannot_build_is_listed_and_left_out(tmp_path: Path) -> None:
    site = write_site(
        tmp_path, {"hugo.toml": '[permalinks]\nposts = "/:sections[1:]/:slug/"\n', **HUGO_POSTS}
    )
    result = read_site(site)
    assert "article" not in result.permalinks
    assert any(
        item.name == "permalinks.posts" and "unknown placeholder" in item.why for item in result.unmapped
    )
    assert "[permalinks]" not in site_toml(result)


MULTILINGUAL_HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Valley Courier"
languageCode = "en-us"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
timeZone = "America/New_York"

[permalinks]
posts = "/:year/:month/:slug/"

[languages.en]
languageName = "English"
contentDir = "content/en"
weight = 2

[languages.de]
languageName = "Deutsch"
title = "Talkurier"
timeZone = "Europe/Berlin"
contentDir = "content/de"
languageDirection = "ltr"
weight = 1

[languages.de.params]
description = "Nachrichten aus dem Tal"
subtitle = "Seit 1901"

[languages.fr]
disabled = true
"""

MULTILINGUAL_HUGO_POSTS = {
    "content/en/posts/floods.md": post("Floods Close the Port", "date: 2024-03-05T10:00:00"),
    "content/de/posts/floods.md": post("Hochwasser am Hafen", "date: 2024-03-05T10:00:00"),
}


def test_an_imported_multilingual_hugo_site_builds_each_language_under_its_prefix(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": MULTILINGUAL_HUGO_CONFIG, **MULTILINGUAL_HUGO_POSTS})
    imported(site)
    assert {
        "de/2024/03/hochwasser-am-hafen/index.html",
        "en/2024/03/floods-close-the-port/index.html",
        "index.html",
    } <= built(site)
    assert page(site, "/").xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=/en/"]
    german = page(site, "/de/2024/03/hochwasser-am-hafen/")
    assert german.xpath("//html/@lang") == ["de"]
    assert german.xpath("//link[@hreflang='en']/@href") == [
        "https://example.org/en/2024/03/floods-close-the-port/"
    ]


def test_hugo_languages_carry_over_in_hugos_order(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": MULTILINGUAL_HUGO_CONFIG})
    imported(site)
    settings = tomllib.loads((site / "site.toml").read_text())
    assert settings["language"] == "en"
    assert settings["timezone"] == "America/New_York"
    assert settings["languages"] == {
        "prefix_default_language": True,
        "de": {
            "name": "Deutsch",
            "title": "Talkurier",
            "description": "Nachrichten aus dem Tal",
            "timezone": "Europe/Berlin",
        },
        "en": {"name": "English"},
    }
    config = load_config(site)
    assert [language.code for language in config.languages] == ["de", "en"]
    assert config.in_language("de").title == "Talkurier"


def test_what_hugo_languages_have_that_dateline_has_no_use_for_is_listed(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"hugo.toml": MULTILINGUAL_HUGO_CONFIG})
    left = {item.name: item.why for item in read_site(site).unmapped}
    assert (
        left["languages.de.contentDir"]
        == "Dateline finds a language's articles in content/de/ and in name.de.md files"
    )
    assert "right to left by itself" in left["languages.de.languageDirection"]
    assert left["languages.de.params"].startswith("a theme setting")
    assert left["languages.fr"].startswith("disabled, so left out")
    assert (
        left["languageCode"]
        == 'defaultContentLanguage makes en the default language: its pages say lang="en"'
    )


def test_a_language_folder_elsewhere_is_to_be_moved_to_its_code(tmp_path: Path) -> None:
    config = '[languages.en]\nweight = 1\n[languages.de]\ncontentDir = "content/german"\nweight = 2\n'
    site = write_site(tmp_path, {"hugo.toml": config})
    left = {item.name: item.why for item in read_site(site).unmapped}
    assert left["languages.de.contentDir"].endswith(": move content/german/ to content/de/")


def test_hugos_languages_file_in_the_config_folder_is_read(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "config/_default/hugo.toml": 'title = "Courier"\ndefaultContentLanguage = "pt-br"\n',
            "config/_default/languages.toml": '[pt-br]\nweight = 1\n[en]\nweight = 2\ntitle = "The Courier"\n',
            "config/_default/menus.en.toml": '[[main]]\nname = "About"\nurl = "/about/"\n',
        },
    )
    result = read_site(site)
    assert result.settings["language"] == "pt-BR"
    assert result.settings["languages"] == {"pt-BR": {}, "en": {"title": "The Courier"}}
    assert "languages.en.menus" in [item.name for item in result.unmapped]


def test_a_hugo_site_of_one_language_takes_its_settings_as_the_sites(tmp_path: Path) -> None:
    config = (
        'title = "Courier"\n[languages.en]\nlanguageCode = "en-GB"\ntitle = "The Courier"\nweight = 1\n'
        '[languages.en.params]\ndescription = "News from the valley"\n'
    )
    site = write_site(tmp_path, {"hugo.toml": config})
    result = read_site(site)
    assert {key: result.settings.get(key) for key in ("title", "description", "language", "languages")} == {
        "title": "The Courier",
        "description": "News from the valley",
        "language": "en-GB",
        "languages": None,
    }
    assert not [item.name for item in result.unmapped if item.name.startswith("languages")]


POLYGLOT_CONFIG = """\
title: Valley Courier
url: https://example.org
permalink: /:year/:month/:day/:title.html
languages: ["en", "de", "pt-BR"]
default_lang: "en"
exclude_from_localization: ["assets", "images"]
"""


def test_an_imported_jekyll_polyglot_site_builds_each_language_under_its_prefix(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "_config.yml": POLYGLOT_CONFIG,
            "content/_posts/2024-03-05-floods.md": post("Floods", "lang: en"),
            "content/_posts/2024-03-05-hochwasser.md": post("Hochwasser", "lang: de"),
            "content/_posts/2024-03-05-enchentes.md": post("Enchentes", "lang: pt-BR"),
        },
    )
    imported(site)
    assert {
        "2024/03/05/floods.html",  # the default language at the root, as polyglot put it
        "de/2024/03/05/hochwasser.html",
        "pt-br/2024/03/05/enchentes.html",
    } <= built(site)


def test_jekyll_polyglot_languages_carry_over(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"_config.yml": POLYGLOT_CONFIG})
    output = imported(site)
    settings = tomllib.loads((site / "site.toml").read_text())
    assert settings["language"] == "en"
    assert settings["languages"] == {"en": {}, "de": {}, "pt-BR": {}}
    assert "  exclude_from_localization: Dateline copies static files once for every language" in output


def test_a_jekyll_site_with_lang_in_front_matter_needs_no_languages(tmp_path: Path) -> None:
    site = write_site(
        tmp_path,
        {
            "_config.yml": "title: Courier\nlang: en\n",
            "content/_posts/2024-03-05-floods.md": post("Floods"),
            "content/_posts/2024-03-05-hochwasser.md": post("Hochwasser", "lang: de"),
        },
    )
    imported(site)
    assert "languages" not in tomllib.loads((site / "site.toml").read_text())
    assert {"2024/03/05/floods.html", "de/2024/03/05/hochwasser.html"} <= built(site)
