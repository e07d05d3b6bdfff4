"""Pull quotes left out: the last lever, for a page no other closes.

A pull quote repeats a line of its story to catch the eye; nothing is lost
to the reader when it goes, but the editor chose it, so the plan leaves one
out only where that fills a page the other levers could not, and the build
says so in a warning at the story (engine/copyfit.py).
"""

from __future__ import annotations

from dataclasses import replace

from broadsheet.planner.gauges import Gauges, ItemGauge
from broadsheet.planner.jumps import extras


def quoted(item: ItemGauge) -> bool:
    """Whether the item's body holds a pull quote the plan may leave out."""
    return item.role == "story" and not item.unquoted and bool(extras(item)[0])


def unquoted(item: ItemGauge) -> ItemGauge:
    """The item measured without its pull quote: the text closes up where it stood."""
    quote = {id(unit) for unit in extras(item)[0]}
    units = tuple(unit for unit in item.units if id(unit) not in quote)
    return replace(item, units=units, unquoted=True)


def without_quotes(gauges: Gauges, stories: tuple[str, ...], made: dict | None = None) -> Gauges:
    """The measures with the pull quotes of `stories` left out; `made` keeps
    the items measured without theirs, as jumps.jumped keeps its parts."""
    if not stories:
        return gauges
    made = {} if made is None else made
    items = []
    for item in gauges.items:
        if item.id in stories and quoted(item):
            if id(item) not in made:
                made[id(item)] = item, unquoted(item)
            item = made[id(item)][1]
        items.append(item)
    return replace(gauges, items=tuple(items))
