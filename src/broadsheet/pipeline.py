"""The stages, wired together; the only module that writes output files
(pictures.py keeps its own cache of prepared photos).

    load -> validate -> render -> typeset (+ finish) -> verify -> write

Each stage is one function in its own module with typed input and output.
`build()` runs them for one issue (the copy-fit loop of render, typeset and
measure is layouts.py) and writes the PDF atomically: to a
temporary file beside the target, then `os.replace`, so a failed or
interrupted build never leaves a partial PDF and never replaces a good one.
"""

from __future__ import annotations

import errno
import functools
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

from broadsheet.depfile import Unexpressible, make_rule
from broadsheet.errors import (
    BroadsheetError,
    ContentError,
    Diagnostic,
    OutputError,
    TypesetError,
    UsageError,
    error,
    warning,
)
from broadsheet.layouts import Layout, lay_out, render_issue, stage
from broadsheet.profiles import EMAIL, Profile

if TYPE_CHECKING:  # imported where used: `check` and `--help` need no engine,
    # and the engine's side of a build with a companion needs no Jinja2 or YAML
    from broadsheet.companion import Companion, Front
    from broadsheet.copyfit import Fit
    from broadsheet.model import Issue
    from broadsheet.session import Session

LOGGER = logging.getLogger("broadsheet")
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
    return validate(load(issue_path, root), root)


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
    from broadsheet import targets

    named = _targets(output, html_output, depfile)
    targets.refuse_before_build(named, issue_path, root)
    if depfile is not None:
        _require_expressible(output)
    for _, target in named:
        _require_writable(target.parent)
    helper = None
    if one_off:
        from broadsheet.companion import Companion

        helper = Companion.start(issue_path, root, profile, functools.partial(_front, named=named))
    try:
        result = _build(
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
        if helper is not None:
            helper.close()
        return result
    except BaseException:  # an error, Ctrl-C, the time limit: the companion stops now
        if helper is not None:
            helper.kill()
        raise
    finally:
        if one_off:
            from broadsheet.forked import wait_for_ended

            wait_for_ended()  # the files are written: children finish before we do


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
    from broadsheet import targets
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
        issue = stage("load + validate", progress, check, issue_path, root)
    named = _targets(output, html_output, depfile)
    targets.refuse_unsafe(named, targets.issue_inputs(issue))
    attachments = _sources(issue) if profile.attach_source else ()

    def write(layout: Layout, said: Callable[[str], None]) -> Layout:
        """The layout as PDF bytes; its laid-out pages are let go."""
        finisher = Finisher(
            _fingerprint(profile, layout.rendered.html, attachments),
            profile.bleed_mm / 25.4 * 72,
            _article_languages(layout.rendered.html, issue.lang),
            smooth_pictures=not profile.claims_archive,
        )
        pdf, notes = stage("write PDF", said, to_pdf, layout.result, finisher, profile, attachments)
        return replace(layout, result=replace(layout.result, document=None), pdf=(pdf, notes))

    session = session or Session()
    pictures = root / PICTURE_CACHE
    layout = lay_out(issue, root, pictures, progress, profile, session, write, front, isolated)
    rendered, result, fit = layout.rendered, layout.result, layout.fit
    pdf, notes = layout.pdf
    findings = stage("verify", progress, _verify, pdf, issue, profile, rendered.html, helper)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise TypesetError(errors)
    checked = [f for f in findings if f.severity != "error"]
    cache = (root / PICTURE_CACHE).resolve()
    served = [path for path in result.files if not path.resolve().is_relative_to(cache)]
    dependencies = tuple(
        dict.fromkeys([*issue.sources, *rendered.templates, *served, *layout.pictures])
    )
    files = [(html_output, rendered.html.encode())] if html_output is not None else []
    left_out: list[Diagnostic] = []
    if depfile is not None:
        rule, unnamed = make_rule(output, dependencies)
        files.append((depfile, rule.encode()))
        left_out = [_left_out(path, depfile) for path in unnamed]
    warnings = (*issue.notes, *result.warnings, *notes, *fit.findings, *checked, *left_out)
    if strict and warnings:
        raise ContentError(replace(w, severity="error") for w in warnings)
    # Every file the build read, fonts found by the engine included, is safe too.
    targets.refuse_unsafe(named, [*dependencies, *result.files])
    # All or nothing, the PDF last: it replaces the good one only when the
    # HTML and the depfile are ready to replace theirs.
    write_together([*files, (output, pdf)])
    progress(f"wrote {output} ({result.pages} pages) in {time.perf_counter() - started:.1f} s")
    return BuildResult(issue, output, result.pages, warnings, fit, dependencies, len(pdf))


def _verify(pdf: bytes, issue: Issue, profile: Profile, html: str, helper: Companion | None):
    """The verify stage, in the companion when there is one (its readers are
    imported by then), else here."""
    findings = helper.verify(pdf, html) if helper is not None else None
    if findings is None:
        from broadsheet.linktargets import html_targets
        from broadsheet.verify import verify

        findings = verify(pdf, issue, profile, wanted=html_targets(html))
    return findings


def _front(issue_path: Path, root: Path, profile: Profile, named=()) -> Front:
    """Load, validate and render the first layout's HTML: a companion's first
    job. The outputs `named` are checked against the pictures the issue
    names before anything is rendered (targets.py)."""
    from broadsheet import targets
    from broadsheet.companion import Front
    from broadsheet.rendered import Fitting
    from broadsheet.session import Session

    started = time.perf_counter()
    issue = check(issue_path, root)
    targets.refuse_unsafe(named, targets.issue_inputs(issue))
    loaded = time.perf_counter()
    session = Session()
    pictures = session.pictures(root / PICTURE_CACHE, profile.max_edge, profile.photo_quality)
    rendered = render_issue(issue, root, Fitting(), pictures, session)
    timings = (("load + validate", loaded - started), ("render", time.perf_counter() - loaded))
    return Front(issue, rendered, tuple(pictures.prepared), timings)


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


def _targets(output: Path, html_output: Path | None, depfile: Path | None):
    return [
        (option, path)
        for option, path in (("-o", output), ("--html", html_output), ("--depfile", depfile))
        if path is not None
    ]


def _require_expressible(output: Path) -> None:
    """A depfile's rule is for the PDF: make must be able to name it."""
    try:
        make_rule(output, ())
    except Unexpressible:
        message = f"--depfile: make cannot name the output {str(output)!r}; rename it"
        raise UsageError([error(None, message)]) from None


def _left_out(path: Path, depfile: Path) -> Diagnostic:
    from broadsheet.source import display_path

    return warning(
        None,
        f"{depfile}: left out {display_path(path)!r}, a file name make cannot express"
        " (a line break, another control character, ';', '=' or a final backslash);"
        " make will not rebuild when it changes",
    )


def _require_file(path: Path) -> None:
    from broadsheet.load import NEWSLETTER_FILE
    from broadsheet.paths import unreadable

    reason = unreadable(path)
    if reason == "no such file":
        raise UsageError([error(None, f"no such issue file: {path}")])
    if reason:
        raise UsageError([error(None, f"cannot read the issue {path}: {reason}")])
    if path.name == NEWSLETTER_FILE:  # and so build/newsletter.pdf is the archive's (archive.py)
        message = f"{path} holds what every issue shares; it is not an issue"
        raise UsageError([error(None, message)])


# A write that fails because of the path itself (too long, a file where a
# folder should be, no permission, a read-only file system) is the command
# line's fault, or the project's: a usage error. A full or failing disk is
# the machine's, reported as a failure of its own (exit status 3).
_PATH_ERRNOS = {
    errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EPERM,
    errno.EROFS, errno.ELOOP, errno.EEXIST, errno.EINVAL, errno.ENOENT,
}  # fmt: skip


def cannot_write(path: Path, exc: OSError, what: str = "cannot write") -> BroadsheetError:
    message = [error(None, f"{what} {path}: {exc.strerror}")]
    return UsageError(message) if exc.errno in _PATH_ERRNOS else OutputError(message)


def _require_writable(folder: Path) -> None:
    """Fail before any rendering work when the output folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(folder, exc, "cannot create") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError([error(None, f"cannot write to {folder}: permission denied")])


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`.

    The file gets the permissions any new file would (0666 less the umask),
    not the 0600 of a temporary file: a PDF is made to be shared.
    """
    write_together([(path, data)])


def write_together(files: list[tuple[Path, bytes]]) -> None:
    """Write several files atomically, all or none: each to a temporary file
    beside it, flushed to disk, and only when every one is ready are they
    renamed over their targets, in order. A build's HTML and depfile are
    thus never replaced when its PDF cannot be written."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_staged(path, data), path))
        for temporary, path in staged:
            try:
                os.replace(temporary, path)
            except OSError as exc:
                raise cannot_write(path, exc) from None
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)


def _staged(path: Path, data: bytes) -> str:
    """`data` in a temporary file beside `path`, on disk; its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask
