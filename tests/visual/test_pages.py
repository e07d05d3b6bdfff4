"""Each sample page still looks as it did when its reference was approved.

The text, links and numbers of a PDF are checked elsewhere; these tests catch
what only the eye sees: a block that moved, a rule that vanished, a photo that
overflows. References are made by `make references` (see reference_pages.py).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from page_images import page_count, render_pages
from reference_pages import (
    MAKE_REFERENCES,
    ReferenceSet,
    assert_pages_match,
    shown,
    updating_references,
)

from broadsheet.cli.main import main
from broadsheet.content.load import load
from broadsheet.content.validate import validate

REPO = Path(__file__).resolve().parents[2]
THEME = "classic"
SAMPLE_ISSUES = ("2026-10", "2026-11")
OTHER_PAGE_SIZES = ("A5", "Letter")


@pytest.fixture(scope="session")
def november_pdf(tmp_path_factory) -> Path:
    """The November sample, built once as the root conftest builds October's `sample_pdf`.

    It lives here and not in a tests/visual/conftest.py: a second conftest
    module would shadow the root one for tests that `from conftest import`.
    """
    out = tmp_path_factory.mktemp("sample-november") / "2026-11.pdf"
    err = io.StringIO()
    issue = str(REPO / "issues" / "2026-11.yaml")
    arguments = ["build", issue, "-o", str(out), "--root", str(REPO), "--quiet"]
    code = main(arguments, stdout=io.StringIO(), stderr=err, environ={})
    assert code == 0, err.getvalue()
    return out


@pytest.fixture(scope="session")
def sample_issue_pdfs(sample_pdf, november_pdf) -> dict[str, Path]:
    """Every sample issue in issues/, by the slug its references are named after."""
    return {"2026-10": sample_pdf, "2026-11": november_pdf}


def whole_issue(slug: str) -> ReferenceSet:
    return ReferenceSet(f"{slug}-{THEME}-A4")


@pytest.mark.parametrize("slug", SAMPLE_ISSUES)
def test_sample_issue_is_set_in_the_theme_its_references_are_named_after(slug):
    issue = validate(load(REPO / "issues" / f"{slug}.yaml"), REPO)
    assert issue.theme == THEME
    assert issue.page_size == "A4"


@pytest.mark.parametrize("slug", SAMPLE_ISSUES)
def test_every_page_matches_its_reference(slug, sample_issue_pdfs, request):
    pages = render_pages(sample_issue_pdfs[slug])
    assert_pages_match(pages, whole_issue(slug), request.node.name)


@pytest.mark.parametrize("slug", SAMPLE_ISSUES)
def test_page_count_equals_the_number_of_references(slug, sample_issue_pdfs):
    if updating_references():
        pytest.skip("the references are being rewritten to match the build")
    references = whole_issue(slug)
    pages = page_count(sample_issue_pdfs[slug])
    stored = len(references.stored())
    assert pages == stored, (
        f"{slug} has {pages} pages but {shown(references.folder)} holds {stored} references:"
        f" {MAKE_REFERENCES}."
    )


@pytest.fixture(scope="module")
def modern_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Both samples set in the modern theme, from a scratch copy of issues/."""
    root = tmp_path_factory.mktemp("modern")
    shutil.copytree(REPO / "issues", root / "issues")
    with (root / "issues" / "newsletter.yaml").open("a", encoding="utf-8") as shared:
        shared.write("theme: modern\n")
    built = {}
    for slug in SAMPLE_ISSUES:
        out = root / f"{slug}.pdf"
        err = io.StringIO()
        issue = str(root / "issues" / f"{slug}.yaml")
        arguments = ["build", issue, "-o", str(out), "--root", str(root), "--quiet"]
        assert main(arguments, stdout=io.StringIO(), stderr=err, environ={}) == 0, err.getvalue()
        built[slug] = out
    return built


@pytest.mark.parametrize("slug", SAMPLE_ISSUES)
def test_every_page_in_the_modern_theme_matches_its_reference(slug, modern_pdfs, request):
    pages = render_pages(modern_pdfs[slug])
    references = ReferenceSet(f"{slug}-modern-A4")
    if not updating_references():
        assert len(pages) == len(references.stored()), f"{slug}: {MAKE_REFERENCES}."
    assert_pages_match(pages, references, request.node.name)


@pytest.mark.parametrize("page_size", OTHER_PAGE_SIZES)
def test_first_page_at_other_sizes_matches_its_reference(page_size, project, request):
    """October's page 1 at each other paper size, from a scratch copy of issues/."""
    shutil.copytree(REPO / "issues", project.root / "issues", dirs_exist_ok=True)
    newsletter = project.root / "issues" / "newsletter.yaml"
    shared = newsletter.read_text(encoding="utf-8").rstrip("\n")
    newsletter.write_text(f"{shared}\npage_size: {page_size}\n", encoding="utf-8")
    run = project.run("build", "issues/2026-10.yaml", "--quiet")
    assert run.code == 0, run.stderr
    first_page = render_pages(project.root / "build" / "2026-10.pdf")[0]
    references = ReferenceSet(f"2026-10-{THEME}-{page_size}")
    assert_pages_match([first_page], references, request.node.name)
