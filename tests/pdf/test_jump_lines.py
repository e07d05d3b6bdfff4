"""Jump lines: "Continued on page N" and "Continued from page M" are right and clickable."""

from __future__ import annotations

import re

from pdfcheck import Built

PARAGRAPH = "A sentence of the kind a long front-page story is made of, told at length. " * 9


def jumped_issue() -> str:
    lead = "\n\n".join([PARAGRAPH] * 8)
    other = "\n\n".join([PARAGRAPH] * 6)
    lines = [
        "name: The Test Gazette",
        "issue: {number: 5, date: 2026-05-01}",
        "articles:",
        "  - title: The big story",
        "    jump_after: 2",
        "    link: https://gazette.example/big",
        "    body: |",
        *[f"      {line}" for line in lead.splitlines()],
    ]
    for n in range(1, 4):
        lines += [f"  - title: Inside story {n}", "    body: |"]
        lines += [f"      {line}" for line in other.splitlines()]
    return "\n".join(lines) + "\n"


def page_with(built: Built, pattern: str) -> tuple[int, int]:
    """The page (0-based) holding `pattern`'s text, and the number printed after it."""
    for index, text in enumerate(built.texts):
        match = re.search(pattern + r"\s*(\d+)", " ".join(text.split()))
        if match:
            return index, int(match.group(1))
    raise AssertionError(f"{pattern!r} is printed nowhere")


def test_jump_numbers_are_the_pages_of_the_other_part_and_link_there(project):
    project.write("issues/jump.yaml", jumped_issue())
    run = project.run("build", "issues/jump.yaml")
    assert run.code == 0, run.stderr
    built = Built.open(project.root / "build" / "jump.pdf")
    dests = built.destinations()
    front_page, on_page = page_with(built, "Continued on page")
    back_page, from_page = page_with(built, "Continued from page")
    assert front_page == dests["the-big-story"] == 0
    assert on_page == dests["the-big-story-continued"] + 1 == back_page + 1
    assert from_page == front_page + 1
    assert back_page > front_page
    assert "the-big-story-continued" in built.internal_links(front_page)
    assert "the-big-story" in built.internal_links(back_page)
    # The continuation is not a second bookmark, and the read-more line ends it.
    assert [title for title, _ in built.outline()].count("The big story") == 1
    assert "gazette.example/big" in " ".join(built.texts[back_page:])
    assert "gazette.example/big" not in built.texts[front_page]
