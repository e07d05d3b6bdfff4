"""A photo across the columns: set at the top of its story's body, over all
its columns, the way a newspaper heads a story with a wide picture, and the
text balanced in the columns under it.

A story whose photo is taller than its text leaves one column holding the
photo and the next a few lines (copy-fit's "mostly empty" column); spanned,
the photo takes the body's width and the text shares the columns evenly.
The picture is cropped to the height the plan chooses (the engine keeps its
focus in view): a share of its height in a column, never a thinner strip
than `STRIP` allows, so it stays a photo and not a band. The caption is
wrapped anew at the body's width, from the width its text took in the
column (`caption_height`), and the engine's layout of the plan is compared
with it afterwards (engine/copyfit.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from broadsheet.planner.columns import EPSILON, Stream, balanced, fill, lopsided, stream_of
from broadsheet.planner.gauges import ItemGauge, Unit

SHARES = (1.0, 0.8, 0.6)  # the picture's height across the columns, of its height in one
STRIP = 4.0  # the widest crop: a picture four times as wide as it is tall
WRAP = 0.9  # of a caption's line, what its words fill before the next goes on a line of its own
CSS_PX_PER_INCH = 96


def spannable(item: ItemGauge, sharp: int = 0) -> bool:
    """Whether the item's photo may be set across its body: it has a photo
    in a body of more than one column, with the pixels to print at least
    `sharp` dpi at the body's width (a picture printed coarser looks soft,
    and the build warns of it)."""
    if not item.photo_id or item.columns < 2 or item.width <= 0 or _photo(item) is None:
        return False
    return item.pixels * CSS_PX_PER_INCH / item.width >= sharp


def picture_height(item: ItemGauge, share: float) -> float:
    """The height of the picture across the columns at `share` of its height
    in a column, in px: no thinner than a strip of the body's width, nor
    taller than in a column."""
    natural = max((u.photo for u in item.units), default=0.0)
    return max(natural * share, min(natural, item.width / STRIP))


def spanned_units(item: ItemGauge, share: float) -> tuple[Unit, ...]:
    """The body's units with the photo first, as one block across the
    columns (the picture at its new height, its caption and margins as
    measured), then the text in its order. The text that followed the photo
    meets the text that preceded it, set apart as their margins say, not
    by the photo's."""
    at = _photo(item)
    if at is None:
        return item.units
    figure = item.units[at]
    height = picture_height(item, share)
    caption = caption_height(figure, item.width)
    across = replace(
        figure,
        height=figure.height - figure.photo + height - figure.caption + caption,
        photo=height,
        gap=0.0,
        caption=caption,
    )
    rest = [*item.units[:at], *item.units[at + 1 :]]
    if 0 < at < len(rest):
        rest[at] = replace(rest[at].placed_after(rest[at - 1]), breakable=True)
    if rest:
        rest[0] = replace(rest[0], breakable=False)
    return (replace(across, breakable=False), *rest)


def caption_height(figure: Unit, width: float) -> float:
    """The height of the photo's caption wrapped at `width`: as many lines
    as its text needs there, each filled to `WRAP` of the width (the word
    that does not fit a line's end goes on the next), and never more lines
    than it had. The last line is as tall as the last was (it holds the
    credit, in type that makes its line taller); the others as tall as the
    others were."""
    if not figure.caption_lines or width <= 0:
        return figure.caption
    lines = max(1, min(figure.caption_lines, math.ceil(figure.caption_width / (width * WRAP))))
    if lines == figure.caption_lines or not figure.caption_last:
        return figure.caption * lines / figure.caption_lines
    others = (figure.caption - figure.caption_last) / (figure.caption_lines - 1)
    return figure.caption_last + (lines - 1) * others


def _photo(item: ItemGauge) -> int | None:
    return next((i for i, u in enumerate(item.units) if u.photo), None)


# The columns of a spanned body (columns.py), where the block across them
# comes first: from `start` 0 it stands above the columns, which hold the rest.


def fill_spanned(
    units: Sequence[Unit] | Stream, start: int, height: float, columns: int
) -> tuple[int, float]:
    """As columns.fill; from the top, the block across and at least the
    text's first lines under it, or nothing (the engine keeps a story's
    head with its first lines, and the photo is part of that head here)."""
    stream = stream_of(units)
    if start > 0 or not len(stream):
        return fill(stream, start, height, columns)
    top = stream.units[0].height
    if top > height + EPSILON:
        return start, 0.0
    end, used = fill(stream, 1, height - top, columns)
    if end == 1 and len(stream) > 1:
        return start, 0.0
    return end, top + used


def balanced_spanned(
    units: Sequence[Unit] | Stream, start: int, columns: int, room: float = math.inf
) -> float:
    stream = stream_of(units)
    if start > 0 or not len(stream):
        return balanced(stream, start, columns, room)
    top = stream.units[0].height
    return top + balanced(stream, 1, columns, room - top)


def lopsided_spanned(
    units: Sequence[Unit] | Stream, start: int, height: float, columns: int
) -> bool:
    stream = stream_of(units)
    if start > 0 or not len(stream):
        return lopsided(stream, start, height, columns)
    return lopsided(stream, 1, height - stream.units[0].height, columns)
