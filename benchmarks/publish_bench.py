"""How much `dateline publish` adds to a build: git plumbing over a synthetic archive.

    .venv/bin/python benchmarks/publish_bench.py [N]     (default N = 2000 articles)

Builds a corpus with benchmarks/gen_corpus.py (or $DATELINE_CORPUS_SCRIPT) in a
temporary git repository with a local bare remote, then times a plain build, a first publish,
a publish of unchanged output, and a publish after one article changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.config import load_config
from generator.engine.build import build
from generator.publish.push import publish

CORPUS = Path(os.environ.get("DATELINE_CORPUS_SCRIPT", Path(__file__).resolve().parent / "gen_corpus.py"))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def timed(label: str, action):  # noqa: ANN001, ANN201 - a tiny timing helper
    started = time.perf_counter()
    result = action()
    print(f"{label:<34} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        site, remote = root / "site", root / "remote.git"
        subprocess.run([sys.executable, str(CORPUS), str(site / "content"), str(count)], check=True)
        (site / "site.toml").write_text('base_url = "https://example.github.io/archive/"\n')
        env = {"GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "B"}
        os.environ.update({**env, "GIT_COMMITTER_EMAIL": "b@b"})
        git(root, "init", "--quiet", "--bare", str(remote))
        git(site, "init", "--quiet")
        git(site, "add", ".")
        git(site, "commit", "--quiet", "-m", "corpus")
        git(site, "remote", "add", "origin", str(remote))
        config = load_config(site)

        print(f"{count} articles")
        report = timed("build into output/ (cold)", lambda: build(config))
        print(f"{'pages':<34} {report.pages:7d}")
        first = timed("publish, first (build + commit + push)", lambda: publish(config))
        print(f"{'files on the branch':<34} {first.files:7d}")
        timed("publish, unchanged (no commit)", lambda: publish(config))
        article = next((site / "content").rglob("*.md"))
        article.write_text(article.read_text() + "\nA late correction.\n")
        timed("publish, one article changed", lambda: publish(config))
        print(f"{'commits on gh-pages':<34} {len(git(remote, 'rev-list', 'gh-pages').split()):7d}")


if __name__ == "__main__":
    main()
