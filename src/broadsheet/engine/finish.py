"""Stage 5, finish: the document-level facts of the PDF, set as WeasyPrint writes it.

broadsheet finishes the PDF inside WeasyPrint's own writer (its `finisher`
hook) rather than parsing and rewriting the file afterwards with pypdf: the
result is the same, it costs nothing, and no second serialiser can change
bytes between builds. The title, language and dates come from the HTML head
that `render` wrote; this names the producer (in the document information
and in the XMP metadata, which PDF/A wants to agree), fixes the file
identifier, so that the same input gives the same bytes every time, marks
the running heads and footers as artifacts (tagging.py), records the place
kept for a subscriber's stamp (stamp_place.py), tidies the
attached sources of an archived issue (`_tidy_attachments`), turns a link
to a neighbouring file into one that PDF readers follow
(`_link_neighbouring_files`), and, for a PDF/A file, takes away the
pictures' `/Interpolate true` (`_stop_smoothing`).
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

import pydyf
from weasyprint import __version__ as engine_version

from broadsheet import __version__
from broadsheet.content.model import Issue
from broadsheet.engine.stamp_place import record_stamp_place
from broadsheet.engine.tagging import hide_ornaments, mark_margins_as_artifacts, tag_languages
from broadsheet.html.rendered import Rendered
from broadsheet.paths import relative_file
from broadsheet.profiles import Profile


@dataclass(frozen=True)
class Finisher:
    """Called by WeasyPrint with the laid-out document and the PDF about to be written."""

    fingerprint: str  # what the PDF was made from, hashed into its /ID
    bleed_points: float = 0  # the BleedBox reaches this far past the TrimBox
    languages: tuple[str | None, ...] = ()  # per <article>: its lang if not the issue's
    smooth_pictures: bool = True  # let viewers smooth enlarged pictures; PDF/A forbids it
    attachments: tuple[tuple[str, bytes], ...] = ()  # (name, bytes): files the PDF carries

    @property
    def identifier(self) -> bytes:
        return hashlib.md5(self.fingerprint.encode(), usedforsecurity=False).hexdigest().encode()

    def __call__(self, document, pdf) -> None:
        producer = f"broadsheet {__version__} (WeasyPrint {engine_version})"
        pdf.info["Producer"] = pydyf.String(producer)
        pdf.info["Creator"] = pydyf.String(f"broadsheet {__version__}")
        if "Metadata" in pdf.catalog:
            xmp = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
            engine = f'pdf:Producer="WeasyPrint {engine_version}"'.encode()
            ours = f'pdf:Producer="{producer}"'.encode()
            xmp.stream = [part.replace(engine, ours) for part in xmp.stream]
        mark_margins_as_artifacts(pdf)
        hide_ornaments(pdf)
        record_stamp_place(document, pdf)
        _clip_stray_links(pdf)
        _link_neighbouring_files(pdf)
        tag_languages(pdf, self.languages)
        _tidy_attachments(pdf)
        if not self.smooth_pictures:
            _stop_smoothing(pdf)
        if self.bleed_points:
            _set_bleed_box(pdf, self.bleed_points)


def finisher_for(issue: Issue, profile: Profile, rendered: Rendered) -> Finisher:
    """The finisher of `issue` typeset from `rendered` in `profile`; an
    archived issue carries the YAML it was made from. The articles'
    languages are the model's, as the render stage placed them."""
    attachments = _sources(issue) if profile.attach_source else ()
    return Finisher(
        _fingerprint(profile, rendered.html, attachments),
        profile.bleed_mm / 25.4 * 72,
        rendered.languages,
        smooth_pictures=not profile.claims_archive,
        attachments=attachments,
    )


def _fingerprint(profile: Profile, html: str, attachments: tuple[tuple[str, bytes], ...]) -> str:
    """What the PDF is made from, for its file identifier: the profile, the
    HTML and any attached files (two archives whose YAML differs only in a
    comment carry different files, so they get different identifiers)."""
    digest = hashlib.sha256(f"{profile.name}\n{html}".encode())
    for name, data in attachments:
        digest.update(f"\n{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def _sources(issue: Issue) -> tuple[tuple[str, bytes], ...]:
    """The YAML the issue was made from: the issue's file, then newsletter.yaml, by name."""
    return tuple((path.name, path.read_bytes()) for path in issue.sources)


def _clip_stray_links(pdf) -> int:
    """Keep each link's clickable parts inside the line they belong to.

    WeasyPrint writes one link annotation per line of a link and one per
    inline box inside it. In a right-to-left line it leaves some inline
    boxes (a contents entry's leader and number, its ::after) at their
    unmirrored, left-to-right places, so their annotations stick out of the
    entry, over the headline beside the contents: a click there would jump
    to the wrong story. An annotation whose height lies within a wider one
    to the same destination is cut to that one's width (left alone when it
    fits already, as every annotation of a left-to-right issue does). Only
    internal links are cut: the contents are, and an address or a file may
    be linked from a tall block beside its lines (the archive index's page-1
    picture beside the issue's heading), which is no line to cut them to.
    Returns how many were cut."""
    cut = 0
    for reference in pdf.page_references:
        page = pdf.objects[int(reference.split()[0])]
        annotations = [pdf.objects[int(ref.split()[0])] for ref in page.get("Annots", ())]
        # Per destination: (key, left, bottom, right, top, annotation).
        by_target: dict[object, list] = {}
        for annotation in annotations:
            if annotation.get("Subtype") != "/Link" or "Dest" not in annotation:
                continue
            target = annotation["Dest"]
            x1, y1, x2, y2 = (float(v) for v in annotation["Rect"])
            key = target.data if hasattr(target, "data") else target
            by_target.setdefault(key, []).append(
                (key, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2), annotation)
            )
        spans = [span for group in by_target.values() for span in group]
        for key, left, bottom, right, top, annotation in spans:
            holders = [
                s
                for s in by_target[key]
                if s[5] is not annotation
                and s[2] <= bottom + 0.5
                and s[4] >= top - 0.5
                and s[3] - s[1] > right - left
            ]
            if not holders:
                continue
            wide = max(holders, key=lambda s: s[3] - s[1])
            new_left, new_right = max(left, wide[1]), min(right, wide[3])
            if new_left <= left and new_right >= right:
                continue
            if new_left >= new_right:
                new_left, new_right = wide[1], wide[3]
            annotation["Rect"] = pydyf.Array([new_left, bottom, new_right, top])
            cut += 1
    return cut


def _stop_smoothing(pdf) -> int:
    """Take `/Interpolate` out of every picture and its transparency mask.

    WeasyPrint writes `/Interpolate true` on every picture whose CSS
    `image-rendering` is `auto` (the default, and what every theme leaves it
    at), asking viewers to smooth a picture they enlarge. PDF/A forbids it
    (ISO 19005-2 and -3, 6.2.8: "shall be false"; veraPDF rule 6.2.8-3), so
    an archive would fail validation for every picture it holds. A missing
    key means false. Done here rather than in CSS, so a theme's stylesheet
    cannot bring it back, and only when the finisher is asked to, so the
    email and print profiles keep smooth scaling on screen. Returns how many
    were taken out."""
    taken = 0
    for item in pdf.objects:
        extra = getattr(item, "extra", None)
        if isinstance(extra, dict) and extra.get("Subtype") == "/Image":
            taken += extra.pop("Interpolate", None) is not None
    return taken


def _link_neighbouring_files(pdf) -> int:
    """Make each link to a relative address open the file it names beside the PDF.

    The engine writes `<a href="2026-10.pdf">` as a /URI action with the
    relative address as it is. A PDF has no base address to resolve it
    against, so readers either do nothing or resolve it against somewhere
    unrelated. A go-to-remote action (/GoToR) names a file, and a relative
    file specification is resolved against the folder of the PDF that holds
    it, which is what `broadsheet archive`'s index (build/newsletter.pdf linking
    to build/2026-10.pdf) means. The address is percent-decoded into the
    file's name; a fragment becomes the named destination to open there,
    otherwise the first page. Returns how many were changed."""
    changed = 0
    for item in pdf.objects:
        if not isinstance(item, dict) or item.get("Subtype") != "/Link":
            continue
        action = item.get("A")
        if not isinstance(action, dict) or action.get("S") != "/URI":
            continue
        address = getattr(action.get("URI"), "string", "")
        name, fragment = relative_file(address)
        if name is None:
            continue
        item["A"] = pydyf.Dictionary(
            {
                "Type": "/Action",
                "S": "/GoToR",
                "F": pydyf.Dictionary(
                    {"Type": "/Filespec", "F": pydyf.String(name), "UF": pydyf.String(name)}
                ),
                "D": pydyf.String(fragment) if fragment else pydyf.Array([0, "/Fit"]),
            }
        )
        changed += 1
    return changed


def _set_bleed_box(pdf, points: float) -> None:
    """The PDF's BleedBox at the real bleed: the engine puts it up to 10 pt
    past the trimmed page, inside the room left for the crop marks."""
    for reference in pdf.page_references:
        page = pdf.objects[int(reference.split()[0])]
        xs, ys = page["TrimBox"][::2], page["TrimBox"][1::2]
        page["BleedBox"] = pydyf.Array(
            [min(xs) - points, min(ys) - points, max(xs) + points, max(ys) + points]
        )


YAML_MIME = "/application#2fyaml"  # RFC 9512; a PDF name escapes "/" as #2f


def _tidy_attachments(pdf) -> None:
    """Sort the attachments' name tree, list each file once in the catalog's
    /AF, and type the YAML.

    WeasyPrint 70 keeps attachments in the order given, but a name tree must
    be sorted by name (qpdf repairs "2026-10.yaml, newsletter.yaml", but not
    "spring.yaml, newsletter.yaml"); it adds every attachment to /AF twice
    (from the name tree and from the file specification); and it types a file
    by Python's table of extensions, which on 3.11 does not know `.yaml`, so
    an archive would say application/octet-stream where PDF/A-3 asks for the
    MIME type.
    """
    names = pdf.catalog.get("Names")
    if names is not None and "EmbeddedFiles" in names:
        tree = pdf.objects[int(names["EmbeddedFiles"].split()[0])]
        pairs = sorted(zip(tree["Names"][::2], tree["Names"][1::2], strict=True), key=_name)
        tree["Names"][:] = [item for pair in pairs for item in pair]
    if "AF" in pdf.catalog:
        listed = pdf.catalog["AF"]  # references to the file specifications
        listed[:] = dict.fromkeys(listed)
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/Filespec" and "EF" in item:
            name = getattr(item.get("UF") or item.get("F"), "string", "")
            if name.endswith((".yaml", ".yml")):
                stream = pdf.objects[int(item["EF"]["F"].split()[0])]
                stream.extra["Subtype"] = YAML_MIME


def _name(pair) -> bytes:
    """A name tree's key as the bytes it is compared by: bytes as they are,
    ASCII text as it is, any other text as UTF-16 with its byte order mark, as
    pydyf writes them."""
    text = getattr(pair[0], "string", pair[0])
    if isinstance(text, bytes):
        return text
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
