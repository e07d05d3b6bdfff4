"""Choosing the levers: which photo heights and places, which stories cut by
a jump line, which pull quotes moved a block or left out, and (when the
issue allows it) which order of briefs, fill every page.

The levers stay inside the theme's design: a photo between 75 % and 125 %
of its natural height (the engine crops it to its focal point), a pull
quote a block from the middle of its story at most, and story order kept
unless the issue is `order: flexible`, when a brief may move earlier to
fill a page. A jump line (jumps.py) is the dearest lever: a
story read in two places is a cost to the reader, paid only to close a
hole that nothing else closes, and a pull quote left out (quotes.py) dearer
still: the editor chose it. The search starts from the layout as measured and
takes, round after round, the single change that improves the outcome
most, measured by `Score`; it stops when no change helps. Deterministic:
the candidates are tried in a fixed order and ties keep the earlier one.
"""

from __future__ import annotations

import math
from copy import copy
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from broadsheet.planner.gauges import Gauges, ItemGauge
from broadsheet.planner.jumps import continued_id, cuts, jumped, with_rests
from broadsheet.planner.pages import (
    Bodies,
    Memo,
    Pages,
    Trace,
    quote_place,
    resimulate,
    scaled_units,
    simulate,
    trace,
)
from broadsheet.planner.quotes import quoted, without_quotes
from broadsheet.planner.spans import CSS_PX_PER_INCH, SHARES, picture_height, spannable

PLACES = (0, 1, 2, 3)  # a photo's place: after this many blocks of its story
SCALES = (0.75, 0.8, 0.85, 0.9, 0.95, 1.05, 1.1, 1.15, 1.2, 1.25)
FULL = 0.9  # a page but the last is full from this share of its text block
# A page but the last full to this share is worth more than a story read in
# two places: of the plans the search finds, one that cuts a story to fill
# the page better is chosen only when it leaves none short of this (`_ranked`).
NEARLY_FULL = 0.85
LAST = 0.3  # the last page is worth printing from this share
ROUNDS = 6
# Where no one change helps, pairs of changes are tried, the second mending
# a page the first disturbed: this many simulations at most, each time.
PAIRS = 400
WORTH_A_LAYOUT = 0.05  # a plan that only fills pages better fills them by this much more
JUMP_COST = 0.4  # a story cut by a jump line costs as much as a photo 40 % off its height
QUOTE_COST = 0.6  # a pull quote left out, more than a jump line
SPAN_COST = 0.2  # a photo across the columns, as much as a photo moved (and its crop on top)
# What copy-fit reports (engine/measure.py): white at a page's foot from a
# fifth of its text block, and a last page filled less than this.
HOLE = 0.8
TAIL = 0.15
# Searching the pages first, a column left mostly empty is weighed with the
# levers: one that removes it at a lower cost than this is worth it.
LOPSIDED_COST = 0.5


@dataclass(frozen=True)
class Levers:
    scales: tuple[tuple[str, float], ...] = ()  # (article id, photo scale), sorted
    order: tuple[str, ...] = ()  # item ids in print order
    places: tuple[tuple[str, int], ...] = ()  # (article id, blocks before its photo), sorted
    tight: bool = False  # the theme's tighter spacing
    jumps: tuple[tuple[str, int], ...] = ()  # (story id, blocks set before its jump line), sorted
    quotes: tuple[str, ...] = ()  # stories whose pull quote is left out, sorted
    # (article id, its photo's height as a share of its height in a column),
    # sorted: photos set across the columns of their body (spans.py).
    spans: tuple[tuple[str, float], ...] = ()
    # (story id, blocks of its Markdown before its pull quote), sorted: quotes moved
    quote_places: tuple[tuple[str, int], ...] = ()

    def scale(self, item_id: str) -> float:
        return dict(self.scales).get(item_id, 1.0)

    def with_scale(self, item_id: str, scale: float) -> Levers:
        scales = {**dict(self.scales), item_id: scale}
        kept = tuple(sorted((k, v) for k, v in scales.items() if v != 1.0))
        return replace(self, scales=kept)

    def with_place(self, item_id: str, place: int) -> Levers:
        places = {**dict(self.places), item_id: place}
        return replace(self, places=tuple(sorted(places.items())))

    def with_jump(self, item_id: str, cut: int) -> Levers:
        """The story in two parts; its pull quote goes with the rest, where
        the rest's template sets it."""
        jumps = {**dict(self.jumps), item_id: cut}
        return replace(self, jumps=tuple(sorted(jumps.items())), quote_places=self.unmoved(item_id))

    def without_quote(self, item_id: str) -> Levers:
        quotes = tuple(sorted({*self.quotes, item_id}))
        return replace(self, quotes=quotes, quote_places=self.unmoved(item_id))

    def with_quote_place(self, item_id: str, after: int) -> Levers:
        places = {**dict(self.quote_places), item_id: after}
        return replace(self, quote_places=tuple(sorted(places.items())))

    def unmoved(self, item_id: str) -> tuple[tuple[str, int], ...]:
        return tuple(kept for kept in self.quote_places if kept[0] != item_id)

    def with_span(self, item_id: str, share: float) -> Levers:
        """The photo across the columns, in place of any height or place
        the other photo levers gave it."""
        spans = {**dict(self.spans), item_id: share}
        return replace(
            self,
            spans=tuple(sorted(spans.items())),
            scales=tuple(kept for kept in self.scales if kept[0] != item_id),
            places=tuple(kept for kept in self.places if kept[0] != item_id),
        )


@dataclass(frozen=True)
class Plan:
    levers: Levers
    pages: Pages
    score: tuple
    measured: Pages  # the layout as measured, before any lever
    measured_score: tuple = ()
    changes: tuple[str, ...] = field(default=())  # what the planner changed, for the report
    fewest_pages: int = 0  # the fewest pages any levers give: every photo at its smallest
    # When this plan leaves a pull quote out: the best that leaves none out,
    # which copy-fit lays out against it (a page saved is worth a warning
    # only when the layouts bear the simulation out).
    rival: Plan | None = None

    @property
    def changed(self) -> bool:
        """Whether the plan is worth a layout: it changes something, and
        takes fewer pages (or nearer the target), leaves fewer short, fills
        the short ones by a twentieth of a page more, or leaves fewer columns
        mostly empty and the pages no less full."""
        if not self.changes:
            return False
        if self.score[:2] != self.measured_score[:2]:
            return self.score[:2] < self.measured_score[:2]
        if len(self.pages.lopsided) < len(self.measured.lopsided):
            return self.score[2] <= self.measured_score[2]
        return self.score[2] <= self.measured_score[2] - WORTH_A_LAYOUT


def score(
    pages: Pages,
    target: int | None,
    multiple: int | None,
    levers: Levers,
    findings_first: bool = True,
) -> tuple:
    """Lower is better: the page count (the fewest, or the nearest to the
    target), then the faults, then how short the pages are, then how far
    the levers moved from the measured layout.

    A fault is a page but the last short of `FULL`; what copy-fit reports
    to the editor counts twice: a hole at a page's foot, a last page holding
    a few lines, a headline stranded at a page's foot, a column left mostly
    empty, a photo pushed onto a page without its story's text, a pull
    quote left out. So a plan never trades a finding for a page a little
    fuller. A last page short of `LAST` is no fault (at the fewest pages,
    nothing else fills it), only short.

    Not `findings_first`, the other way the search goes: the pages first,
    a column left mostly empty or a photo pushed away weighed with the
    levers' cost (see `plan`): each may be mended once a page is saved."""
    count = pages.count
    if target:
        page_cost = abs(count - target)
    elif multiple:
        page_cost = count + (0 if count % multiple == 0 else multiple)
    else:
        page_cost = count
    below = [fill for fill in pages.fills[:-1] if fill < FULL]  # the pages but the last short
    last_short = max(0.0, LAST - pages.fills[-1]) if count > 1 else 0.0
    faults = len(below) + 2 * len(pages.stranded)
    if findings_first:
        # A hole is a page short of `FULL` too; a last page of a few lines
        # counts twice on its own.
        faults += _holes_and_tail(pages, below) + _tail(pages) + 2 * len(levers.quotes)
        faults += 2 * (len(pages.lopsided) + pages.pushed)
    # A photo moved costs as much as a photo 20 % off its height; the tighter
    # spacing, as much as 30 %.
    moved = sum(abs(1 - v) for _, v in levers.scales) + 0.2 * len(levers.places)
    moved += 0.2 * len(levers.quote_places)  # a pull quote moved, as much as a photo
    moved += 0.3 * levers.tight + JUMP_COST * len(levers.jumps) + QUOTE_COST * len(levers.quotes)
    moved += sum(SPAN_COST + (1 - share) / 2 for _, share in levers.spans)
    moved += 0.0 if findings_first else LOPSIDED_COST * (len(pages.lopsided) + pages.pushed)
    # A rest printed on the page its story starts on is a jump to nowhere.
    faults += sum(
        pages.starts.get(continued_id(item_id)) == pages.starts.get(item_id)
        for item_id, _ in levers.jumps
    )
    short = sum(FULL - fill for fill in below)
    return (page_cost, faults, round(short + last_short, 3), round(moved, 3))


def reported(pages: Pages) -> int:
    """How many findings copy-fit would report of a simulated layout: a hole
    at a page's foot, a last page of a few lines, a headline stranded, a
    run of columns left mostly empty, a photo pushed away from its story."""
    return _holes_and_tail(pages) + len(pages.stranded) + len(pages.lopsided) + pages.pushed


def _holes_and_tail(pages: Pages, below_full: list[float] | None = None) -> int:
    """The pages but the last with a hole at their foot, and a last page of
    a few lines; `below_full`, the fills of those pages short of `FULL`,
    when they are at hand (a hole is short of that too)."""
    fills = pages.fills[:-1] if below_full is None else below_full
    holes = sum(1 for fill in fills if fill < HOLE)
    return holes + _tail(pages)


def _tail(pages: Pages) -> bool:
    """Whether the last page holds a few lines: a page copy-fit would save."""
    return pages.count > 1 and pages.fills[-1] < TAIL


def plan(
    gauges: Gauges,
    target: int | None = None,
    multiple: int | None = None,
    flexible: bool = False,
    briefs: frozenset[str] = frozenset(),
    tight: Gauges | None = None,
    sharp: int = 0,
) -> Plan:
    """The levers that fill the pages best; `briefs` are the stories that may
    move when the order is `flexible` (never the lead, never a box); `tight`,
    the same issue measured with the theme's tighter spacing, weighed as a
    lever when the issue as measured takes more than a page; `sharp`, the
    fewest dots per inch a photo set across the columns may print at.

    With the tighter spacing a lever, the search may take it early and end
    elsewhere than without it, so the plan without it is made first and the
    better of the two kept (on a tie, the one without). The two share what
    they have in common: every simulation without the tighter spacing is
    made once.

    Leaving a pull quote out is the last lever, but a search that has taken
    it may end where one without it does better (it reached a page fewer
    before the jump lines that would have saved the page too): such a plan
    is weighed against the best that leaves no quote out, and keeps it as
    its `rival` when it stays the better."""
    known = _Known()

    def spaced_or_not(quotes: bool) -> Plan:
        plain = _plan(gauges, target, multiple, flexible, briefs, None, sharp, known, quotes)
        if tight is None or plain.measured.count <= 1:
            return plain
        spaced = _plan(gauges, target, multiple, flexible, briefs, tight, sharp, known, quotes)
        return min((plain, spaced), key=ranked)

    def ranked(found: Plan) -> tuple:
        return _ranked(found.levers, found.pages, target, multiple)

    chosen = spaced_or_not(quotes=True)
    if chosen.levers.quotes:
        kept = spaced_or_not(quotes=False)
        chosen = kept if ranked(kept) <= ranked(chosen) else replace(chosen, rival=kept)
    return chosen


def _plan(
    gauges: Gauges,
    target: int | None,
    multiple: int | None,
    flexible: bool,
    briefs: frozenset[str],
    tight: Gauges | None,
    sharp: int,
    known: _Known,
    quotes: bool = True,
) -> Plan:
    """The plan with the tighter spacing as a lever (`tight`) or without it."""
    search = _Search(gauges, tight, target, multiple, flexible, briefs, sharp, known, quotes)
    start = Levers((), search.order)
    measured = search.whole(start)
    # The search takes one change at a time, so where it ends depends on
    # what it weighs first: what copy-fit would report, then how full the
    # pages are. When that saves no page, it goes the other way too (the
    # pages first, which may reach a page fewer and then mend a column),
    # and the plan is the better by what the editor is shown.
    best, levers, pages = _searched(search, start, measured)
    if best[0] >= measured.score[0]:
        other = search.weighing(findings_first=False)
        tried = _searched(other, start, other.whole(start))[1:]
        rescored = score(tried[1], target, multiple, tried[0])
        best, levers, pages = _preferred(
            target, multiple, (best, levers, pages), (rescored, *tried)
        )
    # The tighter spacing may save a page only with another change (a photo
    # moved into the room it makes), which one change at a time does not
    # reach when neither helps alone: the search starts from it as well.
    if tight is not None and best[0] >= measured.score[0]:
        tight_start = replace(start, tight=True)
        tried = _searched(search, tight_start, search.whole(tight_start))
        best, levers, pages = _preferred(target, multiple, (best, levers, pages), tried)
    smallest = tuple(
        sorted(
            (item.photo_id, next((scale for scale in SCALES if _sharp(item, scale, sharp)), 1.0))
            for item in gauges.items
            if item.photo_id
        )
    )
    # Every photo at its smallest (and the tighter spacing) may save a page
    # that only several of them made smaller together save, which one or two
    # changes at a time never reach when each alone leaves a hole: where it
    # does, the search starts from there too, and grows photos back where
    # the pages have room.
    if smallest:
        small_start = replace(start, scales=smallest, tight=tight is not None)
        small = search.whole(small_start)
        if small.score[0] < best[0]:
            tried = _searched(search, small_start, small)
            best, levers, pages = _preferred(target, multiple, (best, levers, pages), tried)
    changes = _changes(gauges, levers, search.order, pages)
    at_smallest = replace(levers, scales=smallest, tight=tight is not None)
    fewest = simulate(*search.measures(at_smallest), search.bodies(at_smallest)).count
    fewest = min(fewest, pages.count, measured.pages.count)
    return Plan(levers, pages, best, measured.pages, measured.score, changes, fewest)


def replayed(
    gauges: Gauges,
    target: int | None,
    multiple: int | None,
    tight: Gauges | None,
    levers: Levers,
    fewest: int,
    rival: Plan | None = None,
) -> Plan:
    """The plan `plan` chose, from its levers alone: what the search found
    (its levers, the fewest pages it saw, its rival's) is all a plan kept by
    its inputs holds (engine/plans.py); its pages, score and changes are
    simulated again, as the search simulated them."""
    search = _Search(gauges, tight, target, multiple, False, frozenset(), 0)
    measured = search.whole(Levers((), search.order))
    pages = search.whole(levers).pages
    best = score(pages, target, multiple, levers)
    changes = _changes(gauges, levers, search.order, pages)
    return Plan(levers, pages, best, measured.pages, measured.score, changes, fewest, rival)


def _searched(search: _Search, start: Levers, measured: Outcome):
    """The search's rounds from the measured layout, then with jump lines
    for the holes the other levers leave: a story read in one piece is
    worth more than a page filled a little better. They are tried from
    where the other levers got to and, in a fixed order, from the measured
    layout too (the photo levers may have settled where no cut helps); of
    the two, the better, and on a tie the first; and of that and the plan
    without them, the one `_ranked` first. In a flexible issue, the
    briefs moved stay: the editor asked for that lever. Where the plan
    leaves what copy-fit reports, or a page but the last short of
    `NEARLY_FULL`, two changes at once (`_Search.paired`), and the rounds
    again from the pair that helps: on a long issue the pairs cost more
    than a page a little fuller is worth."""
    best, levers, pages = search.rounds(start, measured, jumps=False)
    if best[1] or not search.settled(best, pages):
        found = Outcome(best, pages)
        tries = [search.rounds(levers, found, jumps=True)]
        if not search.flexible:
            tries.append(search.rounds(start, measured, jumps=True))
        cut = min(tries, key=lambda tried: tried[0])
        uncut = best, levers, pages
        best, levers, pages = _preferred(search.target, search.multiple, uncut, cut)
    if _short_of_targets(pages):
        paired = search.paired(levers, Outcome(best, pages))
        if paired is not None:
            found = search.rounds(*paired, jumps=True)
            best, levers, pages = _preferred(
                search.target, search.multiple, (best, levers, pages), found
            )
    return best, levers, pages


def _short_of_targets(pages: Pages) -> bool:
    """Whether copy-fit would report something, or a page but the last is
    filled short of `NEARLY_FULL`."""
    return reported(pages) > 0 or any(fill < NEARLY_FULL for fill in pages.fills[:-1])


def _preferred(target: int | None, multiple: int | None, *plans: tuple) -> tuple:
    """Of finished plans, each (its score, its levers, its pages), the one
    `_ranked` first; on a tie, the earlier."""
    return min(plans, key=lambda found: _ranked(found[1], found[2], target, multiple))


def _ranked(levers: Levers, pages: Pages, target: int | None, multiple: int | None) -> tuple:
    """A finished plan's place among the others the searches found, first
    the best: by its score (weighing findings first), except that the jump
    lines come before the faults of pages short of `FULL` but not of
    `NEARLY_FULL`.

    The score weighs a page a little short as a fault and a jump line as a
    lever's cost, which leads the search to the cuts that close holes. Of
    the plans it ends with, though, a story read in one piece on a page 87%
    full beats the same story cut to fill that page to 95%: the editor
    sees no finding either way, and the reader turns no page to finish it."""
    weighed = score(pages, target, multiple, levers)
    nearly_full = sum(NEARLY_FULL <= fill < FULL for fill in pages.fills[:-1])
    return (weighed[0], weighed[1] - nearly_full, len(levers.jumps), *weighed[1:])


class Outcome(NamedTuple):
    score: tuple
    pages: Pages | None  # None: as kept for its score (_Search.outcome)
    # The places in the print order from the first item the levers changed
    # to the one where the simulation found the base's state again (None: it
    # ran from the start): changes whose regions do not meet may be combined.
    region: tuple[int, int] | None = None


class _Known:
    """What the searches for one plan have worked out, for each other: the
    bodies under each lever, the measures under each set of jump lines and
    pull quotes, and the outcome of every set of levers simulated, by how
    the search weighs it (`findings_first`)."""

    def __init__(self) -> None:
        self.memos = {False: Memo(), True: Memo()}  # by the spacing: bodies measure differently
        self.variants: dict[tuple, tuple[Gauges, tuple[str, ...]]] = {}
        self.parts: dict = {}  # a story's parts by its cut (jumps.jumped)
        self.unquoted: dict = {}  # a story without its pull quote (quotes.without_quotes)
        self.outcomes: dict[bool, dict[Levers, Outcome]] = {True: {}, False: {}}


class _Search:
    """The search for one plan: what it and the others have worked out
    (`_Known`), and the levers last chosen, whose simulation every
    candidate starts from."""

    def __init__(
        self,
        gauges: Gauges,
        tight: Gauges | None,
        target,
        multiple,
        flexible,
        briefs,
        sharp,
        known: _Known | None = None,
        quotes: bool = True,
    ):
        self.gauges, self.tight, self.sharp = gauges, tight, sharp
        self.quotes = quotes  # whether a pull quote may be left out
        self.target, self.multiple = target, multiple
        self.flexible, self.briefs = flexible, briefs
        self.order = tuple(item.id for item in gauges.items)
        self.known = known or _Known()
        self.base: tuple[Levers, Trace] | None = None
        self.findings_first = True

    def weighing(self, findings_first: bool) -> _Search:
        """The same search weighing its outcomes the other way (`score`)."""
        other = copy(self)
        other.findings_first, other.base = findings_first, None
        return other

    def measures(self, levers: Levers) -> tuple[Gauges, tuple[str, ...]]:
        """The measures the levers are simulated on, and the print order of their items."""
        key = (levers.tight, levers.jumps, levers.quotes, levers.order)
        variants = self.known.variants
        if key not in variants:
            spaced = self.tight if levers.tight else self.gauges
            unquoted = without_quotes(spaced, levers.quotes, self.known.unquoted)
            measured, rests = jumped(unquoted, dict(levers.jumps), self.known.parts)
            variants[key] = measured, with_rests(levers.order, rests, measured)
        return variants[key]

    def bodies(self, levers: Levers) -> Bodies:
        return scaled_units(
            dict(levers.scales),
            dict(levers.places),
            self.known.memos[levers.tight],
            dict(levers.spans),
            dict(levers.quote_places),
        )

    def outcome(self, levers: Levers) -> Outcome:
        outcomes = self.known.outcomes[self.findings_first]
        if levers not in outcomes:
            measured, sequence = self.measures(levers)
            changed = _changed(*self.base, levers, sequence) if self.base else None
            if changed is None:
                pages, region = simulate(measured, sequence, self.bodies(levers)), None
            else:
                pages, end = resimulate(
                    self.base[1], measured, sequence, self.bodies(levers), changed
                )
                region = (changed[0], end)
            weighed = score(pages, self.target, self.multiple, levers, self.findings_first)
            # Kept without its pages: a long issue's search weighs thousands
            # of levers and takes a few (`whole` simulates those again).
            outcomes[levers] = Outcome(weighed, None, region)
            return Outcome(weighed, pages, region)
        return outcomes[levers]

    def whole(self, levers: Levers, found: Outcome | None = None) -> Outcome:
        """The outcome of `levers` (`found`, when at hand) with its pages,
        simulated again if it was kept without."""
        found = found or self.outcome(levers)
        if found.pages is not None:
            return found
        pages = simulate(*self.measures(levers), self.bodies(levers))
        return found._replace(pages=pages)

    def rebase(self, levers: Levers) -> None:
        """Keep the simulation of the chosen levers, for candidates to start from."""
        self.base = (levers, trace(*self.measures(levers), self.bodies(levers)))

    def settled(self, best: tuple, pages: Pages) -> bool:
        """Whether the page count is where it should be: at the target, or
        with a last page worth printing (one short of `LAST` is no fault,
        since copy-fit takes it at the fewest pages, but a sign that a page
        may be saved)."""
        if self.target:
            return best[0] == 0
        if self.multiple:
            return pages.count % self.multiple == 0
        return pages.count == 1 or pages.fills[-1] >= LAST

    def rounds(self, levers: Levers, found: Outcome, jumps: bool):
        """Round after round, the change that helps most, together with every
        other that helps on pages of their own; until no change helps.

        A change that did not help is not tried again while the pages it
        touched stay as they were: what the other changes did elsewhere adds
        the same to its outcome as to the best, so it still would not help.
        """
        best, pages = found.score, found.pages
        self.rebase(levers)
        futile: dict[tuple, tuple[int, int]] = {}  # a change that did not help -> its region
        for _ in range(ROUNDS):
            if best[1] == 0 and not pages.lopsided and self.settled(best, pages):
                break
            helping = []
            for candidate in self.candidates(levers, pages, jumps):
                change = _change(levers, candidate)
                if change in futile:
                    continue
                result = self.outcome(candidate)
                if result.score < best:
                    helping.append((result.score, len(helping), candidate, result))
                elif result.region is not None:
                    futile[change] = result.region
            if not helping:
                break
            helping.sort(key=lambda helps: helps[:2])
            printed = self.base[1].order
            levers, found, regions = self.combined(levers, helping)
            best, pages = found.score, self.whole(levers, found).pages
            self.rebase(levers)
            if self.base[1].order != printed or None in regions:
                futile.clear()
            else:
                futile = {
                    change: region
                    for change, region in futile.items()
                    if all(region[1] <= other[0] or other[1] <= region[0] for other in regions)
                }
        return best, levers, pages

    def paired(self, levers: Levers, found: Outcome) -> tuple[Levers, Outcome] | None:
        """Two changes at once, where no one change helps: a change that
        mends a page may disturb the next (a photo made smaller fills page
        1, and the next story no longer fits the foot of page 2), and a
        second change to a photo, pull quote or story that starts on a page
        the first changed, or the page after, mends that. The firsts are
        tried best first, up to `PAIRS` simulations in all (each first
        simulated whole again, and each pair); the best pair that helps,
        and its outcome (None: none does)."""
        self.rebase(levers)
        firsts = [
            (self.outcome(first), n, first)
            for n, first in enumerate(self.candidates(levers, found.pages, jumps=True))
        ]
        firsts.sort(key=lambda tried: (tried[0].score, tried[1]))
        best, tried, before = None, 0, found.pages.fills
        for result, _, first in firsts:
            if tried >= PAIRS:
                break
            pages = self.whole(first, result).pages
            tried += 1
            changed = {
                n + 1 for n, fill in enumerate(pages.fills) if n >= len(before) or fill != before[n]
            }
            near = changed | {page + 1 for page in changed}
            for second in self.candidates(first, pages, jumps=True):
                if not near & _pages_changed(first, second, pages):
                    continue
                tried += 1
                outcome = self.outcome(second)
                if outcome.score < (best[1].score if best else found.score):
                    best = second, outcome
                if tried >= PAIRS:
                    break
        return None if best is None else (best[0], self.whole(*best))

    def candidates(self, levers: Levers, pages: Pages, jumps: bool):
        """The changes worth trying from `levers`, simulated as `pages`."""
        return _candidates(
            self.gauges,
            levers,
            pages,
            self.flexible,
            self.briefs,
            self.tight is not None,
            jumps,
            self.sharp,
            self.quotes,
        )

    def combined(self, levers: Levers, helping: list) -> tuple[Levers, Outcome, list]:
        """The best change, with each next best whose region meets none taken
        (their effects add up, since each leaves the pages as they were
        before the next), and the regions of what was taken; the best alone
        when together they do no better."""
        _, _, first, result = helping[0]
        taken, regions = [first], [result.region]
        for _, _, candidate, outcome in helping[1:]:
            region = outcome.region
            if region is None or regions[0] is None or not _combinable(levers, candidate):
                continue
            if all(region[1] <= other[0] or other[1] <= region[0] for other in regions):
                taken.append(candidate)
                regions.append(region)
        if len(taken) > 1 and _combinable(levers, first):
            together = _with_changes(levers, taken)
            outcome = self.outcome(together)
            if outcome.score < result.score:
                return together, outcome, regions
        return first, result, regions[:1]


def _change(levers: Levers, candidate: Levers) -> tuple:
    """What a candidate changes in `levers`, whatever else changes later."""
    return (
        _differing(levers.scales, candidate.scales),
        _differing(levers.places, candidate.places),
        _differing(levers.jumps, candidate.jumps),
        _differing(levers.quotes, candidate.quotes),
        _differing(levers.spans, candidate.spans),
        _differing(levers.quote_places, candidate.quote_places),
        candidate.tight != levers.tight,
        candidate.order if candidate.order != levers.order else (),
    )


def _pages_changed(levers: Levers, candidate: Levers, pages: Pages) -> set[int]:
    """The pages, of `levers` simulated as `pages`, that the items a
    candidate changes start on: none for the spacing or the order, which
    change every page after."""
    if candidate.tight != levers.tight or candidate.order != levers.order:
        return set()
    scales, places, jumps, quotes, spans, quote_places, *_ = _change(levers, candidate)
    changed = scales | places | jumps | spans | quote_places
    items = {item_id for item_id, _ in changed} | set(quotes)
    return {pages.starts[item_id] for item_id in items if item_id in pages.starts}


def _differing(before: tuple, after: tuple) -> frozenset:
    """What is in one of two settings of a lever and not in the other."""
    return frozenset() if before == after else frozenset(set(before) ^ set(after))


def _combinable(levers: Levers, candidate: Levers) -> bool:
    """Whether the candidate changes only photos, jump lines or pull quotes:
    changes of one item each, which add up."""
    return candidate.tight == levers.tight and candidate.order == levers.order


def _with_changes(levers: Levers, candidates: list[Levers]) -> Levers:
    """`levers` with what each candidate changed in it."""
    scales, places, jumps = dict(levers.scales), dict(levers.places), dict(levers.jumps)
    spans, quotes = dict(levers.spans), set(levers.quotes)
    quote_places = dict(levers.quote_places)
    for candidate in candidates:
        spans.update(_differences(dict(levers.spans), dict(candidate.spans), None))
        scales.update(_differences(dict(levers.scales), dict(candidate.scales), 1.0))
        places.update(_differences(dict(levers.places), dict(candidate.places), None))
        jumps.update(_differences(dict(levers.jumps), dict(candidate.jumps), None))
        quotes |= set(candidate.quotes)
        quote_places.update(
            _differences(dict(levers.quote_places), dict(candidate.quote_places), None)
        )
    return replace(
        levers,
        scales=tuple(sorted((k, v) for k, v in scales.items() if v != 1.0)),
        places=tuple(sorted((k, v) for k, v in places.items() if v is not None)),
        jumps=tuple(sorted((k, v) for k, v in jumps.items() if v is not None)),
        quotes=tuple(sorted(quotes)),
        spans=tuple(sorted((k, v) for k, v in spans.items() if v is not None)),
        quote_places=tuple(sorted((k, v) for k, v in quote_places.items() if v is not None)),
    )


def _differences(before: dict, after: dict, default) -> dict:
    return {
        key: after.get(key, default)
        for key in before.keys() | after.keys()
        if before.get(key, default) != after.get(key, default)
    }


def _changed(
    before: Levers, base: Trace, levers: Levers, sequence: tuple[str, ...]
) -> tuple[int, ...] | None:
    """The places in the print order `sequence` of the items whose levers
    differ from `before`'s (simulated as `base`), or that are not in `base`,
    or that follow another item than in `base`: the simulation of `levers`
    may start from `base` at the first, and take `base`'s items between
    them as `base` set them, where it finds `base`'s state (None: it runs
    from the start)."""
    scales, places, jumps, quotes, spans, moved, tight, _ = _change(before, levers)
    if tight:
        return None
    changed = {item_id for item_id, _ in scales | places | spans | moved}
    parts = {item_id for item_id, _ in jumps} | quotes
    changed |= parts | {continued_id(item_id) for item_id in parts}  # a rest holds its quote
    printed, index = base.order, base.index
    if sequence == printed:
        at = sorted(index[item_id] for item_id in changed if item_id in index)
    else:
        at = [
            n
            for n, item_id in enumerate(sequence)
            if item_id in changed or not _follows(base, sequence, n)
        ]
    if not at or at[0] >= len(printed):
        return None
    return tuple(at)


def _follows(base: Trace, sequence: tuple[str, ...], n: int) -> bool:
    """Whether the n-th item of `sequence` is in `base` after the same item
    (or first in both)."""
    was = base.index.get(sequence[n])
    if was is None or (was == 0) != (n == 0):
        return False
    return n == 0 or base.order[was - 1] == sequence[n - 1]


def _candidates(
    gauges: Gauges,
    levers: Levers,
    pages: Pages,
    flexible: bool,
    briefs,
    tight: bool,
    jumps: bool,
    sharp: int = 0,
    quotes: bool = True,
):
    """Single changes near the pages that fall short: the tighter spacing,
    the photos of the items that start on such a page or the next, moves of
    later briefs, and (with `jumps`, the last resort) stories cut by a jump
    line and, where `quotes` allows, pull quotes left out."""
    if tight and not levers.tight:
        yield replace(levers, tight=True)
    short = {n for n, fill in enumerate(pages.fills[:-1], start=1) if fill < FULL}
    if pages.count > 1 and pages.fills[-1] < LAST:
        short.add(pages.count)
    near = short | {n + 1 for n in short} | {n - 1 for n in short}
    if not short and not pages.lopsided:  # the page count is off target: every photo may help
        near = set(range(1, pages.count + 1))
    if _tail(pages):
        # A few lines alone on the last page: a photo anywhere before may
        # send more after them, or bring them back.
        near = set(range(1, pages.count + 1))
    # A last page short of `LAST`: any photo made smaller may bring it back,
    # pages before, where a story runs on down the pages.
    saving = pages.count > 1 and pages.fills[-1] < LAST
    # A photo that leaves a column mostly empty may be moved, resized or set
    # across the columns with the rest, and moved and resized at once.
    lopsided = {n - k for n in pages.lopsided for k in (0, 1)}
    near |= lopsided
    # A head stranded at a page's foot, on a page full enough: its own photo,
    # or one before it on that page or the last, may bring its lines up to
    # it or send it on.
    near |= {n - k for n in pages.stranded for k in (0, 1)}
    spanned = dict(levers.spans)
    for item in gauges.items:
        if not item.photo_id:
            continue
        if pages.starts.get(item.id) not in near:
            if saving and item.photo_id not in spanned:
                now = levers.scale(item.photo_id)
                for scale in (scale for scale in SCALES if scale < now):
                    if _sharp(item, scale, sharp):
                        yield levers.with_scale(item.photo_id, scale)
            continue
        if item.photo_id in spanned:
            yield from _spans(item, levers, sharp)
            continue
        scales = [scale for scale in SCALES if _sharp(item, scale, sharp)]
        for scale in scales:
            if scale != levers.scale(item.photo_id):
                yield levers.with_scale(item.photo_id, scale)
        for place in PLACES:
            yield levers.with_place(item.photo_id, place)
        yield from _spans(item, levers, sharp)
        if pages.starts.get(item.id) in lopsided:
            yield from _moved_and_resized(item, levers, scales)
    yield from _quote_places(gauges, levers, pages, near)
    if jumps:
        yield from _jumps(gauges, levers, pages, short)
        if quotes:
            yield from _quotes(gauges, levers, pages, near)
    if flexible:
        yield from _moves(levers, pages, short, briefs)


def _moved_and_resized(item: ItemGauge, levers: Levers, scales: list[float]):
    """The item's photo set first in its body at each other height: a body
    too short beside its photo leaves a column mostly empty at every height
    of the photo where it stands, and where it stands first at its height,
    yet not always first at another height (above the text, and smaller, it
    may stand level with the text balanced beside it). One change at a time
    never reaches that when neither helps alone."""
    moved = levers.with_place(item.photo_id, 0)
    for scale in scales:
        if scale != levers.scale(item.photo_id):
            yield moved.with_scale(item.photo_id, scale)


def _spans(item: ItemGauge, levers: Levers, sharp: int):
    """The item's photo across its columns at each height it may take (one
    at a height it already has is no change), when it prints sharp enough."""
    if not spannable(item, sharp):
        return
    heights = {picture_height(item, share): share for share in reversed(SHARES)}
    now = dict(levers.spans).get(item.photo_id)
    for share in sorted(heights.values(), reverse=True):
        if share != now:
            yield levers.with_span(item.photo_id, share)


def _jumps(gauges: Gauges, levers: Levers, pages: Pages, short: set[int]):
    """Stories cut by a jump line after each of their blocks in turn: the
    one that opens the page after a short one (it did not fit the hole),
    and the last to start on the short page (its rest sent on, what follows
    it may fit). Not a story already in two parts, by hand or by the plan,
    and never the lead: the front page is the issue's face, its story read
    there in one piece. Two stories a short page keep the search's cost in
    step with the holes, not with the issue.

    A story cut before the end of the text its photo follows is cut with
    its photo as it is, and with its photo ahead of its text too: the first
    part would end with the photo, which a page foot pushes on alone, away
    from its text, and one change at a time may not reach the pair."""
    jumped = {item_id for item_id, _ in levers.jumps}
    jumped.add(gauges.items[0].id)
    rests = {item.id for item in gauges.items if item.role == "continued"}
    first: dict[int, ItemGauge] = {}
    last: dict[int, ItemGauge] = {}
    for item_id in levers.order:
        item, page = gauges.item(item_id), pages.starts.get(item_id, 0)
        first.setdefault(page, item)
        if item.role == "story":
            last[page] = item
    for number in sorted(short):
        for item in (first.get(number + 1), last.get(number)):
            if item is None or item.role != "story" or item.id in jumped:
                continue
            if continued_id(item.id) in rests:
                continue
            after = _blocks_before_photo(item, levers)
            for cut in cuts(item):
                yield levers.with_jump(item.id, cut)
                if cut <= after:  # the photo would end the first part
                    yield levers.with_jump(item.id, cut).with_place(item.photo_id, 0)


def _blocks_before_photo(item: ItemGauge, levers: Levers) -> int:
    """How many blocks of its text the item's photo follows (0: no photo)."""
    if not item.photo_id:
        return 0
    place = dict(levers.places).get(item.photo_id)
    if place is not None:
        return place
    photo = next((n for n, unit in enumerate(item.units) if unit.photo), 0)
    return len({unit.text for unit in item.units[:photo] if unit.text >= 0})


def _quote_places(gauges: Gauges, levers: Levers, pages: Pages, near: set[int]):
    """The pull quote of each story whose text reaches a short page or one
    next to it, a block earlier or later than the template sets it (after
    half the story's blocks): a quote kept whole that does not fit a
    page's foot leaves a hole there, and one block on it may fit, or make
    room. Not a story in two parts: its rest's template places its quote."""
    jumped = {item_id for item_id, _ in levers.jumps}
    order = [item_id for item_id in levers.order if item_id in pages.starts]
    ends = [pages.starts[later] for later in order[1:]] + [pages.count]
    for item_id, end in zip(order, ends, strict=True):
        if item_id in jumped or item_id in levers.quotes:
            continue
        if not near & set(range(pages.starts[item_id], end + 1)):
            continue
        item = gauges.item(item_id)
        if not quoted(item):
            continue
        measured = quote_place(item.units)
        blocks = len({u.text for u in item.units if u.text >= 0})
        now = dict(levers.quote_places).get(item_id, measured)
        for after in (measured - 1, measured + 1):
            if 1 <= after < blocks and after != now:
                yield levers.with_quote_place(item_id, after)
        if now != measured:  # back where the template sets it
            yield replace(levers, quote_places=levers.unmoved(item_id))


def _quotes(gauges: Gauges, levers: Levers, pages: Pages, near: set[int]):
    """The pull quote of each story that starts on a short page or next to
    one, left out."""
    for item in gauges.items:
        if item.id not in levers.quotes and pages.starts.get(item.id) in near and quoted(item):
            yield levers.without_quote(item.id)


def _moves(levers: Levers, pages: Pages, short: set[int], briefs):
    order = list(levers.order)
    for index, item_id in enumerate(order):
        if item_id not in briefs:
            continue
        for place in range(1, index):
            if (
                pages.starts.get(order[place]) not in short
                and pages.starts.get(order[place - 1]) not in short
            ):
                continue
            moved = order[:index] + order[index + 1 :]
            moved.insert(place, item_id)
            yield replace(levers, order=tuple(moved))


def _changes(gauges: Gauges, levers: Levers, order: tuple[str, ...], pages: Pages) -> tuple:
    changes = []
    if (lead := covered(gauges, pages)) is not None:
        changes.append((lead, "cover", pages.starts[lead]))
    for item_id, scale in levers.scales:
        changes.append((item_id, "photo", scale))
    for item_id, place in levers.places:
        changes.append((item_id, "photo after", place))
    if levers.tight:
        changes.append(("", "tight", None))
    if levers.order != order:
        for item_id in levers.order:
            if levers.order.index(item_id) < order.index(item_id):
                changes.append((item_id, "moved", pages.starts.get(item_id)))
    for item_id, _ in levers.jumps:
        changes.append((item_id, "jump", pages.starts.get(continued_id(item_id))))
    for item_id, share in levers.spans:
        changes.append((item_id, "span", share))
    for item_id, after in levers.quote_places:
        changes.append((item_id, "quote after", after))
    for item_id in levers.quotes:  # the last lever tried, the last said
        changes.append((item_id, "quote", None))
    return tuple(changes)


def covered(gauges: Gauges, pages: Pages) -> str | None:
    """The lead, when the plan starts it on a new page where the measured
    layout had it under the contents: its head did not keep its first
    lines there, and the engine, whose keep rules a float beside those
    lines defeats, would leave the head alone at the page's foot."""
    if not gauges.items or gauges.item_pages.get(gauges.items[0].id) != gauges.front + 1:
        return None
    lead = gauges.items[0].id
    return lead if pages.starts.get(lead, 0) > gauges.front + 1 else None


def _sharp(item: ItemGauge, scale: float, sharp: int) -> bool:
    """Whether the item's photo at `scale` of its height prints at `sharp`
    dpi or finer, or no coarser than as measured. A planned height crops
    the picture to cover its box (`photo_width`): taller than the picture
    was drawn, it is drawn wider, larger than its pixels may allow."""
    if not (sharp and item.pixels and item.photo_width and item.picture_ratio):
        return True
    natural = min(item.photo_width, photo_height(item, 1.0) * item.picture_ratio)
    drawn = max(photo_width(item, scale), photo_height(item, scale) * item.picture_ratio)
    floor = min(sharp, item.pixels * CSS_PX_PER_INCH / natural)
    return item.pixels * CSS_PX_PER_INCH / drawn >= floor


def photo_width(item: ItemGauge, scale: float) -> float:
    """The width of the box of the item's photo at `scale` of its height, in
    px: as wide as its picture was drawn (a theme that caps a photo's height
    draws it narrower than its column, white at its sides), or as the
    picture at that height, whichever is wider, up to its column. Cropped
    to a smaller height, a picture keeps its width and its sharpness."""
    if not item.picture_ratio:
        return item.photo_width
    drawn = photo_height(item, 1.0) * item.picture_ratio
    wanted = max(drawn, photo_height(item, scale) * item.picture_ratio)
    return item.photo_width if wanted > item.photo_width - 1 else wanted  # within a pixel


def photo_height(item: ItemGauge, scale: float) -> float:
    """The height of the item's picture at `scale`, in px."""
    return item.picture * scale


def mm(px: float) -> int:
    return math.floor(px * 25.4 / 96 + 0.5)
