"""One root exception, a subclass per kind of failure, each with its exit status.

Messages are formatted only at the boundary (the CLI); everything below raises
these with structured diagnostics, in the manner of click's exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from broadsheet.source import Span


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: printed as `file:line:col: severity: message`.

    `code` names the kind of problem for code that acts on it (verify.py
    leaves out the engine's alt-text finding when validation's `no-alt`
    warnings named each picture), so nothing decides by a message's words.
    It is not printed, and two diagnostics that print alike are equal."""

    span: Span | None
    severity: str
    message: str
    code: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span else "broadsheet: "
        return f"{where}{self.severity}: {self.message}"


# How strict a build is (pipeline.Settings.strict): `--strict` makes every
# warning an error; `--strict-except-fit`, the way make builds, every one but
# the copy-fit report's findings (code FIT), which stay warnings.
EVERY_WARNING = "every-warning"
EXCEPT_FIT = "except-fit"
FIT = "fit"


def error(span: Span | None, message: str) -> Diagnostic:
    return Diagnostic(span, "error", message)


def warning(span: Span | None, message: str, code: str = "") -> Diagnostic:
    return Diagnostic(span, "warning", message, code)


class BroadsheetError(Exception):
    """The root of everything broadsheet raises on purpose."""

    exit_code = 3

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ContentError(BroadsheetError):
    """The input is wrong: the editor fixes the YAML, the Markdown or a picture."""

    exit_code = 1


class LayoutError(ContentError):
    """A template failed while rendering a given piece of content."""


class UsageError(BroadsheetError):
    """The command line is wrong (unknown option, missing file)."""

    exit_code = 2


class TypesetError(BroadsheetError):
    """The engine or the PDF post-processing failed: an internal failure."""

    exit_code = 3


class OutputError(BroadsheetError):
    """The output could not be written (disk full, read-only folder); the old file stands."""

    exit_code = 3
