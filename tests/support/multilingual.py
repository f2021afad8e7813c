"""A multilingual archive of six languages written the ways real ones are: language folders
(de, ar), Hugo's suffix (fr), front matter (ja, es), translations by path and by key, some
stories translated and some not, a right-to-left and a CJK language."""

from __future__ import annotations

from pathlib import Path

from support.site import article, write_site

LANGUAGES = ("en", "ar", "de", "es", "fr", "ja")

#: Every article by language: its file under content/, its title and date.
ARTICLES = {
    "en": {
        "2024/raid.md": ("Forces launch raid in Anbar", "2024-08-31"),
        "2024/flood.md": ("Floods in Basra", "2024-09-02"),
        "2024/election.md": ("Polls open in Erbil", "2024-09-05"),
        "2024/market.md": ("Market reopens in Mosul", "2024-09-07"),
    },
    "de": {
        "de/2024/raid.md": ("Streitkräfte starten Razzia in Anbar", "2024-08-31"),
        "de/2024/flood.md": ("Überschwemmungen in Basra", "2024-09-02"),
        "de/2024/nur-deutsch.md": ("Hilfsgüter erreichen Falludscha", "2024-09-10"),
    },
    "fr": {
        "2024/raid.fr.md": ("Raid des forces à Anbar", "2024-08-31"),
        "2024/election.fr.md": ("Ouverture des bureaux de vote à Erbil", "2024-09-05"),
    },
    "ar": {
        "ar/2024/raid.md": ("القوات تشن غارة في الأنبار", "2024-08-31"),
        "ar/2024/local.md": ("افتتاح جسر في الموصل", "2024-09-11"),
    },
    "ja": {
        "japan/jishin.md": ("バスラで洪水", "2024-09-02"),
        "japan/other.md": ("エルビルで投票開始", "2024-09-05"),
    },
    "es": {"noticias/inundacion.md": ("Inundaciones en Basora", "2024-09-02")},
}

#: Front matter that says the language, and the translation key, where the place does not.
_SAID = {
    "japan/jishin.md": {"lang": "ja", "translationKey": "2024/flood"},
    "japan/other.md": {"lang": "ja", "translationKey": "2024/election"},
    "noticias/inundacion.md": {"language": "es", "translationKey": "2024/flood"},
}


def write_multilingual_archive(root: Path, settings: str = "per_page = 2\n") -> Path:
    files: dict[str, str] = {"site.toml": settings}
    for language, articles in ARTICLES.items():
        for path, (title, date) in articles.items():
            fields = {"tags": "[isis, iraq]", "region": "middle-east/iraq", **_SAID.get(path, {})}
            files[f"content/{path}"] = article(f'"{title}"', date, f"{title} ({language}).\n", **fields)
    files["content/pages/about.md"] = "---\ntitle: About us\n---\nWho we are.\n"
    files["content/de/pages/about.md"] = "---\ntitle: Über uns\n---\nWer wir sind.\n"
    return write_site(root, files)
