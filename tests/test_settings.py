"""Hints about site.toml: a mistyped setting, and [names] keys that name nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from support.cli import run_cli
from support.site import article, build_site, write_site

from generator.config import load_config
from generator.engine.build import build

NAMES = '[names]\n"middle-east" = "Middle East"\n"middle-eest" = "Middle East"\n'


def names_warnings(site: Path, **overrides: object) -> list[str]:
    report = build_site(site, search=False, **overrides)
    return [str(w) for w in report.warnings if "[names]" in w.message]


def test_a_mistyped_setting_suggests_the_setting_meant(tmp_path: Path):
    write_site(tmp_path, {"site.toml": 'titel = "x"\n', "content/a.md": article()})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "site.toml:1: unknown setting 'titel'; did you mean 'title'?\n" in result.stderr


def test_an_unknown_setting_like_no_other_points_to_extra(tmp_path: Path):
    write_site(tmp_path, {"site.toml": 'title = "x"\nmasthead = "y"\n', "content/a.md": article()})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "site.toml:2: unknown setting 'masthead' (free-form values belong under [extra])\n" in result.stderr
    )


def test_a_names_key_that_names_nothing_is_warned_at_its_line_with_the_closest_name(tmp_path: Path):
    write_site(tmp_path, {"site.toml": NAMES, "content/a.md": article(region="middle-east/iraq")})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = (
        "site.toml:3: [names] 'middle-eest' names no tag, region or author; did you mean 'middle-east'?"
    )
    assert result.stderr == f"{expected} (warning)\n"


def test_a_names_key_written_as_the_name_reads_suggests_its_slug(tmp_path: Path):
    settings = '[names]\n"US Military" = "US military"\n'
    write_site(tmp_path, {"site.toml": settings, "content/a.md": article(tags="[US military]")})
    assert names_warnings(tmp_path) == [
        f"{tmp_path}/site.toml:2: [names] 'US Military' names no tag, region or author; "
        "did you mean 'us-military'?"
    ]


def test_a_names_key_like_no_name_says_what_keys_are(tmp_path: Path):
    write_site(tmp_path, {"site.toml": "[names]\nzzz = 'Z'\n", "content/a.md": article(tags="[isis]")})
    assert names_warnings(tmp_path) == [
        f"{tmp_path}/site.toml:2: [names] 'zzz' names no tag, region or author "
        "(keys are tag and author slugs and region paths, e.g. 'middle-east/iraq')"
    ]


def test_names_of_tags_authors_regions_and_parent_regions_are_not_warned(tmp_path: Path):
    settings = (
        "[names]\nisis = 'ISIS'\njane-roe = 'J. Roe'\nmiddle-east = 'ME'\n'middle-east/iraq' = 'Iraq'\n"
    )
    written = article(tags="[ISIS]", author="Jane Roe", region="Middle East/Iraq")
    write_site(tmp_path, {"site.toml": settings, "content/a.md": written})
    assert names_warnings(tmp_path) == []


def test_a_names_key_only_a_draft_has_yet_is_not_warned(tmp_path: Path):
    write_site(tmp_path, {
        "site.toml": "[names]\nembargoed = 'Embargoed'\n",
        "content/a.md": article(),
        "content/b.md": article("Soon", tags="[embargoed]", draft="true"),
    })  # fmt: skip
    assert names_warnings(tmp_path) == []


def test_a_names_warning_follows_its_line_in_an_incremental_build_that_equals_a_cold_one(tmp_path: Path):
    site = write_site(tmp_path / "site", {"site.toml": NAMES, "content/a.md": article(region="middle-east")})
    assert [w.line for w in build(load_config(site, search=False)).warnings] == [3]
    (site / "site.toml").write_text(f'title = "Moved"\n\n{NAMES}', encoding="utf-8")
    incremental = build(load_config(site, search=False))
    assert [w.line for w in incremental.warnings] == [5]
    cold = tmp_path / "cold"
    build(load_config(site, search=False, output_dir=cold), use_cache=False)
    assert digest(site / "output") == digest(cold)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".dateline-output"
    }
