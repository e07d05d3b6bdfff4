"""What a finished PDF prints where, read with PDFium: the pictures with the
resolution they are printed at, and the number at the end of a link.

pypdf reads a PDF's objects; it does not follow the drawing operations that
place a picture on the page, and so cannot say how large it is printed. A
renderer can: PDFium (the engine of Chromium's PDF viewer) reports each
picture's pixels and effective resolution, and where each character is drawn.
"""

from __future__ import annotations

import ctypes
import re
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


@dataclass(frozen=True)
class EdgeNumber:
    number: int | None  # the digits printed nearest the given side, read as a number
    text: str  # all the text inside the rectangle, for messages


def numbers_at_edge(
    pdf: bytes, boxes: Iterable[tuple[int, tuple[float, float, float, float], str]]
) -> list[EdgeNumber]:
    """Per (page, rectangle, side): the run of digits printed nearest that side
    ("right" or "left") of the rectangle, by where its glyphs are drawn.

    A contents entry's page number sits at the end of its line: on the right
    in a left-to-right issue, on the left in a right-to-left one. Reading it
    by position, not from extracted text, gives the right number whatever
    order a text extractor puts a mixed-direction line in, and when the
    title is itself a number ("2026").
    """
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        pages: dict[int, tuple[object, list[_Digit]]] = {}
        for index, rect, side in boxes:
            if index not in pages:
                textpage = document[index].get_textpage()
                pages[index] = (textpage, _digits(textpage))
            textpage, digits = pages[index]
            found.append(_edge_number(textpage, digits, rect, side))
        return found
    finally:
        document.close()


@dataclass(frozen=True)
class _Digit:
    x: float  # centre of its ink
    y: float
    # Where its advance starts and ends: digits of one number touch there,
    # however narrow the ink of a "1" is.
    left: float
    right: float
    char: str


def _digits(textpage) -> list[_Digit]:
    """Every decimal digit drawn on the page, with where it is drawn."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    indices = range(count) if len(text) != count else None  # surrogates: one by one
    found = []
    for i in indices or (i for i, c in enumerate(text) if c.isdecimal()):
        char = text[i] if indices is None else textpage.get_text_range(i, 1)
        if not char.isdecimal():
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        start, _, end, _ = textpage.get_charbox(i, loose=True)
        found.append(_Digit((left + right) / 2, (bottom + top) / 2, start, end, char))
    return found


def _edge_number(
    textpage, digits: list[_Digit], rect: tuple[float, float, float, float], side: str
) -> EdgeNumber:
    left, bottom, right, top = rect
    inside = [d for d in digits if left <= d.x <= right and bottom <= d.y <= top]
    text = " ".join(textpage.get_text_bounded(left, bottom, right, top).split())
    if not inside:
        return EdgeNumber(None, text)
    # Lines top down; the entry's number is on its last line.
    last_line = min(d.y for d in inside)
    row = sorted((d for d in inside if abs(d.y - last_line) < 2), key=lambda d: d.x)
    runs: list[list[_Digit]] = [[row[0]]]
    for digit in row[1:]:
        previous = runs[-1][-1]
        advance = max(previous.right - previous.left, digit.right - digit.left)
        if abs(digit.left - previous.right) <= advance / 2:  # letter-spacing, not a space
            runs[-1].append(digit)
        else:
            runs.append([digit])
    run = runs[-1] if side == "right" else runs[0]
    return EdgeNumber(int("".join(d.char for d in run)), text)


def marked_words(pdf: bytes, marked: Iterable[tuple[int | None, tuple[int, ...]]]) -> list[str]:
    """Per (page, marked content ids): the words drawn in that marked content.

    A structure element names its words only by marked content id (MCID);
    the text itself is in the page's drawing operations, which PDFium reads.
    Used to say which words of a page are a link with nothing to click."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for index, mcids in marked:
            if index is None or not mcids or not 0 <= index < len(document):
                found.append("")
                continue
            page = document[index]
            textpage = page.get_textpage()
            parts = [
                _text_of(obj, textpage)
                for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,), max_depth=8)
                if pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw) in mcids
            ]
            found.append(" ".join("".join(parts).split()))
        return found
    finally:
        document.close()


def _text_of(text_object, textpage) -> str:
    """The characters of one text object, as PDFium decodes them (UTF-16)."""
    size = pdfium_c.FPDFTextObj_GetText(text_object.raw, textpage.raw, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pointer = ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))
    pdfium_c.FPDFTextObj_GetText(text_object.raw, textpage.raw, pointer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", "replace")


# What a reader takes for an address when it is printed: a web address with
# its scheme or starting "www.", or an email address. (A bare host name like
# "example.org" is left out: too like a file name or an abbreviation.)
ADDRESS = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'“”‘’()]+[^\s<>\"'“”‘’().,;:!?]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
)


@dataclass(frozen=True)
class PrintedAddress:
    page: int  # 0-based
    text: str


def unlinked_addresses(
    pdf: bytes, links: Iterable[tuple[int, tuple[float, float, float, float]]]
) -> list[PrintedAddress]:
    """Addresses printed on a page where no link annotation covers them.

    `links` are (0-based page, rectangle) of the PDF's link annotations. An
    address counts as covered when the middle of its middle character lies
    in one (with a point to spare): a link broken over two lines is still
    one link."""
    rects: dict[int, list[tuple[float, float, float, float]]] = {}
    for page, rect in links:
        rects.setdefault(page, []).append(rect)
    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count)
            if len(text) != count:  # surrogate pairs: positions no longer line up
                continue
            for match in ADDRESS.finditer(text):
                middle = (match.start() + match.end() - 1) // 2
                left, bottom, right, top = textpage.get_charbox(middle)
                x, y = (left + right) / 2, (bottom + top) / 2
                if not any(
                    r[0] - 1 <= x <= r[2] + 1 and r[1] - 1 <= y <= r[3] + 1
                    for r in rects.get(index, ())
                ):
                    found.append(PrintedAddress(index, match.group()))
        return found
    finally:
        document.close()
