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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from broadsheet.planner.columns import EPSILON, balanced, fill, lopsided
from broadsheet.planner.gauges import Gauges, ItemGauge, Unit
from broadsheet.planner.spans import balanced_spanned, fill_spanned, lopsided_spanned, spanned_units


@dataclass
class Pages:
    """The outcome of one simulation."""

    fills: list[float] = field(default_factory=list)  # per page: the share of its text block used
    starts: dict[str, int] = field(default_factory=dict)  # item id -> its first page (1-based)
    stranded: int = 0  # heads left at the foot of a page with none of their body under them
    # The page of each run of columns with one mostly empty (copy-fit reports them).
    lopsided: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.fills)


def simulate(
    gauges: Gauges,
    order: Sequence[str],
    bodies: Bodies,
    resume: tuple[int, State] | None = None,
    states: list[State] | None = None,
) -> Pages:
    """Lay the items of `order` out on pages, each body as `bodies` gives it.

    `resume` (n, state) starts at the n-th item from a state an earlier
    simulation recorded there: a change to one item's levers leaves every
    page before it as it was. `states`, when given, receives the state
    before each item, for later simulations to resume from.
    """
    start, state = resume or (0, None)
    run = _Run(gauges, bodies, state)
    for n in range(start, len(order)):
        if states is not None:
            states.append(run.state())
        item = gauges.item(order[n])
        run.place(item, item.whole)
    return run.finish()


State = tuple  # what _Run.state() records: pages so far, the frame, y, whether empty


class _Run:
    def __init__(self, gauges: Gauges, bodies: Bodies, state: State | None = None):
        self.gauges, self.bodies = gauges, bodies
        self.pages = Pages([1.0] * gauges.front)
        self.frame = gauges.first
        self.y = gauges.first.top
        # Nothing placed on this page yet: an item is set here even when it
        # does not fit. Page 1 holds the masthead already.
        self.empty = gauges.first.top <= gauges.first.block_top
        if state is not None:
            fills, starts, stranded, lopsided, self.frame, self.y, self.empty = state
            self.pages = Pages(list(fills), dict(starts), stranded, lopsided)

    def state(self) -> State:
        pages = self.pages
        return (
            tuple(pages.fills),
            dict(pages.starts),
            pages.stranded,
            pages.lopsided,
            self.frame,
            self.y,
            self.empty,
        )

    def page_number(self) -> int:
        return len(self.pages.fills) + 1

    def new_page(self) -> None:
        self._close()
        self.frame = self.gauges.page
        self.y = self.frame.top
        self.empty = True

    def _close(self) -> None:
        block = self.frame.block_top
        self.pages.fills.append(max(0.0, min(1.0, (self.y - block) / (self.frame.bottom - block))))

    def finish(self) -> Pages:
        self._close()
        return self.pages

    def room(self) -> float:
        return self.frame.bottom - self.y

    def place(self, item: ItemGauge, whole: bool) -> None:
        """Its head where the page has room for the head and the first lines
        of its body (the head is kept with them), else at the top of the next."""
        bodies = self.bodies
        space = item.space_at_top if self.empty else item.space
        height = bodies.balanced(item, 0)
        room = self.room() - space - item.head
        fits = height + item.foot <= room + EPSILON
        if not fits and not self.empty:
            whole_height = item.space_at_top + item.head + height + item.tail
            if whole and whole_height <= self.gauges.page.height + EPSILON:
                moves = True
            else:
                moves = not item.units or bodies.fill(item, 0, room, footed=True)[0] == 0
            if moves:
                self.new_page()
                space = item.space_at_top
                fits = space + item.head + height + item.foot <= self.room() + EPSILON
        self.pages.starts[item.id] = len(self.pages.fills) + 1
        self.y += space + item.head
        self.empty = False
        if fits or not item.units:
            if bodies.lopsided(item, 0, height):
                self.pages.lopsided += (self.page_number(),)
            self.y += height + item.tail
            return
        self._flow(item)

    def _flow(self, item: ItemGauge) -> None:
        """A body longer than the room left: its columns run to the foot of
        the page, and the rest goes on at the top of the next; the item's
        foot goes with its last line."""
        bodies, start = self.bodies, 0
        count = len(bodies.units(item, footed=True))
        while True:
            end, used = bodies.fill(item, start, self.room(), footed=True)
            if end == start:  # not even its first line: the engine moves it on
                self.pages.stranded += start == 0
                self.new_page()
                self.empty = False
                end, used = bodies.fill(item, start, self.room(), footed=True)
                if end == start:  # taller than a page: it overflows there
                    end = start + 1
            if bodies.lopsided(item, start, self.room(), footed=True):
                self.pages.lopsided += (self.page_number(),)
            self.y += used
            if end >= count:
                self.y += item.tail - item.foot
                return
            start = end
            self.new_page()
            self.empty = False
            rest = bodies.balanced(item, start, footed=True)
            if rest <= self.room() + EPSILON:
                if bodies.lopsided(item, start, rest, footed=True):
                    self.pages.lopsided += (self.page_number(),)
                self.y += rest + item.tail - item.foot
                return


class Memo:
    """What one plan works out again and again, kept for all its
    simulations: each body's units under each setting of its photo, and
    their column heights."""

    def __init__(self) -> None:
        self.units: dict[tuple, tuple[Unit, ...]] = {}
        self.heights: dict[tuple, float] = {}
        self.fills: dict[tuple, tuple[int, float]] = {}
        self.lopsided: dict[tuple, bool] = {}


class Bodies:
    """Each item's body with its photo at the height `scales` asks (1: as
    measured) and after as many blocks as `places` says (none: where it
    was), or across its columns at the share of its height `spans` gives
    (spans.py), and the columns it fills; what was worked out is kept in
    `memo`."""

    def __init__(
        self,
        scales: Mapping[str, float],
        places: Mapping[str, int],
        memo: Memo | None = None,
        spans: Mapping[str, float] | None = None,
    ):
        self.scales, self.places, self.spans = scales, places, spans or {}
        self.memo = memo or Memo()

    def _key(self, item: ItemGauge, footed: bool) -> tuple:
        photo = item.photo_id or ""
        scale, place = self.scales.get(photo, 1.0), self.places.get(photo)
        return (item.id, item.cut, item.unquoted, scale, place, self.spans.get(photo), footed)

    def units(self, item: ItemGauge, footed: bool = False) -> tuple[Unit, ...]:
        """Its units; `footed`: with its foot (padding, a rule) after the last."""
        key = self._key(item, footed)
        kept = self.memo.units.get(key)
        if kept is None:
            scale, place, span = key[3], key[4], key[5]
            units = tuple(
                replace(u, height=u.height + u.photo * (scale - 1), photo=u.photo * scale)
                if u.photo
                else u
                for u in item.units
            )
            units = units if place is None else moved_photo(units, place)
            units = units if span is None else spanned_units(item, span)
            if item.jump is not None:
                units = (*units, item.jump)
            if footed and item.foot and units:
                units = (*units, Unit(item.foot, 0.0, False))
            kept = self.memo.units[key] = units
        return kept

    def balanced(self, item: ItemGauge, start: int, footed: bool = False) -> float:
        key = (self._key(item, footed), start)
        if key not in self.memo.heights:
            ways = balanced_spanned if key[0][5] is not None else balanced
            self.memo.heights[key] = ways(self.units(item, footed), start, item.columns)
        return self.memo.heights[key]

    def fill(self, item: ItemGauge, start: int, height: float, footed: bool = False):
        key = (self._key(item, footed), start, round(height, 1))
        if key not in self.memo.fills:
            ways = fill_spanned if key[0][5] is not None else fill
            self.memo.fills[key] = ways(self.units(item, footed), start, height, item.columns)
        return self.memo.fills[key]

    def lopsided(self, item: ItemGauge, start: int, height: float, footed: bool = False) -> bool:
        key = (self._key(item, footed), start, round(height, 1))
        if key not in self.memo.lopsided:
            units = self.units(item, footed)
            ways = lopsided_spanned if key[0][5] is not None else lopsided
            self.memo.lopsided[key] = ways(units, start, height, item.columns)
        return self.memo.lopsided[key]


def scaled_units(
    scales: Mapping[str, float],
    places: Mapping[str, int] | None = None,
    memo: Memo | None = None,
    spans: Mapping[str, float] | None = None,
) -> Bodies:
    """The bodies under these photo levers (see Bodies)."""
    return Bodies(scales, places or {}, memo, spans)


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
