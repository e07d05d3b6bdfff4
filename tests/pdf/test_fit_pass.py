"""The copy-fit pass: when the first layout leaves a hole, broadsheet tries
moving photos and tightening the spacing, and keeps the layout that fits
best. Each test forces the situation with a project stylesheet and checks
the finished PDF (and the HTML it was typeset from)."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from pdfcheck import plain

WORDS = "words that fill a newsletter column with ordinary text about the town "


def paragraphs(count: int, words: int) -> str:
    return "\n\n".join(f"      Paragraph{n} " + WORDS * words for n in range(1, count + 1))


def issue(*stories: tuple[str, str, str], head: str = "") -> str:
    text = "name: The Fit Gazette\n" + head + "issue: {number: 1, date: 2026-01-31}\narticles:\n"
    for title, extra, body in stories:
        text += f"  - title: {title}\n{extra}    body: |\n{body}\n"
    return text


def build(project, text: str, css: str):
    project.write("issues/fit.yaml", text)
    project.write("styles/classic/99-force.css", css)
    run = project.run("build", "issues/fit.yaml", "--html", "build/fit.html")
    html = (project.root / "build" / "fit.html").read_text(encoding="utf-8")
    return run, PdfReader(project.root / "build" / "fit.pdf"), html


def test_a_photo_that_would_leave_a_hole_follows_the_text_that_fills_it(project):
    """On A5 the lead photo does not fit under the first paragraph: set there,
    it would take the rest of the story to page 2 and leave page 1 half empty."""
    project.photo("coffee.png")
    image = "    image: {src: images/coffee.png, caption: A cup.}\n"
    css = "figure.photo img { height: 95mm !important; max-height: none !important }"
    text = issue(("Lead", image, paragraphs(6, 6)), head="page_size: A5\n")
    run, pdf, html = build(project, text, css)
    assert run.code == 0, run.stderr
    assert "warning" not in run.stderr, run.stderr
    before_photo = html[: html.index("<figure")]
    moved = len(re.findall(r"Paragraph\d", before_photo))
    assert moved >= 2, "the photo should follow more than the first paragraph"
    first_page = plain(pdf.pages[0].extract_text())
    assert f"paragraph{moved}" in first_page  # the text filled page 1
    assert "a cup." not in first_page  # and the photo heads page 2 with its caption
    assert "a cup." in plain(pdf.pages[1].extract_text())


def test_a_few_lines_on_a_page_of_their_own_are_saved_by_tighter_spacing(project):
    css = (
        "article.story + article.story { margin-top: 45mm }\n"
        "html.fit-tight article.story + article.story { margin-top: 2mm }\n"
    )
    stories = [(f"Story {n}", "", paragraphs(1, 8)) for n in range(1, 5)]
    run, pdf, html = build(project, issue(*stories), css)
    assert run.code == 0, run.stderr
    assert "warning" not in run.stderr, run.stderr
    assert len(pdf.pages) == 1, run.stderr
    assert 'class="page-a4 fit-tight"' in html


def test_an_issue_that_fits_is_laid_out_as_written(project):
    css = "article.story + article.story { margin-top: 8mm }"
    stories = [(f"Story {n}", "", paragraphs(1, 8)) for n in range(1, 3)]
    run, pdf, html = build(project, issue(*stories), css)
    assert run.code == 0 and "warning" not in run.stderr, run.stderr
    assert len(pdf.pages) == 1
    assert 'class="page-a4"' in html


def test_a_flexible_issue_moves_a_brief_into_the_hole_on_page_1(project):
    """The brief after the lead is too long for the rest of page 1; a later,
    shorter one fits there. With `order: flexible` the planner moves it up,
    and the contents, the bookmarks and the PDF's checks follow the order
    printed."""
    lead = ("Lead", "", paragraphs(4, 9))
    long_brief = ("Long brief", "", paragraphs(2, 9))
    short_brief = ("Short brief", "", paragraphs(1, 3))
    text = issue(lead, long_brief, short_brief, head="order: flexible\n")
    run, pdf, html = build(project, text, "")
    assert run.code == 0, run.stderr
    assert "planned: 'Short brief' moved to page 1" in run.stderr, run.stderr
    assert html.index('id="short-brief"') < html.index('id="long-brief"')
    assert html.index('href="#short-brief"') < html.index('href="#long-brief"')  # the contents
    assert "short brief" in plain(pdf.pages[0].extract_text())
    titles = [entry.title for entry in pdf.outline]
    assert titles == ["Lead", "Short brief", "Long brief"]
    fixed = issue(lead, long_brief, short_brief)
    run, pdf, html = build(project, fixed, "")
    assert html.index('id="long-brief"') < html.index('id="short-brief"')


def test_contents_too_tall_beside_the_lead_stand_apart_under_the_masthead(project):
    """A short contents list stands in the lead's head; where that head and
    the lines it keeps do not start on page 1 under the masthead, page 1
    would hold the masthead alone (or the head alone at its foot). The list
    then stands on its own under the masthead, and the lead follows it."""
    css = ".front > .story-head { padding-bottom: 120mm }"
    stories = [(f"Story {n}", "", paragraphs(2, 4)) for n in range(1, 7)]
    run, pdf, html = build(project, issue(*stories, head="page_size: A5\n"), css)
    assert run.code == 0, run.stderr
    assert "warning" not in run.stderr, run.stderr
    assert 'class="toc toc--long"' in html and 'class="front"' not in html
    first_page = plain(pdf.pages[0].extract_text())
    assert all(f"story {n}" in first_page for n in range(1, 7))  # the contents
    assert "paragraph1" in first_page  # the lead's first lines under them
    as_written = issue(*stories[:2], head="page_size: A5\n")  # a head that fits: beside it
    run, pdf, html = build(project, as_written, ".front > .story-head { padding-bottom: 5mm }")
    assert 'class="front"' in html and "toc--long" not in html


@pytest.mark.parametrize(
    ("head", "marked"),
    [
        ("page_size: A5\n", True),
        ("theme: bulletin\n", True),
        ("page_size: A4\n", False),
        ("theme: modern\npage_size: Letter\n", False),
    ],
)
def test_a_short_first_paragraph_outside_columns_keeps_the_next_in_every_layout(
    project, head, marked
):
    """Outside columns (A5, bulletin) a first paragraph shorter than the 3
    lines a head keeps is marked to keep the next one's first lines with it
    (`p.keeps-next`), in the layout of the issue as written as in a
    planned one: the simulation keeps them so either way. The long
    first paragraph, and any in columns, is not marked."""
    text = issue(
        ("Lead", "", "      A short lead."),
        ("Short start", "", "      One short line.\n\n" + paragraphs(2, 4)),
        ("Long start", "", paragraphs(3, 5)),
        head=head,
    )
    project.write("issues/fit.yaml", text)
    run = project.run("build", "issues/fit.yaml", "--html", "build/fit.html")
    assert run.code == 0, run.stderr
    html = (project.root / "build" / "fit.html").read_text(encoding="utf-8")
    assert html.count("keeps-next") == marked
    assert ('<p class="first keeps-next">One short line.' in html) is marked
