"""Pages of a built PDF as small greyscale pictures: the form the visual tests compare.

40 dpi is enough to see the layout (where every block, rule and photo sits)
while keeping a page under 160,000 pixels, so rendering and comparing a whole
issue takes a fraction of a second and the committed references stay small.
Greyscale, because the layout is what is under test, not the colours.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

DPI = 40
POINTS_PER_INCH = 72


def render_page(page: pdfium.PdfPage) -> Image.Image:
    """One page, copied out of PDFium's buffer so it outlives the document."""
    return page.render(scale=DPI / POINTS_PER_INCH, grayscale=True).to_pil().copy()


def render_pages(pdf: Path) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [render_page(page) for page in document]
    finally:
        document.close()


def page_count(pdf: Path) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def to_pixels(points: float) -> int:
    """A length on the page, in pixels of the rendered picture."""
    return round(points * DPI / POINTS_PER_INCH)
