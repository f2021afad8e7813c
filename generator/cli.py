"""The ``dateline`` command line: argument parsing, progress and exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__
from generator.build import Report, build, check
from generator.config import load_config
from generator.errors import BuildFailed, DatelineError
from generator.scaffold import new_article

PROGRESS_THRESHOLD = 200  # items; smaller builds finish before a bar would help


def _progress(stage: str, total: int) -> Callable[[], None]:
    if total < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, desc=stage, unit=" files", leave=False, file=sys.stderr)

    def tick() -> None:
        bar.update()
        if bar.n >= total:
            bar.close()

    return tick


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site", type=Path, default=Path("."), help="the site folder (holds content/, site.toml)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    build_cmd.add_argument("--output", type=Path, help="output folder (default: SITE/output)")
    build_cmd.add_argument("--base-url", help="override base_url from site.toml")
    build_cmd.add_argument("--drafts", action="store_true", help="include drafts and future articles")
    build_cmd.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="processes for parsing and rendering (default: all cores)"
    )
    build_cmd.add_argument(
        "--no-cache", action="store_true", help="ignore .dateline-cache/ and build everything from scratch"
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
    _site_options(new_cmd)
    return parser


def _summary(verb: str, report: Report) -> str:
    return (
        f"{verb} {report.articles} articles, {report.pages} pages "
        f"({report.written} written, {report.removed} removed) in {report.seconds:.2f}s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "new":
            config = load_config(args.site)
            tags = tuple(t.strip() for t in args.tags.split(",") if t.strip())
            print(new_article(config, args.title, args.region, tags))
            return 0
        config = load_config(
            args.site,
            drafts=args.drafts or None,
            base_url=getattr(args, "base_url", None),
            output_dir=getattr(args, "output", None),
        )
        if args.command == "build":
            report = build(config, progress=_progress, jobs=args.jobs, use_cache=not args.no_cache)
        else:
            report = check(config, progress=_progress)
        for warning in report.warnings:
            print(f"{warning} (warning)", file=sys.stderr)
        if args.command == "build":
            print(_summary("Built", report))
        else:
            print(f"Checked {report.articles} articles and {report.pages} pages: no problems found")
        return 0
    except BuildFailed as failed:
        for error in failed.errors:
            print(error, file=sys.stderr)
        count = len(failed.errors)
        print(f"{count} error{'s' * (count != 1)}; nothing was written", file=sys.stderr)
        return 1
    except DatelineError as error:
        print(f"dateline: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; output left as it was", file=sys.stderr)
        return 130
