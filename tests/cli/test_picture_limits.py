"""Pictures past what a newsletter needs are refused at their line before
anything decodes them, and a large one within the limits is taken without a
word from the imaging library on standard error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image

ISSUE = """\
name: The Gazette
issue: {{number: 1, date: 2026-01-31}}
articles:
  - title: One
    body: Text.
    image: {{src: images/{name}, alt: A picture}}
"""


@pytest.mark.parametrize(
    ("size", "words"),
    [((1, 30_001), "30,000 pixels a side"), ((40_000, 2), "30,000 pixels a side")],
)
def test_a_picture_too_long_on_one_side_is_refused_at_its_line(project, size, words):
    (project.root / "issues" / "images").mkdir()
    Image.new("L", size, 200).save(project.root / "issues" / "images" / "strip.png")
    project.write("issues/a.yaml", ISSUE.format(name="strip.png"))
    run = project.run("check", "issues/a.yaml")
    assert run.code == 1
    where = "issues/a.yaml:6:18: error: articles[0].image.src: 'images/strip.png'"
    assert f"{where} is {size[0]} x {size[1]} pixels; the limit is {words}" in run.stderr


def test_a_large_picture_within_the_limits_raises_no_raw_warning(project):
    """9,500 x 9,500 is past Pillow's own warning threshold (89 million pixels)
    and within broadsheet's (100 million): the build says nothing of it."""
    (project.root / "issues" / "images").mkdir()
    Image.new("L", (9_500, 9_500), 200).save(project.root / "issues" / "images" / "big.jpg")
    project.write("issues/a.yaml", ISSUE.format(name="big.jpg"))
    result = subprocess.run(
        [sys.executable, "-W", "default", "-m", "broadsheet", "build", "issues/a.yaml"],
        cwd=project.root,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "DecompressionBomb" not in result.stderr and "Warning:" not in result.stderr
