"""Each edition compared with the source: the findings, one per mismatch.

Stories are matched by title. A story missing from an edition, or one the
issue does not have, or stories in another order, is an error at the
story's line; so is a heading, a picture's alt text or a link that one has
and the other has not, a language or a direction the edition marks
otherwise, an address that is not the story's (`#id`), and a page that is
not the one it is printed on. Each message names the edition and the story:

    issues/2026-10.yaml:97:5: error: the web edition lacks the link
    https://lanternhill.example/news/235 of 'Halley, the observatory cat, turns ten'

Order. With `order: flexible`, the layout may print a brief elsewhere to
fill a page (Issue.printed_in). The PDF is compared with the source in the
order it was printed, the text and web editions (which have no pages to
fill) with the articles' order as written; every edition is thus held to
the source it was made from, and none fails for the other's order.

An edition's picture description may say more than the alt text (the text
edition adds the caption): an alt text is found when a description starts
with it.
"""

from __future__ import annotations

from dataclasses import replace

from broadsheet.editions.record import Record, Story
from broadsheet.errors import Diagnostic, error
from broadsheet.source import Span

# How a message names an edition that is not called "the ... edition".
NAMES = {"email": "the email", "email-text": "the email's plain-text part"}


def called(edition: str) -> str:
    """The words a message names an edition by: 'the web edition', 'the email'."""
    return NAMES.get(edition, f"the {edition} edition")


def compare(source: Record, edition: Record, issue: Span | None) -> list[Diagnostic]:
    """The mismatches of `edition` with `source` (expected()); `issue` is
    where a finding that belongs to no story is reported."""
    name = called(edition.edition)
    findings = []
    wrong_lang = edition.lang is not None and edition.lang.lower() != (source.lang or "").lower()
    if wrong_lang:
        said = repr(edition.lang) if edition.lang else "no language"
        findings.append(error(issue, f"{name} is marked {said}; the issue is {source.lang!r}"))
    if edition.dir is not None and source.dir is not None and edition.dir != source.dir:
        message = f"{name} sets its text {edition.dir}; {source.lang!r} is written {source.dir}"
        findings.append(error(issue, message))
    found = {story.title: story for story in edition.stories}
    wanted = {story.title: story for story in source.stories}
    for story in source.stories:
        if story.title not in found:
            findings.append(error(story.span, f"{name} lacks the story {story.title!r}"))
    for story in edition.stories:
        if story.title not in wanted:
            findings.append(error(issue, f"{name} has a story {story.title!r} the issue has not"))
    findings += _order(source, edition, name)
    for story in source.stories:
        if story.title in found:
            shown = found[story.title]
            if wrong_lang and shown.lang == edition.lang:  # said once, for the whole edition
                shown = replace(shown, lang=None)
            findings += _story(story, shown, name)
            findings += _whole(story, edition, name)
    return findings


def _order(source: Record, edition: Record, name: str) -> list[Diagnostic]:
    """The first story out of place, when both have the same stories in another order."""
    shown = [story.title for story in edition.stories]
    ours = [story for story in source.stories if story.title in shown]
    theirs = [title for title in shown if title in {story.title for story in ours}]
    for place, (story, title) in enumerate(zip(ours, theirs, strict=True), 1):
        if story.title != title:
            message = f"{name} has {title!r} as story {place}, where the issue has {story.title!r}"
            return [error(story.span, message)]
    return []


def _story(source: Story, edition: Story, name: str) -> list[Diagnostic]:
    title = repr(source.title)
    findings = []

    def mismatch(message: str) -> None:
        findings.append(error(source.span, f"{name} {message}"))

    if edition.headings is not None and source.headings is not None:
        for heading, missing in _differences(source.headings, edition.headings):
            if missing:
                mismatch(f"lacks the heading {heading!r} of {title}")
            else:
                mismatch(f"has a heading {heading!r} in {title} that the issue has not")
        if not findings and list(edition.headings) != list(source.headings):
            mismatch(f"has the headings of {title} in another order")
    if edition.alts is not None:
        for alt in _missing_alts(source, edition.alts):
            mismatch(f"lacks the alt text {alt!r} of a picture in {title}")
    if edition.links is not None and source.links is not None:
        for link, missing in _differences(source.links, edition.links):
            if missing:
                mismatch(f"lacks the link {link} of {title}")
            else:
                mismatch(f"has a link to {link} in {title} that the issue has not")
    if edition.lang is not None and edition.lang.lower() != (source.lang or "").lower():
        mismatch(f"marks {title} as {edition.lang!r}; the issue has {source.lang!r}")
    if None not in (edition.anchor, source.anchor) and edition.anchor != source.anchor:
        found, wanted = edition.anchor or "no address", source.anchor or "no address"
        mismatch(f"has {title} at {found}, not at {wanted}")
    if edition.page is not None and source.page is not None and edition.page != source.page:
        printed = f"the pdf edition prints it on page {source.page}"
        if edition.page:
            mismatch(f"puts {title} on page {edition.page}; {printed}")
        else:
            mismatch(f"names no page for {title}; {printed}")
    return findings


def _whole(source: Story, edition: Record, name: str) -> list[Diagnostic]:
    """For an edition whose links and alt texts are the whole document's (the PDF)."""
    findings = []
    if edition.links is not None:
        for link in source.links or ():
            if link not in edition.links:
                message = f"{name} lacks the link {link} of {source.title!r}"
                findings.append(error(source.span, message))
    if edition.alts is not None:
        for alt in _missing_alts(source, edition.alts):
            message = f"{name} lacks the alt text {alt!r} of a picture in {source.title!r}"
            findings.append(error(source.span, message))
    return findings


def _missing_alts(source: Story, described: tuple[str, ...]) -> list[str]:
    return [alt for alt in source.alts or () if not any(d.startswith(alt) for d in described)]


def _differences(source, edition):
    """What the edition lacks of the source's items (True), then what it has
    that the source has not (False), each in its own order."""
    yield from ((item, True) for item in source if item not in edition)
    yield from ((item, False) for item in edition if item not in source)
