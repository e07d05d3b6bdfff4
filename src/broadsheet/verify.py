"""Stage 6, verify: read the finished PDF back and check what the reader relies on.

Every item of the contents must have its destination on the page where its
heading is printed and an outline entry there; every internal link must land
on a destination that exists; every live link must use a live scheme. Findings
are diagnostics pointing at the YAML of the item concerned.
"""

from __future__ import annotations

from broadsheet import pdfread
from broadsheet.errors import Diagnostic, error
from broadsheet.markdown import LIVE_SCHEMES, scheme_of
from broadsheet.model import Issue


def verify(pdf: bytes, issue: Issue) -> list[Diagnostic]:
    doc = pdfread.reader(pdf)
    dests = pdfread.destinations(doc)
    items = (*issue.articles, *issue.boxes)
    bookmarks = [entry for entry in pdfread.outline(doc) if entry.level == 1]
    findings = []
    if len(bookmarks) != len(items):
        findings.append(error(issue.span, f"{len(items)} headings but {len(bookmarks)} bookmarks"))
    for item, bookmark in zip(items, bookmarks, strict=False):
        if item.id not in dests:
            findings.append(
                error(item.span, f"{item.title!r}: no destination {item.id!r} in the PDF")
            )
        elif bookmark.page != dests[item.id]:
            findings.append(
                error(
                    item.span,
                    f"{item.title!r}: its bookmark is not on page "
                    f"{dests[item.id] + 1}, where it is printed",
                )
            )
    for article in issue.articles:
        if article.jump_after and article.continued_id not in dests:
            findings.append(error(article.span, f"{article.title!r}: its continuation is missing"))
    for link in pdfread.links(doc):
        if link.dest is not None and link.dest not in dests:
            findings.append(error(None, f"page {link.page + 1}: link to missing #{link.dest}"))
        if link.uri is not None and scheme_of(link.uri) not in LIVE_SCHEMES:
            findings.append(error(None, f"page {link.page + 1}: live link to {link.uri!r}"))
    return findings
