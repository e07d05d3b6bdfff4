"""How far a rendered page is from its reference, and whether that is more than noise.

Three measures, because each misses what another catches (figures measured on
the October sample at 40 dpi; test_page_difference.py proves them):

- `mean`: the average difference over the page, in grey levels. It catches a
  faint change spread wide, such as a new paper tint or a lighter photo.
- `visible_share`: the share of pixels more than 32 grey levels apart. It
  catches a local change: a moved line of text (250+ such pixels), a moved
  photo (1,000+), a stray 10×10 mark (100). The cut-off is 32 and not 64
  because a 0.75 pt rule at 40 dpi is under half a pixel thick and, falling
  across two pixel rows, can darken each by only about 47 levels.
- `worst_line`: the largest average difference along one pixel row or column.
  It catches a thin straight line that the other two average away: a missing
  0.5 pt hairline changes no pixel by 32 levels and the page mean by 0.03, but
  moves the mean of its own row by 4 to 13 levels.

The limits sit above antialiasing noise (every inked pixel a few grey levels
off: mean under 0.9, no visible pixel, worst line about 2) and below the
smallest real change measured. What goes unseen: a rule that PDFium paints at
40 dpi as a tint of a few grey levels (the 0.4 pt grey column rules, the pull
quote's 0.5 pt lower rule) can vanish without failing a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops

MEAN_LIMIT = 1.0
VISIBLE_STEP = 32
VISIBLE_SHARE_LIMIT = 0.0005  # 77 pixels on an A4 page, fewer than a 10×10 mark
LINE_LIMIT = 3.0

PAPER = 255
NEW_INK = (220, 0, 0)
LOST_INK = (0, 90, 230)
HIGHLIGHT_STEP = 8  # differences under this are left out of diff.png, as noise


@dataclass(frozen=True)
class Difference:
    mean: float
    visible_share: float
    worst_line: float
    actual_size: tuple[int, int]
    expected_size: tuple[int, int]

    @property
    def acceptable(self) -> bool:
        return (
            self.actual_size == self.expected_size
            and self.mean <= MEAN_LIMIT
            and self.visible_share <= VISIBLE_SHARE_LIMIT
            and self.worst_line <= LINE_LIMIT
        )

    def __str__(self) -> str:
        parts = []
        if self.actual_size != self.expected_size:
            parts.append(f"size {self.actual_size} instead of {self.expected_size}")
        parts += [
            f"mean difference {self.mean:.3f} (limit {MEAN_LIMIT})",
            f"{self.visible_share:.4%} of pixels differ by more than {VISIBLE_STEP} grey levels"
            f" (limit {VISIBLE_SHARE_LIMIT:.4%})",
            f"worst row or column {self.worst_line:.2f} (limit {LINE_LIMIT})",
        ]
        return "; ".join(parts)


def measure(actual: Image.Image, expected: Image.Image) -> Difference:
    """The three measures; pages of different sizes are compared on a common canvas."""
    difference = ImageChops.difference(*on_common_canvas(actual, expected))
    histogram = difference.histogram()
    pixels = sum(histogram)
    width, height = difference.size
    grey = difference.convert("F")
    row_means = grey.resize((1, height), Image.Resampling.BOX)
    column_means = grey.resize((width, 1), Image.Resampling.BOX)
    return Difference(
        mean=sum(level * count for level, count in enumerate(histogram)) / pixels,
        visible_share=sum(histogram[VISIBLE_STEP + 1 :]) / pixels,
        worst_line=max(row_means.getextrema()[1], column_means.getextrema()[1]),
        actual_size=actual.size,
        expected_size=expected.size,
    )


def highlight(actual: Image.Image, expected: Image.Image) -> Image.Image:
    """The reference, faded, with new ink in red and lost ink in blue: the diff.png."""
    actual, expected = on_common_canvas(actual, expected)
    picture = expected.point(lambda level: 170 + level * 85 // 255).convert("RGB")
    new_ink = ImageChops.subtract(expected, actual)  # positive where the actual page is darker
    lost_ink = ImageChops.subtract(actual, expected)
    for colour, change in ((NEW_INK, new_ink), (LOST_INK, lost_ink)):
        picture.paste(colour, mask=change.point(lambda level: 255 if level > HIGHLIGHT_STEP else 0))
    return picture


def on_common_canvas(*pages: Image.Image) -> list[Image.Image]:
    """The pages on paper of the largest size among them, so any two can be compared."""
    size = (max(page.width for page in pages), max(page.height for page in pages))
    placed = []
    for page in pages:
        canvas = Image.new("L", size, PAPER)
        canvas.paste(page.convert("L"))
        placed.append(canvas)
    return placed
