"""Laying an issue out, as many times as copy-fit asks, and keeping the best.

Each layout is typeset and measured (copyfit.py); when the report finds holes,
up to two more are made with other settings, and the one with the fewest
faults is written to PDF. For a one-off build each layout is made in a
process of its own (`LayoutProcess`), which ends, and gives back everything
the engine kept, once its layout is written or beaten.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.errors import BroadsheetError, ContentError, error
from broadsheet.limits import MAX_PAGE_MM, MAX_PAGES
from broadsheet.profiles import Profile
from broadsheet.theme import Theme

if TYPE_CHECKING:
    from broadsheet.companion import Front
    from broadsheet.copyfit import Fit
    from broadsheet.forked import Forked
    from broadsheet.model import Issue
    from broadsheet.pictures import Pictures
    from broadsheet.rendered import Fitting, Rendered
    from broadsheet.session import Session
    from broadsheet.typeset import Typeset

# From this many pages, a layout is written to PDF before copy-fit makes another:
# one layout in memory instead of two (at the 500-page limit, two layouts would
# come near the memory cap), for the price of a write that may be thrown away.
WRITE_BEFORE_RETRY_PAGES = 100
Write = Callable[["Layout", Callable[[str], None]], "Layout"]


@dataclass(frozen=True)
class Layout:
    fitting: Fitting
    rendered: Rendered
    result: Typeset
    fit: Fit
    pictures: tuple[Path, ...]  # the source files of the pictures it typeset
    pdf: tuple[bytes, tuple] | None = None  # once written: the PDF and the engine's notes
    process: LayoutProcess | None = None  # the process holding its pages, when made in one

    def faults(self) -> tuple[int, int]:
        return len(self.fit.findings), self.fit.pages


def render_issue(issue: Issue, root: Path, fitting: Fitting, pictures: Pictures, session: Session):
    """The render stage in the issue's theme, as every layout and the companion call it."""
    from broadsheet.render import render

    return render(issue, Theme(issue.theme, root), fitting, pictures, session.templates)


def lay_out(
    issue: Issue,
    root: Path,
    picture_cache: Path,
    progress: Callable[[str], None],
    profile: Profile,
    session: Session,
    write: Write,
    front: Front | None = None,
    isolated: bool = False,
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
    of every page: about 300 MB for 160 pages); a shorter one is written only
    if it is kept, since the early write costs 6-8% of the build when the
    next layout wins (measured by `make bench`). With `front` (from a
    companion process) the first layout's HTML is already rendered. When
    `isolated`, each layout is made (and written, if kept) in a process of
    its own, and what the engine keeps after a layout goes with it.
    """
    from broadsheet.copyfit import measure
    from broadsheet.rendered import Fitting
    from broadsheet.typeset import prepare, typeset

    pictures: Pictures | None = None  # for this process's own renders, made on first use
    processes: list[LayoutProcess] = []

    def typeset_and_measure(
        fitting: Fitting, rendered: Rendered, prepared: tuple[Path, ...], said
    ) -> Layout:
        result = stage("typeset", said, typeset, rendered, root, profile, session)
        within_limits(result, issue)
        fit = stage("copy-fit", said, measure, result.document, issue, issue.pages)
        return Layout(fitting, rendered, result, fit, prepared)

    def made(fitting: Fitting, rendered: Rendered, prepared: tuple[Path, ...]) -> Layout:
        if isolated:
            prepare(rendered, root, profile, session)  # parsed once, inherited by each process
            layout = LayoutProcess.make(
                Layout(fitting, rendered, None, None, prepared),
                lambda said: typeset_and_measure(fitting, rendered, prepared, said),
                write,
                progress,
            )
            if layout is not None:
                processes.append(layout.process)
                return layout
        return typeset_and_measure(fitting, rendered, prepared, progress)

    def attempt(fitting: Fitting) -> Layout:
        nonlocal pictures
        if pictures is None:
            cache = picture_cache
            pictures = session.pictures(cache, profile.max_edge, profile.photo_quality)
        rendered = stage("render", progress, render_issue, issue, root, fitting, pictures, session)
        return made(fitting, rendered, tuple(pictures.prepared))

    def written(layout: Layout) -> Layout:
        if layout.pdf is not None:
            return layout
        if layout.process is not None:
            pdf = layout.process.pdf(progress)
            if pdf is not None:
                return replace(layout, pdf=pdf, process=None)
            # its process died: make the layout again here, where a fault shows
            layout = typeset_and_measure(layout.fitting, layout.rendered, layout.pictures, progress)
        return write(layout, progress)

    def in_hand(layout: Layout) -> Layout:
        long = layout.result.pages >= WRITE_BEFORE_RETRY_PAGES
        return written(layout) if long else layout

    def better(best: Layout, other: Layout) -> Layout:
        kept = min(best, other, key=Layout.faults)
        dropped = other if kept is best else best
        if dropped.process is not None:
            dropped.process.close()  # its memory back before anything else
        return kept

    try:
        if front is not None:
            best = made(Fitting(), front.rendered, front.pictures)
        else:
            best = attempt(Fitting())
        photo_after = {
            article.id: best.fit.photo_moves.get(article.id, 0)
            for article in issue.articles
            if article.image and article.id in best.fit.troubled
        }
        if best.fit.fixable and photo_after:
            progress(f"copy-fit: trying the photos elsewhere: {photo_after}")
            best = in_hand(best)
            best = better(best, attempt(Fitting(photo_after)))
        if best.fit.fixable:
            progress("copy-fit: trying the tighter spacing")
            best = in_hand(best)
            best = better(best, attempt(replace(best.fitting, tight=True)))
        best = written(best)
    except BaseException:  # an error, Ctrl-C, the time limit: no layout runs on
        for process in processes:
            process.kill()
        raise
    for process in processes:
        process.close()  # none is left running, normally: each ended when written or beaten
    return best


class LayoutProcess:
    """One layout made, measured and (if it is kept) written in a forked
    process; the laid-out pages never leave it, only their measures and the
    PDF bytes do."""

    def __init__(self, process: Forked) -> None:
        self._process = process

    @classmethod
    def make(
        cls,
        planned: Layout,
        make: Callable[[Callable[[str], None]], Layout],
        write: Callable[[Layout, Callable[[str], None]], Layout],
        progress: Callable[[str], None],
    ) -> Layout | None:
        """`planned` (its fitting, HTML and pictures) with the pages `make`
        lays out in a new process, which then waits to write them; None when
        the layout should be made here (no fork possible, or an unexpected
        fault, which shows its traceback when made here)."""
        from broadsheet.forked import Forked

        def serve(connection) -> None:
            said: list[str] = []
            try:
                layout = make(said.append)
            except BroadsheetError as exc:
                connection.send(("raised", exc, said))
                return
            except Exception:
                connection.send(("failed", None, said))
                return
            connection.send(("made", (replace(layout.result, document=None), layout.fit), said))
            if connection.recv() == "write":
                said.clear()
                connection.send(("written", write(layout, said.append).pdf, said))

        process = Forked.start(serve)
        if process is None:
            return None
        try:
            reply = process.receive()
        except BaseException:  # Ctrl-C, the time limit, while it lays out
            process.kill()
            raise
        kind, value, said = reply if isinstance(reply, tuple) else (None, None, ())
        for text in said:
            progress(text)
        if kind == "raised":
            process.close()
            raise value
        if kind != "made":
            process.close()
            return None
        result, fit = value
        return replace(planned, result=result, fit=fit, process=cls(process))

    def pdf(self, progress: Callable[[str], None]) -> tuple[bytes, tuple] | None:
        """The PDF and the engine's notes; None if the process died."""
        reply = self._process.receive() if self._process.send("write") else None
        self._process.let_go()  # it ends by itself once its PDF is sent
        if not (isinstance(reply, tuple) and reply[0] == "written"):
            return None
        for text in reply[2]:
            progress(text)
        return reply[1]

    def close(self) -> None:
        self._process.close()

    def kill(self) -> None:
        self._process.kill()


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


def stage(name: str, progress: Callable[[str], None], function, *args):
    """`function(*args)`, with its seconds reported as `name` (shown by --debug)."""
    started = time.perf_counter()
    value = function(*args)
    progress(f"{name}: {time.perf_counter() - started:.2f} s")
    return value
