"""A two-page PDF made by hand with pikepdf, without any broadsheet code.

`broadsheet inspect` claims to work on any PDF, not only the ones its engine
writes; its checks are proven here on a file the engine did not write, with
three faults planted where we know them:

- the font (Helvetica) is not embedded: a bare /Type1 dictionary;
- the picture is 72 × 72 pixels printed one inch wide on page 1: 72 dpi;
- the contents line on page 1, "Second story . . . . 3", links to a named
  destination on page 2, so its printed number is wrong.

Everything else an inspection checks is put right (tags, /Lang, the title
shown in the window, a PDF/UA-1 claim), so those three are the only findings.
`printed=2` makes the contents line right, to show that check can pass.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

TITLE = "The Hand-made Gazette"
PAGE = (0, 0, 612, 792)  # US Letter, in points
CONTENTS_LINE = (72, 700, 12)  # x, y of the baseline, size: where "Second story . . . . N" is
IMAGE_AT = (72, 560)  # lower left corner of the one-inch picture, page 1
PIXELS = 72

XMP = b"""<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def write(path: Path, printed: int = 3) -> Path:
    """Write the hand-made PDF to `path`; `printed` is the page number the
    contents line shows (3 is wrong, 2 is right)."""
    pdf = pikepdf.new()
    helvetica = pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Name.WinAnsiEncoding,
        )
    )
    grey = bytes((x * 3 + y) % 256 for y in range(PIXELS) for x in range(PIXELS))
    image = pikepdf.Stream(pdf, zlib.compress(grey))
    image.stream_dict = Dictionary(
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=PIXELS,
        Height=PIXELS,
        ColorSpace=Name.DeviceGray,
        BitsPerComponent=8,
        Filter=Name.FlateDecode,
    )
    x, y, size = CONTENTS_LINE
    left, bottom = IMAGE_AT
    first = (
        f"BT /F1 18 Tf 72 740 Td ({TITLE}) Tj ET\n"
        f"BT /F1 {size} Tf {x} {y} Td (Second story . . . . {printed}) Tj ET\n"
        f"q 72 0 0 72 {left} {bottom} cm /Im1 Do Q\n"
    )
    second = "BT /F1 18 Tf 72 740 Td (Second story) Tj ET\nBT /F1 12 Tf 72 710 Td (Text.) Tj ET\n"
    pages = []
    for text, xobjects in ((first, {"/Im1": image}), (second, {})):
        resources = Dictionary(Font=Dictionary(F1=helvetica))
        if xobjects:
            resources.XObject = Dictionary(xobjects)
        page = pikepdf.Page(
            Dictionary(
                Type=Name.Page,
                MediaBox=Array(PAGE),
                Resources=resources,
                Contents=pikepdf.Stream(pdf, text.encode("ascii")),
            )
        )
        pdf.pages.append(page)
        pages.append(pdf.pages[-1])
    # The link covers the whole contents line and goes to a named destination.
    link = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([x - 2, y - 4, x + 200, y + size]),
            Border=Array([0, 0, 0]),
            A=Dictionary(S=Name.GoTo, D=String("second-story")),
        )
    )
    pages[0].obj.Annots = Array([link])
    pdf.Root.Names = Dictionary(
        Dests=Dictionary(
            Names=Array([String("second-story"), Array([pages[1].obj, Name.XYZ, 72, 760, 0])])
        )
    )
    # What the other checks want, so that only the three planted faults are found.
    pdf.docinfo[Name.Title] = String(TITLE)
    pdf.Root.Lang = String("en")
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        Dictionary(
            Type=Name.StructTreeRoot,
            K=Dictionary(
                Type=Name.StructElem,
                S=Name.Document,
                K=Array([Dictionary(S=Name.Figure, Alt=String("A grey square"), K=0)]),
            ),
        )
    )
    metadata = pikepdf.Stream(pdf, XMP)
    metadata.Type = Name.Metadata
    metadata.Subtype = Name.XML
    pdf.Root.Metadata = pdf.make_indirect(metadata)
    pdf.save(path)
    return path
