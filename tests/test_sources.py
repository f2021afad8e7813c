"""What a build reads: symlinks among the sources are followed only while they stay inside the
site, so nothing from elsewhere on the machine reaches the output."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import run_cli
from support.site import article, build_site, write_site

from generator.check import check
from generator.config import load_config

SECRET = "TOP-SECRET-CONTENTS"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder beside the site, holding what must never be published."""
    return write_site(
        tmp_path / "elsewhere",
        {"secret.txt": SECRET, "story.md": article("Leaked", body=SECRET), "article.html": SECRET},
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {"content/a.md": article("Kept")})


def published(site: Path) -> str:
    """Everything the build wrote, as one text."""
    return "".join(p.read_text(errors="replace") for p in (site / "output").rglob("*") if p.is_file())


def test_a_folder_symlinked_out_of_content_is_skipped_with_a_warning(site: Path, elsewhere: Path):
    (site / "content/linked").symlink_to(elsewhere)
    report = build_site(site, search=False)
    assert SECRET not in published(site)
    assert report.articles == 1
    assert [str(w) for w in report.warnings] == [
        f"{site}/content/linked:1: symlink leads outside content/ (to {elsewhere}); skipped"
    ]


def test_a_static_file_symlinked_out_of_the_site_is_not_copied(site: Path, elsewhere: Path):
    (site / "static").mkdir()
    (site / "static/key.txt").symlink_to(elsewhere / "secret.txt")
    report = build_site(site, search=False)
    assert not (site / "output/key.txt").exists()
    assert [str(w) for w in report.warnings] == [
        f"{site}/static/key.txt:1: symlink leads outside the site folder (to {elsewhere}/secret.txt); skipped"
    ]


def test_a_static_folder_symlinked_out_of_the_site_is_not_copied(site: Path, elsewhere: Path):
    (site / "static").symlink_to(elsewhere)
    report = build_site(site, search=False)
    assert SECRET not in published(site)
    assert [w.path for w in report.warnings] == [site / "static"]


def test_a_theme_asset_symlinked_out_of_the_site_is_not_copied(site: Path, elsewhere: Path):
    (site / "templates/static").mkdir(parents=True)
    (site / "templates/static/key.txt").symlink_to(elsewhere / "secret.txt")
    report = build_site(site, search=False)
    assert not (site / "output/static/key.txt").exists()
    assert [w.path for w in report.warnings] == [site / "templates/static/key.txt"]  # once


def test_a_site_template_symlinked_out_of_the_site_gives_way_to_the_themes(site: Path, elsewhere: Path):
    (site / "templates").mkdir()
    (site / "templates/article.html").symlink_to(elsewhere / "article.html")
    report = build_site(site, search=False)
    assert SECRET not in published(site)
    assert "Kept" in (site / "output/2024/08/31/kept/index.html").read_text()
    assert [w.path for w in report.warnings] == [site / "templates/article.html"]


def test_symlinks_that_stay_inside_the_site_are_followed(site: Path):
    write_site(site, {"shared/logo.svg": "<svg/>", "content/_parked/b.md": article("Linked in")})
    (site / "static").mkdir()
    (site / "static/logo.svg").symlink_to(site / "shared/logo.svg")
    (site / "content/b.md").symlink_to(site / "content/_parked/b.md")  # _parked/ itself is skipped
    report = build_site(site, search=False)
    assert (site / "output/logo.svg").read_text() == "<svg/>"
    assert (site / "output/2024/08/31/linked-in/index.html").is_file()
    assert report.warnings == ()


def test_a_symlink_loop_among_articles_is_skipped_with_a_warning_naming_each(site: Path):
    (site / "content/loop-a.md").symlink_to("loop-b.md")
    (site / "content/loop-b.md").symlink_to("loop-a.md")
    result = run_cli("build", "--site", str(site), "--no-search")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{site}/content/loop-{name}.md:1: symlink leads nowhere (Too many levels of symbolic links); "
        "skipped (warning)"
        for name in "ab"
    ]


def test_check_warns_about_the_symlinks_a_build_skips(site: Path, elsewhere: Path):
    (site / "content/linked").symlink_to(elsewhere)
    report = check(load_config(site))
    assert [w.path for w in report.warnings] == [site / "content/linked"]
