"""A built PDF's title, bookmarks and named destinations, read with PDFium.

What the newsletter email needs from the PDF: the issue's title, every
story's bookmark (its title and page, in the order printed) and the page
each story's anchor lands on. pypdf (reading.py) parses a whole object
stream before it returns any object in it, which takes a quarter of a
second for a four-page issue's tagged PDF; PDFium finds the same in a few
milliseconds, so mailing an issue costs no more than composing its email.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c

from broadsheet.pdf.reading import Outline


@dataclass(frozen=True)
class Bookmarks:
    title: str | None  # the document's /Title
    outline: tuple[Outline, ...]  # pages 0-based, levels from 1, as reading.outline gives them
    anchors: dict[str, int]  # each name asked for -> the 0-based page its destination is on


def bookmarks(pdf: bytes, names: list[str]) -> Bookmarks:
    """The title, the outline, and the pages of the named destinations `names`
    (a name the PDF does not hold is left out)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        title = document.get_metadata_dict().get("Title") or None
        outline = tuple(
            Outline(item.get_title(), _page(item.get_dest()), item.level + 1)
            for item in document.get_toc()
        )
        anchors = {}
        for name in names:
            dest = pdfium_c.FPDF_GetNamedDestByName(document, name.encode("utf-8"))
            page = pdfium_c.FPDFDest_GetDestPageIndex(document, dest) if dest else -1
            if page >= 0:
                anchors[name] = page
    finally:
        document.close()
    return Bookmarks(title, outline, anchors)


def _page(dest) -> int:
    return dest.get_index() if dest is not None and dest.get_index() is not None else -1
