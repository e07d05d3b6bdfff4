"""The limits of one build: time, memory, pages and page size, each ending
in a clear message and nothing written, never a hang or a traceback.

A stylesheet is the way to ask the engine for an absurd layout, so each
case is an ordinary issue with one project stylesheet.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from broadsheet.cli.main import main
from broadsheet.engine import copyfit

ISSUE = """\
name: The Limits Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: First story
    body: Some text.
"""


def build(project, css: str, environ: dict | None = None):
    project.write("issues/a.yaml", ISSUE)
    if css:
        project.write("styles/classic/95-absurd.css", css)
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code = main(["build", "issues/a.yaml"], stdout=out, stderr=err, environ=environ or {})
    return code, err.getvalue(), time.monotonic() - started


def test_a_build_past_its_time_is_stopped_with_a_message(project):
    """A page a kilometre square takes the engine many seconds: one second is the limit here."""
    code, stderr, seconds = build(
        project, "@page { size: 1e6mm 1e6mm !important }", {"BROADSHEET_BUILD_SECONDS": "1"}
    )
    assert code == 1
    assert stderr.startswith("broadsheet: error: issues/a.yaml: stopped after 1 s")
    assert seconds < 60  # stopped, not finished: the message above says the alarm rang
    assert not (project.root / "build" / "a.pdf").exists()


def test_a_page_larger_than_any_viewer_shows_is_refused_before_writing(project):
    code, stderr, _ = build(project, "@page { size: 6000mm 6000mm !important }")
    assert code == 1
    assert "a page is 6000 x 6000 mm; the largest PDF viewers show is 5080 mm" in stderr
    assert not (project.root / "build" / "a.pdf").exists()


def test_a_size_no_layout_can_hold_is_a_clear_error(project):
    code, stderr, _ = build(project, ".story p { font-size: 1e9px }")
    assert code == 1
    assert "broadsheet: error: the layout cannot be made (OverflowError" in stderr
    assert "Traceback" not in stderr


def test_more_pages_than_the_limit_is_refused(project, monkeypatch):
    monkeypatch.setattr(copyfit, "MAX_PAGES", 1)
    code, stderr, _ = build(project, ".story { break-before: page }")
    assert code == 1
    assert "the issue takes 2 pages; the limit is 1" in stderr


@pytest.mark.parametrize(("megabytes", "code"), [(50, 1), (4096, 0)])
def test_the_program_runs_within_its_memory(project, megabytes, code):
    """Run as a user runs it: the cap is the program's, not a library caller's."""
    project.write("issues/a.yaml", ISSUE)
    env = os.environ | {"BROADSHEET_MEMORY_MB": str(megabytes)}
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "build", "issues/a.yaml"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == code, result.stderr
    if code:
        assert result.stderr.startswith("broadsheet: error: out of memory (BROADSHEET_MEMORY_MB)")
        assert "Traceback" not in result.stderr


def test_out_of_memory_outside_a_layout_blames_no_stylesheet(project):
    """`import` lays nothing out: the message names the command (its XML
    parser, a native library, is what fails to load under this cap)."""
    feed = Path(__file__).resolve().parent.parent / "fixtures" / "feeds" / "lantern.rss"
    env = os.environ | {"BROADSHEET_MEMORY_MB": "40"}
    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "import", str(feed), "--since", "2026-01-01"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "out of memory (BROADSHEET_MEMORY_MB); `broadsheet import` needed more" in result.stderr
    assert "stylesheet" not in result.stderr and "Traceback" not in result.stderr
