"""Every mistake in tests/fixtures/invalid gets exactly the located lines it declares.

Each fixture starts with `# expect: ...` comments: the whole standard-error
output of `broadsheet check` and of `broadsheet build`, line for line. A build
of a bad issue exits 1, prints no traceback and leaves the earlier PDF as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "invalid").glob("*.yaml"))


def expected_lines(fixture: Path) -> list[str]:
    lines = fixture.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


@pytest.fixture(params=FIXTURES, ids=[f.stem for f in FIXTURES])
def bad_issue(request, project):
    target = project.root / "issues" / request.param.name
    shutil.copyfile(request.param, target)
    project.photo("coffee.png")
    return target


def test_check_reports_exactly_the_expected_lines(project, bad_issue):
    run = project.run("check", f"issues/{bad_issue.name}")
    assert run.stderr.splitlines() == expected_lines(bad_issue)
    assert run.code == 1
    assert "Traceback" not in run.stderr


def test_build_fails_the_same_way_and_keeps_the_previous_pdf(project, bad_issue):
    previous = project.root / "build" / f"{bad_issue.stem}.pdf"
    previous.parent.mkdir()
    previous.write_bytes(b"stands for the good PDF of the last successful build")
    before = previous.read_bytes()
    run = project.run("build", f"issues/{bad_issue.name}")
    assert run.stderr.splitlines() == expected_lines(bad_issue)
    assert run.code == 1
    assert previous.read_bytes() == before
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]
