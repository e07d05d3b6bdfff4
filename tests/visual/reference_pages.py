"""The committed reference pictures, and checking freshly rendered pages against them.

References are made by one command only, `make references`, which runs these
tests with BROADSHEET_UPDATE_REFERENCES=1: the pages are then written as the
new references and nothing is compared. A test never makes a missing
reference itself, so a page nobody has looked at can never pass.

When pages differ, actual.png, expected.png and diff.png of each page go to
tests/visual/output/<test name>/page-<n>/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from page_difference import highlight, measure
from PIL import Image

VISUAL = Path(__file__).resolve().parent
REPO = VISUAL.parents[1]
REFERENCES = VISUAL / "references"
OUTPUT = VISUAL / "output"
UPDATE_VARIABLE = "BROADSHEET_UPDATE_REFERENCES"
MAKE_REFERENCES = "run `make references`, look at the new pictures and commit them"


def updating_references() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


@dataclass(frozen=True)
class ReferenceSet:
    """One document's reference pages: references/<name>/page-<n>.png."""

    name: str

    @property
    def folder(self) -> Path:
        return REFERENCES / self.name

    def page(self, number: int) -> Path:
        return self.folder / f"page-{number}.png"

    def stored(self) -> list[Path]:
        return sorted(self.folder.glob("page-*.png"))

    def replace_with(self, pages: list[Image.Image]) -> None:
        """Exactly these pages, so a page the document lost leaves no stale reference."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.stored():
            old.unlink()
        for number, page in enumerate(pages, start=1):
            page.save(self.page(number), optimize=True)


def assert_pages_match(pages: list[Image.Image], references: ReferenceSet, test_name: str) -> None:
    """Page n against references/<name>/page-<n>.png, or rewrite them when updating."""
    if updating_references():
        references.replace_with(pages)
        return
    output = OUTPUT / re.sub(r"[^\w.-]+", "-", test_name).strip("-")
    shutil.rmtree(output, ignore_errors=True)  # pictures of an earlier run would mislead
    missing, differing = [], []
    for number, actual in enumerate(pages, start=1):
        evidence = output / f"page-{number}"
        if not references.page(number).is_file():
            missing.append(f"page {number}: no {shown(references.page(number))}")
            save(evidence, actual=actual)
            continue
        with Image.open(references.page(number)) as stored:
            expected = stored.convert("L")
        difference = measure(actual, expected)
        if not difference.acceptable:
            differing.append(f"page {number}: {difference}")
            save(evidence, actual=actual, expected=expected, diff=highlight(actual, expected))
    message = []
    if missing:
        message += [f"{references.name} has no reference for some pages:", *missing]
        message.append(f"To create them, {MAKE_REFERENCES}.")
    if differing:
        message += [f"{references.name} differs from its references:", *differing]
        message.append(
            f"See {shown(output)}/page-<n>/ (actual.png, expected.png, and diff.png with new"
            f" ink in red, lost ink in blue). If the change is intended, {MAKE_REFERENCES}."
        )
    assert not message, "\n".join(message)


def save(folder: Path, **pictures: Image.Image) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, picture in pictures.items():
        picture.save(folder / f"{name}.png")


def shown(path: Path) -> str:
    """A path as the person running the tests from the repository would type it."""
    return str(path.relative_to(REPO))
