"""When the copy-fit pass lays out its correction (engine/copyfit.py): it
starts again from the measured layout's holes, so it is worth a layout only
where the plan left a hole on as many pages, never after a plan that saved
pages (on a long issue that layout is the price of every page)."""

from __future__ import annotations

from broadsheet.engine.copyfit import wants_correction
from broadsheet.engine.measure import Fit
from broadsheet.planner.pages import Pages
from broadsheet.planner.search import Levers, Plan


def fit(pages: int, fixable: bool) -> Fit:
    return Fit(pages=pages, target=None, last_page_full=0.5, findings=(), fixable=fixable)


def plan(pages: int, measured: int) -> Plan:
    """A plan that moved a photo, simulated on `pages` pages where the
    measured layout took `measured`, with a page short in both."""
    return Plan(
        Levers(places=(("s", 1),)),
        Pages([0.8] * pages),
        (pages, 1, 0.1, 0.2),
        Pages([0.8] * measured),
        (measured, 2, 0.2, 0.0),
        changes=(("s", "place", 1),),
    )


def test_a_hole_left_on_as_many_pages_is_worth_the_correction():
    assert wants_correction(fit(5, fixable=True), fit(5, fixable=True), plan(5, 5))
    assert wants_correction(fit(5, fixable=False), fit(5, fixable=True), plan(5, 5))


def test_no_correction_after_a_plan_that_saved_pages():
    """The 160-page synthetic issue: measured on 168 pages, planned on 158
    with a hole left; the correction set it on 160 with more findings."""
    assert not wants_correction(fit(158, fixable=True), fit(168, fixable=True), plan(158, 168))


def test_no_correction_when_nothing_is_left_to_mend():
    assert not wants_correction(fit(5, fixable=False), fit(5, fixable=False), plan(5, 5))
