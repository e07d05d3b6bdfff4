"""`broadsheet build`: every issue named, in worker processes when there are
several (batch.py); results in the order given, a progress bar on a
terminal, a summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from broadsheet import limits
from broadsheet.cli import batch
from broadsheet.cli.progress import Bar
from broadsheet.content.slugs import default_output
from broadsheet.errors import Diagnostic, UsageError
from broadsheet.pdf.sizes import human
from broadsheet.profiles import PROFILES
from broadsheet.source import display_path


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    if len(args.issues) > 1 and (args.output or args.html or args.depfile):
        raise UsageError([Diagnostic(None, "error", "-o, --html and --depfile take one issue")])
    if args.jobs is not None and args.jobs < 1:
        raise UsageError([Diagnostic(None, "error", "--jobs: expected a number above 0")])
    profile = PROFILES[args.profile]
    seconds = limits.from_environment(environ, "BROADSHEET_BUILD_SECONDS", limits.BUILD_SECONDS)
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


def _silent(message: str) -> None:
    pass
