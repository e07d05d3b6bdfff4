"""What a PDF's bytes are spent on, for the size budget: each picture and
each embedded font, largest first, so an editor over budget knows what to
shrink."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass(frozen=True)
class Part:
    what: str  # "picture 661 x 576", "font Classic-Libertine"
    size: int  # bytes, as stored (compressed)


def largest_parts(pdf: bytes, count: int = 3) -> list[Part]:
    reader = PdfReader(io.BytesIO(pdf))
    parts: dict[int, Part] = {}
    for page in reader.pages:  # (the engine may share one resource list among pages)
        resources = page.get("/Resources") or {}
        for reference in (resources.get("/XObject") or {}).values():
            stream = reference.get_object()
            if stream.get("/Subtype") == "/Image" and reference.idnum not in parts:
                what = f"picture {stream['/Width']} x {stream['/Height']}"
                parts[reference.idnum] = Part(what, _stored(stream))
        for reference in (resources.get("/Font") or {}).values():
            font = reference.get_object()
            for file in _font_files(font):
                if file.idnum not in parts:
                    name = str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1]
                    parts[file.idnum] = Part(f"font {name}", _stored(file.get_object()))
    return sorted(parts.values(), key=lambda part: -part.size)[:count]


def _font_files(font):
    descendants = font.get("/DescendantFonts") or []
    for entry in [font, *(d.get_object() for d in descendants)]:
        descriptor = entry.get("/FontDescriptor")
        if descriptor is None:
            continue
        descriptor = descriptor.get_object()
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                yield descriptor.raw_get(key)


def _stored(stream) -> int:
    """The bytes a stream takes in the file, still compressed. pypdf drops
    /Length when it parses and offers only decoded data publicly, which
    would count a font at its uncompressed size."""
    return len(stream._data)


def human(size: int) -> str:
    """Sizes as mail clients show them: 279 KB, 2.4 MB (decimal units)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"
