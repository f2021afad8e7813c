"""Bad input: every problem reported as path:line: message, exit 1, the last output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import run_cli
from support.site import article, build_errors, build_site, page, tree_digest, write_site

GOOD = {"content/good.md": article("Good article", tags="[a]", region="europe/france")}


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A site with one good build in output/."""
    write_site(tmp_path, GOOD)
    build_site(tmp_path)
    return tmp_path


BAD_INPUTS = {
    "yaml syntax": (
        "---\ntitle: x\ndate: 2024-01-01\ntags: [a, b\n---\n",
        "bad.md:4: invalid YAML: expected ',' or ']', but got the end of the front matter",
    ),
    "unclosed quote": ('---\ntitle: "open\ndate: 2024-01-01\n---\n', "bad.md:2: invalid YAML"),
    "missing title": ("---\ndate: 2024-01-01\n---\nText", "bad.md:1: missing 'title'"),
    "impossible date": (article(date="2024-02-30"), "bad.md:3: 'date' is not a valid date: '2024-02-30'"),
    "month 13": (article(date="2024-13-45"), "bad.md:3: 'date' is not a valid date"),
    "title is a list": ("---\ntitle: [a, b]\ndate: 2024-01-01\n---\n", "bad.md:2: 'title' must be text"),
    "draft not a flag": (article(draft='"maybe"'), "bad.md:4: 'draft' must be true or false"),
    "no closing fence": ("---\ntitle: x\ndate: 2024-01-01\n", "bad.md:1: front matter opened here is never"),
    "front matter is a list": ("---\n- a\n---\n", "bad.md:2: front matter must be 'key: value' lines"),
    "no front matter": ("Just text\n", "bad.md:1: no front matter"),
    "empty file": ("", "bad.md:1: empty file"),
    "invalid utf-8": (b"---\ntitle: caf\xe9\n", "bad.md:2: not valid UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_reported_at_its_line_and_output_is_untouched(built: Path, name: str):
    data, expected = BAD_INPUTS[name]
    before = tree_digest(built / "output")
    write_site(built, {"content/bad.md": data})
    errors = build_errors(built)
    assert any(expected in error for error in errors), errors
    assert tree_digest(built / "output") == before


def test_a_duplicate_key_is_a_warning_naming_both_lines_and_the_last_value_wins(tmp_path: Path):
    # Hugo and Jekyll take the last value; real archives carry keys set twice ("expirydate").
    write_site(tmp_path, {"content/a.md": "---\ntitle: a\ndate: 2024-01-01\ntitle: b\n---\n"})
    report = build_site(tmp_path)
    assert [str(warning) for warning in report.warnings] == [
        f"{tmp_path}/content/a.md:4: duplicate key 'title' (first set on line 2); the last value is used"
    ]
    assert page(tmp_path, "/2024/01/01/b/").xpath("//h1")[0].text_content().strip() == "b"


def test_a_key_set_three_times_warns_twice_naming_the_first_line(tmp_path: Path):
    text = "---\ntitle: Story\ndate: 2024-01-01\nexpirydate: 2030-01-01\nexpirydate: 2031-01-01\nexpirydate: 2032-01-01\n---\n"
    write_site(tmp_path, {"content/a.md": text})
    assert [str(warning) for warning in build_site(tmp_path).warnings] == [
        f"{tmp_path}/content/a.md:5: duplicate key 'expirydate' (first set on line 4); the last value is used",
        f"{tmp_path}/content/a.md:6: duplicate key 'expirydate' (first set on line 4); the last value is used",
    ]


def test_every_error_in_every_file_is_reported_in_one_run(tmp_path: Path):
    write_site(
        tmp_path,
        {
            "content/one.md": "---\ndate: 2024-02-30\n---\n",
            "content/two.md": "---\ntitle: [x]\ndate: 2024-01-01\n---\n",
            "content/three.md": article(),
        },
    )
    errors = build_errors(tmp_path)
    assert errors == [
        f"{tmp_path}/content/one.md:1: missing 'title'",
        f"{tmp_path}/content/one.md:2: 'date' is not a valid date: '2024-02-30' (day is out of range for month)",
        f"{tmp_path}/content/two.md:2: 'title' must be text, not a list",
    ]


def test_two_articles_wanting_one_url_name_each_other(tmp_path: Path):
    write_site(
        tmp_path,
        {"content/a.md": article("Same headline"), "content/b.md": article("Same Headline!")},
    )
    errors = build_errors(tmp_path)
    assert errors == [
        f"{tmp_path}/content/a.md:2: URL /2024/08/31/same-headline/ is also wanted by {tmp_path}/content/b.md",
        f"{tmp_path}/content/b.md:2: URL /2024/08/31/same-headline/ is also wanted by {tmp_path}/content/a.md",
    ]


def test_cli_reports_errors_without_traceback_and_exits_1(built: Path):
    write_site(built, {"content/bad.md": "---\ntitle: x\ndate: someday\n---\n"})
    result = run_cli("build", "--site", str(built))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{built}/content/bad.md:3: 'date' is not a valid date: 'someday'" in result.stderr


def test_a_bad_setting_is_reported_at_its_line(tmp_path: Path):
    write_site(tmp_path, {"site.toml": 'title = "x"\nper_pge = 3\n', **GOOD})
    result = run_cli("build", "--site", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path}/site.toml:2: unknown setting 'per_pge'" in result.stderr


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", ""])
def test_an_unknown_timezone_is_reported_at_its_line(tmp_path: Path, zone: str):
    write_site(tmp_path, {"site.toml": f'title = "x"\ntimezone = "{zone}"\n', **GOOD})
    result = run_cli("build", "--site", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path}/site.toml:2: unknown timezone '{zone}'" in result.stderr


def test_front_matter_values_cannot_inject_markup(tmp_path: Path):
    hostile = '"<script>alert(1)</script>\\" onmouseover=\\"x"'
    write_site(
        tmp_path,
        {"content/a.md": article(title=hostile, tags=f"[{hostile}]", author=hostile, summary=hostile)},
    )
    build_site(tmp_path)
    for path in (tmp_path / "output").rglob("*.html"):
        text = path.read_text()
        assert "<script>alert" not in text, path
        assert '" onmouseover="' not in text, path


@pytest.mark.parametrize(
    "field",
    [
        'slug: "../../../escaped"',
        'region: "../../../escaped"',
        'tags: ["../../../escaped"]',
        'slug: "/etc/x"',
    ],
)
def test_no_front_matter_value_writes_outside_the_output_folder(tmp_path: Path, field: str):
    site = tmp_path / "site"
    write_site(site, {"content/a.md": f"---\ntitle: T\ndate: 2024-01-01\n{field}\n---\n"})
    build_site(site)
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_relative_to(site)]
    assert outside == []
    assert not (site / "escaped").exists()
    assert all(p.resolve().is_relative_to(site / "output") for p in (site / "output").rglob("*"))


def test_output_folder_holding_the_sources_is_refused(tmp_path: Path):
    write_site(tmp_path, GOOD)
    result = run_cli("build", "--site", str(tmp_path), "--output", str(tmp_path))
    assert result.returncode == 1
    assert "refusing to build into" in result.stderr
    assert (tmp_path / "content" / "good.md").exists()


def test_output_folder_with_foreign_files_is_refused(tmp_path: Path):
    write_site(tmp_path, {**GOOD, "elsewhere/precious.txt": "keep me"})
    result = run_cli("build", "--site", str(tmp_path), "--output", str(tmp_path / "elsewhere"))
    assert result.returncode == 1
    assert "holds files Dateline did not write" in result.stderr
    assert (tmp_path / "elsewhere" / "precious.txt").read_text() == "keep me"


def test_template_error_names_the_template_line_and_page(built: Path):
    write_site(built, {"templates/terms.html": "<p>\n{{ no_such_value }}</p>"})
    errors = build_errors(built)
    assert errors == [
        f"{built}/templates/terms.html:2: 'no_such_value' is undefined (while rendering /tags/)"
    ]
    assert page(built, "/tags/") is not None  # the previous page is still there


def test_a_template_that_includes_itself_is_reported_at_its_line_and_page(built: Path):
    write_site(built, {"templates/terms.html": "<p>\n{% include 'terms.html' %}</p>"})
    errors = build_errors(built)
    assert errors == [
        f"{built}/templates/terms.html:2: RecursionError: templates include, extend or call one another "
        "without end (while rendering /tags/)"
    ]
    assert page(built, "/tags/") is not None  # the previous page is still there


def test_a_region_deeper_than_allowed_is_an_error_at_its_line(built: Path):
    deep = "/".join(f"r{level}" for level in range(500))
    before = tree_digest(built / "output")
    write_site(built, {"content/deep.md": article("Deep", region=deep)})
    assert build_errors(built) == [
        f"{built}/content/deep.md:4: region 'r0/r1/r2/…' is 500 levels deep; at most 10 are allowed"
    ]
    assert tree_digest(built / "output") == before
