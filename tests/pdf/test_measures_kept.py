"""Measures kept by content (engine/measurement.py), on real layouts: a
rebuild lays out only what changed, and writes the very bytes a build with
nothing kept writes. Each item is measured at a place of its own, so it
measures the same however many others were laid out with it."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from weasyprint.formatting_structure.boxes import LineBox

from broadsheet import pipeline
from broadsheet.content.check import check
from broadsheet.engine import Session
from broadsheet.engine import typeset as typeset_module
from broadsheet.engine.measurement import MEASURE_CACHE, measures
from broadsheet.engine.typeset import typeset
from broadsheet.html.pictures import PICTURE_CACHE
from broadsheet.html.render import render
from broadsheet.html.rendered import Fitting
from broadsheet.profiles import EMAIL
from broadsheet.theme import Theme
from tests.corpus.generate import case, write_project

PLANNED = 1  # corpus case 01: a feature issue whose plan moves photos and spacing


def build(root: Path, issue: Path, session: Session | None = None) -> tuple[bytes, list[str]]:
    """The PDF of `issue` and what the build said (the --debug lines)."""
    said: list[str] = []
    out = root / "build" / "out.pdf"
    pipeline.build(pipeline.Job(issue, out), pipeline.Settings(root), session, said.append)
    return out.read_bytes(), said


def layouts(said: list[str]) -> int:
    return sum(line.startswith("typeset: ") for line in said)


def forget(root: Path) -> None:
    shutil.rmtree(root / MEASURE_CACHE, ignore_errors=True)


@pytest.fixture
def planned_issue(tmp_path) -> tuple[Path, Path]:
    (issue,) = write_project([case(PLANNED)], tmp_path).values()
    return tmp_path, issue


def test_a_rebuild_of_an_unchanged_issue_is_laid_out_once_into_the_same_bytes(planned_issue):
    root, issue = planned_issue
    first, said = build(root, issue)
    assert any(line.startswith("plan: ") for line in said), "the case should need a plan"
    assert layouts(said) == 2  # measured, then set as planned
    again, said = build(root, issue)  # a new process: the measures from build/.cache
    assert layouts(said) == 1
    assert not [line for line in said if line.startswith("measure: ") and " of " in line]
    assert again == first


@pytest.mark.parametrize("which", ["a later story", "the lead"])
def test_a_rebuild_after_an_edit_lays_out_the_edited_story_alone(planned_issue, which):
    """An edit that keeps the contents: the edited story is measured alone,
    and the PDF is the one a build with nothing kept makes of the edit."""
    root, issue = planned_issue
    build(root, issue)
    text = issue.read_text(encoding="utf-8")
    bodies = [n for n, line in enumerate(text.splitlines()) if line.startswith("  body: ")]
    edited_line = bodies[0 if which == "the lead" else 2]
    lines = text.splitlines()
    lines[edited_line + 1] = lines[edited_line + 1] + " A sentence added after the build."
    issue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    session = Session()
    kept, said = build(root, issue, session)
    counts = [line for line in said if line.startswith("measure: ") and " of " in line]
    assert len(counts) == 1 and counts[0].startswith("measure: 1 of "), said
    forget(root)
    fresh, _ = build(root, issue, Session())
    assert kept == fresh


class _Measuring:
    """Corpus case `index` written in a project at `root`, rendered and
    measured there as a build does, in a session of its own."""

    def __init__(self, index: int, root: Path):
        (path,) = write_project([case(index)], root).values()
        self.issue, self.root = check(path, root), root
        self.theme = Theme(self.issue.theme, root)
        self.session = Session()
        self.pictures = self.session.pictures(
            root / PICTURE_CACHE, EMAIL.max_edge, EMAIL.photo_quality
        )

    def rendered(self, fitting: Fitting):
        return render(
            self.issue, self.theme, fitting, self.pictures, self.session.templates, EMAIL.link_codes
        )

    def measured(self) -> tuple:
        """The measures, with what the session remembers forgotten (the files kept)."""
        self.session.measures.clear()
        as_written = self.rendered(Fitting())
        return measures(as_written, self.rendered, self.root, EMAIL, self.session, lambda _: None)


@pytest.mark.parametrize("index", [1, 12, 22, 24, 36])
def test_an_item_measures_the_same_alone_as_among_the_others(index, tmp_path):
    """Corpus cases in each theme and size, with boxes split over pages and
    photos at a column's top: measured with every item, then with a random
    half of the measures forgotten, the measures are equal to the last bit."""
    measuring = _Measuring(index, tmp_path)
    every = measuring.measured()
    files = sorted((tmp_path / MEASURE_CACHE).glob("*.json"))
    for seed in range(2):
        for gone in random.Random(seed).sample(files, len(files) // 2):
            gone.unlink()
        assert measuring.measured() == every


@pytest.mark.parametrize("index", [3, 22, 25])  # the themes in columns; French, Persian
def test_a_measurement_reads_from_unbalanced_columns_what_balanced_ones_give(
    index, tmp_path, monkeypatch
):
    """A measurement fills its columns one after another (typeset.UNBALANCED),
    since the engine's balancing lays them out again and again: the
    measures are equal to the last bit to those read from balanced columns."""
    measuring = _Measuring(index, tmp_path)
    items = measuring.rendered(Fitting()).items

    def measured() -> tuple:
        forget(tmp_path)
        return measuring.measured()

    def single_columns() -> int:
        """The multi-column bodies of three lines or more set in one column."""
        written = measuring.rendered(Fitting(new_page=frozenset(list(items)[1:])))
        laid_out = typeset(replace(written, measured=frozenset(items)), tmp_path, EMAIL)
        return sum(
            len(box.children) == 1 and _lines(box) >= 3
            for box in _boxes(laid_out.document)
            if box.style["column_count"] not in ("auto", 1) and box.children
        )

    unbalanced, single = measured(), single_columns()
    monkeypatch.setattr(typeset_module, "UNBALANCED", "")
    balanced, single_when_balanced = measured(), single_columns()
    assert single > 0 and single_when_balanced == 0, "the columns should fill one by one"
    assert unbalanced == balanced


def _boxes(document):
    """Every box of every page of a laid-out `document`."""
    for page in document.pages:
        yield from _under(page._page_box)


def _under(box):
    for child in getattr(box, "children", ()):
        yield child
        yield from _under(child)


def _lines(box) -> int:
    return sum(isinstance(child, LineBox) for child in _under(box))
