"""What a finished PDF prints where, read with PDFium: the pictures with the
resolution they are printed at, and the text under a link.

pypdf reads a PDF's objects; it does not follow the drawing operations that
place a picture on the page, and so cannot say how large it is printed. A
renderer can: PDFium (the engine of Chromium's PDF viewer) reports each
picture's pixels and effective resolution, and the text inside a rectangle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c


@dataclass(frozen=True)
class PlacedImage:
    page: int  # 0-based
    pixels: tuple[int, int]
    dpi: float  # the coarser of the two directions, where it is printed
    size_mm: tuple[float, float]  # as printed
    bytes: int  # as stored in the PDF
    encoding: str  # JPEG, Flate...


def placed_images(pdf: bytes) -> list[PlacedImage]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for index in range(len(document)):
            page = document[index]
            for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=8):
                metadata = image.get_metadata()
                left, bottom, right, top = image.get_bounds()
                filters = image.get_filters()
                found.append(
                    PlacedImage(
                        page=index,
                        pixels=(metadata.width, metadata.height),
                        dpi=round(min(metadata.horizontal_dpi, metadata.vertical_dpi), 1),
                        size_mm=(
                            round((right - left) / 72 * 25.4, 1),
                            round((top - bottom) / 72 * 25.4, 1),
                        ),
                        bytes=len(image.get_data(decode_simple=False)),
                        encoding=_ENCODINGS.get(filters[-1], filters[-1]) if filters else "raw",
                    )
                )
        return found
    finally:
        document.close()


_ENCODINGS = {"DCTDecode": "JPEG", "FlateDecode": "Flate", "JPXDecode": "JPEG 2000"}


def text_in(
    pdf: bytes, boxes: Iterable[tuple[int, tuple[float, float, float, float]]]
) -> list[str]:
    """The text inside each (page, rectangle), rectangles in PDF points."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        pages: dict[int, object] = {}
        for index, (left, bottom, right, top) in boxes:
            if index not in pages:
                pages[index] = document[index].get_textpage()
            texts.append(pages[index].get_text_bounded(left, bottom, right, top))
        return texts
    finally:
        document.close()
