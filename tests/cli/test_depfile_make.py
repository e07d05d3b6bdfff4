"""The depfile as real make reads it: file names with the characters make
treats specially are escaped so that make names the very file; a name make
cannot express is left out with a warning instead of breaking every later
`make` ("missing separator")."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from broadsheet.outputs.depfile import make_rule, rule_dependencies

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")

MAKEFILE = """\
{target}:
\ttouch '{target}'
include {depfile}
"""

ISSUE = """\
name: The Test Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: Hash
    body: The first story's text.
    image: {src: "images/photo #1.png", alt: A cup.}
  - title: Space
    body: The second story's text.
    image: {src: "images/my photo.png", alt: A cup.}
  - title: Semicolon
    body: The third story's text.
    image: {src: "images/cup;2.png", alt: A cup.}
"""


def make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-f", "Makefile.test", *args], cwd=folder, capture_output=True, text=True
    )


def later(path: Path) -> None:
    """Make `path` newer than anything built so far, as an edit would."""
    stamp = time.time() + 10
    os.utime(path, (stamp, stamp))


def test_make_rebuilds_when_a_picture_with_a_hash_or_a_space_changes(project):
    for name in ("photo #1.png", "my photo.png", "cup;2.png"):
        project.photo("coffee.png", as_name=name)
    project.write("issues/x.yaml", ISSUE)
    run = project.run("build", "issues/x.yaml", "--depfile", "build/x.d")
    assert run.code == 0, run.stderr
    assert (
        "build/x.d: left out 'issues/images/cup;2.png', a file name make cannot express"
        in run.stderr
    )
    rule = (project.root / "build" / "x.d").read_text()
    assert "issues/images/photo\\ \\#1.png" in rule
    assert "issues/images/my\\ photo.png" in rule
    assert "cup;2" not in rule
    (project.root / "Makefile.test").write_text(
        MAKEFILE.format(target="build/x.pdf", depfile="build/x.d")
    )
    quiet = make(project.root, "-q", "build/x.pdf")
    assert quiet.returncode == 0, quiet.stderr  # the rule reads, and the PDF is up to date
    built = (project.root / "build" / "x.pdf").stat().st_mtime
    for name in ("photo #1.png", "my photo.png"):
        picture = project.root / "issues" / "images" / name
        os.utime(picture, (built + 5, built + 5))  # edited after the build
        assert make(project.root, "-q", "build/x.pdf").returncode == 1, name  # stale
        os.utime(picture, (built - 5, built - 5))
        assert make(project.root, "-q", "build/x.pdf").returncode == 0, name
    (project.root / "issues" / "images" / "photo #1.png").unlink()
    gone = make(project.root, "build/x.pdf")
    assert gone.returncode == 0, gone.stderr  # a deleted picture does not stop make


def test_a_strict_build_stops_at_a_name_make_cannot_express(project):
    project.photo("coffee.png", as_name="cup;2.png")
    project.write(
        "issues/x.yaml",
        ISSUE.split("  - title: Hash")[0]
        + "  - title: Semicolon\n    body: Text.\n"
        + '    image: {src: "images/cup;2.png", alt: A cup.}\n',
    )
    run = project.run("build", "issues/x.yaml", "--depfile", "build/x.d", "--strict")
    assert run.code == 1
    assert "error: build/x.d: left out 'issues/images/cup;2.png'" in run.stderr
    assert not (project.root / "build" / "x.d").exists()


NAMES = [
    "photo #1.png",
    "my photo.png",
    "cost $5.png",
    "time 10:30.png",
    "star*.png",
    "what?.png",
    "[draft].png",
    "50%.png",
    "a|b.png",
    "back\\slash.png",
    "back\\ space.png",
    "back\\#hash.png",
    "(one).png",
    "~tilde.png",
    'quote\'s "both".png',
    "café é.png",
]


def test_every_escaped_name_is_the_file_make_finds(tmp_path, monkeypatch):
    """For each name: the rule reads, make sees the file (a newer one makes
    the target stale), a deleted one does not stop make, and the rule reads
    back as the same paths for `broadsheet mail`."""
    monkeypatch.chdir(tmp_path)
    for n, name in enumerate(NAMES):
        folder = tmp_path / f"case{n}"
        folder.mkdir()
        (folder / name).write_bytes(b"x")
        (folder / "target.out").write_bytes(b"%PDF-")
        later(folder / "target.out")
        monkeypatch.chdir(folder)
        rule, left_out = make_rule(Path("target.out"), [Path(name)])
        assert left_out == []
        assert rule_dependencies(rule) == [Path(name)], name
        (folder / "deps.d").write_text(rule)
        (folder / "Makefile.test").write_text(
            MAKEFILE.format(target="target.out", depfile="deps.d")
        )
        quiet = make(folder, "-q", "target.out")
        assert quiet.returncode == 0, (name, rule, quiet.stderr)
        os.utime(folder / name, (time.time() + 20, time.time() + 20))
        assert make(folder, "-q", "target.out").returncode == 1, (name, rule)
        (folder / name).unlink()
        gone = make(folder, "target.out")
        assert gone.returncode == 0, (name, rule, gone.stderr)


@pytest.mark.parametrize(
    "name", ["line\nbreak.png", "tab\there.png", "a;b.png", "a=b.png", "end\\"]
)
def test_a_name_make_cannot_express_is_left_out(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    rule, left_out = make_rule(Path("target.out"), [Path("fine.png"), Path(name)])
    assert left_out == [Path(name)]
    assert rule_dependencies(rule) == [Path("fine.png")]
