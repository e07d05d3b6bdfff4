"""What the newsletter email's templates are given: the masthead, the issue
line, the contents teaser, the contact details, the links and the colours.

Worked out once per run from the issue and its PDF; the templates
(layout/mail/cover.html.j2 and cover.txt.j2) only lay it out, so the HTML
part and the plain-text part cannot disagree about a story, its page or its
link.
"""

from __future__ import annotations

from broadsheet import labels
from broadsheet.content.model import Issue
from broadsheet.mail import teaser
from broadsheet.mail.palette import palette_for
from broadsheet.pdf.bookmarks import Bookmarks
from broadsheet.pdf.sizes import human


def cover_context(issue: Issue, marks: Bookmarks, title: str, pdf: bytes, pdf_name: str) -> dict:
    """The templates' context, all but the subscriber and their unsubscribe link."""
    words = labels.labels_for(issue.lang, issue.labels)
    digits = labels.digits_for(issue.lang, issue.digits)
    month = labels.month_year(issue.date, issue.lang)
    return {
        "name": issue.name,
        "tagline": issue.tagline,
        "number": issue.number,
        "volume": issue.volume,
        "date": month,
        "title": title,
        "issue_line": _issue_line(issue, words, digits, month),
        "lang": issue.lang,
        "dir": "rtl" if labels.right_to_left(issue.lang) else "ltr",
        "words": labels.cover_note_words(issue.lang),
        "labels": words,
        "contents_title": issue.toc_title or words["toc_title"],
        "contents": teaser.contents(issue, marks),
        "contact": issue.contact,
        "attach": issue.mail.attach,
        "web_edition": teaser.web_edition(issue),
        "pdf_link": None if issue.mail.attach else teaser.hosted_pdf(issue),
        "pdf_size": human(len(pdf)),
        "pdf_name": pdf_name,
        "colours": palette_for(issue.theme),
    }


def _issue_line(issue: Issue, words: dict[str, str], digits: str, month: str) -> str:
    """ "Vol. 3 · No. 17 · October 2026", with the special edition's title
    after it, in the issue's digits, as the masthead prints it."""
    parts = [f"{words['number']} {issue.number}"]
    if issue.volume:
        parts.insert(0, f"{words['volume']} {issue.volume}")
    parts.append(month)
    line = labels.localise_digits(" · ".join(parts), digits)
    return f"{line} · {issue.title}" if issue.title else line
