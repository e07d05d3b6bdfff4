"""The Persian and French samples' pages still look as they did when their
references were approved: a right-to-left page mirrored (the name, the
contents, the columns and the running heads on the other side), in the
Persian sample's own modern theme and in classic, and the French sample.

References are made by `make references`, as for the English samples.
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
# (publication folder, the theme its pages are set in); None: the folder's own.
SETTINGS = {
    "fa-2026-12-modern-A4": ("fa", None),
    "fa-2026-12-classic-A4": ("fa", "classic"),
    "fr-2026-12-classic-A4": ("fr", None),
}


def build(folder: str, theme: str | None, root: Path) -> Path:
    """The sample in `folder` copied into `root` (in `theme`, if given) and built."""
    shutil.copytree(REPO / "issues" / folder, root / "issues" / folder)
    shutil.copytree(REPO / "issues" / "images", root / "issues" / "images")
    if theme:
        newsletter = root / "issues" / folder / "newsletter.yaml"
        text = re.sub(r"(?m)^theme:.*\n", "", newsletter.read_text(encoding="utf-8"))
        newsletter.write_text(f"{text.rstrip()}\ntheme: {theme}\n", encoding="utf-8")
    out = root / f"{folder}.pdf"
    err = io.StringIO()
    issue = str(root / "issues" / folder / "2026-12.yaml")
    arguments = ["build", issue, "-o", str(out), "--root", str(root), "--quiet"]
    assert main(arguments, stdout=io.StringIO(), stderr=err, environ={}) == 0, err.getvalue()
    return out


@pytest.mark.parametrize("name", SETTINGS)
def test_every_language_sample_page_matches_its_reference(name, tmp_path, request):
    folder, theme = SETTINGS[name]
    pages = render_pages(build(folder, theme, tmp_path))
    references = ReferenceSet(name)
    if not updating_references():
        assert len(pages) == len(references.stored()), f"{name}: {MAKE_REFERENCES}."
    assert_pages_match(pages, references, request.node.name)


def test_the_samples_are_in_the_theme_their_references_are_named_after():
    for name, (folder, theme) in SETTINGS.items():
        newsletter = (REPO / "issues" / folder / "newsletter.yaml").read_text(encoding="utf-8")
        own = re.search(r"(?m)^theme: *(\S+)", newsletter)
        assert (theme or (own.group(1) if own else "classic")) in name
        assert "page_size" not in newsletter  # A4, the default
