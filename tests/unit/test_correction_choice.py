"""When the copy-fit pass lays out its correction (engine/copyfit.py): it
moves the photos the report names, so it is worth a layout only where the
best layout left a hole on as many pages as the issue as written takes
(simulated), never after a plan that mended them or saved pages (on a long
issue that layout is the price of every page)."""

from __future__ import annotations

from broadsheet.engine.copyfit import wants_correction
from broadsheet.engine.measure import Fit


def fit(pages: int, fixable: bool) -> Fit:
    return Fit(pages=pages, target=None, last_page_full=0.5, findings=(), fixable=fixable)


def test_a_hole_left_on_as_many_pages_is_worth_the_correction():
    assert wants_correction(fit(5, fixable=True), 5)


def test_no_correction_after_a_plan_that_mended_the_holes():
    """On the corpus, a correction after a plan that left no hole never did
    better than the plan; it cost a layout each time."""
    assert not wants_correction(fit(5, fixable=False), 5)


def test_no_correction_after_a_plan_that_saved_pages():
    """The 160-page synthetic issue: measured on 168 pages, planned on 158
    with a hole left; the correction set it on 160 with more findings."""
    assert not wants_correction(fit(158, fixable=True), 168)


def test_no_correction_when_nothing_is_left_to_mend():
    assert not wants_correction(fit(5, fixable=False), 5)
