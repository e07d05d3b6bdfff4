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
from copy import copy
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import NamedTuple

from broadsheet.planner.columns import EPSILON, Stream, balanced, fill, lopsided, reach
from broadsheet.planner.gauges import Gauges, ItemGauge, Unit
from broadsheet.planner.jumps import quote_indices
from broadsheet.planner.spans import balanced_spanned, fill_spanned, lopsided_spanned, spanned_units


@dataclass
class Pages:
    """The outcome of one simulation."""

    fills: list[float] = field(default_factory=list)  # per page: the share of its text block used
    starts: dict[str, int] = field(default_factory=dict)  # item id -> its first page (1-based)
    tops: dict[str, float] = field(default_factory=dict)  # item id -> where on that page it starts
    # The page of each head left at its foot with too few of its lines under it.
    stranded: tuple[int, ...] = ()
    # The page of each run of columns with one mostly empty (copy-fit reports them).
    lopsided: tuple[int, ...] = ()
    # Photos set on a page after their story's head that holds none of its
    # text: copy-fit reports each as pushed away from its story.
    pushed: int = 0

    @property
    def count(self) -> int:
        return len(self.fills)


def simulate(gauges: Gauges, order: Sequence[str], bodies: Bodies) -> Pages:
    """Lay the items of `order` out on pages, each body as `bodies` gives it."""
    run = _Run(gauges, bodies)
    for item_id in order:
        item = gauges.item(item_id)
        run.place(item, item.whole)
    return run.finish()


# The lines a head keeps under it (engine/measure.py, `.story-body p.first`).
LINES_UNDER_HEAD = 3

# The state of a run before an item: the pages closed, the headlines left
# stranded, the lopsided runs and the photos pushed away so far, then where
# it is (`_Run.where`). What a run has closed it never changes, so the pages
# themselves are read from its outcome.
Mark = tuple[int, int, int, int, tuple]


@dataclass(frozen=True)
class Trace:
    """One simulation kept for others to start from: its print order, its
    outcome, and the state of the run before each of its items and after
    the last (before its last page was closed)."""

    order: tuple[str, ...]
    pages: Pages
    marks: tuple[Mark, ...]

    @cached_property
    def index(self) -> dict[str, int]:
        """Each item's place in the print order."""
        return {item_id: n for n, item_id in enumerate(self.order)}


def trace(gauges: Gauges, order: Sequence[str], bodies: Bodies) -> Trace:
    """`simulate`, keeping the state before each item."""
    run, marks = _Run(gauges, bodies), []
    for item_id in order:
        marks.append(run.mark())
        item = gauges.item(item_id)
        run.place(item, item.whole)
    marks.append(run.mark())
    return Trace(tuple(order), run.finish(), tuple(marks))


def resimulate(
    base: Trace,
    gauges: Gauges,
    order: Sequence[str],
    bodies: Bodies,
    changed: Sequence[int],
) -> tuple[Pages, int]:
    """`simulate` for levers that differ from those of `base` only in the
    items at the places `changed` of `order` (search._changed: their
    levers, or the item before them, differ), and the place in `order`
    where it found `base` again for good: every page before the first is as
    it was, and once a later item finds the run in the state `base` was in
    before it, the items up to the next changed one are set as `base` set
    them, and after the last the rest is `base`'s, a number of pages on. A
    change on one page mostly settles within a page or two, so a candidate
    costs what it changes, not the length of the issue (a story cut by a
    jump line costs its page and its rest's, after the last story)."""
    run = _Run(gauges, bodies)
    run.resume(base, changed[0], order)
    n = changed[0]
    while n < len(order):
        at = base.index.get(order[n]) if n not in changed else None
        if at is not None and run.rejoins(base.marks[at]):
            following = next((c for c in changed if c > n), len(order))
            span = following - n
            if base.order[at : at + span] == tuple(order[n:following]):
                if following == len(order) and at + span == len(base.order):
                    return run.joined(base, at), n
                run.skip(base, at, at + span)
                n = following
                continue
        item = gauges.item(order[n])
        run.place(item, item.whole)
        n += 1
    return run.finish(), len(order)


class _Run:
    def __init__(self, gauges: Gauges, bodies: Bodies):
        self.gauges, self.bodies = gauges, bodies
        self.pages = Pages([1.0] * gauges.front)
        self.frame = gauges.first
        self.y = gauges.first.top
        # The bottom of the page's lowest line: how full copy-fit finds the
        # page (engine/measure.py), which the white under a story's body
        # (its tail) does not fill.
        self.ink = self.y
        # Nothing placed on this page yet: an item is set here even when it
        # does not fit. Page 1 holds the masthead already.
        self.empty = gauges.first.top <= gauges.first.block_top
        # Still on the first story's page with no story started (_close).
        self.bare = True
        # The bottom margin the last item ends with, inside its last unit,
        # that the next item's top margin collapses with (_margin_below).
        self.margin = 0.0
        self.copied = False  # resumed with the pages of a trace as they were (resume)

    def where(self) -> tuple:
        """Where the run is, which is all that placing an item depends on
        besides the item and its body."""
        return self.frame, self.y, self.ink, self.empty, self.bare, self.margin

    def mark(self) -> Mark:
        pages = self.pages
        return (
            len(pages.fills),
            len(pages.stranded),
            len(pages.lopsided),
            pages.pushed,
            self.where(),
        )

    def resume(self, base: Trace, n: int, order: Sequence[str]) -> None:
        """Start where `base` was before its n-th item, to place `order[n:]`."""
        closed, stranded, lopsided, pushed, where = base.marks[n]
        self.frame, self.y, self.ink, self.empty, self.bare, self.margin = where
        starts, tops = base.pages.starts, base.pages.tops
        # The same items: every later one is placed again, or taken from
        # `base` as it is when the run rejoins it on the same page (joined).
        self.copied = tuple(order) == base.order
        if self.copied:
            starts, tops = dict(starts), dict(tops)
        else:
            before = base.order[:n]
            starts = {item_id: starts[item_id] for item_id in before}
            tops = {item_id: tops[item_id] for item_id in before}
        fills = base.pages.fills[:closed]
        self.pages = Pages(
            fills,
            starts,
            tops,
            base.pages.stranded[:stranded],
            base.pages.lopsided[:lopsided],
            pushed,
        )

    def rejoins(self, mark: Mark) -> bool:
        """Whether the run is where a run was at `mark`, but for the page number."""
        frame, y, ink, empty, bare, margin = mark[-1]
        return (
            frame == self.frame
            and empty == self.empty
            and bare == self.bare
            and abs(y - self.y) < 1e-6
            and abs(ink - self.ink) < 1e-6
            and abs(margin - self.margin) < 1e-6
        )

    def joined(self, base: Trace, n: int) -> Pages:
        """The outcome once the run is where `base` was before its n-th
        item, the rest of the items being `base`'s: the rest is `base`'s,
        moved by the pages this run gained or saved."""
        self.skip(base, n, len(base.order))
        return self.finish()

    def skip(self, base: Trace, start: int, end: int) -> None:
        """Take `base`'s items `start` to `end` as `base` set them, the run
        being where `base` was before the first: the pages they closed, where
        they start, and where they left the run."""
        closed, stranded, lopsided, pushed, _ = base.marks[start]
        closed_end, stranded_end, lopsided_end, pushed_end, where = base.marks[end]
        shift = len(self.pages.fills) - closed
        pages, rest = self.pages, base.pages
        pages.fills += rest.fills[closed:closed_end]
        if shift or not self.copied:
            for item_id in base.order[start:end]:
                pages.starts[item_id] = rest.starts[item_id] + shift
                pages.tops[item_id] = rest.tops[item_id]
        pages.stranded += tuple(page + shift for page in rest.stranded[stranded:stranded_end])
        pages.lopsided += tuple(page + shift for page in rest.lopsided[lopsided:lopsided_end])
        pages.pushed += pushed_end - pushed
        self.frame, self.y, self.ink, self.empty, self.bare, self.margin = where

    def place(self, item: ItemGauge, whole: bool) -> None:
        """The item placed where the run is, as `_place` places it: worked
        out once for each place an item is set at under each setting of its
        levers, and kept in the memo. The search simulates the same items
        from the same places again and again (a candidate changes one item,
        and those after it mostly find the places they had)."""
        steps = self.bodies.memo.steps
        key = (id(item), id(self.bodies.units(item)), whole, *self.where())
        step = steps.get(key)
        if step is None:
            scratch = copy(self)
            scratch.pages = Pages()
            scratch._place(item, whole)
            made = scratch.pages
            step = steps[key] = _Step(
                item,
                tuple(made.fills),
                made.starts[item.id],
                made.tops[item.id],
                made.stranded,
                made.lopsided,
                made.pushed,
                scratch.where(),
            )
        pages, before = self.pages, len(self.pages.fills)
        pages.fills += step.closed
        pages.starts[item.id] = before + step.start
        pages.tops[item.id] = step.top
        if step.stranded:
            pages.stranded += tuple(before + page for page in step.stranded)
        if step.lopsided:
            pages.lopsided += tuple(before + page for page in step.lopsided)
        pages.pushed += step.pushed
        self.frame, self.y, self.ink, self.empty, self.bare, self.margin = step.where

    def page_number(self) -> int:
        return len(self.pages.fills) + 1

    def new_page(self) -> None:
        self._close()
        self.frame = self.gauges.page
        self.y = self.ink = self.frame.top
        self.empty = True
        self.margin = 0.0

    def _close(self) -> None:
        first, bare = self.gauges.first, self.bare
        self.bare = False
        if bare and first.top > first.block_top and self.gauges.contents_apart:
            # Page 1 left without a story: the lead's head did not keep its
            # first lines under the masthead and contents. It becomes a
            # cover, the contents list spread over it (engine/copyfit.py).
            # Without a list of its own, it would hold the masthead alone.
            self.pages.fills.append(1.0)
            return
        block = self.frame.block_top
        self.pages.fills.append(
            max(0.0, min(1.0, (self.ink - block) / (self.frame.bottom - block)))
        )

    def finish(self) -> Pages:
        self._close()
        return self.pages

    def room(self) -> float:
        return self.frame.bottom - self.y

    def _place(self, item: ItemGauge, whole: bool) -> None:
        """Its head where the page has room for the head and the first lines
        of its body (the head is kept with them), else at the top of the next."""
        bodies = self.bodies
        if not self.empty:  # its top margin collapses with the margin the last item ends with
            self.y -= min(self.margin, item.margin_top)
        self.margin = 0.0
        space = item.space_at_top if self.empty else item.space
        room = self.room() - space - item.head
        height = bodies.balanced(item, 0, room - item.foot)
        fits = height + item.foot <= room + EPSILON
        if not fits and not self.empty:
            above = item.space_at_top + item.head
            on_a_page = bodies.balanced(item, 0, self.gauges.page.height - above - item.foot)
            if whole and above + on_a_page + bodies.tail(item) <= self.gauges.page.height + EPSILON:
                moves = True
            else:
                moves = not item.units or bodies.fill(item, 0, room, footed=True)[0] == 0
                moves = moves or bodies.spills(item, room)
            if moves:
                self.new_page()
                space = item.space_at_top
                room = self.room() - space - item.head
                height = bodies.balanced(item, 0, room - item.foot)
                fits = height + item.foot <= room + EPSILON
        self.pages.starts[item.id] = len(self.pages.fills) + 1
        self.pages.tops[item.id] = self.y
        self.y += space + item.head
        self.ink = self.y
        self.empty = self.bare = False
        if fits or not item.units:
            landed = bodies.landed(item, 0, room - item.foot)
            if bodies.lopsided(item, 0, landed):
                self.pages.lopsided += (self.page_number(),)
            self.ink = self.y + bodies.reach(item, landed, height)
            self.y += height + bodies.tail(item)
            self.margin = _margin_below(item, bodies.units(item))
            return
        self._flow(item)

    def _flow(self, item: ItemGauge) -> None:
        """A body longer than the room left: its columns run to the foot of
        the page, and the rest goes on at the top of the next; the item's
        foot goes with its last line."""
        bodies, start = self.bodies, 0
        stream = bodies.units(item, footed=True)
        count = len(stream)
        while True:
            end, used = bodies.fill(item, start, self.room(), footed=True)
            # A head over its photo alone, or over fewer lines than it keeps
            # (a first paragraph shorter than that, the next one's orphans
            # not fitting), is as stranded as a head over nothing: copy-fit
            # reports each.
            if start == 0 and end > 0 and _stranded(item, stream, end):
                self.pages.stranded += (self.page_number(),)
            if end == start:  # not even its first line: the engine moves it on
                if start == 0:
                    self.pages.stranded += (self.page_number(),)
                self.new_page()
                self.empty = False
                end, used = bodies.fill(item, start, self.room(), footed=True)
                if end == start:  # taller than a page: it overflows there
                    end = start + 1
            if bodies.lopsided(item, start, self.room(), footed=True):
                self.pages.lopsided += (self.page_number(),)
            self.pages.pushed += start > 0 and _photo_alone(stream, start, end)
            self.y += used
            self.ink = self.y
            if end >= count:
                self.ink -= item.foot
                self.y += bodies.tail(item) - item.foot
                self.margin = _margin_below(item, stream)
                return
            start = end
            self.new_page()
            self.empty = False
            rest = bodies.balanced(item, start, self.room(), footed=True)
            if rest <= self.room() + EPSILON:
                landed = bodies.landed(item, start, self.room(), footed=True)
                if bodies.lopsided(item, start, landed, footed=True):
                    self.pages.lopsided += (self.page_number(),)
                self.pages.pushed += _photo_alone(stream, start, count)
                self.ink = self.y + rest - item.foot
                self.y += rest + bodies.tail(item) - item.foot
                self.margin = _margin_below(item, stream)
                return


def _margin_below(item: ItemGauge, stream: Stream) -> float:
    """The bottom margin an item ends with that the next item's top margin
    collapses with, as the engine collapses them: that of a block kept
    whole (a photo), which holds it in its height, ending a body outside
    columns with no padding or rule under it (a multi-column body keeps the
    margins at its foot, and a paragraph's is in the next item's space)."""
    if item.columns > 1 or item.tail or item.foot or not len(stream):
        return 0.0
    last = stream.units[-1]
    return 0.0 if last.orphans else last.below


def _stranded(item: ItemGauge, stream: Stream, end: int) -> bool:
    """Whether the first `end` units of a body that runs on leave its head
    stranded: a photo alone, or a story's lines fewer than a head keeps
    under it (all of them, in a shorter story). A box's entries are blocks
    kept whole, not lines: copy-fit counts its head only over nothing."""
    if all(unit.photo for unit in stream.units[:end]):
        return True
    if item.role == "box":
        return False
    return stream.lines(0, end) < min(LINES_UNDER_HEAD, stream.lines(0, len(stream)))


def _photo_alone(stream: Stream, start: int, end: int) -> bool:
    """Whether the units `start` to `end` of a body, set on a page after
    its head's, hold a photo and none of the story's text: copy-fit reports
    the photo as pushed away from its story (a caption is not its text)."""
    units = stream.units[start:end]
    return any(unit.photo for unit in units) and not any(unit.text >= 0 for unit in units)


class _Step(NamedTuple):
    """What placing an item did to a run: the fills of the pages it closed,
    the page its head starts on (1: the one the run was on) and where on
    it, the headlines it left stranded (by page), the runs of lopsided
    columns it left (by page, counted as its head's), the photos it pushed
    away from its text, and where it left the run. It holds the item, whose
    identity is part of its key in the memo."""

    item: ItemGauge
    closed: tuple[float, ...]
    start: int
    top: float
    stranded: tuple[int, ...]
    lopsided: tuple[int, ...]
    pushed: int
    where: tuple


class Memo:
    """What one plan works out again and again, kept for all its
    simulations of one issue's measures under one spacing: each body's
    units under each setting of its photo and its pull quote, and each
    item's placing at each place a run has set it (`_Run.place`)."""

    def __init__(self) -> None:
        self.units: dict[tuple, Stream] = {}
        self.steps: dict[tuple, _Step] = {}


class Bodies:
    """Each item's body with its photo at the height `scales` asks (1: as
    measured) and after as many blocks as `places` says (none: where it
    was), or across its columns at the share of its height `spans` gives
    (spans.py), its pull quote after as many blocks as `quotes` says (none:
    where it was), and the columns it fills; the units are kept in `memo`."""

    def __init__(
        self,
        scales: Mapping[str, float],
        places: Mapping[str, int],
        memo: Memo | None = None,
        spans: Mapping[str, float] | None = None,
        quotes: Mapping[str, int] | None = None,
    ):
        self.scales, self.places, self.spans = scales, places, spans or {}
        self.quotes = quotes or {}
        self.memo = memo or Memo()
        self._streams: dict[tuple[int, bool], Stream] = {}  # by the item's identity

    def units(self, item: ItemGauge, footed: bool = False) -> Stream:
        """Its units; `footed`: with its foot (padding, a rule) after the last."""
        found = self._streams.get((id(item), footed))
        if found is None:
            photo = item.photo_id or ""
            scale, place = self.scales.get(photo, 1.0), self.places.get(photo)
            span, quote = self.spans.get(photo), self.quotes.get(item.id)
            key = (item.id, item.cut, item.unquoted, scale, place, span, quote, footed)
            found = self.memo.units.get(key)
            if found is None and footed:
                plain = self.units(item)  # the foot after the body: the same, and one more
                found = plain.followed_by(_foot(item)) if item.foot and len(plain) else plain
                self.memo.units[key] = found
            elif found is None:
                units = _units(item, scale, place, span, quote)
                found = self.memo.units[key] = Stream(
                    units,
                    across=span is not None,
                    columned=item.columns > 1,
                    drops_margins=item.drops_margins,
                )
            self._streams[(id(item), footed)] = found
        return found

    def tail(self, item: ItemGauge) -> float:
        """The white under its body to the item's end: as measured, but for
        the margin under the body's last block outside columns, which
        collapses with the item's own bottom margin, when a lever sets
        another block last (a photo moved after the text)."""
        if not item.margin_bottom:
            return item.tail
        stream = self.units(item)
        if not len(stream):
            return item.tail
        return item.tail - item.tail_margin + stream.units[-1].under_end(item.margin_bottom)

    def spills(self, item: ItemGauge, room: float) -> bool:
        """Whether the item's whole body fits in `room` but for the bottom
        margin of its last block, which the item's own padding keeps inside
        it (a box's list): the engine, finding the item's content past the
        page's foot once all of it is set, sends the item on whole rather
        than break it (WeasyPrint 70, layout/block.py)."""
        if not item.foot or item.columns > 1:
            return False
        stream = self.units(item)
        if not len(stream):
            return False
        last = stream.units[-1]
        body = stream.height(0, len(stream)) - (0.0 if last.orphans else last.below)
        return body <= room + EPSILON < body + last.below

    def balanced(self, item: ItemGauge, start: int, room: float, footed: bool = False) -> float:
        """Its body from `start` balanced in a room of `room` (columns.balanced)."""
        stream = self.units(item, footed)
        height = stream.balanced.get((start, room))
        if height is None:
            ways = balanced_spanned if stream.across else balanced
            height = stream.balanced[start, room] = ways(stream, start, item.columns, room)
        return height

    def landed(self, item: ItemGauge, start: int, room: float, footed: bool = False) -> float:
        """The height the engine balances its body from `start` at in a room
        of `room`: its columns are poured at it (the body is as tall as its
        fullest column, which may end higher, at a photo's border)."""
        height = self.balanced(item, start, room, footed)
        stream = self.units(item, footed)
        if stream.across and start == 0 and len(stream):
            top = stream.units[0].height
            return top + stream.landed.get((1, room - top), height - top)
        return stream.landed.get((start, room), height)

    def fill(self, item: ItemGauge, start: int, height: float, footed: bool = False):
        stream = self.units(item, footed)
        ways = fill_spanned if stream.across else fill
        return ways(stream, start, height, item.columns)

    def reach(self, item: ItemGauge, landed: float, height: float) -> float:
        """How far down its whole body reaches, balanced at `height` and its
        columns poured at `landed`: its lowest line, which may stand above
        the height the engine balanced the columns at (copy-fit measures a
        page to its lowest line). A body across its columns: `height`."""
        stream = self.units(item)
        if stream.across or item.columns < 2:
            return height
        return min(height, reach(stream, 0, landed, item.columns))

    def lopsided(self, item: ItemGauge, start: int, height: float, footed: bool = False) -> bool:
        stream = self.units(item, footed)
        ways = lopsided_spanned if stream.across else lopsided
        return ways(stream, start, height, item.columns)


def _units(
    item: ItemGauge, scale: float, place: int | None, span: float | None, quote: int | None
) -> tuple[Unit, ...]:
    units = tuple(
        replace(u, height=u.height + u.photo * (scale - 1), photo=u.photo * scale) if u.photo else u
        for u in item.units
    )
    units = units if place is None else moved_photo(units, place)
    units = units if span is None else spanned_units(item, span)
    units = units if quote is None else moved_quote(units, quote)
    if item.columns == 1 and item.role == "story":
        units = photo_kept_with_text(units)
        units = first_paragraph_kept(units) if item.first_keeps else units
        units = _under_head(units, item)
    if item.jump is not None:
        units = (*units, item.jump.placed_after(units[-1]) if units else item.jump)
    return units


def _foot(item: ItemGauge) -> Unit:
    """The item's foot (padding, a rule) as a unit after its body's last."""
    return Unit(item.foot, 0.0, False)


def scaled_units(
    scales: Mapping[str, float],
    places: Mapping[str, int] | None = None,
    memo: Memo | None = None,
    spans: Mapping[str, float] | None = None,
    quotes: Mapping[str, int] | None = None,
) -> Bodies:
    """The bodies under these photo and pull quote levers (see Bodies)."""
    return Bodies(scales, places or {}, memo, spans, quotes)


def moved_photo(units: tuple[Unit, ...], place: int) -> tuple[Unit, ...]:
    """The units with the photo after the first `place` blocks of the
    story's Markdown; the units that meet anew set apart as their margins
    say."""
    photo = next((i for i, u in enumerate(units) if u.photo), None)
    if photo is None:
        return units
    figure = units[photo]
    rest = _lifted(units, photo, 1)
    # As the story's template sets it: after the `place`-th block of the
    # Markdown, before a pull quote set after the same block.
    at = _after_blocks(rest, place)
    figure = figure.placed_after(rest[at - 1]) if at else figure
    moved = [*rest[:at], replace(figure, breakable=at > 0), *rest[at:]]
    if at < len(rest):  # the block after the photo may start a column, as it might before
        follower = rest[at].placed_after(figure)
        moved[at + 1] = replace(follower, breakable=follower.breakable or at == 0)
    return tuple(moved)


def _under_head(units: tuple[Unit, ...], item: ItemGauge) -> tuple[Unit, ...]:
    """The units with the first taller or shorter by how much more space it
    leaves under the head than the block measured first did: a photo
    moved off the top of a body outside columns took its top margin out of
    the head's bottom margin, and the line first now does not."""
    if not units:
        return units
    first = units[0]
    more = first.under_head(item.head_below) - item.head_margin
    if abs(more) < EPSILON:
        return units
    return (replace(first, height=first.height + more), *units[1:])


def photo_kept_with_text(units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """The units with no break before a photo that stands after the last
    of its story's text: outside columns the theme never lets it start a
    page alone (`figure.photo.closing`, html/render.StoryView.photo_closes),
    wherever a plan moves it or cuts the story."""
    photo = next((i for i, u in enumerate(units) if u.photo), None)
    if not photo or not units[photo].breakable:
        return units
    if any(u.text >= 0 for u in units[photo + 1 :]):
        return units
    return (*units[:photo], replace(units[photo], breakable=False), *units[photo + 1 :])


def first_paragraph_kept(units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """The units with no break before the second paragraph where it meets
    the first, and one allowed where a plan set the photo or the pull quote
    between them: the theme keeps the second's first lines with the first
    (`p.keeps-next + p`) only where they meet."""
    second = next((i for i, u in enumerate(units) if u.text == 1), 0)
    if not second:
        return units
    breakable = units[second - 1].text != 0
    if units[second].breakable == breakable:
        return units
    return (*units[:second], replace(units[second], breakable=breakable), *units[second + 1 :])


def quote_place(units: Sequence[Unit]) -> int | None:
    """After how many blocks of the story's Markdown its pull quote stands
    (None: it has none)."""
    at = quote_indices(units)
    if not at:
        return None
    return max((u.text for u in units[: at[0]] if u.text >= 0), default=-1) + 1


def moved_quote(units: tuple[Unit, ...], after: int) -> tuple[Unit, ...]:
    """The units with the pull quote after the first `after` blocks of the
    story's Markdown, and after a photo set there (the story's template sets
    the photo first); the units that meet anew set apart as their margins
    say."""
    at = quote_indices(units)
    if not at or at != list(range(at[0], at[0] + len(at))):  # none, or not one block
        return units
    start, count = at[0], len(at)
    quote = list(units[start : start + count])
    rest = _lifted(units, start, count)
    at = _after_blocks(rest, max(after, 1))
    while at < len(rest) and rest[at].photo:
        at += 1
    quote[0] = replace(quote[0].placed_after(rest[at - 1]), breakable=True)
    moved = [*rest[:at], *quote, *rest[at:]]
    if at < len(rest):  # the block after the quote may start a column, as it did before
        moved[at + count] = replace(rest[at].placed_after(quote[-1]), breakable=True)
    return tuple(moved)


def _lifted(units: Sequence[Unit], start: int, count: int) -> list[Unit]:
    """The units without units[start:start + count]: what followed them
    follows the text before them, set apart as their margins say."""
    rest = [*units[:start], *units[start + count :]]
    if 0 < start < len(rest):
        rest[start] = rest[start].placed_after(rest[start - 1])
    return rest


def _after_blocks(units: Sequence[Unit], count: int) -> int:
    """Where the first `count` blocks of the story's Markdown end among
    `units` (0: before them all)."""
    texts = sorted({u.text for u in units if u.text >= 0})
    if count <= 0 or not texts:
        return 0
    last = texts[min(count, len(texts)) - 1]
    return max(i for i, u in enumerate(units) if u.text == last) + 1
