"""`broadsheet build --edition`: which editions of each issue to make, and who makes them.

One edition is one module of the command line with a `run(args, root,
stdin, stdout, report, environ)`, imported only when its edition is asked
for: the web edition never loads the engine, which the PDF needs. Adding an
edition is one line of EDITIONS (and its module). The PDF comes first, so
that an edition that links the PDF (the web page) finds it fresh.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TextIO

from broadsheet.errors import BroadsheetError, Diagnostic, UsageError

EDITIONS = {
    "pdf": "broadsheet.cli.build",  # build/<slug>.pdf, typeset by the engine
    "web": "broadsheet.cli.web",  # build/site/<slug>/index.html, no engine
    "text": "broadsheet.cli.text",  # build/<slug>.txt, no engine
}
DEFAULT = "pdf"
# The options that say where the PDF goes, or how it is made: they need it.
PDF_OPTIONS = ("output", "html", "depfile")


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    chosen = [name for name in EDITIONS if name in (args.edition or [DEFAULT])]
    if DEFAULT not in chosen and any(getattr(args, option) for option in PDF_OPTIONS):
        message = "-o, --html and --depfile are options of the PDF; add --edition pdf"
        raise UsageError([Diagnostic(None, "error", message)])
    status = 0
    for name in chosen:
        edition = importlib.import_module(EDITIONS[name])
        status = max(status, edition.run(args, root, stdin, stdout, report, environ))
    return status


def each_issue(args, root: Path, stdout: TextIO, report, build, line) -> int:
    """An edition made without the engine, for each issue in turn, in this
    process (a page or a text takes a fraction of a second; no worker is
    worth starting): `build(path, settings, progress)` makes it, `line(made)`
    says what was written. One issue's errors do not stop the next; the exit
    status is the worst."""
    from broadsheet.pipeline import Settings  # late: parsing the command line never loads it

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
