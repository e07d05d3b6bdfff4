"""Reading a built PDF and its HTML back for the hostile corpus: every place a foreign
byte could hide (text, streams, metadata, attachments, images, link actions), and
every element or attribute the HTML must never carry.
"""

from __future__ import annotations

import html.parser
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pikepdf
from pypdf import PdfReader

# What the secret file beside the project holds; no build may carry any of it.
SECRET = "HOSTILE-SECRET-c0ffee-5b1d"

A4_POINTS = (595, 842)

# Elements that must never reach the HTML the engine typesets, whatever the content says.
FORBIDDEN_TAGS = frozenset(
    {"script", "link", "iframe", "frame", "object", "embed", "svg", "image", "base", "form"}
)
LIVE_PREFIXES = ("#", "https://", "http://", "mailto:")
# Attributes whose value the engine fetches or follows (alt and title are only text).
URL_ATTRIBUTES = frozenset({"href", "src", "data", "action", "poster", "background", "style"})


def pdftotext(pdf: Path) -> str:
    """The page text as poppler reads it (independent of pypdf)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


def pypdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def every_byte(pdf: Path) -> bytes:
    """The raw file, then every stream decoded (or raw when its filter is not decodable)."""
    chunks = [pdf.read_bytes()]
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
    return b"\n".join(chunks)


def image_sizes(pdf: Path) -> list[tuple[int, int]]:
    """Width and height of every image XObject in the file (soft masks included)."""
    with pikepdf.open(pdf) as doc:
        return sorted(
            (int(obj.Width), int(obj.Height))
            for obj in doc.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def link_actions(pdf: Path) -> list[tuple[str, str]]:
    """(action type, URI or '') of every link annotation on every page."""
    found = []
    for page in PdfReader(pdf).pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            action = annotation.get("/A")
            if action is None:
                found.append(("/Dest", ""))
                continue
            action = action.get_object()
            found.append((str(action.get("/S")), str(action.get("/URI", ""))))
    return found


def uris(pdf: Path) -> list[str]:
    return [uri for kind, uri in link_actions(pdf) if kind == "/URI"]


def outline_titles(pdf: Path) -> list[str]:
    def walk(items) -> Iterable[str]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(PdfReader(pdf).outline))


def page_sizes(pdf: Path) -> set[tuple[int, int]]:
    return {
        (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        for page in PdfReader(pdf).pages
    }


def assert_no_foreign_byte(
    pdf: Path, secret: str = SECRET, images: list[tuple[int, int]] | None = None
) -> None:
    """No embedded file, no file-attachment annotation, no script or launch action, no
    link but to an http, https or mailto address, no image but the project's own
    (`images`, default none), and the secret in no text (poppler's, pypdf's) and no
    byte (raw or decoded, Latin-1 or UTF-16)."""
    reader = PdfReader(pdf)
    assert reader.attachments == {}
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    assert "/EmbeddedFiles" not in names
    assert "/JavaScript" not in names
    assert "/OpenAction" not in root and "/AA" not in root
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            assert ref.get_object().get("/Subtype") != "/FileAttachment"
    actions = link_actions(pdf)
    assert {kind for kind, _ in actions} <= {"/URI", "/GoTo", "/Dest"}
    assert all(uri.startswith(LIVE_PREFIXES[1:]) for kind, uri in actions if kind == "/URI")
    assert image_sizes(pdf) == sorted(images or [])
    assert secret not in pdftotext(pdf)
    assert secret not in pypdf_text(pdf)
    data = every_byte(pdf)
    assert secret.encode() not in data
    assert secret.encode("utf-16-be") not in data


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(markup: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.elements


def assert_clean_html(markup: str, secret_path: str, pictures: int = 0) -> None:
    """What the engine was given holds no active or fetching element, no event
    handler, no `rel`, no link but to an anchor or an http, https or mailto
    address, and names the secret file in no attribute the engine would fetch."""
    found = elements(markup)
    tags = [tag for tag, _ in found]
    assert FORBIDDEN_TAGS.isdisjoint(tags), sorted(FORBIDDEN_TAGS.intersection(tags))
    assert tags.count("style") == 1  # the page strings in <head>, nothing from the content
    assert tags.count("img") == pictures
    for tag, attrs in found:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "rel" not in attrs and "srcset" not in attrs, (tag, attrs)
        assert not any(secret_path in attrs.get(name, "") for name in URL_ATTRIBUTES), attrs
        if tag == "a":
            assert attrs.get("href", "#").startswith(LIVE_PREFIXES), attrs
        if tag == "meta":
            assert "http-equiv" not in attrs, attrs
