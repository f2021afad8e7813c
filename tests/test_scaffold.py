"""``dateline init`` and ``dateline new``: a new site folder, a new article, and refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html
from support.cli import run_cli
from support.site import write_site

from generator.config import load_config
from generator.scaffold import SETTINGS_TEMPLATE


def article_pages(site: Path) -> list[Path]:
    """The built article pages: /YYYY/MM/DD/slug/ under the default pattern."""
    return sorted((site / "output").glob("[0-9]*/[0-9]*/[0-9]*/*/index.html"))


def headline(page: Path) -> str:
    return html.fromstring(page.read_bytes()).xpath("string(//h1)").strip()


@pytest.mark.parametrize("rules", ["dateline", "jekyll", "hugo"])
def test_new_writes_the_slug_so_a_mended_headline_keeps_its_url(tmp_path: Path, rules: str):
    write_site(tmp_path, {"site.toml": f'[permalinks]\nslugs = "{rules}"\n'})
    created = run_cli("new", "Floods: the port's 2nd closure", "--site", str(tmp_path))
    assert created.returncode == 0, created.stderr
    source = Path(created.stdout.strip())
    assert 'slug: "floods-the-ports-2nd-closure"\n' in source.read_text(encoding="utf-8")
    assert run_cli("build", "--site", str(tmp_path)).returncode == 0
    [before] = article_pages(tmp_path)

    text = source.read_text(encoding="utf-8").replace("Floods: the port's 2nd closure", "Port shut again")
    source.write_text(text, encoding="utf-8")
    rebuilt = run_cli("build", "--site", str(tmp_path))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert article_pages(tmp_path) == [before]
    assert headline(before) == "Port shut again"


def test_init_makes_a_site_that_builds(tmp_path: Path):
    site = tmp_path / "courier"
    made = run_cli("init", str(site))
    assert made.returncode == 0, made.stderr
    assert (site / ".gitignore").read_text().splitlines() == [
        "output/",
        ".dateline-cache/",
        ".output.staging/",
    ]
    assert (site / "static").is_dir()
    [example] = (site / "content").rglob("*.md")
    assert str(example) in made.stdout
    assert "dateline serve" in made.stdout and 'dateline new "Title"' in made.stdout

    built = run_cli("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""  # no warning about the settings or the example
    [page] = article_pages(site)
    assert headline(page) == "Welcome to your news archive"


def test_init_makes_a_site_that_checks_clean(tmp_path: Path):
    site = tmp_path / "courier"
    assert run_cli("init", str(site)).returncode == 0
    checked = run_cli("check", "--site", str(site))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stderr == ""


def test_init_writes_the_example_article_as_new_does(tmp_path: Path):
    assert run_cli("init", str(tmp_path)).returncode == 0
    [example] = (tmp_path / "content").rglob("*.md")
    by_init = example.read_text(encoding="utf-8")
    example.unlink()
    created = run_cli("new", "Welcome to your news archive", "--region", "world", "--tags", "example",
                      "--site", str(tmp_path))  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert Path(created.stdout.strip()) == example
    by_new = example.read_text(encoding="utf-8")
    assert re.sub(r"date: .*", "", by_new) == re.sub(r"date: .*", "", by_init)


def test_init_in_the_current_folder_holding_only_git(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    made = run_cli("init", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "site.toml").is_file()
    assert "cd " not in made.stdout  # already there
    assert run_cli("build", cwd=tmp_path).returncode == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    write_site(tmp_path, {"notes.txt": "mine"})
    made = run_cli("init", str(tmp_path))
    assert made.returncode == 1
    assert (
        made.stderr
        == f"dateline: {tmp_path} is not empty (notes.txt); name a new or empty folder for the site\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_refuses_a_file(tmp_path: Path):
    write_site(tmp_path, {"site": "a file"})
    made = run_cli("init", str(tmp_path / "site"))
    assert made.returncode == 1
    assert "is a file" in made.stderr and "Traceback" not in made.stderr


def test_new_outside_a_site_says_to_run_init(tmp_path: Path):
    created = run_cli("new", "Floods close the port", cwd=tmp_path)
    assert created.returncode == 2
    assert "run `dateline init`" in created.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_setting_commented_out_in_a_new_site_toml_is_valid(tmp_path: Path):
    # A user uncommenting a suggested setting must not meet an error.
    uncommented = re.sub(r'^# (?=\[|"|[a-z_]+ = )', "", SETTINGS_TEMPLATE, flags=re.MULTILINE)
    assert uncommented.count("\n# ") < SETTINGS_TEMPLATE.count("\n# ")
    write_site(tmp_path, {"site.toml": uncommented})
    config = load_config(tmp_path)
    assert config.per_page == 20 and config.names["middle-east"] == "Middle East"
