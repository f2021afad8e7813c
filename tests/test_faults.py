"""Faults: a disk that refuses writes is reported clearly and loses nothing."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from conftest import article, build_site, tree_digest, write_site


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
