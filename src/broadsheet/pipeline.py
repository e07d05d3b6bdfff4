"""A build, stage by stage: the one function to read to follow `broadsheet build`.

    stage              package   in -> out
    refuse outputs     outputs/  the job -> nothing, or a usage error before any work
    load + validate    content/  issue file -> Issue (every problem at once)
    lay out            engine/   Issue -> Layout: rendered (html/), typeset, measured
                                 and tried again as copy-fit asks; the best one as PDF
    verify             pdf/      PDF -> findings (contents pages, links, compliance),
                                 and its parity with the issue (editions/)
    write              outputs/  PDF, HTML, depfile -> files, all or none

The editions made without the engine have a function each, the same stages
without the layout: `build_web` (html/web.py: build/site/<slug>/) and
`build_text` (html/text.py: build/<slug>.txt). Every edition is read back
and compared with the issue before it is written (editions/parity.py).

`current_pdf` is the build as make would run it, for the commands that read
an issue's PDF (mail, archive): built again only when it is missing, damaged,
or older than a file its last build read.

Each stage is a function with plain data in and out that a test can call
alone. The engine is imported when a build starts, so that `broadsheet
check` and `--help` never pay for it, and the web page's modules when the
web edition is built, so that a PDF build never does: the imports made late.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2

from broadsheet.content.check import check
from broadsheet.content.model import Issue
from broadsheet.content.slugs import default_output, site_folder, text_output
from broadsheet.editions.parity import compare
from broadsheet.editions.pdf_reader import record_of
from broadsheet.editions.record import expected
from broadsheet.editions.text_reader import read_text
from broadsheet.errors import EXCEPT_FIT, FIT, ContentError, Diagnostic, TypesetError
from broadsheet.html.pictures import PICTURE_CACHE
from broadsheet.html.text import text_edition
from broadsheet.logs import collected, stage
from broadsheet.outputs import depfile, guards
from broadsheet.outputs.depfile import rule_dependencies
from broadsheet.outputs.writing import require_writable, write_together
from broadsheet.pdf import compliance
from broadsheet.pdf.linktargets import html_targets
from broadsheet.pdf.reading import outline, reader
from broadsheet.pdf.verify import verify
from broadsheet.profiles import EMAIL, Profile
from broadsheet.theme import Theme

if TYPE_CHECKING:
    from broadsheet.engine.copyfit import Layout
    from broadsheet.engine.measure import Fit
    from broadsheet.engine.session import Session

LOGGER = logging.getLogger("broadsheet")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Job:
    """One issue to build, and where its files go."""

    issue: Path
    output: Path
    html: Path | None = None
    depfile: Path | None = None

    @property
    def targets(self) -> list[guards.Target]:
        """The files it writes, each with the option that named it."""
        named = (("-o", self.output), ("--html", self.html), ("--depfile", self.depfile))
        return [(option, path) for option, path in named if path is not None]


@dataclass(frozen=True)
class Settings:
    """What every issue of one run shares."""

    root: Path
    profile: Profile = EMAIL
    strict: str = ""  # EVERY_WARNING or EXCEPT_FIT (errors.py): those warnings are errors
    seconds: int = 300  # the time limit of one issue
    debug: bool = False  # an internal failure's message carries its traceback

    def refuses(self, warning: Diagnostic) -> bool:
        """Whether this warning stops the build (and is printed as an error)."""
        if self.strict == EXCEPT_FIT:
            return warning.code != FIT
        return bool(self.strict)


@dataclass(frozen=True)
class BuildResult:
    issue: Issue
    output: Path
    pages: int
    warnings: tuple[Diagnostic, ...]
    fit: Fit
    dependencies: tuple[Path, ...] = field(default=())
    size: int = 0  # bytes


def build(
    job: Job, settings: Settings, session: Session | None = None, progress: Progress = LOGGER.info
) -> BuildResult:
    """Typeset one issue. Raises a BroadsheetError; writes nothing on failure.

    A `session` (engine/session.py) keeps fonts, stylesheets, templates and
    pictures from one build to the next in a long-lived process; without
    one a build makes its own, so warm and cold builds run the same code.
    """
    from broadsheet import engine  # late: 0.4 s that `check` never pays

    started = time.perf_counter()
    refuse_outputs(job, settings.root)
    issue = stage("load + validate", progress, check, job.issue, settings.root)
    guards.refuse_unsafe(job.targets, guards.issue_inputs(issue))
    session = session or engine.Session()
    layout = engine.lay_out(issue, settings.root, settings.profile, session, progress)
    findings = stage("verify", progress, verified, layout, issue, settings.profile)
    dependencies = read_files(issue, layout, settings.root)
    files, left_out = output_files(job, layout, dependencies)
    warnings = (*findings, *left_out)
    refused(warnings, settings)
    guards.refuse_unsafe(job.targets, [*dependencies, *layout.result.files])
    write_together(files)
    seconds = time.perf_counter() - started
    progress(f"wrote {job.output} ({layout.result.pages} pages) in {seconds:.1f} s")
    pages, size = layout.result.pages, len(layout.pdf)
    return BuildResult(issue, job.output, pages, warnings, layout.fit, dependencies, size)


@dataclass(frozen=True)
class WebResult:
    issue: Issue
    output: Path  # build/site/<slug>/index.html
    files: int
    size: int  # bytes, every file of the folder
    warnings: tuple[Diagnostic, ...] = ()  # the issue's own (a photo without alt text)


def build_web(issue_path: Path, settings: Settings, progress: Progress = LOGGER.info) -> WebResult:
    """The web edition of one issue: `build/site/<slug>/`, without the engine.

    The issue's PDF (`build/<slug>.pdf`) is copied beside the page and linked
    when it has been built; the page is written last, so that it never links
    to a file not yet in place. Raises a BroadsheetError; writes nothing on
    failure, nor when `settings` make a warning of the issue's an error.
    """
    # Late, like the engine: the web page's font subsetter and HTML reader
    # are no part of a PDF build, which would pay for them on every run.
    from broadsheet.editions.web_reader import read_web
    from broadsheet.html.web import PAGE, WEB_FOLDERS, web_page

    started = time.perf_counter()
    root = settings.root
    folder = site_folder(issue_path, root)
    require_writable(folder)
    issue = stage("load + validate", progress, check, issue_path, root)
    refused(issue.notes, settings)
    built = default_output(issue_path, root)
    pdf = (built.name, built.read_bytes()) if built.is_file() else None
    theme = Theme(issue.theme, root)
    page = stage("render the web page", progress, web_page, issue, theme, pdf)
    web = page.files[PAGE].decode("utf-8")
    refuse_mismatches(compare(expected(issue), read_web(web), issue.span))
    files = [(folder / name, data) for name, data in page.files.items() if name != PAGE]
    files.append((folder / PAGE, page.files[PAGE]))
    targets = [("--edition web", path) for path, _ in files]
    guards.refuse_unsafe(targets, [*guards.issue_inputs(issue), *page.read])
    write_together(files)
    _remove_stale(folder, WEB_FOLDERS, {path for path, _ in files})
    size = sum(len(data) for _, data in files)
    progress(f"wrote {folder / PAGE} in {time.perf_counter() - started:.2f} s")
    return WebResult(issue, folder / PAGE, len(files), size, issue.notes)


@dataclass(frozen=True)
class TextResult:
    issue: Issue
    output: Path  # build/<slug>.txt
    size: int  # bytes
    warnings: tuple[Diagnostic, ...] = ()


def build_text(
    issue_path: Path, settings: Settings, progress: Progress = LOGGER.info
) -> TextResult:
    """The plain-text edition of one issue, `build/<slug>.txt` (whatever the
    PDF's profile), without the engine; written only when it agrees with
    the issue. Raises a BroadsheetError; writes nothing on failure."""
    output = text_output(issue_path, settings.root)
    require_writable(output.parent)
    issue = stage("load + validate", progress, check, issue_path, settings.root)
    refused(issue.notes, settings)
    text = stage("write the text", progress, text_edition, issue)
    refuse_mismatches(compare(expected(issue), read_text(text), issue.span))
    guards.refuse_unsafe([("--edition text", output)], guards.issue_inputs(issue))
    data = text.encode("utf-8")
    write_together([(output, data)])
    return TextResult(issue, output, len(data), issue.notes)


def refuse_mismatches(findings: list[Diagnostic]) -> None:
    """An edition that disagrees with the issue is not written: its
    mismatches are errors (exit status 1), each naming story and edition."""
    if findings:
        raise ContentError(findings)


def _remove_stale(folder: Path, kinds: tuple[str, ...], written: set[Path]) -> None:
    """The fonts, pictures and assets of an earlier build that the page no
    longer names (each is named by its content): a site folder holds what its
    page uses and nothing else, so it can be copied to a server as it is."""
    for name in kinds:
        for path in (folder / name).glob("*"):
            if path.is_file() and path not in written:
                path.unlink(missing_ok=True)


def refused(warnings: tuple[Diagnostic, ...], settings: Settings) -> None:
    """A ContentError when `settings` make any of `warnings` an error (those
    printed as errors, the rest as warnings); nothing is written then."""
    if any(settings.refuses(w) for w in warnings):
        raise ContentError(
            replace(w, severity="error") if settings.refuses(w) else w for w in warnings
        )


def refuse_outputs(job: Job, root: Path) -> None:
    """Before any work: no output may be an input, a folder or a device, a
    depfile's target must be a name make can write, and every output folder
    must be writable."""
    guards.refuse_before_build(job.targets, job.issue, root)
    if job.depfile is not None:
        depfile.require_expressible(job.output)
    for _, target in job.targets:
        require_writable(target.parent)


def verified(layout: Layout, issue: Issue, profile: Profile) -> tuple[Diagnostic, ...]:
    """Every warning of the build, the verify stage's last: a TypesetError
    when the PDF is not what the issue asks for. The copy-fit report's
    findings carry the code FIT, which `--strict-except-fit` lets through."""
    wanted = html_targets(layout.rendered.html)
    printed = issue.printed_in(layout.fitting.order)
    facts = compliance.read(layout.pdf)  # read once: a long issue's PDF takes seconds to parse
    findings = verify(layout.pdf, printed, profile, wanted=wanted, facts=facts)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise TypesetError(errors)
    record = record_of(facts.outline, facts.links, facts.tagging)
    refuse_mismatches(compare(expected(printed), record, issue.span))
    fit = (replace(finding, code=FIT) for finding in layout.fit.findings)
    return (*issue.notes, *layout.result.warnings, *layout.notes, *fit, *findings)


def read_files(issue: Issue, layout: Layout, root: Path) -> tuple[Path, ...]:
    """Every file the build read, for the depfile: the YAML, templates,
    stylesheets and fonts, and the pictures' sources (not their prepared
    copies in the cache)."""
    cache = (root / PICTURE_CACHE).resolve()
    served = [path for path in layout.result.files if not path.resolve().is_relative_to(cache)]
    found = [*issue.sources, *layout.rendered.templates, *served, *layout.pictures]
    return tuple(dict.fromkeys(found))


def output_files(
    job: Job, layout: Layout, dependencies: tuple[Path, ...]
) -> tuple[list[tuple[Path, bytes]], list[Diagnostic]]:
    """The files to write, the PDF last (it replaces the good one only when
    the HTML and the depfile are ready to replace theirs), and a warning for
    each file the depfile had to leave out."""
    files = [(job.html, layout.rendered.html.encode())] if job.html is not None else []
    left_out: list[Diagnostic] = []
    if job.depfile is not None:
        rule, left_out = depfile.rule_for(job.output, dependencies, job.depfile)
        files.append((job.depfile, rule.encode()))
    return [*files, (job.output, layout.pdf)], left_out


def current_pdf(issue_path: Path, root: Path, progress: Callable[[str], None]) -> Path:
    """The issue's PDF as `broadsheet build` makes it (`build/<slug>.pdf`), built
    first when it is missing or older than anything its last build read (its
    depfile)."""
    output = root / default_output(issue_path, root)
    depfile = output.with_suffix(".d")
    if _stale(output, depfile, root) or not _readable(output):
        progress(f"building {output}")
        build(Job(issue_path, output, depfile=depfile), Settings(root), progress=progress)
    return output


def _readable(pdf: Path) -> bool:
    """Whether the PDF opens, unencrypted, with its pages and outline: what
    the mail's cover note and the archive's index read from it. A file in
    build/ damaged or replaced since it was built is made again, as a stale
    one is, rather than failing the command that reads it."""
    try:
        data = pdf.read_bytes()
        with collected("pypdf"):
            document = reader(data)
            if document.is_encrypted or not document.pages:
                return False
            outline(document)
        pypdfium2.PdfDocument(data).close()
    except Exception:  # a damaged file makes pypdf raise errors of every kind
        return False
    return True


def _stale(output: Path, depfile: Path, root: Path) -> bool:
    if not output.is_file() or not depfile.is_file():
        return True
    built = output.stat().st_mtime
    for path in rule_dependencies(depfile.read_text(encoding="utf-8")):
        if not path.is_file() and not path.is_absolute():
            path = root / path  # relative to the project root, where make runs
        if not path.is_file() or path.stat().st_mtime > built:
            return True
    return False
