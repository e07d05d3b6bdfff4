"""What a PDF is made for: sending by email, printing, or keeping.

A profile decides everything about a build that is not the issue's content:
how fine the pictures are, which PDF standard the file claims, whether the
page carries bleed and crop marks, whether links get QR codes, and what is
attached. The layout, the words and the page breaks are the same in the
email and archive profiles (bleed and marks are drawn outside the trimmed
page), so an editor proofs one PDF and sends or files the other with
confidence; print adds a code at each story's foot, which the page planner
lays out like any other block, so its pages are proofed in its own PDF.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    summary: str
    dpi: int | None  # pictures at most this fine where printed; None: as supplied
    max_edge: int | None  # pictures.py shrinks larger ones first; None: never
    variant: str  # the PDF standard claimed (WeasyPrint's pdf_variant)
    bleed_mm: float = 0  # colour runs this far past the trimmed page (the PDF's BleedBox)
    crop_marks: bool = False  # drawn beyond the bleed, where no colour reaches them
    marks_mm: float = 0  # room for the crop marks beyond the bleed (the MediaBox)
    attach_source: bool = False  # the YAML rides inside the PDF
    soft_below_dpi: int = 100  # a picture printed coarser than this looks soft
    suffix: str = ""  # build/<slug><suffix>.pdf
    budgeted: bool = False  # held to the size_budget_mb: it travels by email
    photo_quality: int = 85  # JPEG quality of a photo re-encoded or resampled
    link_codes: bool = False  # each story's link also as a QR code: paper cannot be clicked

    @property
    def claims_archive(self) -> bool:
        return self.variant.startswith("pdf/a-")


EMAIL = Profile(
    "email",
    "small enough to attach: pictures at most 200 dpi where printed; tagged PDF/UA-1",
    dpi=200,
    max_edge=3000,
    variant="pdf/ua-1",
    budgeted=True,
)
PRINT = Profile(
    "print",
    "for the print shop: every pixel of each picture, 3 mm bleed and crop marks; tagged",
    dpi=None,
    max_edge=None,
    variant="pdf/ua-1",
    bleed_mm=3,
    crop_marks=True,
    marks_mm=6,
    photo_quality=95,
    soft_below_dpi=150,
    suffix="-print",
    link_codes=True,
)
ARCHIVE = Profile(
    "archive",
    "to keep: PDF/A-3b, tagged, pictures at most 300 dpi, the issue's YAML attached",
    dpi=300,
    max_edge=4000,
    variant="pdf/a-3b",
    attach_source=True,
    suffix="-archive",
)
PROFILES = {profile.name: profile for profile in (EMAIL, PRINT, ARCHIVE)}
