"""The editions made without the engine (the web page, the text), run for
each issue named on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from broadsheet.errors import BroadsheetError
from broadsheet.pipeline import Settings


def each_issue(args, root: Path, stdout: TextIO, report, build, line) -> int:
    """An edition made without the engine, for each issue in turn, in this
    process (a page or a text takes a fraction of a second; no worker is
    worth starting): `build(path, settings, progress)` makes it, `line(made)`
    says what was written. One issue's errors do not stop the next; the exit
    status is the worst."""
    progress = report.progress if args.debug else _silent
    settings = Settings(root, strict=args.strict)
    status = 0
    for path in args.issues:
        try:
            made = build(path, settings, progress)
        except BroadsheetError as exc:
            report.diagnostics(exc.diagnostics)
            status = max(status, exc.exit_code)
            continue
        report.diagnostics(made.warnings, summary=False)
        if not args.quiet:
            written = line(made)
            if written:
                report.line(written)
            print(made.output, file=stdout)
    return status


def _silent(message: str) -> None:
    pass
