"""The README's "Start your own archive", step by step in a fresh folder, read in Chromium."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from playwright.sync_api import Browser
from support.cli import run_cli
from support.paths import REPO
from support.serve import Served, save

#: Set to a folder to keep the walkthrough's screenshot there (the README's is in docs/).
SCREENSHOTS = os.environ.get("DATELINE_SCREENSHOTS")


def _readme_steps() -> list[str]:
    """The commands of the README's section, in order, as a reader copies them."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Start your own archive", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_readme_steps_start_an_archive_a_reader_can_browse(tmp_path: Path, browser: Browser) -> None:
    init, cd, serve, new = _readme_steps()
    assert init.startswith("dateline init ") and cd.startswith("cd ") and serve == "dateline serve"
    assert new.startswith("dateline new ")
    assert run_cli(*init.split()[1:], cwd=tmp_path).returncode == 0
    site = tmp_path / cd.split()[1]
    served = Served(site)
    try:
        made = run_cli(*_arguments(new), cwd=site)
        assert made.returncode == 0, made.stderr
        written = site / made.stdout.split()[-1]
        save(written, written.read_text(encoding="utf-8") + "\nThe port closed at dawn as the river rose.\n")
        served.wait_for(r"Built \d+ pages")
        page = browser.new_page()
        page.goto(served.url)
        page.get_by_role("link", name="Floods close the port").first.click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Floods close the port"
        assert "The port closed at dawn" in page.inner_text("main")
        shot = page.screenshot(full_page=True)
        assert shot.startswith(b"\x89PNG")
        if SCREENSHOTS:
            Path(SCREENSHOTS, "start-your-own-archive.png").write_bytes(shot)
    finally:
        assert served.stop() == 0


def _arguments(command: str) -> list[str]:
    """``dateline new "A title" --tags a,b`` as the shell splits it."""
    return shlex.split(command)[1:]
