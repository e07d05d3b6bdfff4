"""Personalised copies: each subscriber's line stamped on page 1 of the one built PDF.

`mail.personalise` is a template such as "Prepared for {name} · member
{member}", with any column of the subscriber list. The issue is laid out
once; every copy is that PDF with one more content stream on page 1, drawn
in the place the theme keeps for it (mail/stamp_place.py) in the theme's
faces (mail/stamp_font.py), shaped as the engine shapes text
(mail/stamp_text.py).

Everything that can be refused is refused before the first message: a
column the list lacks (at the template in the YAML), a character no face of
the place has, a line wider than its place (at the subscriber's row).

Speed comes from doing the PDF work once. `Stamper` writes, once, the PDF
with the stamp's font and a content stream of a fixed length (Flate's
stored blocks: uncompressed, so any drawing of the room's size has the same
length) holding only spaces; a copy is that file with the subscriber's drawing
written over the spaces, padded to the same length. No offset moves, so
the cross-reference table stays true and a copy costs a few string joins.
No text of the list ever reaches PDF syntax: a line is drawn as glyph
numbers in hex, so parentheses, backslashes or `)Tj` in a name are only
glyphs; its text reaches the file only through the font's ToUnicode map,
also in hex.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass

import pikepdf

from broadsheet.content.model import Issue
from broadsheet.errors import ContentError, error
from broadsheet.mail.stamp_font import Coverage, StampFont
from broadsheet.mail.stamp_place import Place, read_place
from broadsheet.mail.stamp_text import Glyph, faces_of, shape
from broadsheet.mail.subscribers import LineSpan, Subscriber
from broadsheet.theme import Theme

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
COLUMN = re.compile(r"[a-z0-9_][a-z0-9_ -]*")
STREAM_BYTES = 4096  # room for a line of about 300 glyphs, more than a page-wide place holds
MARKER = b"%broadsheet-stamp"
FONT_NAME = "BroadsheetStamp"


@dataclass(frozen=True)
class Line:
    subscriber: Subscriber
    text: str
    glyphs: tuple[Glyph, ...]
    width: float  # points


def columns_in(template: str, issue: Issue) -> list[str]:
    """The columns `template` names, lower case as the list's header is read;
    a brace that is no `{column}` is an error at the template."""
    where = issue.mail.personalise_span or issue.mail.span or issue.span
    names = PLACEHOLDER.findall(template)
    rest = PLACEHOLDER.sub("", template)
    bad = [n for n in names if not COLUMN.fullmatch(n.strip().lower())]
    if "{" in rest or "}" in rest or bad:
        raise ContentError(
            [
                error(
                    where,
                    f"mail.personalise: write a column of the list in braces, like {{name}};"
                    f" got {template!r}",
                )
            ]
        )
    return [n.strip().lower() for n in names]


def fill(template: str, subscriber: Subscriber) -> str:
    return PLACEHOLDER.sub(
        lambda m: subscriber.fields.get(m.group(1).strip().lower(), ""), template
    )


class Stamper:
    """Every copy of one run: built once, then `copy(subscriber)` per message."""

    def __init__(self, issue: Issue, pdf: bytes, subscribers: list[Subscriber], csv_path):
        template = issue.mail.personalise or ""
        where = issue.mail.personalise_span or issue.mail.span or issue.span
        wanted = columns_in(template, issue)
        header = subscribers[0].fields.keys() if subscribers else ()
        missing = [c for c in wanted if c not in header]
        if missing:
            raise ContentError(
                [
                    error(
                        where,
                        f"mail.personalise names the column {missing[0]!r}, which {csv_path.name}"
                        f" does not have (its columns: {', '.join(header)})",
                    )
                ]
            )
        document = pikepdf.Pdf.open(io.BytesIO(pdf))
        place = read_place(document)
        if place is None:
            raise ContentError(
                [error(where, "the PDF keeps no place for mail.personalise; rebuild the issue")]
            )
        texts = {s.key: fill(template, s) for s in subscribers}
        coverage = Coverage(
            Theme(issue.theme, issue.root), place.families, place.weight, place.italic
        )
        problems = []
        for subscriber in subscribers:
            missing = coverage.missing(texts[subscriber.key])
            if missing:
                problems.append(
                    error(
                        LineSpan(csv_path, subscriber.line, 0),
                        f"the stamp {texts[subscriber.key]!r}: no font of its place"
                        f" ({', '.join(place.families)}) has {missing[0]!r}",
                    )
                )
        if problems:
            raise ContentError(problems)
        faces = {key: faces_of(text, coverage) for key, text in texts.items()}
        drawn: dict[int, set[str]] = {}
        for key, text in texts.items():
            for character, face in zip(text, faces[key], strict=True):
                drawn.setdefault(face, set()).add(character)
        fonts = {
            face: StampFont(coverage.faces[face], "".join(sorted(characters)))
            for face, characters in sorted(drawn.items())
        }
        self.place, self.fonts = place, fonts
        self.drawings = {}
        for subscriber in subscribers:
            text = texts[subscriber.key]
            glyphs = tuple(shape(text, place.right_to_left, faces[subscriber.key], fonts))
            width = sum(g.advance / fonts[g.font].units for g in glyphs) * place.size
            if width > place.width + 0.01:
                problems.append(
                    error(
                        LineSpan(csv_path, subscriber.line, 0),
                        f"the stamp {text!r} is {width:.1f} pt wide; its place"
                        f" on page 1 holds {place.width:.1f} pt at {place.size:g} pt",
                    )
                )
                continue
            self.drawings[subscriber.key] = Line(subscriber, text, glyphs, width)
        if problems:
            raise ContentError(problems)
        self._prefix, self._suffix, restore = _with_room(document, fonts, self.drawings.values())
        # Each line drawn now, while the rows can still be refused; a copy only joins bytes.
        self.streams = {
            key: restore + _drawing(line, place, fonts) for key, line in self.drawings.items()
        }
        for key, stream in self.streams.items():
            if len(stream) > STREAM_BYTES:
                row = self.drawings[key].subscriber.line
                problems.append(
                    error(LineSpan(csv_path, row, 0), "the stamp is too long to draw; shorten it")
                )
        if problems:
            raise ContentError(problems)

    def copy(self, subscriber: Subscriber) -> bytes:
        """The subscriber's copy: the same bytes every time."""
        stream = self.streams[subscriber.key]
        return b"".join((self._prefix, _stored(stream), self._suffix))


def _drawing(line: Line, place: Place, fonts: dict[int, StampFont]) -> bytes:
    """The content stream of one line: an artifact (a mark on this copy, not
    part of the issue's text, as a page number is), in the place's colour,
    on the place's baseline, aligned as the place says; one `TJ` for each
    stretch of one font."""
    align = {"start": "right" if place.right_to_left else "left"}.get(place.align, place.align)
    if align == "end":
        align = "left" if place.right_to_left else "right"
    x = {
        "right": place.right - line.width,
        "center": place.left + (place.width - line.width) / 2,
    }.get(align, place.left)
    # The baseline that centres the first face's ascent and descent in the place.
    first = fonts[min(fonts)]
    middle = (place.top + place.bottom) / 2
    y = middle - (first.ascent + first.descent) / 2 * place.size / first.units
    shows, parts, current = [], [], None
    for glyph in line.glyphs:
        font = fonts[glyph.font]
        if glyph.font != current:
            if parts:
                shows.append(f"[{' '.join(parts)}] TJ")
            shows.append(f"/{FONT_NAME}{glyph.font} {place.size:g} Tf")
            parts, current = [], glyph.font
        natural = font.widths.get(glyph.gid, 0)
        if glyph.x_offset:
            parts.append(f"{-glyph.x_offset * 1000 / font.units:.2f}")
        parts.append(f"<{glyph.gid:04x}>")
        shift = glyph.advance - natural - glyph.x_offset
        if shift:
            parts.append(f"{-shift * 1000 / font.units:.2f}")
    if parts:
        shows.append(f"[{' '.join(parts)}] TJ")
    red, green, blue = place.color
    return (
        f"/Artifact BMC q {red:.3f} {green:.3f} {blue:.3f} rg BT {x:.2f} {y:.2f} Td"
        f" {' '.join(shows)} ET Q EMC\n"
    ).encode("ascii")


def _with_room(
    document: pikepdf.Pdf, fonts: dict[int, StampFont], lines
) -> tuple[bytes, bytes, bytes]:
    """The PDF with the stamp's font and an empty content stream on page 1,
    written once; returns the bytes before and after that stream's data,
    and what the stream must begin with to draw in the page's own space.

    A page's content streams run as one, so the engine's flip of the page
    (`1 0 0 -1 0 H cm`, outside any `q`) would still hold in the stamp's
    stream. The page's drawing is therefore wrapped: a stream of one `q`
    goes first, and the stamp's stream starts by closing it and any `q` the
    page's own drawing left open."""
    page = document.pages[0]
    open_states = sum(
        {"q": 1, "Q": -1}.get(str(operator), 0)
        for _, operator in pikepdf.parse_content_stream(page)
    )
    restore = MARKER + b"\n" + b"Q " * (max(open_states, 0) + 1) + b"\n"
    empty = _stored(MARKER)
    room = pikepdf.Stream(document, empty)
    room.stream_dict["/Filter"] = pikepdf.Name.FlateDecode
    contents = page.obj.get("/Contents")
    kept = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    save = document.make_indirect(pikepdf.Stream(document, b"q\n"))
    page.obj["/Contents"] = pikepdf.Array([save, *kept, document.make_indirect(room)])
    resources = pikepdf.Dictionary(page.obj.get("/Resources", pikepdf.Dictionary()))
    named = pikepdf.Dictionary(resources.get("/Font", pikepdf.Dictionary()))
    for face, font in fonts.items():
        used = [g for line in lines for g in line.glyphs if g.font == face]
        named[f"/{FONT_NAME}{face}"] = _type0(document, font, used)
    resources["/Font"] = named
    page.obj["/Resources"] = resources
    out = io.BytesIO()
    document.save(
        out,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        deterministic_id=True,
    )
    data = out.getvalue()
    start = data.index(empty)
    assert data.count(empty) == 1, "the stamp's room appears once"
    return data[:start], data[start + len(empty) :], restore


def _stored(drawing: bytes) -> bytes:
    """`drawing` padded to the room's size, as a Flate stream of stored
    (uncompressed) blocks: the same length whatever it holds, and a filtered
    stream, which qpdf writes as it is while it compresses the rest."""
    return zlib.compress(drawing.ljust(STREAM_BYTES, b" "), 0)


def _type0(document: pikepdf.Pdf, font: StampFont, glyphs: list[Glyph]) -> pikepdf.Object:
    """The font as a composite font (Identity-H: two bytes a glyph number),
    the way the engine embeds the issue's own fonts; its ToUnicode map from
    the characters each glyph was shaped from."""
    to_unicode: dict[int, str] = {}
    for glyph in glyphs:
        if glyph.text:
            to_unicode.setdefault(glyph.gid, glyph.text)
    per_mille = 1000 / font.units
    widths = pikepdf.Array()
    for gid in sorted(font.widths):
        widths.extend([gid, pikepdf.Array([round(font.widths[gid] * per_mille)])])
    file_key = "/FontFile3" if font.is_cff else "/FontFile2"
    extra = {"/Subtype": pikepdf.Name.OpenType} if font.is_cff else {"/Length1": len(font.data)}
    font_file = pikepdf.Stream(document, font.data, **extra)
    name = pikepdf.Name(f"/{font.name}")
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=4 | (64 if font.face.italic else 0),
        FontBBox=[0, font.descent, font.units, font.ascent],
        ItalicAngle=-12 if font.face.italic else 0,
        Ascent=round(font.ascent * per_mille),
        Descent=round(font.descent * per_mille),
        CapHeight=round(font.ascent * per_mille),
        StemV=80,
    )
    descriptor[file_key] = document.make_indirect(font_file)
    identity = pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0)
    descendant = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType0 if font.is_cff else pikepdf.Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=identity,
        FontDescriptor=document.make_indirect(descriptor),
        W=widths,
    )
    if not font.is_cff:
        descendant["/CIDToGIDMap"] = pikepdf.Name.Identity
    return document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=name,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[document.make_indirect(descendant)],
            ToUnicode=document.make_indirect(pikepdf.Stream(document, _cmap(to_unicode))),
        )
    )


def _cmap(to_unicode: dict[int, str]) -> bytes:
    """A ToUnicode CMap: each glyph number to its characters, all in hex."""
    entries = sorted(to_unicode.items())
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Broadsheet-Stamp-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    for start in range(0, len(entries), 100):
        batch = entries[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar")
        lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>" for gid, text in batch]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")
