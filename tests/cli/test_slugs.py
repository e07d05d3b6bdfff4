"""One issue, one set of outputs: files are named by the issue's slug, its
path under issues/ (`fr/2026-12`), so two publications' December issues
never share a PDF; two inputs of one run that would write the same file are
refused before anything is built."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

ISSUE = """\
name: {name}
issue: {{number: 1, date: 2026-12-01}}
articles:
  - title: {title}
    body: Text of the story, long enough to set a line or two of type.
"""


@pytest.fixture
def two_publications(project):
    """The same file name, issues/fr/2026-12.yaml and issues/fa/2026-12.yaml,
    in two publications (kept small: the samples themselves take longer)."""
    project.write("issues/fr/2026-12.yaml", ISSUE.format(name="La Lanterne", title="Gala"))
    project.write("issues/fa/2026-12.yaml", ISSUE.format(name="Fanous", title="Jashn"))
    return project


def title_of(path) -> str:
    return PdfReader(path).metadata.title


def test_a_batch_of_two_publications_builds_two_pdfs(two_publications):
    run = two_publications.run(
        "build", "-j", "2", "issues/fr/2026-12.yaml", "issues/fa/2026-12.yaml"
    )
    assert run.code == 0, run.stderr
    assert run.stdout.split() == ["build/fr/2026-12.pdf", "build/fa/2026-12.pdf"]
    build = two_publications.root / "build"
    assert "La Lanterne" in title_of(build / "fr" / "2026-12.pdf")
    assert "Fanous" in title_of(build / "fa" / "2026-12.pdf")
    assert not (build / "2026-12.pdf").exists()
    assert run.stderr.splitlines()[-1].startswith("built 2 issues (2 pages, ")


def test_one_issue_and_its_profiles_go_where_make_puts_them(two_publications):
    run = two_publications.run("build", "issues/fr/2026-12.yaml", "--profile", "print")
    assert run.code == 0, run.stderr
    assert run.stdout == "build/fr/2026-12-print.pdf\n"


def test_an_issue_outside_issues_keeps_its_file_name(project):
    project.write("drafts/special.yaml", ISSUE.format(name="G", title="A"))
    run = project.run("build", "drafts/special.yaml")
    assert (run.code, run.stdout) == (0, "build/special.pdf\n"), run.stderr


@pytest.mark.parametrize(
    ("issues", "pdf", "hint"),
    [
        (  # outside issues/: both named by their file name
            ("a/2026-12.yaml", "b/2026-12.yaml"),
            "build/2026-12.pdf",
            "build one of them in a run of its own, with -o",
        ),
        (
            ("issues/fr/2026-12.yaml", "issues/fr/../fr/2026-12.yaml"),
            "build/fr/2026-12.pdf",
            "it is one issue given twice",
        ),
    ],
    ids=["same-stem", "same-file"],
)
def test_two_inputs_writing_one_file_is_a_usage_error_before_any_build(project, issues, pdf, hint):
    for path in issues:
        project.write(path, ISSUE.format(name="G", title="A"))
    run = project.run("build", *issues)
    assert run.code == 2
    assert f"{issues[0]} and {issues[1]} would both write {pdf}: {hint}" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (project.root / "build").exists()  # nothing built, not even a picture cache


def test_newsletter_yaml_is_not_an_issue(project):
    project.write("issues/newsletter.yaml", ISSUE.format(name="G", title="A"))
    run = project.run("build", "issues/newsletter.yaml")
    assert run.code == 2
    assert "issues/newsletter.yaml holds what every issue shares; it is not an issue" in run.stderr


def test_the_archive_lists_every_publication_and_never_takes_an_issues_name(two_publications):
    """An issue named `index` keeps build/index.pdf; the archive's PDF is
    build/newsletter.pdf, which no issue can be named."""
    project = two_publications
    project.write("issues/index.yaml", ISSUE.format(name="The Index", title="Indexing"))
    run = project.run("archive")
    assert run.code == 0, run.stderr
    assert run.stdout.split() == [
        "build/thumbnails/index.png",
        "build/thumbnails/fa/2026-12.png",
        "build/thumbnails/fr/2026-12.png",
        "build/index.html",
        "build/newsletter.pdf",
        "build/site/index.html",
        "build/site/feed.xml",
    ]
    build = project.root / "build"
    assert "The Index" in title_of(build / "index.pdf")  # the issue's, untouched
    assert title_of(build / "newsletter.pdf").endswith("— all issues")
    index = PdfReader(build / "newsletter.pdf")
    files = {
        str(annotation.get_object()["/A"]["/F"]["/F"])
        for page in index.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/A"].get("/S") == "/GoToR"
    }
    assert files == {"index.pdf", "fr/2026-12.pdf", "fa/2026-12.pdf"}
    text = " ".join(page.extract_text() for page in index.pages)
    assert "La Lanterne" in text and "Fanous" in text  # each entry says whose issue it is


@pytest.mark.parametrize(
    "slug",
    ["fr/2027-01", "line\nbreak", "x" * 101, "../escape", "newsletter"],
    ids=["folder", "line-break", "too-long", "parent", "newsletter"],
)
def test_new_refuses_a_slug_that_is_not_a_plain_file_name(project, slug):
    run = project.run("new", slug, "--date", "2026-12-01")
    assert run.code == 2, run.stderr
    assert "cannot name an issue file" in run.stderr
    assert "Traceback" not in run.stderr
    assert list((project.root / "issues").iterdir()) == []


def test_new_takes_a_long_but_plain_slug(project):
    run = project.run("new", "x" * 100, "--date", "2026-12-01")
    assert run.code == 0, run.stderr
    assert run.stdout == f"issues/{'x' * 100}.yaml\n"
