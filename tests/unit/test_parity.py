"""Parity (editions/): each edition read back and compared with the issue.

The readers run on real output (the text edition of every sample, a built
PDF) and on hand-written HTML in the web edition's markup contract; each
deliberately broken edition (a dropped link, a story out of order, a
missing alt text, a wrong language) gives an error naming the story, at
its line in the YAML, and the edition.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet.content.check import check
from broadsheet.editions.parity import compare
from broadsheet.editions.record import expected
from broadsheet.editions.text_reader import read_text
from broadsheet.editions.web_reader import read_web
from broadsheet.html.text import text_edition

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(
    path.relative_to(REPO / "issues").with_suffix("").as_posix()
    for path in (REPO / "issues").rglob("*.yaml")
    if path.name != "newsletter.yaml"
)


def sample(slug: str):
    return check(REPO / "issues" / f"{slug}.yaml", REPO)


def messages(findings) -> list[str]:
    return [str(finding) for finding in findings]


@pytest.mark.parametrize("slug", SAMPLES)
def test_the_text_edition_of_every_sample_agrees_with_it(slug):
    issue = sample(slug)
    record = read_text(text_edition(issue))
    source = expected(issue)
    assert [story.title for story in record.stories] == [story.title for story in source.stories]
    assert sum(len(story.links) for story in record.stories) >= len(issue.articles)
    assert compare(source, record, issue.span) == []


def test_a_text_edition_without_a_link_names_the_link_and_the_story():
    issue = sample("2026-10")
    text = text_edition(issue).replace("[2] https://lanternhill.example/news/233\n", "")
    (finding,) = messages(compare(expected(issue), read_text(text), issue.span))
    bubble = issue.articles[2]
    assert finding == (
        f"{bubble.span}: error: the text edition lacks the link"
        f" https://lanternhill.example/news/233 of 'The Bubble takes the sky to school'"
    )
    assert finding.startswith("issues/2026-10.yaml:") or "2026-10.yaml:" in finding


def test_a_text_edition_with_two_stories_swapped_names_the_first_out_of_place():
    issue = sample("2026-10")
    first, second, third, *rest = issue.articles
    swapped = replace(issue, articles=(first, third, second, *rest))
    text = text_edition(swapped)
    findings = messages(compare(expected(issue), read_text(text), issue.span))
    assert findings == [
        f"{issue.articles[1].span}: error: the text edition has 'The Bubble takes the sky"
        " to school' as story 2, where the issue has 'Five years of the Eyepiece Café'"
    ]


# The web edition, hand-written in the shape its markup contract gives.
WEB = """\
<!doctype html>
<html lang="en" dir="ltr">
<head><title>The Test Gazette</title></head>
<body>
<nav><a href="#story">Story</a> <a href="#second">Second</a></nav>
<main>
<article id="story">
  <h2>Story</h2>
  <img src="coffee-640.jpg" srcset="coffee-640.jpg 640w" alt="A cup of coffee">
  <p>Read <a href="https://example.org/report">the report</a>.</p>
  <h3>Where to go</h3>
  <p>More text.</p>
</article>
<article id="second" lang="fr">
  <h2>Second</h2>
  <p>Texte. <a href="https://example.org/more">Lire la suite</a></p>
</article>
</main>
<aside id="notices">
  <h2>Notices</h2>
  <p>See <a href="https://example.org/board">the board</a>.</p>
</aside>
</body>
</html>
"""


@pytest.fixture
def small(project):
    project.photo()
    path = project.write(
        "issues/small.yaml",
        """\
        name: The Test Gazette
        issue:
          number: 1
          date: 2026-01-31
        articles:
          - title: Story
            image: {src: images/coffee.png, alt: A cup of coffee}
            body: |
              Read [the report](https://example.org/report).

              ## Where to go

              More text.
          - title: Second
            lang: fr
            link: https://example.org/more
            body: Texte.
        boxes:
          - title: Notices
            body: See [the board](https://example.org/board).
        """,
    )
    return check(path, project.root)


def test_a_text_edition_without_a_heading_or_a_picture_is_caught(small):
    issue = small
    text = text_edition(issue)
    assert compare(expected(issue), read_text(text), issue.span) == []
    broken = text.replace("Where to go\n-----------\n", "Where to go\n").replace("[Picture: ", "(")
    assert [f.message for f in compare(expected(issue), read_text(broken), issue.span)] == [
        "the text edition lacks the heading 'Where to go' of 'Story'",
        "the text edition lacks the alt text 'A cup of coffee' of a picture in 'Story'",
    ]


def test_the_web_reader_reads_the_markup_contract(small):
    record = read_web(WEB)
    assert record.lang == "en"
    story, second, notices = record.stories
    assert (story.title, story.headings, story.alts) == (
        "Story",
        ("Where to go",),
        ("A cup of coffee",),
    )
    assert story.links == ("https://example.org/report",)
    assert (second.lang, second.links) == ("fr", ("https://example.org/more",))
    assert notices.title == "Notices" and notices.links == ("https://example.org/board",)
    assert compare(expected(small), record, small.span) == []


@pytest.mark.parametrize(
    ("broken", "message", "story"),
    [
        (
            ('<a href="https://example.org/more">Lire la suite</a>', "Lire la suite"),
            "the web edition lacks the link https://example.org/more of 'Second'",
            1,
        ),
        (
            ('alt="A cup of coffee"', 'alt=""'),
            "the web edition lacks the alt text 'A cup of coffee' of a picture in 'Story'",
            0,
        ),
        (
            ('<article id="second" lang="fr">', '<article id="second" lang="de">'),
            "the web edition marks 'Second' as 'de'; the issue has 'fr'",
            1,
        ),
        (
            ("<h3>Where to go</h3>", "<h3>Where to come</h3>"),
            "the web edition lacks the heading 'Where to go' of 'Story'",
            0,
        ),
        (
            ('<article id="story">', '<article id="storey">'),
            "the web edition has 'Story' at #storey, not at #story",
            0,
        ),
    ],
)
def test_a_broken_web_edition_names_the_story_and_the_edition(small, broken, message, story):
    findings = compare(expected(small), read_web(WEB.replace(*broken)), small.span)
    assert message in [f.message for f in findings]
    located = next(f for f in findings if f.message == message)
    assert located.span == small.articles[story].span


def test_a_web_edition_in_another_order_or_language(small):
    first = WEB[WEB.index('<article id="story">') : WEB.index('<article id="second"')]
    moved = (
        WEB.replace(first, "")
        .replace("</main>", first + "</main>")
        .replace('lang="en"', 'lang="fa"')
    )
    assert messages(compare(expected(small), read_web(moved), small.span)) == [
        f"{small.span}: error: the web edition is marked 'fa'; the issue is 'en'",
        f"{small.articles[0].span}: error: the web edition has 'Second' as story 1,"
        " where the issue has 'Story'",
    ]


def test_a_web_edition_set_in_the_other_direction(small):
    turned = WEB.replace('dir="ltr"', 'dir="rtl"')
    assert messages(compare(expected(small), read_web(turned), small.span)) == [
        f"{small.span}: error: the web edition sets its text rtl; 'en' is written ltr"
    ]
