"""The ``dateline`` command line: argument parsing, progress and exit codes."""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator import __version__
from generator.config import base_url_problem, load_config
from generator.content.dates import parse_date, parse_text
from generator.content.sources import describe_unread
from generator.engine.build import build
from generator.errors import BuildFailed, DatelineError
from generator.progress import progress_bar
from generator.publish.push import checked_branch, checked_remote

if TYPE_CHECKING:
    from generator.config import Config
    from generator.engine.build import Report


def _site_folder(text: str) -> Path:
    """An existing folder: a mistyped --site would otherwise build an empty site, or write
    a new one, somewhere unintended."""
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: {'not a folder' if path.exists() else 'no such folder'}")
    return path


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site", type=_site_folder, default=Path("."), help="the site folder (holds content/, site.toml)"
    )


# -- argument types: a bad value is a usage error (exit 2) with a message, never a traceback ---


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def _port(text: str) -> int:
    port = _integer(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535 (0: any free port), not {text}")
    return port


def _jobs(text: str) -> int:
    jobs = _integer(text)
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"at least 1 process is needed, not {text}")
    return jobs


def _existing(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file or folder")
    return path


def _host(text: str) -> str:
    # An empty host makes the socket listen on every interface, not on none.
    if not text.strip():
        raise argparse.ArgumentTypeError("the host is empty; 127.0.0.1 serves this machine only")
    return text


def _base_url(text: str) -> str:
    if problem := base_url_problem(text):
        raise argparse.ArgumentTypeError(problem)
    return text


def _date(text: str) -> datetime:
    """A date as front matter takes one; naive until the site's time zone is known."""
    try:
        return parse_text(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is no date: {error}") from None


def _folder(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("the folder name is empty")
    return Path(text)


def _git_value(check: Callable[[str], str]) -> Callable[[str], str]:
    """An argument type from one of publish's checks of values handed to git."""

    def parse(text: str) -> str:
        try:
            return check(text)
        except DatelineError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


class _Parser(argparse.ArgumentParser):
    """argparse's parser, naming the command meant when one is mistyped (``dateline buidl``)."""

    commands: tuple[str, ...] = ()

    def error(self, message: str) -> NoReturn:
        mistyped = re.search(r"invalid choice: (?P<quote>'?)(?P<value>.*?)(?P=quote) \(choose from", message)
        if mistyped and (close := difflib.get_close_matches(mistyped["value"], self.commands, n=1)):
            message = f"{message}; did you mean '{close[0]}'?"
        super().error(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dateline",
        description="Build a static news archive from Markdown articles.",
        epilog="Exit status: 0 success, 1 content or build errors, 2 usage errors.",
    )
    parser.add_argument("--version", action="version", version=f"dateline {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build",
        help="build the site into output/",
        description="Build the site. Errors are printed as path:line: message and leave the "
        "previous output untouched.",
    )
    _site_options(build_cmd)
    build_cmd.add_argument("--output", type=_folder, help="output folder (default: SITE/output)")
    build_cmd.add_argument("--base-url", type=_base_url, help="override base_url from site.toml")
    build_cmd.add_argument("--drafts", action="store_true", help="include drafts and future articles")
    build_cmd.add_argument(
        "--no-search", action="store_true", help="skip the search index (faster; overrides site.toml)"
    )
    build_cmd.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="processes for parsing and rendering (default: all cores)",
    )
    build_cmd.add_argument(
        "--no-cache", action="store_true", help="ignore .dateline-cache/ and build everything from scratch"
    )
    build_cmd.add_argument(
        "--changed-file",
        type=_folder,
        metavar="PATH",
        help="append changed=true or changed=false to PATH: whether the build wrote or removed any "
        'output file (--changed-file "$GITHUB_OUTPUT" makes it a GitHub Actions step output)',
    )

    check_cmd = commands.add_parser(
        "check",
        help="validate content and internal links without writing",
        description="Read every article and render every page in memory, then report content "
        "errors and broken internal links. Writes nothing.",
    )
    _site_options(check_cmd)
    check_cmd.add_argument("--drafts", action="store_true", help="include drafts and future articles")

    new_cmd = commands.add_parser(
        "new",
        help="start a new article",
        description="Create content/YYYY/SLUG.md with today's date and the front matter to fill in.",
    )
    new_cmd.add_argument("title", help='the headline, e.g. "Floods close the port"')
    new_cmd.add_argument("--region", default="", help="region path, e.g. middle-east/iraq/anbar")
    new_cmd.add_argument("--tags", default="", help="comma-separated tags, e.g. floods,ports")
    new_cmd.add_argument("--author", default="", help='the byline; several comma-separated, e.g. "Ana Ruiz"')
    new_cmd.add_argument("--summary", default="", help="the standfirst shown under the headline")
    new_cmd.add_argument(
        "--date",
        type=_date,
        help="its date instead of now, e.g. 2024-08-31 or 2024-08-31T09:30+03:00 (in the site's time "
        "zone unless an offset is given); a future date schedules it",
    )
    new_cmd.add_argument(
        "--draft", action="store_true", help="mark it a draft: left out of builds but `--drafts` ones"
    )
    _site_options(new_cmd)

    init_cmd = commands.add_parser(
        "init",
        help="make a new site folder",
        description="Make a new site in FOLDER (created if missing; else it must be empty or "
        "hold only .git): site.toml with the main settings explained, content/ with one "
        "example article, static/, and a .gitignore for the build output and caches.",
    )
    init_cmd.add_argument(
        "folder", nargs="?", type=_folder, default=Path("."), help="the new site's folder (default: here)"
    )

    # -- import: site.toml from a Jekyll or Hugo site (generator/importer.py) ------------------
    import_cmd = commands.add_parser(
        "import",
        help="write site.toml from a Jekyll or Hugo site's settings",
        description="Read a Jekyll _config.yml or a Hugo hugo.toml, config.toml (.yaml, .json) or "
        "config/_default/ and write site.toml with the same title, description, base URL, "
        "language, time zone, taxonomies and article permalinks, so that the old article URLs "
        "are built again; then list every setting it could not carry over, and why.",
    )
    import_cmd.add_argument(
        "path", type=_existing, help="the Jekyll or Hugo site folder, or its settings file"
    )
    _site_options(import_cmd)
    import_cmd.add_argument(
        "--section",
        help="the Hugo section (content/NAME/) or Jekyll collection holding the articles "
        "(default: Hugo's mainSections, else the section with the most files; Jekyll's posts)",
    )
    import_cmd.add_argument("--force", action="store_true", help="replace an existing site.toml")

    # -- publish: GitHub Pages via a gh-pages branch (generator/publish/push.py) --------------------
    publish_cmd = commands.add_parser(
        "publish",
        help="build for production and commit the site to the gh-pages branch, then push",
        description="Build the site for production into a temporary folder, commit it onto the "
        "gh-pages branch on top of its history (with .nojekyll and CNAME) and push it. Your work "
        "tree, index and current branch are never touched; nothing is ever force-pushed.",
    )
    _site_options(publish_cmd)
    publish_cmd.add_argument("--base-url", type=_base_url, help="override base_url from site.toml")
    publish_cmd.add_argument(
        "--remote",
        type=_git_value(checked_remote),
        help="remote name or URL to push to (default: origin)",
        metavar="NAME|URL",
    )
    publish_cmd.add_argument(
        "--branch",
        type=_git_value(checked_branch),
        default="gh-pages",
        help="branch to publish to (default: gh-pages)",
    )
    publish_cmd.add_argument(
        "--cname", help="custom domain written to CNAME (default: cname in site.toml, else kept)"
    )
    publish_cmd.add_argument("--message", help="commit message")
    publish_cmd.add_argument("--no-push", action="store_true", help="commit the branch locally, do not push")

    # -- workflow: GitHub Pages via GitHub Actions (generator/publish/workflow.py) ---------------------
    workflow_cmd = commands.add_parser(
        "workflow",
        help="write .github/workflows/pages.yml, a GitHub Actions workflow that deploys the site",
        description="Write a GitHub Actions workflow that builds the site on every push and "
        "deploys it with GitHub Pages (Settings -> Pages -> Source: GitHub Actions).",
    )
    _site_options(workflow_cmd)
    workflow_cmd.add_argument(
        "--source-branch", help="branch whose pushes deploy (default: the current branch, else main)"
    )
    workflow_cmd.add_argument(
        "--install",
        help="shell command that installs Dateline on the runner "
        "(default: pip install -r requirements.txt, else pip install .)",
    )
    workflow_cmd.add_argument(
        "--every",
        type=_integer,
        default=15,
        metavar="MINUTES",
        help="also run every MINUTES (5 to 60; 0: never), publishing embargoed articles once they "
        "come due; a scheduled run deploys only when the build changed the site (default: 15)",
    )
    workflow_cmd.add_argument("--force", action="store_true", help="replace a workflow that differs")

    # -- theme: start a template of the site's own from the theme's (generator/theming.py) ------
    theme_cmd = commands.add_parser(
        "theme",
        help="copy a file of the default theme into templates/ to change it",
        description="Work with the default theme. A template in the site's templates/ replaces "
        'the theme\'s of that name; one that starts {% extends "theme/article.html" %} changes '
        "only the blocks it writes.",
    )
    theme_commands = theme_cmd.add_subparsers(dest="theme_command", required=True, metavar="COMMAND")
    copy_cmd = theme_commands.add_parser(
        "copy",
        help="copy one theme file into the site's templates/",
        description="Copy FILE of the default theme (article.html, _footer.html, static/style.css) "
        "into the site's templates/, where it overrides the theme's; never overwrites a file. "
        "An unknown FILE lists the theme's files.",
    )
    copy_cmd.add_argument("file", metavar="FILE", help="a theme file, e.g. article.html or static/style.css")
    _site_options(copy_cmd)

    # --- serve: live-reload preview (generator/preview/) ---
    serve_cmd = commands.add_parser(
        "serve",
        help="preview the site with live reload",
        description="Build the site into .dateline-cache/serve/, serve it on this machine and "
        "rebuild and reload open pages on every save. Never touches output/.",
    )
    _site_options(serve_cmd)
    serve_cmd.add_argument(
        "--host", type=_host, default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=_port, default=8000, help="port (default: 8000; a busy port moves to the next)"
    )
    serve_cmd.add_argument(
        "--base-url", type=_base_url, help="override base_url from site.toml (its path is served)"
    )
    serve_cmd.add_argument("--drafts", action="store_true", help="include drafts and future articles")
    # --- end serve ---
    parser.commands = tuple(commands.choices)
    return parser


def _summary(verb: str, report: Report) -> str:
    summary = (
        f"{verb} {report.articles} article{'s' * (report.articles != 1)}, {report.pages} pages "
        f"({report.written} written, {report.removed} removed) in {report.seconds:.2f}s"
    )
    unread = describe_unread(report.unread)  # nothing under content/ is passed over unsaid
    return summary if unread is None else f"{summary}\n{unread}"


def _next_scheduled(source: str, due: datetime, config: Config) -> str:
    """When the next scheduled article is published: a build after then publishes it."""
    local = due.astimezone(config.tz)
    minutes = max(0, int((due - datetime.now(UTC)).total_seconds()) // 60)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = (
        [f"{days} d"] * bool(days)
        + [f"{hours} h"] * bool(hours)
        + [f"{mins} min"] * (not days and bool(mins))
    )
    wait = " ".join(parts) if minutes else "under a minute"
    return f"Next scheduled article: {source} at {local:%Y-%m-%d %H:%M} {local.tzname()} (in {wait})"


def _with_size_warnings(config: Config, report: Report) -> Report:
    """A production build also says what GitHub would refuse to publish (publish.py). A
    build that changed nothing skips it: its output is the one the last build measured, and
    walking a large archive's files would cost more than the rest of such a build."""
    if config.drafts or not (report.written or report.removed):
        return report
    from generator.publish.push import check_size, output_sizes

    size = check_size(output_sizes(config.out_dir), config.out_dir)
    return replace(report, warnings=report.warnings + size.refused + size.warnings)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "new":
            from generator.scaffold import is_site, new_article

            if not is_site(args.site):  # silently starting a content/ here would be a surprise
                print(
                    f"dateline: {args.site.resolve()} holds no site (no site.toml, no content/); "
                    "run `dateline init` to make one, or name one with --site",
                    file=sys.stderr,
                )
                return 2
            config = load_config(args.site)
            tags = tuple(t.strip() for t in args.tags.split(",") if t.strip())
            try:
                date = None if args.date is None else parse_date(args.date, config.tz)
            except ValueError as error:  # a date only the site's time zone pushes out of range
                raise DatelineError(f"--date {args.date}: {error}") from None
            created = new_article(
                config,
                args.title,
                args.region,
                tags,
                author=args.author,
                summary=args.summary,
                draft=args.draft,
                date=date,
            )
            print(created)
            return 0
        if args.command == "init":
            return _init(args)
        if args.command == "import":
            return _import(args)
        if args.command == "publish":
            return _publish(args)
        if args.command == "workflow":
            return _workflow(args)
        if args.command == "theme":
            return _theme_copy(args)
        if args.command == "serve":  # live-reload preview: generator/preview/
            from generator.preview.serve import serve

            return serve(args.site, args.host, args.port, args.base_url, args.drafts)
        config = load_config(
            args.site,
            drafts=args.drafts or None,
            base_url=getattr(args, "base_url", None),
            output_dir=getattr(args, "output", None),
            search=False if getattr(args, "no_search", False) else None,
        )
        if args.command == "build":
            report = build(config, progress=progress_bar, jobs=args.jobs, use_cache=not args.no_cache)
            report = _with_size_warnings(config, report)
        else:
            from generator.check import check

            report = check(config, progress=progress_bar)
        for warning in report.warnings:
            print(f"{warning} (warning)", file=sys.stderr)
        if args.command == "build":
            print(_summary("Built", report))
            if report.scheduled is not None and not config.drafts:
                print(_next_scheduled(*report.scheduled, config))
            if args.changed_file is not None:
                with args.changed_file.open("a", encoding="utf-8") as changes:
                    changes.write(f"changed={str(bool(report.written or report.removed)).lower()}\n")
        else:
            print(f"Checked {report.articles} articles and {report.pages} pages: no problems found")
        return 0
    except BuildFailed as failed:
        for error in failed.errors:
            print(error, file=sys.stderr)
        count = len(failed.errors)
        outcomes = {"build": "; nothing was written", "publish": "; nothing was committed"}
        outcome = outcomes.get(args.command, "")
        print(f"{count} error{'s' * (count != 1)}{outcome}", file=sys.stderr)
        return 1
    except DatelineError as error:
        print(f"dateline: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a read-only or vanished folder
        where = f" {error.filename}" if error.filename else ""
        print(
            f"dateline: cannot write{where}: {error.strerror or error}; output left as it was",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted; output left as it was", file=sys.stderr)
        return 130


# -- init, import, publish and workflow --------------------------------------------------------


def _init(args: argparse.Namespace) -> int:
    from generator.scaffold import init_site

    made = init_site(args.folder)
    print(f"Made a new site in {made.folder.resolve()}:")
    print(f"  {made.settings}  settings, each explained")
    print(f"  {made.example}  an example article")
    print(f"  {made.static}/  files copied as they are (images, favicon)")
    print(f"  {made.gitignore}  keeps output/ and caches out of git")
    print("Next steps:")
    if made.folder.resolve() != Path.cwd().resolve():
        print(f"  cd {made.folder}")
    print("  dateline serve            preview the site, reloading on every save")
    print('  dateline new "Title"      start an article')
    return 0


def _import(args: argparse.Namespace) -> int:
    from generator.importer import read_site, write_settings

    imported = read_site(args.path, args.section)
    target = write_settings(imported, args.site, force=args.force)
    written = [*imported.settings, *(f"permalinks.{key}" for key in imported.permalinks)]
    sources = ", ".join(str(path) for path in imported.read)
    print(f"Wrote {target} from {imported.generator}'s {sources}: {', '.join(written) or 'no settings'}")
    if imported.unmapped:
        count = len(imported.unmapped)
        print(f"Not carried over ({count} setting{'s' * (count != 1)}):")
        for item in imported.unmapped:
            print(f"  {item.name}: {item.why}")
    else:
        print("Every setting was carried over.")
    for note in imported.notes:
        print(note)
    print("Then build the site: dateline build")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from generator.publish.push import publish

    config = load_config(args.site, base_url=args.base_url)
    result = publish(
        config,
        remote=args.remote,
        branch=args.branch,
        cname=args.cname,
        message=args.message,
        push=not args.no_push,
        progress=progress_bar,
    )
    for warning in result.report.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    print(_summary("Built", result.report))
    short = result.commit[:12]
    domain = f", CNAME {result.cname}" if result.cname else ""
    if result.changed:
        print(f"Committed {short} to {result.branch} ({result.files} files{domain})")
    else:
        print(f"{result.branch} already holds this site at {short}; no new commit")
    if result.pushed:
        print(f"Pushed {result.branch} to {result.remote}; the site will be at {config.base_url}")
    elif result.remote is not None:
        print(f"{result.remote} is up to date")
    else:
        print(f"Not pushed (--no-push); push it with: git push <remote> {result.branch}")
    return 0


def _theme_copy(args: argparse.Namespace) -> int:
    from generator.config import theme_dir
    from generator.theming import copy

    config = load_config(args.site)
    copied = copy(theme_dir(), config.templates_dir, args.file)
    print(f"Copied the theme's {args.file} to {copied}; the site now uses it in place of the theme's.")
    if copied.suffix == ".html" and not copied.name.startswith("_"):
        name = copied.relative_to(config.templates_dir).as_posix()
        print(f'To change one block only, write {{% extends "theme/{name}" %}} and that block instead.')
    return 0


def _workflow(args: argparse.Namespace) -> int:
    from generator.publish.workflow import workflow, write

    flow = workflow(args.site, branch=args.source_branch, install=args.install, every=args.every)
    if write(flow, force=args.force):
        print(f"Wrote {flow.path}")
    else:
        print(f"{flow.path} is up to date")
    print("Then: commit and push it, and set Settings -> Pages -> Source to GitHub Actions.")
    return 0
