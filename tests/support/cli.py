"""The command line and the corpus generator, each run in a process of its own as users run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .paths import GEN_CORPUS


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in a separate process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def generate_corpus(out: Path, count: int, seed: str = "1", stories: int = 0) -> Path:
    """``count`` generated articles, and ``stories`` running stories of 3 to 8 more each."""
    options = ["--seed", seed, "--stories", str(stories)]
    subprocess.run([sys.executable, str(GEN_CORPUS), str(out), str(count), *options], check=True, timeout=300)
    return out
