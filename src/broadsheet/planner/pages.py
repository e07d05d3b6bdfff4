"""Pages as the engine fills them: items in order, each head kept with the
first lines of its body, each body level in its columns where it ends, a
brief moved whole to the next page when it does not fit, a longer story
filling its columns to the foot of the page and going on at the top of the
next.

The simulation is what the search (search.py) weighs each choice of levers
with, so it is kept simple and fast; the engine's own layout of the chosen
plan is compared with it afterwards (engine/copyfit.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from broadsheet.planner.columns import EPSILON, balanced, fill
from broadsheet.planner.gauges import Gauges, ItemGauge, Unit


@dataclass
class Pages:
    """The outcome of one simulation."""

    fills: list[float] = field(default_factory=list)  # per page: the share of its text block used
    starts: dict[str, int] = field(default_factory=dict)  # item id -> its first page (1-based)
    lowest: list[float] = field(default_factory=list)  # per page: the bottom of its content
    stranded: int = 0  # heads left at the foot of a page with none of their body under them

    @property
    def count(self) -> int:
        return len(self.fills)


Scaled = Callable[[ItemGauge], tuple[Unit, ...]]


def simulate(gauges: Gauges, order: Sequence[str], units_of: Scaled) -> Pages:
    """Lay the items of `order` out on pages, each body's units as `units_of` gives them."""
    run = _Run(gauges)
    for item_id in order:
        item = gauges.item(item_id)
        run.place(item, units_of(item), item.whole)
    return run.finish()


class _Run:
    def __init__(self, gauges: Gauges):
        self.gauges = gauges
        self.pages = Pages()
        self.frame = gauges.first
        self.y = gauges.first.top
        # Nothing placed on this page yet: an item is set here even when it
        # does not fit. Page 1 holds the masthead already.
        self.empty = gauges.first.top <= gauges.first.block_top

    def new_page(self) -> None:
        self._close()
        self.frame = self.gauges.page
        self.y = self.frame.top
        self.empty = True

    def _close(self) -> None:
        block = self.frame.block_top
        self.pages.lowest.append(self.y)
        self.pages.fills.append(max(0.0, min(1.0, (self.y - block) / (self.frame.bottom - block))))

    def finish(self) -> Pages:
        self._close()
        return self.pages

    def room(self) -> float:
        return self.frame.bottom - self.y

    def place(self, item: ItemGauge, units: tuple[Unit, ...], whole: bool) -> None:
        """Its head where the page has room for the head and the first lines
        of its body (the head is kept with them), else at the top of the next."""
        space = item.space_at_top if self.empty else item.space
        height = balanced(units, 0, item.columns)
        room = self.room() - space - item.head
        fits = height + item.foot <= room + EPSILON
        if not fits and not self.empty:
            whole_height = item.space_at_top + item.head + height + item.tail
            if whole and whole_height <= self.gauges.page.height + EPSILON:
                moves = True
            else:
                moves = not units or fill(_footed(item, units), 0, room, item.columns)[0] == 0
            if moves:
                self.new_page()
                space = item.space_at_top
                fits = space + item.head + height + item.foot <= self.room() + EPSILON
        self.pages.starts[item.id] = len(self.pages.fills) + 1
        self.y += space + item.head
        self.empty = False
        if fits or not units:
            self.y += height + item.tail
            return
        self._flow(item, _footed(item, units))

    def _flow(self, item: ItemGauge, units: tuple[Unit, ...]) -> None:
        """A body longer than the room left: its columns run to the foot of
        the page, and the rest goes on at the top of the next; `units` end
        with the item's foot."""
        start = 0
        while True:
            end, used = fill(units, start, self.room(), item.columns)
            if end == start:  # not even its first line: the engine moves it on
                self.pages.stranded += start == 0
                self.new_page()
                self.empty = False
                end, used = fill(units, start, self.room(), item.columns)
                if end == start:  # taller than a page: it overflows there
                    end = start + 1
            self.y += used
            if end >= len(units):
                self.y += item.tail - item.foot
                return
            start = end
            self.new_page()
            self.empty = False
            rest = balanced(units, start, item.columns)
            if rest <= self.room() + EPSILON:
                self.y += rest + item.tail - item.foot
                return


def _footed(item: ItemGauge, units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """The units with the item's foot (its padding and rule below) after the
    last, which it is never parted from."""
    return (*units, Unit(item.foot, 0.0, False)) if item.foot and units else units


def scaled_units(scales: Mapping[str, float], places: Mapping[str, int] = {}) -> Scaled:
    """Each body's units with its photo at the height `scales` asks (1: as
    measured), and after as many blocks as `places` says (none: where it was)."""
    cache: dict[tuple[str, float, int | None], tuple[Unit, ...]] = {}

    def units_of(item: ItemGauge) -> tuple[Unit, ...]:
        scale = scales.get(item.photo_id or "", 1.0)
        place = places.get(item.photo_id or "")
        key = (item.id, scale, place)
        if key not in cache:
            units = tuple(
                replace(u, height=u.height + u.photo * (scale - 1), photo=u.photo * scale)
                if u.photo
                else u
                for u in item.units
            )
            cache[key] = units if place is None else moved_photo(units, place)
        return cache[key]

    return units_of


def moved_photo(units: tuple[Unit, ...], place: int) -> tuple[Unit, ...]:
    """The units with the photo after the first `place` other blocks of the body."""
    photo = next((i for i, u in enumerate(units) if u.photo), None)
    if photo is None:
        return units
    figure = units[photo]
    rest = [*units[:photo], *units[photo + 1 :]]
    blocks = sorted({u.block for u in rest})
    if place <= 0 or not blocks:
        at = 0
    else:
        last = blocks[min(place, len(blocks)) - 1]
        at = max(i for i, u in enumerate(rest) if u.block == last) + 1
    moved = [*rest[:at], replace(figure, breakable=at > 0), *rest[at:]]
    if at < len(rest):  # the block after the photo may start a column
        moved[at + 1] = replace(moved[at + 1], breakable=True)
    if at == 0 and len(moved) > 1:
        moved[1] = replace(moved[1], breakable=True)
    return tuple(moved)
