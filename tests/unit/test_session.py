"""A session keeps engine state between builds, and never what has changed:
each build with one gives the bytes a fresh process gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from broadsheet import pipeline
from broadsheet.engine.session import Session
from broadsheet.html.render import TEMPLATE_CACHE
from broadsheet.theme import BUNDLED

ISSUE = """\
name: Gazette
issue: {number: 1, date: 2026-01-31}
articles:
  - title: First story
    body: Some text.
    image: {src: images/photo.png, alt: A photo., caption: A photo.}
"""


@pytest.fixture
def issue(project):
    project.photo("coffee.png", as_name="photo.png")
    project.write("issues/one.yaml", ISSUE)
    project.write("issues/two.yaml", ISSUE.replace("First", "Second"))
    return project


def build(project, slug: str, session: Session | None, name: str) -> bytes:
    output = project.root / "out" / f"{name}.pdf"
    job = pipeline.Job(Path(f"issues/{slug}.yaml"), output)
    pipeline.build(job, pipeline.Settings(project.root), session)
    return output.read_bytes()


def test_one_font_configuration_and_the_bytes_of_a_fresh_build(issue):
    session = Session()
    warm = [build(issue, slug, session, f"warm-{slug}") for slug in ("one", "two", "one")]
    assert session.font_configurations == 1
    fresh = [build(issue, slug, None, f"fresh-{slug}") for slug in ("one", "two")]
    assert warm == [*fresh, fresh[0]]


def test_a_changed_stylesheet_or_picture_shows_in_the_next_build(issue):
    session = Session()
    first = build(issue, "one", session, "first")

    styles = issue.root / "styles" / "classic"
    styles.mkdir(parents=True)
    bundled = sorted((BUNDLED / "styles" / "classic").glob("*.css"))[-1]
    shutil.copyfile(bundled, styles / bundled.name)
    assert build(issue, "one", session, "same") == first  # the same rules, another file
    with (styles / bundled.name).open("a") as css:
        css.write("\nh2.headline { color: #c00000; }\n")
    restyled = build(issue, "one", session, "restyled")
    assert restyled != first
    assert restyled == build(issue, "one", None, "restyled-fresh")

    issue.photo("chelsea.png", as_name="photo.png")
    repictured = build(issue, "one", session, "repictured")
    assert repictured != restyled
    assert repictured == build(issue, "one", None, "repictured-fresh")
    assert session.font_configurations == 1  # no font changed


def test_a_new_font_face_starts_a_new_font_configuration(issue):
    session = Session()
    build(issue, "one", session, "before")
    styles = issue.root / "styles" / "classic"
    styles.mkdir(parents=True)
    font = sorted((BUNDLED / "styles" / "fonts").glob("*.otf"))[0]
    (styles / "zz-extra.css").write_text(
        f'@font-face {{ font-family: "Extra"; src: url(../fonts/{font.name}); }}\n'
        'h2.headline { font-family: "Extra"; }\n'
    )
    changed = build(issue, "one", session, "changed")
    assert session.font_configurations == 2
    assert changed == build(issue, "one", None, "changed-fresh")
    (styles / "zz-extra.css").unlink()
    assert build(issue, "one", session, "after") == build(issue, "one", None, "after-fresh")


def test_a_fresh_process_takes_the_projects_compiled_templates_and_never_a_stale_one(issue):
    figure = issue.root / "layout" / "partials" / "figure.html.j2"
    figure.parent.mkdir(parents=True)
    figure.write_text((BUNDLED / "layout" / "partials" / "figure.html.j2").read_text())
    first = build(issue, "one", None, "first")
    compiled = sorted((issue.root / TEMPLATE_CACHE).iterdir())
    assert compiled  # kept for the next process
    for path in compiled:
        path.write_bytes(b"j2 not a compiled template")
    assert build(issue, "one", None, "garbled") == first

    edit = figure.read_text().replace("| typeset }}</span>", "| typeset }} (p. 1)</span>")
    figure.write_text(edit)
    edited = build(issue, "one", None, "edited")
    assert edited != first
    shutil.rmtree(issue.root / TEMPLATE_CACHE)
    assert build(issue, "one", None, "compiled-anew") == edited
