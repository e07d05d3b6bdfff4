"""What a finished PDF is, and what is wrong with it for the job it is made for.

`read` gathers the facts a reader, a printer or an archive relies on, from
the PDF alone: its structure as qpdf sees it (through pikepdf), whether
pypdf reads it strictly, its fonts, pictures, links, numbered links, tags,
claimed standards and attachments. `findings` judges those facts against a
profile. The build's verify stage and `broadsheet inspect` both use them,
so what the build promises is exactly what `inspect` can check afterwards.

veraPDF, the reference validator for PDF/A and PDF/UA, is a Java program
that is not part of the build; these are the rules of those standards that
can be checked from Python (see docs/profiles.md).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pikepdf
import pypdfium2
from pypdf.errors import PyPdfError

from broadsheet.labels import right_to_left
from broadsheet.limits import MAX_PAGE_MM
from broadsheet.logs import collected
from broadsheet.pdf import drawing, reading, smoothing
from broadsheet.profiles import ARCHIVE, EMAIL, PRINT, Profile

DPI_SLACK = 1.1  # the engine rounds when it scales; finer than 110% of the cap is a fault
TRAILING_NUMBER = re.compile(r"(\d+)\s*$")  # \d: any script's digits; int() reads them all
LEADERS = re.compile(r"[\s.·…]+$")
LEADING_NUMBER = re.compile(r"^\s*(\d+)")
LEADING_LEADERS = re.compile(r"^[\s.·…]+")
# A contents entry's ::after: a leader of at least two dots and the page number,
# on either side (the number is on the left in a right-to-left issue).
DIGITS_AT_ENDS = re.compile(r"^\s*\d+|\d+\s*$")


@dataclass(frozen=True)
class Finding:
    severity: str  # "error": the PDF is not what it claims; "warning": it works, but...
    code: str  # stable, for scripts: structure, font, dpi, contents, link, tags, alt, claim...
    message: str
    page: int | None = None  # 1-based


@dataclass(frozen=True)
class NumberedLink:
    """A link whose text ends in a page number: a contents entry or a jump line."""

    page: int  # 0-based, where the link is
    text: str  # the words before the leaders and the number
    printed: int  # the number printed
    target: str
    target_page: int | None  # 0-based page of the destination, None if it is missing


@dataclass(frozen=True)
class Facts:
    size: int
    pages: int
    page_size_mm: tuple[float, float]  # the trimmed page
    bleed_mm: float  # how far the BleedBox reaches beyond the trimmed page
    structure: tuple[str, ...]  # qpdf's complaints
    strict_error: str | None  # why pypdf refuses to read it strictly
    info: dict[str, str]
    fonts: list[reading.Font]
    images: list[drawing.PlacedImage]
    links: list[reading.Link]
    destinations: dict[str, int]
    numbered: list[NumberedLink]
    outline: list[reading.Outline]
    tagging: reading.Tagging
    claims: reading.Claims
    attachments: list[reading.Attached] = field(default_factory=list)
    reader_notes: tuple[str, ...] = ()  # what pypdf had to work around to read it
    smoothed: tuple[smoothing.Smoothed, ...] = ()  # pictures with /Interpolate true
    # /Link structure elements with no annotation: (0-based page or None, their words)
    dead_links: tuple[tuple[int | None, str], ...] = ()


class Unreadable(Exception):
    """A PDF too damaged to read; the message says what the readers met."""


OutsidePypdf = tuple[tuple[str, ...], list[drawing.PlacedImage], tuple[smoothing.Smoothed, ...]]


def read(pdf: bytes) -> Facts:
    """The facts of `pdf`; raises Unreadable when it cannot be read at all."""
    with collected("pypdf") as notes:
        try:
            facts = _read(pdf, functools.cache(lambda: _outside_pypdf(pdf)))
        except Exception as exc:  # any reader's failure on a damaged file
            raise Unreadable("; ".join(dict.fromkeys([str(exc), *notes]))) from exc
    return replace(facts, reader_notes=tuple(dict.fromkeys(notes)))


def _outside_pypdf(pdf: bytes) -> OutsidePypdf:
    """The facts that need no pypdf: qpdf's structure check, the pictures
    that ask to be smoothed (both through pikepdf) and PDFium's picture
    placements."""
    structure, smoothed = _structure(pdf)
    return structure, drawing.placed_images(pdf), smoothed


def _read(pdf: bytes, outside: Callable[[], OutsidePypdf]) -> Facts:
    """One parse when the file is sound: the strict reader that checks it also
    reads its facts; only a file it refuses is read again leniently."""

    doc, strict_error = _strict_reader(pdf)
    if doc is not None:
        try:
            return _facts(pdf, doc, None, outside)
        except (PyPdfError, ValueError, KeyError):
            pass
    return _facts(pdf, reading.reader(pdf), strict_error, outside)


def _facts(pdf: bytes, doc, strict_error: str | None, outside: Callable[[], OutsidePypdf]) -> Facts:
    links = reading.links(doc)
    destinations = reading.destinations(doc)
    first = doc.pages[0]
    trim = first.trimbox
    bleed = first.bleedbox
    info = {str(k).lstrip("/"): str(v) for k, v in (doc.metadata or {}).items()}
    facts = {
        "fonts": reading.fonts(doc),
        "numbered": _numbered(pdf, links, destinations, _right_to_left(doc)),
        "outline": reading.outline(doc),
        "tagging": (tagging := reading.tagging(doc)),
        "dead_links": _dead_links(pdf, tagging),
        "claims": reading.claims(doc),
        "attachments": reading.attachments(doc),
    }
    structure, images, smoothed = outside()
    return Facts(
        size=len(pdf),
        pages=len(doc.pages),
        page_size_mm=(_mm(trim.width), _mm(trim.height)),
        bleed_mm=_mm(float(trim.left) - float(bleed.left)),
        structure=structure,
        strict_error=strict_error,
        info=info,
        images=images,
        smoothed=smoothed,
        links=links,
        destinations=destinations,
        **facts,
    )


def _dead_links(pdf: bytes, tagging: reading.Tagging) -> tuple[tuple[int | None, str], ...]:
    """Each /Link element without an annotation, with the words it shows
    (read only when there is one: a sound PDF costs nothing more)."""
    dead = tagging.dead_links
    if not dead:
        return ()
    try:
        words = drawing.marked_words(pdf, [(link.page, link.mcids) for link in dead])
    except pypdfium2.PdfiumError:  # the words only name it: the finding stands without them
        words = [""] * len(dead)
    return tuple((link.page, said) for link, said in zip(dead, words, strict=True))


def profile_of(facts: Facts) -> Profile:
    """The profile a PDF looks made for: PDF/A is the archive, bleed is print."""
    if facts.claims.pdf_a:
        return ARCHIVE
    if facts.bleed_mm > 0:
        return PRINT
    return EMAIL


def findings(facts: Facts, profile: Profile, budget_mb: float | None = None) -> list[Finding]:
    found = [Finding("error", "structure", f"structure: {problem}") for problem in facts.structure]
    if max(facts.page_size_mm) > MAX_PAGE_MM:
        width, height = facts.page_size_mm
        found.append(
            Finding(
                "error",
                "structure",
                f"the page is {width:g} x {height:g} mm, larger than the {MAX_PAGE_MM} mm"
                " (200 inches) PDF viewers can show",
            )
        )
    found += [Finding("warning", "structure", f"read leniently: {n}") for n in facts.reader_notes]
    if facts.strict_error:
        found.append(
            Finding("error", "structure", f"unreadable in strict mode: {facts.strict_error}")
        )
    for font in facts.fonts:
        if not font.embedded:
            found.append(
                Finding("error", "font", f"font {font.name} is not embedded: readers substitute it")
            )
    found += _pictures(facts, profile)
    found += _links(facts)
    found += _accessibility(facts)
    found += _standards(facts, profile)
    if budget_mb is not None and facts.size > budget_mb * 1_000_000:
        found.append(
            Finding("warning", "size", f"{facts.size:,} bytes, over the {budget_mb:g} MB budget")
        )
    return found


def _pictures(facts: Facts, profile: Profile) -> list[Finding]:
    found = []
    for image in facts.images:
        width, height = image.pixels
        shown = f"a {width} × {height} px picture printed {image.size_mm[0]:g} mm wide"
        if image.dpi < profile.soft_below_dpi:
            wanted = round(image.pixels[0] * profile.soft_below_dpi / image.dpi)
            said = (
                f"{shown} is {image.dpi:.0f} dpi and will look soft; the {profile.name}"
                f" profile wants at least {profile.soft_below_dpi} dpi"
                f" (a picture {wanted} px wide)"
            )
        elif profile.dpi and image.dpi > profile.dpi * DPI_SLACK:
            said = (
                f"{shown} is {image.dpi:.0f} dpi, finer than the {profile.name} profile's"
                f" {profile.dpi}: bytes nobody sees"
            )
        else:
            continue
        found.append(_on_page("warning", "dpi", said, image.page))
    return found


def _on_page(severity: str, code: str, message: str, page: int | None) -> Finding:
    """A finding on the page of 0-based index `page` (None: on no one page)."""
    return Finding(severity, code, message, None if page is None else page + 1)


def _links(facts: Facts) -> list[Finding]:
    found = []
    for link in facts.links:
        if link.dest is not None and link.dest not in facts.destinations:
            said = f"a link to #{link.dest}, which is nowhere"
            found.append(_on_page("error", "link", said, link.page))
    for page, words in facts.dead_links:
        shown = repr(words) if words else "a link"
        said = f"{shown} is tagged as a link but has no link annotation: nothing to click"
        found.append(_on_page("error", "link", said, page))
    for entry in facts.numbered:
        if entry.target_page is not None and entry.printed != entry.target_page + 1:
            leads = entry.target_page + 1
            said = f"{entry.text!r} says page {entry.printed} but leads to page {leads}"
            found.append(_on_page("error", "contents", said, entry.page))
    return found


def _accessibility(facts: Facts) -> list[Finding]:
    tags = facts.tagging
    found = []
    if not tags.tagged:
        found.append(Finding("error", "tags", "not tagged: no structure tree for screen readers"))
    elif not tags.marked:
        found.append(Finding("error", "tags", "a structure tree, but /MarkInfo does not say so"))
    if not tags.lang:
        found.append(Finding("error", "tags", "no /Lang: screen readers guess the language"))
    if not tags.title:
        found.append(Finding("error", "tags", "no title: viewers show the file name"))
    elif not tags.shows_title:
        found.append(Finding("warning", "tags", "viewers show the file name, not the title"))
    if tags.figures_without_alt:
        count = tags.figures_without_alt
        found.append(
            Finding(
                "warning",
                "alt",
                f"{count} picture{'s' * (count != 1)} without alt text of {tags.figures}",
            )
        )
    return found


def _standards(facts: Facts, profile: Profile) -> list[Finding]:
    claims = facts.claims
    found = []
    if profile.variant == "pdf/ua-1" and claims.pdf_ua != "1":
        found.append(Finding("error", "claim", "does not identify itself as PDF/UA-1"))
    if profile.claims_archive:
        if claims.pdf_a != "3B":
            found.append(Finding("error", "claim", "does not identify itself as PDF/A-3b"))
        if not claims.output_intent:
            found.append(Finding("error", "claim", "PDF/A without an output intent"))
        for name, (info, xmp) in claims.repeated.items():
            if info is not None and info != xmp:
                found.append(
                    Finding(
                        "error",
                        "claim",
                        f"the document information's {name} {info!r} is not the XMP"
                        f" metadata's {xmp!r}, as PDF/A asks",
                    )
                )
        for attached in facts.attachments:
            if not attached.relationship:
                found.append(
                    Finding("error", "claim", f"attachment {attached.name} has no AFRelationship")
                )
    if profile.claims_archive or claims.pdf_a:
        found += _smoothing(facts.smoothed, claims.pdf_a or "3B")
    if profile.attach_source and not facts.attachments:
        found.append(Finding("error", "claim", "the issue's YAML is not attached"))
    if profile.bleed_mm and facts.bleed_mm + 0.05 < profile.bleed_mm:
        found.append(
            Finding("error", "claim", f"{facts.bleed_mm:g} mm bleed, not {profile.bleed_mm:g} mm")
        )
    return found


def _smoothing(smoothed: tuple[smoothing.Smoothed, ...], part: str) -> list[Finding]:
    """PDF/A forbids /Interpolate true (ISO 19005-2/3 6.2.8, veraPDF 6.2.8-3):
    one error per picture, on its page."""
    return [
        Finding(
            "error",
            "claim",
            f"{picture.where} has /Interpolate true, which PDF/A-{part.lower()} forbids"
            " (viewers would smooth it each their own way)",
            None if picture.page is None else picture.page + 1,
        )
        for picture in smoothed
    ]


def _numbered(
    pdf: bytes, links: list[reading.Link], destinations: dict[str, int], rtl: bool = False
) -> list[NumberedLink]:
    """Internal links that print a number at their end, one per link on a
    page (the engine writes one annotation per line and pseudo-element; they
    are taken together). The number is read where it is drawn: at the right
    end of the entry, or the left end in a right-to-left issue (pdfpage)."""
    groups: dict[tuple[int, str], list[float]] = {}
    for link in links:
        if link.dest is None:
            continue
        left, bottom, right, top = link.rect
        box = groups.setdefault((link.page, link.dest), [left, bottom, right, top])
        box[:] = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
    keys = list(groups)
    side = "left" if rtl else "right"
    read = drawing.numbers_at_edge(
        pdf, [(page, tuple(groups[page, dest]), side) for page, dest in keys]
    )
    found = []
    for (page, dest), edge in zip(keys, read, strict=True):
        if edge.number is None or not _ends_in_number(edge.text, rtl):
            continue
        words = LEADING_LEADERS.sub("", LEADERS.sub("", DIGITS_AT_ENDS.sub("", edge.text)))
        found.append(NumberedLink(page, words, edge.number, dest, destinations.get(dest)))
    return found


def _ends_in_number(text: str, rtl: bool) -> bool:
    """Whether the link's text has a number at one of its ends (a contents
    entry, a jump line) rather than only inside its words."""
    return bool(TRAILING_NUMBER.search(text) or (rtl and LEADING_NUMBER.search(text)))


def _right_to_left(doc) -> bool:
    return right_to_left(str(doc.trailer["/Root"].get("/Lang", "")))


def _structure(pdf: bytes) -> tuple[tuple[str, ...], tuple[smoothing.Smoothed, ...]]:
    """qpdf's complaints, and the pictures asking to be smoothed: one opening."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return tuple(document.check_pdf_syntax()), smoothing.smoothed_pictures(document)
    except pikepdf.PdfError as exc:
        return (str(exc),), ()


def _strict_reader(pdf: bytes):
    """pypdf in strict mode over every page, the outline and the destinations:
    (the reader, None), or (None, what it refused)."""

    try:
        doc = reading.reader(pdf, strict=True)
        for page in doc.pages:
            page.get_contents()
        reading.outline(doc)
        reading.destinations(doc)
    except (PyPdfError, ValueError, KeyError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return doc, None


def _mm(points) -> float:
    return round(float(points) / 72 * 25.4, 1)
