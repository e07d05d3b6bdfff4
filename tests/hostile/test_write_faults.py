"""Output files under faults: the checklist's Output files section.

broadsheet renders the whole PDF to bytes, then `outputs.writing.write_atomically` writes
them to `.NAME.XXXX.tmp` beside the target, fsyncs and `os.replace`s it over the
target. Whatever fails, the previous PDF must stay byte-identical, no partial
file may carry the final name, and a temporary file is either removed or
clearly named (a leading '.' and a '.tmp' ending). Each fault is injected where
it would really strike: in the file write, in fsync, in the temporary file's
creation, in WeasyPrint's own writer (pydyf), or by a signal to a real
`python -m broadsheet build` process.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pydyf
import pytest
from pypdf import PdfReader, PdfWriter

import broadsheet.engine.typeset
import broadsheet.html.render

ISSUE = """\
name: The Test Gazette
issue: {{number: 1, date: 2026-01-31}}
articles:
  - title: {title}
    body: Text of the story.
"""
TEMPORARY = re.compile(r"\.x\.pdf\.[A-Za-z0-9_]+\.tmp")
ENOSPC = os.strerror(errno.ENOSPC)


@pytest.fixture
def built(project) -> bytes:
    """build/x.pdf from a first, successful build; the issue is then edited, so a
    second build would write different bytes."""
    project.write("issues/x.yaml", ISSUE.format(title="The first edition"))
    run = project.run("build", "issues/x.yaml")
    assert run.code == 0, run.stderr
    project.write("issues/x.yaml", ISSUE.format(title="The second edition"))
    return (project.root / "build" / "x.pdf").read_bytes()


def assert_old_pdf_stands(project, before: bytes, temporaries_allowed: bool = False) -> None:
    build = project.root / "build"
    assert (build / "x.pdf").read_bytes() == before
    # The caches (build/.cache: prepared pictures, measures) are named by
    # content and kept however a build ends.
    others = sorted(p.name for p in build.iterdir() if p.name not in ("x.pdf", ".cache"))
    if temporaries_allowed:
        assert all(TEMPORARY.fullmatch(name) for name in others), others
    else:
        assert others == []


class Torn:
    """A file handle whose write puts the first 17 bytes on disk, then fails."""

    def __init__(self, handle, failure: BaseException):
        self.handle = handle
        self.failure = failure

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[:17])
        self.handle.flush()
        os.fsync(self.handle.fileno())
        raise self.failure

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()


def tear_writes(monkeypatch, failure: BaseException) -> list[str]:
    """Every os.fdopen(..., 'wb') from now on gives a Torn handle; returns the names of
    the files torn (to prove the fault struck the temporary file)."""
    real = os.fdopen
    torn: list[str] = []

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real(fd, mode, *args, **kwargs)
        if "w" not in mode:
            return handle
        torn.append(os.readlink(f"/proc/self/fd/{fd}"))
        return Torn(handle, failure)

    monkeypatch.setattr(os, "fdopen", fdopen)
    return torn


# -- (a) a crash in the middle of writing ---------------------------------------------


@pytest.mark.parametrize(
    ("failure", "code", "stderr"),
    [
        (
            RuntimeError("simulated crash after 17 bytes"),
            3,
            "broadsheet: internal error: RuntimeError: simulated crash after 17 bytes "
            "(rerun with --debug for the traceback)",
        ),
        (KeyboardInterrupt(), 130, "broadsheet: interrupted"),
    ],
    ids=["crash", "ctrl-c"],
)
def test_a_crash_mid_write_keeps_the_old_pdf(project, built, monkeypatch, failure, code, stderr):
    """17 bytes of the new PDF are on disk in the temporary file when the write
    fails: the target still holds the old PDF and the torn file is removed."""
    torn = tear_writes(monkeypatch, failure)
    run = project.run("build", "issues/x.yaml")
    assert (run.code, run.stderr.splitlines()) == (code, [stderr])
    assert len(torn) == 1 and TEMPORARY.fullmatch(Path(torn[0]).name), torn
    assert_old_pdf_stands(project, built)


def test_a_crash_inside_the_pdf_writer_keeps_the_old_pdf(project, built, monkeypatch):
    """The checklist's own injection: pydyf.PDF.write writes 17 bytes, then raises.
    broadsheet has WeasyPrint write to memory, so the target is never opened."""

    def write(self, output, *args, **kwargs):
        output.write(b"%PDF-1.7\n%torn!\n"[:17])
        raise RuntimeError("pydyf gave up after 17 bytes")

    monkeypatch.setattr(pydyf.PDF, "write", write)
    run = project.run("build", "issues/x.yaml")
    assert (run.code, run.stderr.splitlines()) == (
        3,
        [
            "broadsheet: internal error: RuntimeError: pydyf gave up after 17 bytes "
            "(rerun with --debug for the traceback)"
        ],
    )
    assert_old_pdf_stands(project, built)


# -- (b) disk full ----------------------------------------------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, ENOSPC)


@pytest.mark.parametrize("where", ["write", "fsync", "mkstemp"])
def test_disk_full_is_one_clear_line_and_the_old_pdf_stands(project, built, monkeypatch, where):
    """ENOSPC where a full disk reports it: in the write (after 17 bytes), in fsync
    (ext4 with delayed allocation, NFS), or creating the temporary file."""
    if where == "write":
        tear_writes(monkeypatch, OSError(errno.ENOSPC, ENOSPC))
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", _no_space)
    else:
        monkeypatch.setattr(tempfile, "mkstemp", _no_space)
    run = project.run("build", "issues/x.yaml")
    assert run.code == 3
    assert run.stderr.splitlines() == [f"broadsheet: error: cannot write build/x.pdf: {ENOSPC}"]
    assert_old_pdf_stands(project, built)


# -- (c) a read-only output folder ------------------------------------------------------


@contextlib.contextmanager
def read_only(folder: Path):
    """The folder made read-only for this process, also when it runs as root (for
    whom mode bits mean nothing): then it is made immutable (chattr +i), which
    os.access and the kernel honour for root too."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    immutable = False
    try:
        if os.access(folder, os.W_OK):
            done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
            immutable = done.returncode == 0
            if not immutable:
                pytest.skip(f"cannot make a folder read-only for uid {os.geteuid()} here")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


@pytest.fixture
def no_rendering(monkeypatch) -> None:
    """Rendering or typesetting at all fails the test: the refusal must come first."""

    def forbidden(*args, **kwargs):
        pytest.fail("rendering started although the output cannot be written")

    monkeypatch.setattr(broadsheet.html.render, "render", forbidden)
    monkeypatch.setattr(broadsheet.engine.typeset, "typeset", forbidden)
    monkeypatch.setattr(broadsheet.engine.typeset, "to_pdf", forbidden)


@pytest.mark.parametrize(
    ("folder", "options"),
    [
        ("build", ()),
        ("out", ("-o", "out/x.pdf")),
        ("pages", ("--html", "pages/x.html")),
        ("deps", ("--depfile", "deps/x.d")),
    ],
    ids=["pdf-default", "pdf-o", "html", "depfile"],
)
def test_a_read_only_output_folder_fails_before_any_rendering(
    project, built, no_rendering, folder, options
):
    """Every file a build writes (the PDF, --html, --depfile) has its folder checked
    before any work, so a doomed build costs nothing and changes nothing."""
    target = project.root / folder
    with read_only(target):
        run = project.run("build", "issues/x.yaml", *options)
    assert run.stderr.splitlines() == [
        f"broadsheet: error: cannot write to {folder}: permission denied"
    ]
    assert run.code == 2  # a place the build may not write: not an internal failure
    assert (project.root / "build" / "x.pdf").read_bytes() == built


# -- (d) kill -9 during a real build ----------------------------------------------------

STORY = " ".join(["A sentence of the sort a long newsletter story is made of."] * 12)


def long_issue(articles: int) -> str:
    head = "name: The Test Gazette\nissue: {number: 1, date: 2026-01-31}\narticles:\n"
    return head + "".join(
        f"  - title: Story number {i}\n    body: |\n      {STORY}\n\n      {STORY}\n"
        for i in range(articles)
    )


# Run as `python -c SLOW_DISK build ...`: broadsheet itself, on a disk whose fsync
# takes a minute, so that a signal lands while the temporary file is complete but
# not yet renamed, the one moment a careless writer would leave a torn target.
SLOW_DISK = """\
import os, runpy, time
fsync = os.fsync
def slow_fsync(fd):
    time.sleep(60)
    fsync(fd)
os.fsync = slow_fsync
runpy.run_module("broadsheet", run_name="__main__")
"""


def start(project, *prefix: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *prefix, "build", "issues/x.yaml"],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def temporaries(project) -> list[Path]:
    build = project.root / "build"
    return [p for p in build.iterdir() if p.name.endswith(".tmp")] if build.is_dir() else []


def wait_for(condition, process: subprocess.Popen, limit: float) -> float:
    started = time.monotonic()
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() - started < limit, "the moment to strike never came"
        time.sleep(0.01)
    return time.monotonic() - started


@pytest.fixture
def previous(project) -> bytes:
    """A real one-page PDF standing for the last good build of issues/x.yaml."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = project.root / "build" / "x.pdf"
    path.parent.mkdir()
    with path.open("wb") as handle:
        writer.write(handle)
    return path.read_bytes()


def test_kill_9_while_typesetting_keeps_the_old_pdf(project, previous):
    """SIGKILL a build of several seconds (60 stories) one second in, while the engine
    works: the old PDF is untouched, and anything left is a clearly named temporary."""
    project.write("issues/x.yaml", long_issue(60))
    process = start(project, "-m", "broadsheet")
    time.sleep(1.0)
    assert process.poll() is None, "the build ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert_old_pdf_stands(project, previous, temporaries_allowed=True)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_a_signal_between_write_and_rename_keeps_the_old_pdf(project, previous, signum):
    """The temporary file is written and being synced when the signal comes. SIGKILL
    leaves it, clearly named (.x.pdf.XXXX.tmp), and a later build still works;
    Ctrl-C (SIGINT) is caught: exit 130, one line, and the file is removed."""
    project.write("issues/x.yaml", long_issue(2))
    process = start(project, "-c", SLOW_DISK)
    wait_for(lambda: bool(temporaries(project)), process, limit=60)
    (temporary,) = temporaries(project)
    wait_for(lambda: temporary.stat().st_size > 1000, process, limit=10)
    time.sleep(0.3)  # well inside the minute-long fsync
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert (project.root / "build" / "x.pdf").read_bytes() == previous
    if signum == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
        assert_old_pdf_stands(project, previous, temporaries_allowed=True)
        assert temporary.exists()
        run = project.run("build", "issues/x.yaml")
        assert run.code == 0, run.stderr
        assert len(PdfReader(project.root / "build" / "x.pdf").pages) >= 1
    else:
        assert process.returncode == 130
        assert err.decode().splitlines() == ["broadsheet: interrupted"]
        assert_old_pdf_stands(project, previous)
