"""Pictures that ask the viewer to smooth them, which PDF/A forbids.

A picture with `/Interpolate true` (`/I true` in an inline image) asks the
viewer to smooth it when it is enlarged. How it then looks depends on the
viewer, so PDF/A, which wants a file to look the same in every viewer in
fifty years, forbids the key's being true (ISO 19005-2 and -3, clause 6.2.8;
veraPDF rule 6.2.8-3; ISO 19005-1 6.2.4 for PDF/A-1). This finds every one
in a file opened with pikepdf: image XObjects and their soft masks, wherever
they hang, and inline images in page contents, form XObjects, tiling
patterns and Type 3 glyphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pikepdf

# An inline image starts with the operator BI: looked for in the decoded
# content before the stream is parsed, since broadsheet's engine writes none.
INLINE_IMAGE = re.compile(rb"(?:^|[\s\]>)])BI[\s/]")
# `/Name Do` paints the XObject the resources call Name.
PAINTED = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*Do(?![^\s/\[\]<>(){}%])")


@dataclass(frozen=True)
class Smoothed:
    """One picture with `/Interpolate true`: where it is, in words, and its page."""

    where: str  # "image XObject 12 0", "inline image"...
    page: int | None  # 0-based, when a page draws it


def smoothed_pictures(document: pikepdf.Pdf) -> tuple[Smoothed, ...]:
    """Every picture in `document` whose `/Interpolate` (or `/I`) is true."""
    contents = [_content(page.obj.get("/Contents")) for page in document.pages]
    streams = [item for item in document.objects if isinstance(item, pikepdf.Stream)]
    drawn = _drawn(document, contents)
    masks = {
        item.SMask.objgen for item in streams if isinstance(item.get("/SMask"), pikepdf.Stream)
    }
    found = []
    for item in streams:
        objgen = item.objgen
        named = f"{objgen[0]} {objgen[1]}"
        if item.get("/Subtype") == "/Image":
            if item.get("/Interpolate") is True:
                kind = "soft mask" if objgen in masks else "image XObject"
                found.append(Smoothed(f"{kind} {named}", drawn.pages.get(objgen)))
        elif (_draws(item) or objgen in drawn.glyphs) and _inline_smoothed(item, _content(item)):
            found.append(Smoothed(f"inline image in object {named}", drawn.pages.get(objgen)))
    for number, page in enumerate(document.pages):
        if _inline_smoothed(page, contents[number]):
            found.append(Smoothed("inline image in the page's content", number))
    return tuple(found)


@dataclass
class _Drawn:
    pages: dict[tuple[int, int], int]  # an XObject -> the first page that paints it
    glyphs: set[tuple[int, int]]  # the glyph procedures of Type 3 fonts: content streams too


def _drawn(document: pikepdf.Pdf, contents: list[bytes]) -> _Drawn:
    """Which page first paints each XObject (through forms, and with its soft
    mask), and the Type 3 glyphs any resources offer. A page's resources do
    not say which page a picture is on: WeasyPrint gives every page the same
    ones, so the page is the one whose content paints the picture's name."""
    drawn = _Drawn({}, set())
    for number, page in enumerate(document.pages):
        drawing = [(page.obj.get("/Resources"), contents[number])]
        while drawing:
            resources, content = drawing.pop()
            if not isinstance(resources, pikepdf.Dictionary):
                continue
            drawn.glyphs |= _type3_glyphs(resources.get("/Font"))
            xobjects = resources.get("/XObject")
            if not isinstance(xobjects, pikepdf.Dictionary):
                continue
            for name in dict.fromkeys(PAINTED.findall(content)):
                xobject = xobjects.get("/" + name.decode("latin-1"))
                if not isinstance(xobject, pikepdf.Stream) or xobject.objgen in drawn.pages:
                    continue
                drawn.pages[xobject.objgen] = number
                mask = xobject.get("/SMask")
                if isinstance(mask, pikepdf.Stream):
                    drawn.pages.setdefault(mask.objgen, number)
                if xobject.get("/Subtype") == "/Form":
                    drawing.append((xobject.get("/Resources"), _content(xobject)))
    return drawn


def _type3_glyphs(fonts) -> set[tuple[int, int]]:
    if not isinstance(fonts, pikepdf.Dictionary):
        return set()
    glyphs = set()
    for font in fonts.values():
        procedures = font.get("/CharProcs") if isinstance(font, pikepdf.Dictionary) else None
        if isinstance(procedures, pikepdf.Dictionary):
            glyphs |= {p.objgen for p in procedures.values() if isinstance(p, pikepdf.Stream)}
    return glyphs


def _content(contents) -> bytes:
    """A content stream's decoded bytes, a page's parts joined; nothing when
    it cannot be decoded (qpdf's structure check reports that)."""
    parts = contents if isinstance(contents, pikepdf.Array) else [contents]
    try:
        return b"\n".join(part.read_bytes() for part in parts if isinstance(part, pikepdf.Stream))
    except pikepdf.PdfError:
        return b""


def _draws(stream: pikepdf.Stream) -> bool:
    """A content stream that is not a page's: a form or a tiling pattern."""
    return stream.get("/Subtype") == "/Form" or stream.get("/PatternType") == 1


def _inline_smoothed(content: pikepdf.Stream | pikepdf.Page, data: bytes) -> bool:
    """Whether a content stream (`data` decoded) draws an inline image with
    `/I true`; parsed only when the operator BI occurs in it at all."""
    if not INLINE_IMAGE.search(data):
        return False
    try:
        instructions = pikepdf.parse_content_stream(content)
    except pikepdf.PdfError:
        return False  # a stream that cannot be parsed is qpdf's finding, not this one
    return any(
        isinstance(instruction, pikepdf.ContentStreamInlineImage)
        and instruction.iimage.obj.get("/Interpolate") is True
        for instruction in instructions
    )
