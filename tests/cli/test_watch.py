"""`broadsheet watch`: one process that rebuilds on each change, keeps the
last good PDF when a rebuild fails, and says where the error is."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from broadsheet.cli.batch import Job, Settings
from broadsheet.cli.watch import watch
from broadsheet.profiles import EMAIL
from broadsheet.theme import BUNDLED

ISSUE = """\
name: Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: First story
    body: Some text.
"""
WAIT = 120  # seconds: generous, the machine may be busy; nothing is timed


class Watcher:
    """`watch` in a thread, its outcomes in a queue, stopped by an event."""

    def __init__(self, project):
        self.root = project.root
        self.pdf = project.root / "build" / "one.pdf"
        self.outcomes: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        job = Job(Path("issues/one.yaml"), Path("build/one.pdf"), Path("build/one.html"))
        settings = Settings(project.root, EMAIL)
        show = lambda outcome, seconds, first: self.outcomes.put(outcome)  # noqa: E731
        self.thread = threading.Thread(target=watch, args=(job, settings, show, self.stop))

    def next(self, wanted=lambda outcome: True):
        """The next outcome `wanted`: an editor's save can be seen as two
        changes, and so make two builds."""
        while not wanted(outcome := self.outcomes.get(timeout=WAIT)):
            pass
        return outcome

    def save(self, relative: str, text: str) -> None:
        """As editors save: a whole new file in place of the old one."""
        temporary = self.root / f"{relative}.tmp"
        temporary.write_text(text)
        os.replace(temporary, self.root / relative)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive()


@pytest.fixture
def issue(project):
    project.write("issues/newsletter.yaml", "tagline: A line\n")
    project.write("issues/one.yaml", ISSUE)
    return project


def test_rebuilds_on_each_change_and_keeps_the_last_good_pdf(issue):
    def ok(outcome):
        return outcome.status == 0

    def broken(outcome):
        return outcome.status == 1

    with Watcher(issue) as watcher:
        assert watcher.next().status == 0
        first = watcher.pdf.read_bytes()

        watcher.save("issues/one.yaml", ISSUE.replace("First story", "Second story"))
        watcher.next(ok)
        second = watcher.pdf.read_bytes()
        assert second != first
        assert "Second story" in (issue.root / "build" / "one.html").read_text()

        watcher.save("issues/one.yaml", ISSUE.replace("number: 1", "number: one"))
        failed = watcher.next(broken)
        assert str(failed.diagnostics[0]).startswith("issues/one.yaml:2:17: error: issue.number:")
        assert watcher.pdf.read_bytes() == second  # the last good PDF stays

        watcher.save("issues/newsletter.yaml", "tagline: Another line\n")
        watcher.next(broken)  # still broken: newsletter.yaml is watched too
        watcher.save("issues/one.yaml", ISSUE)
        watcher.next(ok)
        assert watcher.pdf.read_bytes() not in (first, second)  # the new tagline


def test_a_save_just_as_a_build_ends_is_not_lost(issue):
    """Each save made the moment the last build is reported gets its build."""
    html = issue.root / "build" / "one.html"
    with Watcher(issue) as watcher:
        watcher.next()
        for number in range(5):
            title = f"Story number {number}"
            watcher.save("issues/one.yaml", ISSUE.replace("First story", title))
            watcher.next(lambda outcome, title=title: title in html.read_text())


def test_a_first_build_that_fails_is_retried_on_the_next_save(issue):
    """Before any good build the watcher knows no dependency list: it watches
    the issue's folder and the project's theme folders instead."""
    issue.write("issues/one.yaml", ISSUE.replace("number: 1", "number: one"))
    with Watcher(issue) as watcher:
        assert watcher.next().status == 1
        assert not watcher.pdf.exists()
        watcher.save("issues/one.yaml", ISSUE)
        watcher.next(lambda outcome: outcome.status == 0)
        assert watcher.pdf.is_file()


def test_a_changed_stylesheet_shows_in_the_next_rebuild(issue):
    """The session kept the parsed stylesheets: a changed one is parsed again,
    and the PDF is the one a fresh process makes."""
    styles = issue.root / "styles" / "classic"
    styles.mkdir(parents=True)
    bundled = sorted((BUNDLED / "styles" / "classic").glob("*.css"))[-1]
    shutil.copyfile(bundled, styles / bundled.name)
    with Watcher(issue) as watcher:
        assert watcher.next().status == 0
        before = watcher.pdf.read_bytes()
        restyled = (styles / bundled.name).read_text() + "\nh2.headline { color: #c00000; }\n"
        watcher.save(f"styles/classic/{bundled.name}", restyled)
        watcher.next(lambda outcome: outcome.status == 0)
        after = watcher.pdf.read_bytes()
    assert after != before
    fresh = issue.run("build", "issues/one.yaml", "-o", "fresh.pdf")
    assert fresh.code == 0, fresh.stderr
    assert (issue.root / "fresh.pdf").read_bytes() == after


def test_the_command_prints_each_build_and_stops_cleanly_on_ctrl_c(issue):
    """The real program: `built ... in N s`, `rebuilt ...`, the located error,
    and exit status 0 on Ctrl-C."""
    program = subprocess.Popen(
        [sys.executable, "-m", "broadsheet", "watch", "issues/one.yaml"],
        cwd=issue.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in program.stderr], daemon=True
    ).start()

    def wait_for(start: str) -> str:
        while True:
            line = lines.get(timeout=WAIT)
            if line.startswith(start):
                return line

    try:
        assert re.match(r"built build/one\.pdf in \d+\.\d\d s$", wait_for("built "))
        save(issue.root / "issues/one.yaml", ISSUE.replace("First story", "Second story"))
        assert re.match(r"rebuilt build/one\.pdf in \d+\.\d\d s$", wait_for("rebuilt "))
        save(issue.root / "issues/one.yaml", ISSUE.replace("number: 1", "number: one"))
        wait_for("issues/one.yaml:2:17: error: issue.number:")
        wait_for("broadsheet: kept the last good build/one.pdf")
    finally:
        program.send_signal(signal.SIGINT)
        code = program.wait(WAIT)
    assert code == 0
    assert set(program.stdout.read().split()) == {"build/one.pdf"}


def save(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)
