"""Screenshots of the sample site for the README, taken with headless Chromium.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]   (default: docs/)

Builds the sample site (site.toml, content/) into a temporary folder, serves it on
127.0.0.1 and saves home.png, article.png, region.png and archive.png at 1280 px wide
(and *-dark.png in dark mode for the home page), plus article-phone.png at 390 px; with
the project's synthetic corpus generator (benchmarks/gen_corpus.py), also
archive-generated.png and year-generated.png of a 300-article archive.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
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


def shoot(site_dir: Path, out_dir: Path, shots: dict[str, tuple[str, str, int]], out: Path) -> None:
    config = load_config(site_dir, output_dir=out_dir)
    build(config)
    with serving(config.out_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (url, scheme, width) in shots.items():
            page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page.goto(base + url.lstrip("/"))
            page.screenshot(path=str(out / f"{name}.png"), full_page=width < 500)
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


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
