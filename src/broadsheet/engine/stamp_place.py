"""The place on page 1 that the theme keeps for a subscriber's stamp, written into the PDF.

When `mail.personalise` is set, the masthead holds an empty element marked
`data-stamp`, which the theme's stylesheets size and place like any other
(see styles/base/20-front.css). Only the laid-out document knows where it
ended up, so the finisher looks it up here and records it on page 1 as
private application data (`/PieceInfo`, the place PDF 32000 gives a
program's own facts about a page): its rectangle in PDF points, the type
size, colour, font (families, weight, style), direction and alignment.
`broadsheet mail` reads it back (mail/stamp_place.py) and draws each
subscriber's line there, so the issue is laid out once and the theme,
not the mail code, decides where and in what face the line goes.
"""

from __future__ import annotations

import pydyf

PIXELS_TO_POINTS = 0.75  # CSS px -> PDF points, as WeasyPrint draws them
OWNER = "Broadsheet"  # the /PieceInfo entry's name
MARK = "data-stamp"


def record_stamp_place(document, pdf: pydyf.PDF) -> bool:
    """Record the `data-stamp` element of page 1, when there is one; says whether there was."""
    if not document.pages or not pdf.page_references:
        return False
    page = document.pages[0]
    box = next(
        (
            b
            for b in page._page_box.descendants()
            if getattr(b, "element", None) is not None and b.element.get(MARK) is not None
        ),
        None,
    )
    if box is None:
        return False
    style = box.style
    left = box.content_box_x() * PIXELS_TO_POINTS
    top = (page.height - box.content_box_y()) * PIXELS_TO_POINTS
    width, height = box.width * PIXELS_TO_POINTS, box.height * PIXELS_TO_POINTS
    color = style["color"].to("srgb").coordinates
    place = pydyf.Dictionary(
        {
            "Rect": pydyf.Array([_round(v) for v in (left, top - height, left + width, top)]),
            "Size": _round(style["font_size"] * PIXELS_TO_POINTS),
            "Color": pydyf.Array([_round(c) for c in color]),
            "Families": pydyf.Array([pydyf.String(name) for name in style["font_family"]]),
            "Weight": int(style["font_weight"]) if str(style["font_weight"]).isdigit() else 400,
            "Style": "/" + ("italic" if style["font_style"] in ("italic", "oblique") else "normal"),
            "Direction": "/" + style["direction"],
            "Align": "/" + str(style["text_align_all"]),
        }
    )
    modified = pdf.info.get("ModDate") or pdf.info.get("CreationDate") or pydyf.String("D:20000101")
    page_dict = pdf.objects[int(pdf.page_references[0].split()[0])]
    page_dict["LastModified"] = modified
    page_dict["PieceInfo"] = pydyf.Dictionary(
        {
            OWNER: pydyf.Dictionary(
                {"LastModified": modified, "Private": pydyf.Dictionary({"Stamp": place})}
            )
        }
    )
    return True


def _round(value: float) -> float:
    """Two decimals: enough for a printed place, and the same text every build."""
    return round(float(value), 2)
