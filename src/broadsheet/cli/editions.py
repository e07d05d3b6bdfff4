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

from broadsheet.errors import Diagnostic, UsageError

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
