"""`broadsheet build --edition web`: each issue's web page, in this process.

No worker processes: a page takes a few hundredths of a second once its
fonts are cut (kept in the project's cache), less than starting a worker.
One issue's errors do not stop the next; the exit status is the worst.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from broadsheet import pipeline
from broadsheet.errors import BroadsheetError
from broadsheet.source import display_path


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    progress = report.progress if args.debug else _silent
    settings = pipeline.Settings(root, strict=args.strict)
    status = 0
    for path in args.issues:
        try:
            made = pipeline.build_web(path, settings, progress)
        except BroadsheetError as exc:
            report.diagnostics(exc.diagnostics)
            status = max(status, exc.exit_code)
            continue
        report.diagnostics(made.warnings, summary=False)
        if not args.quiet:
            report.line(f"{display_path(path)}: web edition, {made.files} files, {_kb(made.size)}")
            print(made.page, file=stdout)
    return status


def _kb(size: int) -> str:
    return f"{size / 1000:.0f} KB"


def _silent(message: str) -> None:
    pass
