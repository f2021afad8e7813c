"""Lighthouse scores of the default theme: the home, an article and a region page.

    .venv/bin/python benchmarks/lighthouse.py [--corpus N] [--desktop] [--json FILE]

Builds the sample site (or, with --corpus N, N generated articles) with its base URL set to
a server on 127.0.0.1, and runs the npm ``lighthouse`` CLI from node_modules/ (``make test``
or ``npm ci`` installs it) in Debian's Chromium (CHROME_PATH=/usr/bin/chromium). Scores are
Lighthouse's default mobile run with simulated throttling, unless --desktop.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from static_server import serving  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.engine.build import build, prepare  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
GEN_CORPUS = ROOT / "benchmarks" / "gen_corpus.py"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)


def lighthouse(url: str, desktop: bool) -> dict:
    command = [
        "node", str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
    ]  # fmt: skip
    if desktop:
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=int, help="build N generated articles instead of the sample site")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = ROOT
        if args.corpus:
            site_dir = Path(tmp) / "site"
            subprocess.run(
                [sys.executable, str(GEN_CORPUS), str(site_dir / "content"), str(args.corpus)], check=True
            )
        out = Path(tmp) / "output"
        out.mkdir()
        with serving(out) as base:
            config = load_config(site_dir, output_dir=out, base_url=base)
            build(config)
            site, _, _ = prepare(config, None, lambda stage, total: lambda: None)
            region = max(site.regions.values(), key=lambda r: (len(r.children), len(r.articles)))
            pages = {"home": "/", "article": site.articles[0].url, "region": region.url}
            scores: dict[str, dict[str, int]] = {}
            for name, path in pages.items():
                report = lighthouse(base + path.lstrip("/"), args.desktop)
                scores[name] = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
                weighted = {
                    ref["id"]
                    for c in CATEGORIES
                    for ref in report["categories"][c]["auditRefs"]
                    if ref["weight"]
                }
                failing = [
                    audit_id
                    for audit_id in sorted(weighted)
                    if (report["audits"][audit_id].get("score") or 1) < 0.9
                ]
                print(f"{name:8} {path}", file=sys.stderr)
                if failing:
                    print(f"         scored audits below 0.9: {', '.join(failing)}", file=sys.stderr)
    mode = "desktop" if args.desktop else "mobile"
    print(f"Lighthouse {mode}, {'generated ' + str(args.corpus) if args.corpus else 'sample site'}")
    print(f"{'page':10}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, row in scores.items():
        print(f"{name:10}" + "".join(f"{row[c]:>16}" for c in CATEGORIES))
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2) + "\n")


if __name__ == "__main__":
    main()
