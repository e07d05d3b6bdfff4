"""PDF/A forbids pictures that ask the viewer to smooth them (`/Interpolate
true`, veraPDF rule 6.2.8-3): the archive profile writes none, and a PDF/A
file that has one fails the build's verification and `broadsheet inspect`.

The issue has a photograph (JPEG) and a drawing with transparency (PNG, so
the PDF holds a soft mask too); every object of the built PDF is walked
with pikepdf, and every page's content parsed for inline images. A file
with the fault is made from a built archive with pikepdf.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from broadsheet.cli.main import main
from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.pdf.verify import verify
from broadsheet.profiles import ARCHIVE
from conftest import PHOTOS

ISSUE = """\
name: The Smoothing Gazette
issue: {number: 2, date: 2026-04-01}
articles:
  - title: The deep field, once more
    image:
      src: images/deep.jpg
      caption: The deep field.
    body: |
      A photograph, then a drawing with a transparent background.

      ![A ringed planet, drawn](images/planet.png)
"""


def write_project(root: Path) -> Path:
    images = root / "issues" / "images"
    images.mkdir(parents=True)
    with Image.open(PHOTOS / "hubble_deep_field.jpg") as photo:
        photo.convert("RGB").save(images / "deep.jpg", "JPEG", quality=90)
    drawing = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    pen = ImageDraw.Draw(drawing)
    pen.ellipse((120, 70, 280, 230), fill=(29, 58, 92, 255))
    pen.ellipse((40, 130, 360, 170), outline=(200, 120, 40, 255), width=6)
    drawing.save(images / "planet.png")
    issue = root / "issues" / "smoothing.yaml"
    issue.write_text(ISSUE, encoding="utf-8")
    return issue


def build(issue: Path, root: Path, profile: str, out: Path) -> Path:
    err = io.StringIO()
    command = ["build", str(issue), "-o", str(out), "--root", str(root), "--profile", profile]
    code = main([*command, "--quiet"], stdout=io.StringIO(), stderr=err, environ={})
    assert code == 0, err.getvalue()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("smoothing") / "project"
    issue = write_project(root)
    return {
        "root": root,
        "issue": issue,
        "archive": build(issue, root, "archive", root / "build" / "smoothing-archive.pdf"),
        "email": build(issue, root, "email", root / "build" / "smoothing.pdf"),
    }


def interpolating(path: Path) -> tuple[list[str], int, int]:
    """Every object with /Interpolate true, inline images with /I true
    included; and how many pictures and soft masks the file holds."""
    found, pictures, masks = [], 0, 0
    with pikepdf.open(path) as pdf:
        for item in pdf.objects:
            if not isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
                continue
            if item.get("/Subtype") == "/Image":
                pictures += 1
                masks += isinstance(item.get("/SMask"), pikepdf.Stream)
            if item.get("/Interpolate") is True or item.get("/I") is True:
                found.append(f"object {item.objgen}")
        for number, page in enumerate(pdf.pages, start=1):
            inline = (
                i.iimage.obj
                for i in pikepdf.parse_content_stream(page)
                if isinstance(i, pikepdf.ContentStreamInlineImage)
            )
            found += [f"inline image on page {number}" for o in inline if o.get("/Interpolate")]
    return found, pictures, masks


def test_an_archive_has_no_interpolate_true_anywhere(built):
    found, pictures, masks = interpolating(built["archive"])
    assert pictures >= 3 and masks >= 1  # the photo, the drawing and its soft mask
    assert found == []


def test_the_email_profile_keeps_smooth_scaling(built):
    """PDF/UA allows it, and a picture enlarged on screen looks better smoothed."""
    found, pictures, _ = interpolating(built["email"])
    assert len(found) == pictures


def smoothed(pdf: Path, out: Path) -> Path:
    """`pdf` with /Interpolate true put back on every picture and soft mask."""
    with pikepdf.open(pdf) as document:
        for item in document.objects:
            if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image":
                item.Interpolate = True
        document.save(out)
    return out


def test_verify_refuses_an_archive_with_interpolate_true(built, tmp_path):
    bad = smoothed(built["archive"], tmp_path / "smoothed-archive.pdf")
    issue = validate(load(built["issue"]), built["root"])
    assert verify(built["archive"].read_bytes(), issue, ARCHIVE) == []
    errors = [d.message for d in verify(bad.read_bytes(), issue, ARCHIVE) if d.severity == "error"]
    assert len([m for m in errors if "/Interpolate true, which PDF/A-3b forbids" in m]) >= 3
    assert any("page 1: soft mask " in m for m in errors), errors


def test_inspect_names_each_picture_with_interpolate_true_on_its_page(built, tmp_path):
    bad = smoothed(built["archive"], tmp_path / "smoothed-archive.pdf")
    out, err = io.StringIO(), io.StringIO()
    code = main(["inspect", str(bad), "--json"], stdout=out, stderr=err, environ={})
    assert code == 1, err.getvalue()
    report = json.loads(out.getvalue())
    assert report["profile"] == "archive"  # judged by its PDF/A claim
    smoothing = [f for f in report["findings"] if "/Interpolate true" in f["message"]]
    assert {(f["severity"], f["code"], f["page"]) for f in smoothing} == {("error", "claim", 1)}
    kinds = sorted(f["message"].split(" ")[0] for f in smoothing)
    assert kinds == ["image", "image", "soft"]


def test_an_inline_image_with_interpolate_true_is_found_too(built, tmp_path):
    """WeasyPrint writes no inline images, but another program's PDF/A may."""
    bad = tmp_path / "inline-archive.pdf"
    with pikepdf.open(built["archive"]) as document:
        page = document.pages[0]
        drawing = b"q 20 0 0 20 40 40 cm BI /W 1 /H 1 /CS /G /BPC 8 /I true ID \x80 EI Q"
        page.contents_add(document.make_stream(drawing))
        document.save(bad)
    out = io.StringIO()
    code = main(["inspect", str(bad)], stdout=out, stderr=io.StringIO(), environ={})
    assert code == 1
    assert (
        "error: page 1: inline image in the page's content has /Interpolate true" in out.getvalue()
    )


def test_a_pdf_claiming_no_pdfa_may_smooth_its_pictures(built):
    out = io.StringIO()
    code = main(["inspect", str(built["email"])], stdout=out, stderr=io.StringIO(), environ={})
    assert "/Interpolate" not in out.getvalue()
    assert code == 0, out.getvalue()
