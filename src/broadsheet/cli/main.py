"""The command line: parse, call the pipeline, print diagnostics, choose the exit status.

No domain logic lives here. `main()` takes its streams and environment as
arguments, so tests call it directly without patching anything.
Exit status: 0 success, 1 content errors, 2 usage errors, 3 internal failure.
"""

from __future__ import annotations

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

from broadsheet import clock, limits
from broadsheet.cli.completion import script
from broadsheet.cli.manpage import manpage
from broadsheet.cli.parser import parser
from broadsheet.errors import BroadsheetError, Diagnostic, UsageError
from broadsheet.outputs.writing import write_atomically
from broadsheet.source import display_path

# Where each command's work is done: `run(args, root, stdin, stdout, report,
# environ)` of its module, imported when the command runs, so that a command
# never pays for another's libraries (`check` for the engine, `--help` for
# anything).
RUNS = {
    "build": "broadsheet.cli.editions",  # each edition asked for (--edition)
    "check": "broadsheet.cli.check",
    "inspect": "broadsheet.cli.inspect",
    "new": "broadsheet.cli.editor",
    "import": "broadsheet.cli.editor",
    "archive": "broadsheet.cli.editor",
    "mail": "broadsheet.mail.command",
    "bounces": "broadsheet.mail.bounces",
    "watch": "broadsheet.cli.watch",
}


def _man(args, stdout: TextIO) -> int:
    page = manpage(parser())
    if args.output is None:
        stdout.write(page)
        return 0
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
        args = parser().parse_args(argv)
        report.quiet = args.quiet
        if args.debug:
            _log_to(stderr)
        _check_environment(environ, cap_memory)
        if args.command == "completion":
            stdout.write(script(parser(), args.shell))
            return 0
        if args.command == "man":
            return _man(args, stdout)
        root = _root(args) if "root" in args else None
        command = importlib.import_module(RUNS[args.command])
        return command.run(args, root, stdin, stdout, report, environ)
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
    memory = limits.from_environment(environ, "BROADSHEET_MEMORY_MB", limits.MEMORY_MB)
    limits.from_environment(environ, "BROADSHEET_BUILD_SECONDS", limits.BUILD_SECONDS)
    clock.source_date(environ)
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
