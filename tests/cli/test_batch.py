"""Several issues in one `broadsheet build`: worker processes, the same bytes
as one build at a time, results in the order given, a summary line."""

from __future__ import annotations

import re

import pytest

GOOD = """\
name: Gazette
issue: {{number: {number}, date: 2026-01-31}}
articles:
  - title: Story {number}
    body: Text of story {number}, long enough to set a line or two of type.
    image: {{src: images/coffee.png, alt: A cup., caption: A cup.}}
"""
SUMMARY = re.compile(r"^built (\d+ of )?\d+ issues \(\d+ pages?, [\d.]+ [KM]B\) in [\d.]+ s")


@pytest.fixture
def three(project):
    project.photo("coffee.png")
    project.write("issues/newsletter.yaml", "tagline: A line\n")
    for number in (1, 2, 3):
        project.write(f"issues/{number}.yaml", GOOD.format(number=number))
    return project


def test_workers_give_the_bytes_of_one_build_at_a_time(three):
    for number in (1, 2, 3):
        alone = three.run("build", f"issues/{number}.yaml", "-o", f"alone/{number}.pdf")
        assert alone.code == 0, alone.stderr
    run = three.run("build", "--jobs", "2", "issues/1.yaml", "issues/2.yaml", "issues/3.yaml")
    assert run.code == 0, run.stderr
    assert run.stdout.split() == ["build/1.pdf", "build/2.pdf", "build/3.pdf"]  # as given
    for number in (1, 2, 3):
        together = (three.root / "build" / f"{number}.pdf").read_bytes()
        assert together == (three.root / "alone" / f"{number}.pdf").read_bytes()
    lines = run.stderr.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [f"issues/{n}.yaml" for n in (1, 2, 3)]
    assert SUMMARY.match(lines[-1]), lines[-1]
    assert lines[-1].startswith("built 3 issues (3 pages, ")


def test_one_in_process_worker_gives_the_same_bytes(three):
    """--jobs 1 builds in this process, one session for every issue."""
    assert three.run("build", "--jobs", "2", "issues/1.yaml", "issues/2.yaml").code == 0
    pooled = [(three.root / "build" / f"{n}.pdf").read_bytes() for n in (1, 2)]
    run = three.run("build", "--jobs", "1", "issues/1.yaml", "issues/2.yaml")
    assert run.code == 0, run.stderr
    assert [(three.root / "build" / f"{n}.pdf").read_bytes() for n in (1, 2)] == pooled


def test_a_bad_issue_among_good_ones(three):
    three.write("issues/2.yaml", GOOD.format(number=2).replace("number: 2", "number: two"))
    run = three.run("build", "-j", "2", "issues/1.yaml", "issues/2.yaml", "issues/3.yaml")
    assert run.code == 1
    assert run.stdout.split() == ["build/1.pdf", "build/3.pdf"]
    assert not (three.root / "build" / "2.pdf").exists()
    lines = run.stderr.splitlines()
    assert lines[0].startswith("issues/1.yaml: 1 page")
    assert lines[1].startswith("issues/2.yaml:2:17: error: issue.number:")
    assert lines[2].startswith("issues/3.yaml: 1 page")
    assert lines[-1].startswith("built 2 of 3 issues (2 pages, ")
    assert lines[-1].endswith("; 1 failed")


def test_quiet_keeps_only_the_errors(three):
    three.write("issues/2.yaml", GOOD.format(number=2).replace("number: 2", "number: two"))
    run = three.run("build", "-q", "-j", "2", "issues/1.yaml", "issues/2.yaml")
    assert (run.code, run.stdout) == (1, "")
    [line] = run.stderr.splitlines()  # no copy-fit lines, no summary
    assert line.startswith("issues/2.yaml:2:17: error:")


def test_jobs_must_be_a_positive_number(three):
    run = three.run("build", "--jobs", "0", "issues/1.yaml", "issues/2.yaml")
    assert run.code == 2
    assert "--jobs: expected a number above 0" in run.stderr


def test_the_summary_counts_what_was_built():
    from pathlib import Path

    from broadsheet.cli.batch import Job, Outcome, summary

    job = Job(Path("a.yaml"), Path("a.pdf"))
    outcomes = [Outcome(job, 0, (), "", 4, 1_500_000), Outcome(job, 0, (), "", 2, 600_000)]
    assert summary(outcomes, 6.24) == "built 2 issues (6 pages, 2.1 MB) in 6.2 s"
    failed = [*outcomes, Outcome(job, 1, ())]
    assert summary(failed, 1) == "built 2 of 3 issues (6 pages, 2.1 MB) in 1.0 s; 1 failed"
