"""A one-off build's second process: the work that need not wait for the engine.

A `broadsheet build` in a fresh process spends its first 0.4 s importing
WeasyPrint (parsing its C declarations and its default stylesheets), and
none of that is needed to load, validate and render the issue, or to import
the PDF readers that verify it at the end. So a one-off build forks a
companion (forked.py) before the engine is imported. On the second core the
companion

1. loads, validates and renders the issue (the first copy-fit attempt's HTML)
   and sends the issue, the HTML and the pictures it prepared;
2. imports the readers (pypdf, pikepdf, PDFium) while the engine lays out;
3. verifies the finished PDF bytes when they come, against the HTML they
   were typeset from, and sends the findings.

It runs the functions the build would run itself, with the same inputs, so
the PDF is the same bytes with or without it (tested). Anything unexpected
in the companion (an internal error, a process that died) makes the build
do that step itself, so a fault shows its own traceback; a located error
(bad YAML) comes back as the same error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.errors import BroadsheetError, Diagnostic
from broadsheet.forked import Forked
from broadsheet.profiles import Profile

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from broadsheet.model import Issue
    from broadsheet.rendered import Rendered


@dataclass(frozen=True)
class Front:
    """The first half of a build, done by the companion."""

    issue: Issue
    rendered: Rendered
    pictures: tuple[Path, ...]  # the source files of the pictures it typesets
    timings: tuple[tuple[str, float], ...]  # stage name, seconds (for --debug)


class Companion:
    """The build's handle on its companion process."""

    def __init__(self, process: Forked) -> None:
        self._process = process

    @classmethod
    def start(
        cls,
        issue_path: Path,
        root: Path,
        profile: Profile,
        front: Callable[[Path, Path, Profile], Front],
    ) -> Companion | None:
        """Fork the companion, which runs `front(issue_path, root, profile)`
        first; None where a fork is not safe (then the build works alone)."""

        def serve(connection: Connection) -> None:
            _serve(connection, issue_path, root, profile, front)

        process = Forked.start(serve)
        return cls(process) if process is not None else None

    def front(self) -> Front | None:
        """The issue, loaded, validated and rendered; raises the companion's
        located error; None when the build should do it itself."""
        reply = self._process.receive()
        if isinstance(reply, tuple) and reply[0] == "raised":
            raise reply[1]
        return reply[1] if isinstance(reply, tuple) and reply[0] == "front" else None

    def verify(self, pdf: bytes, html: str) -> list[Diagnostic] | None:
        """The verify stage's findings on `pdf`, typeset from `html`; None
        when the build should verify it itself."""
        if not self._process.send_bytes(pdf) or not self._process.send(html):
            return None
        reply = self._process.receive()
        self._process.let_go()  # its work is done: it ends by itself
        return reply[1] if isinstance(reply, tuple) and reply[0] == "verified" else None

    def close(self) -> None:
        self._process.close()

    def kill(self) -> None:
        self._process.kill()


def _serve(
    connection: Connection,
    issue_path: Path,
    root: Path,
    profile: Profile,
    front: Callable[[Path, Path, Profile], Front],
) -> None:
    """The companion's life: the front half, the readers' import, then one
    verification, or an end of file when the build needs none."""
    try:
        done = front(issue_path, root, profile)
    except BroadsheetError as exc:
        connection.send(("raised", exc))
        return
    except Exception:  # the build does it again and shows the real traceback
        connection.send(("failed", None))
        return
    connection.send(("front", done))
    from broadsheet.linktargets import html_targets
    from broadsheet.verify import verify  # the readers: about 0.15 s, off the critical path

    beside = _Beside()  # forked now, it waits for the PDF too
    first = html_targets(done.rendered.html)  # while the engine lays it out
    pdf = connection.recv_bytes()
    beside.read(pdf)
    html = connection.recv()  # the kept layout's HTML: copy-fit may have made another
    try:
        wanted = first if html == done.rendered.html else html_targets(html)
        findings = verify(pdf, done.issue, profile, beside, wanted)
    except Exception:
        connection.send(("failed", None))
        return
    connection.send(("verified", findings))


class _Beside:
    """A second verifier, forked by the companion once the readers are
    imported: it reads qpdf's structure check and the pictures' placements
    (compliance.beside_facts) while the companion reads the rest, so the
    verification, the one stage left between the engine's last byte and
    the file, takes both cores."""

    def __init__(self) -> None:
        self._process = Forked.start(_serve_beside)

    def read(self, pdf: bytes) -> None:
        if self._process is not None and not self._process.send_bytes(pdf):
            self._process = None

    def __call__(self):
        """What it found; None if it failed (then they are read here)."""
        if self._process is None:
            return None
        reply = self._process.receive()
        self._process.let_go()
        return reply[1] if isinstance(reply, tuple) and reply[0] == "beside" else None


def _serve_beside(connection: Connection) -> None:
    from broadsheet.compliance import beside_facts

    pdf = connection.recv_bytes()
    connection.send(("beside", beside_facts(pdf)))
