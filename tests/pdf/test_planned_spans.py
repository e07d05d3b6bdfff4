"""The page planner's photo across the columns on a real layout: a brief in
the classic theme whose photo is far taller than its few lines left one
column holding the photo and the other mostly empty. The planner sets the
photo across both columns, its caption under it, and the lines balanced
below: the copy-fit report finds no short column, the picture is as wide
as the text block, and the report's summary names the change."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

import broadsheet.planner.search as search
from broadsheet.engine.plans import PLAN_CACHE

SENTENCE = "A sentence of the ordinary kind that newsletters are made of. "
PICTURE = "    image: {src: images/hubble_deep_field.jpg, caption: The deep field., credit: NASA}\n"


def story(title: str, paragraphs: int, words: int, extra: str = "") -> str:
    body = "\n\n".join([SENTENCE * words] * paragraphs)
    indented = "\n".join(f"      {line}" for line in body.splitlines())
    return f"  - title: {title}\n{extra}    body: |\n{indented}\n"


ISSUE = (
    "name: The Fit Gazette\nissue: {number: 1, date: 2026-01-31}\narticles:\n"
    + story("Lead", 2, 6)
    + story("Pictured", 1, 4, PICTURE)
)


def picture_widths(pdf) -> list[float]:
    """The width of each picture as printed: the clip it is drawn in (a
    picture cropped to a height is drawn whole, and clipped)."""
    reader = PdfReader(pdf)
    widths, clip = [], 0.0
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"re":
                clip = float(operands[2])
            elif operator == b"Do":
                widths.append(clip)
    return widths


@pytest.fixture
def pictured(project):
    project.photo("hubble_deep_field.jpg")
    project.write("issues/fit.yaml", ISSUE)
    return project


def test_a_photo_that_leaves_a_column_empty_is_set_across_the_columns(pictured, monkeypatch):
    with monkeypatch.context() as without:
        without.setattr(search, "_spans", lambda *_: iter(()))
        run = pictured.run("build", "issues/fit.yaml", "-o", "without.pdf")
    assert run.code == 0, run.stderr
    assert "'Pictured': page 1: column 2 is mostly empty" in run.stderr
    (in_a_column,) = picture_widths(pictured.root / "without.pdf")
    shutil.rmtree(pictured.root / PLAN_CACHE)  # kept by the planner patched above

    run = pictured.run("build", "issues/fit.yaml", "-o", "fit.pdf")
    assert run.code == 0, run.stderr
    assert "mostly empty" not in run.stderr
    assert "planned: photo of 'Pictured' across the columns, " in run.stderr
    (across,) = picture_widths(pictured.root / "fit.pdf")
    assert across > 2 * in_a_column  # both columns and the gap between them
