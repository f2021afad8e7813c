"""Screenshots of the sample site for the README, taken with headless Chromium.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default: docs/)

Builds the sample site (site.toml, content/) into a temporary folder, serves it on
127.0.0.1 and saves home.png, article.png, region.png and archive.png at 1280 px wide
(and *-dark.png in dark mode for the home page), plus article-phone.png at 390 px; with
the project's synthetic corpus generator (benchmarks/gen_corpus.py), also
archive-generated.png and year-generated.png of a 300-article archive, and story.png, a
story's page in a 60-article archive with four running stories (``gen_corpus.py --stories``),
and article-corrections.png and corrections.png of a 300-article archive whose newest
articles were given corrections and updates (made up here; never the sample site's report's).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from static_server import serving  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.engine.build import build, prepare  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GEN_CORPUS = ROOT / "benchmarks" / "gen_corpus.py"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip


def shoot(
    site_dir: Path, out_dir: Path, shots: dict[str, tuple[str, str, int]], out: Path, whole: bool = False
) -> None:
    config = load_config(site_dir, output_dir=out_dir)
    build(config)
    with serving(config.out_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (url, scheme, width) in shots.items():
            page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page.goto(base + url.lstrip("/"))
            page.screenshot(path=str(out / f"{name}.png"), full_page=whole or width < 500)
            page.close()
            print(out / f"{name}.png")
        browser.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site, _, _ = prepare(load_config(ROOT), None, lambda stage, total: lambda: None)
        article = site.articles[0].url
        region = max(site.regions.values(), key=lambda r: (len(r.children), len(r.articles))).url
        shots = {
            "home": ("/", "light", 1280),
            "home-dark": ("/", "dark", 1280),
            "article": (article, "light", 1280),
            "article-phone": (article, "light", 390),
            "region": (region, "light", 1280),
            "archive": ("/archive/", "light", 1280),
        }
        shoot(ROOT, Path(tmp) / "sample", shots, out)
        generated = Path(tmp) / "generated"
        subprocess.run([sys.executable, str(GEN_CORPUS), str(generated / "content"), "300"], check=True)
        (generated / "site.toml").write_text('title = "A Generated Archive"\n', encoding="utf-8")
        shots = {
            "archive-generated": ("/archive/", "light", 1280),
            "year-generated": ("/2023/", "dark", 1280),
        }
        shoot(generated, generated / "output", shots, out)
        shoot_story(Path(tmp) / "stories", out)
        shoot_corrections(Path(tmp) / "corrected", out)


def shoot_story(site_dir: Path, out: Path) -> None:
    """story.png: the longest story of a generated archive with running stories, named in
    site.toml after its topic (its articles' first tag) and region."""
    command = [sys.executable, str(GEN_CORPUS), str(site_dir / "content"), "60", "--stories", "4"]
    subprocess.run(command, check=True)
    settings = site_dir / "site.toml"
    settings.write_text('title = "A Generated Archive"\n', encoding="utf-8")
    site, _, _ = prepare(load_config(site_dir), None, lambda stage, total: lambda: None)
    story = max(site.stories.values(), key=lambda story: len(story.articles))
    first = story.thread[0]
    topic, region = site.tags_of(first)[0].name, site.regions_of(first)[0].name
    name = f"{topic.replace('-', ' ').capitalize()} in {region}"
    settings.write_text(
        f'title = "A Generated Archive"\n[stories]\n{story.slug} = "{name}"\n', encoding="utf-8"
    )
    shoot(site_dir, site_dir / "output", {"story": (story.url, "light", 1280)}, out, whole=True)


#: Made up for the generated archive: what a desk puts on the record after publishing.
CORRECTIONS = (
    "An earlier version of this article misstated the number of people displaced.",
    "A quotation was attributed to the interior minister; it was the deputy minister.",
    "An earlier version misspelled the name of the provincial governor.",
    "The vote took place on Tuesday, not on Monday as first reported.",
)
UPDATES = ("Adds comment from the United Nations.", "Updated with the final results.")


def add_corrections(content: Path, count: int = 6) -> None:
    """Corrections a day (and for every other one, three days) after each of the ``count``
    newest generated articles, and an update in between."""
    dated = [(datetime.fromisoformat(path.read_text().split("\ndate: ", 1)[1].split("\n", 1)[0]), path)
             for path in content.rglob("*.md")]  # fmt: skip
    for n, (published, path) in enumerate(sorted(dated, reverse=True)[:count]):
        notes = [(1, "corrections", CORRECTIONS[n % 4]), (2, "updates", UPDATES[n % 2])]
        if n % 2 == 0:
            notes.append((3, "corrections", CORRECTIONS[(n + 1) % 4]))
        lines: dict[str, list[str]] = {"corrections": [], "updates": []}
        for days, key, text in notes:
            when = (published + timedelta(days=days)).isoformat()
            lines[key] += [f"  - date: {when}", f'    text: "{text}"']
        front = "".join(f"{key}:\n" + "\n".join(items) + "\n" for key, items in lines.items())
        path.write_text(path.read_text().replace("\ntags: ", f"\n{front}tags: ", 1))


def shoot_corrections(site_dir: Path, out: Path) -> None:
    """article-corrections.png, the most recently corrected article, and corrections.png."""
    subprocess.run([sys.executable, str(GEN_CORPUS), str(site_dir / "content"), "300"], check=True)
    add_corrections(site_dir / "content")
    (site_dir / "site.toml").write_text('title = "A Generated Archive"\n', encoding="utf-8")
    site, _, _ = prepare(load_config(site_dir), None, lambda stage, total: lambda: None)
    shots = {
        "article-corrections": (site.corrections[0].article.url, "light", 1280),
        "corrections": ("/corrections/", "light", 1280),
    }
    shoot(site_dir, site_dir / "output", shots, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
