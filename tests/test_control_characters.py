"""Control characters pasted into an article (Word's soft line break U+000B, NUL, DEL, the C1
controls) are cleaned as a reader would want them: the soft break is a space, the rest are
dropped; YAML never sees them, and every line keeps its number."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import run_cli
from support.site import article, build_errors, build_site, page, write_site


def test_a_soft_line_break_in_the_title_reads_as_a_space(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Breaking\x0bnews", tags="[news]")})
    build_site(tmp_path)
    assert page(tmp_path, "/2024/08/31/breaking-news/").findtext(".//h1") == "Breaking news"


@pytest.mark.parametrize(
    "control", ["\x00", "\x1b", "\x7f", "\x85", "\x9f"], ids=["NUL", "ESC", "DEL", "NEL", "APC"]
)
def test_other_controls_in_front_matter_are_dropped(tmp_path: Path, control: str):
    write_site(tmp_path, {"content/a.md": article(f"Break{control}ing news", tags="[news]")})
    build_site(tmp_path)
    assert page(tmp_path, "/2024/08/31/breaking-news/").findtext(".//h1") == "Breaking news"


@pytest.mark.parametrize("control", ["\x0b", "\x00", "\x85", "\u2028"], ids=["VT", "NUL", "NEL", "LSEP"])
def test_lines_after_a_control_character_keep_their_numbers(tmp_path: Path, control: str):
    write_site(
        tmp_path, {"content/a.md": article(f"Breaking{control}news", date="2024-02-30", tags="[news]")}
    )
    assert build_errors(tmp_path) == [
        f"{tmp_path}/content/a.md:3: 'date' is not a valid date: '2024-02-30' (day is out of range for month)"
    ]


def test_controls_in_the_body_are_cleaned_like_the_front_matter(tmp_path: Path):
    write_site(
        tmp_path, {"content/a.md": article("Story", body="Soft\x0bbreak, n\x00u\x7fl\x85l.", tags="[news]")}
    )
    build_site(tmp_path)
    story = page(tmp_path, "/2024/08/31/story/")
    assert story.find_class("article-body")[0].text_content().strip() == "Soft break, null."
    assert story.xpath("string(//meta[@name='description']/@content)") == "Soft break, null."


def test_check_reads_control_characters_without_a_traceback(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("Breaking\x0bnews\x7f", tags="[news]")})
    checked = run_cli("check", "--site", str(tmp_path))
    assert checked.returncode == 0, checked.stderr
    assert "Traceback" not in checked.stderr


def test_new_writes_a_title_without_control_characters(tmp_path: Path):
    write_site(tmp_path, {"site.toml": ""})
    created = run_cli("new", "Breaking\x0bnews\x7f", "--site", str(tmp_path))
    assert created.returncode == 0, created.stderr
    written = Path(created.stdout.strip()).read_text(encoding="utf-8")
    assert 'title: "Breaking news"\n' in written
    built = run_cli("build", "--site", str(tmp_path))
    assert built.returncode == 0, built.stderr


def test_new_refuses_a_title_of_control_characters_only(tmp_path: Path):
    write_site(tmp_path, {"site.toml": ""})
    created = run_cli("new", "\x7f\x0b", "--site", str(tmp_path))
    assert created.returncode == 1
    assert created.stderr == "dateline: the title is empty\n"
    assert not (tmp_path / "content").exists()
