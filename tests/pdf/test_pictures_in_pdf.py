"""An issue with four 4000 x 3000 camera photos builds to an email-sized PDF:
every photo a JPEG no finer than 200 dpi where it is printed."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import PHOTOS

CAMERA = (4000, 3000)
SOURCES = ["coffee.png", "chelsea.png", "rocket.jpg", "hubble_deep_field.jpg"]


@pytest.fixture(scope="module")
def camera_photos(tmp_path_factory):
    """The sample photos enlarged to 4000 x 3000 and saved as PNG (as a phone's
    "save as PNG" would: megabytes each), made once for the module."""
    folder = tmp_path_factory.mktemp("camera")
    for n, name in enumerate(SOURCES, start=1):
        with Image.open(PHOTOS / name) as photo:
            big = photo.convert("RGB").resize(CAMERA, Image.Resampling.LANCZOS)
        big.save(folder / f"camera-{n}.png", "PNG", compress_level=1)
    return folder


def issue_with_camera_photos(project, camera_photos) -> str:
    shutil.copytree(camera_photos, project.root / "issues" / "images")
    articles = []
    for n in range(1, len(SOURCES) + 1):
        body = " ".join(["Words about the picture and the day it was taken."] * 40)
        articles.append(
            f"  - title: Story {n}\n"
            f"    image: {{src: images/camera-{n}.png, caption: Photo {n}.}}\n"
            f"    body: {body}\n"
        )
    return "name: The Photo Gazette\nissue: {number: 1, date: 2026-01-31}\narticles:\n" + "".join(
        articles
    )


def test_four_camera_photos_make_a_pdf_under_one_megabyte(project, camera_photos):
    project.write("issues/photos.yaml", issue_with_camera_photos(project, camera_photos))
    sources = sum(p.stat().st_size for p in (project.root / "issues" / "images").iterdir())
    assert sources > 20_000_000
    run = project.run("build", "issues/photos.yaml", "--depfile", "build/photos.d")
    assert run.code == 0, run.stderr
    pdf = project.root / "build" / "photos.pdf"
    assert pdf.stat().st_size < 1_000_000
    reader = PdfReader(pdf)
    images = {
        id(x.get_object()): x.get_object()
        for page in reader.pages
        for x in (page["/Resources"].get("/XObject") or {}).values()
    }
    assert len(images) == 4
    text_block_at_200_dpi = 182 / 25.4 * 200  # the widest a photo can be printed on A4
    for image in images.values():
        assert image["/Filter"] == "/DCTDecode"
        assert image["/Width"] <= text_block_at_200_dpi
    # The depfile names the photos the editor gave, not their prepared copies.
    rule = (project.root / "build" / "photos.d").read_text(encoding="utf-8")
    assert "camera-1.png" in rule and ".cache" not in rule


def test_a_rebuild_reuses_the_prepared_photos(project, camera_photos):
    project.write("issues/photos.yaml", issue_with_camera_photos(project, camera_photos))
    assert project.run("build", "issues/photos.yaml").code == 0
    cache = project.root / "build" / ".cache" / "pictures"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(before) == 4
    first = (project.root / "build" / "photos.pdf").read_bytes()
    assert project.run("build", "issues/photos.yaml").code == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    assert (project.root / "build" / "photos.pdf").read_bytes() == first
