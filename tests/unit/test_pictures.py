"""Pictures are prepared for email: photographs as JPEG, line art as PNG,
upright, RGB, no larger than a page can use, cached by content."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from broadsheet.html.pictures import MAX_EDGE, Pictures


def photograph(size=(600, 400), mode="RGB") -> Image.Image:
    """Noise over a gradient: as many colours as a real photo."""
    noise = Image.effect_noise(size, 40).convert("L")
    gradient = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (noise, gradient, noise.transpose(0))).convert(mode)


def save(image: Image.Image, path, format: str, **options) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format, **options)


@pytest.fixture
def prepare(tmp_path):
    return Pictures(tmp_path / "cache")


def opened(path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def test_a_photograph_saved_as_png_becomes_a_jpeg_of_the_same_size(tmp_path, prepare):
    source = tmp_path / "photo.png"
    save(photograph(), source, "PNG")
    prepared = prepare(source)
    assert prepared.suffix == ".jpg" and prepared.parent == tmp_path / "cache"
    assert opened(prepared).size == (600, 400)
    assert prepared.stat().st_size < source.stat().st_size / 2


def test_line_art_stays_png(tmp_path, prepare):
    source = tmp_path / "diagram.png"
    art = Image.new("RGB", (400, 300), "white")
    art.paste((20, 40, 120), (50, 50, 350, 250))
    save(art, source, "PNG")
    prepared = prepare(source)
    assert prepared.suffix in (".png", "")
    assert opened(prepared).format == "PNG"


def test_an_upright_jpeg_is_used_as_it_is(tmp_path, prepare):
    source = tmp_path / "photo.jpg"
    save(photograph(), source, "JPEG", quality=90)
    assert prepare(source) == source


def test_the_camera_orientation_is_applied(tmp_path, prepare):
    source = tmp_path / "sideways.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # a GPS position the PDF must not carry
    save(photograph((600, 400)), source, "JPEG", exif=exif.tobytes())
    prepared = opened(prepare(source))
    assert prepared.size == (400, 600)
    assert not prepared.getexif().get_ifd(0x8825) and 0x0112 not in prepared.getexif()


def test_cmyk_and_palette_pictures_become_rgb(tmp_path, prepare):
    cmyk = tmp_path / "print.jpg"
    save(photograph().convert("CMYK"), cmyk, "JPEG")
    assert opened(prepare(cmyk)).mode == "RGB"
    palette = tmp_path / "logo.png"
    logo = Image.new("P", (64, 64), 0)
    logo.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    logo.paste(1, (16, 16, 48, 48))
    save(logo, palette, "PNG", transparency=0)
    prepared = opened(prepare(palette))
    assert prepared.format == "PNG" and prepared.mode == "RGBA"


def test_a_very_large_photo_is_reduced_to_what_a_page_can_use(tmp_path, prepare):
    source = tmp_path / "camera.jpg"
    save(photograph((8000, 6000)), source, "JPEG", quality=80)
    prepared = opened(prepare(source))
    assert max(prepared.size) <= MAX_EDGE
    assert prepared.size[0] / prepared.size[1] == pytest.approx(8000 / 6000, rel=0.01)


def test_prepared_pictures_are_cached_by_content(tmp_path):
    source = tmp_path / "photo.png"
    save(photograph(), source, "PNG")
    first = Pictures(tmp_path / "cache")(source)
    written = first.stat().st_mtime_ns
    again = Pictures(tmp_path / "cache")(source)  # a new build: found in the cache
    assert again == first and again.stat().st_mtime_ns == written
    save(photograph((601, 400)), source, "PNG")  # changed bytes: a new entry
    assert Pictures(tmp_path / "cache")(source) != first


def test_without_a_writable_cache_the_original_is_used(tmp_path):
    source = tmp_path / "photo.png"
    save(photograph(), source, "PNG")
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would go")
    assert Pictures(blocked)(source) == source
    assert Pictures(None)(source) == source


def test_the_same_picture_gives_the_same_bytes(tmp_path):
    source = tmp_path / "photo.png"
    save(photograph(), source, "PNG")
    one = Pictures(tmp_path / "a")(source).read_bytes()
    two = Pictures(tmp_path / "b")(source).read_bytes()
    assert one == two
    assert io.BytesIO(one).read(2) == b"\xff\xd8"
