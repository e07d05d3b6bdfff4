"""`broadsheet build --edition web`: each issue's web page,
`build/site/<slug>/index.html` (pipeline.build_web)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from broadsheet import pipeline
from broadsheet.cli.without_engine import each_issue
from broadsheet.source import display_path


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    def line(made: pipeline.WebResult) -> str:
        return f"{display_path(made.issue.path)}: web edition, {made.files} files, {_kb(made.size)}"

    return each_issue(args, root, stdout, report, pipeline.build_web, line)


def _kb(size: int) -> str:
    return f"{size / 1000:.0f} KB"
