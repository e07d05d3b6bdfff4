"""`broadsheet check`: load and validate each issue, print every problem."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from broadsheet.content.check import check
from broadsheet.errors import BroadsheetError


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    worst = 0
    for issue_path in args.issues:
        try:
            issue = check(issue_path, root)
        except BroadsheetError as exc:
            report.diagnostics(exc.diagnostics)
            worst = max(worst, exc.exit_code)
            continue
        report.diagnostics(issue.notes, summary=False)
    return worst
