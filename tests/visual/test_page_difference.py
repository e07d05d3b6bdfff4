"""Proof that the comparison's limits sit where they should: real changes fail, noise passes.

Every case alters October's page 1 as rendered now (what its reference holds
while the suite is green), so the proof stands whatever state the references
are in. The first cases alter the picture; the last alter the PDF itself with
PDFium and render it again, as a layout regression would.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from page_difference import PAPER, measure
from page_images import render_page, render_pages, to_pixels
from PIL import Image, ImageDraw

# Geometry of the classic theme, in points.
BODY_LINE = 13.5  # from one line of story text to the next
SIDE_MARGIN = 51  # 18 mm, from the paper's edge to the text block
FOOT_TOP = 45  # the running foot and its rule lie below this, in the 15 mm bottom margin

HAIRLINE_DARKNESS = 20  # grey levels: a 0.5 pt grey rule spread over one pixel row at 40 dpi


@pytest.fixture(scope="module")
def page(sample_pdf) -> Image.Image:
    return render_pages(sample_pdf)[0]


@pytest.fixture(scope="module")
def photo_box(sample_pdf) -> tuple[int, int, int, int]:
    """Where page 1's photo sits in the picture: left, top, right, bottom in pixels."""
    document = pdfium.PdfDocument(sample_pdf)
    try:
        first = document[0]
        images = [obj for obj in first.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
        assert images, "page 1 of the October sample has no photo any more"
        left, bottom, right, top = images[0].get_bounds()
        height = first.get_height()
        return (
            to_pixels(left),
            to_pixels(height - top),
            to_pixels(right),
            to_pixels(height - bottom),
        )
    finally:
        document.close()


# ---- noise that must pass ------------------------------------------------------


def inked_pixels_two_levels_darker(page: Image.Image) -> Image.Image:
    return page.point(lambda level: max(level - 2, 0) if level < PAPER else level)


def inked_pixels_jittered_by_three_levels(page: Image.Image) -> Image.Image:
    jitter = random.Random(17)
    levels = bytes(
        min(max(level + jitter.randint(-3, 3), 0), PAPER) if level < PAPER else level
        for level in page.tobytes()
    )
    return Image.frombytes("L", page.size, levels)


def test_the_same_page_passes_with_nothing_measured(page):
    difference = measure(page, page.copy())
    assert difference.acceptable
    assert (difference.mean, difference.visible_share, difference.worst_line) == (0, 0, 0)


@pytest.mark.parametrize(
    "noise", [inked_pixels_two_levels_darker, inked_pixels_jittered_by_three_levels]
)
def test_antialiasing_noise_passes(page, noise):
    difference = measure(noise(page), page)
    assert difference.acceptable, difference


# ---- changes to the picture that must fail -------------------------------------


def black_square_in_the_margin(page: Image.Image, photo_box) -> Image.Image:
    marked = page.copy()
    ImageDraw.Draw(marked).rectangle((5, 5, 14, 14), fill=0)  # 10 × 10 pixels
    return marked


def page_shifted_down_three_pixels(page: Image.Image, photo_box) -> Image.Image:
    shifted = Image.new("L", page.size, PAPER)
    shifted.paste(page, (0, 3))
    return shifted


def lower_half_one_line_lower(page: Image.Image, photo_box) -> Image.Image:
    """As when a paragraph halfway down gains a line."""
    middle = page.height // 2
    moved = page.copy()
    moved.paste(PAPER, (0, middle, page.width, page.height))
    moved.paste(page.crop((0, middle, page.width, page.height)), (0, middle + to_pixels(BODY_LINE)))
    return moved


def photo_blanked(page: Image.Image, photo_box) -> Image.Image:
    blanked = page.copy()
    blanked.paste(PAPER, photo_box)
    return blanked


def photo_moved_three_pixels_right(page: Image.Image, photo_box) -> Image.Image:
    moved = photo_blanked(page, photo_box)
    moved.paste(page.crop(photo_box), (photo_box[0] + 3, photo_box[1]))
    return moved


def hairline_added_in_the_margin(page: Image.Image, photo_box) -> Image.Image:
    """Adding a rule and losing one make the same difference."""
    ruled = page.copy()
    left, right = to_pixels(SIDE_MARGIN), page.width - to_pixels(SIDE_MARGIN)
    ImageDraw.Draw(ruled).line((left, 10, right, 10), fill=PAPER - HAIRLINE_DARKNESS)
    return ruled


@pytest.mark.parametrize(
    "change",
    [
        black_square_in_the_margin,
        page_shifted_down_three_pixels,
        lower_half_one_line_lower,
        photo_blanked,
        photo_moved_three_pixels_right,
        hairline_added_in_the_margin,
    ],
)
def test_a_changed_picture_fails(page, photo_box, change):
    changed = change(page, photo_box)
    assert changed.tobytes() != page.tobytes(), "the change changed nothing"
    difference = measure(changed, page)
    assert not difference.acceptable, f"{change.__name__} passes: {difference}"


def test_a_page_of_another_size_fails(page):
    assert not measure(page.crop((0, 0, page.width, page.height - 1)), page).acceptable


# ---- changes to the PDF that must fail -----------------------------------------


def objects_of(page: pdfium.PdfPage, kind: int) -> list[pdfium.PdfObject]:
    return [obj for obj in page.get_objects() if obj.type == kind]


def running_foot_rule_removed(page: pdfium.PdfPage) -> None:
    """The 0.5 pt grey rule over the running foot, one of the faintest the theme draws."""
    rules = [
        obj
        for obj in objects_of(page, pdfium_c.FPDF_PAGEOBJ_PATH)
        if obj.get_bounds()[3] <= FOOT_TOP
    ]
    assert rules, "page 1 has no rule in its running foot any more: pick another"
    for rule in rules:
        page.remove_obj(rule)


def photo_moved_two_points_right(page: pdfium.PdfPage) -> None:
    for photo in objects_of(page, pdfium_c.FPDF_PAGEOBJ_IMAGE):
        photo.transform(pdfium.PdfMatrix().translate(2, 0))


def one_line_of_text_moved_down_a_line(page: pdfium.PdfPage) -> None:
    lines = [
        obj
        for obj in objects_of(page, pdfium_c.FPDF_PAGEOBJ_TEXT)
        if (bounds := obj.get_bounds())[2] - bounds[0] > 150 and bounds[3] - bounds[1] < 12
    ]
    assert lines, "page 1 has no line of text 150 pt wide any more"
    lines[-1].transform(pdfium.PdfMatrix().translate(0, -BODY_LINE))


@pytest.mark.parametrize(
    "change",
    [running_foot_rule_removed, photo_moved_two_points_right, one_line_of_text_moved_down_a_line],
)
def test_a_changed_pdf_fails(sample_pdf, page, change: Callable[[pdfium.PdfPage], None]):
    document = pdfium.PdfDocument(sample_pdf)
    try:
        first = document[0]
        change(first)
        first.gen_content()
        changed = render_page(first)
    finally:
        document.close()
    difference = measure(changed, page)
    assert not difference.acceptable, f"{change.__name__} passes: {difference}"
