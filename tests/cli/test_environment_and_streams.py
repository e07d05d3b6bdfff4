"""The program as a shell runs it, with odd surroundings: variables set to
values nobody meant, a reader that goes away, standard output closed. Each is
a usage error or a quiet end, never an internal error (exit 3) or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pypdf import PdfReader

ISSUE = """\
name: Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: One
    body: Text.
"""

ABSURD = [
    ("BROADSHEET_MEMORY_MB", "99999999999999999999999"),
    ("BROADSHEET_MEMORY_MB", "0"),
    ("BROADSHEET_MEMORY_MB", "-5"),
    ("BROADSHEET_MEMORY_MB", "٣٠٠٠"),  # Arabic-Indic digits: str.isdigit, not a number here
    ("BROADSHEET_BUILD_SECONDS", "1e9"),
    ("BROADSHEET_BUILD_SECONDS", "99999999999999999999"),
    ("BROADSHEET_BUILD_SECONDS", "ten"),
    ("SOURCE_DATE_EPOCH", "999999999999999"),  # past the year 9999
    ("SOURCE_DATE_EPOCH", "-1"),
    ("SOURCE_DATE_EPOCH", "1.5"),
]


def program(root, *args, env=None, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "broadsheet", *args],
        cwd=root,
        env=os.environ | (env or {}),
        capture_output=options.pop("capture_output", True),
        text=True,
        timeout=120,
        **options,
    )


@pytest.fixture
def issue(project):
    project.write("issues/one.yaml", ISSUE)
    return project


@pytest.mark.parametrize(("name", "value"), ABSURD)
@pytest.mark.parametrize("command", [["check", "issues/one.yaml"], ["build", "issues/one.yaml"]])
def test_an_absurd_variable_is_a_usage_error_naming_it(issue, name, value, command):
    result = program(issue.root, *command, env={name: value})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"broadsheet: error: {name}: expected "), result.stderr
    assert "Traceback" not in result.stderr
    assert not (issue.root / "build").exists()


@pytest.mark.parametrize(("name", "value"), ABSURD[:1] + ABSURD[-3:-2])
def test_help_still_answers_whatever_the_environment(issue, name, value):
    result = program(issue.root, "--help", env={name: value})
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_the_largest_values_in_range_still_build(issue):
    env = {
        "BROADSHEET_BUILD_SECONDS": "604800",
        "SOURCE_DATE_EPOCH": "253402300799",  # 9999-12-31T23:59:59Z
    }
    result = program(issue.root, "build", "issues/one.yaml", env=env)
    assert result.returncode == 0, result.stderr
    info = PdfReader(issue.root / "build/one.pdf").metadata
    assert info["/CreationDate"].startswith("D:99991231235959"), info


@pytest.mark.parametrize(
    "command",
    [
        ["build", "issues/one.yaml"],
        ["inspect", "build/one.pdf"],
        ["completion", "bash"],
        ["man"],
    ],
)
def test_a_reader_that_went_away_ends_the_program_quietly(issue, command):
    """`broadsheet ... | head -0`: the pipe's reading end is closed before the
    program writes, so its first write fails with a broken pipe."""
    assert program(issue.root, "build", "issues/one.yaml").returncode == 0
    (issue.root / "build/one.pdf").rename(issue.root / "build/kept.pdf")
    if command[0] == "inspect":
        (issue.root / "build/kept.pdf").rename(issue.root / "build/one.pdf")
    reading, writing = os.pipe()
    os.close(reading)
    try:
        result = program(
            issue.root, *command, stdout=writing, capture_output=False, stderr=subprocess.PIPE
        )
    finally:
        os.close(writing)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "Exception ignored" not in result.stderr
    if command[0] == "build":
        assert (issue.root / "build/one.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "command", [["build", "issues/one.yaml"], ["inspect", "build/one.pdf"], ["man"]]
)
def test_a_closed_standard_output_is_no_internal_error(issue, command):
    assert program(issue.root, "build", "issues/one.yaml").returncode == 0
    words = " ".join(command)
    result = subprocess.run(
        ["sh", "-c", f'exec "$0" -m broadsheet {words} >&-', sys.executable],
        cwd=issue.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
