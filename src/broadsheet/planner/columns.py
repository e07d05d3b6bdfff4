"""Columns as the engine fills them: a stream of units poured into columns of
a given height, breaking only where a unit allows it, and the height at which
a stream ends level in its columns (CSS `column-fill: balance`)."""

from __future__ import annotations

from collections.abc import Sequence

from broadsheet.planner.gauges import Unit

EPSILON = 0.5  # px: the engine's rounding
PRECISION = 0.25  # px: where the search for a balanced height stops
# Copy-fit's short column (engine/measure.py): one less than half the
# tallest of its run, when the tallest is at least 40 mm.
TALL_COLUMN = 40 * 96 / 25.4


def fill(units: Sequence[Unit], start: int, height: float, columns: int) -> tuple[int, float]:
    """Pour units[start:] into `columns` columns of `height`: the index of the
    first unit left over, and the height of the fullest column.

    A column ends before the first unit that does not fit, or, when that
    unit may not start a column, before the last one that may; a column that
    cannot hold its first unit stays empty. When a column stays empty with
    units left over, the engine moves the whole of them to the next page,
    and so does this: nothing is placed.
    """
    index, tallest = start, 0.0
    for _ in range(columns):
        if index >= len(units):
            break
        end, used = _column(units, index, height)
        if end == index:
            return start, 0.0
        index, tallest = end, max(tallest, used)
    return index, tallest


def _column(units: Sequence[Unit], start: int, height: float) -> tuple[int, float]:
    used = 0.0
    last_break = (start, 0.0)  # (index, height used before it)
    for index in range(start, len(units)):
        unit = units[index]
        gap = unit.gap if index > start else 0.0
        if index > start and unit.breakable:
            last_break = (index, used)
        if used + gap + unit.height > height + EPSILON:
            if unit.breakable and index > start:
                return index, used
            return last_break
        used += gap + unit.height
    return len(units), used


def lopsided(units: Sequence[Unit], start: int, height: float, columns: int) -> bool:
    """Whether units[start:] poured into columns of `height` leave a column
    that copy-fit reports as mostly empty: a tall photo in one column and a
    few lines in the next, say."""
    heights, index = [], start
    for _ in range(columns):
        if index >= len(units):
            break
        end, used = _column(units, index, height)
        if end == index:
            break
        heights.append(used)
        index = end
    tallest = max(heights, default=0.0)
    return len(heights) > 1 and tallest >= TALL_COLUMN and min(heights) < tallest / 2


def total(units: Sequence[Unit], start: int = 0) -> float:
    return sum((u.gap if i > start else 0.0) + u.height for i, u in enumerate(units) if i >= start)


def balanced(units: Sequence[Unit], start: int, columns: int) -> float:
    """The least column height that holds units[start:] in `columns` columns."""
    if start >= len(units):
        return 0.0
    high = total(units, start)
    if columns == 1:
        return high
    low = max(high / columns, max(u.height for u in units[start:])) - PRECISION
    while high - low > PRECISION:
        middle = (low + high) / 2
        if fill(units, start, middle, columns)[0] >= len(units):
            high = middle
        else:
            low = middle
    return fill(units, start, high, columns)[1]
