"""Laying an issue out: measure, plan, set.

Every story's lines, photos and heads are measured at the theme's column
widths, each story laid out once and kept by content (measurement.py). When
the issue as written would leave a page short, the page planner (planner/)
chooses photo heights and places, stories cut by a jump line and, in a
flexible issue, the order of briefs, from those measures alone; the plan is
rendered as explicit HTML and laid out once. A layout is written only when
it is the one kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from broadsheet.content.model import Issue
from broadsheet.engine.finish import finisher_for
from broadsheet.engine.gauge import gauges
from broadsheet.engine.measure import Fit, measure
from broadsheet.engine.measurement import measures
from broadsheet.engine.plans import planned
from broadsheet.engine.session import Session
from broadsheet.engine.typeset import Typeset, to_pdf, typeset
from broadsheet.errors import ContentError, Diagnostic, error, warning
from broadsheet.html.pictures import PICTURE_CACHE
from broadsheet.html.render import render
from broadsheet.html.rendered import Fitting, Rendered
from broadsheet.limits import MAX_PAGE_MM, MAX_PAGES
from broadsheet.logs import stage
from broadsheet.planner.gauges import Gauges
from broadsheet.planner.search import (
    FULL,
    Plan,
    covered,
    mm,
    photo_height,
    photo_width,
    reported,
)
from broadsheet.planner.spans import picture_height
from broadsheet.profiles import Profile
from broadsheet.theme import Theme

Progress = Callable[[str], None]
# From this many pages, a layout is written to PDF before copy-fit makes another:
# one layout in memory instead of two (at the 500-page limit, two layouts would
# come near the memory cap), for the price of a write that may be thrown away.
WRITE_BEFORE_RETRY_PAGES = 100
# A cover's contents list is spread over the white under it from this much
# white, over this share of it less a margin (the engine's rounding).
COVER_WHITE_MM = 10
COVER_SHARE = 0.95
COVER_MARGIN_MM = 2


@dataclass(frozen=True)
class Layout:
    fitting: Fitting
    rendered: Rendered
    result: Typeset
    fit: Fit
    pictures: tuple[Path, ...]  # the source files of the pictures it typeset
    pdf: bytes | None = None  # once written
    notes: tuple = ()  # what the engine said while writing it

    def faults(self) -> tuple[int, int, float]:
        """Fewer findings, then fewer pages, then less white on the pages but the
        last. A headline left alone at a page foot counts twice: a reader
        sees a mistake there, where a hole at a page foot is only white."""
        short = sum(max(0.0, FULL - fill) for fill in self.fit.page_fill[:-1])
        findings = len(self.fit.findings) + len(self.fit.stranded)
        return findings, self.fit.pages, round(short, 3)


def lay_out(
    issue: Issue, root: Path, profile: Profile, session: Session, progress: Progress
) -> Layout:
    """Render and measure; when a page is left short, plan the levers that
    fill it and lay the issue out with them; return the layout that fits
    best, written.

    The measures are taken item by item and kept by content
    (measurement.py): a rebuild lays out only the stories that changed, and
    an unchanged issue is measured without a layout. The planned layout is
    compared with the plan (where each story starts, shown with --debug).
    When it has more findings (then pages) than the simulation gives the
    issue as written, the issue as written is laid out too, and the plan
    kept only when it has fewer faults, so planning never makes an issue
    worse. Where the copy-fit report still finds a hole the planner could
    not see, one corrective layout moves the photos the report names and
    tightens the spacing (the theme's `html.fit-tight` rules). Each choice
    depends on the measures and on layouts every build makes alike, never
    on which measures were kept: the PDF is the same either way.

    A long issue's layout is written out before the next is made, so only
    one laid-out document is in memory at a time (WeasyPrint keeps every box
    of every page); a shorter one is written only if it is kept, since the
    early write is wasted when the next layout wins.
    """
    pictures = session.pictures(root / PICTURE_CACHE, profile.max_edge, profile.photo_quality)
    theme = Theme(issue.theme, root)
    templates = session.templates.in_project(root)
    contents_apart = False  # every render's, once the plan shows the lead needs it (below)

    def rendered(fitting: Fitting) -> Rendered:
        return stage(
            "render",
            progress,
            render,
            issue,
            theme,
            replace(fitting, contents_apart=contents_apart),
            pictures,
            templates,
            profile.link_codes,
        )

    def measured_and_planned() -> tuple[Rendered, Gauges, Gauges, Plan]:
        as_written = rendered(Fitting())
        measured, tightened = measures(as_written, rendered, root, profile, session, progress)
        # The tighter spacing is a lever like any other: weighed on every issue
        # of more than a page, for the price of a cascade, not a layout.
        sharp, kept = profile.soft_below_dpi, (session.plans, root)
        chosen = stage("plan", progress, planned, issue, measured, tightened, sharp, kept)
        return as_written, measured, tightened, chosen

    def attempt(fitting: Fitting, made: Rendered | None = None) -> Layout:
        made = made or rendered(fitting)
        result = stage("typeset", progress, typeset, made, root, profile, session)
        within_limits(result, issue)
        fit = stage("copy-fit", progress, measure, result.document, issue, made.items, issue.pages)
        fit = replace(fit, findings=fit.findings + quotes_left_out(issue, fitting))
        layout = Layout(fitting, made, result, fit, tuple(pictures.prepared))
        findings, pages, short = layout.faults()
        progress(f"copy-fit: {findings} findings, {pages} pages, {short:.2f} pages short")
        return layout

    def written(layout: Layout) -> Layout:
        if layout.pdf is not None:
            return layout
        finisher = finisher_for(issue, profile, layout.rendered)
        pdf, notes = stage("write PDF", progress, to_pdf, layout.result, finisher, profile)
        return replace(layout, result=replace(layout.result, document=None), pdf=pdf, notes=notes)

    def in_hand(layout: Layout | None) -> Layout | None:
        long = layout is not None and layout.result.pages >= WRITE_BEFORE_RETRY_PAGES
        return written(layout) if long else layout

    as_written, measured, tightened, chosen = measured_and_planned()
    if as_written.contents_beside_lead and lead_held_off(chosen, measured):
        # The lead's head with the contents beside it, and the lines the
        # head keeps with it, do not start on page 1 under the masthead:
        # page 1 would hold the masthead alone. With the list on its own the
        # lead may follow it, or page 1 is a cover the list is spread over.
        progress("plan: the lead's head does not start page 1 with the contents in it")
        contents_apart = True
        as_written, measured, tightened, chosen = measured_and_planned()
    # The issue as written, with the contents list spread over a page 1
    # that holds no story (a cover), and its short first paragraphs kept
    # with the next, as every plan keeps them.
    unplanned_fitting = Fitting(**_cover(measured, frozenset()), first_kept=first_kept(measured))

    def spaced(plan: Plan) -> Gauges:
        return tightened if plan.levers.tight else measured

    def laid_out(plan: Plan) -> Layout:
        said = describe(plan, spaced(plan), issue)
        progress(f"plan: {'; '.join(said)}")
        layout = attempt(fitting_for(plan, spaced(plan)))
        _compare(layout, plan, progress)
        return replace(layout, fit=replace(layout.fit, planned=said))

    best, unplanned = None, None
    if chosen.changed:
        best = laid_out(chosen)
    as_written_simulated = (reported(chosen.measured), chosen.measured.count)
    if best is None or (best.faults()[0], best.fit.pages) > as_written_simulated:
        # The issue as written: the layout when nothing is planned, else the
        # rival of a plan whose layout has more findings (then pages) than
        # the simulation gives the issue as written. A plan that leaves a
        # pull quote out has the best plan that leaves none out as its
        # rival, in place of the issue as written.
        best = in_hand(best)  # a long issue's layout written before the next is made
        rival = chosen.rival if best is not None else None
        if rival is not None and rival.changed:
            unplanned = laid_out(rival)
        else:
            again = unplanned_fitting.contents_spread > 0 or unplanned_fitting.first_kept
            unplanned = attempt(unplanned_fitting, None if again else as_written)
        best = unplanned if best is None else min(unplanned, best, key=Layout.faults)
    if wants_correction(best.fit, chosen.measured.count):
        start = unplanned or best  # the layout whose report names the photos to move
        correction = corrected(start.fitting, start.fit, issue, spaced(chosen), progress)
        best = min(in_hand(best), attempt(correction), key=Layout.faults)
    fewest = min(chosen.fewest_pages, best.fit.pages)
    return written(replace(best, fit=replace(best.fit, fewest_pages=fewest)))


def lead_held_off(chosen: Plan, measured: Gauges) -> bool:
    """Whether the plan starts the lead on a later page than page 1."""
    lead = measured.items[0].id if measured.items else None
    return lead is not None and chosen.pages.starts.get(lead, 1) > 1


def wants_correction(best: Fit, as_written_pages: int) -> bool:
    """Whether to lay out the correction: when the best layout still has a
    hole. Not when the plan mended them (the search also starts from the
    tighter spacing, so it finds the page the correction's photos moved
    all at once might save), and not when the best layout saves pages on
    the issue as written (`as_written_pages`, simulated): the correction
    would have to save more, and on a long issue it costs a layout of every
    page."""
    saved = best.pages < as_written_pages
    return best.fixable and not saved


def quotes_left_out(issue: Issue, fitting: Fitting) -> tuple[Diagnostic, ...]:
    """A warning at each story whose pull quote the plan left out: a finding
    like a hole, so that a layout pays for it when layouts are compared."""
    return tuple(
        warning(
            article.span,
            f"{article.title!r}: its pull quote is left out to fill the pages;"
            " shorten the story, or its neighbours, to keep it",
        )
        for article in issue.articles
        if article.id in fitting.unquoted
    )


def corrected(
    fitting: Fitting, fit: Fit, issue: Issue, measured: Gauges, progress: Progress
) -> Fitting:
    """The one corrective layout, for a hole the copy-fit report still finds:
    the photos it names moved after the text that fills the hole they left,
    the tighter spacing, and each headline the engine left alone at a page
    foot started on the next page (the engine's own keep rules did not hold
    it there: a float beside its first lines, say)."""
    moves = {
        article.id: fit.photo_moves.get(article.id, 0)
        for article in issue.articles
        if article.image and article.id in fit.troubled
    }
    new_page = fitting.new_page | fit.stranded
    said = f", new page before: {sorted(fit.stranded)}" if fit.stranded else ""
    progress(f"copy-fit: trying the tighter spacing, photos moved: {moves}{said}")
    return replace(
        fitting,
        photo_after={**fitting.photo_after, **moves},
        tight=True,
        **_cover(measured, new_page),
    )


def _cover(measured: Gauges, new_page: frozenset[str]) -> dict:
    """The items started on a new page, and, on a page 1 that holds no
    story, the contents list spread over it, the lead kept off it (the
    tighter spacing might bring its head back to the foot of page 1)."""
    spread = cover_spread(measured, new_page)
    if spread and measured.items:
        new_page = new_page | {measured.items[0].id}
    return {"new_page": new_page, "contents_spread": spread}


def first_kept(measured: Gauges) -> frozenset[str]:
    """The stories whose first paragraph, shorter than the lines a head
    keeps and outside columns, keeps the next one's first lines with it
    (`ItemGauge.first_keeps`): the simulation keeps them so, as written and
    under every plan, and so must the layout."""
    return frozenset(item.id for item in measured.items if item.first_keeps)


def cover_spread(measured: Gauges, new_page: frozenset[str] = frozenset()) -> float:
    """The space, in mm, between the contents entries on a page 1 that holds
    no story: the masthead and the contents make a cover, and the stories
    start on page 2, because the engine set the lead there or because the
    plan or the correction starts it on a new page. The theme's own space
    and a share of the white under the list: all of it but a margin (and,
    for a list in columns, an entry's height, which balancing may move into
    the longest), so the list never runs on to page 2, shared out between
    the gaps of its longest column (the engine drops the space at a
    column's top)."""
    white, gaps = (measured.cover_white if measured.front == 1 else 0.0), measured.cover_gaps
    lead = measured.items[0].id if measured.items else None
    if measured.front == 0 and lead in new_page:
        white = measured.first.bottom - measured.first.top
    white_mm = white * 25.4 / 96
    if white_mm < COVER_WHITE_MM or gaps < 1:
        return 0.0
    slack_mm = measured.cover_slack * 25.4 / 96
    share = max(0.0, white_mm * COVER_SHARE - COVER_MARGIN_MM - slack_mm) / gaps
    return round(measured.cover_margin * 25.4 / 96 + share, 2)


def fitting_for(chosen: Plan, measured: Gauges) -> Fitting:
    """The plan as the render stage sets it."""
    levers = chosen.levers
    heights = {
        item_id: photo_height(measured.item(item_id), scale) * 25.4 / 96
        for item_id, scale in levers.scales
    }
    heights |= {
        item_id: picture_height(measured.item(item_id), share) * 25.4 / 96
        for item_id, share in levers.spans
    }
    widths = {}  # of the photos drawn narrower than their column, kept so
    for item_id, scale in levers.scales:
        item = measured.item(item_id)
        if photo_width(item, scale) < item.photo_width:
            widths[item_id] = photo_width(item, scale) * 25.4 / 96
    order = levers.order if levers.order != tuple(i.id for i in measured.items) else ()
    articles = tuple(i for i in order if measured.item(i).role == "story")
    lead = covered(measured, chosen.pages)
    new_page = frozenset({lead}) if lead else frozenset()
    return Fitting(
        photo_heights=heights,
        photo_widths=widths,
        order=articles,
        photo_after=dict(levers.places),
        tight=levers.tight,
        jumps=dict(levers.jumps),
        unquoted=frozenset(levers.quotes),
        quote_after=dict(levers.quote_places),
        first_kept=first_kept(measured),
        **_cover(measured, new_page),
        spanned=frozenset(item_id for item_id, _ in levers.spans),
    )


def describe(chosen: Plan, measured: Gauges, issue: Issue) -> tuple[str, ...]:
    """What the plan changed, in the editor's words."""
    titles = {article.id: article.title for article in issue.articles}
    out = []
    for item_id, kind, value in chosen.changes:
        title = titles.get(item_id, item_id)
        if kind == "photo":
            natural = photo_height(measured.item(item_id), 1.0)
            out.append(f"photo of {title!r} {mm(natural)} -> {mm(natural * value)} mm")
        elif kind == "photo after":
            out.append(f"photo of {title!r} after {value} block{'s' * (value != 1)}")
        elif kind == "moved":
            out.append(f"{title!r} moved to page {value}")
        elif kind == "jump":
            out.append(f"{title!r} continued on page {value}")
        elif kind == "tight":
            out.append("tighter spacing")
        elif kind == "quote after":
            out.append(f"pull quote of {title!r} after {value} block{'s' * (value != 1)}")
        elif kind == "quote":
            out.append(f"pull quote of {title!r} left out")
        elif kind == "cover":
            out.append(f"{title!r} starts page {value}, the contents alone on page 1")
        elif kind == "span":
            height = mm(picture_height(measured.item(item_id), value))
            out.append(f"photo of {title!r} across the columns, {height} mm tall")
    return tuple(out)


def _compare(layout: Layout, chosen: Plan, progress: Progress) -> bool:
    """Whether the engine started each item where the plan says, on the
    same page and within a pixel of the same place on it; a difference is
    shown with --debug."""
    actual = gauges(layout.result.document, layout.rendered.items)
    planned = chosen.pages
    wrong = {
        item_id: (page, planned.tops[item_id], actual.item_pages.get(item_id, 0), top)
        for item_id, page in planned.starts.items()
        if (top := actual.item_tops.get(item_id)) is not None
        and (actual.item_pages[item_id] != page or abs(top - planned.tops[item_id]) > 1)
    }
    if wrong:
        shown = ", ".join(
            f"{i}: planned page {p} at {mm(y)} mm, set on {a} at {mm(t)} mm"
            for i, (p, y, a, t) in wrong.items()
        )
        progress(f"plan: the engine differs: {shown}")
    return not wrong


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
