"""The plain-text edition (html/text.py): every sample readable in 72
columns, every story in order, every link a numbered reference, and each
kind of Markdown block written as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadsheet.content.check import check
from broadsheet.html.text import WIDTH, text_edition

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(
    path.relative_to(REPO / "issues").with_suffix("").as_posix()
    for path in (REPO / "issues").rglob("*.yaml")
    if path.name != "newsletter.yaml"
)
REFERENCE = re.compile(r"^\[(\d+)\] (\S+)$")


def sample(slug: str):
    return check(REPO / "issues" / f"{slug}.yaml", REPO)


@pytest.mark.parametrize("slug", SAMPLES)
def test_every_sample_fits_72_columns_with_every_story_in_order(slug):
    issue = sample(slug)
    text = text_edition(issue)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert all(line == line.rstrip() for line in lines)
    at = 0
    for item in (*issue.articles, *issue.boxes):
        first_words = item.title.split()[0]
        at = 1 + next(
            n
            for n in range(at, len(lines) - 1)
            if _underlined(lines, n) and first_words in lines[n]
        )
    assert text.endswith("\n") and not text.endswith("\n\n")


def _underlined(lines: list[str], n: int) -> bool:
    below = lines[n + 1]
    return bool(below) and set(below) == {"="} and len(below) < WIDTH


@pytest.mark.parametrize("slug", SAMPLES)
def test_every_link_of_every_sample_is_a_numbered_reference(slug):
    issue = sample(slug)
    text = text_edition(issue)
    listed = {m.group(2) for line in text.splitlines() if (m := REFERENCE.match(line))}
    for article in issue.articles:
        if article.link:
            assert article.link in listed
        for url in re.findall(r"\]\((https?://[^)\s]+)\)", article.body.text):
            assert url in listed


def test_the_same_input_gives_the_same_text():
    assert text_edition(sample("2026-10")) == text_edition(sample("2026-10"))


def test_persian_stays_in_logical_order_and_wraps_by_characters():
    text = text_edition(sample("fa/2026-12"))
    assert "شب یلدا در کتابخانهٔ اشکام\n" in text  # as stored: no reordering, no marks
    assert "\u202a" not in text and "\u202b" not in text and "\u200f" not in text
    assert "[تصویر: " in text  # the picture described in Persian
    assert "۱. شب یلدا" in text  # the contents in Persian digits
    body_lines = [line for line in text.splitlines() if line and line[0] not in "=[-"]
    # Wrapped by characters, not bytes: a Persian line is filled far beyond 36
    # characters (72 bytes of two-byte letters).
    assert max(len(line) for line in body_lines) > 60
    assert max(len(line) for line in body_lines) <= WIDTH


def test_french_keeps_its_no_break_spaces_and_words():
    text = text_edition(sample("fr/2026-12"))
    assert "«\u00a0Une nuit froide et claire vaut tous les télescopes du monde.\u00a0»" in text
    assert "Lire la suite\u00a0: [1]" in text
    assert "[Image: Des centaines de galaxies sur fond noir - Le champ profond" in text
    for line in text.splitlines():  # a line never starts with a closing guillemet or a colon
        assert not line.startswith(("»", ":", ";", "!", "?"))


BODY = """\
Read the [report](https://example.org/report) and the
[minutes](https://example.org/minutes), and the [report](https://example.org/report) again;
a [local file](javascript:alert(1)) is not a link.

## What we found

1. The dome turns.
2. The shutter:
   - leaks;
   - sticks.

> Quoted from the surveyor, at some length so that the quotation wraps onto a
> second line of the text.

| Item | Cost |
| --- | ---: |
| Rail | £17,400 |
| Shutter | £19,800 |

A claim with a note.[^1]

---

    code stays as it is

![A dome at night](images/coffee.png)

[^1]: The note, with [its source](https://example.org/source).
"""


@pytest.fixture
def rich(project):
    project.photo()
    body = "\n".join(" " * 14 + line if line else "" for line in BODY.splitlines())
    path = project.write(
        "issues/rich.yaml",
        f"""\
        name: The Test Gazette
        issue:
          number: 1
          date: 2026-01-31
        articles:
          - title: A story of every kind
            subtitle: Tables, lists, quotes and notes
            author: A. Writer
            pullquote: The dome turns.
            link: https://example.org/story
            body: |
{body}
        boxes:
          - title: Notices
            body: See [the board](https://example.org/board).
        """,
    )
    return check(path, project.root)


def test_a_story_with_every_kind_of_block(rich):
    text = text_edition(rich)
    story = text.split("A story of every kind\n=====================\n", 1)[1]
    assert "Read the report [1] and the minutes [2], and the report [1] again;" in story
    assert "local file is not a link." in story  # javascript: is no link
    assert "What we found\n-------------\n" in story
    assert "1. The dome turns.\n2. The shutter:\n   - leaks;\n   - sticks.\n" in story
    quote = [line for line in story.splitlines() if line.startswith("> ")]
    assert len(quote) == 2 and all(len(line) <= WIDTH for line in quote)
    assert "Item    | Cost\n--------+--------\nRail    | £17,400\nShutter | £19,800" in story
    assert "A claim with a note.(1)" in story
    assert "(1) The note, with its source [3]." in story
    assert "\n* * *\n" in story and "\n    code stays as it is\n" in story
    assert "[Picture: A dome at night]" in story
    assert "    “The dome turns.”" in story
    assert "Read more: [4]" in story
    references = story.split("Read more: [4]\n\n", 1)[1].split("\n\n", 1)[0]
    assert references.splitlines() == [
        "[1] https://example.org/report",
        "[2] https://example.org/minutes",
        "[3] https://example.org/source",
        "[4] https://example.org/story",
    ]
    assert text.rstrip().endswith("See the board [1].\n\n[1] https://example.org/board")


def test_a_table_too_wide_for_the_line_gives_each_rows_cells_in_order(project):
    wide = "| " + " | ".join(f"Heading {n}" for n in range(8)) + " |\n"
    wide += "|" + " --- |" * 8 + "\n| " + " | ".join(f"cell {n}" for n in range(8)) + " |"
    body = "\n".join(" " * 14 + line for line in wide.splitlines())
    path = project.write(
        "issues/wide.yaml",
        f"""\
        name: The Test Gazette
        issue:
          number: 1
          date: 2026-01-31
        articles:
          - title: Wide
            body: |
{body}
        """,
    )
    text = text_edition(check(path, project.root))
    assert "Heading 0: cell 0\nHeading 1: cell 1\n" in text
    assert max(len(line) for line in text.splitlines()) <= WIDTH


def test_a_long_address_stays_whole(project):
    url = "https://example.org/" + "a-very-long-path/" * 6
    path = project.write(
        "issues/long.yaml",
        f"""\
        name: The Test Gazette
        issue:
          number: 1
          date: 2026-01-31
        articles:
          - title: Long
            link: {url}
            body: Text.
        """,
    )
    assert f"\n[1] {url}\n" in text_edition(check(path, project.root))
