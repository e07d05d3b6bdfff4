"""The samples' archive site, build/site/index.html, as Chromium shows it on
a phone (390 px) and a wide screen (1280 px): nothing wider than the
window, no text over text, every page-1 picture loaded, the theme's own
fonts loaded from the site's files, one column on the phone and several on
the wide screen. The samples have no web editions here (`broadsheet build
--edition web` is not run), so the page links none; every address it
names is a file inside build/site/. The screenshots are written to
/tmp/archive-shots/ to be looked at."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from broadsheet.cli.main import main
from conftest import REPO

SHOTS = Path("/tmp/archive-shots")
SAMPLES = 4  # issues/2026-10, 2026-11, fr/2026-12, fa/2026-12


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The samples' archive, made once for this module."""
    root = tmp_path_factory.mktemp("archive") / "project"
    shutil.copytree(REPO / "issues", root / "issues")
    err = io.StringIO()
    code = main(["archive", "--root", str(root)], stdout=io.StringIO(), stderr=err, environ={})
    assert code == 0, err.getvalue()
    return root / "build" / "site"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_archive_site_reads_at_every_width(browser, site, width):
    page = site / "index.html"
    look = browser.look(page, width)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"archive-{width}.png").write_bytes(look.screenshot)
    assert look.problems() == []
    pictures = look.facts["images"]
    assert len(pictures) == SAMPLES and all(p["loaded"] for p in pictures)
    assert all(p["src"].startswith("thumbnails/") and p["alt"] for p in pictures)
    assert not list(site.glob("*/index.html"))  # no web editions, so none linked

    # Comfortable margins: no text within 16 px of either edge.
    boxes = look.facts["boxes"]
    assert min(b["x"] for b in boxes) >= 16
    assert max(b["x"] + b["w"] for b in boxes) <= width - 16

    # Each issue's number heading ("Vol. 3 · No. 18"): one per row on a phone,
    # side by side on a wide screen.
    rows = {round(b["y"]) for b in boxes if b["text"].startswith("Vol.")}
    assert len(rows) == (SAMPLES if width == 390 else 2), rows

    # The Persian issue's contents in the theme's own Naskh, not a stand-in.
    assert set(browser.loaded_fonts(page, width)) == {
        "Classic Libertine",
        "Classic Libertine Display",
        "Classic Naskh",
    }
