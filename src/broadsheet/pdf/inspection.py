"""`broadsheet inspect`: what an editor checks in a PDF before sending it.

Works on any PDF, not only broadsheet's: the facts come from the file alone
(compliance.py), judged against the profile it was made for (named, or
guessed: PDF/A is the archive, bleed is print, anything else email). The
report is a table for people and JSON for scripts; the JSON keys are stable
and documented in docs/profiles.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pypdfium2 import PdfiumError

from broadsheet.errors import ContentError, error
from broadsheet.pdf import compliance
from broadsheet.pdf.drawing import unlinked_addresses
from broadsheet.pdf.sizes import human
from broadsheet.profiles import Profile

INFO_KEYS = ("Title", "Author", "Subject", "Creator", "Producer", "CreationDate", "ModDate")


@dataclass(frozen=True)
class Inspection:
    path: Path
    facts: compliance.Facts
    profile: Profile
    findings: list[compliance.Finding]

    @property
    def failed(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)

    def as_data(self) -> dict:
        facts = self.facts
        return {
            "file": str(self.path),
            "bytes": facts.size,
            "pages": facts.pages,
            "page_size_mm": list(facts.page_size_mm),
            "bleed_mm": facts.bleed_mm,
            "profile": self.profile.name,
            "standards": {"pdf_a": facts.claims.pdf_a, "pdf_ua": facts.claims.pdf_ua},
            "metadata": {key: facts.info.get(key) for key in INFO_KEYS}
            | {"Lang": facts.tagging.lang or None},
            "fonts": [
                {"name": f.name, "type": f.kind, "embedded": f.embedded, "subset": f.subset}
                for f in facts.fonts
            ],
            "images": [
                {
                    "page": image.page + 1,
                    "pixels": list(image.pixels),
                    "dpi": image.dpi,
                    "printed_mm": list(image.size_mm),
                    "bytes": image.bytes,
                    "encoding": image.encoding,
                }
                for image in facts.images
            ],
            "contents": [
                {
                    "page": entry.page + 1,
                    "title": entry.text,
                    "printed_page": entry.printed,
                    **_leads_to(entry.target, entry.target_page),
                    "ok": entry.target_page is not None and entry.printed == entry.target_page + 1,
                }
                for entry in facts.numbered
            ],
            "links": [
                {
                    "page": link.page + 1,
                    "uri": link.uri,
                    "file": link.file,
                    **_leads_to(link.dest, facts.destinations.get(link.dest or "")),
                }
                for link in _distinct_links(facts)
            ],
            "outline": [
                {"title": entry.title, "page": entry.page + 1, "level": entry.level}
                for entry in facts.outline
            ],
            "tags": {
                "tagged": facts.tagging.tagged,
                "marked": facts.tagging.marked,
                "shows_title": facts.tagging.shows_title,
                "figures": facts.tagging.figures,
                "figures_without_alt": facts.tagging.figures_without_alt,
                "headings": list(facts.tagging.headings),
            },
            "attachments": [
                {"name": a.name, "bytes": a.size, "relationship": a.relationship}
                for a in facts.attachments
            ],
            "findings": [
                {"severity": f.severity, "code": f.code, "page": f.page, "message": f.message}
                for f in self.findings
            ],
        }

    def as_json(self) -> str:
        return json.dumps(self.as_data(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def as_table(self) -> str:
        data = self.as_data()
        facts = self.facts
        standards = ", ".join(
            name
            for name in (
                f"PDF/A-{data['standards']['pdf_a'].lower()}" if facts.claims.pdf_a else "",
                f"PDF/UA-{facts.claims.pdf_ua}" if facts.claims.pdf_ua else "",
            )
            if name
        )
        width, height = facts.page_size_mm
        lines = [
            f"{self.path}",
            f"  {facts.pages} pages, {width:g} × {height:g} mm"
            + (f" + {facts.bleed_mm:g} mm bleed" if facts.bleed_mm else "")
            + f", {human(facts.size)} ({facts.size:,} bytes)",
            f"  profile {self.profile.name}; claims {standards or 'no standard'}",
            "",
            "metadata",
            *_rows([[key, str(value)] for key, value in data["metadata"].items() if value]),
            "",
            "fonts",
            *_rows(
                [["name", "type", "embedded", "subset"]]
                + [
                    [f.name, f.kind, "yes" if f.embedded else "NO", "yes" if f.subset else "no"]
                    for f in facts.fonts
                ]
            ),
            "",
            "images",
            *_rows(
                [["page", "pixels", "dpi", "printed", "bytes", "encoding"]]
                + [
                    [
                        str(i["page"]),
                        f"{i['pixels'][0]} × {i['pixels'][1]}",
                        f"{i['dpi']:.0f}",
                        f"{i['printed_mm'][0]:g} × {i['printed_mm'][1]:g} mm",
                        human(i["bytes"]),
                        i["encoding"],
                    ]
                    for i in data["images"]
                ]
            ),
            "",
            "contents and page references",
            *_rows(
                [["on page", "entry", "says", "leads to", ""]]
                + [
                    [
                        str(e["page"]),
                        _short(e["title"]),
                        str(e["printed_page"]),
                        str(e["target_page"] or "nowhere"),
                        "ok" if e["ok"] else "WRONG",
                    ]
                    for e in data["contents"]
                ]
            ),
            "",
            "links",
            *_rows(
                [["page", "to"]]
                + [
                    [
                        str(link["page"]),
                        link["uri"]
                        or (link["file"] and f"file {link['file']}")
                        or f"#{link['target']} (page {link['target_page'] or '?'})",
                    ]
                    for link in data["links"]
                ]
            ),
            "",
            "accessibility",
            *_rows(
                [
                    ["tagged", _yes(facts.tagging.tagged and facts.tagging.marked)],
                    ["language", facts.tagging.lang or "NONE"],
                    ["title in window", _yes(facts.tagging.shows_title)],
                    [
                        "pictures with alt text",
                        f"{facts.tagging.figures - facts.tagging.figures_without_alt}"
                        f" of {facts.tagging.figures}",
                    ],
                    ["headings", " ".join(facts.tagging.headings) or "none"],
                ]
            ),
        ]
        if facts.attachments:
            lines += ["", "attachments"]
            lines += _rows(
                [a.name, human(a.size), a.relationship or "no relationship"]
                for a in facts.attachments
            )
        lines += ["", "findings"]
        lines += [
            f"  {f.severity}: " + (f"page {f.page}: " if f.page else "") + f.message
            for f in self.findings
        ] or ["  none"]
        return "\n".join(lines) + "\n"


def inspect_pdf(path: Path, profile: Profile | None = None) -> Inspection:
    """Read `path` and judge it; a file that is not a PDF is a located error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError([error(None, f"cannot read {path}: {exc.strerror}")]) from None
    if not data.startswith(b"%PDF-"):
        raise ContentError([error(None, f"{path}: not a PDF (it does not start with %PDF-)")])
    try:
        facts = compliance.read(data)
    except compliance.Unreadable as exc:
        raise ContentError([error(None, f"{path}: unreadable PDF: {exc}")]) from None
    chosen = profile or compliance.profile_of(facts)
    found = compliance.findings(facts, chosen)
    return Inspection(path, facts, chosen, found + _links_from_the_file(path, data, facts))


def _links_from_the_file(
    path: Path, pdf: bytes, facts: compliance.Facts
) -> list[compliance.Finding]:
    """What only `inspect` checks of the links, having the PDF alone and
    where it lies (a build compares them with its HTML instead, verify.py):
    each file a link opens is beside the PDF, and no address is printed
    without a link over it. Both are warnings: the PDF itself is sound (the
    file may be copied there later; an address may be meant as text)."""
    found = []
    for link in _distinct_links(facts):
        if link.file is not None and not (path.parent / link.file).is_file():
            found.append(
                compliance.Finding(
                    "warning",
                    "link",
                    f"a link to the file {link.file}, which is not beside this PDF",
                    link.page + 1,
                )
            )
    areas = [(link.page, link.rect) for link in facts.links]
    try:
        printed = unlinked_addresses(pdf, areas)
    except PdfiumError:  # text PDFium cannot read: no address to warn of
        printed = []
    for address in printed:
        found.append(
            compliance.Finding(
                "warning",
                "address",
                f"{address.text!r} is printed, but is not a link",
                address.page + 1,
            )
        )
    return found


def _distinct_links(facts: compliance.Facts):
    """One row per link target on a page (the engine writes one per line and pseudo-element)."""
    seen = set()
    for link in facts.links:
        key = (link.page, link.uri, link.dest, link.file)
        if key not in seen:
            seen.add(key)
            yield link


def _rows(rows) -> list[str]:
    """Aligned columns; a first row of all-lowercase words is a heading, shown
    only when rows follow it."""
    rows = [list(row) for row in rows]
    if not rows or (len(rows) == 1 and all(cell.islower() or not cell for cell in rows[0])):
        return ["  none"]
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def _one_based(page: int | None) -> int | None:
    return None if page is None else page + 1


def _leads_to(target: str | None, page: int | None) -> dict:
    """Where a contents entry or a link leads: the destination's name and its page (1-based)."""
    return {"target": target, "target_page": _one_based(page)}


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yes(value: bool) -> str:
    return "yes" if value else "NO"
