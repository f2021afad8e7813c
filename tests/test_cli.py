"""The command line as users run it: build, new, check, help, exit codes, progress."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from datetime import date
from pathlib import Path

from support.cli import generate_corpus, run_cli
from support.paths import REPO
from support.site import article, write_site


def test_build_prints_a_one_line_summary(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article()})
    result = run_cli("build", "--site", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 1 article, ")
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""  # no progress bar when not a terminal


def test_console_script_is_installed():
    result = subprocess.run(
        [Path(sys.executable).parent / "dateline", "--version"], capture_output=True, text=True
    )
    assert result.stdout.startswith("dateline ")


def test_help_explains_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "check", "new"):
        assert command in result.stdout
    build_help = run_cli("build", "--help").stdout
    assert "--drafts" in build_help and "--base-url" in build_help and "--output" in build_help


def test_unknown_option_is_a_usage_error():
    assert run_cli("build", "--frobnicate").returncode == 2


def test_new_scaffolds_an_article_dated_today_that_builds(tmp_path: Path):
    write_site(tmp_path, {"site.toml": ""})
    result = run_cli("new", "Floods close the port", "--region", "asia/bangladesh", "--tags", "floods,ports",
                     "--site", str(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    created = Path(result.stdout.strip())
    assert created.parent.parent == tmp_path / "content"
    text = created.read_text()
    assert f"date: {date.today().isoformat()}" in text or f"date: {date.today().year}" in text
    assert 'region: "asia/bangladesh"' in text and 'tags: ["floods", "ports"]' in text
    assert run_cli("build", "--site", str(tmp_path)).returncode == 0
    assert run_cli("new", "Floods close the port", "--site", str(tmp_path)).returncode == 1


def test_check_passes_a_good_site_and_writes_nothing(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article(tags="[a]")})
    result = run_cli("check", "--site", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no problems found" in result.stdout
    assert not (tmp_path / "output").exists()


def test_check_reports_a_broken_internal_link_at_its_line(tmp_path: Path):
    body = "Intro.\n\nSee [the earlier report](/2020/01/01/missing/) and [ok](/tags/a/).\n"
    write_site(tmp_path, {"content/a.md": article(tags="[a]", body=body)})
    result = run_cli("check", "--site", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path}/content/a.md:9: broken link to /2020/01/01/missing/" in result.stderr
    assert "/tags/a/" not in result.stderr


def test_python_dash_m_and_the_sample_site_build(tmp_path: Path):
    result = run_cli("build", "--site", str(REPO), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "out/index.html").read_text()
    assert "U.S. and Iraqi Forces Launch Deadly Raid" in home
    assert (tmp_path / "out/regions/middle-east/iraq/anbar/index.html").is_file()
    assert (tmp_path / "out/2024/08/31/us-and-iraqi-forces-launch-deadly-raid/index.html").is_file()


def test_large_builds_show_a_progress_bar_on_a_terminal(tmp_path: Path):
    generate_corpus(tmp_path / "content", 250)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--site", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "COLUMNS": "80"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(leader)
    assert process.returncode == 0
    assert b"Rendering" in seen and b"%" in seen


def test_check_ignores_links_shown_in_code_samples(tmp_path: Path):
    body = 'Embed it:\n\n```\n<a href="/nowhere/">x</a>\n```\n\nAnd `<img src="/missing.png">`.\n'
    write_site(tmp_path, {"content/a.md": article(body=body)})
    result = run_cli("check", "--site", str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_a_missing_site_folder_is_a_usage_error_and_nothing_is_made(tmp_path: Path):
    result = run_cli("build", "--site", str(tmp_path / "mistyped"))
    assert result.returncode == 2
    assert f"argument --site: {tmp_path / 'mistyped'}: no such folder" in result.stderr
    assert list(tmp_path.iterdir()) == []
