"""QR codes that carry a story's link onto paper.

A printed page cannot be clicked, so the print profile sets a QR code beside
each story's "Read more" line: a phone's camera then opens the address the
reader would otherwise type. The code is inline SVG, drawn by the engine as
vector shapes: nothing is fetched or written, it is sharp at any press
resolution, and the same address gives the same bytes on every build.
"""

from __future__ import annotations

import segno
from markupsafe import Markup

# Modules of white around the symbol: the standard's quiet zone, without
# which a camera cannot tell the code's edge from the text beside it.
QUIET_ZONE = 4


def link_code(address: str, alt_text: str) -> Markup:
    """`address` as an inline SVG QR code whose <title> (the PDF's /Alt for
    the figure) is `alt_text`.

    Its size comes from the stylesheet (svg.link-code): the SVG has a view
    box and no width. The error correction is segno's: the lowest level,
    raised as far as the same symbol size allows, so a short address gets
    the most redundancy for no extra ink. The quiet zone is painted white, so
    the code scans on a tinted panel too.
    """
    code = segno.make_qr(address)
    svg = code.svg_inline(
        border=QUIET_ZONE,
        omitsize=True,
        title=alt_text,
        dark="#000",
        light="#fff",
        svgclass="link-code",
        lineclass=None,
    )
    return Markup(svg)
