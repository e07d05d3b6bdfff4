"""Reading a laid-out issue into the planner's measures (planner/gauges.py).

Every story and box is found by the `data-item` the render stage marks its
root element with (Rendered.items), so a project's own partials are measured
as well as the bundled ones. Within an item, its head is everything down to
the part that holds its headline (for a box, its first child) and its body
is the rest: a multi-column element's columns, or plain blocks. A body
becomes a stream of units: each line of a paragraph, and whole each block
the engine keeps whole (`break-inside: avoid`, a table, a flex or grid
container, a picture); a table of one row, which the engine breaks across
pages, is the lines of its tallest cell. The same lines come out at any
position on the page, so a layout measures every part at the theme's
column widths (measurement.py lays each item out at a page top).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import NamedTuple

from weasyprint.formatting_structure import boxes

from broadsheet.engine.spacing import Spacing
from broadsheet.html.rendered import Item
from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit
from broadsheet.planner.jumps import closing_units
from broadsheet.planner.pages import LINES_UNDER_HEAD

WHOLE = ("avoid", "avoid-page", "avoid-column")
EPSILON = 0.5
FORCED = ("page", "left", "right", "recto", "verso")  # a break-before that starts a page
DECIMALS = 9  # of a pixel, that a length measured keeps (_settled)
ACROSS = -1.0  # the column of a block set across all the columns (column-span: all)


@dataclass
class _Found:
    """A unit as laid out: where it is, and what kept it where it is."""

    top: float
    bottom: float
    column: tuple[int, float]  # (page, column's x): units in one column stack
    element: object
    line: bool
    margin_top: float = 0.0
    # The elements that may not be parted from what comes before them (or
    # after them), that this unit may begin (or end): only an element's
    # first unit keeps it from what precedes it, and only its last unit
    # from what follows, however many columns it is split over.
    before: list = field(default_factory=list)
    after: list = field(default_factory=list)
    orphans: int = 1
    widows: int = 1
    photo: float = 0.0
    block: int = 0
    whole: bool = False  # a block kept whole, not a line
    picture: object = None  # its <img> element, for a photo
    # For the last line of a block: the block's bottom margin; for a block
    # kept whole: its own, which its height includes.
    margin_bottom: float = 0.0
    pixels: int = 0  # the width of its picture in pixels, for a photo
    # For a photo: its picture's width over its height, and the width of the
    # box it is drawn in (a planned height crops the picture to cover it).
    ratio: float = 0.0
    box_width: float = 0.0
    caption: tuple[float, float, int, float] = (0.0, 0.0, 0, 0.0)  # its caption (_caption_lines)
    lines: tuple[float, float] = (0.0, 0.0)  # for a block kept whole: _stacked_lines
    opening: float = 0.0  # for a block kept whole: _opening
    # For a block kept whole that starts a container: what the container's
    # top margin adds to its own, which the engine keeps above it at the
    # top of a column and after a forced page break.
    outer: float = 0.0
    foot_room: float = 0.0  # for a block kept whole: _doubled_foot
    # For the first line of a paragraph opening with a floated drop cap: the
    # cap's height (_units).
    dropcap: float = 0.0


@dataclass
class _Parts:
    head_top: float | None = None
    body_top: float | None = None
    space: float | None = None
    space_at_top: float | None = None
    head: float = 0.0
    tail: float = 0.0
    foot: float = 0.0
    columns: int = 1
    width: float = 0.0  # of a multi-column body
    whole: bool = False
    found: list[_Found] = field(default_factory=list)
    first_page: int = 0
    top: float = 0.0  # the item's margin edge on its first page
    margin_top: float = 0.0  # the item's own, dropped at the top of a page
    margin_bottom: float = 0.0  # the item's own, in its tail
    blocks: dict[int, int] = field(default_factory=dict)  # id(element) -> top-level block
    figures: set[int] = field(default_factory=set)  # the top-level blocks that are a <figure>
    # The top-level blocks that are a <p>: True for the story's first (`p.first`)
    paragraphs: dict[int, bool] = field(default_factory=dict)
    root: object = None  # the item's element
    heads: list = field(default_factory=list)  # the boxes of its head
    after_title: _AfterTitle | None = None


def gauges(
    document,
    items: Mapping[str, Item],
    spacing: Spacing | None = None,
    continued_from: tuple[float, float, float] = (0.0, 0.0, 0.0),
) -> Gauges:
    """Measure every item of a laid-out `document`; with `spacing`, as it
    would measure with the theme's tighter spacing instead; a rest's
    "Continued from" line as `continued_from` says (`_rest_head`)."""
    parts: dict[str, _Parts] = defaultdict(_Parts)
    first = page = None
    front = 0  # pages before the first story's: the masthead and a contents list that runs on
    cover_white, cover_gaps, cover_margin, cover_slack = 0.0, 0, 0.0, 0.0
    count = len(document.pages)
    for number, page_box in enumerate((p._page_box for p in document.pages), start=1):
        top = page_box.content_box_y()
        frame = Frame(top, top + page_box.height)
        roots = list(_item_roots(page_box, items))
        if number == 1 and count > 1:
            cover_gaps, cover_margin, cover_slack = _gaps(page_box, items)
            cover_white = 0.0 if roots else frame.bottom - _lowest(page_box, top)
        if first is None and (roots or number == count):
            # The stories start below the masthead (and the contents).
            start = roots[0][1].position_y if roots else _lowest(page_box, top)
            first = Frame(start, frame.bottom, top)
            front = number - 1
        elif number > 1 and page is None:
            page = frame
        for item_id, root in roots:
            _read(parts[item_id], root, items[item_id], number, top)
    page = page or Frame(first.block_top, first.bottom)
    kept = _margins_kept(document)
    measured = tuple(
        _gauge(item_id, items[item_id], parts[item_id], spacing, kept, continued_from)
        for item_id in items
        if item_id in parts
    )
    starts = {item_id: parts[item_id].first_page for item_id in parts}
    tops = {item_id: parts[item_id].top for item_id in parts}
    cover = {"cover_gaps": cover_gaps, "cover_margin": cover_margin, "cover_slack": cover_slack}
    return Gauges(measured, first, page, count, starts, front, cover_white, item_tops=tops, **cover)


def _margins_kept(document) -> bool:
    """Whether an item at the top of a page keeps its margin above. The
    engine (WeasyPrint 70, layout/block.py) drops the margins at an unforced
    page break, and takes every break before a named page (`@page rtl`,
    `@page a5`) for a forced one: there they are kept. A document of one
    page (a measurement of a few items, measurement.py) asks its first."""
    later = document.pages[1:] or document.pages  # a theme names every page (base/10-page.css)
    return any(page._page_box.page_type.name for page in later)


def _lowest(box, lowest: float) -> float:
    """The bottom of the lowest line or picture in `box`: where a page that
    holds no story yet (a long contents list) ends."""
    if isinstance(box, boxes.MarginBox):
        return lowest
    if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
        return max(lowest, box.position_y + box.margin_height())
    for child in getattr(box, "children", ()):
        lowest = _lowest(child, lowest)
    return lowest


def _gaps(page_box, items) -> tuple[int, float, float]:
    """The gaps between the entries of the contents list (the list items on
    the page outside its stories and boxes) in its longest column; the
    space the theme sets in each, the margin above an entry that follows
    another (the engine drops it at a column's top); and, for a list in
    columns, the tallest entry: balanced anew with more space between its
    entries, a column may take one entry more."""
    columns: dict[int, list] = defaultdict(list)
    for box in _outside(page_box, items):
        if getattr(box, "element_tag", None) == "li" and isinstance(box, boxes.BlockBox):
            columns[round(box.position_x)].append(box)
    longest = max(columns.values(), key=len, default=[])
    if len(longest) < 2:
        return 0, 0.0, 0.0
    entries = [box for column in columns.values() for box in column]
    tallest = max(box.margin_height() for box in entries) if len(columns) > 1 else 0.0
    return len(longest) - 1, longest[1].margin_top or 0.0, tallest


def _outside(box, items):
    """The boxes under `box`, but not those of a story or box."""
    for child in getattr(box, "children", ()):
        element = getattr(child, "element", None)
        if isinstance(child, boxes.MarginBox):
            continue
        if element is not None and child.element_tag and element.get("data-item") in items:
            continue
        yield child
        yield from _outside(child, items)


def _item_roots(box, items):
    element = getattr(box, "element", None)
    item_id = element.get("data-item") if element is not None and box.element_tag else None
    if item_id in items and not isinstance(box, boxes.MarginBox):
        yield item_id, box
        return
    for child in getattr(box, "children", ()):
        if not isinstance(child, boxes.MarginBox):
            yield from _item_roots(child, items)


def _read(parts: _Parts, root, item: Item, page: int, page_top: float) -> None:
    children = [c for c in root.children if isinstance(c, boxes.BlockLevelBox)]
    fresh = parts.head_top is None
    if fresh:
        parts.first_page = page
        parts.top = root.position_y
        parts.whole = root.style["break_inside"] in WHOLE
        parts.margin_top = _used_margin(root)
        parts.root = root.element
        head_end = _head_end(children, root, item)
        head = children[: head_end + 1]
        body = children[head_end + 1 :]
        parts.heads = head
        parts.after_title = _after_title(head)
        if head:
            parts.head_top = head[0].position_y
            space = head[0].position_y - root.position_y
            # At a page's top by a break of its own (a forced break, which
            # keeps its margin) it measures the space it has after another item.
            forced = root.style["break_before"] in FORCED
            if abs(root.position_y - page_top) < EPSILON and page > 1 and not forced:
                parts.space_at_top = space
            else:
                parts.space = space
        else:
            parts.head_top = root.position_y
    else:
        body = children
    for child in body:
        if _multicol(child):
            parts.columns = child.style["column_count"]
            parts.width = child.width
            for column in child.children:
                if not getattr(column, "is_column", False):  # a block across the columns
                    _top_level(parts, column, (page, ACROSS))
                    continue
                for block in column.children:
                    _top_level(parts, block, (page, column.position_x))
        else:
            for block in _blocks_of(child):
                _top_level(parts, block, (page, 0.0))
    if fresh and parts.found:
        parts.body_top = parts.found[0].top
        parts.head = parts.body_top - parts.head_top
    elif fresh:
        parts.body_top = root.position_y + root.margin_height()
        parts.head = parts.body_top - parts.head_top
    # The body ends at the foot of its boxes, not of its last line: the
    # engine sets balanced columns as tall as the height it balanced them at.
    bottoms = [child.border_box_y() + child.border_height() for child in body]
    if not any(_multicol(child) for child in body):  # a block's margin below is in its unit
        bottoms += [f.bottom for f in parts.found if f.column[0] == page and f.whole]
    content_bottom = max(bottoms) if bottoms else root.position_y
    parts.tail = max(0.0, root.position_y + root.margin_height() - content_bottom)
    parts.margin_bottom = root.margin_bottom or 0.0  # the last part's, as the tail
    parts.foot = min(parts.tail, (root.padding_bottom or 0.0) + (root.border_bottom_width or 0.0))


class _AfterTitle(NamedTuple):
    """What of a story's head the head of its rest, after a jump line, sets
    anew (`_after_title`)."""

    after: float  # from the headline's foot to the foot of the head's last block
    meta: float  # the first line of the date and byline (else the deck), with the space above it
    last_below: float  # the last block's bottom margin
    # The head's own bottom margin, which the last block's collapses with
    # (None: a rule or padding under the head keeps them apart).
    trail: float | None


def _after_title(heads) -> _AfterTitle | None:
    """The head under a story's headline: the deck and the date and byline,
    which the rest's head does without (None: nothing under its headline,
    or no headline). The date line's first line is the measure of a
    "Continued from" line where the theme's style of one is not known."""
    if len(heads) != 1:
        return None
    blocks = [c for c in heads[0].children if isinstance(c, boxes.BlockLevelBox)]
    titles = [i for i, block in enumerate(blocks) if block.element_tag == "h2"]
    if not titles or titles[0] == len(blocks) - 1:
        return None
    title = blocks[titles[0]].border_box_y() + blocks[titles[0]].border_height()
    end = blocks[-1].border_box_y() + blocks[-1].border_height()
    at = titles[0] + 1
    metas = [i for i in range(at, len(blocks)) if "meta" in _classes(blocks[i])]
    at = metas[0] if metas else at
    line = next((c for c in _descendants(blocks[at]) if isinstance(c, boxes.LineBox)), None)
    meta = end - title
    if line is not None:
        above = blocks[at - 1].border_box_y() + blocks[at - 1].border_height()
        meta = line.position_y + line.margin_height() - above
    head = heads[0]
    closed = (head.padding_bottom or 0.0) + (head.border_bottom_width or 0.0)
    trail = None if closed else head.margin_bottom or 0.0
    return _AfterTitle(end - title, meta, blocks[-1].margin_bottom or 0.0, trail)


def _read_more_line(units: list[Unit]) -> float:
    """The height of the first line of the read-more line a story's body
    ends with (0: none): of a block kept whole, its first line, as
    `jumps._jump_line` reads it; else that line itself."""
    closing = closing_units(units)
    if not closing:
        return 0.0
    first = closing[0]
    return first.first_line or (first.height if first.orphans else 0.0)


def _rest_head(
    head: float, parts: _Parts, continued_from: tuple[float, float, float], read_more: float
) -> float:
    """The head of a story's rest: its own head with what stands under the
    headline replaced by a "Continued from" line, as the theme styles one
    (`continued_from`: its line's height, the space above it under the
    headline, and its bottom margin; spacing.py), else as the date line
    is set. Its line is as tall as the first of the story's read-more line
    (`read_more`, 0: none), which the themes set in the jump lines' style:
    laid out, it holds what the style does not tell, a script whose glyphs
    stand taller than its line height. Its bottom margin takes the place
    of the last block's where they collapse with the head's own."""
    found = parts.after_title
    if found is None:
        return head
    line, above, below = continued_from
    if not line:
        return head - found.after + min(found.meta, found.after)
    line = read_more or line
    if found.trail is None:
        margins = below - found.last_below
    else:
        margins = max(below, found.trail) - max(found.last_below, found.trail)
    return head - found.after + above + line + margins


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _blocks_of(box) -> list:
    """The top-level blocks of a body outside columns: a plain wrapper's
    children (the story body's paragraphs, photo and pull quote), as the
    columns of a multi-column body hold them, so that a photo is placed and
    a jump line cut between the same blocks in either."""
    children = getattr(box, "children", None) or []
    wrapper = (
        type(box) is boxes.BlockBox
        and box.style["break_inside"] not in WHOLE
        and box.element_tag not in ("figure", "blockquote")
        and children
        and all(isinstance(child, boxes.BlockLevelBox) for child in children)
    )
    return list(children) if wrapper else [box]


def _top_level(parts: _Parts, box, column) -> None:
    start = len(parts.found)
    _units(box, column, parts.found)
    number = parts.blocks.setdefault(id(box.element), len(parts.blocks))
    if box.element_tag == "figure":
        parts.figures.add(number)
    elif box.element_tag == "p":
        parts.paragraphs[number] = "first" in _classes(box)
    for found in parts.found[start:]:
        found.block = number


def _used_margin(box) -> float:
    """The item's top margin as its style gives it: at the top of a page the
    engine sets the laid-out margin to 0."""
    margin = box.style["margin_top"]
    if getattr(margin, "unit", None) == "px":
        return float(margin.value)
    return box.margin_top or 0.0


def _head_end(children, root, item: Item) -> int:
    """The index of the last child of the head: the one holding the headline."""
    if root.element is not None and root.element.get("id") == item.anchor:
        return 0
    for index, child in enumerate(children):
        if _holds(child, item.anchor):
            return index
    return -1


def _holds(box, anchor: str) -> bool:
    element = getattr(box, "element", None)
    if element is not None and box.element_tag and element.get("id") == anchor:
        return True
    return any(_holds(child, anchor) for child in getattr(box, "children", ()))


def _multicol(box) -> bool:
    count = box.style["column_count"]
    return isinstance(count, int) and count > 1 and bool(box.children)


def _units(box, column, found: list[_Found]) -> None:
    """The units of one block, in order."""
    if not isinstance(box, boxes.BlockLevelBox):
        return
    if box.is_floated() or box.is_absolutely_positioned():
        return
    style = box.style
    whole = (
        style["break_inside"] in WHOLE
        or isinstance(box, (boxes.TableBox, boxes.FlexBox, boxes.GridBox, boxes.ReplacedBox))
        or (isinstance(box, boxes.BlockBox) and box.element_tag in ("figure", "img", "tr"))
    )
    # The engine avoids a column break where a page break is to be avoided too.
    before = style["break_before"] in WHOLE
    after = style["break_after"] in WHOLE
    row = _one_row(box) if whole and style["break_inside"] not in WHOLE else None
    if row is not None:
        _row_units(box, row, column, found)
        return
    if not whole and _left_behind(box):
        return
    if whole or not box.children:
        lines = _stacked_lines(box)
        found.append(
            _Found(
                box.position_y,
                box.position_y + box.margin_height(),
                column,
                box.element,
                False,
                box.margin_top or 0.0,
                [box.element] if before else [],
                [box.element] if after else [],
                whole=True,
                margin_bottom=box.margin_bottom or 0.0,
                caption=_caption_lines(box),
                lines=lines,
                opening=_opening(box) if lines[0] else 0.0,
                foot_room=_doubled_foot(box),
                **_picture_read(box),
            )
        )
        return
    lines = [c for c in box.children if isinstance(c, boxes.LineBox)]
    if lines:
        # A paragraph's margins as its style gives them: where it starts or
        # ends a column the engine drops them, but another plan may set it
        # in the middle of one.
        top, bottom = _style_px(style["margin_top"]), _style_px(style["margin_bottom"])
        for index, line in enumerate(lines):
            found.append(
                _Found(
                    line.position_y,
                    line.position_y + line.margin_height(),
                    column,
                    box.element,
                    True,
                    top if index == 0 else 0.0,
                    [box.element] if before and index == 0 else [],
                    [box.element] if after and index == len(lines) - 1 else [],
                    style["orphans"],
                    style["widows"],
                    margin_bottom=bottom if index == len(lines) - 1 else 0.0,
                )
            )
        return
    start = len(found)
    for child in box.children:
        _units(child, column, found)
    caps = [child for child in box.children if child.is_floated()]
    if caps and len(found) > start and found[start].line:
        # The engine's balancing may set the cap alone at a column's top and
        # the paragraph's lines in the next (planner/columns.balanced).
        found[start].dropcap = max(cap.border_height() for cap in caps)
    if len(found) > start and before:
        found[start].before.append(box.element)
    if len(found) > start and after:
        found[-1].after.append(box.element)
    if len(found) > start:
        _hold_edges(box, found[start], found[-1])


def _one_row(box):
    """The cells of a table of one row, which the engine may break across
    pages (base/40-boxes.css: a box's text beside its contact column); None
    for any other block."""
    if not isinstance(box, boxes.TableBox):
        return None
    groups = [g for g in box.children if isinstance(g, boxes.TableRowGroupBox)]
    rows = [r for g in groups for r in g.children if isinstance(r, boxes.TableRowBox)]
    if len(rows) != 1 or rows[0].style["break_inside"] in WHOLE:
        return None
    cells = [c for c in rows[0].children if isinstance(c, boxes.TableCellBox) and c.children]
    return cells or None


def _row_units(table, cells, column, found: list[_Found]) -> None:
    """A table of one row as the units of its tallest cell: where the engine
    breaks the row, each cell breaks at its own last line that fits, and
    the tallest decides. Its first unit starts at the table's top and its
    last ends at the table's foot (the other cells and the padding)."""
    tallest = max(cells, key=lambda cell: _lowest(cell, cell.position_y))
    start = len(found)
    for child in tallest.children:
        _units(child, column, found)
    if len(found) == start:
        return
    first, last = found[start], found[-1]
    first.top = min(first.top, table.position_y)
    last.bottom = max(last.bottom, table.position_y + table.margin_height())


def _left_behind(box) -> bool:
    """Whether the box is what the engine leaves of a paragraph whose lines
    all moved on to the next page (to keep its orphans): a box of text with
    no line in it, stretched to the page's foot. It holds nothing; counted
    as a block, it would be read as lines under a head the engine in fact
    left alone at the foot."""
    if box.children or isinstance(box, boxes.ReplacedBox) or box.element is None:
        return False
    return any(text.strip() for text in box.element.itertext())


def _hold_edges(box, first: _Found, last: _Found) -> None:
    """A container's edges, in its first and last units. Its padding and
    rule stand above the first and under the last wherever those fall (the
    engine draws them where the container starts and ends), so they are
    part of those units, and its margins are outside them. With none, its
    margins collapse with theirs: a line's are its paragraph's, and a block
    kept whole, which holds its own in its height, gets what the
    container's adds to it (`_Found.outer`)."""
    style = box.style
    top = (box.padding_top or 0.0) + (box.border_top_width or 0.0)
    bottom = (box.padding_bottom or 0.0) + (box.border_bottom_width or 0.0)
    if top:  # a line's margin is outside it; a block kept whole holds its own
        first.top = box.position_y + ((box.margin_top or 0.0) if first.line else 0.0)
        first.margin_top = _style_px(style["margin_top"])
    elif first.line:
        first.margin_top = max(first.margin_top, _style_px(style["margin_top"]))
    else:
        first.outer = max(first.outer, _style_px(style["margin_top"]) - first.margin_top)
    if bottom:
        last.bottom = box.position_y + box.margin_height() - (box.margin_bottom or 0.0)
        last.margin_bottom = _style_px(style["margin_bottom"])
    elif last.line:
        last.margin_bottom = max(last.margin_bottom, _style_px(style["margin_bottom"]))


INLINE_SVG = "{http://www.w3.org/2000/svg}svg"  # the engine names an inline <svg> by its namespace


def _photo(box) -> bool:
    """A picture the planner may crop: an <img>. An inline <svg> (a link's
    QR code, an ornament) is drawn at the size its stylesheet fixes; scaled,
    a code would no longer scan."""
    return isinstance(box, boxes.ReplacedBox) and box.element_tag != INLINE_SVG


def _picture(box):
    """The picture in `box` the planner may crop (`_photo`), or None."""
    if _photo(box):
        return box
    for child in getattr(box, "children", ()):
        found = _picture(child)
        if found is not None:
            return found
    return None


def _picture_read(box) -> dict:
    """What a block kept whole says of its picture, as `_Found` fields
    (none, or a drawing: nothing): its box's height and width, its element,
    and its pixels' width and their width over their height."""
    picture = _picture(box)
    if picture is None:
        return {}
    replacement = getattr(picture, "replacement", None)
    return {
        "photo": picture.height,
        "box_width": picture.width,
        "picture": picture.element,
        "pixels": int(getattr(replacement, "width", 0) or 0),
        "ratio": float(getattr(replacement, "ratio", 0.0) or 0.0),
    }


def _caption_lines(box) -> tuple[float, float, int, float]:
    """The lines of the caption in `box`: their height and the width their
    text takes, added up, how many, and the height of the last (a photo set
    across the columns wraps them anew). The last holds the credit, whose
    smaller type on the caption's baseline makes its line a little taller."""
    caption = next(
        (c for c in _descendants(box) if getattr(c, "element_tag", None) == "figcaption"), None
    )
    lines = [c for c in _descendants(caption) if isinstance(c, boxes.LineBox)] if caption else []
    return (
        sum(line.margin_height() for line in lines),
        sum(line.width for line in lines),
        len(lines),
        lines[-1].margin_height() if lines else 0.0,
    )


def _doubled_foot(box) -> float:
    """The room a block kept whole needs under its border at a page's foot
    beyond its height: the bottom padding and rule of the box that holds
    its last lines, which the engine (WeasyPrint 70, layout/block.py) counts
    twice there. A box whose border does not fit above the foot less its
    own padding and rule is laid out again with that much less room, and
    a line is then checked with its box's padding and rule under it on top
    of it. So a photo whose caption has a rule under it needs the rule and
    its padding twice over; a pull quote, whose lines stand in a paragraph
    inside its rules, needs nothing more."""
    while box is not None:
        children = getattr(box, "children", ())
        if any(isinstance(child, boxes.LineBox) for child in children):
            return (box.padding_bottom or 0.0) + (box.border_bottom_width or 0.0)
        flowing = [
            child
            for child in children
            if isinstance(child, boxes.BlockLevelBox) and child.is_in_normal_flow()
        ]
        box = flowing[-1] if flowing else None
    return 0.0


def _stacked_lines(box) -> tuple[float, float]:
    """For a block kept whole whose lines stand one under the other (a
    read-more line: its label, then the address): the height of its first
    line and of the others. Nothing for a block whose lines stand beside
    something else (a QR code's)."""
    lines = [c for c in _descendants(box) if isinstance(c, boxes.LineBox)]
    if not lines:
        return 0.0, 0.0
    heights = [line.margin_height() for line in lines]
    span = lines[-1].position_y + heights[-1] - lines[0].position_y
    return (heights[0], sum(heights[1:])) if abs(span - sum(heights)) < 0.5 else (0.0, 0.0)


def _opening(box) -> float:
    """For a block kept whole whose lines stand one under the other (a pull
    quote; `_stacked_lines`): from its top margin down to the foot of its
    first line, what the engine's column balancing finds it needs to start
    in a column (it lays the next box out and takes its first line, not all
    of it). Nothing for a block that is not a plain block (a row of a QR
    code and a line)."""
    if not isinstance(box, boxes.BlockBox):
        return 0.0
    line = next(c for c in _descendants(box) if isinstance(c, boxes.LineBox))
    return line.position_y + line.margin_height() - box.position_y


def _descendants(box):
    for child in getattr(box, "children", ()):
        yield child
        yield from _descendants(child)


def _texts(parts: _Parts, item: Item) -> dict[int, int]:
    """Which block of the Markdown each top-level block of the body is (the
    others: the photo, the pull quote, the read-more or jump line), counted
    as render.py placed them and copy-fit reads them (measure._anatomy)."""
    texts, text, quote = {}, 0, item.quote_after
    for number in sorted(set(parts.blocks.values())):
        if number in parts.figures:
            continue
        if quote and text == quote:
            quote = 0
        elif text < item.blocks:
            texts[number] = text
            text += 1
    return texts


def _gap(previous: _Found | None, f: _Found, spacing: Spacing | None) -> float:
    """The space above a unit when it follows `previous` in a column. Two
    paragraphs' lines are set apart by their margins, collapsed: measured
    where they share a column, worked out from their styles where they do
    not (the engine drops the margins at a column's top), and with `spacing`
    as the tighter spacing changes them."""
    between = (
        previous is not None and previous.line and f.line and previous.element is not f.element
    )
    if not between:
        if previous is None:
            return f.margin_top
        if previous.column != f.column:
            return _worked_gap(previous, f, spacing)
        # Two blocks kept whole, each holding its margin, overlap by the smaller.
        floor = -math.inf if previous.whole and f.whole else 0.0
        measured = max(floor, f.top - previous.bottom)
        if spacing is None:
            return measured
        change = _worked_gap(previous, f, spacing) - _worked_gap(previous, f, None)
        return max(floor, measured + change)
    collapsed = max(previous.margin_bottom, f.margin_top)
    gap = max(0.0, f.top - previous.bottom) if previous.column == f.column else collapsed
    if spacing is not None:
        below, above = spacing.edges(previous.element)[3], spacing.edges(f.element)[0]
        gap += max(previous.margin_bottom + below, f.margin_top + above) - collapsed
    return max(0.0, gap)


def _worked_gap(previous: _Found, f: _Found, spacing: Spacing | None) -> float:
    """The space between two units beside a block kept whole, from their
    margins: they collapse into the larger, and a block kept whole holds its
    own margin in its height (a photo after a paragraph has above it only
    what the paragraph's margin adds to its own)."""
    below, above = previous.margin_bottom, f.margin_top
    if spacing is not None:
        below += spacing.edges(previous.element)[3]
        above += spacing.edges(f.element)[0]
    inside = (below if previous.whole else 0.0) + (above if f.whole else 0.0)
    return max(below, above) - inside  # below 0 only between two blocks kept whole


def _change(box, spacing: Spacing) -> float:
    """How much the tighter spacing changes a box's height: its own edges,
    a photo's cap, and its children's changes, added up where they are
    stacked, and the tallest's where they stand side by side (the lead's
    head beside the contents list)."""
    if _photo(box):
        return spacing.cap(box.element, box.height) - box.height
    change = sum(spacing.edges(box.element)) if box.element_tag else 0.0
    children = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.BlockLevelBox)]
    side_by_side = len(children) > 1 and len({round(c.position_y) for c in children}) == 1
    if side_by_side:
        bottoms = [_natural_bottom(c) for c in children]
        changed = [b + _change(c, spacing) for b, c in zip(bottoms, children, strict=True)]
        return change + max(changed) - max(bottoms)
    return change + sum(_change(c, spacing) for c in children) + _collapsed(children, spacing)


def _into_body(parts: _Parts, spacing: Spacing) -> float:
    """What the margin between the head and its body's first block gives
    back of the head's bottom margin, counted whole in the head's change,
    where the two margins meet (no column, padding or rule between): the
    engine keeps the larger, and the head ends where the block's own margin
    begins (or, over a line, at the line)."""
    if not parts.heads or not parts.found:
        return 0.0
    last, first = parts.heads[-1], parts.found[0]
    below, above = last.margin_bottom or 0.0, first.margin_top
    bottom = last.border_box_y() + last.border_height()
    border_top = first.top + (0.0 if first.line else above)
    if below < 0 or above <= 0 or abs(bottom + max(below, above) - border_top) > EPSILON:
        return 0.0
    less_below, less_above = spacing.edges(last.element)[3], spacing.edges(first.element)[0]
    inside, inside_tight = (0.0, 0.0) if first.line else (above, above + less_above)
    before = max(below, above) - inside
    after = max(below + less_below, above + less_above) - inside_tight
    return after - before - less_below


def _collapsed(stacked, spacing: Spacing) -> float:
    """What the margins between stacked blocks give back of the changes
    added up for them: the engine keeps the larger of a block's bottom
    margin and the next one's top margin, so a margin that shrinks under a
    larger one changes nothing (a headline's margin over the contents list)."""
    back = 0.0
    for upper, lower in pairwise(stacked):
        below, above = upper.margin_bottom or 0.0, lower.margin_top or 0.0
        if below < 0 or above < 0 or not (upper.is_in_normal_flow() and lower.is_in_normal_flow()):
            continue
        less_below = spacing.edges(upper.element)[3] if upper.element_tag else 0.0
        less_above = spacing.edges(lower.element)[0] if lower.element_tag else 0.0
        kept = max(below + less_below, above + less_above) - max(below, above)
        back += kept - (less_below + less_above)
    return back


def _natural_bottom(box) -> float:
    """Where a box's content ends, with its padding, rule and margin below:
    a grid or flex item stretched to its row ends lower than that."""
    inner = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.BlockLevelBox)]
    if not inner:
        return box.position_y + box.margin_height()
    under = (
        (box.padding_bottom or 0.0) + (box.border_bottom_width or 0.0) + (box.margin_bottom or 0.0)
    )
    return max(c.position_y + c.margin_height() for c in inner) + under


def _style_px(value) -> float:
    return float(value.value) if getattr(value, "unit", None) == "px" else 0.0


def _paragraph_margins(found: list[_Found]) -> None:
    """A paragraph's margins belong to its first and last lines, not to the
    first and last lines of each piece of it a column or page holds."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for index, f in enumerate(found):
        if f.line:
            first.setdefault(id(f.element), index)
            last[id(f.element)] = index
    for index, f in enumerate(found):
        if f.line:
            f.margin_top = f.margin_top if first[id(f.element)] == index else 0.0
            f.margin_bottom = f.margin_bottom if last[id(f.element)] == index else 0.0


def _gauge(
    item_id: str,
    item: Item,
    parts: _Parts,
    spacing: Spacing | None,
    kept: bool = False,
    continued_from: tuple[float, float, float] = (0.0, 0.0, 0.0),
) -> ItemGauge:
    found = parts.found
    _paragraph_margins(found)
    units = []
    counts: dict[int, int] = defaultdict(int)
    for f in found:
        if f.line:
            counts[id(f.element)] += 1
    first_of: dict[int, int] = {}  # id(element) -> the index of its first unit
    last_of: dict[int, int] = {}
    for index, f in enumerate(found):
        for element in f.before:
            first_of.setdefault(id(element), index)
        for element in f.after:
            last_of[id(element)] = index
    avoid_before = {i for i in first_of.values()}
    avoid_after = {i for i in last_of.values()}
    seen: dict[int, int] = defaultdict(int)
    texts = _texts(parts, item)
    for index, f in enumerate(found):
        previous = found[index - 1] if index else None
        gap = _gap(previous, f, spacing)
        breakable = index > 0 and index not in avoid_before and index - 1 not in avoid_after
        if f.line:
            position = seen[id(f.element)]
            seen[id(f.element)] += 1
            if position > 0:
                lines = counts[id(f.element)]
                breakable = position >= f.orphans and lines - position >= f.widows
        height, photo = f.bottom - f.top, f.photo
        if spacing is not None and f.whole:
            height += spacing.subtree(f.element)
            if photo and f.picture is not None:
                smaller = min(photo, spacing.cap(f.picture, photo))
                height, photo = height - (photo - smaller), smaller
        opening = f.opening
        if f.outer and (kept or parts.columns > 1):  # kept at a column's or page's top
            height, gap = height + f.outer, max(0.0, gap - f.outer)
            opening += f.outer if opening else 0.0
        orphans, above = (f.orphans, f.margin_top) if f.line else (0, f.margin_top)
        below = f.margin_bottom
        if spacing is not None:  # the margins as the tighter spacing sets them
            change = spacing.edges(f.element)
            above = max(0.0, above + change[0]) if above else 0.0
            below = max(0.0, below + change[3]) if below else 0.0
            opening = opening + change[0] + change[1] if opening else 0.0
        text = texts.get(f.block, -1)
        units.append(
            Unit(
                height,
                gap,
                breakable,
                photo,
                f.block,
                text,
                orphans,
                below,
                above,
                caption=f.caption[0],
                caption_width=f.caption[1],
                caption_lines=f.caption[2],
                caption_last=f.caption[3],
                first_line=f.lines[0],
                after_first=f.lines[1],
                opening=0.0 if photo else opening,
                foot_room=f.foot_room,
                dropcap=f.dropcap,
            )
        )
    # Measured in one place, the space is known in the other from the item's
    # margin, which the engine drops at the top of a page unless `kept`.
    dropped = 0.0 if kept else parts.margin_top
    if parts.space is not None:
        space = parts.space
        space_at_top = (
            parts.space_at_top if parts.space_at_top is not None else max(0.0, space - dropped)
        )
    else:
        space_at_top = parts.space_at_top or 0.0
        space = space_at_top + dropped
    head, tail, foot = parts.head, parts.tail, parts.foot
    margin_top = parts.margin_top or 0.0
    if spacing is not None and parts.root is not None:
        margin, inner, under, below = spacing.edges(parts.root)
        space, space_at_top = space + margin + inner, space_at_top + inner + margin * kept
        margin_top = max(0.0, margin_top + margin)
        head += sum(_change(box, spacing) for box in parts.heads)
        head += _collapsed(parts.heads, spacing) + _into_body(parts, spacing)
        tail += under + below
        foot = max(0.0, foot + under) if foot else 0.0
    margin_bottom = 0.0
    if parts.columns == 1 and not foot and parts.root is not None and units:
        margin_bottom = parts.margin_bottom
        if spacing is not None:
            margin_bottom = max(0.0, margin_bottom + spacing.edges(parts.root)[3])
    has_photo = any(u.photo for u in units) and item.role == "story"
    head_below = _bottom_margin(parts.heads[-1]) if parts.heads else 0.0
    if spacing is not None and parts.heads:
        head_below = max(0.0, head_below + spacing.edges(parts.heads[-1].element)[3])
    head_margin = units[0].under_head(head_below) if units else 0.0
    return _settled(
        ItemGauge(
            id=item_id,
            role=item.role,
            head=head,
            units=tuple(units),
            columns=parts.columns,
            width=parts.width,
            whole=parts.whole,
            space=space,
            space_at_top=space_at_top,
            margin_top=margin_top,
            tail=tail,
            foot=foot,
            photo_id=item_id if has_photo else None,
            pixels=max((f.pixels for f in found if f.photo), default=0),
            picture_ratio=next((f.ratio for f in found if f.photo), 0.0),
            photo_width=next((f.box_width for f in found if f.photo), 0.0),
            rest_head=_rest_head(head, parts, continued_from, _read_more_line(units)),
            head_below=head_below,
            head_margin=head_margin,
            drops_margins=not kept and parts.columns == 1 and item.role != "box",
            margin_bottom=margin_bottom,
            tail_margin=units[-1].under_end(margin_bottom) if margin_bottom else 0.0,
            first_keeps=parts.columns == 1 and _short_first(parts, item, texts, units),
        )
    )


def _short_first(parts: _Parts, item: Item, texts: dict[int, int], units: list[Unit]) -> bool:
    """Whether the body's first two blocks of Markdown are its first
    paragraph (`p.first`), in fewer lines than a head keeps under it, and
    another paragraph, wherever its photo stands: the plan marks such a
    first paragraph to keep the next one's first lines with it."""
    if item.role != "story":
        return False
    block = {text: number for number, text in texts.items()}
    first, second = block.get(0), block.get(1)
    if parts.paragraphs.get(first) is not True or parts.paragraphs.get(second) is not False:
        return False
    return sum(1 for unit in units if unit.text == 0 and unit.orphans) < LINES_UNDER_HEAD


def _bottom_margin(box) -> float:
    """A block's bottom margin, collapsed with those of its last children
    where no padding or border stands between them."""
    margin = box.margin_bottom or 0.0
    children = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.BlockLevelBox)]
    if children and not (box.padding_bottom or box.border_bottom_width):
        margin = max(margin, _bottom_margin(children[-1]))
    return margin


def _settled(gauge):
    """`gauge` (an ItemGauge or a Unit) with its lengths rounded to a
    billionth of a pixel. Differences of positions, they differ in their
    last bits with where the item was laid out; rounded, an item measures
    the same alone as among the others (measurement.py keeps them)."""
    changes = {}
    for name in gauge.__dataclass_fields__:
        value = getattr(gauge, name)
        if isinstance(value, float):
            changes[name] = round(value, DECIMALS)
        elif isinstance(value, Unit):
            changes[name] = _settled(value)
        elif name == "units":
            changes[name] = tuple(_settled(unit) for unit in value)
    return replace(gauge, **changes)
