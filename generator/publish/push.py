"""Publish to GitHub Pages: a production build committed onto a branch, then pushed.

The model is ghp-import's: the site is built into a folder of its own and committed with git
plumbing (``hash-object``, a temporary index, ``write-tree``, ``commit-tree``) on top of the
branch's existing history, so publishing never checks out, stashes or touches the work tree,
the index or the current branch. The folder and its build cache are kept inside the
repository's git folder between publishes, so a publish after an edit is an incremental build
(the same bytes as a build from scratch), not a build of the whole archive. Three lessons from
other deployers shape the rest:

- Force-pushing erases the branch's history (travis-ci #7562): the new commit's parent is the
  remote tip, the push is a plain fast-forward, and a rejection is reported, never overridden.
- Deployers that replace the whole tree drop the ``CNAME`` GitHub wrote when a custom domain
  was set, which resets the domain (tschaub/gh-pages #236): an existing CNAME is carried over.
- Without ``.nojekyll`` GitHub's Jekyll pass drops files whose names start with ``_``.

Nothing is half-done: the build, the commit and the push happen in that order, and the local
branch moves only after the push succeeded (or with ``push=False``). A build holding a file
GitHub would reject stops before the commit (``check_size``, which ``dateline build`` runs
too, to warn).
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from generator import __version__
from generator.config import Config
from generator.engine import cache
from generator.engine.build import Progress, Report, build
from generator.engine.output import MARKER
from generator.errors import BuildFailed, ContentError, DatelineError

DEFAULT_BRANCH = "gh-pages"
DEFAULT_REMOTE = "origin"
#: Used only when git has no identity configured (a fresh CI machine), so publishing works.
FALLBACK_IDENTITY = {
    "GIT_AUTHOR_NAME": "Dateline",
    "GIT_AUTHOR_EMAIL": "dateline@localhost",
    "GIT_COMMITTER_NAME": "Dateline",
    "GIT_COMMITTER_EMAIL": "dateline@localhost",
}
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
#: URL schemes git pushes over; anything else must be set up as a named remote first.
_URL_SCHEMES = {"http", "https", "ssh", "git", "file", "git+ssh", "ssh+git"}
#: git's scp-like syntax, ``[user@]host:path``: a colon before any slash (and not ``::``,
#: which selects a transport helper instead).
_SCP_LIKE = re.compile(r"^[^/:]+:(?!:)")
#: Transports that run commands or read file descriptors (``ext::sh -c …``, ``fd::3``) are
#: refused for every git call, whatever the user's git configuration allows.
_PROTOCOL_LIMITS = ("-c", "protocol.ext.allow=never", "-c", "protocol.fd.allow=never")

# What GitHub refuses, in GitHub's own unit: its "100 MB" file limit and its push messages
# ("File x is 101.00 MB; this exceeds GitHub's file size limit of 100.00 MB") count 2**20 bytes.
MB = 1024 * 1024
#: git pushes to GitHub warn about a file this large.
FILE_WARNING_SIZE = 50 * MB
#: GitHub rejects a push that holds a file larger than this.
FILE_LIMIT_SIZE = 100 * MB
#: "Published GitHub Pages sites may be no larger than 1 GB" (GitHub Pages limits).
SITE_LIMIT_SIZE = 1024 * MB
#: How many of the largest files a warning about the whole site names.
LARGEST_SHOWN = 5
SHRINK_SETTINGS = (
    "feed_full_content = false (feeds carry summaries), a smaller feed_limit (fewer entries "
    "a feed) or search = false (no search index) in site.toml"
)


def _quiet(stage: str, total: int) -> Callable[[], None]:
    return lambda: None


@dataclass(frozen=True)
class Published:
    """What a publish did."""

    branch: str
    commit: str  # the branch tip after publishing
    parent: str | None  # the tip it was built on; None for the branch's first commit
    changed: bool  # False: the branch already held exactly this site, no commit was made
    remote: str | None  # where it was pushed; None with push=False
    pushed: bool  # False when push=False or the remote already had this commit
    files: int  # files on the branch, .nojekyll and CNAME included
    cname: str | None  # the custom domain on the branch, if any
    report: Report  # the build's


class Git:
    """Runs git in one repository; every failure becomes a DatelineError.

    Values from the user (remote, branch) never reach git where it could read them as options:
    they are refused when they start with ``-`` and follow ``--`` wherever git takes one.
    ``rev-parse --verify`` and ``commit-tree`` take none; what they are given is ``HEAD``, a
    name under ``refs/`` or an object id, never a word starting with ``-``."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.cwd = cwd
        self.env = {**os.environ, "LC_ALL": "C", **(env or {})}  # C locale: messages we parse

    def run(
        self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            done = subprocess.run(
                ["git", *_PROTOCOL_LIMITS, *args],
                cwd=self.cwd,
                input=input,
                capture_output=True,
                env={**self.env, **(env or {})},
                check=False,
            )
        except FileNotFoundError:
            raise DatelineError("git is not installed; install it to publish") from None
        if check and done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
            raise DatelineError(f"git {args[0]} failed: {message}")
        return done

    def out(self, *args: str, **kwargs: object) -> str:
        # Lenient: a CNAME blob or a ref name in another encoding is data, not a crash.
        return self.run(*args, **kwargs).stdout.decode(errors="replace").strip()  # type: ignore[arg-type]

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0


def repository(site_dir: Path) -> Git:
    """The git repository holding the site folder, or a DatelineError saying how to make one."""
    if not site_dir.is_dir():
        raise DatelineError(f"no site folder at {site_dir}")
    done = Git(site_dir.resolve()).run("rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise DatelineError(
            f"{site_dir.resolve()} is not inside a git repository; publishing commits the site to "
            "a branch of the site's repository (create one with `git init`, add a remote with "
            "`git remote add origin URL`)"
        )
    return Git(Path(done.stdout.decode().strip()))


def publish(
    config: Config,
    *,
    remote: str | None = None,
    branch: str = DEFAULT_BRANCH,
    cname: str | None = None,
    message: str | None = None,
    push: bool = True,
    now: datetime | None = None,
    progress: Progress = _quiet,
) -> Published:
    """Build ``config`` for production and commit it onto ``branch``; push unless told not to.

    ``remote`` is a remote's name or a URL (default ``origin``; without ``push`` a missing
    default remote is fine and only the local branch is used).
    """
    check_production_url(config)
    git = repository(config.site_dir)
    domain = normalise_cname(cname if cname is not None else config.cname)
    _check_branch(git, branch)
    target = _remote(git, remote, push)
    remote_tip = _fetch_tip(git, target, branch) if target else None
    local_tip = _tip(git, f"refs/heads/{branch}")
    parent = _parent(git, branch, target, local_tip, remote_tip)

    with _kept_build(git, config.site_dir) as kept, tempfile.TemporaryDirectory(prefix="dateline-") as temp:
        out_dir = kept / "site"
        production = replace(config, output_dir=out_dir, cache_folder=kept / "cache", drafts=False)
        report = build(production, now, progress)
        files = _site_files(out_dir)
        # Before any blob is written: GitHub would reject the push, and git keeps a blob forever.
        size = check_size({name: (out_dir / name).stat().st_size for name in files}, Path(branch))
        if size.refused:
            raise BuildFailed(size.refused)
        report = replace(report, warnings=report.warnings + size.warnings)
        tree, domain = _tree(git, Path(temp) / "index", out_dir, files, parent, domain)

    if parent is not None and tree == git.out("rev-parse", f"{parent}^{{tree}}"):
        commit, changed = parent, False  # unchanged output: no empty commit
    else:
        commit, changed = _commit(git, tree, parent, message or _default_message(git)), True

    pushed = False
    if push and target is not None and commit != remote_tip:
        _push(git, target, commit, branch)
        pushed = True
    if commit != local_tip:
        zero = "0" * len(commit)
        git.run(
            "update-ref", "-m", "dateline publish", "--", f"refs/heads/{branch}", commit, local_tip or zero
        )
    count = len(files) + 1 + (domain is not None and "CNAME" not in files)
    return Published(branch, commit, parent, changed, target if push else None, pushed, count, domain, report)


@contextlib.contextmanager
def _kept_build(git: Git, site_dir: Path) -> Iterator[Path]:
    """The folder publishing builds ``site_dir`` in, kept between publishes: inside the
    repository's git folder, where it touches neither the work tree nor ``git status``. Held
    locked, so two publishes at once take turns instead of building into one folder."""
    git_path = Path(git.out("rev-parse", "--git-path", "dateline-publish"))
    folder = (git.cwd / git_path) / cache.digest(str(site_dir.resolve()))
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder


@dataclass(frozen=True)
class SizeCheck:
    """What GitHub would make of a site's files: ``refused`` stops a push to a branch."""

    warnings: tuple[ContentError, ...]
    refused: tuple[ContentError, ...]


def output_sizes(out_dir: Path) -> dict[str, int]:
    """Every file of a build, as a POSIX path relative to ``out_dir``, and its size;
    Dateline's own marker stays behind, as it does when publishing."""
    sizes: dict[str, int] = {}
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(out_dir / folder) as entries:
            for entry in entries:
                relative = f"{folder}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    folders.append(f"{relative}/")
                elif relative != MARKER:
                    sizes[relative] = entry.stat(follow_symlinks=False).st_size
    return sizes


def check_size(sizes: dict[str, int], shown: Path) -> SizeCheck:
    """Warn about a site GitHub Pages would not publish whole and files GitHub warns about;
    files a push would be rejected for are ``refused``. ``shown`` names the site's folder
    in the messages (the output folder, or the branch)."""
    warnings: list[ContentError] = []
    refused: list[ContentError] = []
    largest_first = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))
    for relative, size in largest_first:
        if size <= FILE_WARNING_SIZE:
            break
        if size > FILE_LIMIT_SIZE:
            limit = _megabytes(FILE_LIMIT_SIZE)
            why = f"over GitHub's file size limit of {limit}: a push holding it is rejected"
            refused.append(ContentError(shown / relative, 1, f"{_megabytes(size)}, {why}; {_FILE_ADVICE}"))
        else:
            why = f"over the {_megabytes(FILE_WARNING_SIZE)} at which GitHub starts warning"
            warnings.append(ContentError(shown / relative, 1, f"{_megabytes(size)}, {why}; {_FILE_ADVICE}"))
    total = sum(sizes.values())
    if total > SITE_LIMIT_SIZE:
        largest = largest_first[:LARGEST_SHOWN]
        named = ", ".join(f"{relative} ({_megabytes(size)})" for relative, size in largest)
        warnings.append(
            ContentError(
                shown,
                1,
                f"the site is {_megabytes(total)}, over GitHub Pages' limit of "
                f"{_megabytes(SITE_LIMIT_SIZE)} a site, so GitHub may not publish it; "
                f"its largest files: {named}; shrink it with {SHRINK_SETTINGS}",
            )
        )
    return SizeCheck(tuple(warnings), tuple(refused))


_FILE_ADVICE = (
    "host a large media file elsewhere (a release asset, a media server) and link to it; "
    f"a feed or the search index shrinks with {SHRINK_SETTINGS}"
)


def _megabytes(size: int) -> str:
    return f"{size / SITE_LIMIT_SIZE:.2f} GB" if size >= SITE_LIMIT_SIZE else f"{size / MB:.1f} MB"


def check_production_url(config: Config) -> None:
    """Refuse a base URL on this machine (``localhost``, ``127.0.0.1``, ``::1``; ``dateline
    init`` writes one and it is the default): every canonical URL, feed and sitemap of the
    published site would point at the reader's own computer."""
    host = (urlsplit(config.base_url).hostname or "").rstrip(".").lower()
    if host and not _on_this_machine(host):
        return
    default = " (the default)" if config.base_url == Config.base_url else ""
    raise DatelineError(
        f"base_url is {config.base_url}{default}, an address on this machine: the published "
        "site's canonical URLs, feeds and sitemaps would point there. Set base_url in site.toml "
        "to the address the site is published at (https://ORG.github.io/REPO/ on GitHub Pages, "
        "or your domain), or pass --base-url; nothing was built or committed"
    )


def _on_this_machine(host: str) -> bool:
    """Whether ``host`` names this machine: ``localhost`` (and names under it), a loopback
    address (127.0.0.0/8, ::1) or the unspecified one (0.0.0.0, ::)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def normalise_cname(value: str | None) -> str | None:
    """``https://News.Example.com/`` -> ``news.example.com``; empty -> None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    if not _DOMAIN.match(host):
        raise DatelineError(f"the custom domain must look like news.example.com, not '{value}'")
    return host


# -- the branch and the remote -----------------------------------------------------------------


def checked_branch(branch: str) -> str:
    """``branch`` unchanged, or a DatelineError when git could take it for an option."""
    if branch.startswith("-"):
        raise DatelineError(f"'{branch}' is not a valid branch name: it starts with '-'")
    return branch


def checked_remote(remote: str) -> str:
    """``remote`` unchanged, or a DatelineError when git could take it for an option
    (``--upload-pack=COMMAND`` runs COMMAND)."""
    if remote.startswith("-"):
        raise DatelineError(
            f"'{remote}' is not a remote: it starts with '-', which git would read as an option; "
            "give a remote's name, a URL or a path (a folder named -NAME as ./-NAME)"
        )
    return remote


def _check_branch(git: Git, branch: str) -> None:
    # check-ref-format takes no `--`; the value is safe after checked_branch. Its output must
    # be the name itself: it expands `@{-1}` to the previous branch, which is no branch name.
    done = git.run("check-ref-format", "--branch", checked_branch(branch), check=False)
    if done.returncode != 0 or done.stdout.decode(errors="replace").strip() != branch:
        raise DatelineError(f"'{branch}' is not a valid branch name")
    listing = git.out("worktree", "list", "--porcelain")
    for block in listing.split("\n\n"):
        lines = block.splitlines()
        if f"branch refs/heads/{branch}" in lines:
            where = lines[0].removeprefix("worktree ")
            raise DatelineError(
                f"the {branch} branch is checked out in {where}; publishing moves that branch, "
                "so switch that work tree to your source branch first (`git switch main`)"
            )


def _remote(git: Git, remote: str | None, push: bool) -> str | None:
    """The remote to use: a configured name, a URL or path, or None (only without push)."""
    names = git.out("remote").split()
    if remote is None:
        if DEFAULT_REMOTE in names or push:
            return _configured(DEFAULT_REMOTE, names)
        return None
    if checked_remote(remote) in names:
        return remote
    if Path(remote).exists():
        return str(Path(remote).resolve())  # git runs at the repository root, not here
    if _is_url(remote):
        return remote
    if "::" in remote or "://" in remote or _SCP_LIKE.match(remote):
        raise DatelineError(
            f"'{remote}' is not a URL git pushes over ({', '.join(sorted(_URL_SCHEMES))} or "
            "host:path); for another transport, add it with `git remote add NAME URL` and pass "
            "--remote NAME"
        )
    if "/" in remote or os.sep in remote:
        raise DatelineError(f"'{remote}' is neither a configured remote, an existing folder nor a URL")
    return _configured(remote, names)


def _configured(name: str, names: Sequence[str]) -> str:
    if name in names:
        return name
    known = f"; this repository has: {', '.join(names)}" if names else ""
    raise DatelineError(
        f"no remote named '{name}'{known}. Add it with `git remote add {name} URL`, pass "
        "--remote NAME or --remote URL, or use --no-push to commit locally only"
    )


def _is_url(remote: str) -> bool:
    """A URL of a transport git pushes over by itself: ``scheme://…`` or ``[user@]host:path``.
    ``transport::address`` and other schemes are left out: they run helper programs (``ext::``
    runs any command), so they are only used when configured as a named remote."""
    if "::" in remote:
        return False
    if "://" in remote:
        return urlsplit(remote).scheme.lower() in _URL_SCHEMES
    return bool(_SCP_LIKE.match(remote))


def _fetch_tip(git: Git, remote: str, branch: str) -> str | None:
    """The remote branch's tip, fetched so it can be the parent; None if it has no such branch."""
    ref = f"refs/heads/{branch}"
    done = git.run("ls-remote", "--heads", "--", remote, ref, check=False)
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip()
        raise DatelineError(f"cannot read remote '{remote}': {reason}")
    tips = [line.split("\t") for line in done.stdout.decode().splitlines()]
    tip = next((sha for sha, name in tips if name == ref), None)
    if tip is not None and not git.ok("cat-file", "-e", "--", f"{tip}^{{commit}}"):
        git.run("fetch", "--quiet", "--no-tags", "--", remote, ref)
    return tip


def _tip(git: Git, ref: str) -> str | None:
    done = git.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    return done.stdout.decode().strip() or None


def _parent(
    git: Git, branch: str, remote: str | None, local: str | None, remote_tip: str | None
) -> str | None:
    """Build on whichever tip contains the other; refuse diverged histories."""
    if local is None or remote_tip is None or local == remote_tip:
        return remote_tip or local
    if git.ok("merge-base", "--is-ancestor", "--", local, remote_tip):
        return remote_tip
    if git.ok("merge-base", "--is-ancestor", "--", remote_tip, local):
        return local  # earlier publishes made with --no-push: this push carries them too
    raise DatelineError(
        f"the local {branch} branch and {branch} on '{remote}' have diverged; to publish on top "
        f"of the remote, drop the local commits with `git branch -f {branch} {remote_tip[:12]}`"
    )


# -- the commit --------------------------------------------------------------------------------


def _site_files(out_dir: Path) -> list[str]:
    """Every file of the build, as POSIX paths; Dateline's own marker stays behind."""
    files = []
    for root, dirs, names in os.walk(out_dir):
        dirs.sort()
        for name in sorted(names):
            relative = (Path(root) / name).relative_to(out_dir).as_posix()
            if "\n" in relative:  # hash-object --stdin-paths reads one path a line
                raise DatelineError(f"cannot publish {relative!r}: its name has a line break")
            if relative != MARKER:
                files.append(relative)
    return files


def _tree(
    git: Git, index: Path, out_dir: Path, files: Sequence[str], parent: str | None, domain: str | None
) -> tuple[str, str | None]:
    """Write the tree of the site plus ``.nojekyll`` and ``CNAME``; returns it and the domain.

    A temporary index file keeps the repository's own index untouched; ``--no-filters`` stores
    the bytes as built, whatever the source repository's ``.gitattributes`` say.
    """
    paths = "".join(f"{out_dir / name}\n" for name in files).encode()
    hashed = git.out("hash-object", "-w", "--no-filters", "--stdin-paths", input=paths).split()
    entries = dict(zip(files, hashed, strict=True))
    entries[".nojekyll"] = git.out("hash-object", "-w", "--stdin", input=b"")
    if domain is not None:
        entries["CNAME"] = git.out("hash-object", "-w", "--stdin", input=f"{domain}\n".encode())
    elif "CNAME" in entries:  # the site's own static/CNAME
        domain = normalise_cname((out_dir / "CNAME").read_bytes().decode(errors="replace").strip())
    elif parent is not None and (kept := _blob(git, parent, "CNAME")):
        entries["CNAME"] = kept
        domain = git.out("cat-file", "blob", "--", kept).strip() or None
    listing = "".join(f"100644 {sha}\t{path}\0" for path, sha in entries.items()).encode()
    env = {"GIT_INDEX_FILE": str(index)}
    git.run("update-index", "--add", "-z", "--index-info", input=listing, env=env)
    return git.out("write-tree", env=env), domain


def _blob(git: Git, commit: str, path: str) -> str | None:
    done = git.run("rev-parse", "--verify", "--quiet", f"{commit}:{path}", check=False)
    return done.stdout.decode().strip() or None


def _commit(git: Git, tree: str, parent: str | None, message: str) -> str:
    args = ["commit-tree", tree, *(["-p", parent] if parent else []), "-m", message]
    has_identity = git.ok("var", "GIT_COMMITTER_IDENT") and git.ok("var", "GIT_AUTHOR_IDENT")
    return git.out(*args, env=None if has_identity else FALLBACK_IDENTITY)


def _default_message(git: Git) -> str:
    source = _tip(git, "HEAD")
    origin = f" from {source[:12]}" if source else ""
    return f"Publish site{origin} with Dateline {__version__}"


# -- the push ----------------------------------------------------------------------------------


def _push(git: Git, remote: str, commit: str, branch: str) -> None:
    """A plain fast-forward push; a rejection explains itself and how to fix it."""
    done = git.run("push", "--porcelain", "--", remote, f"{commit}:refs/heads/{branch}", check=False)
    if done.returncode == 0:
        return
    raise DatelineError(
        _rejection(remote, branch, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"))
    )


def _rejection(remote: str, branch: str, stdout: str, stderr: str) -> str:
    status = next((line for line in stdout.splitlines() if line.startswith("!")), "")
    reason = status.split("\t")[-1].strip() if status else ""
    said = [
        line.removeprefix("remote:").strip() for line in stderr.splitlines() if line.startswith("remote:")
    ]
    said = [line for line in said if line]
    detail = "".join(f"\n  remote: {line}" for line in said)
    lowered = (reason + stderr).lower()
    if any(word in lowered for word in ("non-fast-forward", "fetch first", "stale info")):
        why = f"{branch} on '{remote}' changed while publishing (someone else published)"
        fix = "Run `dateline publish` again: it builds on top of the new tip. Dateline never force-pushes."
    elif "remote rejected" in lowered or "declined" in lowered or "protected" in lowered:
        why = f"the remote refused the update {reason}".strip()
        fix = (
            f"If {branch} is a protected branch, allow pushes to it in the repository's branch "
            "settings, or deploy with the Actions workflow instead (`dateline workflow`)."
        )
    elif any(word in lowered for word in ("permission", "denied", "authentication", "403", "401")):
        why = "you are not allowed to push there"
        fix = f"Check your credentials: `git push {remote} {branch}` must work from this repository."
    else:
        why = reason or (stderr.strip().splitlines() or ["git push failed"])[-1]
        fix = f"Check that `git push {remote}` works from this repository, then publish again."
    return (
        f"push of {branch} to '{remote}' was rejected: {why}{detail}\n{fix}\n"
        f"Nothing was changed: the local {branch} branch was left where it was."
    )
