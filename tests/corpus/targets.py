"""What a page planner should achieve on issues nobody fitted by hand.

A page other than the last that is not nearly full is a hole an editor sees;
a last page of a few lines is a page printed for nothing. The copy-fit
report's own findings (engine/measure.py) should be rare rather than
forbidden: an issue can ask for the impossible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FULL_PAGE = 0.85  # every page but the last is at least this full
LAST_PAGE = 0.30  # and the last at least this, unless the issue has one page
CLEAN_SHARE = 0.95  # the share of issues with no copy-fit finding


@dataclass(frozen=True)
class Verdict:
    pages_full: bool  # every page but the last is at least FULL_PAGE full
    last_page: bool  # the last page is at least LAST_PAGE full, or the issue at its fewest pages
    clean: bool  # no copy-fit finding

    @property
    def filled(self) -> bool:
        return self.pages_full and self.last_page


def judge(fill: Sequence[float], findings: int, fewest: int = 1) -> Verdict:
    """`fill`: each page's share of its text block in use (Fit.page_fill);
    `fewest`: the fewest pages the planner's levers could give the issue
    (Fit.fewest_pages): a short last page is allowed to an issue that
    cannot take fewer pages."""
    if not fill:
        return Verdict(False, False, False)
    pages_full = all(share >= FULL_PAGE for share in fill[:-1])
    last_page = len(fill) <= max(1, fewest) or fill[-1] >= LAST_PAGE
    return Verdict(pages_full, last_page, findings == 0)


def shortfalls(fill: Sequence[float], findings: Sequence[str], fewest: int = 1) -> list[str]:
    """Each target missed, in words, for a test's message or the report."""
    said = [
        f"page {number} is {share:.0%} full (target {FULL_PAGE:.0%})"
        for number, share in enumerate(fill[:-1], start=1)
        if share < FULL_PAGE
    ]
    if len(fill) > max(1, fewest) and fill[-1] < LAST_PAGE:
        said.append(f"the last page, {len(fill)}, is {fill[-1]:.0%} full (target {LAST_PAGE:.0%})")
    said += [f"copy-fit: {finding}" for finding in findings]
    return said
