"""Laying an issue out, as many times as copy-fit asks, and keeping the best.

Each layout is rendered (html/), typeset and measured (measure.py); when the
report finds holes, up to two more are made with other settings, and the one
with the fewest faults is written to PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from broadsheet.content.model import Issue
from broadsheet.engine.finish import finisher_for
from broadsheet.engine.measure import Fit, measure
from broadsheet.engine.session import Session
from broadsheet.engine.typeset import Typeset, to_pdf, typeset
from broadsheet.errors import ContentError, error
from broadsheet.html.pictures import PICTURE_CACHE
from broadsheet.html.render import render
from broadsheet.html.rendered import Fitting, Rendered
from broadsheet.limits import MAX_PAGE_MM, MAX_PAGES
from broadsheet.logs import stage
from broadsheet.profiles import Profile
from broadsheet.theme import Theme

Progress = Callable[[str], None]
# From this many pages, a layout is written to PDF before copy-fit makes another:
# one layout in memory instead of two (at the 500-page limit, two layouts would
# come near the memory cap), for the price of a write that may be thrown away.
WRITE_BEFORE_RETRY_PAGES = 100


@dataclass(frozen=True)
class Layout:
    fitting: Fitting
    rendered: Rendered
    result: Typeset
    fit: Fit
    pictures: tuple[Path, ...]  # the source files of the pictures it typeset
    pdf: bytes | None = None  # once written
    notes: tuple = ()  # what the engine said while writing it

    def faults(self) -> tuple[int, int]:
        return len(self.fit.findings), self.fit.pages


def lay_out(
    issue: Issue, root: Path, profile: Profile, session: Session, progress: Progress
) -> Layout:
    """Render, typeset and measure; when the copy-fit report finds holes, try
    up to two other settings and keep whichever fits best; return it written.

    A photo that does not fit after its story's first paragraph takes the
    rest of the story with it to the next column or page and leaves a hole
    (common on A5 and beside the contents panel): the second layout moves the
    photos of the stories the report names, one pushed onto the next page
    after the text that fills the hole it left, any other straight under its
    headline. If holes remain, or the issue ends with a few lines on a page
    of their own, the third layout also tightens the spacing (the theme's
    `html.fit-tight` rules). A layout is kept only when it has fewer faults
    (then fewer pages) than the best so far, so trying never makes an issue
    worse; an issue that fits is laid out once.

    A long issue's layout is written out before the next is made, so only
    one laid-out document is in memory at a time (WeasyPrint keeps every box
    of every page); a shorter one is written only if it is kept, since the
    early write is wasted when the next layout wins.
    """
    pictures = session.pictures(root / PICTURE_CACHE, profile.max_edge, profile.photo_quality)

    def attempt(fitting: Fitting) -> Layout:
        theme = Theme(issue.theme, root)
        rendered = stage(
            "render", progress, render, issue, theme, fitting, pictures, session.templates
        )
        result = stage("typeset", progress, typeset, rendered, root, profile, session)
        within_limits(result, issue)
        fit = stage(
            "copy-fit", progress, measure, result.document, issue, rendered.items, issue.pages
        )
        return Layout(fitting, rendered, result, fit, tuple(pictures.prepared))

    def written(layout: Layout) -> Layout:
        if layout.pdf is not None:
            return layout
        finisher = finisher_for(issue, profile, layout.rendered)
        pdf, notes = stage("write PDF", progress, to_pdf, layout.result, finisher, profile)
        return replace(layout, result=replace(layout.result, document=None), pdf=pdf, notes=notes)

    def in_hand(layout: Layout) -> Layout:
        long = layout.result.pages >= WRITE_BEFORE_RETRY_PAGES
        return written(layout) if long else layout

    best = attempt(Fitting())
    photo_after = {
        article.id: best.fit.photo_moves.get(article.id, 0)
        for article in issue.articles
        if article.image and article.id in best.fit.troubled
    }
    if best.fit.fixable and photo_after:
        progress(f"copy-fit: trying the photos elsewhere: {photo_after}")
        best = min(in_hand(best), attempt(Fitting(photo_after)), key=Layout.faults)
    if best.fit.fixable:
        progress("copy-fit: trying the tighter spacing")
        best = min(in_hand(best), attempt(replace(best.fitting, tight=True)), key=Layout.faults)
    return written(best)


def within_limits(result: Typeset, issue: Issue) -> None:
    """Stop before writing a PDF no one can use: too many pages, or pages too
    large for any viewer (a stylesheet asking for `size: 1e6mm`)."""
    if result.pages > MAX_PAGES:
        message = f"the issue takes {result.pages} pages; the limit is {MAX_PAGES}"
        raise ContentError([error(issue.span, message)])
    for page in result.document.pages:
        width, height = (round(px * 25.4 / 96) for px in (page.width, page.height))
        if max(width, height) > MAX_PAGE_MM:
            message = (
                f"a page is {width} x {height} mm; the largest PDF viewers show is"
                f" {MAX_PAGE_MM} mm (200 inches): check `size` in the stylesheets"
            )
            raise ContentError([error(issue.span, message)])
