"""Jump lines: a story set in two parts, its first blocks where it starts and
the rest after the last story, joined by "Continued on page N" and
"Continued from page M".

A story that is kept whole (a brief) and does not fit the foot of a page
leaves a hole there; cut after its first blocks, its first part fills the
hole and the rest is read later, as a newspaper does it. The parts are made
from the story's own measures: its lines keep their heights, the first part
ends with a jump line measured like the first line of the story's read-more
line (or as the theme's styles set one, when it has none), and the rest is headed by
the story's headline again and a "Continued from" line where the story's
own head had its next line (`ItemGauge.rest_head`, measured in
engine/gauge.py). The layout of the plan is compared with it afterwards, as
every plan is (engine/copyfit.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from broadsheet.planner.gauges import Gauges, ItemGauge, Unit

CONTINUED = "-continued"  # the id of the rest of a jumped story (Article.continued_id)


def continued_id(item_id: str) -> str:
    return item_id + CONTINUED


def cuts(item: ItemGauge) -> range:
    """Where a story may be cut: after any of its blocks of Markdown but the
    last (a story of one block has nothing to continue)."""
    if item.role != "story" or item.cut:
        return range(0)
    texts = {u.text for u in item.units if u.text >= 0}
    return range(1, len(texts))


def parts(
    item: ItemGauge, cut: int, line: tuple[float, float, float] = (0.0, 0.0, 0.0)
) -> tuple[ItemGauge, ItemGauge]:
    """The first part of `item` cut after `cut` blocks of Markdown, and the rest.

    As render.py sets a jumped story: the photo stays in the first part
    (after its first block, or where it was if earlier), the pull quote goes
    to the rest, after half its blocks, and the read-more line ends the rest.
    `line`: a jump line's height and margins in the theme's styles.
    """
    texts = [u for u in item.units if u.text >= 0]
    front = [u for u in texts if u.text < cut]
    rest = [u for u in texts if u.text >= cut]
    figure = next((u for u in item.units if u.photo), None)
    if figure is not None:
        at = item.units.index(figure)
        before = sum(1 for u in item.units[:at] if 0 <= u.text < cut)
        front.insert(before, figure)
    quote, closing = extras(item)
    if quote:
        blocks = sorted({u.text for u in rest})
        after = blocks[max(1, len(blocks) // 2) - 1]
        at = max(i for i, u in enumerate(rest) if u.text == after) + 1
        rest[at:at] = [replace(quote[0], breakable=True), *quote[1:]]
        if at < len(rest) - len(quote):
            rest[at + len(quote)] = replace(rest[at + len(quote)], breakable=True)
    rest += closing
    first = replace(
        item,
        units=tuple(front),
        whole=False,
        cut=cut,
        jump=_jump_line(item, closing, texts, line),
    )
    second = replace(
        item,
        id=continued_id(item.id),
        role="continued",
        head=item.rest_head or item.head,
        units=tuple(rest),
        whole=False,
        photo_id=None,
        cut=cut,
    )
    return first, second


def extras(item: ItemGauge) -> tuple[list[Unit], list[Unit]]:
    """The units of its pull quote, and of what closes its body (the
    read-more line): the blocks that are neither text nor the photo, told
    apart by whether any text follows them."""
    units = item.units
    return [units[i] for i in quote_indices(units)], closing_units(units)


def closing_units(units: Sequence[Unit]) -> list[Unit]:
    """The units of what closes a body (the read-more line): neither text
    nor the photo, after the last of the text."""
    last_text = max((i for i, u in enumerate(units) if u.text >= 0), default=-1)
    return [u for u in units[last_text + 1 :] if u.text < 0 and not u.photo]


def quote_indices(units: Sequence[Unit]) -> list[int]:
    """Where in a body's units its pull quote stands: the blocks neither
    text nor the photo that some text follows."""
    last_text = max((i for i, u in enumerate(units) if u.text >= 0), default=-1)
    return [i for i, u in enumerate(units[:last_text]) if u.text < 0 and not u.photo]


def _jump_line(
    item: ItemGauge, closing: list[Unit], texts: list[Unit], line: tuple[float, float, float]
) -> Unit:
    """The "Continued on page N" line, kept with the text it ends: measured
    as the first line of the read-more line that a story with a link ends
    with (its label, in the style of a jump line, with its margins), else
    as the theme's styles set it (`line`: its height and margins; a
    read-more line beside a QR code is no measure of it), else as what
    closes the story, or a line of its text after a paragraph's space."""
    if closing and closing[0].first_line:
        read_more = closing[0]
        margins = read_more.height - read_more.first_line - read_more.after_first
        return Unit(
            read_more.first_line,
            read_more.gap,
            False,
            block=read_more.block,
            orphans=1,
            above=margins,
        )
    height, margin, below = line
    if height:
        block = max(u.block for u in item.units) + 1
        return Unit(height, margin, False, block=block, orphans=1, below=below, above=margin)
    if closing:
        return Unit(closing[0].height, closing[0].gap, False, block=closing[0].block)
    starts = [u.gap for u in texts[1:] if u.gap]
    return Unit(texts[-1].height, max(starts, default=0.0), False)


def jumped(
    gauges: Gauges, jumps: dict[str, int], made: dict | None = None
) -> tuple[Gauges, tuple[str, ...]]:
    """The measures with each story of `jumps` (id -> blocks before the jump)
    in two parts, and where the rests go: after the last story, in the
    stories' order, before the boxes (layout/issue.html.j2). `made` keeps
    the parts cut before, by the item and the cut: the search asks for the
    same parts in many sets of jumps, and its simulations know an item by
    its identity (pages._Run.place)."""
    if not jumps:
        return gauges, ()
    made = {} if made is None else made
    items, rests = [], []
    for item in gauges.items:
        if item.id in jumps and item.role == "story":
            key = (id(item), jumps[item.id])
            if key not in made:
                line = gauges.jump_line, gauges.jump_margin, gauges.jump_below
                made[key] = item, parts(item, jumps[item.id], line)  # the item kept: its id stays
            first, rest = made[key][1]
            items.append(first)
            rests.append(rest)
        else:
            items.append(item)
    return replace(gauges, items=(*items, *rests)), tuple(rest.id for rest in rests)


def with_rests(order: tuple[str, ...], rests: tuple[str, ...], gauges: Gauges) -> tuple[str, ...]:
    """`order` (the stories and boxes) with the rests of jumped stories after
    the last story."""
    if not rests:
        return order
    roles = {item.id: item.role for item in gauges.items}
    last = max((n for n, item_id in enumerate(order) if roles.get(item_id) == "story"), default=-1)
    rests = tuple(sorted(rests, key=lambda rest: order.index(rest.removesuffix(CONTINUED))))
    return (*order[: last + 1], *rests, *order[last + 1 :])
