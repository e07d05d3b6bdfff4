"""An issue's plan, kept by what it was planned from: a rebuild of an issue
whose measures are unchanged (`make` after an edit to another file it reads,
the newsletter's or a stylesheet that changes no measure) searches nothing.

The search is the planner's dearest stage on a long issue, and its answer
depends on nothing but its inputs: the measures (kept by content already,
measurement.py, whose digest `Gauges.made_from` is), what the issue asks
(`pages:`, `page_multiple:`, `order:`), the sharpness the profile allows,
and the planner's own code. A digest of those is the key. What is kept is
what the search found, its levers and the fewest pages it saw (and its
rival's, search.Plan.rival); the pages, scores and changes are simulated
again from them (search.replayed), so a kept plan and a fresh one are the
same plan, and the PDF the same either way. Kept in the session
(`broadsheet watch`) and as small JSON files under build/.cache/plans.
"""

from __future__ import annotations

import hashlib
import inspect
from collections import OrderedDict
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path

from broadsheet.content.model import Issue
from broadsheet.engine.measurement import Store
from broadsheet.planner import search
from broadsheet.planner.gauges import Gauges
from broadsheet.planner.jumps import cuts
from broadsheet.planner.search import PLACES, SCALES, Levers, Plan, plan, replayed
from broadsheet.planner.spans import SHARES

PLAN_CACHE = Path("build/.cache/plans")  # under the project root


def planned(
    issue: Issue,
    measured: Gauges,
    tight: Gauges | None = None,
    sharp: int = 0,
    kept: tuple[OrderedDict[str, object], Path] | None = None,
) -> Plan:
    """The planner's levers for `issue`, from its measures (and, to weigh
    the tighter spacing, as they would be with it); a photo across the
    columns only where it prints at `sharp` dpi or finer. With `kept` (the
    session's plans and the project's root), the plan kept for the same
    inputs, or the one planned now, kept."""
    briefs = frozenset(item.id for item in measured.items if item.whole)
    target, multiple, flexible = issue.pages, issue.page_multiple, issue.order_flexible
    asked = (target, multiple, flexible, briefs, sharp)
    key = _key(measured, tight, asked)
    if kept is None or key is None:
        return plan(measured, target, multiple, flexible, briefs, tight, sharp)
    store = Store(kept[0], kept[1], PLAN_CACHE)

    def read(found: dict) -> Plan:
        def again(found: dict, rival: Plan | None = None) -> Plan:
            levers, fewest = _within_design(_levers(found["levers"]), measured), found["fewest"]
            if type(fewest) is not int:
                raise TypeError("fewest")
            return replayed(measured, target, multiple, tight, levers, fewest, rival)

        rival = found["rival"]
        return again(found, None if rival is None else again(rival))

    chosen = store.get(key, read)
    if chosen is None:
        chosen = plan(measured, target, multiple, flexible, briefs, tight, sharp)
        store.put(key, chosen, _found(chosen))
    return chosen


def _key(measured: Gauges, tight: Gauges | None, asked: tuple) -> str | None:
    """The digest of a plan's inputs; None for measures not kept by content."""
    made_from = (measured.made_from, tight.made_from if tight is not None else "-")
    if not all(made_from):
        return None
    target, multiple, flexible, briefs, sharp = asked
    parts = (
        *made_from,
        _planning_code(),
        f"{target} {multiple} {flexible} {sharp}",
        *sorted(briefs),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@cache
def _planning_code() -> str:
    """A digest of the planner's code: changed, and every plan is made again."""
    folder = Path(inspect.getsourcefile(search)).parent
    files = (*sorted(folder.glob("*.py")), Path(__file__))  # the planner, and the replay here
    sources = (path.read_text(encoding="utf-8") for path in files)
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()


def _found(chosen: Plan) -> dict:
    """What the search found, as JSON."""
    rival = chosen.rival
    return {
        "levers": asdict(chosen.levers),
        "fewest": chosen.fewest_pages,
        "rival": None if rival is None else _found(rival),
    }


# Each lever's JSON (lists) as the tuple Levers holds, every value checked:
# a file changed by hand is refused (TypeError), not planned from.
_PAIRS = {"scales": (str, float), "places": (str, int), "jumps": (str, int)}
_PAIRS |= {"spans": (str, float), "quote_places": (str, int)}


def _levers(kept: dict) -> Levers:
    values: dict[str, object] = {}
    for field in fields(Levers):
        value = kept[field.name]
        if field.name == "tight":
            if type(value) is not bool:
                raise TypeError(field.name)
        elif field.name in _PAIRS:
            value = tuple(_pair(pair, _PAIRS[field.name]) for pair in value)
        else:  # order, quotes: ids
            value = tuple(_typed(item_id, str) for item_id in value)
        values[field.name] = value
    return Levers(**values)


def _within_design(levers: Levers, measured: Gauges) -> Levers:
    """The levers, when each is one the search might have chosen for these
    measures: the items in an order of their own, photos and stories that
    are there, heights, places and cuts the planner sets (ValueError: not)."""
    photos = {item.photo_id for item in measured.items if item.photo_id}
    stories = {item.id: item for item in measured.items if item.role == "story"}
    allowed = (
        sorted(levers.order) == sorted(item.id for item in measured.items),
        all(photo in photos and scale in SCALES for photo, scale in levers.scales),
        all(photo in photos and place in PLACES for photo, place in levers.places),
        all(photo in photos and share in SHARES for photo, share in levers.spans),
        all(story in stories and cut in cuts(stories[story]) for story, cut in levers.jumps),
        all(story in stories for story in levers.quotes),
        all(story in stories and after >= 1 for story, after in levers.quote_places),
    )
    if not all(allowed):
        raise ValueError("levers the planner does not set")
    return levers


def _pair(pair: list, kinds: tuple[type, type]) -> tuple:
    if type(pair) is not list or len(pair) != 2:
        raise TypeError("a lever")
    return _typed(pair[0], kinds[0]), _typed(pair[1], kinds[1])


def _typed(value, kind: type):
    if kind is float and type(value) is int:
        return float(value)
    if type(value) is not kind:
        raise TypeError(kind.__name__)
    return value
