"""The newsletter email read back: its HTML part and its plain-text part.

The email is a teaser, not the issue: it carries each story's title, the
page it starts on and, with `mail.web_base`, a link to the story in the web
edition, but no bodies. So each part is read into a record of just those
(headings, alt texts and body links None: not compared), by the shape the
cover-note templates keep, whatever a project's own templates add:

    HTML part (layout/mail/cover.html.j2)
      <html lang dir>              the issue's language and direction
      <h3>                         one per story of the contents, in order: its title
        <a href>                   its link into the web edition, when there is one
      "page 3"                     after its <h3>, before the next: the `page` words
                                   of the cover note, in the issue's digits

    plain-text part (layout/mail/cover.txt.j2)
      "  Title ... page 3"         one line per story, indented two spaces,
                                   ending in the `page` words
      "    https://...#id"         its link, a bare address indented four, among
                                   the lines indented four that follow (the deck)

A story's language in the HTML is the nearest `lang` around its `<h3>`; a
plain-text part says nothing of its language.
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from bs4 import BeautifulSoup, NavigableString, Tag

from broadsheet.editions.record import Record, Story, plain

EDITION = "email"  # the HTML part
TEXT = "email-text"  # the plain-text part


def read_email(message: bytes, page_words: str) -> tuple[Record, Record]:
    """The records of a message's HTML part and plain-text part. `page_words`
    is the cover note's pattern for a page, `page {page}` in English."""
    parsed = BytesParser(policy=policy.default).parsebytes(message)
    assert isinstance(parsed, EmailMessage)
    pattern = _page_pattern(page_words)
    return _read_html(_part(parsed, "html"), pattern), _read_text(_part(parsed, "plain"), pattern)


def _part(message: EmailMessage, subtype: str) -> str:
    """A part's text, or "" when the message has none (then it shows no story)."""
    body = message.get_body((subtype,))
    return body.get_content().replace("\r\n", "\n") if body is not None else ""


def _page_pattern(page_words: str) -> re.Pattern[str]:
    """`page {page}` as a pattern that finds the number, in any decimal digits."""
    before, _, after = plain(page_words).partition("{page}")
    return re.compile(rf"{re.escape(before)}(?P<page>\d+){re.escape(after)}")


def _page(found: re.Match[str] | None) -> int:
    return int(found.group("page")) if found else 0  # int() reads ۳ and ٣ as 3


def _read_html(page: str, pattern: re.Pattern[str]) -> Record:
    soup = BeautifulSoup(page, "html.parser")
    document = soup.find("html")
    lang = document.get("lang") if isinstance(document, Tag) else None
    direction = document.get("dir") if isinstance(document, Tag) else None
    stories: list[Story] = []
    heading: Tag | None = None
    page_number = 0
    for node in soup.descendants:
        if isinstance(node, Tag) and node.name == "h3":
            if heading is not None:
                stories.append(_html_story(heading, page_number))
            heading, page_number = node, 0
        elif (
            isinstance(node, NavigableString)
            and heading is not None
            and not page_number
            and heading not in node.parents
        ):
            page_number = _page(pattern.fullmatch(plain(str(node))))
    if heading is not None:
        stories.append(_html_story(heading, page_number))
    return Record(
        EDITION, tuple(stories), str(lang) if lang else "", dir=str(direction or "ltr").lower()
    )


def _html_story(heading: Tag, page: int) -> Story:
    link = heading.find("a", href=True)
    marked = heading.find_parent(lang=True) if heading.get("lang") is None else heading
    lang = marked.get("lang") if marked is not None else None
    return Story(
        plain(heading.get_text()),
        lang=str(lang) if lang else None,
        anchor=str(link["href"]).strip() if isinstance(link, Tag) else "",
        page=page,
    )


def _read_text(text: str, pattern: re.Pattern[str]) -> Record:
    line_of = re.compile(rf"(?P<title>.*\S)\s+{pattern.pattern}")
    stories: list[Story] = []
    current = False  # whether the lines indented four are the last story's
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        entry = line_of.fullmatch(plain(line)) if indent == 2 else None
        if entry:
            stories.append(Story(entry.group("title"), anchor="", page=_page(entry)))
            current = True
        elif indent == 4 and current and _is_address(line.strip()):
            story = stories[-1]
            stories[-1] = Story(story.title, anchor=line.strip(), page=story.page)
        elif indent != 4 and line.strip():
            current = False  # a line no story's: what follows is not the last story's
    return Record(TEXT, tuple(stories))


def _is_address(text: str) -> bool:
    """A line that is one web address, as the contents print a story's link."""
    return " " not in text and re.match(r"https?://", text) is not None
