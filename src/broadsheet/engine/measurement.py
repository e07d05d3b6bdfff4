"""An issue's measures, kept by content: a rebuild lays out only what changed.

The planner reads every story and box from a layout (gauge.py). Where a
story falls on a page changes little of what it measures, but not nothing:
a margin at a column's foot, a box split over two pages. So every item is
measured in a place of its own, the top of a page (a forced break, which
keeps its margin), and the lead in its place under the masthead and the
contents, which is what the frames read (where the stories start, a
cover's white). What an item measures then depends on its own HTML, the
stylesheets and fonts, and what a selector sees around it: its ancestors,
the element before it, and whether it is the first or the last of its
parent (the bundled themes' `article.story + article.story`,
`:last-child`). A digest of those is its key. The lead's and the frames'
keys hold the HTML outside the items too.

A build lays out the items whose keys it does not know, in one layout
(Rendered.measured): each at the top of a page, the others hollow (their
element kept, its contents left out, so the selectors around the measured
ones match as in the issue), every page number a link prints the same.
That is the whole issue on a first build, one story after an edit, and
nothing when the issue is unchanged. Whichever it lays out, an item
measures the same, so the plan, and the PDF, do not depend on what was
kept. Kept in the session (`broadsheet watch`) and as small JSON files
under build/.cache/measures (one `make` to the next).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import tempfile
import types
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, get_args, get_origin, get_type_hints
from xml.etree.ElementTree import tostring

import weasyprint
from weasyprint import HTML

from broadsheet.engine.gauge import gauges
from broadsheet.engine.spacing import spacing
from broadsheet.engine.typeset import parsed, styles_for, typeset
from broadsheet.html.rendered import Fitting, Rendered
from broadsheet.logs import stage
from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit

if TYPE_CHECKING:
    from collections.abc import Callable

    from broadsheet.engine.session import Session
    from broadsheet.profiles import Profile

    Progress = Callable[[str], None]

MEASURE_CACHE = Path("build/.cache/measures")  # under the project root
KEPT_IN_SESSION = 4096  # measures a long-lived process remembers (the rest stay on disk)


def measures(
    as_written: Rendered,
    rendered: Callable[[Fitting], Rendered],
    root: Path,
    profile: Profile,
    session: Session,
    progress: Progress,
) -> tuple[Gauges, Gauges]:
    """The measures of an issue (`as_written`: rendered with no lever), in
    the normal spacing and in the tighter one: those kept, and the others
    laid out. `rendered` renders the issue with a Fitting."""
    store = Store(session.measures, root)
    made_with = styles_for(as_written, root, profile, session).digest
    found = stage("measure", progress, keys, as_written, made_with)
    known = store.known(found)
    missing = known.missing(found)
    lead = found.lead
    in_place = known.frames is None or lead in missing
    read = set(missing) | ({lead} if in_place and lead else set())
    if read or in_place:
        progress(f"measure: {len(missing)} of {len(found.items)} items laid out, the rest kept")
        alone = frozenset(missing) - {lead}
        if in_place and not alone:  # page 2, whose text block is every later page's
            alone = frozenset(list(found.items)[1:2])
        laid_out = _laid_out(read, alone, found, rendered, root, profile, session, progress)
        store.keep(found, *laid_out, frames=in_place)
    return store.known(found).gauges(found)


def _laid_out(
    read: set[str], alone: frozenset[str], found: Keys, rendered, root, profile, session, progress
) -> tuple[Gauges, Gauges]:
    """The measures of the items `read`, laid out with every other item
    hollow and the items `alone` each at the top of a page of its own (the
    lead in its place), and the frames."""
    normal = replace(rendered(Fitting(new_page=alone)), measured=frozenset(read))
    tight = replace(rendered(Fitting(tight=True, new_page=alone)), measured=frozenset(read))
    result = stage("typeset", progress, typeset, normal, root, profile, session)
    document = result.document
    items = {item_id: normal.items[item_id] for item_id in found.items if item_id in read}
    html = document.pages[0]._page_box.children[0].element
    both = stage("spacing", progress, spacing, normal, tight, html, root, profile, session)
    jump = dict(zip(("jump_line", "jump_margin", "jump_below"), both.jump_line, strict=True))
    continued = both.continued_from
    normal = gauges(document, items, continued_from=continued)
    return replace(normal, **jump), replace(gauges(document, items, both, continued), **jump)


@dataclass(frozen=True)
class Keys:
    """The keys of one issue's measures: each item's, and the frames'."""

    items: dict[str, str]  # item id -> key, in the HTML's order
    frames: str

    @property
    def lead(self) -> str | None:
        return next(iter(self.items), None)

    @property
    def digest(self) -> str:
        """Of every key: the measures of the whole issue (Gauges.made_from)."""
        return _digest(self.frames, *(f"{item_id} {key}" for item_id, key in self.items.items()))


def frames_of(measured: Gauges) -> Gauges:
    """What the measures of an issue hold besides its items: its pages' text
    blocks, page 1's contents list, and where the lead starts (the cover
    asks, search.covered); as Gauges without items or a page count."""
    lead = measured.items[0].id if measured.items else None
    starts = {lead: measured.item_pages[lead]} if lead in measured.item_pages else {}
    tops = {lead: measured.item_tops[lead]} if lead in measured.item_tops else {}
    return replace(measured, items=(), pages=0, item_pages=starts, item_tops=tops)


@dataclass
class Known:
    """What a store holds of one issue's keys."""

    frames: Gauges | None  # frames_of
    items: dict[str, tuple[ItemGauge, ItemGauge]] = field(default_factory=dict)  # normal, tight

    def missing(self, keys: Keys) -> list[str]:
        return [item_id for item_id in keys.items if item_id not in self.items]

    def gauges(self, keys: Keys) -> tuple[Gauges, Gauges]:
        """The issue's measures in the normal spacing and in the tighter one."""
        assert self.frames is not None
        normal = tuple(self.items[item_id][0] for item_id in keys.items)
        tight = tuple(self.items[item_id][1] for item_id in keys.items)
        frames = replace(self.frames, made_from=keys.digest)
        return replace(frames, items=normal), replace(frames, items=tight)


def keys(rendered: Rendered, made_with: str) -> Keys:
    """The keys of the measures of `rendered` (the issue as written, no lever
    applied), laid out with stylesheets whose digest is `made_with`."""
    root = HTML(string=rendered.html, base_url=rendered.base_url).etree_element
    common = f"{weasyprint.__version__} {_measuring_code()} {made_with}"
    outside = hashlib.sha256(common.encode())
    found: dict[str, str] = {}

    def walk(element, around: str) -> None:
        start = _start_tag(element)
        if element.get("data-item") in rendered.items:
            outside.update(start.encode())  # its element stays in place, hollow
            return
        outside.update((start + (element.text or "")).encode())
        children = list(element)
        for n, child in enumerate(children):
            if child.get("data-item") in rendered.items:
                before = _start_tag(children[n - 1]) if n else ""
                place = f"{around}{start}|{before}|{n == 0}|{n == len(children) - 1}"
                found[child.get("data-item")] = _digest(common, place, _markup(child))
            walk(child, around + start)
        outside.update((element.tail or "").encode())

    walk(root, "")
    items = {item_id: found[item_id] for item_id in rendered.items if item_id in found}
    lead = next(iter(items), None)
    frames = _digest(outside.hexdigest(), items.get(lead, ""))
    if lead is not None:  # measured in its place, under the masthead: as the frames
        items[lead] = _digest(frames, "lead")
    return Keys(items, frames)


@cache
def _measuring_code() -> str:
    """A digest of the code that makes and keeps a measure: changed, and
    every measure is made again (a version number would be forgotten)."""
    made_by = (gauges, spacing, parsed, Gauges, measures)  # gauge, spacing, typeset, gauges, this
    files = dict.fromkeys(Path(inspect.getsourcefile(thing)) for thing in made_by)
    return _digest(*(path.read_text(encoding="utf-8") for path in files))


def _markup(element) -> str:
    return tostring(element, encoding="unicode")


def _start_tag(element) -> str:
    attributes = " ".join(f"{name}={value!r}" for name, value in sorted(element.attrib.items()))
    return f"<{element.tag} {attributes}>"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class Store:
    """Measures by key: the session's, backed by JSON files under the project
    `root` (in `folder`: the plans keep theirs the same way, plans.py). A
    file that cannot be read or written, or holds something else, is a
    measure not kept, never an error; one that leads out of the project (a
    link) is not read."""

    def __init__(self, memory: OrderedDict[str, object], root: Path, folder: Path = MEASURE_CACHE):
        self.memory, self.root = memory, root.resolve()
        self.folder = self.root / folder

    def known(self, keys: Keys) -> Known:
        found = Known(self.get(keys.frames, _frames))
        for item_id, key in keys.items.items():
            kept = self.get(key, _both)
            if kept is not None:
                found.items[item_id] = kept
        return found

    def keep(self, keys: Keys, normal: Gauges, tight: Gauges, frames: bool = True) -> None:
        """Keep the measures of the items in `normal` and `tight` (the same
        items), and, when `frames`, the frames of `normal`."""
        if frames:
            frames = frames_of(normal)
            self.put(keys.frames, frames, asdict(frames))
        for plain, tightened in zip(normal.items, tight.items, strict=True):
            value = {"normal": asdict(plain), "tight": asdict(tightened)}
            self.put(keys.items[plain.id], (plain, tightened), value)

    def get(self, key: str, read: Callable[[dict], object]):
        """What `read` makes of the file kept under `key` (None: none kept, or
        one `read` refuses with a TypeError, ValueError or LookupError)."""
        if key in self.memory:
            self.memory.move_to_end(key)
            return self.memory[key]
        path = self.folder / f"{key}.json"
        try:
            if not path.resolve().is_relative_to(self.root):
                return None
            found = read(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, LookupError, AttributeError):
            return None
        self._remember(key, found)
        return found

    def put(self, key: str, found, value: dict) -> None:
        """Keep `found` under `key`, and `value` (its JSON) in a file."""
        self._remember(key, found)
        path = self.folder / f"{key}.json"
        try:
            if path.exists() or not self.folder.resolve().is_relative_to(self.root):
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.folder, suffix=".part", delete=False
            ) as part:
                json.dump(value, part, separators=(",", ":"))
            os.replace(part.name, path)
        except OSError:
            pass

    def _remember(self, key: str, found) -> None:
        self.memory[key] = found
        while len(self.memory) > KEPT_IN_SESSION:
            self.memory.popitem(last=False)


def _frames(kept: dict) -> Gauges:
    first, page = _typed(Frame, kept["first"]), _typed(Frame, kept["page"])
    return _typed(Gauges, {**kept, "items": (), "first": first, "page": page})


def _both(kept: dict) -> tuple[ItemGauge, ItemGauge]:
    return _item(kept["normal"]), _item(kept["tight"])


def _item(kept: dict) -> ItemGauge:
    units = tuple(_typed(Unit, unit) for unit in kept["units"])
    jump = _typed(Unit, kept["jump"]) if kept.get("jump") is not None else None
    return _typed(ItemGauge, {**kept, "units": units, "jump": jump})


def _typed(kind, kept: dict):
    """A `kind` made from what a file held, every field of its declared
    type: a file changed by hand is refused (TypeError), not planned from."""
    values = {}
    for name, hint in _fields(kind).items():
        value = _checked(kept[name], hint, f"{kind.__name__}.{name}")
        if get_origin(hint) is dict:
            key_type, value_type = get_args(hint)
            value = {
                _checked(k, key_type, name): _checked(v, value_type, name) for k, v in value.items()
            }
        values[name] = value
    return kind(**values)


@cache
def _fields(kind) -> dict[str, object]:
    """The declared type of each field of `kind`: worked out once, since a
    long issue's measures hold tens of thousands of lines to check."""
    return get_type_hints(kind)


def _checked(value, hint, name: str):
    if hint is float and type(value) is int:
        return float(value)
    union = isinstance(hint, types.UnionType)
    allowed = get_args(hint) if union else (get_origin(hint) or hint,)
    if not isinstance(value, allowed):
        raise TypeError(name)
    return value
