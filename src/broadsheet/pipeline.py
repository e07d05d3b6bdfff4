"""The stages, wired together; the only module that writes output files
(pictures.py keeps its own cache of prepared photos).

    load -> validate -> render -> typeset (+ finish) -> verify -> write

Each stage is one function in its own module with typed input and output.
`build()` runs them for one issue and writes the PDF atomically: to a
temporary file beside the target, then `os.replace`, so a failed or
interrupted build never leaves a partial PDF and never replaces a good one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.errors import (
    BroadsheetError,
    ContentError,
    Diagnostic,
    OutputError,
    TypesetError,
    UsageError,
    error,
)
from broadsheet.limits import MAX_PAGE_MM, MAX_PAGES
from broadsheet.profiles import EMAIL, Profile
from broadsheet.theme import Theme

if TYPE_CHECKING:  # imported where used: `check` and `--help` need no engine,
    # and the engine's side of a build with a companion needs no Jinja2 or YAML
    from broadsheet.companion import Companion, Front
    from broadsheet.copyfit import Fit
    from broadsheet.forked import Forked
    from broadsheet.model import Issue
    from broadsheet.pictures import Pictures
    from broadsheet.rendered import Fitting, Rendered
    from broadsheet.session import Session
    from broadsheet.typeset import Typeset

LOGGER = logging.getLogger("broadsheet")
# From this many pages, a layout is written to PDF before copy-fit makes another:
# one layout in memory instead of two (at the 500-page limit, two layouts would
# come near the memory cap), for the price of a write that may be thrown away.
WRITE_BEFORE_RETRY_PAGES = 100
PICTURE_CACHE = Path("build/.cache/pictures")  # in the project root: prepared photos


@dataclass(frozen=True)
class BuildResult:
    issue: Issue
    output: Path
    pages: int
    warnings: tuple[Diagnostic, ...]
    fit: Fit
    dependencies: tuple[Path, ...] = field(default=())
    size: int = 0  # bytes


def check(issue_path: Path, root: Path) -> Issue:
    """Load and validate only (`broadsheet check`): every problem, or the model."""
    from broadsheet.load import load
    from broadsheet.validate import validate

    _require_file(issue_path)
    return validate(load(issue_path), root)


def build(
    issue_path: Path,
    output: Path,
    root: Path,
    html_output: Path | None = None,
    depfile: Path | None = None,
    progress: Callable[[str], None] = LOGGER.info,
    strict: bool = False,
    profile: Profile = EMAIL,
    session: Session | None = None,
    one_off: bool = False,
) -> BuildResult:
    """Typeset one issue to `output` in `profile`. Raises a BroadsheetError;
    writes nothing on failure.

    With `strict`, every warning (the engine's, the fetcher's refusals, the
    copy-fit findings, the verify stage's) is an error, and nothing is written.
    A `session` (session.py) keeps fonts, stylesheets, templates and
    pictures from one build to the next in a long-lived process.

    A `one_off` build (one issue in a fresh process, as `broadsheet build`
    and make run it) works in forked processes (forked.py): a companion
    loads, renders and verifies the issue while this process imports the
    engine and lays it out (companion.py), so it finishes sooner on two
    cores; and each layout is made in a process of its own, which gives all
    its memory back when it ends. The PDF is the same bytes either way.
    """
    for target in (output, html_output, depfile):
        if target is not None:
            _require_writable(target.parent)
    helper = None
    if one_off:
        from broadsheet.companion import Companion

        helper = Companion.start(issue_path, root, profile, _front)
    try:
        return _build(
            issue_path,
            output,
            root,
            html_output,
            depfile,
            progress,
            strict,
            profile,
            session,
            helper,
            one_off,
        )
    finally:
        if helper is not None:
            helper.close()


def _build(
    issue_path: Path,
    output: Path,
    root: Path,
    html_output: Path | None,
    depfile: Path | None,
    progress: Callable[[str], None],
    strict: bool,
    profile: Profile,
    session: Session | None,
    helper: Companion | None,
    isolated: bool,
) -> BuildResult:
    from broadsheet.finish import Finisher
    from broadsheet.session import Session
    from broadsheet.typeset import to_pdf  # the engine: 0.4 s, while a companion works

    started = time.perf_counter()
    front = helper.front() if helper is not None else None  # raises its located error
    if front is not None:
        for name, seconds in front.timings:
            progress(f"{name}: {seconds:.2f} s (companion)")
        issue = front.issue
    else:
        issue = _stage("load + validate", progress, check, issue_path, root)
    attachments = _sources(issue) if profile.attach_source else ()

    def write(layout: _Layout, said: Callable[[str], None]) -> _Layout:
        """The layout as PDF bytes; its laid-out pages are let go."""
        finisher = Finisher(
            _fingerprint(profile, layout.rendered.html, attachments),
            profile.bleed_mm / 25.4 * 72,
            _article_languages(layout.rendered.html, issue.lang),
        )
        pdf, notes = _stage(
            "write PDF", said, to_pdf, layout.result, finisher, profile, attachments
        )
        return replace(layout, result=replace(layout.result, document=None), pdf=(pdf, notes))

    session = session or Session()
    layout = _lay_out(issue, root, progress, profile, session, write, front, isolated)
    rendered, result, fit = layout.rendered, layout.result, layout.fit
    pdf, notes = layout.pdf
    findings = _stage("verify", progress, _verify, pdf, issue, profile, helper)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise TypesetError(errors)
    checked = [f for f in findings if f.severity != "error"]
    warnings = (*issue.notes, *result.warnings, *notes, *fit.findings, *checked)
    if strict and warnings:
        raise ContentError(replace(w, severity="error") for w in warnings)
    cache = (root / PICTURE_CACHE).resolve()
    served = [path for path in result.files if not path.resolve().is_relative_to(cache)]
    dependencies = tuple(
        dict.fromkeys([*issue.sources, *rendered.templates, *served, *layout.pictures])
    )
    # The PDF last: it replaces the good one only when everything else is written.
    if html_output is not None:
        write_atomically(html_output, rendered.html.encode())
    if depfile is not None:
        write_atomically(depfile, make_rule(output, dependencies).encode())
    write_atomically(output, pdf)
    progress(f"wrote {output} ({result.pages} pages) in {time.perf_counter() - started:.1f} s")
    return BuildResult(issue, output, result.pages, warnings, fit, dependencies, len(pdf))


def _verify(pdf: bytes, issue: Issue, profile: Profile, helper: Companion | None):
    """The verify stage, in the companion when there is one (its readers are
    imported by then), else here."""
    findings = helper.verify(pdf) if helper is not None else None
    if findings is None:
        from broadsheet.verify import verify

        findings = verify(pdf, issue, profile)
    return findings


def _front(issue_path: Path, root: Path, profile: Profile) -> Front:
    """Load, validate and render the first layout's HTML: a companion's first job."""
    from broadsheet.companion import Front
    from broadsheet.rendered import Fitting
    from broadsheet.session import Session

    started = time.perf_counter()
    issue = check(issue_path, root)
    loaded = time.perf_counter()
    session = Session()
    pictures = session.pictures(root / PICTURE_CACHE, profile.max_edge, profile.photo_quality)
    rendered = _render(issue, root, Fitting(), pictures, session)
    timings = (("load + validate", loaded - started), ("render", time.perf_counter() - loaded))
    return Front(issue, rendered, tuple(pictures.prepared), timings)


def _render(issue: Issue, root: Path, fitting: Fitting, pictures: Pictures, session: Session):
    from broadsheet.render import render

    return render(issue, Theme(issue.theme, root), fitting, pictures, session.templates)


@dataclass(frozen=True)
class _Layout:
    fitting: Fitting
    rendered: Rendered
    result: Typeset
    fit: Fit
    pictures: tuple[Path, ...]  # the source files of the pictures it typeset
    pdf: tuple[bytes, tuple] | None = None  # once written: the PDF and the engine's notes
    process: _LayoutProcess | None = None  # the process holding its pages, when made in one

    def faults(self) -> tuple[int, int]:
        return len(self.fit.findings), self.fit.pages


_ARTICLE_TAG = re.compile(r"<article\b[^>]*>")
_LANG_ATTRIBUTE = re.compile(r'\blang="([^"]*)"')


def _article_languages(html: str, lang: str) -> tuple[str | None, ...]:
    """Per <article> of the HTML, in order: its language when it is not the
    issue's (an article-level `lang`), for the PDF's structure tags."""
    found = []
    for tag in _ARTICLE_TAG.findall(html):
        match = _LANG_ATTRIBUTE.search(tag)
        found.append(match.group(1) if match and match.group(1) != lang else None)
    return tuple(found)


def _fingerprint(profile: Profile, html: str, attachments: tuple[tuple[str, bytes], ...]) -> str:
    """What the PDF is made from, for its file identifier: the profile, the
    HTML and any attached files (two archives whose YAML differs only in a
    comment carry different files, so they get different identifiers)."""
    digest = hashlib.sha256(f"{profile.name}\n{html}".encode())
    for name, data in attachments:
        digest.update(f"\n{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def _sources(issue: Issue) -> tuple[tuple[str, bytes], ...]:
    """The YAML the issue was made from, to attach to an archived PDF: the
    issue's file, then newsletter.yaml, by name."""
    return tuple((path.name, path.read_bytes()) for path in issue.sources)


def _lay_out(
    issue: Issue,
    root: Path,
    progress: Callable[[str], None],
    profile: Profile,
    session: Session,
    write: Callable[[_Layout, Callable[[str], None]], _Layout],
    front: Front | None = None,
    isolated: bool = False,
) -> _Layout:
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
    processes: list[_LayoutProcess] = []

    def typeset_and_measure(
        fitting: Fitting, rendered: Rendered, prepared: tuple[Path, ...], said
    ) -> _Layout:
        result = _stage("typeset", said, typeset, rendered, root, profile, session)
        _within_limits(result, issue)
        fit = _stage("copy-fit", said, measure, result.document, issue, issue.pages)
        return _Layout(fitting, rendered, result, fit, prepared)

    def made(fitting: Fitting, rendered: Rendered, prepared: tuple[Path, ...]) -> _Layout:
        if isolated:
            prepare(rendered, root, profile, session)  # parsed once, inherited by each process
            layout = _LayoutProcess.make(
                _Layout(fitting, rendered, None, None, prepared),
                lambda said: typeset_and_measure(fitting, rendered, prepared, said),
                write,
                progress,
            )
            if layout is not None:
                processes.append(layout.process)
                return layout
        return typeset_and_measure(fitting, rendered, prepared, progress)

    def attempt(fitting: Fitting) -> _Layout:
        nonlocal pictures
        if pictures is None:
            cache = root / PICTURE_CACHE
            pictures = session.pictures(cache, profile.max_edge, profile.photo_quality)
        rendered = _stage("render", progress, _render, issue, root, fitting, pictures, session)
        return made(fitting, rendered, tuple(pictures.prepared))

    def written(layout: _Layout) -> _Layout:
        if layout.pdf is not None:
            return layout
        if layout.process is not None:
            pdf = layout.process.pdf(progress)
            if pdf is not None:
                return replace(layout, pdf=pdf, process=None)
            # its process died: make the layout again here, where a fault shows
            layout = typeset_and_measure(layout.fitting, layout.rendered, layout.pictures, progress)
        return write(layout, progress)

    def in_hand(layout: _Layout) -> _Layout:
        long = layout.result.pages >= WRITE_BEFORE_RETRY_PAGES
        return written(layout) if long else layout

    def better(best: _Layout, other: _Layout) -> _Layout:
        kept = min(best, other, key=_Layout.faults)
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
        return written(best)
    finally:
        for process in processes:
            process.close()


class _LayoutProcess:
    """One layout made, measured and (if it is kept) written in a forked
    process; the laid-out pages never leave it, only their measures and the
    PDF bytes do."""

    def __init__(self, process: Forked) -> None:
        self._process = process

    @classmethod
    def make(
        cls,
        planned: _Layout,
        make: Callable[[Callable[[str], None]], _Layout],
        write: Callable[[_Layout, Callable[[str], None]], _Layout],
        progress: Callable[[str], None],
    ) -> _Layout | None:
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

        process = Forked.start(serve, "broadsheet-layout")
        if process is None:
            return None
        reply = process.receive()
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
        self.close()
        if not (isinstance(reply, tuple) and reply[0] == "written"):
            return None
        for text in reply[2]:
            progress(text)
        return reply[1]

    def close(self) -> None:
        self._process.close()


def _within_limits(result: Typeset, issue: Issue) -> None:
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


def _stage(name: str, progress: Callable[[str], None], function, *args):
    started = time.perf_counter()
    value = function(*args)
    progress(f"{name}: {time.perf_counter() - started:.2f} s")
    return value


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise UsageError([error(None, f"no such issue file: {path}")])


def _require_writable(folder: Path) -> None:
    """Fail before any rendering work when the output folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError([error(None, f"cannot create {folder}: {exc.strerror}")]) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError([error(None, f"cannot write to {folder}: permission denied")])


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`.

    The file gets the permissions any new file would (0666 less the umask),
    not the 0600 of a temporary file: a PDF is made to be shared.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError([error(None, f"cannot write {path}: {exc.strerror}")]) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError([error(None, f"cannot write {path}: {exc.strerror}")]) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def make_rule(target: Path, dependencies: tuple[Path, ...]) -> str:
    """A make rule naming every file the build read, so make remakes the PDF when one changes."""

    def quote(path: Path) -> str:
        absolute = path.absolute()
        shown = (
            absolute.relative_to(Path.cwd()) if absolute.is_relative_to(Path.cwd()) else absolute
        )
        return str(shown).replace(" ", "\\ ")

    lines = [f"{quote(target)}: \\"] + [f"  {quote(d)} \\" for d in dependencies]
    lines[-1] = lines[-1].removesuffix(" \\")
    phony = [f"{quote(d)}:" for d in dependencies]  # a deleted file must not break make
    return "\n".join([*lines, "", *phony]) + "\n"


def rule_dependencies(rule: str) -> list[Path]:
    """The files a rule written by `make_rule` names, as written (relative ones
    are relative to where the build ran): its inverse, for `broadsheet mail`."""
    first = rule.split("\n\n", 1)[0].replace("\\\n", " ")
    names = re.split(r"(?<!\\)\s+", first.split(": ", 1)[-1].strip())
    return [Path(name.replace("\\ ", " ")) for name in names if name]
