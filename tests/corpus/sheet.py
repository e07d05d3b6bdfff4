"""A contact sheet: each case's pages as thumbnails, one row a case, so a
person can see at a glance where a planner leaves holes and short tails.

Each thumbnail is labelled with its page's fill (Fit.page_fill); a page
below the target is labelled in red.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pypdfium2
from PIL import Image, ImageDraw, ImageFont

from .builds import Row
from .targets import FULL_PAGE, LAST_PAGE

THUMB_HEIGHT = 150  # px
MAX_PAGES = 12  # a row shows at most this many pages, then says how many more
LABEL_WIDTH = 250
GAP = 8
CAPTION = 16  # px under each thumbnail for its fill
INK, MISSED, PAPER = (30, 30, 30), (200, 30, 30), (235, 235, 232)


def contact_sheet(rows: Sequence[Row], path: Path, cases: int = 20) -> Path:
    """Write a PNG of the first `cases` built cases' pages to `path`."""
    built = [row for row in rows if row.pdf is not None and row.pdf.is_file()][:cases]
    strips = [_strip(row) for row in built]
    width = LABEL_WIDTH + max((strip.width for strip in strips), default=0) + GAP
    height = sum(strip.height + GAP for strip in strips) + GAP
    sheet = Image.new("RGB", (max(width, LABEL_WIDTH * 2), max(height, 40)), PAPER)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=13)
    y = GAP
    for row, strip in zip(built, strips, strict=True):
        lines = [
            row.name,
            f"{row.theme} {row.size}",
            f"{row.pages} pages, {len(row.findings)} findings",
        ]
        for n, text in enumerate(lines):
            colour = MISSED if n == 2 and not row.verdict.filled else INK
            draw.text((GAP, y + n * 18), text, fill=colour, font=font)
        sheet.paste(strip, (LABEL_WIDTH, y))
        y += strip.height + GAP
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(path, optimize=True)
    return path


def _strip(row: Row) -> Image.Image:
    """The row's pages side by side, each with its fill under it."""
    pages = _pages(row.pdf)
    width = sum(page.width + GAP for page in pages) + 60
    strip = Image.new("RGB", (width, THUMB_HEIGHT + CAPTION), PAPER)
    draw = ImageDraw.Draw(strip)
    font = ImageFont.load_default(size=12)
    x = 0
    for number, page in enumerate(pages, start=1):
        strip.paste(page, (x, 0))
        draw.rectangle((x, 0, x + page.width - 1, page.height - 1), outline=(150, 150, 150))
        share = row.fill[number - 1] if number <= len(row.fill) else 0.0
        last = number == len(row.fill)
        low = (share < LAST_PAGE and number > 1) if last else share < FULL_PAGE
        draw.text(
            (x + 2, THUMB_HEIGHT + 1),
            f"{number}: {share:.0%}",
            fill=MISSED if low else INK,
            font=font,
        )
        x += page.width + GAP
    if row.pages > len(pages):
        draw.text((x, THUMB_HEIGHT // 2), f"+{row.pages - len(pages)}", fill=INK, font=font)
    return strip


def _pages(pdf: Path) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        images = []
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            scale = THUMB_HEIGHT / page.get_height()
            images.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
        return images
    finally:
        document.close()
