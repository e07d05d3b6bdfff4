"""The newsletter email held to the issue and its PDF, before it is sent.

The email is a teaser of the PDF it comes with: it names every story and
box in the order the PDF prints them, the page each starts on and, with
`mail.web_base`, links each to its place in the web edition. Its record is
therefore the source's stories (expected(), for their titles, languages
and lines in the YAML) in the order of the PDF's bookmarks, each with the
page its named destination is on (the anchor the PDF gives the story's
`id`, read apart from the bookmark's own page, which the email is made
from) and the address `<web_base>/<slug>/index.html#<id>`: the web
edition's `<article id>`, which web parity holds to the same `id`.

Both parts of the message, the HTML and the plain text, are read back
(email_reader.py) and compared with it; the bodies, which the email leaves
to the PDF and the web edition, are not.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from broadsheet import labels
from broadsheet.content.model import Issue
from broadsheet.content.slugs import web_address
from broadsheet.editions.email_reader import read_email
from broadsheet.editions.parity import compare
from broadsheet.editions.record import Record, Story, expected, plain
from broadsheet.errors import Diagnostic
from broadsheet.pdf.bookmarks import bookmarks


def expected_email(issue: Issue, pdf: bytes) -> Record:
    """The record the email of `issue` must match, `pdf` being the issue's PDF."""
    source = expected(issue)
    ids = [item.id for item in (*issue.articles, *issue.boxes)]
    marks = bookmarks(pdf, ids)
    by_title = dict(zip((story.title for story in source.stories), ids, strict=True))
    stories = {story.title: story for story in source.stories}
    printed = [plain(mark.title) for mark in marks.outline if mark.level == 1]
    order = [title for title in dict.fromkeys(printed) if title in stories]
    order += [title for title in stories if title not in order]  # missing from the PDF too
    base = issue.mail.web_base
    page_url = web_address(base, issue.slug) if base else None
    return replace(
        source,
        edition="email",
        stories=tuple(
            _mailed(stories[title], by_title[title], marks.anchors, page_url) for title in order
        ),
    )


def _mailed(story: Story, story_id: str, pages: dict[str, int], page_url: str | None) -> Story:
    """A story as the email shows it: no body, a page and an address."""
    page = pages.get(story_id)
    return Story(
        story.title,
        lang=story.lang,
        span=story.span,
        anchor=f"{page_url}#{quote(story_id)}" if page_url else "",
        page=page + 1 if page is not None else None,
    )


def email_mismatches(issue: Issue, pdf: bytes, message: bytes) -> list[Diagnostic]:
    """The mismatches of a composed message (both parts) with the issue and its PDF."""
    wanted = expected_email(issue, pdf)
    html, text = read_email(message, labels.cover_note_words(issue.lang)["page"])
    return [*compare(wanted, html, issue.span), *compare(wanted, text, issue.span)]
