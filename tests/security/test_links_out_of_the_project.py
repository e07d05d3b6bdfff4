"""A build reads nothing outside the project, whatever kind of file: a
newsletter.yaml, a template, a partial, a stylesheet or a whole theme folder
that is a link to a file elsewhere is a located error, and no word of that
file reaches the PDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from broadsheet.theme import BUNDLED

ISSUE = """\
name: The Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: One
    body: Text.
"""
SECRET = "SECRET-OUTSIDE-WORDS"


def newsletter(outside: Path, root: Path) -> Path:
    (outside / "newsletter.yaml").write_text(f"tagline: {SECRET}\n")
    return _link(root / "issues" / "newsletter.yaml", outside / "newsletter.yaml")


def template(outside: Path, root: Path) -> Path:
    (outside / "issue.html.j2").write_text(f"<p>{SECRET}</p>")
    return _link(root / "layout" / "issue.html.j2", outside / "issue.html.j2")


def partial(outside: Path, root: Path) -> Path:
    (outside / "masthead.html.j2").write_text(f"<h1>{SECRET}</h1>")
    return _link(root / "layout" / "partials" / "masthead.html.j2", outside / "masthead.html.j2")


def stylesheet(outside: Path, root: Path) -> Path:
    (outside / "99-mine.css").write_text(f'body::before {{ content: "{SECRET}" }}')
    return _link(root / "styles" / "classic" / "99-mine.css", outside / "99-mine.css")


def base_stylesheet(outside: Path, root: Path) -> Path:
    """The shared base layer is read from the project the same way."""
    (outside / "35-text.css").write_text(f'body::before {{ content: "{SECRET}" }}')
    return _link(root / "styles" / "base" / "35-text.css", outside / "35-text.css")


def theme_folder(outside: Path, root: Path) -> Path:
    shutil.copytree(BUNDLED / "styles" / "classic", outside / "classic")
    (outside / "classic" / "99-mine.css").write_text(f'body::before {{ content: "{SECRET}" }}')
    _link(root / "styles" / "classic", outside / "classic")
    return root / "styles" / "classic" / "00-fonts.css"


def _link(link: Path, target: Path) -> Path:
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link


@pytest.mark.parametrize(
    "make", [newsletter, template, partial, stylesheet, base_stylesheet, theme_folder]
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_link_out_of_the_project_is_a_located_error(project, tmp_path, make, command):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    project.write("issues/a.yaml", ISSUE)
    link = make(outside, project.root)
    run = project.run(command, "issues/a.yaml")
    if command == "check" and make is not newsletter:
        assert run.code == 0, run.stderr  # check reads no template or stylesheet
        return
    assert run.code == 1, run.stderr
    located = f"{link.relative_to(project.root)}:1:1: error: this file is a link to "
    assert located in run.stderr
    assert "outside the project folder" in run.stderr
    assert SECRET not in run.stderr + run.stdout
    assert not (project.root / "build" / "a.pdf").exists()


def test_a_link_inside_the_project_is_followed(project):
    """Two publications may share one newsletter.yaml through a link."""
    project.write("shared/newsletter.yaml", "tagline: Shared words\n")
    (project.root / "issues" / "newsletter.yaml").symlink_to("../shared/newsletter.yaml")
    project.write("issues/a.yaml", ISSUE)
    run = project.run("build", "issues/a.yaml")
    assert run.code == 0, run.stderr
