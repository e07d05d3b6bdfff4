"""`size_budget_mb`: a PDF too big to email is a warning naming what makes it
big (its largest pictures and fonts), an error with `--strict`."""

from __future__ import annotations

import re

ISSUE = """\
name: The Budget Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: Pictured
    image: {src: images/coffee.png, caption: A cup.}
    body: Text.
"""


def test_within_the_default_budget_the_size_is_only_reported(project):
    project.photo("coffee.png")
    project.write("issues/one.yaml", ISSUE)
    run = project.run("build", "issues/one.yaml")
    assert run.code == 0, run.stderr
    assert "warning" not in run.stderr
    assert re.search(r"full; \d+ KB$", run.stderr.strip())


def test_over_budget_is_a_located_warning_naming_the_largest_parts(project):
    project.photo("coffee.png")
    project.write("issues/newsletter.yaml", "size_budget_mb: 0.05\n")
    project.write("issues/one.yaml", ISSUE)
    run = project.run("build", "issues/one.yaml")
    assert run.code == 0, run.stderr
    assert re.search(
        r"^issues/newsletter\.yaml:1:1: warning: the PDF is \d+ KB, over its 0\.05 MB budget "
        r"\(size_budget_mb\); the largest parts: picture 600 x 400 \(\d+ KB\), font \S+ \(\d+ KB\)",
        run.stderr,
        re.M,
    ), run.stderr
    assert (project.root / "build" / "one.pdf").is_file()


def test_over_budget_with_strict_is_an_error_and_nothing_is_written(project):
    project.photo("coffee.png")
    project.write("issues/one.yaml", "size_budget_mb: 0.05\n" + ISSUE)
    run = project.run("build", "--strict", "issues/one.yaml")
    assert run.code == 1
    assert "issues/one.yaml:1:1: error: the PDF is" in run.stderr
    assert not (project.root / "build" / "one.pdf").exists()
