"""One issue, three PDFs: email (small, tagged PDF/UA-1), print (every pixel,
3 mm bleed and crop marks) and archive (PDF/A-3b carrying its YAML).

The same layout in all three, each a clean PDF by qpdf, pikepdf and a strict
pypdf, and each the same bytes on every rebuild: only dates change when the
dates do.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader

from broadsheet.cli.main import main
from conftest import PHOTOS

PHOTO_PIXELS = (3000, 2000)  # a camera photo: far finer than any profile prints it
A4 = (595.275591, 841.889764)  # points
BLEED = 3 / 25.4 * 72  # 3 mm in points
MARKS = 6 / 25.4 * 72  # the room beyond the bleed where the crop marks are drawn
ISSUE = """\
name: The Profile Gazette
tagline: Three PDFs from one file
issue: {{number: 4, date: {date}}}
articles:
  - title: A night under the deep field
    author: Ada Byline
    image:
      src: images/deep.jpg
      caption: The deep field, enlarged.
    body: |
{body}
  - title: Second story
    body: |
{body}
boxes:
  - title: About us
    body: We print, we email, we keep.
"""
PARAGRAPH = "      " + "A sentence of the ordinary kind that newsletters are made of. " * 8


def write_project(root: Path, date: str = "2026-03-02") -> Path:
    (root / "issues" / "images").mkdir(parents=True, exist_ok=True)
    with Image.open(PHOTOS / "hubble_deep_field.jpg") as photo:
        big = photo.convert("RGB").resize(PHOTO_PIXELS, Image.Resampling.LANCZOS)
    big.save(root / "issues" / "images" / "deep.jpg", "JPEG", quality=90)
    (root / "issues" / "newsletter.yaml").write_text("lang: en-GB\n", encoding="utf-8")
    body = "\n\n".join([PARAGRAPH] * 4)
    issue = root / "issues" / "profiles.yaml"
    issue.write_text(ISSUE.format(date=date, body=body), encoding="utf-8")
    return issue


def build(root: Path, profile: str, out: Path) -> Path:
    stderr = io.StringIO()
    issue = str(root / "issues" / "profiles.yaml")
    code = main(
        ["build", issue, "-o", str(out), "--root", str(root), "--profile", profile, "--strict"],
        stdout=io.StringIO(),
        stderr=stderr,
        environ={},
    )
    assert code == 0, stderr.getvalue()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The issue in each profile, built once for the module (SOURCE_DATE_EPOCH unset)."""
    root = tmp_path_factory.mktemp("profiles")
    write_project(root)
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        pdfs = {p: build(root, p, root / "build" / f"{p}.pdf") for p in PROFILES}
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    pdfs["root"] = root
    return pdfs


PROFILES = ("email", "print", "archive")


def xobject_images(path: Path) -> list[dict]:
    """Each picture once (the engine gives every page the same resources)."""
    reader = PdfReader(path)
    found = {
        xobject.idnum: xobject.get_object()
        for page in reader.pages
        for xobject in (page["/Resources"].get("/XObject") or {}).values()
    }
    return [image for image in found.values() if image["/Subtype"] == "/Image"]


def xmp(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return pdf.Root.Metadata.read_bytes().decode()


# -- each profile ----------------------------------------------------------------------------


def test_email_pictures_are_at_most_200_dpi_where_printed(built):
    (photo,) = xobject_images(built["email"])
    column_at_200_dpi = 84 / 25.4 * 200  # the classic column is 84 mm wide
    assert photo["/Width"] <= column_at_200_dpi * 1.05
    assert photo["/Filter"] == "/DCTDecode"
    assert 'pdfuaid:part="1"' in xmp(built["email"]) or "<pdfuaid:part>1<" in xmp(built["email"])


def test_print_keeps_the_photo_as_supplied(built):
    """Every pixel, and the camera's JPEG byte for byte: not compressed a second time."""
    (photo,) = xobject_images(built["print"])
    assert (photo["/Width"], photo["/Height"]) == PHOTO_PIXELS
    supplied = (built["root"] / "issues" / "images" / "deep.jpg").read_bytes()
    with pikepdf.open(built["print"]) as pdf:
        xobjects = pdf.pages[0].Resources.XObject.values()
        (stored,) = [xobject for xobject in xobjects if xobject.Subtype == "/Image"]
        assert stored.read_raw_bytes() == supplied


def corners_have_crop_marks(pdf: Path, page: int = 0) -> bool:
    """Ink at each corner in the room beyond the bleed, where nothing but the
    marks is drawn: the marks extend the trim lines from the paper's edge."""
    scale = 4
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=scale).to_pil().convert("L")
    along, depth = int((MARKS + BLEED + 2) * scale), int(MARKS / 2 * scale)
    width, height = image.size
    strips = [
        (0, 0, along, depth),  # top left, the vertical mark
        (width - along, 0, width, depth),  # top right
        (0, height - depth, along, height),  # bottom left
        (width - along, height - depth, width, height),  # bottom right
        (0, 0, depth, along),  # top left, the horizontal mark
        (width - depth, height - along, width, height),  # bottom right
    ]
    return all(image.crop(strip).getextrema()[0] < 160 for strip in strips)


def test_print_has_a_3mm_bleed_and_crop_marks_beyond_it(built):
    page = PdfReader(built["print"]).pages[0]
    assert [float(v) for v in page.trimbox] == pytest.approx([0, 0, *A4], abs=0.01)
    bleed = [-BLEED, -BLEED, A4[0] + BLEED, A4[1] + BLEED]
    assert [float(v) for v in page.bleedbox] == pytest.approx(bleed, abs=0.01)
    media = [-BLEED - MARKS, -BLEED - MARKS, A4[0] + BLEED + MARKS, A4[1] + BLEED + MARKS]
    assert [float(v) for v in page.mediabox] == pytest.approx(media, abs=0.01)
    assert corners_have_crop_marks(built["print"])
    email = PdfReader(built["email"]).pages[0]
    assert [float(v) for v in email.mediabox] == pytest.approx([0, 0, *A4], abs=0.01)
    assert [float(v) for v in email.bleedbox] == pytest.approx([0, 0, *A4], abs=0.01)


def test_a_colour_band_runs_into_the_bleed_and_leaves_the_marks_visible(tmp_path):
    """The modern masthead is a band to the paper's edge: printed, it must run
    3 mm past it (a trim a hair off would show a white line), yet stop short
    of the crop marks."""
    write_project(tmp_path)
    (tmp_path / "issues" / "newsletter.yaml").write_text("theme: modern\n", encoding="utf-8")
    pdf = build(tmp_path, "print", tmp_path / "print.pdf")
    scale = 4
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=scale).to_pil().convert("RGB")
    accent = (0x00, 0x67, 0x7F)
    in_bleed = int((MARKS + BLEED / 2) * scale)  # halfway between the bleed edge and the paper
    band = int((MARKS + BLEED + 20) * scale)  # 20 pt down the paper, inside the band
    for x, y in [(in_bleed, band), (image.width - in_bleed, band), (band, in_bleed)]:
        assert image.getpixel((x, y)) == pytest.approx(accent, abs=3), (x, y)
    beyond = int(MARKS / 2 * scale)
    assert image.getpixel((beyond, band)) == (255, 255, 255)
    assert corners_have_crop_marks(pdf)
    # Page 2 on: the 4 mm page strip along the top edge runs into the bleed too.
    page = pypdfium2.PdfDocument(pdf)[1].render(scale=scale).to_pil().convert("RGB")
    strip = int((MARKS + BLEED + 2) * scale)  # 2 pt below the paper's top edge
    for x, y in [(page.width // 2, in_bleed), (in_bleed, strip), (page.width - in_bleed, strip)]:
        assert page.getpixel((x, y)) == pytest.approx(accent, abs=3), (x, y)


def test_the_layout_is_the_same_in_every_profile(built):
    """Bleed is added outside the page, so every line and link stays where it was."""
    readers = {p: PdfReader(built[p]) for p in PROFILES}
    email = readers["email"]
    for profile in ("print", "archive"):
        other = readers[profile]
        assert len(other.pages) == len(email.pages)
        for mine, theirs in zip(email.pages, other.pages, strict=True):
            assert theirs.extract_text() == mine.extract_text()
            assert link_rects(theirs) == link_rects(mine)


def link_rects(page) -> list[list[float]]:
    return [
        [round(float(v), 2) for v in annot.get_object()["/Rect"]]
        for annot in page.get("/Annots") or ()
    ]


def test_archive_is_pdfa_3b_with_its_yaml_attached_as_the_source(built):
    root = built["root"]
    metadata = xmp(built["archive"])
    assert re.search(r'pdfaid:part(="3"|>3<)', metadata)
    assert re.search(r'pdfaid:conformance(="B"|>B<)', metadata)
    reader = PdfReader(built["archive"])
    attached = {name: data[0] for name, data in reader.attachments.items()}
    assert attached == {
        "profiles.yaml": (root / "issues" / "profiles.yaml").read_bytes(),
        "newsletter.yaml": (root / "issues" / "newsletter.yaml").read_bytes(),
    }
    with pikepdf.open(built["archive"]) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
        listed = [spec.UF for spec in pdf.Root.AF]
        assert sorted(str(name) for name in listed) == ["newsletter.yaml", "profiles.yaml"]
        for spec in pdf.Root.AF:
            assert spec.AFRelationship == "/Source"
            assert spec.EF.F.Subtype == "/application/yaml"
    (photo,) = xobject_images(built["archive"])
    assert photo["/Width"] <= 84 / 25.4 * 300 * 1.05  # at most 300 dpi


def test_only_the_archive_carries_files(built):
    for profile in ("email", "print"):
        assert PdfReader(built[profile]).attachments == {}


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_is_a_clean_pdf_to_qpdf_pikepdf_and_strict_pypdf(built, profile):
    checked = subprocess.run(
        ["qpdf", "--check", str(built[profile])], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with pikepdf.open(built[profile]) as pdf:
        assert pdf.check_pdf_syntax() == []
    reader = PdfReader(built[profile], strict=True)
    assert all(page.extract_text() for page in reader.pages)


# -- the same bytes every time ---------------------------------------------------------------


DATES = re.compile(
    rb"D:\d{14}(?:Z|[+-]\d\d'\d\d'?)?"  # PDF dates
    rb"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"  # XMP dates
)
FILE_ID = re.compile(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]")


def without_dates(path: Path) -> bytes:
    """The PDF with every object written out uncompressed and in a fixed order
    (qpdf's QDF form), dates and the file identifier blanked."""
    out = io.BytesIO()
    with pikepdf.open(path) as pdf:
        pdf.save(
            out,
            qdf=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
            static_id=True,
        )
    return FILE_ID.sub(b"/ID []", DATES.sub(b"DATE", out.getvalue()))


def build_in_fresh_process(root: Path, profile: str, out: Path, env_extra: dict) -> bytes:
    import broadsheet

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | env_extra
    env["PYTHONPATH"] = str(Path(broadsheet.__file__).parents[1])  # the package under test
    command = ["build", "issues/profiles.yaml", "-o", str(out), "--profile", profile, "--quiet"]
    subprocess.run(
        [sys.executable, "-m", "broadsheet", *command],
        cwd=root,
        env=env,
        check=True,
    )
    return out.read_bytes()


@pytest.mark.parametrize("profile", PROFILES)
def test_a_rebuild_in_another_process_gives_the_same_bytes(built, profile, tmp_path):
    again = build_in_fresh_process(
        built["root"], profile, tmp_path / "again.pdf", {"PYTHONHASHSEED": "4242"}
    )
    assert again == built[profile].read_bytes()


@pytest.mark.parametrize("profile", PROFILES)
def test_source_date_epoch_changes_only_the_dates(built, profile, tmp_path):
    stamped = tmp_path / "stamped.pdf"
    stamped.write_bytes(
        build_in_fresh_process(built["root"], profile, stamped, {"SOURCE_DATE_EPOCH": "1700000000"})
    )
    assert stamped.read_bytes() != built[profile].read_bytes()
    assert PdfReader(stamped).metadata["/CreationDate"].startswith("D:20231114")
    assert without_dates(stamped) == without_dates(built[profile])


@pytest.mark.parametrize("profile", ("email", "print"))
def test_a_new_issue_date_in_the_same_month_changes_only_the_dates(profile, tmp_path):
    """The pages print the month, so a date later in March changes no page; the
    PDF's own dates follow the issue's. (An archived PDF changes its attached
    YAML too, as it should.) Built in one folder: the engine names pictures
    by where they are."""
    write_project(tmp_path, date="2026-03-02")
    first = build(tmp_path, profile, tmp_path / "first.pdf")
    write_project(tmp_path, date="2026-03-20")
    later = build(tmp_path, profile, tmp_path / "later.pdf")
    assert PdfReader(first).metadata["/CreationDate"].startswith("D:20260302")
    assert PdfReader(later).metadata["/CreationDate"].startswith("D:20260320")
    assert without_dates(later) == without_dates(first)
