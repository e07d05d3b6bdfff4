"""One corpus case through the real pipeline, and what it made.

The build is `pipeline.build`, as `broadsheet build` runs it (load, render,
typeset, the copy-fit pass, verify, write), with one engine `Session` shared
by every case so the fonts and stylesheets load once per theme. The
project root is the folder `generate.write_project` wrote.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from broadsheet.engine import Session
from broadsheet.errors import BroadsheetError
from broadsheet.pipeline import Job, Settings, build

from .generate import Case
from .targets import Verdict, judge


@dataclass(frozen=True)
class Row:
    """One case built: its pages, how full each is, what copy-fit said."""

    name: str
    kind: str
    lang: str
    theme: str
    size: str
    pages: int = 0
    fill: tuple[float, ...] = ()
    fewest: int = 1  # the fewest pages the planner could give it (Fit.fewest_pages)
    findings: tuple[str, ...] = ()  # the copy-fit report's, file paths made relative
    other_warnings: tuple[str, ...] = ()  # the rest of the build's warnings
    seconds: float = 0.0
    pdf: Path | None = None
    error: str | None = None  # the build failed: why

    @property
    def verdict(self) -> Verdict:
        if self.error:
            return Verdict(False, False, False)
        return judge(self.fill, len(self.findings), self.fewest)


def build_case(case: Case, issue: Path, root: Path, output: Path, session: Session) -> Row:
    """Build `case` (written at `issue` inside the project `root`) to `output`."""
    started = time.perf_counter()
    named = {
        "name": case.name,
        "kind": case.kind,
        "lang": case.lang,
        "theme": case.theme,
        "size": case.page_size,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = build(Job(issue, output), Settings(root), session, progress=_quiet)
    except BroadsheetError as exc:
        seconds = time.perf_counter() - started
        return Row(**named, seconds=seconds, error=_relative(str(exc), root))
    fit = result.fit
    findings = tuple(_relative(str(d), root) for d in fit.findings)
    others = tuple(_relative(str(d), root) for d in result.warnings if d not in fit.findings)
    return Row(
        **named,
        pages=result.pages,
        fill=fit.page_fill,
        fewest=fit.fewest_pages,
        findings=findings,
        other_warnings=others,
        seconds=time.perf_counter() - started,
        pdf=output,
    )


def _quiet(message: str) -> None:
    """The pipeline's progress lines: the corpus prints a table instead."""


def _relative(text: str, root: Path) -> str:
    """A diagnostic without the temporary project's path."""
    return text.replace(f"{root}/", "")
