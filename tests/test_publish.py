"""`dateline publish`: the site committed onto gh-pages of a real local bare repository."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import shutil
import subprocess
import sys
import tarfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from support.cli import run_cli
from support.site import article, write_site

from generator.cli import main
from generator.config import load_config
from generator.errors import DatelineError
from generator.publish.push import FILE_LIMIT_SIZE, FILE_WARNING_SIZE, MB, SITE_LIMIT_SIZE, check_size
from generator.publish.push import publish as publish_site

BASE_URL = "https://example.github.io/archive/"

SITE_TOML = f"""\
title = "Test Archive"
base_url = "{BASE_URL}"
timezone = "UTC"
per_page = 2
"""


def story(title: str, day: int, region: str, tags: str, body: str = "Body text.") -> str:
    """A staff reporter's article of ``day`` March 2024."""
    return article(
        f'"{title}"',
        f"2024-03-{day:02d}T09:00:00+00:00",
        body,
        region=region,
        tags=f"[{tags}]",
        author="Staff reporter",
    )


ARTICLES = {
    "content/2024/floods.md": story("Floods close the port", 1, "middle-east/iraq/basra", "floods, ports"),
    "content/2024/vote.md": story("Parliament votes", 2, "middle-east/iraq", "politics"),
    "content/2024/drought.md": story("Drought hits farms", 3, "africa/kenya", "drought, farming"),
    "content/2024/talks.md": story("Talks resume", 4, "europe/france", "politics, diplomacy"),
    "content/2024/storm.md": story(
        "Storm season begins",
        5,
        "asia/japan",
        "storms",
        # Root-relative links written in Markdown and raw HTML, from the site root.
        body="See [the floods](/2024/03/01/floods-close-the-port/), ![Map](/images/map.svg) "
        'and <a href="/tags/">every tag</a>.',
    ),
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git configuration leaks in; a test identity is configured."""
    config = tmp_path / "gitconfig"
    config.write_text(
        "[user]\n\tname = Test Editor\n\temail = editor@example.com\n[init]\n\tdefaultBranch = main\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(path))
    return path


@pytest.fixture
def site(tmp_path: Path, remote: Path) -> Path:
    """A site in a git repository with one commit on main and `origin` pointing at ``remote``."""
    root = tmp_path / "newsroom"
    write_site(
        root,
        {
            "site.toml": SITE_TOML,
            **ARTICLES,
            "static/_logo.svg": "<svg/>",
            "static/images/map.svg": "<svg/>",
            ".gitignore": "output/\n",
        },
    )
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "Archive sources")
    git(root, "remote", "add", "origin", str(remote))
    return root


def publish(site: Path, *args: str) -> int:
    return main(["publish", "--site", str(site), *args])


def branch_files(repo: Path, ref: str = "gh-pages") -> set[str]:
    return set(git(repo, "ls-tree", "-r", "--name-only", ref).splitlines())


def commits(repo: Path, ref: str = "gh-pages") -> list[str]:
    return git(repo, "rev-list", ref).splitlines()


def extract(repo: Path, ref: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", ref], cwd=repo, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


# -- the branch --------------------------------------------------------------------------------


def test_publish_pushes_the_built_site_onto_gh_pages_of_the_remote(site: Path, remote: Path) -> None:
    assert publish(site) == 0
    files = branch_files(remote)
    assert {"index.html", "404.html", "static/style.css", "tags/politics/index.html"} <= files
    assert "2024/03/01/floods-close-the-port/index.html" in files


def test_published_branch_has_nojekyll_so_underscore_files_are_served(site: Path, remote: Path) -> None:
    assert publish(site) == 0
    assert git(remote, "cat-file", "-s", "gh-pages:.nojekyll") == "0"
    assert "_logo.svg" in branch_files(remote)


def test_output_marker_is_not_published(site: Path, remote: Path) -> None:
    assert publish(site) == 0
    assert not any(name.endswith(".dateline-output") for name in branch_files(remote))


def test_cname_option_writes_the_custom_domain(site: Path, remote: Path) -> None:
    assert publish(site, "--cname", "https://News.Example.com/") == 0
    assert git(remote, "show", "gh-pages:CNAME") == "news.example.com"


def test_cname_setting_writes_the_custom_domain(site: Path, remote: Path) -> None:
    (site / "site.toml").write_text(SITE_TOML + 'cname = "archive.example.org"\n')
    assert publish(site) == 0
    assert git(remote, "show", "gh-pages:CNAME") == "archive.example.org"


def test_existing_cname_on_the_branch_is_kept(site: Path, remote: Path, tmp_path: Path) -> None:
    # GitHub commits a CNAME to the branch when a custom domain is set in the settings.
    other = tmp_path / "elsewhere"
    git(tmp_path, "init", "--quiet", str(other))
    write_site(other, {"CNAME": "kept.example.com\n"})
    git(other, "add", ".")
    git(other, "commit", "--quiet", "-m", "Create CNAME")
    git(other, "push", "--quiet", str(remote), "HEAD:refs/heads/gh-pages")
    github_commit = commits(remote)[0]

    assert publish(site) == 0
    assert git(remote, "show", "gh-pages:CNAME") == "kept.example.com"
    assert git(remote, "rev-parse", "gh-pages^") == github_commit


def test_invalid_cname_fails_before_anything_is_written(site: Path, remote: Path, capsys) -> None:
    assert publish(site, "--cname", "not a domain") == 1
    assert "custom domain must look like news.example.com" in capsys.readouterr().err
    assert git(remote, "branch", "--list") == ""


def test_second_publish_adds_a_commit_on_top_and_keeps_the_first(site: Path, remote: Path) -> None:
    assert publish(site, "--message", "First edition") == 0
    first = commits(remote)
    write_site(site, {"content/2024/late.md": story("Late edition", 6, "asia/japan", "storms")})

    assert publish(site, "--message", "Second edition") == 0
    history = commits(remote)
    assert len(history) == 2
    assert git(remote, "rev-parse", "gh-pages^") == first[0]
    assert git(remote, "log", "--format=%s", "gh-pages") == "Second edition\nFirst edition"
    assert "2024/03/06/late-edition/index.html" in branch_files(remote)
    assert "2024/03/06/late-edition/index.html" not in branch_files(remote, first[0])


def test_publishing_unchanged_output_makes_no_empty_commit(site: Path, remote: Path, capsys) -> None:
    assert publish(site) == 0
    assert publish(site) == 0
    assert len(commits(remote)) == 1
    assert "no new commit" in capsys.readouterr().out


def test_publish_builds_on_a_remote_tip_published_from_elsewhere(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    assert publish(site) == 0
    colleague = tmp_path / "colleague"
    git(tmp_path, "clone", "--quiet", str(remote), str(colleague))
    git(colleague, "switch", "--quiet", "gh-pages")
    write_site(colleague, {"extra.txt": "added by a colleague\n"})
    git(colleague, "add", ".")
    git(colleague, "commit", "--quiet", "-m", "Colleague's publish")
    git(colleague, "push", "--quiet", "origin", "gh-pages")
    theirs = commits(remote)[0]
    write_site(site, {"content/2024/late.md": story("Late edition", 6, "asia/japan", "storms")})

    assert publish(site) == 0
    assert git(remote, "rev-parse", "gh-pages^") == theirs
    assert len(commits(remote)) == 3


def test_no_push_commits_the_local_branch_only(site: Path, remote: Path) -> None:
    assert publish(site, "--no-push") == 0
    assert "index.html" in branch_files(site)
    assert git(remote, "branch", "--list") == ""


def test_later_push_carries_commits_made_with_no_push(site: Path, remote: Path) -> None:
    assert publish(site, "--no-push") == 0
    local = commits(site)
    assert publish(site) == 0
    assert commits(remote) == local


def test_other_branch_name_is_honoured(site: Path, remote: Path) -> None:
    assert publish(site, "--branch", "site") == 0
    assert "index.html" in branch_files(remote, "site")
    assert git(remote, "branch", "--list", "gh-pages") == ""


def test_remote_can_be_given_as_a_url(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "mirror.git"
    git(tmp_path, "init", "--quiet", "--bare", str(other))
    assert publish(site, "--remote", other.as_uri()) == 0
    assert "index.html" in branch_files(other)


def test_remote_can_be_a_path_relative_to_the_current_folder(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "--quiet", "--bare", str(tmp_path / "mirror.git"))
    monkeypatch.chdir(tmp_path)
    assert publish(site, "--remote", "mirror.git") == 0
    assert "index.html" in branch_files(tmp_path / "mirror.git")


def test_commit_is_made_without_a_configured_identity(
    site: Path, remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gitconfig").write_text("[user]\n\tuseConfigOnly = true\n")  # no guessing
    for name in [n for n in os.environ if n.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))]:
        monkeypatch.delenv(name)
    assert publish(site) == 0
    assert git(remote, "log", "-1", "--format=%an <%ae>", "gh-pages") == "Dateline <dateline@localhost>"


# -- the source repository is left alone -------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes]:
    """Every byte of the work tree, the index, HEAD and the branch refs."""
    state = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(".git/"):
            state[relative] = path.read_bytes()
    for name in (".git/index", ".git/HEAD", ".git/refs/heads/main"):
        state[name] = (root / name).read_bytes()
    return state


def test_source_branch_index_and_work_tree_are_byte_for_byte_unchanged(site: Path, remote: Path) -> None:
    # A work in progress: a staged edit, an unstaged edit and an untracked draft.
    write_site(
        site, {"content/2024/vote.md": story("Parliament votes again", 2, "middle-east/iraq", "politics")}
    )
    git(site, "add", "content/2024/vote.md")
    write_site(site, {"content/2024/talks.md": story("Talks stall", 4, "europe/france", "politics")})
    write_site(site, {"content/2024/draft.md": story("Untracked draft", 7, "asia/japan", "storms")})
    status = git(site, "--no-optional-locks", "status", "--porcelain")
    before = snapshot(site)

    assert publish(site) == 0
    assert publish(site, "--no-push") == 0

    assert snapshot(site) == before
    assert git(site, "--no-optional-locks", "status", "--porcelain") == status
    assert git(site, "symbolic-ref", "HEAD") == "refs/heads/main"
    assert not (site / "output").exists()


def test_published_site_is_the_work_tree_as_it_is(site: Path, remote: Path) -> None:
    write_site(site, {"content/2024/draft.md": story("Uncommitted story", 7, "asia/japan", "storms")})
    assert publish(site) == 0
    assert "2024/03/07/uncommitted-story/index.html" in branch_files(remote)


def test_refuses_when_gh_pages_is_the_checked_out_branch(site: Path, remote: Path, capsys) -> None:
    git(site, "switch", "--quiet", "-c", "gh-pages")
    assert publish(site) == 1
    assert "gh-pages branch is checked out" in capsys.readouterr().err
    assert git(remote, "branch", "--list") == ""


# -- errors: exit 1, nothing half-done ---------------------------------------------------------


def test_outside_a_git_repository_fails_clearly(tmp_path: Path, capsys) -> None:
    loose = tmp_path / "loose"
    write_site(loose, {"site.toml": SITE_TOML, **ARTICLES})
    assert publish(loose) == 1
    err = capsys.readouterr().err
    assert "is not inside a git repository" in err
    assert "Traceback" not in err


def test_missing_remote_fails_before_building(site: Path, capsys) -> None:
    git(site, "remote", "remove", "origin")
    assert publish(site) == 1
    err = capsys.readouterr().err
    assert "no remote named 'origin'" in err and "--no-push" in err
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_unknown_remote_name_fails_clearly(site: Path, capsys) -> None:
    assert publish(site, "--remote", "upstream") == 1
    assert "no remote named 'upstream'; this repository has: origin" in capsys.readouterr().err


# -- arguments git could read as options or as commands (issue #16) ----------------------------


def test_remote_that_is_a_git_option_is_a_usage_error_and_runs_nothing(site: Path, tmp_path: Path) -> None:
    marker = tmp_path / "injected"
    result = run_cli("publish", "--site", str(site), "--remote", f"--upload-pack=touch {marker}")
    assert result.returncode == 2
    assert "argument --remote: '--upload-pack=touch" in result.stderr
    assert "starts with '-', which git would read as an option" in result.stderr
    assert not marker.exists()


def test_publish_refuses_a_remote_that_is_a_git_option_and_runs_nothing(site: Path, tmp_path: Path) -> None:
    marker = tmp_path / "injected"
    with pytest.raises(DatelineError, match="starts with '-'"):
        publish_site(load_config(site), remote=f"--upload-pack=touch {marker}")
    assert not marker.exists()
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_a_folder_whose_name_starts_with_a_dash_is_a_remote_written_as_a_path(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "--quiet", "--bare", str(tmp_path / "-mirror.git"))
    monkeypatch.chdir(tmp_path)
    assert publish(site, "--remote", "./-mirror.git") == 0
    assert "index.html" in branch_files(tmp_path / "-mirror.git")


@pytest.mark.parametrize("transport", ["ext::sh -c touch% {marker}", "fd::3", "hg::{marker}"])
def test_a_transport_url_that_runs_a_helper_is_refused(site: Path, tmp_path: Path, transport: str) -> None:
    marker = tmp_path / "injected"
    url = transport.format(marker=marker)
    command = [sys.executable, "-m", "generator", "publish", "--site", str(site), "--remote", url]
    # A timeout of its own: git left to use fd::3 waits on that descriptor forever.
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "is not a URL git pushes over" in result.stderr
    assert not marker.exists()
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_a_configured_ext_remote_is_refused_even_where_git_allows_it(
    site: Path, tmp_path: Path, capsys
) -> None:
    marker = tmp_path / "injected"
    git(site, "remote", "add", "evil", f"ext::sh -c touch% {marker}")
    git(site, "config", "protocol.ext.allow", "always")
    assert publish(site, "--remote", "evil") == 1
    assert "transport 'ext' not allowed" in capsys.readouterr().err
    assert not marker.exists()


def test_a_missing_folder_given_as_remote_is_named_in_the_error(site: Path, tmp_path: Path, capsys) -> None:
    assert publish(site, "--remote", str(tmp_path / "nowhere.git")) == 1
    assert "is neither a configured remote, an existing folder nor a URL" in capsys.readouterr().err


def test_branch_that_is_a_git_option_is_a_usage_error(site: Path, remote: Path) -> None:
    result = run_cli("publish", "--site", str(site), "--branch=--upload-pack=x")
    assert result.returncode == 2
    assert "argument --branch: '--upload-pack=x' is not a valid branch name: it starts with '-'" in (
        result.stderr
    )
    assert git(remote, "branch", "--list") == ""


def test_previous_branch_shorthand_is_refused_before_building(site: Path, remote: Path, capsys) -> None:
    git(site, "switch", "--quiet", "-c", "drafts")
    git(site, "switch", "--quiet", "main")
    assert publish(site, "--branch", "@{-1}") == 1  # check-ref-format --branch reads it as drafts
    assert "'@{-1}' is not a valid branch name" in capsys.readouterr().err
    assert git(remote, "branch", "--list") == ""
    assert git(site, "branch", "--list", "drafts") == "drafts"
    assert git(site, "rev-parse", "drafts") == git(site, "rev-parse", "main")


def test_a_cname_on_the_branch_in_another_encoding_is_kept_without_a_crash(
    site: Path, remote: Path, capsys
) -> None:
    def raw_git(*args: str, input: bytes = b"") -> bytes:
        return subprocess.run(["git", *args], cwd=remote, input=input, capture_output=True, check=True).stdout

    assert publish(site) == 0
    blob = raw_git("hash-object", "-w", "--stdin", input=b"caf\xe9.example\n").decode().strip()
    tree = raw_git("mktree", input=f"100644 blob {blob}\tCNAME\n".encode()).decode().strip()
    tip = raw_git("commit-tree", tree, "-p", "gh-pages", "-m", "Custom domain in Latin-1").decode().strip()
    raw_git("update-ref", "refs/heads/gh-pages", tip)
    assert publish(site) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert raw_git("cat-file", "blob", "gh-pages:CNAME") == b"caf\xe9.example\n"


def test_a_static_cname_in_another_encoding_is_reported_not_a_crash(site: Path, remote: Path, capsys) -> None:
    (site / "static" / "CNAME").write_bytes(b"caf\xe9.example\n")
    assert publish(site) == 1
    err = capsys.readouterr().err
    assert "the custom domain must look like news.example.com" in err
    assert "Traceback" not in err
    assert git(remote, "branch", "--list") == ""


def test_build_failure_publishes_nothing(site: Path, remote: Path, capsys) -> None:
    write_site(site, {"content/2024/broken.md": "---\ntitle: [unclosed\n---\nBody\n"})
    assert publish(site) == 1
    err = capsys.readouterr().err
    assert "broken.md:2:" in err
    assert git(remote, "branch", "--list") == ""
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_rejected_push_says_why_and_how_to_fix_it(site: Path, remote: Path, capsys) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'gh-pages is protected: only CI may publish' >&2\nexit 1\n")
    hook.chmod(0o755)

    assert publish(site) == 1
    err = capsys.readouterr().err
    assert "push of gh-pages to 'origin' was rejected" in err
    assert "gh-pages is protected: only CI may publish" in err
    assert "protected branch" in err and "dateline workflow" in err
    assert git(remote, "branch", "--list") == ""
    assert git(site, "branch", "--list", "gh-pages") == ""  # the local branch did not move


def test_diverged_local_branch_is_refused_with_the_fix(
    site: Path, remote: Path, tmp_path: Path, capsys
) -> None:
    assert publish(site, "--no-push") == 0
    colleague = tmp_path / "colleague"
    git(tmp_path, "init", "--quiet", str(colleague))
    write_site(colleague, {"index.html": "theirs"})
    git(colleague, "add", ".")
    git(colleague, "commit", "--quiet", "-m", "Their site")
    git(colleague, "push", "--quiet", str(remote), "HEAD:refs/heads/gh-pages")
    theirs = commits(remote)

    assert publish(site) == 1
    assert "have diverged" in capsys.readouterr().err
    assert commits(remote) == theirs


def test_non_fast_forward_rejection_is_explained() -> None:
    from generator.publish.push import _rejection

    message = _rejection(
        "origin",
        "gh-pages",
        "To ../remote.git\n!\tabc:refs/heads/gh-pages\t[rejected] (fetch first)\nDone\n",
        "error: failed to push some refs to '../remote.git'\n",
    )
    assert "changed while publishing" in message
    assert "never force-pushes" in message


# -- correct under a sub-path ------------------------------------------------------------------


def html_pages(root: Path) -> Iterator[tuple[Path, lxml.html.HtmlElement]]:
    for path in sorted(root.rglob("*.html")):
        yield path, lxml.html.fromstring(path.read_bytes())


def links(tree: lxml.html.HtmlElement) -> Iterator[str]:
    for element in tree.iter():
        for attribute in ("href", "src", "action"):
            value = element.get(attribute)
            if value is not None:
                yield value


def test_every_root_relative_link_starts_with_the_sub_path(site: Path, remote: Path, tmp_path: Path) -> None:
    assert publish(site) == 0
    published = extract(remote, "gh-pages", tmp_path / "published")
    checked = 0
    for path, tree in html_pages(published):
        for link in links(tree):
            if link.startswith("/") and not link.startswith("//"):
                assert link.startswith("/archive/"), f"{path.relative_to(published)}: {link}"
                checked += 1
    assert checked > 100


def test_canonical_urls_are_under_the_base_url(site: Path, remote: Path, tmp_path: Path) -> None:
    assert publish(site) == 0
    published = extract(remote, "gh-pages", tmp_path / "published")
    for path, tree in html_pages(published):
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        assert canonical and canonical[0].startswith(BASE_URL), path


def test_base_url_option_overrides_the_setting(site: Path, remote: Path, tmp_path: Path) -> None:
    assert publish(site, "--base-url", "https://news.example.com/") == 0
    index = lxml.html.fromstring(git(remote, "show", "gh-pages:index.html"))
    assert index.xpath("//link[@rel='stylesheet']/@href") == ["/static/style.css"]


class SubPathServer:
    """Serves a folder under /archive/ the way GitHub Pages serves a project site, 404.html
    included, on 127.0.0.1."""

    def __init__(self, root: Path, prefix: str = "/archive/") -> None:
        server_root, server_prefix = root, prefix

        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path: str) -> str:
                path = urlsplit(path).path
                if not path.startswith(server_prefix):
                    return str(server_root / "no such folder" / "outside")  # never exists: 404
                return super().translate_path("/" + path[len(server_prefix) :])

            def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
                page = server_root / "404.html"
                if code != 404 or not page.is_file():
                    super().send_error(code, message, explain)
                    return
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial_directory(Handler, root))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SubPathServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def partial_directory(handler: type, root: Path):  # noqa: ANN201 - a handler factory
    return lambda *args, **kwargs: handler(*args, directory=str(root), **kwargs)


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get_content_type()


def crawl(
    origin: str, starts: list[str], limit: int = 2000, seconds: float = 60
) -> tuple[set[str], list[str]]:
    """Follow every internal link and asset from ``starts``; returns visited URLs and broken
    links as ``page -> link``. Bounded in requests and time."""
    queue = [(origin + start, "(start)") for start in starts]
    seen: set[str] = set()
    broken: list[str] = []
    deadline = time.monotonic() + seconds
    while queue:
        assert len(seen) < limit and time.monotonic() < deadline, "crawl did not finish"
        url, found_on = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, kind = fetch(url)
        is_start = found_on == "(start)"
        if status != 200 and not (is_start and status == 404):
            broken.append(f"{found_on} -> {url} ({status})")
            continue
        if kind != "text/html":
            continue
        for link in links(lxml.html.fromstring(body)):
            target = urljoin(url, link).split("#")[0]
            if target.startswith(BASE_URL):  # canonical URLs: the same path on this server
                target = origin + urlsplit(target).path
            if target.startswith(origin) and target not in seen:
                queue.append((target, url))
    return seen, broken


def test_published_tree_served_under_the_sub_path_has_no_broken_internal_link(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    assert publish(site) == 0
    published = extract(remote, "gh-pages", tmp_path / "published")
    with SubPathServer(published) as server:
        # The home page, and the 404 page as GitHub serves it for a missing deep URL.
        visited, broken = crawl(server.origin, ["/archive/", "/archive/2024/03/no/such/page/"])
    assert broken == []
    pages = {url for url in visited if url.endswith("/")}
    assert len(pages) >= len(list(published.rglob("index.html"))) - 1
    assert f"{server.origin}/archive/static/style.css" in visited
    assert f"{server.origin}/archive/images/map.svg" in visited  # linked from an article body


def test_crawler_reports_a_link_that_ignores_the_sub_path(tmp_path: Path) -> None:
    root = tmp_path / "bad"
    write_site(root, {"index.html": '<a href="/tags/">tags</a>', "tags/index.html": "<p>tags</p>"})
    with SubPathServer(root) as server:
        _, broken = crawl(server.origin, ["/archive/"])
    assert broken == [f"{server.origin}/archive/ -> {server.origin}/tags/ (404)"]


def test_publish_reports_what_it_did(site: Path, remote: Path, capsys) -> None:
    assert publish(site, "--cname", "news.example.com") == 0
    out = capsys.readouterr().out
    sha = commits(remote)[0][:12]
    assert f"Committed {sha} to gh-pages" in out and "CNAME news.example.com" in out
    assert f"Pushed gh-pages to origin; the site will be at {BASE_URL}" in out


@pytest.mark.parametrize(
    "url", ["http://localhost/", "http://127.0.0.1:8000/archive/", "http://[::1]/", "http://0.0.0.0/"]
)
def test_a_base_url_on_this_machine_is_refused_before_anything_is_built_or_committed(
    site: Path, remote: Path, capsys, url: str
) -> None:
    (site / "site.toml").write_text(SITE_TOML.replace(BASE_URL, url))
    assert publish(site) == 1
    err = capsys.readouterr().err
    assert f"dateline: base_url is {url}, an address on this machine" in err
    assert "Set base_url in site.toml" in err and "nothing was built or committed" in err
    assert git(site, "branch", "--list", "gh-pages") == "" and commits_in(remote) == []
    assert not (site / ".git" / "dateline-publish").exists()


def test_a_site_without_a_base_url_is_refused_as_the_default(site: Path, remote: Path, capsys) -> None:
    (site / "site.toml").write_text('title = "Test Archive"\n')
    assert publish(site, "--no-push") == 1
    assert "base_url is http://localhost:8000/ (the default)" in capsys.readouterr().err
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_a_loopback_base_url_option_is_refused_too(site: Path, remote: Path, capsys) -> None:
    assert publish(site, "--base-url", "http://localhost:4000/") == 1
    assert "base_url is http://localhost:4000/, an address on this machine" in capsys.readouterr().err
    assert commits_in(remote) == []


def commits_in(repo: Path) -> list[str]:
    """Every commit of a bare repository, on any branch."""
    return git(repo, "rev-list", "--all").splitlines()


def test_published_bytes_match_a_plain_build(site: Path, remote: Path, tmp_path: Path) -> None:
    assert publish(site) == 0
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "plain")]) == 0
    published = extract(remote, "gh-pages", tmp_path / "published")
    assert published_bytes(published) == built_bytes(tmp_path / "plain")


def file_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def published_bytes(published: Path) -> dict[str, str]:
    digests = file_digests(published)
    assert digests.pop(".nojekyll")
    return digests


def built_bytes(output: Path) -> dict[str, str]:
    digests = file_digests(output)
    del digests[".dateline-output"]
    return digests


def test_a_publish_after_an_edit_renders_only_the_pages_the_edit_changes(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    first = publish_site(load_config(site))
    with (site / "content/2024/vote.md").open("a") as source:
        source.write("\nA sentence added after the first publish.\n")
    second = publish_site(load_config(site))
    assert second.changed and second.pushed
    assert 0 < second.report.rendered < first.report.rendered / 2
    assert main(["build", "--site", str(site), "--output", str(tmp_path / "cold"), "--no-cache"]) == 0
    published = extract(remote, "gh-pages", tmp_path / "published")
    page = published / "2024/03/02/parliament-votes/index.html"
    assert "A sentence added after the first publish." in page.read_text()
    assert published_bytes(published) == built_bytes(tmp_path / "cold")


def test_publishing_keeps_its_build_in_the_git_folder_not_the_site(site: Path, remote: Path) -> None:
    assert publish(site) == 0
    kept = list((site / ".git" / "dateline-publish").glob("*/site/index.html"))
    assert len(kept) == 1
    assert not (site / ".dateline-cache").exists()


# -- what GitHub would refuse, said before a push (issue #17) ----------------------------------


@pytest.fixture
def large_file(site: Path) -> Iterator[Callable[[Path, int], None]]:
    """Makes a file of ``size`` bytes in no time: sparse, all zeros. The build's copies of it
    are not sparse, so the site goes at the end of the test, before the system writes those
    hundreds of megabytes back to disk under the tests that follow."""

    def make(path: Path, size: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            f.truncate(size)

    yield make
    shutil.rmtree(site, ignore_errors=True)


def test_publish_refuses_a_file_over_githubs_limit_before_committing(
    site: Path, remote: Path, capsys, large_file
) -> None:
    large_file(site / "static" / "video" / "raid.mp4", FILE_LIMIT_SIZE + 1)
    assert publish(site) == 1
    err = capsys.readouterr().err
    assert "gh-pages/video/raid.mp4:1: 100.0 MB, over GitHub's file size limit of 100.0 MB" in err
    assert "1 error; nothing was committed" in err
    assert git(remote, "branch", "--list") == ""
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_build_warns_about_a_file_over_githubs_limit(site: Path, capsys, large_file) -> None:
    large_file(site / "static" / "video" / "raid.mp4", 101 * MB)
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    shown = site / "output" / "video" / "raid.mp4"
    assert (
        f"{shown}:1: 101.0 MB, over GitHub's file size limit of 100.0 MB: a push holding it is rejected"
        in err
    )
    assert "host a large media file elsewhere" in err


def test_publish_warns_about_a_file_github_warns_about_and_publishes_it(
    site: Path, remote: Path, capsys, large_file
) -> None:
    large_file(site / "static" / "video" / "raid.mp4", FILE_WARNING_SIZE + 1)
    assert publish(site) == 0
    err = capsys.readouterr().err
    assert "gh-pages/video/raid.mp4:1: 50.0 MB, over the 50.0 MB at which GitHub starts warning" in err
    assert "video/raid.mp4" in branch_files(remote)


def test_a_build_with_drafts_is_a_preview_and_not_measured(site: Path, capsys, large_file) -> None:
    large_file(site / "static" / "video" / "raid.mp4", FILE_WARNING_SIZE + 1)
    assert main(["build", "--site", str(site), "--drafts"]) == 0
    assert "GitHub" not in capsys.readouterr().err


def test_a_site_over_githubs_limit_names_its_largest_files_and_the_settings_that_shrink_it() -> None:
    sizes = {f"feeds/{n:02}.xml": 30 * MB for n in range(40)} | {"index.html": 10, "big.json": 40 * MB}
    check = check_size(sizes, Path("output"))
    assert check.refused == ()
    [site_warning] = check.warnings
    message = str(site_warning)
    assert message.startswith("output:1: the site is 1.21 GB, over GitHub Pages' limit of 1.00 GB a site")
    assert "its largest files: big.json (40.0 MB), feeds/00.xml (30.0 MB), feeds/01.xml" in message
    assert "feeds/03.xml (30.0 MB); " in message  # five of them
    for setting in ("feed_full_content = false", "feed_limit", "search = false"):
        assert setting in message


def test_a_site_at_githubs_limit_is_not_warned_about() -> None:
    assert check_size({"a.bin": SITE_LIMIT_SIZE - 20 * MB, "b.html": 20 * MB}, Path("output")).warnings == ()
