"""Faults the corpus found in the copy-fit report and the layout, each fixed
as a class and kept fixed here on the case that showed it.

- A headline the engine left alone at a page foot (an A5 lead under a long
  contents list, its drop cap too tall for the line left) is started on
  the next page by the corrective layout.
- A right-to-left contents list in two columns is not content printed over
  content: WeasyPrint 70 leaves its leader boxes at their left-to-right x,
  where nothing is drawn; the check measures the text that is.
- A right-to-left contact line does not run out of its box: the classic
  theme's hanging label (a negative text-indent, which WeasyPrint 70 moves
  the wrong way in a right-to-left line) is not used there.
- A plan that only mends the measured layout's look (a photo set across the
  columns where a column was left mostly empty) does not stand in for the
  corrective layout, which saves a page there.
"""

from __future__ import annotations

import pypdfium2
import pytest

from broadsheet.engine import Session

from .builds import build_case
from .generate import case, write_project

LEAD_UNDER_A_LONG_CONTENTS = "17-mixed-en-classic-a5"
PERSIAN_CONTENTS_AND_CONTACT = "54-digest-fa-classic-a4"
A_PAGE_THE_CORRECTION_SAVES = "01-feature-en-classic-a4"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("corrections") / "project"
    names = (LEAD_UNDER_A_LONG_CONTENTS, PERSIAN_CONTENTS_AND_CONTACT, A_PAGE_THE_CORRECTION_SAVES)
    cases = {name: case(int(name[:2])) for name in names}
    issues = write_project(list(cases.values()), root)
    session = Session()
    return {
        name: build_case(cases[name], issues[name], root, root / "build" / f"{name}.pdf", session)
        for name in names
    }


def _page_texts(path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_a_headline_left_alone_at_a_page_foot_starts_the_next_page(built):
    row = built[LEAD_UNDER_A_LONG_CONTENTS]
    assert row.error is None, row.error
    assert not [f for f in row.findings if "headline is left" in f], row.findings
    first, second = _page_texts(row.pdf)[:2]
    lead = "A concert for the hospice"
    # Page 1 names the lead in its contents only; its head and body open page 2.
    assert first.count(lead) == 1
    assert lead in second and "The parish council" in second


def test_right_to_left_contents_and_contact_lines_are_not_reported(built):
    row = built[PERSIAN_CONTENTS_AND_CONTACT]
    assert row.error is None, row.error
    said = [f for f in row.findings if "printed over" in f or "wider than its column" in f]
    assert not said, said


def test_a_plan_that_mends_only_the_look_still_gets_the_correction(built):
    """The measured layout takes six pages, the last a fifth full, with a
    column left mostly empty; the plan sets that photo across the columns,
    on six pages still. The correction (tighter spacing, photos moved) sets
    it on five."""
    row = built[A_PAGE_THE_CORRECTION_SAVES]
    assert row.error is None, row.error
    assert not row.findings, row.findings
    assert row.pages == 5
