"""The command line: parse, call the pipeline, print diagnostics, choose the exit status.

No domain logic lives here. `main()` takes its streams and environment as
arguments, so tests call it directly without patching anything.
Exit status: 0 success, 1 content errors, 2 usage errors, 3 internal failure.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, TextIO

from broadsheet import __version__
from broadsheet.errors import BroadsheetError, Diagnostic, UsageError
from broadsheet.pdf.sizes import human
from broadsheet.profiles import EMAIL, PROFILES
from broadsheet.source import display_path

EXAMPLES = {
    "build": """example:
  broadsheet build issues/2026-10.yaml              writes build/2026-10.pdf
  broadsheet build issues/*.yaml                    every issue, one PDF each
  broadsheet build issues/2026-10.yaml -o out.pdf --html out.html""",
    "check": """example:
  broadsheet check issues/2026-10.yaml              exit 0 when the issue is valid""",
    "inspect": """example:
  broadsheet inspect build/2026-10.pdf              a report to read
  broadsheet inspect build/2026-10.pdf --json       the same for scripts
exit status 1 when a finding is an error (a broken link, a wrong page number,
an unembedded font, a standard claimed but not met)""",
    # The editor's commands (new, import, archive, completion, man).
    "new": """example:
  broadsheet new                                    the next issue, e.g. issues/2026-12.yaml
  broadsheet new 2026-12-special --date 2026-12-15  a name and a date of your own""",
    "import": """example:
  broadsheet import https://example.org/feed.xml --since 2026-10-01
  broadsheet import feed.xml --since 2026-10-01 -o issues/2026-11.yaml --images""",
    "archive": """example:
  broadsheet archive                                build/newsletter.pdf and build/index.html""",
    "completion": """example:
  broadsheet completion bash > ~/.local/share/bash-completion/completions/broadsheet
  broadsheet completion zsh > ~/.zfunc/_broadsheet
  broadsheet completion fish > ~/.config/fish/completions/broadsheet.fish""",
    "man": """example:
  broadsheet man -o build/broadsheet.1 && man build/broadsheet.1""",
}
# Commands whose options and work live in a module of their own, imported only
# when that command runs (or for the whole parser): `--help` and `check` stay quick.
# Each module has EXAMPLE, add_arguments(parser) and run(args, root, stdin, stdout,
# report, environ).
OWN_MODULE = {
    "mail": (
        "broadsheet.mail.command",
        "Send a built issue to every subscriber, once each, through an SMTP server.",
    ),
    "watch": (
        "broadsheet.cli.watch",
        "Build an issue, then rebuild it whenever a file it uses changes.",
    ),
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is raised (exit 2) instead of exiting the process."""

    def error(self, message: str):
        raise UsageError([Diagnostic(None, "error", f"{message} (see '{self.prog} --help')")])


def parser(wanted: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `wanted`, the commands in OWN_MODULE other than
    that one are listed without their options (their modules not imported)."""
    top = _Parser(
        prog="broadsheet",
        description="Typeset newsletters written in YAML and Markdown into linked PDFs.",
        epilog="example:\n  broadsheet build issues/2026-10.yaml\n\n"
        "Run 'broadsheet COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(
        name: str, help_text: str, on_issues: bool = True, epilog: str | None = None
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES[name] if epilog is None else epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if on_issues:
            sub.add_argument("issues", nargs="+", type=Path, metavar="ISSUE.yaml")
            sub.add_argument(
                "--root",
                type=Path,
                default=None,
                help="the project folder; nothing outside it is read (default: .)",
            )
        sub.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        sub.add_argument(
            "--debug",
            action="store_true",
            help="show each stage's time and, on an internal failure, the traceback",
        )
        return sub

    build = command("build", "Typeset each issue to build/<slug>.pdf.")
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.pdf",
        help="where to write the PDF (only with one issue)",
    )
    build.add_argument(
        "--html",
        type=Path,
        metavar="OUT.html",
        help="also write the HTML that was typeset (only with one issue)",
    )
    build.add_argument(
        "--depfile",
        type=Path,
        metavar="OUT.d",
        help="also write a make rule listing every file the build read",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="treat every warning (copy-fit, engine, refused file, alt text, verify) as an error",
    )
    build.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=EMAIL.name,
        help="what the PDF is for (default: email): "
        + "; ".join(f"{p.name}: {p.summary}" for p in PROFILES.values())
        + ". print and archive write build/<slug>-print.pdf and build/<slug>-archive.pdf",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="build the issues in N worker processes (default: the number of cores)",
    )
    command("check", "Validate each issue; report every problem as file:line:col: error: ...")
    inspect = command(
        "inspect",
        "Report what a PDF holds: pages, bytes, fonts, images, contents, links, tags, findings.",
        on_issues=False,
    )
    inspect.add_argument("pdf", type=Path, metavar="FILE.pdf")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")
    inspect.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=None,
        help="judge the PDF for this profile (default: guessed from the file)",
    )
    for name, (module, help_text) in OWN_MODULE.items():
        if wanted in (None, name):
            own = importlib.import_module(module)
            own.add_arguments(command(name, help_text, on_issues=False, epilog=own.EXAMPLE))
        else:
            command(name, help_text, on_issues=False, epilog="")
    _editor_commands(command)
    return top


def _editor_commands(command) -> None:
    """new, import, archive, completion and man: their options only; each
    command's work is in its own module, imported when it runs."""
    new = command("new", "Start the next issue from the newest one in issues/.", on_issues=False)
    new.add_argument("slug", nargs="?", metavar="SLUG", help="file name (default: YYYY-MM)")
    new.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="default: a month on")
    _root_option(new)
    feed = command("import", "Draft an issue from a website's RSS or Atom feed.", on_issues=False)
    feed.add_argument("feed", metavar="FEED", help="a feed file, or an http(s) address")
    feed.add_argument(
        "--since", type=_date, required=True, metavar="YYYY-MM-DD", help="posts on or after"
    )
    feed.add_argument(
        "-o", "--output", type=Path, metavar="issues/SLUG.yaml", help="default: the next issue"
    )
    feed.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the issue's date")
    feed.add_argument(
        "--images", action="store_true", help="download each post's first image to images/"
    )
    feed.add_argument(
        "--allow-private",
        action="store_true",
        help="also fetch from loopback and private addresses (a feed on your own network)",
    )
    _root_option(feed)
    archive = command(
        "archive",
        "Build every issue and an index of them: build/newsletter.pdf and build/index.html.",
        on_issues=False,
    )
    _root_option(archive)
    shells = command(
        "completion", "Print a shell completion script for broadsheet.", on_issues=False
    )
    shells.add_argument("shell", choices=["bash", "zsh", "fish"])
    man = command("man", "Print broadsheet's manual page (roff).", on_issues=False)
    man.add_argument("-o", "--output", type=Path, metavar="FILE.1", help="write it here")


def _root_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--root", type=Path, default=None, help="the project folder (default: .)")


def _date(text: str):
    import datetime as dt

    from broadsheet import clock

    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-01-31, got {text!r}") from None
    if not clock.in_range(date):
        raise argparse.ArgumentTypeError(f"expected a date {clock.DATE_RANGE}, got {text!r}")
    return date


def _editor(args, stdout: TextIO, report: _Reporter) -> int:
    """Run new, import, archive, completion or man."""
    if args.command == "new":
        from broadsheet.editor.new import new_issue

        print(display_path(new_issue(_root(args), args.slug, args.date)), file=stdout)
        return 0
    if args.command == "import":
        from broadsheet.editor.feed import import_feed

        result = import_feed(
            args.feed,
            args.since,
            _root(args),
            args.output,
            args.date,
            args.images,
            args.allow_private,
        )
        report.diagnostics(result.warnings, summary=False)
        for path in result.written:
            print(display_path(path), file=stdout)
        return 0
    if args.command == "archive":
        from broadsheet.editor.archive import build_archive

        for path in build_archive(_root(args), report.progress):
            print(display_path(path), file=stdout)
        return 0
    if args.command == "completion":
        from broadsheet.cli.completion import script

        stdout.write(script(parser(), args.shell))
        return 0
    from broadsheet.cli.manpage import manpage

    page = manpage(parser())
    if args.output is None:
        stdout.write(page)
        return 0
    from broadsheet.outputs.writing import write_atomically

    write_atomically(args.output, page.encode())
    print(display_path(args.output), file=stdout)
    return 0


def entry() -> int:
    """The program (`broadsheet`, `python -m broadsheet`): `main` with the
    process's memory capped, which a library caller's process never is."""
    return main(cap_memory=True)


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: dict[str, str] | None = None,
    stdin: TextIO | None = None,
    cap_memory: bool = False,
) -> int:
    stdin = stdin or sys.stdin or io.StringIO()
    stdout = stdout or sys.stdout or _closed_output()
    stderr = stderr or sys.stderr or _closed_output()
    environ = dict(os.environ if environ is None else environ)
    report = _Reporter(stderr, colour=stderr.isatty() and "NO_COLOR" not in environ)
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = parser(_command_named(argv) or "").parse_args(argv)
        report.quiet = args.quiet
        if args.debug:
            _log_to(stderr)
        _check_environment(environ, cap_memory)
        if args.command == "build":
            return _build(args, stdout, report, environ)
        if args.command == "inspect":
            return _inspect(args, stdout)
        if args.command in OWN_MODULE:
            own = importlib.import_module(OWN_MODULE[args.command][0])
            return own.run(args, _root(args), stdin, stdout, report, environ)
        if args.command in ("new", "import", "archive", "completion", "man"):
            return _editor(args, stdout, report)
        return _check(args, report)
    except BroadsheetError as exc:
        report.diagnostics(exc.diagnostics)
        return exc.exit_code
    except KeyboardInterrupt:
        report.line("broadsheet: interrupted")
        return 130
    except BrokenPipeError:
        return _reader_gone()
    except MemoryError:
        return _out_of_memory(report, _command_named(argv))
    except Exception as exc:  # the boundary: anything unexpected is an internal failure
        from broadsheet import limits

        # Under the cap, a native library (expat, Pango, qpdf) may fail to load
        # first, with whatever error its binding chooses: near the cap, any
        # unexpected failure is the memory's.
        if "failed to map segment" in str(exc) or limits.near_memory_cap():
            return _out_of_memory(report, _command_named(argv))
        if debug:
            traceback.print_exc(file=stderr)
        report.line(
            f"broadsheet: internal error: {type(exc).__name__}: {exc}"
            + ("" if debug else " (rerun with --debug for the traceback)")
        )
        return 3


def _check_environment(environ: dict[str, str], cap_memory: bool) -> None:
    """Every variable the program reads, checked before any work, so that a
    bad value is one usage error naming it on every command (and `--help`,
    answered by the parser, still works)."""
    from broadsheet import limits
    from broadsheet.clock import source_date

    memory = limits.from_environment(environ, "BROADSHEET_MEMORY_MB", limits.MEMORY_MB)
    limits.from_environment(environ, "BROADSHEET_BUILD_SECONDS", limits.BUILD_SECONDS)
    source_date(environ)
    if cap_memory:
        limits.limit_memory(memory)


def _closed_output() -> TextIO:
    """Where output goes when the program was started with the stream closed
    (`broadsheet man >&-`): nowhere, as for any command-line tool."""
    return open(os.devnull, "w")


def _reader_gone() -> int:
    """The reader of standard output went away (`broadsheet inspect x.pdf |
    head -1`): stop quietly, as command-line tools do. Standard output is
    pointed at /dev/null so that the interpreter's last flush finds nothing
    to complain about; the files a build wrote are already in place."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1


def _out_of_memory(report: _Reporter, command: str | None) -> int:
    """Name the cause for what the command was doing: only the commands that
    lay pages out can blame a stylesheet or the issue's layout."""
    command = command or "broadsheet"
    if command in ("build", "watch", "archive"):
        cause = "a stylesheet or the issue asks for more layout than any newsletter needs"
    else:
        cause = f"`broadsheet {command}` needed more; raise the limit for this run"
    report.line(f"broadsheet: error: out of memory (BROADSHEET_MEMORY_MB); {cause}")
    return 1


def _command_named(argv: Sequence[str] | None) -> str | None:
    """The command on the line (the first word not an option), if any."""
    words = [word for word in (sys.argv[1:] if argv is None else argv) if word[:1] != "-"]
    return words[0] if words else None


def _root(args) -> Path:
    root = (args.root or Path.cwd()).resolve()
    if not root.is_dir():
        raise UsageError([Diagnostic(None, "error", f"--root: no such folder: {args.root}")])
    return root


def _build(args, stdout: TextIO, report: _Reporter, environ: dict[str, str]) -> int:
    """Every issue, in worker processes when there are several (batch.py);
    results in the order given, a progress bar on a terminal, a summary."""
    import time

    from broadsheet import limits
    from broadsheet.cli import batch
    from broadsheet.cli.progress import Bar

    if len(args.issues) > 1 and (args.output or args.html or args.depfile):
        raise UsageError([Diagnostic(None, "error", "-o, --html and --depfile take one issue")])
    if args.jobs is not None and args.jobs < 1:
        raise UsageError([Diagnostic(None, "error", "--jobs: expected a number above 0")])
    from broadsheet.content.slugs import default_output

    profile = PROFILES[args.profile]
    seconds = limits.from_environment(environ, "BROADSHEET_BUILD_SECONDS", limits.BUILD_SECONDS)
    root = _root(args)
    settings = batch.Settings(root, profile, args.strict, seconds, args.debug)
    jobs = [
        batch.Job(
            path,
            args.output or default_output(path, root, profile.suffix),
            args.html,
            args.depfile,
        )
        for path in args.issues
    ]
    batch.refuse_shared_outputs(jobs)
    several = len(jobs) > 1 and not args.quiet
    started = time.perf_counter()

    def show(outcome: batch.Outcome) -> None:
        with bar.writing():
            if outcome.status:
                report.diagnostics(outcome.diagnostics)
                return
            report.diagnostics(outcome.diagnostics, summary=False)
            if not args.quiet:
                size = human(outcome.size)
                report.line(f"{display_path(outcome.job.issue)}: {outcome.fit}; {size}")
                print(outcome.job.output, file=stdout)

    with Bar(len(jobs), report.stream, several and report.stream.isatty()) as bar:
        outcomes = batch.build_all(
            jobs,
            settings,
            args.jobs or batch.cpu_count(),
            show,
            bar.advance,
            report.progress if args.debug else _silent,
        )
    if several:
        report.line(batch.summary(outcomes, time.perf_counter() - started))
    return max(outcome.status for outcome in outcomes)


def _check(args, report: _Reporter) -> int:
    from broadsheet import pipeline

    root = _root(args)
    worst = 0
    for issue_path in args.issues:
        try:
            issue = pipeline.check(issue_path, root)
        except BroadsheetError as exc:
            report.diagnostics(exc.diagnostics)
            worst = max(worst, exc.exit_code)
            continue
        report.diagnostics(issue.notes, summary=False)
    return worst


def _inspect(args, stdout: TextIO) -> int:
    from broadsheet.pdf.inspection import inspect_pdf

    found = inspect_pdf(args.pdf, PROFILES[args.profile] if args.profile else None)
    if not args.quiet or found.failed:
        stdout.write(found.as_json() if args.json else found.as_table())
    return 1 if found.failed else 0


def _silent(message: str) -> None:
    pass


def _log_to(stream: TextIO) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("broadsheet: %(message)s"))
    logging.getLogger("broadsheet").addHandler(handler)
    logging.getLogger("broadsheet").setLevel(logging.INFO)


class _Reporter:
    """Diagnostics on standard error, coloured only on a terminal without NO_COLOR."""

    COLOURS: ClassVar[dict[str, str]] = {"error": "\033[1;31m", "warning": "\033[1;35m"}

    def __init__(self, stream: TextIO, colour: bool):
        self.stream = stream
        self.colour = colour
        self.quiet = False

    def line(self, text: str) -> None:
        print(text, file=self.stream)

    def progress(self, text: str) -> None:
        if not self.quiet:
            self.line(f"broadsheet: {text}")

    def diagnostics(self, diagnostics: Sequence[Diagnostic], summary: bool = True) -> None:
        shown = [d for d in diagnostics if d.severity == "error" or not self.quiet]
        for diagnostic in shown:
            text = str(diagnostic)
            if self.colour:
                label = f"{diagnostic.severity}:"
                text = text.replace(label, f"{self.COLOURS[diagnostic.severity]}{label}\033[0m", 1)
            self.line(text)
        errors = sum(d.severity == "error" for d in shown)
        warnings = len(shown) - errors
        if summary and len(shown) > 1:
            parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
            parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
            self.line(", ".join(parts))
