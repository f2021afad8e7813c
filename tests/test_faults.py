"""Faults: a disk that refuses writes is reported clearly and loses nothing."""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import article, build_site, generate_corpus, tree_digest, write_site


def test_unwritable_output_is_reported_without_traceback(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article()})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--site",
            str(tmp_path),
            "--output",
            "/sys/dateline-output",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("dateline: cannot write /sys/")


def test_a_full_disk_mid_build_leaves_the_previous_output_intact(tmp_path: Path):
    write_site(tmp_path, {"content/a.md": article("First"), "content/b.md": article("Second")})
    build_site(tmp_path)
    before = tree_digest(tmp_path / "output")
    write_site(tmp_path, {"content/a.md": article("First", body="x" * 200_000)})

    def small_disk() -> None:  # writes past 64 KiB fail as on a full disk (EFBIG, not a signal)
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(tmp_path)],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
    )
    assert result.returncode == 1
    assert "File too large" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(tmp_path / "output") == before
    assert not list(tmp_path.glob(".output.staging*"))


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_build_killed_at_any_point_leaves_every_file_whole(tmp_path: Path):
    """SIGKILL at ten moments of a build that changes most pages: the output never holds a
    partial file, every file is the old or the new version, and the next build completes."""
    site = tmp_path / "site"
    generate_corpus(site / "content", 120)
    build_site(site, search=False)
    old = _contents(site / "output")
    for path in sorted((site / "content").rglob("*.md"))[::2]:
        path.write_text(path.read_text(encoding="utf-8").replace('title: "', 'title: "Updated: ', 1))
    write_site(tmp_path / "fresh", {})
    shutil.copytree(site / "content", tmp_path / "fresh" / "content")
    build_site(tmp_path / "fresh", search=False)
    new = _contents(tmp_path / "fresh" / "output")
    command = [sys.executable, "-m", "generator", "build", "--site", str(site), "--no-search", "--jobs", "2"]
    started = time.perf_counter()
    subprocess.run(
        [*command, "--no-cache", "--output", str(tmp_path / "timing")], check=True, capture_output=True
    )
    duration = time.perf_counter() - started
    for moment in range(10):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * moment / 10)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = _contents(site / "output")
        for name, data in now.items():
            assert data in (old.get(name), new.get(name)) or name == ".dateline-output", (moment, name)
        assert set(old) <= set(now) or set(new) <= set(now), moment  # nothing of the old site lost
    subprocess.run(command, check=True, capture_output=True)
    finished = _contents(site / "output")
    finished.pop(".dateline-output")
    new.pop(".dateline-output")
    assert finished == new
