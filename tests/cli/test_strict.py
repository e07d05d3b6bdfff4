"""`--strict`: any warning stops the build, at the place to fix.

An engine warning about a stylesheet names the stylesheet's file and line,
as the editor's own YAML mistakes do. `make` builds with `--strict-except-fit`:
every warning but the copy-fit report's findings stops it.
"""

from __future__ import annotations

import re
from pathlib import Path

ISSUE = """\
name: The Strict Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: First story
    body: Some text.
"""
STYLESHEET = """\
.story {
  color: #222;
  colum-count: 2;
}
"""
WARNING = "styles/classic/95-mine.css:3:3: {}: ignored `colum-count: 2`: unknown property"


def test_an_ignored_rule_is_a_warning_at_its_stylesheet_line(project):
    project.write("issues/a.yaml", ISSUE)
    project.write("styles/classic/95-mine.css", STYLESHEET)
    run = project.run("build", "issues/a.yaml")
    assert run.code == 0
    assert WARNING.format("warning") in run.stderr.splitlines()
    assert (project.root / "build" / "a.pdf").is_file()


def test_strict_makes_it_an_error_and_writes_nothing(project):
    project.write("issues/a.yaml", ISSUE)
    project.write("styles/classic/95-mine.css", STYLESHEET)
    run = project.run("build", "--strict", "issues/a.yaml")
    assert run.code == 1
    assert run.stderr.splitlines() == [WARNING.format("error")]
    assert not (project.root / "build" / "a.pdf").exists()


def test_strict_except_fit_makes_it_an_error_too(project):
    """The engine's warnings are no copy-fit finding: make stops at them."""
    project.write("issues/a.yaml", ISSUE)
    project.write("styles/classic/95-mine.css", STYLESHEET)
    run = project.run("build", "--strict-except-fit", "issues/a.yaml")
    assert run.code == 1
    assert run.stderr.splitlines() == [WARNING.format("error")]
    assert not (project.root / "build" / "a.pdf").exists()


def test_make_builds_strict():
    """Strict except for the copy-fit report, and not quiet, so that its
    findings are printed while the PDF is written."""
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    rule = re.search(r"^build/%\.pdf: .*\n((?:\t.*\n)+)", makefile, re.M)
    assert rule is not None
    build = [line for line in rule.group(1).splitlines() if " build " in line]
    assert build and "--strict-except-fit" in build[0].split()
    assert "--quiet" not in build[0].split()
