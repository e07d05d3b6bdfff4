"""`broadsheet inspect`: any PDF's report, as a table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from broadsheet.pdf.inspection import inspect_pdf
from broadsheet.profiles import PROFILES


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    found = inspect_pdf(args.pdf, PROFILES[args.profile] if args.profile else None)
    if not args.quiet or found.failed:
        stdout.write(found.as_json() if args.json else found.as_table())
    return 1 if found.failed else 0
