"""The stamp's place on page 1, read back from the built PDF.

The build records it (engine/stamp_place.py) as page 1's private data,
`/PieceInfo /Broadsheet /Private /Stamp`; this reads it, so that mail never
guesses at a layout: the theme's stylesheets decided where the line goes,
how large and in which face.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True)
class Place:
    left: float  # PDF points, from the page's origin
    bottom: float
    right: float
    top: float
    size: float  # the type size, in points
    color: tuple[float, float, float]  # RGB, 0 to 1
    families: tuple[str, ...]  # the CSS font families, in order
    weight: int
    italic: bool
    right_to_left: bool
    align: str  # start, end, center, left, right

    @property
    def width(self) -> float:
        return self.right - self.left


def read_place(pdf: pikepdf.Pdf) -> Place | None:
    """Page 1's stamp place, or None when the PDF was built without one."""
    try:
        stamp = pdf.pages[0].obj["/PieceInfo"]["/Broadsheet"]["/Private"]["/Stamp"]
    except (KeyError, IndexError):
        return None
    left, bottom, right, top = (float(v) for v in stamp["/Rect"])
    return Place(
        left=left,
        bottom=bottom,
        right=right,
        top=top,
        size=float(stamp["/Size"]),
        color=tuple(float(v) for v in stamp["/Color"]),
        families=tuple(str(name) for name in stamp["/Families"]),
        weight=int(stamp["/Weight"]),
        italic=str(stamp["/Style"]) == "/italic",
        right_to_left=str(stamp["/Direction"]) == "/rtl",
        align=str(stamp["/Align"]).lstrip("/"),
    )
