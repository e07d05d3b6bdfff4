"""What a finished PDF holds, read back with pypdf: destinations, links,
outline, fonts, tagging, the standards it claims and its attachments.

Used by the verify stage and by the tests' own checks of built issues.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import Destination


@dataclass(frozen=True)
class Link:
    page: int  # 0-based page the annotation is on
    uri: str | None  # an external target
    dest: str | None  # a named destination inside the document
    rect: tuple[float, float, float, float]  # left, bottom, right, top
    file: str | None = None  # another PDF, relative to this one (a /GoToR action)


@dataclass(frozen=True)
class Outline:
    title: str
    page: int
    level: int


def reader(pdf: bytes, strict: bool = False) -> PdfReader:
    return PdfReader(io.BytesIO(pdf), strict=strict)


def destinations(doc: PdfReader) -> dict[str, int]:
    """Named destination -> 0-based page index."""
    out = {}
    for name, dest in doc.named_destinations.items():
        page = doc.get_destination_page_number(dest)
        if page is not None and page >= 0:
            out[str(name)] = page
    return out


def links(doc: PdfReader) -> list[Link]:
    found = []
    for index, page in enumerate(doc.pages):
        for ref in page.get("/Annots") or ():
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            uri = dest = file = None
            if action is not None and action.get("/S") == "/URI":
                uri = str(action["/URI"])
            elif action is not None and action.get("/S") == "/GoTo":
                dest = _dest_name(action.get("/D"))
            elif action is not None and action.get("/S") == "/GoToR":
                file = file_named(action.get("/F"))
            elif annot.get("/Dest") is not None:
                dest = _dest_name(annot["/Dest"])
            x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
            # Any two opposite corners may be given (WeasyPrint puts the top first).
            rect = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
            found.append(Link(index, uri, dest, rect, file))
    return found


def file_named(spec) -> str | None:
    """The file a file specification names: a string, or a dictionary's
    /UF (Unicode) or /F."""
    spec = spec.get_object() if hasattr(spec, "get_object") else spec
    if spec is None:
        return None
    if hasattr(spec, "get"):
        spec = spec.get("/UF") or spec.get("/F")
        spec = spec.get_object() if hasattr(spec, "get_object") else spec
    return None if spec is None else str(spec)


def _dest_name(value) -> str | None:
    if value is None:
        return None
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, str):
        return str(value)
    return None


def outline(doc: PdfReader) -> list[Outline]:
    found: list[Outline] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif isinstance(item, Destination):
                found.append(Outline(str(item.title), doc.get_destination_page_number(item), level))

    walk(doc.outline, 1)
    return found


@dataclass(frozen=True)
class Font:
    name: str  # without the subset tag
    kind: str  # Type0, TrueType, Type1...
    embedded: bool
    subset: bool  # only the glyphs used: the tag "ABCDEF+" before the name


def fonts(doc: PdfReader) -> list[Font]:
    """Every font the pages (and the forms they draw) use, once each."""
    found: dict[str, Font] = {}
    seen: set[int] = set()

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            base = str(font.get("/BaseFont", "?")).lstrip("/")
            descendant = font
            if font.get("/Subtype") == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            subset = len(base) > 7 and base[6] == "+" and base[:6].isupper()
            name = base[7:] if subset else base
            kind = str(font.get("/Subtype", "?")).lstrip("/")
            found.setdefault(f"{name}/{embedded}", Font(name, kind, embedded, subset))
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in doc.pages:
        visit(page.get("/Resources"))
    return sorted(found.values(), key=lambda font: font.name)


@dataclass(frozen=True)
class Tagging:
    """What a screen reader and the PDF/UA rules need, as far as Python can check it."""

    tagged: bool  # a structure tree
    marked: bool  # /MarkInfo /Marked true
    lang: str
    title: str
    shows_title: bool  # the viewer's window shows the title, not the file name
    figures: int
    figures_without_alt: int
    headings: tuple[str, ...]  # H1..H6 in reading order
    # /Link elements with no annotation in them (no /OBJR): text a screen
    # reader calls a link, but nothing to click. Per such element, in reading
    # order: its 0-based page (None when it names none) and its marked content ids.
    dead_links: tuple[DeadLink, ...] = ()
    alts: tuple[str, ...] = ()  # each figure's /Alt, in reading order (for parity)


@dataclass(frozen=True)
class DeadLink:
    page: int | None  # 0-based
    mcids: tuple[int, ...]  # its marked content on that page: the words it shows


def tagging(doc: PdfReader) -> Tagging:
    root = doc.trailer["/Root"]
    tree = root.get("/StructTreeRoot")
    figures = without_alt = 0
    headings: list[str] = []
    dead: list[DeadLink] = []
    alts: list[str] = []
    page_numbers = {
        getattr(page.indirect_reference, "idnum", None): i for i, page in enumerate(doc.pages)
    }
    if tree is not None:
        pending = [tree.get_object()]
        while pending:  # depth first, in document order
            element = pending.pop()
            kind = str(element.get("/S", ""))
            if kind == "/Figure":
                figures += 1
                without_alt += not (str(element.get("/Alt", "")) or element.get("/ActualText"))
                alts.append(str(element.get("/Alt", "")))
            elif kind in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
                headings.append(kind[1:])
            elif kind == "/Link" and not _holds_annotation(element):
                dead.append(_dead_link(element, page_numbers))
            kids = element.get("/K")
            kids = kids if isinstance(kids, list) else [kids]
            children = [kid.get_object() for kid in kids if hasattr(kid, "get_object")]
            pending.extend(
                child for child in reversed(children) if hasattr(child, "get") and "/K" in child
            )
    mark_info = root.get("/MarkInfo")
    preferences = root.get("/ViewerPreferences")
    return Tagging(
        tagged=tree is not None,
        marked=bool(mark_info and mark_info.get_object().get("/Marked")),
        lang=str(root.get("/Lang", "")),
        title=str((doc.metadata or {}).get("/Title", "")),
        shows_title=bool(preferences and preferences.get_object().get("/DisplayDocTitle")),
        figures=figures,
        figures_without_alt=without_alt,
        headings=tuple(headings),
        dead_links=tuple(dead),
        alts=tuple(alts),
    )


def _kids(element) -> list:
    kids = element.get("/K")
    kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
    return [kid.get_object() if hasattr(kid, "get_object") else kid for kid in kids]


def _holds_annotation(element, depth: int = 0) -> bool:
    """Whether a structure element, or one inside it, holds an annotation
    (an /OBJR kid): a /Link's clickable part."""
    for kid in _kids(element):
        if hasattr(kid, "get"):
            if kid.get("/Type") == "/OBJR":
                return True
            if "/S" in kid and depth < 8 and _holds_annotation(kid, depth + 1):
                return True
    return False


def _dead_link(element, page_numbers: dict[int, int]) -> DeadLink:
    """Where a /Link without an annotation is, and its marked content (its words)."""
    page = element.raw_get("/Pg") if "/Pg" in element else None
    index = page_numbers.get(page.idnum) if hasattr(page, "idnum") else None
    mcids = []
    for kid in _kids(element):
        if isinstance(kid, int):
            mcids.append(int(kid))
        elif hasattr(kid, "get") and kid.get("/Type") == "/MCR" and "/MCID" in kid:
            mcids.append(int(kid["/MCID"]))
    return DeadLink(index, tuple(mcids))


@dataclass(frozen=True)
class Claims:
    """The standards a PDF says it meets, from its XMP metadata."""

    pdf_a: str | None  # "3B"
    pdf_ua: str | None  # "1"
    output_intent: bool  # the colour space PDF/A needs
    # What the XMP metadata says of the document information that PDF/A wants
    # it to repeat exactly: name -> (information entry, XMP property).
    repeated: dict[str, tuple[str | None, str | None]]


def claims(doc: PdfReader) -> Claims:
    root = doc.trailer["/Root"]
    xmp = doc.xmp_metadata
    text = xmp.stream.get_data().decode("utf-8", "replace") if xmp is not None else ""

    def attribute(name: str) -> str | None:
        match = re.search(rf'{name}(?:="([^"]*)"|>([^<]*)<)', text)
        return (match.group(1) or match.group(2)) if match else None

    part, conformance = attribute("pdfaid:part"), attribute("pdfaid:conformance")
    info = doc.metadata or {}
    repeated = {
        "Producer": (info.get("/Producer"), xmp.pdf_producer if xmp else None),
        "Creator": (info.get("/Creator"), xmp.xmp_creator_tool if xmp else None),
    }
    return Claims(
        pdf_a=f"{part}{conformance or ''}" if part else None,
        pdf_ua=attribute("pdfuaid:part"),
        output_intent=bool(root.get("/OutputIntents")),
        repeated={k: (_text(a), _text(b)) for k, (a, b) in repeated.items()},
    )


def _text(value) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Attached:
    name: str
    size: int
    relationship: str | None


def attachments(doc: PdfReader) -> list[Attached]:
    root = doc.trailer["/Root"]
    names = root.get("/Names")
    files = names.get_object().get("/EmbeddedFiles") if names is not None else None
    if files is None:
        return []
    pairs = files.get_object().get("/Names", [])
    found = []
    for spec in pairs[1::2]:
        spec = spec.get_object()
        stream = spec["/EF"]["/F"].get_object() if "/EF" in spec else None
        relationship = spec.get("/AFRelationship")
        found.append(
            Attached(
                str(spec.get("/UF") or spec.get("/F")),
                len(stream.get_data()) if stream is not None else 0,
                str(relationship).lstrip("/") if relationship else None,
            )
        )
    return found
