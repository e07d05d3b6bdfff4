"""The PDF read back (with pdf/reading.py): what parity can find in it.

The outline gives the stories' titles in order (one bookmark per story and
box, as verify checks), the link annotations the addresses, the catalog's
/Lang the language, and the structure tree's figures their alt texts. A
link annotation belongs to a page, which two stories may share, so the
PDF's links and alt texts are the whole document's: parity checks that
each story's are somewhere in it. A story's own language is not read back.
"""

from __future__ import annotations

from collections.abc import Sequence

from broadsheet.editions.record import Record, Story, plain
from broadsheet.pdf import reading

EDITION = "pdf"


def read_pdf(pdf: bytes) -> Record:
    document = reading.reader(pdf)
    return record_of(reading.outline(document), reading.links(document), reading.tagging(document))


def record_of(
    outline: Sequence[reading.Outline], links: Sequence[reading.Link], tagging: reading.Tagging
) -> Record:
    """The record of a PDF read already (a build's verify stage reads it once
    for its own checks and for this)."""
    titles = [entry.title for entry in outline if entry.level == 1]
    links = [link.uri.strip() for link in links if link.uri]
    return Record(
        EDITION,
        tuple(Story(plain(title)) for title in titles),
        tagging.lang,  # "" when the PDF names none: a mismatch
        tuple(dict.fromkeys(links)),
        tuple(plain(alt) for alt in tagging.alts if alt) if tagging.tagged else None,
    )
