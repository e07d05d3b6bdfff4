"""Columns as the engine fills them: a stream of units poured into columns of
a given height, breaking only where a unit allows it, and the height the
engine balances a stream at in its columns (CSS `column-fill: balance`)."""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Sequence

from broadsheet.planner.gauges import Unit

# px: what a column's foot allows below it, as the engine allows it (float
# rounding: WeasyPrint 70 takes a millionth of the position). The measures
# sum to the engine's own to far less than that, and a tie is common: a
# column balanced at the average of two heights that a run of units fills
# exactly, where a line a thousandth of a pixel over goes on in the next.
EPSILON = 1e-6
# Copy-fit's short column (engine/measure.py): one less than half the
# tallest of its run, when the tallest is at least 40 mm.
TALL_COLUMN = 40 * 96 / 25.4


class Stream:
    """A body's units with what pouring them needs at hand: the height of
    every run of them, and before each the last place a column may end.
    The search pours the same bodies into columns of many heights, so each
    column is found by bisection rather than unit by unit. `columned`: in
    the columns of a multi-column body, which are formatting contexts of
    their own and keep the margins at their foot.

    The runs are arrays, not lists: a long issue's search keeps a stream
    for every body under every setting of its levers, and a float in an
    array is 8 bytes where one in a list is 32."""

    __slots__ = (
        "across",
        "balanced",
        "below",
        "breaks",
        "columned",
        "drops_margins",
        "gaps",
        "inside",
        "landed",
        "lined",
        "outside",
        "reach",
        "tops",
        "units",
    )

    def __init__(
        self,
        units: Sequence[Unit],
        across: bool = False,
        columned: bool = True,
        drops_margins: bool = False,
    ):
        self.units: tuple[Unit, ...] = ()
        self.across = across  # its first unit stands across the columns (planner/spans.py)
        self.columned = columned
        self.drops_margins = drops_margins  # at the top of a page (ItemGauge.drops_margins)
        # (from a unit, in a room) -> its balanced height, once worked out,
        # and the height the engine balanced it at (columns.balanced)
        self.balanced: dict[tuple[int, float], float] = {}
        self.landed: dict[tuple[int, float], float] = {}
        # reach[k]: the height of units[:k] stacked, each with its gap above.
        self.reach = array("d", [0.0])
        # breaks[k]: the last index <= k whose unit may start a column (-1: none).
        self.breaks = array("q")
        # lined[k]: how many of units[:k] are lines of text.
        self.lined = array("q", [0])
        self.gaps = array("d")
        # At the top of a column a unit has its own margin above, not the gap
        # it has after another; the body's first has its in the item's head.
        # Where the page's top truncates margins, it has none: a line nothing,
        # a block kept whole less the margin its height holds.
        self.tops = array("d")
        self.below = array("d")
        # The margin inside a whole block's height, which a column ending with
        # it drops; and the margin under a paragraph's last line, which a
        # column ending with it must still hold. Outside columns the margin
        # under the last block on a page is neither held nor dropped: it
        # runs into the page's foot (`fitting`).
        self.inside = array("d")
        self.outside = array("d")
        self._extend(units)

    def followed_by(self, unit: Unit) -> Stream:
        """This stream with `unit` after its last (a body with its foot):
        what pouring needs worked out for that unit alone."""
        stream = Stream((), self.across, self.columned, self.drops_margins)
        for name in ("reach", "breaks", "lined", "gaps", "tops", "below", "inside", "outside"):
            setattr(stream, name, getattr(self, name)[:])
        stream.units = self.units
        stream._extend((unit,))
        return stream

    def _extend(self, units: Sequence[Unit]) -> None:
        last = self.breaks[-1] if self.breaks else -1
        for unit in units:
            index = len(self.breaks)
            self.reach.append(self.reach[-1] + unit.gap + unit.height)
            last = index if unit.breakable else last
            self.breaks.append(last)
            self.lined.append(self.lined[-1] + bool(unit.orphans))
            self.gaps.append(unit.gap)
            self.tops.append(self._top(unit) if index else 0.0)
            self.below.append(unit.below)
            self.inside.append(0.0 if unit.orphans else unit.below)
            self.outside.append(unit.below if unit.orphans else 0.0)
        self.units = (*self.units, *units)

    def _top(self, unit: Unit) -> float:
        """What a unit has above it at the top of a column, in place of its gap."""
        if self.drops_margins:
            return 0.0 if unit.orphans else -unit.above
        return unit.above if unit.orphans else 0.0

    def __len__(self) -> int:
        return len(self.units)

    def height(self, start: int, end: int) -> float:
        """Units[start:end] in one column: the first with its own margin above
        (columns.Stream.tops), not the gap it has after another."""
        if end <= start:
            return 0.0
        return self.reach[end] - self.reach[start] - self.gaps[start] + self.tops[start]

    def lines(self, start: int, end: int) -> int:
        """How many of units[start:end] are lines of text."""
        return self.lined[end] - self.lined[start]

    def block_end(self, index: int) -> int:
        """The end of the block unit `index` is part of."""
        block, end = self.units[index].block, index
        while end < len(self.units) and self.units[end].block == block:
            end += 1
        return end

    def fitting(self, start: int, height: float) -> int:
        """The end of the units from `start` that fit in a column of `height`,
        whether or not a column may end there."""
        limit = height + EPSILON + self.reach[start] + self.gaps[start] - self.tops[start]
        end = bisect_right(self.reach, limit, start + 1) - 1  # units[start:end] fit
        if not self.columned:
            # The margin inside a block's height runs into the page's foot,
            # but for the body's first block when more of the body follows:
            # the engine holds that one's on the page (a photo heading a
            # brief, its text sent on, moves on with its head).
            held = end == 0 and len(self.units) > 1
            fits = (
                end < len(self.units)
                and self.reach[end + 1] - self.inside[end] + self.units[end].foot_room <= limit
            )
            return end + 1 if fits and not held else end
        while end > start and self.reach[end] + self.outside[end - 1] > limit:
            end -= 1
        return end

    def column(self, start: int, height: float) -> tuple[int, float]:
        """The units a column of `height` takes from `start`: the index of
        the first left over, and the height used. A column ends before the
        first unit that does not fit, or, when that unit may not start a
        column, before the last one that may; one that cannot hold its
        first unit takes nothing."""
        end = self.fitting(start, height)
        if end < len(self.units):
            end = self.breaks[end]
            if end <= start or self._too_few(start, end):
                return start, 0.0
        return end, self.height(start, end) - self.inside[end - 1] * self.columned

    def extent(self, start: int, end: int, height: float, used: float) -> tuple[float, float]:
        """How far down a column of `height` holding units[start:end] (`used`
        of it) reaches, and the margin under it, as the engine's boxes do.
        A paragraph cut at a column's foot reaches down to it, or to its
        bottom margin's top when only that margin did not fit (its last
        lines went on to keep its widows); one that fitted whole but was
        cut higher, to keep a later block with it, to where it ended when
        whole."""
        if end >= len(self.units) or self.units[end].block != self.units[end - 1].block:
            return used, self.below[end - 1]
        block_end = self.block_end(end)
        if self.fitting(start, height) < block_end:
            if self.height(start, block_end) <= height + EPSILON:
                return height - self.below[block_end - 1], 0.0
            return height, 0.0
        return self.height(start, block_end), self.below[block_end - 1]

    def _too_few(self, start: int, end: int) -> bool:
        """Whether a column that starts inside a paragraph would end inside it
        with fewer lines than its `orphans`."""
        first = self.units[start]
        return (
            start > 0
            and first.orphans > 0
            and self.units[start - 1].block == first.block
            and self.units[end].block == first.block
            and end - start < first.orphans
        )


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
    few lines in the next, say; or a column left with nothing where the
    text had lines enough for two in each (the engine sets a photo and the
    text after it in one column when it cannot balance them, and the text
    beside a tall photo all in the next). A column reaches as far as
    copy-fit measures it: to the foot of its last block's margin (a
    photo's under its caption)."""
    stream = stream_of(units)
    poured = list(_poured(stream, start, height, columns))
    heights = [sum(stream.extent(first, end, height, used)) for first, end, used in poured]
    index = poured[-1][1] if poured else start
    if len(heights) < columns and stream.lines(start, index) >= 2 * columns:
        heights += [0.0] * (columns - len(heights))
    tallest = max(heights, default=0.0)
    return len(heights) > 1 and tallest >= TALL_COLUMN and min(heights) < tallest / 2


def reach(units: Sequence[Unit] | Stream, start: int, height: float, columns: int) -> float:
    """How far down the fullest of `columns` columns of `height` holding
    units[start:] reaches: its lowest line or block, without the margin
    under it (a paragraph cut at a column's foot reaches further as a box,
    `Stream.extent`, but no further in ink)."""
    stream = stream_of(units)
    poured = list(_poured(stream, start, height, columns))
    if not poured or poured[-1][1] < len(stream):
        return height
    return max(used for _, _, used in poured)


def _poured(stream: Stream, start: int, height: float, columns: int):
    """(first unit, end, height used) of each column of `height` that
    units[start:] fill, column after column, until none is left."""
    index = start
    for _ in range(columns):
        if index >= len(stream):
            return
        end, used = stream.column(index, height)
        if end == index:
            return
        yield index, end, used
        index = end


def balanced(
    units: Sequence[Unit] | Stream, start: int, columns: int, room: float = math.inf
) -> float:
    """The height of units[start:] balanced in `columns` columns as the
    engine balances them in a room of `room` (WeasyPrint 70,
    layout/column.py); infinite when they do not fit in it.

    The engine first pours them at the room's height. When they fit, it
    starts again at the average of those columns' heights and, while
    something is left over, raises the height by the least "lost space" it
    has seen: how much more than the white under a column the first line
    left over needed (a whole line, when a paragraph filled the column).
    So it mostly lands above the least height that would hold the units,
    never above the room. A paragraph cut at a column's foot is stretched
    down to it, so the columns are as tall as the height landed on.

    Emulated rather than searched for: a plan is only as good as its
    agreement with the layout the engine makes of it."""
    stream = stream_of(units)
    if start >= len(stream):
        return 0.0
    if columns == 1:
        height = stream.height(start, len(stream))
        return height if height <= room + EPSILON else math.inf
    lost = math.inf
    used = []

    def pour(height: float) -> bool:
        """Pour at `height`, noting the lost space; whether all were set."""
        nonlocal lost
        index = start
        used.clear()
        for _ in range(columns):
            end, held = stream.column(index, height)
            if end == index:  # not even its first unit: nothing more is set
                cap = stream.units[index].dropcap
                if cap and height >= cap - EPSILON:
                    # The cap alone fills this column, and the next needs a line.
                    lost = min(lost, stream.units[index].height)
                return False
            tallest, margin = stream.extent(index, end, height, held)
            if end < len(stream):
                needed = _first_line(stream.units[end]) - (height - tallest - margin)
                if needed > 1:
                    lost = min(lost, needed)
            used.append(tallest)
            index = end
            if index >= len(stream):
                return True
        return False

    if not pour(room):
        return math.inf
    height = sum(used) / columns
    while not pour(height):
        height += 1 if lost == math.inf else lost
        if height >= room:
            height = room
            pour(height)
            break
    stream.landed[start, room] = height
    return max(used)


def _first_line(unit: Unit) -> float:
    """What the engine finds the next block needs: the first line of it it
    can set, which for a photo is its top margin and picture (the caption
    is another line), and for another block kept whole its top edges and
    first line (`Unit.opening`)."""
    if unit.photo:
        return unit.above + unit.photo
    if unit.opening:
        return unit.opening
    return unit.height if not unit.orphans else unit.above + unit.height
