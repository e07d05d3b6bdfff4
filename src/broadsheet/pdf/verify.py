"""Stage 6, verify: read the finished PDF back and check what the reader relies on.

Every item of the contents must have its destination on the page where its
heading is printed and an outline entry there; every live link must use a
live scheme; every `<a href>` of the HTML the PDF was typeset from must have
its link annotation (linktargets.py: the engine leaves some out). Then the
checks `broadsheet inspect` makes too (compliance.py): a structure qpdf
finds clean, strict reading, embedded fonts, contents and jump-line numbers
equal to the pages they lead to, links that resolve and a structure tree
with no link that has nothing to click, tags, the standard the profile
claims, pictures within its resolutions, and the size budget. An error
means broadsheet made a faulty PDF, and nothing is written; a warning (a
soft picture, a file over budget) is the editor's call.
"""

from __future__ import annotations

from collections import Counter

from broadsheet.content.bodies import LIVE_SCHEMES, scheme_of
from broadsheet.content.model import Issue
from broadsheet.content.validate import NO_ALT
from broadsheet.errors import Diagnostic, error, warning
from broadsheet.pdf import compliance
from broadsheet.pdf.linktargets import Target, Unlinked, unlinked
from broadsheet.pdf.sizes import human, largest_parts
from broadsheet.profiles import EMAIL, Profile


def verify(
    pdf: bytes,
    issue: Issue,
    profile: Profile = EMAIL,
    wanted: Counter[Target] | None = None,
    facts: compliance.Facts | None = None,
) -> list[Diagnostic]:
    """The findings on `pdf`; `wanted`, when
    given, is what the HTML it was typeset from links to
    (linktargets.html_targets), each of which must have its annotation;
    `facts`, the PDF read already (compliance.read), when the caller needs
    them too."""
    # The PDF read once, for these checks and the profile's.
    facts = facts or compliance.read(pdf)
    dests = facts.destinations
    items = (*issue.articles, *issue.boxes)
    bookmarks = [entry for entry in facts.outline if entry.level == 1]
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
    for link in facts.links:
        if link.uri is not None and scheme_of(link.uri) not in LIVE_SCHEMES:
            findings.append(error(None, f"page {link.page + 1}: live link to {link.uri!r}"))
        elif link.file is not None:
            findings.append(error(None, f"page {link.page + 1}: live link to file {link.file!r}"))
    if wanted is not None:
        findings += [_dead(missing) for missing in unlinked(wanted, facts.links)]
    named_alt = any(note.code == NO_ALT for note in issue.notes)
    budget = issue.size_budget_mb if profile.budgeted else None
    for finding in compliance.findings(facts, profile, budget):
        if finding.code == "size":
            findings.append(_over_budget(pdf, issue))
        elif finding.code == "alt" and named_alt:
            continue  # validation named each such picture at its YAML line
        else:
            where = f"page {finding.page}: " if finding.page else ""
            made = error if finding.severity == "error" else warning
            findings.append(made(None, f"{profile.name} profile: {where}{finding.message}"))
    return findings


def _dead(missing: Unlinked) -> Diagnostic:
    """An error for a link of the HTML that the engine wrote no annotation for."""
    target = repr(str(missing.target))
    if missing.in_pdf == 0:
        said = f"the link to {target} has no link annotation in the PDF: it is printed,"
    else:
        said = (
            f"{missing.in_html} links of the HTML lead to {target}, but only"
            f" {missing.in_pdf} link annotation{'s' * (missing.in_pdf != 1)} of the PDF:"
            " one is printed,"
        )
    return error(
        None,
        f"{said} but there is nothing to click (WeasyPrint writes no annotation for an"
        " <a> that is itself a flex or grid item: put it inside a <span> or <div>)",
    )


def _over_budget(pdf: bytes, issue: Issue) -> Diagnostic:
    """A warning naming the largest parts when the PDF is too big to email."""
    parts = ", ".join(f"{part.what} ({human(part.size)})" for part in largest_parts(pdf))
    message = (
        f"the PDF is {human(len(pdf))}, over its {issue.size_budget_mb:g} MB budget"
        f" (size_budget_mb); the largest parts: {parts}"
    )
    return warning(issue.size_budget_span or issue.span, message)
