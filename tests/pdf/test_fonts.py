"""Pages look the same on every machine: only the shipped fonts, embedded and subset."""

from __future__ import annotations

import re

from pypdf import PdfReader

# A theme's private family, or its drop cap's ("Ornament Classic Drop Cap", see tagging.py).
SHIPPED = re.compile(r"^[A-Z]{6}\+(Ornament-)?(Classic|Modern)-")


def fonts_of(path) -> dict[str, dict]:
    """BaseFont name -> its descriptor, for every font used on any page."""
    found = {}
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            found[str(font["/BaseFont"])] = described["/FontDescriptor"].get_object()
    return found


def test_sample_uses_only_shipped_fonts_embedded_and_subset(sample_pdf):
    fonts = fonts_of(sample_pdf)
    assert fonts
    for name, descriptor in fonts.items():
        assert SHIPPED.match(name.lstrip("/")), f"{name} is not a shipped font"
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_other_scripts_use_shipped_faces_and_missing_glyphs_are_reported(project):
    project.write(
        "issues/scripts.yaml",
        """\
        name: Gazette
        issue: {number: 1, date: 2026-01-31}
        articles:
          - title: Scripts
            body: "Persian سلام دنیا, Hebrew שלום עולם, and Chinese 中文."
    """,
    )
    run = project.run("build", "issues/scripts.yaml")
    assert run.code == 0, run.stderr
    names = [name.lstrip("/") for name in fonts_of(project.root / "build" / "scripts.pdf")]
    assert all(SHIPPED.match(name) for name in names), names
    assert any("Naskh" in name for name in names)
    assert 'unsupported by fonts: "中" (U+4E2D)' in run.stderr
