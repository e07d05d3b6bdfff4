"""The bundled stylesheets are layered, not copied: what every theme needs is
written once in styles/base/, and a theme's folder holds only its look."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STYLES = REPO / "styles"
BLOCK = 6  # lines: a repeated block this long is a copy, not a coincidence
BULLETIN_MOST_LINES = 149  # "under 150 lines of its own"
FOLDERS = sorted(p.name for p in STYLES.iterdir() if p.is_dir() and any(p.glob("*.css")))


def blocks(folder: str) -> dict[tuple[str, ...], str]:
    """Every run of BLOCK consecutive non-blank lines (stripped) in the
    folder's stylesheets, with the first place it is found."""
    found: dict[tuple[str, ...], str] = {}
    for sheet in sorted((STYLES / folder).glob("*.css")):
        lines = [
            (number, line.strip())
            for number, line in enumerate(sheet.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip()
        ]
        for start in range(len(lines) - BLOCK + 1):
            run = tuple(text for _, text in lines[start : start + BLOCK])
            found.setdefault(run, f"{folder}/{sheet.name}:{lines[start][0]}")
    return found


def test_the_bundled_layers_are_there():
    assert {"base", "bulletin", "classic", "modern"} <= set(FOLDERS)


@pytest.mark.parametrize("first, second", list(itertools.combinations(FOLDERS, 2)))
def test_no_block_of_lines_is_shared_by_two_style_folders(first, second):
    """Between two themes, or a theme and the base: move it to the base instead."""
    theirs = blocks(second)
    shared = [
        f"{place} and {theirs[run]}: {' / '.join(run)}"
        for run, place in blocks(first).items()
        if run in theirs
    ]
    assert not shared, "\n".join(shared[:5])


def test_bulletin_is_under_150_lines_of_its_own():
    lines = sum(
        len(sheet.read_text(encoding="utf-8").splitlines())
        for sheet in (STYLES / "bulletin").glob("*.css")
    )
    assert lines <= BULLETIN_MOST_LINES, f"styles/bulletin/ has {lines} lines of CSS"
