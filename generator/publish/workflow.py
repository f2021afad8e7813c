"""The GitHub Actions workflow that builds the site and deploys it with GitHub Pages.

The other way to publish besides ``dateline publish``: GitHub builds on every push to the source
branch and serves the uploaded artifact, so no ``gh-pages`` branch is needed. The base URL comes
from ``actions/configure-pages``, which knows the project sub-path and any custom domain.
The build cache and the last output travel between runs in the Actions cache, so a run after
a one-article edit renders what a build on the editor's machine would, not the whole archive.
It also runs on a schedule (``--every`` minutes), so that embargoed articles go live on time:
a scheduled run builds, and saves and deploys only when the build wrote or removed a file
(``dateline build --changed-file``), which it does once an article has come due.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.config import SETTINGS_FILE
from generator.errors import DatelineError

WORKFLOW_PATH = Path(".github/workflows/pages.yml")
PYTHON_VERSION = "3.12"
_RUN_INDENT = 10  # of the lines of the template's `run: |` blocks
_BLOCK_INDENT = 12  # of the lines of the template's `path: |` and `restore-keys: |` blocks
OUTPUT_FOLDER = "_site"
DEFAULT_EVERY = 15  # minutes between scheduled runs
_CHANGED = "github.event_name != 'schedule' || {outputs}.changed == 'true'"  # a push always deploys
CACHE_FOLDER = ".dateline-cache"  # Config.cache_dir, inside the site folder

_TEMPLATE = """\
# Builds the site with Dateline and deploys it to GitHub Pages (written by `dateline workflow`).
# Turn it on once: repository Settings -> Pages -> Build and deployment -> Source: GitHub Actions.
name: Publish to GitHub Pages

on:
  push:
    branches: [{branch}]
  workflow_dispatch:{schedule}

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push waits instead of cancelling one that is live.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      changed: ${{{{ steps.build.outputs.changed }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{python}"
      - name: Find the Pages URL (project sub-path or custom domain)
        id: pages
        uses: actions/configure-pages@v5
      - name: Install Dateline
        run: |
          {install}
      - name: Find Dateline's version (it keys the build cache)
        id: dateline
        run: echo "version=$(dateline --version | cut -d ' ' -f 2)" >> "$GITHUB_OUTPUT"
      # The build cache and the last output, so that a push editing one article renders only
      # the pages it changes. A saved cache is never overwritten, so each run saves its own and
      # the next run restores the newest one of the same Dateline version, of the same settings
      # if there is one. An out-of-date cache is safe: Dateline checks every input against it
      # (content, settings, templates, its own code) and rebuilds whatever differs.
      - name: Restore the build cache
        id: cache
        uses: actions/cache/restore@v4
        with:
          path: |
            {cache_paths}
          key: {cache_key}
          restore-keys: |
            {restore_keys}
      # Writes the step output `changed`: whether the build wrote or removed any file. A
      # scheduled run that changed nothing (no article came due) saves and deploys nothing.
      - name: Build
        id: build
        env:
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}
        run: |
          dateline build{site} --base-url "$BASE_URL/" --output _site --changed-file "$GITHUB_OUTPUT"
      - name: Save the build cache
        if: {step_changed}
        uses: actions/cache/save@v4
        with:
          path: |
            {cache_paths}
          key: ${{{{ steps.cache.outputs.cache-primary-key }}}}
      - name: Leave Dateline's output marker out of the artifact
        run: rm -f _site/.dateline-output
      - if: {step_changed}
        uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    if: {job_changed}
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"""


@dataclass(frozen=True)
class Workflow:
    path: Path  # where it belongs
    text: str


def workflow(
    site_dir: Path, branch: str | None = None, install: str | None = None, every: int = DEFAULT_EVERY
) -> Workflow:
    """The workflow for the site in ``site_dir``, placed at its repository's root; scheduled
    every ``every`` minutes (0: never)."""
    root = _repository_root(site_dir)
    site = site_dir.resolve().relative_to(root).as_posix()
    source = _checked_branch(root, branch) if branch else _current_branch(root) or "main"
    same_version, same_settings = _cache_keys(_run_text(_no_expression(site), "site path"))
    text = _TEMPLATE.format(
        cache_paths=_block([_glob_literal(_in_site(site, CACHE_FOLDER)), OUTPUT_FOLDER]),
        cache_key=_yaml_string(same_settings + "${{ github.run_id }}-${{ github.run_attempt }}"),
        restore_keys=_block([same_settings, same_version]),
        branch=_yaml_string(_branch_filter(source)),
        python=PYTHON_VERSION,
        install=_run_text(install or _install_command(root, site_dir.resolve()), "install command"),
        site="" if site == "." else f" --site {_run_text(_quote(_no_expression(site)), 'site path')}",
        schedule=_schedule(every),
        step_changed=_CHANGED.format(outputs="steps.build.outputs"),
        job_changed=_CHANGED.format(outputs="needs.build.outputs"),
    )
    return Workflow(root / WORKFLOW_PATH, text)


def _schedule(every: int) -> str:
    """The ``schedule:`` trigger of a run every ``every`` minutes (5 to 60: GitHub runs none
    more often), or nothing for 0."""
    if every == 0:
        return ""
    if not 5 <= every <= 60:
        raise DatelineError(f"--every is 5 to 60 minutes (0: no scheduled runs), not {every}")
    cron = "0 * * * *" if every == 60 else f"*/{every} * * * *"
    return (
        f"\n  # Publishes embargoed articles once they come due (GitHub may start a run a few minutes late)."
        f'\n  schedule:\n    - cron: "{cron}"'
    )


def write(flow: Workflow, force: bool = False) -> bool:
    """Write the workflow; False when it is already there as is. Never overwrites silently."""
    if flow.path.is_file():
        if flow.path.read_bytes() == flow.text.encode():
            return False
        if not force:
            raise DatelineError(f"{flow.path} already exists and differs; pass --force to replace it")
    flow.path.parent.mkdir(parents=True, exist_ok=True)
    flow.path.write_text(flow.text, encoding="utf-8")
    return True


def _cache_keys(site: str) -> tuple[str, str]:
    """The starts of the build cache's keys: of the caches of the same Dateline version, as
    installed on the runner (a version written in here would go stale when the install
    command's pin moves), and of those that also share the site's settings. A run's own key
    adds the run to the second."""
    same_version = "dateline-${{ steps.dateline.outputs.version }}-"
    settings = _glob_literal(_in_site(site, SETTINGS_FILE)).replace("'", "''")  # an expression string
    return same_version, f"{same_version}${{{{ hashFiles('{settings}') }}}}-"


def _in_site(site: str, name: str) -> str:
    return name if site == "." else f"{site}/{name}"


def _glob_literal(path: str) -> str:
    """``path`` as a pattern of @actions/glob (what ``hashFiles`` and the cache's ``path``
    read) that matches only itself: its wildcards in brackets, and a leading ``#`` (a
    comment) or ``!`` (an exclusion) behind ``./``."""
    pattern = "".join(f"[{c}]" if c in "*?[" else c for c in path)
    return f"./{pattern}" if pattern.startswith(("#", "!")) else pattern


def _block(lines: list[str]) -> str:
    """Lines of a ``|`` block scalar, indented like the template's blocks."""
    return ("\n" + " " * _BLOCK_INDENT).join(lines)


def _repository_root(site_dir: Path) -> Path:
    """The git repository's root (where .github/ belongs), or the site folder outside git."""
    if not site_dir.is_dir():
        raise DatelineError(f"no site folder at {site_dir}")
    done = _git(site_dir, "rev-parse", "--show-toplevel")
    return Path(done).resolve() if done else site_dir.resolve()


def _current_branch(root: Path) -> str | None:
    branch = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    return branch if branch and branch != "gh-pages" else None


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _install_command(root: Path, site_dir: Path) -> str:
    """Install what the repository pins: its requirements.txt, else the project itself."""
    for folder in dict.fromkeys([site_dir, root]):
        if (folder / "requirements.txt").is_file():
            relative = (folder / "requirements.txt").relative_to(root).as_posix()
            return f"python -m pip install -r {_quote(relative)}"
    if (root / "pyproject.toml").is_file():
        return "python -m pip install ."
    raise DatelineError(
        "cannot tell how the workflow should install Dateline: add a requirements.txt that "
        "names it, or pass --install 'python -m pip install ...'"
    )


def _checked_branch(root: Path, branch: str) -> str:
    """``branch``, or a DatelineError for a name git refuses: no push could ever run it."""
    valid = not branch.startswith("-") and (
        shutil.which("git") is None or _git(root, "check-ref-format", "--branch", branch) == branch
    )
    if not valid:
        raise DatelineError(f"'{branch}' is not a valid branch name")
    return branch


def _branch_filter(branch: str) -> str:
    """The ``branches:`` filter that matches exactly ``branch``. GitHub reads ``+`` and a
    leading ``!`` as pattern syntax; the other special characters (``*?[\\``) cannot be in a
    branch name."""
    pattern = branch.replace("+", "\\+")
    return "\\" + pattern if pattern.startswith("!") else pattern


def _run_text(text: str, what: str) -> str:
    """``text`` inside a ``run: |`` block: its other lines indented like the block, so a
    command of several lines stays in it; characters YAML cannot hold are refused."""
    if any(not c.isprintable() and c not in "\n\t" for c in text):
        raise DatelineError(f"the {what} {text!r} has a control character, which a workflow cannot hold")
    first, *rest = text.strip().split("\n")
    return "\n".join([first, *(" " * _RUN_INDENT + line if line else "" for line in rest)])


def _no_expression(site: str) -> str:
    """GitHub evaluates ``${{ … }}`` anywhere in a step, even in a quoted shell word."""
    if "${{" in site:
        raise DatelineError(f"the site path '{site}' holds '${{{{', which GitHub Actions would evaluate")
    return site


def _yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar: JSON's string syntax is valid YAML, and a
    quoted scalar keeps ``#``, ``]``, ``,``, ``*`` or ``yes`` as the plain text they are."""
    return json.dumps(text, ensure_ascii=False)


def _quote(text: str) -> str:
    """Quote a path for the shell only when it needs it (keeps the common case readable)."""
    if all(c.isalnum() or c in "/._-" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
