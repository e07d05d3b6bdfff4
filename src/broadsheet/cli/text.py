"""`broadsheet build --edition text`: each issue's plain-text edition,
`build/<slug>.txt` (pipeline.build_text)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from broadsheet import pipeline
from broadsheet.cli.without_engine import each_issue


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    return each_issue(args, root, stdout, report, pipeline.build_text, lambda made: None)
