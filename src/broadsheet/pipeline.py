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
    ContentError,
    Diagnostic,
    OutputError,
    TypesetError,
    UsageError,
    error,
)
from broadsheet.limits import MAX_PAGE_MM, MAX_PAGES
from broadsheet.load import load
from broadsheet.model import Issue
from broadsheet.profiles import EMAIL, Profile
from broadsheet.theme import Theme
from broadsheet.validate import validate

if TYPE_CHECKING:  # imported where used: `check` and `--help` need no engine
    from broadsheet.copyfit import Fit
    from broadsheet.render import Fitting, Rendered
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
) -> BuildResult:
    """Typeset one issue to `output` in `profile`. Raises a BroadsheetError;
    writes nothing on failure.

    With `strict`, every warning (the engine's, the fetcher's refusals, the
    copy-fit findings, the verify stage's) is an error, and nothing is written.
    A `session` (session.py) keeps fonts, stylesheets, templates and
    pictures from one build to the next in a long-lived process; the PDF is
    the same bytes with or without one.
    """
    from broadsheet.finish import Finisher
    from broadsheet.session import Session
    from broadsheet.typeset import to_pdf
    from broadsheet.verify import verify

    started = time.perf_counter()
    for target in (output, html_output, depfile):
        if target is not None:
            _require_writable(target.parent)
    issue = _stage("load + validate", progress, check, issue_path, root)
    attachments = _sources(issue) if profile.attach_source else ()

    def write(layout: _Layout) -> _Layout:
        """The layout as PDF bytes; its laid-out pages are let go."""
        finisher = Finisher(
            _fingerprint(profile, layout.rendered.html, attachments),
            profile.bleed_mm / 25.4 * 72,
            _article_languages(layout.rendered.html, issue.lang),
        )
        pdf, notes = _stage(
            "write PDF", progress, to_pdf, layout.result, finisher, profile, attachments
        )
        return replace(layout, result=replace(layout.result, document=None), pdf=(pdf, notes))

    layout = _lay_out(issue, root, progress, profile, session or Session(), write)
    rendered, result, fit = layout.rendered, layout.result, layout.fit
    pdf, notes = layout.pdf
    findings = _stage("verify", progress, verify, pdf, issue, profile)
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


@dataclass(frozen=True)
class _Layout:
    fitting: Fitting
    rendered: Rendered
    result: Typeset
    fit: Fit
    pictures: tuple[Path, ...]  # the source files of the pictures it typeset
    pdf: tuple[bytes, tuple] | None = None  # once written: the PDF and the engine's notes

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
    write: Callable[[_Layout], _Layout],
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
    next layout wins (measured by `make bench`).
    """
    from broadsheet.copyfit import measure
    from broadsheet.render import Fitting, render
    from broadsheet.typeset import typeset

    theme = Theme(issue.theme, root)
    pictures = session.pictures(root / PICTURE_CACHE, profile.max_edge, profile.photo_quality)

    def attempt(fitting: Fitting) -> _Layout:
        rendered = _stage(
            "render", progress, render, issue, theme, fitting, pictures, session.templates
        )
        result = _stage("typeset", progress, typeset, rendered, root, profile, session)
        _within_limits(result, issue)
        fit = _stage("copy-fit", progress, measure, result.document, issue, issue.pages)
        return _Layout(fitting, rendered, result, fit, tuple(pictures.prepared))

    best = attempt(Fitting())
    photo_after = {
        article.id: best.fit.photo_moves.get(article.id, 0)
        for article in issue.articles
        if article.image and article.id in best.fit.troubled
    }

    def in_hand(layout: _Layout) -> _Layout:
        long = layout.result.pages >= WRITE_BEFORE_RETRY_PAGES
        return write(layout) if long and layout.pdf is None else layout

    if best.fit.fixable and photo_after:
        progress(f"copy-fit: trying the photos elsewhere: {photo_after}")
        best = in_hand(best)
        best = min(best, attempt(Fitting(photo_after)), key=_Layout.faults)
    if best.fit.fixable:
        progress("copy-fit: trying the tighter spacing")
        best = in_hand(best)
        best = min(best, attempt(replace(best.fitting, tight=True)), key=_Layout.faults)
    return best if best.pdf is not None else write(best)


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
