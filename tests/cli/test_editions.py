"""`broadsheet build --edition`: the plain-text edition written to
build/<slug>.txt without the engine, the same bytes every time, nothing
written on bad input; and with the PDF, a flexible issue whose PDF prints
a brief elsewhere passes parity in both editions."""

from __future__ import annotations

from broadsheet import pipeline
from broadsheet.content.check import check
from broadsheet.html.text import text_edition
from conftest import MINIMAL_ISSUE

ISSUE = MINIMAL_ISSUE.replace(
    "    body: Some text.\n",
    "    link: https://example.org/first\n"
    "    body: Some text with [a link](https://example.org/more).\n",
)


def test_edition_text_writes_build_slug_txt_and_nothing_else(project):
    project.write("issues/2026-01.yaml", ISSUE)
    run = project.run("build", "issues/2026-01.yaml", "--edition", "text")
    assert run.code == 0, run.stderr
    assert run.stdout == "build/2026-01.txt\n"
    written = project.root / "build" / "2026-01.txt"
    issue = check(project.root / "issues" / "2026-01.yaml", project.root)
    assert written.read_bytes() == text_edition(issue).encode()
    assert sorted(p.name for p in (project.root / "build").iterdir()) == ["2026-01.txt"]
    first = written.read_bytes()
    assert project.run("build", "issues/2026-01.yaml", "--edition", "text").code == 0
    assert written.read_bytes() == first  # same input, same bytes
    assert "[1] https://example.org/more\n[2] https://example.org/first\n" in first.decode()


def test_bad_input_is_a_located_error_and_nothing_is_written(project):
    project.write(
        "issues/2026-01.yaml", ISSUE.replace("  - title: First story\n", "  - body2: x\n")
    )
    run = project.run("build", "issues/2026-01.yaml", "--edition", "text")
    assert run.code == 1, run.stderr
    assert run.stderr.startswith("issues/2026-01.yaml:6:5: error:"), run.stderr
    assert "Traceback" not in run.stderr
    assert not (project.root / "build" / "2026-01.txt").exists()


def test_a_text_edition_replaces_the_old_one_only_when_it_is_good(project):
    project.write("issues/2026-01.yaml", ISSUE)
    assert project.run("build", "issues/2026-01.yaml", "--edition", "text").code == 0
    good = (project.root / "build" / "2026-01.txt").read_bytes()
    project.write("issues/2026-01.yaml", ISSUE.replace("2026-01-31", "2026-02-31"))
    assert project.run("build", "issues/2026-01.yaml", "--edition", "text").code == 1
    assert (project.root / "build" / "2026-01.txt").read_bytes() == good


def test_pdf_options_without_the_pdf_edition_are_a_usage_error(project):
    project.write("issues/2026-01.yaml", ISSUE)
    run = project.run("build", "issues/2026-01.yaml", "--edition", "text", "--html", "x.html")
    assert run.code == 2
    assert "add --edition pdf" in run.stderr


def paragraphs(count: int, words: int) -> str:
    text = "words that fill a newsletter column with ordinary text about the town "
    return "\n\n".join(f"      Paragraph{n} " + text * words for n in range(1, count + 1))


def test_a_flexible_issue_passes_parity_in_the_pdf_and_the_text(project):
    """The PDF prints the short brief before the long one (as
    tests/pdf/test_fit_pass.py shows); the text keeps the articles' order.
    Each is held to its own order, and the build passes."""
    text = "name: The Fit Gazette\norder: flexible\nissue: {number: 1, date: 2026-01-31}\n"
    text += "articles:\n"
    for title, body in (
        ("Lead", paragraphs(4, 9)),
        ("Long brief", paragraphs(2, 9)),
        ("Short brief", paragraphs(1, 3)),
    ):
        text += f"  - title: {title}\n    body: |\n{body}\n"
    project.write("issues/fit.yaml", text)
    run = project.run("build", "issues/fit.yaml", "--edition", "pdf", "--edition", "text")
    assert run.code == 0, run.stderr
    assert "planned: 'Short brief' moved to page 1" in run.stderr, run.stderr
    assert run.stdout == "build/fit.pdf\nbuild/fit.txt\n"
    written = (project.root / "build" / "fit.txt").read_text(encoding="utf-8")
    assert written.index("Long brief\n==========") < written.index("Short brief\n===========")


def test_a_text_edition_that_disagrees_with_the_issue_is_not_written(project, monkeypatch):
    """A fault put into the text edition's writer: the build reads the text
    back, names the story and the edition, and writes nothing."""
    project.write("issues/2026-01.yaml", ISSUE)
    made = pipeline.text_edition
    dropped = "[1] https://example.org/more\n"
    monkeypatch.setattr(pipeline, "text_edition", lambda issue: made(issue).replace(dropped, ""))
    run = project.run("build", "issues/2026-01.yaml", "--edition", "text")
    assert run.code == 1
    assert run.stderr == (
        "issues/2026-01.yaml:6:5: error: the text edition lacks the link"
        " https://example.org/more of 'First story'\n"
    )
    assert not (project.root / "build" / "2026-01.txt").exists()
