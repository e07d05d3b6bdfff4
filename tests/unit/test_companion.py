"""A one-off build works in forked processes: a companion loads, renders and
verifies the issue while the build imports the engine, and each layout is
made in a process of its own. The same bytes and the same errors as a build
in one process, and a build that survives any of its processes dying."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from broadsheet import layouts, pipeline
from broadsheet.companion import Companion
from broadsheet.errors import ContentError
from broadsheet.forked import Forked
from broadsheet.linktargets import html_targets
from broadsheet.profiles import EMAIL
from broadsheet.verify import verify

ISSUE = """\
name: Gazette
issue: {number: 3, date: 2026-03-31}
articles:
  - title: First story
    body: Some text with [a link](https://example.org/).
    image: {src: images/photo.png, alt: A photo., caption: A photo.}
  - title: Second story
    body: More text.
"""


@pytest.fixture
def issue(project):
    project.photo("coffee.png", as_name="photo.png")
    project.write("issues/one.yaml", ISSUE)
    return project


def build(project, name: str, one_off: bool, messages: list[str] | None = None) -> Path:
    out = project.root / "out"
    pipeline.build(
        Path("issues/one.yaml"),
        out / f"{name}.pdf",
        project.root,
        html_output=out / f"{name}.html",
        depfile=out / f"{name}.d",
        progress=(messages.append if messages is not None else lambda text: None),
        one_off=one_off,
    )
    return out / name


def outputs(stem: Path) -> tuple[bytes, str]:
    return (
        stem.with_suffix(".pdf").read_bytes(),
        stem.with_suffix(".html").read_text(),
    )


def test_the_same_pdf_and_html_with_or_without_a_companion(issue):
    messages: list[str] = []
    alone = build(issue, "alone", one_off=False)
    helped = build(issue, "helped", one_off=True, messages=messages)
    assert outputs(helped) == outputs(alone)
    depfile = helped.with_suffix(".d").read_text().replace("helped.pdf", "alone.pdf")
    assert depfile == alone.with_suffix(".d").read_text()
    # the front half was the companion's (the messages say so)
    assert any(m.startswith("load + validate:") and "(companion)" in m for m in messages)
    assert any(m.startswith("render:") and "(companion)" in m for m in messages)


def test_a_located_error_comes_back_as_the_same_error(issue):
    issue.write("issues/one.yaml", ISSUE.replace("date: 2026-03-31", "date: 31 March"))
    errors = []
    for one_off in (False, True):
        with pytest.raises(ContentError) as caught:
            build(issue, f"bad-{one_off}", one_off)
        errors.append(caught.value.diagnostics)
    assert errors[0] == errors[1]
    assert "issues/one.yaml:2" in str(errors[0][0])
    assert not (issue.root / "out" / "bad-True.pdf").exists()


def _dies(issue_path: Path, root: Path, profile, named=()) -> None:
    os._exit(9)  # as if killed, or out of memory


def _fails(issue_path: Path, root: Path, profile, named=()) -> None:
    raise RuntimeError("a fault in the companion")


def test_a_build_whose_companion_dies_builds_alone(issue, monkeypatch):
    alone = build(issue, "alone", one_off=False)
    for front in (_dies, _fails):
        monkeypatch.setattr(pipeline, "_front", front)
        helped = build(issue, f"after-{front.__name__}", one_off=True)
        assert outputs(helped) == outputs(alone)


def test_each_layout_is_made_in_a_process_of_its_own(issue, monkeypatch):
    from broadsheet import typeset as typeset_module

    made_in = issue.root / "made-in"
    engine_typeset = typeset_module.typeset

    def recorded(*args, **kwargs):
        with made_in.open("a") as record:
            record.write(f"{os.getpid()}\n")
        return engine_typeset(*args, **kwargs)

    monkeypatch.setattr(typeset_module, "typeset", recorded)
    messages: list[str] = []
    build(issue, "isolated", one_off=True, messages=messages)
    pids = made_in.read_text().split()
    assert pids and str(os.getpid()) not in pids
    # its stage times come back to the build's progress, in order
    stages = [m.split(":")[0] for m in messages if not m.startswith("wrote")]
    assert stages == ["load + validate", "render", "typeset", "copy-fit", "write PDF", "verify"]


def test_a_layout_process_that_dies_is_made_again_in_the_build(issue, monkeypatch):
    alone = build(issue, "alone", one_off=False)
    parent = os.getpid()
    within_limits = layouts.within_limits

    def dies_in_a_child(result, issue_model):
        if os.getpid() != parent:
            os._exit(9)  # the layout process is killed after its layout
        within_limits(result, issue_model)

    monkeypatch.setattr(layouts, "within_limits", dies_in_a_child)
    helped = build(issue, "again", one_off=True)
    assert outputs(helped) == outputs(alone)


def test_a_layout_process_that_dies_writing_is_made_again_in_the_build(issue, monkeypatch):
    from broadsheet import typeset as typeset_module

    alone = build(issue, "alone", one_off=False)
    parent = os.getpid()
    to_pdf = typeset_module.to_pdf

    def dies_in_a_child(*args):
        if os.getpid() != parent:
            os._exit(9)  # killed while it writes the PDF
        return to_pdf(*args)

    monkeypatch.setattr(typeset_module, "to_pdf", dies_in_a_child)
    helped = build(issue, "again", one_off=True)
    assert outputs(helped) == outputs(alone)


def test_the_companion_verifies_as_the_build_would(issue, sample_pdf):
    path = Path("issues/one.yaml")
    companion = Companion.start(path, issue.root, EMAIL, pipeline._front)
    assert companion is not None
    try:
        front = companion.front()
        assert front is not None
        assert front.issue == pipeline.check(path, issue.root)
        # a PDF that is not the issue's: the same findings as verifying it here
        foreign = sample_pdf.read_bytes()
        found = companion.verify(foreign, front.rendered.html)
        wanted = html_targets(front.rendered.html)
        assert found == verify(foreign, front.issue, EMAIL, wanted=wanted)
        assert any(f.severity == "error" for f in found)
        assert any("has no link annotation" in f.message for f in found)  # its links: not ours
        assert companion.verify(foreign, front.rendered.html) is None  # one, then it is done
    finally:
        companion.close()


def test_no_companion_from_a_process_with_threads(issue):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert Companion.start(Path("issues/one.yaml"), issue.root, EMAIL, _dies) is None
    finally:
        stop.set()
        other.join()


def test_the_command_line_builds_one_issue_with_a_companion(issue):
    run = issue.run("build", "issues/one.yaml", "-o", "out/cli.pdf", "--debug")
    assert run.code == 0, run.stderr
    assert "render: " in run.stderr and "(companion)" in run.stderr
    two = issue.write("issues/two.yaml", ISSUE.replace("First", "Other"))
    run = issue.run("build", "issues/one.yaml", str(two), "--jobs", "1", "--debug")
    assert run.code == 0, run.stderr
    assert "(companion)" not in run.stderr  # several issues share one warm session


def _waits(connection) -> None:
    connection.recv()  # until the parent sends, or closes the pipe


def test_a_child_ends_by_itself_when_its_pipe_closes_while_others_live():
    """Each child closes the pipes it inherits, so closing one child's pipe
    ends that child, not only after a kill (exit code -9)."""
    first = Forked.start(_waits)
    second = Forked.start(_waits)  # it inherited the first's pipe
    assert first is not None and second is not None
    first.close()
    assert first.exit_code == 0
    second.close()
    assert second.exit_code == 0


def test_the_program_ends_with_every_line_written(issue):
    """`broadsheet build` ends without tearing the interpreter down (os._exit):
    its output is flushed first, to a pipe as to a terminal."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "broadsheet", "build", "issues/one.yaml", "-o", "out/x.pdf"],
        cwd=issue.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "out/x.pdf\n"
    assert result.stderr.startswith("issues/one.yaml: 1 page;")
    assert (issue.root / "out" / "x.pdf").read_bytes()[:5] == b"%PDF-"
