"""Where the tests find the repository's own files."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
THEME = REPO / "templates"  # the default theme
GEN_CORPUS = REPO / "benchmarks" / "gen_corpus.py"
NODE_MODULES = REPO / "node_modules"
SCRIPTS = REPO / "scripts"
