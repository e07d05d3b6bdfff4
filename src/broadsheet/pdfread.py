"""What a finished PDF holds, read back with pypdf: destinations, links, outline.

Used by the verify stage and by the tests' own checks of built issues.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import Destination


@dataclass(frozen=True)
class Link:
    page: int  # 0-based page the annotation is on
    uri: str | None  # an external target
    dest: str | None  # a named destination inside the document
    rect: tuple[float, float, float, float]


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
            uri = dest = None
            if action is not None and action.get("/S") == "/URI":
                uri = str(action["/URI"])
            elif action is not None and action.get("/S") == "/GoTo":
                dest = _dest_name(action.get("/D"))
            elif annot.get("/Dest") is not None:
                dest = _dest_name(annot["/Dest"])
            rect = tuple(float(v) for v in annot["/Rect"])
            found.append(Link(index, uri, dest, rect))  # type: ignore[arg-type]
    return found


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
