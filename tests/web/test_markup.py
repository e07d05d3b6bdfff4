"""The web page's markup: the contract other editions are checked against
(one <article id> per story in the issue's order, its title the only <h2>),
landmarks, headings in order, language and direction, pictures with alt
text and two widths, contents that reach their targets, no script."""

from __future__ import annotations

import itertools
import re

import pytest
from bs4 import BeautifulSoup

from broadsheet.content.check import check
from conftest import REPO

LANDMARKS = ("header", "nav", "main", "article", "aside", "footer")


def soup(page) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(params=["october", "october_modern", "persian"])
def page(request):
    return request.getfixturevalue(request.param)


def test_every_landmark_is_there(page):
    html = soup(page)
    for name in LANDMARKS:
        assert html.find(name) is not None, name
    assert html.body.find("header", recursive=False) is not None  # the banner
    assert html.body.find("footer", recursive=False) is not None  # the page's footer


def test_headings_never_skip_a_level(page):
    levels = [int(h.name[1]) for h in soup(page).find_all(re.compile("^h[1-6]$"))]
    assert levels[0] == 1 and levels.count(1) == 1
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not skips


def test_each_story_is_one_article_in_the_issue_order(page):
    issue = check(_issue_file(page), REPO)
    articles = soup(page).find_all("article")
    assert [a["id"] for a in articles] == [story.id for story in issue.articles]
    for article in articles:
        assert len(article.find_all("h2")) == 1
        assert not article.find("h1")
    boxes = soup(page).find_all("aside")
    assert [b["id"] for b in boxes] == [box.id for box in issue.boxes]
    assert all(box.find("h2") for box in boxes)


def test_every_contents_entry_reaches_its_target(page):
    html = soup(page)
    targets = [a["href"][1:] for a in html.select("nav a[href^='#']")]
    assert targets
    assert all(html.find(id=target) for target in targets)


def test_every_picture_has_alt_text_and_a_srcset(page):
    pictures = soup(page).find_all("img")
    assert pictures
    for img in pictures:
        assert img.get("alt"), img
        assert img.get("srcset") and img.get("sizes"), img
        for candidate in img["srcset"].split(", "):
            name = candidate.split(" ")[0]
            assert (page.parent / name).is_file(), name


def test_a_large_photo_comes_in_two_widths(october):
    hubble = soup(october).find("img", src=re.compile("hubble"))
    widths = [int(c.split(" ")[1][:-1]) for c in hubble["srcset"].split(", ")]
    assert widths == sorted(widths) and len(widths) == 2 and widths[0] == 640


def test_no_script_at_all(page):
    html = soup(page)
    assert not html.find("script")
    handlers = [a for tag in html.find_all(True) for a in tag.attrs if a.startswith("on")]
    assert not handlers


def test_language_and_direction(october, persian):
    assert soup(october).html.attrs["lang"] == "en"
    assert soup(october).html.attrs["dir"] == "ltr"
    assert soup(persian).html.attrs["lang"] == "fa"
    assert soup(persian).html.attrs["dir"] == "rtl"


def test_the_fonts_and_pictures_are_the_sites_own(page):
    css = (page.parent / "screen.css").read_text(encoding="utf-8")
    urls = re.findall(r'url\("([^"]+)"\)', css)
    assert any(url.endswith(".woff2") for url in urls)
    assert all((page.parent / url).is_file() for url in urls)
    assert "@font-face" in css
    assert not [url for url in urls if url.startswith(("../", "/")) or ":" in url]


def _issue_file(page):
    """issues/fa/2026-12.yaml for build/site/fa/2026-12/index.html."""
    parts = page.parent.parts
    slug = "/".join(parts[len(parts) - parts[::-1].index("site") :])
    return REPO / "issues" / f"{slug}.yaml"
