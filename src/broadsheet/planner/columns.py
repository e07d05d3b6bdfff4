"""Columns as the engine fills them: a stream of units poured into columns of
a given height, breaking only where a unit allows it, and the height at which
a stream ends level in its columns (CSS `column-fill: balance`)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from broadsheet.planner.gauges import Unit

EPSILON = 0.5  # px: the engine's rounding
PRECISION = 0.25  # px: where the search for a balanced height stops
# Copy-fit's short column (engine/measure.py): one less than half the
# tallest of its run, when the tallest is at least 40 mm.
TALL_COLUMN = 40 * 96 / 25.4


class Stream:
    """A body's units with what pouring them needs at hand: the height of
    every run of them, and before each the last place a column may end.
    The search pours the same bodies into columns of many heights, so each
    column is found by bisection rather than unit by unit."""

    __slots__ = ("across", "balanced", "breaks", "gaps", "reach", "tallest", "units")

    def __init__(self, units: Sequence[Unit], across: bool = False):
        self.units = tuple(units)
        self.across = across  # its first unit stands across the columns (planner/spans.py)
        self.balanced: dict[int, float] = {}  # from a unit -> its balanced height, once worked out
        # reach[k]: the height of units[:k] stacked, each with its gap above.
        self.reach = [0.0]
        # breaks[k]: the last index <= k whose unit may start a column (-1: none).
        self.breaks, last = [], -1
        for index, unit in enumerate(self.units):
            self.reach.append(self.reach[-1] + unit.gap + unit.height)
            last = index if unit.breakable else last
            self.breaks.append(last)
        self.gaps = [unit.gap for unit in self.units]
        self.tallest = [unit.height for unit in self.units]
        for index in range(len(self.units) - 2, -1, -1):  # the tallest of units[index:]
            self.tallest[index] = max(self.tallest[index], self.tallest[index + 1])

    def __len__(self) -> int:
        return len(self.units)

    def height(self, start: int, end: int) -> float:
        """Units[start:end] in one column: the gap above the first is dropped."""
        return self.reach[end] - self.reach[start] - self.gaps[start]

    def column(self, start: int, height: float) -> tuple[int, float]:
        """The units a column of `height` takes from `start`: the index of
        the first left over, and the height used. A column ends before the
        first unit that does not fit, or, when that unit may not start a
        column, before the last one that may; one that cannot hold its
        first unit takes nothing."""
        limit = height + EPSILON + self.reach[start] + self.gaps[start]
        end = bisect_right(self.reach, limit, start + 1) - 1  # units[start:end] fit
        if end >= len(self.units):
            return end, self.height(start, end)
        last = self.breaks[end]
        if last <= start:
            return start, 0.0
        return last, self.height(start, last)


def stream_of(units: Sequence[Unit] | Stream) -> Stream:
    return units if isinstance(units, Stream) else Stream(units)


def fill(
    units: Sequence[Unit] | Stream, start: int, height: float, columns: int
) -> tuple[int, float]:
    """Pour units[start:] into `columns` columns of `height`: the index of the
    first unit left over, and the height of the fullest column.

    When a column stays empty with units left over, the engine moves the
    whole of them to the next page, and so does this: nothing is placed.
    """
    stream = stream_of(units)
    index, tallest = start, 0.0
    for _ in range(columns):
        if index >= len(stream):
            break
        end, used = stream.column(index, height)
        if end == index:
            return start, 0.0
        index, tallest = end, max(tallest, used)
    return index, tallest


def lopsided(units: Sequence[Unit] | Stream, start: int, height: float, columns: int) -> bool:
    """Whether units[start:] poured into columns of `height` leave a column
    that copy-fit reports as mostly empty: a tall photo in one column and a
    few lines in the next, say."""
    stream = stream_of(units)
    heights, index = [], start
    for _ in range(columns):
        if index >= len(stream):
            break
        end, used = stream.column(index, height)
        if end == index:
            break
        heights.append(used)
        index = end
    tallest = max(heights, default=0.0)
    return len(heights) > 1 and tallest >= TALL_COLUMN and min(heights) < tallest / 2


def total(units: Sequence[Unit] | Stream, start: int = 0) -> float:
    stream = stream_of(units)
    return stream.height(start, len(stream)) if start < len(stream) else 0.0


def balanced(units: Sequence[Unit] | Stream, start: int, columns: int) -> float:
    """The least column height that holds units[start:] in `columns` columns."""
    stream = stream_of(units)
    if start >= len(stream):
        return 0.0
    high = stream.height(start, len(stream))
    if columns == 1:
        return high
    low = max(high / columns, stream.tallest[start]) - PRECISION
    while high - low > PRECISION:
        middle = (low + high) / 2
        if fill(stream, start, middle, columns)[0] >= len(stream):
            high = middle
        else:
            low = middle
    return fill(stream, start, high, columns)[1]
