"""The bulletin theme's pages still look as they did when their references
were approved: the October sample and the Persian one (right to left), each
set in bulletin on A5, its design size.

References are made by `make references`, as for the other samples.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from page_images import render_pages
from reference_pages import MAKE_REFERENCES, ReferenceSet, assert_pages_match, updating_references

from broadsheet.cli.main import main

REPO = Path(__file__).resolve().parents[2]
# reference name -> the sample's slug under issues/
SAMPLES = {"2026-10-bulletin-A5": "2026-10", "fa-2026-12-bulletin-A5": "fa/2026-12"}


def build_in_bulletin(slug: str, root: Path) -> Path:
    """The sample copied into `root`, every publication set in bulletin on A5, and built."""
    shutil.copytree(REPO / "issues", root / "issues")
    for newsletter in (root / "issues").rglob("newsletter.yaml"):
        text = re.sub(r"(?m)^(theme|page_size):.*\n", "", newsletter.read_text(encoding="utf-8"))
        newsletter.write_text(f"{text.rstrip()}\ntheme: bulletin\npage_size: A5\n", "utf-8")
    out = root / "out.pdf"
    err = io.StringIO()
    issue = str(root / "issues" / f"{slug}.yaml")
    arguments = ["build", issue, "-o", str(out), "--root", str(root), "--quiet", "--strict"]
    assert main(arguments, stdout=io.StringIO(), stderr=err, environ={}) == 0, err.getvalue()
    return out


@pytest.mark.parametrize("name", SAMPLES)
def test_every_bulletin_page_matches_its_reference(name, tmp_path, request):
    pages = render_pages(build_in_bulletin(SAMPLES[name], tmp_path))
    references = ReferenceSet(name)
    if not updating_references():
        assert len(pages) == len(references.stored()), f"{name}: {MAKE_REFERENCES}."
    assert_pages_match(pages, references, request.node.name)
