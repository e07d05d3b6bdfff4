"""The web page as Debian's Chromium shows it: the samples in both themes and
in Persian, at a phone's width and a wide screen's, with nothing scrolling
sideways, no text over text, every picture loaded and every link's target
there; and what a phone downloads for the October sample, under 400 KB."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

WIDTHS = (390, 1280)
PHONE_BUDGET = 400_000  # bytes: the target for the October sample at 390 px


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("sample", ["october", "october_modern", "persian"])
def test_the_page_shows_without_problems(browser, request, sample, width):
    page = request.getfixturevalue(sample)
    look = browser.look(page, width)
    assert look.problems() == []
    assert look.facts["images"] and all(image["loaded"] for image in look.facts["images"])


def test_the_persian_page_reads_right_to_left(browser, persian):
    look = browser.look(persian, 390)
    assert (look.facts["lang"], look.facts["dir"]) == ("fa", "rtl")


@pytest.mark.parametrize("sample", ["october", "october_modern"])
def test_a_phone_downloads_under_400_kb(browser, request, sample):
    page = request.getfixturevalue(sample)
    loaded = [Path(unquote(urlsplit(url).path)) for url in browser.loaded(page, 390)]
    assert all(path.is_relative_to(page.parent) for path in loaded)  # nothing from elsewhere
    assert any(path.suffix == ".woff2" for path in loaded)  # the theme's own faces
    pictures = [path for path in loaded if path.parent.name == "images"]
    assert pictures and all(int(path.stem.split("-")[-2]) <= 640 for path in pictures)  # narrow
    total = sum(path.stat().st_size for path in loaded)
    assert total < PHONE_BUDGET, f"{total} bytes: " + ", ".join(p.name for p in loaded)
