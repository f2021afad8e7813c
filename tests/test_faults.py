"""Faults: a disk that refuses writes is reported clearly and loses nothing; a build killed at
any point, inside its commit too, leaves every output file whole."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.cli import generate_corpus
from support.paths import REPO
from support.site import article, build_site, files_of, tree_digest, write_site

from generator.engine.output import MARKER, read_marker


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


def test_a_build_killed_at_any_point_leaves_every_file_whole(tmp_path: Path):
    """SIGKILL at ten moments of a build that changes most pages: the output never holds a
    partial file, every file is the old or the new version, and the next build completes.
    Timed from outside, these kills land while the build reads and renders, or after it: the
    kills inside the commit are made deterministic below."""
    site = tmp_path / "site"
    generate_corpus(site / "content", 120)
    build_site(site, search=False)
    old = files_of(site / "output")
    for path in sorted((site / "content").rglob("*.md"))[::2]:
        path.write_text(path.read_text(encoding="utf-8").replace('title: "', 'title: "Updated: ', 1))
    write_site(tmp_path / "fresh", {})
    shutil.copytree(site / "content", tmp_path / "fresh" / "content")
    build_site(tmp_path / "fresh", search=False)
    new = files_of(tmp_path / "fresh" / "output")
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
        now = files_of(site / "output")
        for name, data in now.items():
            assert data in (old.get(name), new.get(name)) or name == ".dateline-output", (moment, name)
        assert set(old) <= set(now) or set(new) <= set(now), moment  # nothing of the old site lost
    subprocess.run(command, check=True, capture_output=True)
    finished = files_of(site / "output")
    finished.pop(".dateline-output")
    new.pop(".dateline-output")
    assert finished == new


# --- A build killed inside its commit ------------------------------------------------------
#
# The commit (output.Staging.commit) moves each changed file in with os.replace, then unlinks
# the files this build no longer makes. A kill timed from outside rarely lands in that short
# window, so the build below kills itself, with the real commit code running up to that
# point: after exactly N calls of os.replace (or os.unlink) made by generator/engine/output.py.

#: Run as ``python -c KILL_AFTER CALL N build ARGS...``: dateline, SIGKILLed right after the
#: Nth ``os.CALL`` made from generator/engine/output.py (Path.unlink counts as its caller's).
KILL_AFTER = """
import os, runpy, signal, sys

call, after = sys.argv[1], int(sys.argv[2])
del sys.argv[1:3]
real = getattr(os, call)
made = [0]

def counted(*args, **kwargs):
    caller = sys._getframe(1)
    while caller.f_code.co_filename.endswith("pathlib.py"):
        caller = caller.f_back
    result = real(*args, **kwargs)
    if caller.f_code.co_filename.endswith(os.path.join("generator", "engine", "output.py")):
        made[0] += 1
        if made[0] == after:
            os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(os, call, counted)
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""

KILLED_SITE_TOML = 'title = "Killed"\nbase_url = "http://example.com/"\nper_page = 4\nsearch = false\n'


@dataclass(frozen=True)
class Commit:
    """A site whose next build commits many moves and removals, and the two builds it lies
    between."""

    site: Path  # the site at rest: the old build in output/, edited sources
    saved: Path  # a copy of it, to start each kill from the same place
    old: dict[str, bytes]  # output/ of a cold build before the edits
    new: dict[str, bytes]  # output/ of a cold build after the edits

    @property
    def moves(self) -> int:
        """Pages moved in; the marker, which lists them, is rewritten after the removals."""
        return sum(1 for name, data in self.new.items() if name != MARKER and self.old.get(name) != data)

    @property
    def removals(self) -> int:
        return len(self.old.keys() - self.new.keys())


@pytest.fixture(scope="module")
def commit(tmp_path_factory: pytest.TempPathFactory) -> Commit:
    root = tmp_path_factory.mktemp("commit")
    site = write_site(root / "site", {"site.toml": KILLED_SITE_TOML})
    generate_corpus(site / "content", 30)
    _dateline(site, "--no-cache", "--output", str(root / "old"))
    _dateline(site)  # the previous build, whose state the killed build starts from
    articles = sorted((site / "content").rglob("*.md"))
    for path in articles[::2]:  # new titles change article pages, listings and feeds
        path.write_text(path.read_text(encoding="utf-8").replace('title: "', 'title: "Updated: ', 1))
    for path in articles[1:10:4]:  # their pages, their last listing page and lone tags go stale
        path.unlink()
    for path in articles[12:20:4]:  # new URLs: pages added, and the old ones stale
        path.write_text(path.read_text(encoding="utf-8").replace('slug: "', 'slug: "moved-', 1))
    _dateline(site, "--no-cache", "--output", str(root / "new"))
    shutil.copytree(site, root / "saved")
    return Commit(site, root / "saved", files_of(root / "old"), files_of(root / "new"))


def _dateline(site: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site", str(site), "--jobs", "1", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


# Where to kill: after the first, a middle or the last move, or among the removals.
KILL_POINTS = {
    "first move": ("replace", lambda c: 1),
    "middle move": ("replace", lambda c: c.moves // 2),
    "last move": ("replace", lambda c: c.moves),
    "first removal": ("unlink", lambda c: 1),
    "middle removal": ("unlink", lambda c: c.removals // 2),
}


@pytest.fixture(params=list(KILL_POINTS))
def killed(request: pytest.FixtureRequest, commit: Commit) -> tuple[str, int]:
    """The site after a build of the edits was killed at the kill point; (call, N)."""
    call, at = KILL_POINTS[request.param]
    after = at(commit)
    shutil.rmtree(commit.site)
    shutil.copytree(commit.saved, commit.site)  # same path: the build keeps its cached state
    result = subprocess.run(
        [sys.executable, "-c", KILL_AFTER, call, str(after), "build"]
        + ["--site", str(commit.site), "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Died by the kill, not by finishing first or failing: the commit did run up to it.
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)
    return call, after


def test_the_edits_make_a_commit_of_many_moves_and_removals(commit: Commit) -> None:
    assert commit.moves >= 20 and commit.removals >= 4  # room for kills spread over both phases


def test_a_build_killed_inside_its_commit_leaves_every_file_the_old_or_the_new(
    commit: Commit, killed: tuple[str, int]
) -> None:
    call, after = killed
    now = files_of(commit.site / "output")
    assert (commit.site / ".output.staging").is_dir()  # the commit never finished: it is beside
    assert now.keys() <= commit.old.keys() | commit.new.keys()  # nothing staged left behind
    for name, data in now.items():
        assert data in (commit.old.get(name), commit.new.get(name)) or name == MARKER, name
    # The marker lists every file moved in so far, for the next build to remove if stale.
    assert set(read_marker(commit.site / "output" / MARKER) or ()) >= now.keys() - {MARKER}
    # Exactly the moves made so far show (for a middle N: some files new, some still old).
    moved = {name for name, data in now.items() if data == commit.new.get(name) != commit.old.get(name)}
    stale = now.keys() - commit.new.keys()
    if call == "replace":
        assert len(moved) == after
        assert stale == commit.old.keys() - commit.new.keys()  # nothing of the old site lost
        assert (commit.old.keys() | moved) == now.keys()
    else:
        assert len(moved) == commit.moves
        assert len(stale) == commit.removals - after


def test_the_build_after_one_killed_inside_its_commit_equals_a_cold_build(
    commit: Commit, killed: tuple[str, int]
) -> None:
    _dateline(commit.site)
    assert files_of(commit.site / "output") == commit.new
    assert not (commit.site / ".output.staging").exists()


# --- Two builds at once ----------------------------------------------------------------------

#: Run as ``python -c PAUSE_IN_COMMIT FLAG build ARGS...``: dateline, which after its first
#: ``os.replace`` from generator/engine/output.py (a file moved in by its commit) makes FLAG.paused
#: and waits there until FLAG.go appears.
PAUSE_IN_COMMIT = """
import os, runpy, sys, time

flag = sys.argv.pop(1)
real = os.replace

def pausing(*args, **kwargs):
    result = real(*args, **kwargs)
    if sys._getframe(1).f_code.co_filename.endswith(os.path.join("generator", "engine", "output.py")):
        if not os.path.exists(flag + ".paused"):
            open(flag + ".paused", "w").close()
            while not os.path.exists(flag + ".go"):
                time.sleep(0.01)
    return result

os.replace = pausing
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


def test_two_builds_of_one_site_at_once_take_turns(tmp_path: Path):
    site = write_site(
        tmp_path / "site", {f"content/{n}.md": article(f"Story {n}", tags="[t]") for n in range(6)}
    )
    build_site(site, search=False)
    write_site(site, {f"content/{n}.md": article(f"Story {n} retitled", tags="[t]") for n in range(6)})
    flag = str(tmp_path / "flag")
    command = ["build", "--site", str(site), "--no-search", "--jobs", "1"]
    first = subprocess.Popen([sys.executable, "-c", PAUSE_IN_COMMIT, flag, *command], stderr=subprocess.PIPE)
    second = None
    try:
        for _ in range(6000):  # the first build is inside its commit: some of its files moved in
            if os.path.exists(flag + ".paused") or first.poll() is not None:
                break
            time.sleep(0.01)
        assert os.path.exists(flag + ".paused")
        second = subprocess.Popen([sys.executable, "-m", "generator", *command], stderr=subprocess.PIPE)
        time.sleep(3)  # long enough to build this site several times over, were it not waiting
        assert second.poll() is None
    finally:
        Path(flag + ".go").touch()
    assert first.wait(60) == 0, first.communicate()[1]
    assert second.wait(60) == 0, second.communicate()[1]
    cold = tmp_path / "cold"
    shutil.copytree(site / "content", cold / "content")
    build_site(cold, search=False)
    assert files_of(site / "output") == files_of(cold / "output")
    assert not (site / ".output.staging").exists()


def test_an_interrupt_while_workers_are_forked_still_stops_the_build(tmp_path: Path):
    # A fork runs Python hooks in the parent; an interrupt landing in one must not be dropped.
    script = tmp_path / "interrupted.py"
    script.write_text(
        "import os, signal, time\n"
        "from generator.engine import parallel\n"
        "fired = []\n"
        "def interrupt_once():\n"
        "    if not fired:\n"
        "        fired.append(True)\n"
        "        signal.raise_signal(signal.SIGINT)\n"
        "os.register_at_fork(after_in_parent=interrupt_once)\n"
        "try:\n"
        "    for _ in parallel.run(lambda chunk: time.sleep(0.01), range(400), 2):\n"
        "        pass\n"
        "    print('finished')\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=REPO)
    assert (result.stdout, result.stderr) == ("interrupted\n", "")
