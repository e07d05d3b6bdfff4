"""The web page as Debian's Chromium shows it: the samples in both themes and
in Persian, at a phone's width and a wide screen's, with nothing scrolling
sideways, no text over text, every picture loaded and every link's target
there; the bulletin theme and the French sample at a phone's width; and
what a phone downloads for the October sample, under 400 KB."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.web.conftest import REPO, build_web, october_in

WIDTHS = (390, 1280)
PHONE_BUDGET = 400_000  # bytes: the target for the October sample at 390 px


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("sample", ["october", "october_modern", "persian"])
def test_the_page_shows_without_problems(browser, request, sample, width):
    page = request.getfixturevalue(sample)
    look = browser.look(page, width)
    assert look.problems() == []
    assert look.facts["images"] and all(image["loaded"] for image in look.facts["images"])


@pytest.fixture(scope="module")
def october_bulletin(october, tmp_path_factory) -> Path:
    """The October sample's page in the bulletin theme, built once for this
    module after the classic one, whose pictures and faces it reuses."""
    return october_in("bulletin", tmp_path_factory.mktemp("bulletin") / "project")


@pytest.fixture(scope="module")
def french(tmp_path_factory) -> Path:
    """The French sample's page (issues/fr/), built once for this module."""
    return build_web(REPO, "fr/2026-12", tmp_path_factory.mktemp("french"))


@pytest.fixture(scope="module")
def at_a_phone_s_width(browser, october_bulletin, french) -> dict:
    """What each page shows at 390 px, looked at once for every check."""
    return {
        name: browser.look(page, 390)
        for name, page in (("october_bulletin", october_bulletin), ("french", french))
    }


@pytest.mark.parametrize("sample", ["october_bulletin", "french"])
def test_the_bulletin_and_french_pages_show_without_problems_on_a_phone(at_a_phone_s_width, sample):
    look = at_a_phone_s_width[sample]
    assert look.problems() == []
    assert look.facts["images"] and all(image["loaded"] for image in look.facts["images"])


def test_the_french_page_is_french_and_its_addresses_line_up(at_a_phone_s_width):
    look = at_a_phone_s_width["french"]
    assert (look.facts["lang"], look.facts["dir"]) == ("fr", "ltr")
    assert look.facts["title"].startswith("La Lunette")
    # "Courriel" is wider than "Site": each address still starts in one column.
    starts = {
        text: min(box["x"] for box in look.facts["boxes"] if box["text"] == text)
        for text in ("contact@lunette-saint-aubin.example", "lunette-saint-aubin.example")
    }
    assert max(starts.values()) - min(starts.values()) < 1, starts


def test_the_persian_page_reads_right_to_left(browser, persian):
    look = browser.look(persian, 390)
    assert (look.facts["lang"], look.facts["dir"]) == ("fa", "rtl")


@pytest.mark.parametrize("sample", ["october", "october_modern", "october_bulletin"])
def test_a_phone_downloads_under_400_kb(browser, request, sample):
    page = request.getfixturevalue(sample)
    loaded = [Path(unquote(urlsplit(url).path)) for url in browser.loaded(page, 390)]
    assert all(path.is_relative_to(page.parent) for path in loaded)  # nothing from elsewhere
    assert any(path.suffix == ".woff2" for path in loaded)  # the theme's own faces
    pictures = [path for path in loaded if path.parent.name == "images"]
    assert pictures and all(int(path.stem.split("-")[-2]) <= 640 for path in pictures)  # narrow
    total = sum(path.stat().st_size for path in loaded)
    assert total < PHONE_BUDGET, f"{total} bytes: " + ", ".join(p.name for p in loaded)
