"""The copy-fit report: how the issue fits its pages, read from WeasyPrint's layout.

Editors fix fit by changing text, so every finding names the YAML of the
story concerned. The checks walk the laid-out boxes of each page: a headline
left at the foot of a page with too few lines of its story under it, a photo
pushed to another page than its story's head, a column or page left mostly
empty, content overflowing its box or the page, and a line wider than its
column. `--strict` makes them errors.

Nothing here knows the templates' class names, so a project's own partials
keep their report. Which element is which story or box comes from the
`data-item` that render.py writes on each partial's root element, and the
rest from the model and HTML's own meaning (`_anatomy`): a story's headline
is the element with its id (where the contents and bookmarks lead), its text
is what follows the part of the story that holds the headline, a photo is a
<figure>, and of the blocks there, those past the blocks of Markdown
render.py counted (and the pull quote where render.py put it) are not text.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from weasyprint.formatting_structure import boxes

from broadsheet.content.model import Issue
from broadsheet.errors import Diagnostic, warning
from broadsheet.html.rendered import Item
from broadsheet.source import Span

PX_PER_MM = 96 / 25.4
# White at the foot of a page (not the last) worth telling the editor about,
# as a share of the page's text block: more than the space a story's head
# and its first lines need, which the break rules may leave on any page.
EMPTY_FOOT_SHARE = 0.2
MIN_LINES_UNDER_HEAD = 3
TAIL_SHARE = 0.15  # a last page filled less than this is a few lines on a page of their own
EPSILON = 1.0  # px: rounding in the layout


@dataclass(frozen=True)
class Fit:
    pages: int
    target: int | None
    last_page_full: float  # the share of the last page's text block that is used, 0 to 1
    findings: tuple[Diagnostic, ...]
    troubled: frozenset[str] = frozenset()  # ids of the stories and boxes named in a finding
    fixable: bool = False  # a finding about space that another layout might close
    # For a photo pushed onto the page after its head: how many Markdown
    # blocks to set before it so that its story's text fills the hole it left.
    photo_moves: dict[str, int] = field(default_factory=dict)
    planned: tuple[str, ...] = ()  # what the page planner changed, in words
    # One share per page, 0 to 1: how far down its text block the lowest
    # content reaches (the last entry is `last_page_full`). A page planner
    # judges fill from it. Only the lowest box counts, so a page whose left
    # column is full and right column short reads as full: the short column
    # is the column check's finding, not a matter of fill.
    page_fill: tuple[float, ...] = ()
    # Ids of the stories and boxes whose headline is left at a page foot with
    # no line of the story under it: the correction starts them on a new page.
    # (With a line or two under it, the hole a new page leaves is the worse.)
    stranded: frozenset[str] = frozenset()
    # The fewest pages the planner's levers could give the issue (0: not
    # planned): a short last page is no fault of an issue already at it.
    fewest_pages: int = 0

    def summary(self) -> str:
        target = f" (target {self.target})" if self.target else ""
        planned = f"; planned: {'; '.join(self.planned)}" if self.planned else ""
        return (
            f"{self.pages} page{'s' * (self.pages != 1)}{target}; "
            f"the last page is {round(self.last_page_full * 100)}% full{planned}"
        )


@dataclass
class _Page:
    number: int  # 1-based
    top: float
    bottom: float
    lowest: float = 0.0  # the bottom of the lowest content on the page
    first_item: str | None = None  # the story or box that the page starts with
    # That item's height on the page when it is kept whole (0: it may break)
    first_whole: float = 0.0
    heads: dict[str, float] = field(default_factory=dict)  # item id -> bottom of its headline
    body_lines: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    blocks: dict[str, list[_Block]] = field(default_factory=dict)  # item id -> its body's blocks
    inks: list[tuple[float, float, float, float, str | None]] = field(default_factory=list)


@dataclass(frozen=True)
class _Block:
    """One fragment of a top-level block of a story body, as laid out on a page."""

    element: object
    top: float
    height: float
    kind: str  # "text" (from the Markdown), "figure", or "extra" (pull quote, jump, read more)


def measure(document, issue: Issue, items: Mapping[str, Item], target: int | None = None) -> Fit:
    """Walk every laid-out page of `document` and report what an editor should
    fix; `items` are the stories and boxes as the render stage placed them
    (Rendered.items)."""
    spans = _spans(issue)
    walk = _Walk(spans, _Anatomies(items))
    pages = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        state = _Page(number, box.content_box_y(), box.content_box_y() + box.height)
        state.lowest = state.top
        for child in box.children:
            if type(child).__name__ != "MarginBox":
                _walk(child, state, None, False, walk)
        pages.append(state)
        walk.findings += _overlaps(state, spans)
    findings = walk.findings
    findings += _unseen(issue, walk.anatomies, spans)
    findings += _page_findings(pages, spans, issue)
    count = f"{len(pages)} page{'s' * (len(pages) != 1)}"
    if target and target != len(pages):
        message = warning(issue.span, f"{count}, the target is {target}")
        findings.insert(0, _Finding(None, message, space=len(pages) > target))
    multiple = issue.page_multiple
    if multiple and not target and len(pages) % multiple:
        padded = len(pages) + multiple - len(pages) % multiple
        message = warning(
            issue.span,
            f"{count}, not a multiple of {multiple} (page_multiple): the layout could not"
            f" fill {padded} pages; add content, or cut to save a page",
        )
        findings.insert(0, _Finding(None, message))
    # A finding about a story's continuation concerns the story.
    continued = {article.continued_id: article.id for article in issue.articles}
    return Fit(
        len(pages),
        target,
        _used(pages[-1]),
        tuple(f.diagnostic for f in findings),
        frozenset(continued.get(f.item, f.item) for f in findings if f.item),
        any(f.space for f in findings),
        _photo_moves(pages),
        page_fill=tuple(_used(page) for page in pages),
        stranded=frozenset(f.item for f in findings if f.item and f.stranded),
    )


@dataclass(frozen=True)
class _Finding:
    item: str | None  # the story or box it is about
    diagnostic: Diagnostic
    space: bool = True  # about space on the page (not an overflow or a too-wide line)
    stranded: bool = False  # a headline left at the foot of a page with none of its story


def _spans(issue: Issue) -> dict[str, tuple[Span, str]]:
    spans = {}
    for article in issue.articles:
        spans[article.id] = (article.span, f"{article.title!r}")
        spans[article.continued_id] = (article.span, f"{article.title!r} (continued)")
    for box in issue.boxes:
        spans[box.id] = (box.span, f"box {box.title!r}")
    return spans


@dataclass
class _Walk:
    """What the walk of every page shares."""

    spans: dict[str, tuple[Span, str]]
    anatomies: _Anatomies
    findings: list[_Finding] = field(default_factory=list)


def _walk(box, page: _Page, item: str | None, in_body: bool, walk: _Walk, parent=None) -> None:
    findings, spans = walk.findings, walk.spans
    element = getattr(box, "element", None)
    if element is not None and element.get("data-item"):
        item = element.get("data-item")
        walk.anatomies.read(item, element)
        if page.first_item is None:
            page.first_item = item
            if box.style["break_inside"] in ("avoid", "avoid-page"):
                page.first_whole = box.margin_height()
    anatomy = walk.anatomies.get(item)
    # Caption lines are not story text: a photo alone on a page is pushed away.
    in_body = (in_body or anatomy.opens_body(element)) and box.element_tag != "figure"
    opens_blocks = element is not None and element is anatomy.body
    if opens_blocks and item and not getattr(box, "is_column", False):
        _record_blocks(box, page.blocks.setdefault(item, []), anatomy)
    name = type(box).__name__
    bottom = box.position_y + box.margin_height()
    if name == "LineBox" or name.endswith("ReplacedBox"):
        _record_ink(box, name, page, item)
        page.lowest = max(page.lowest, bottom)
        if bottom > page.bottom + EPSILON and item:
            findings.append(
                _finding(spans, item, f"page {page.number}: runs off the page", space=False)
            )
    if name == "LineBox" and in_body and item:
        page.body_lines[item] += 1
    if element is anatomy.head and element is not None and box.element_tag == element.tag:
        page.heads[item] = bottom
    children = getattr(box, "children", None) or []
    if any(getattr(child, "is_column", False) for child in children):
        _check_columns(box, children, page, item, findings, spans)
    if name != "LineBox" and box.style["height"] != "auto" and children:
        lowest_child = max(c.position_y + c.margin_height() for c in children)
        if lowest_child > box.content_box_y() + box.height + EPSILON and item:
            findings.append(
                _finding(spans, item, f"page {page.number}: text overflows its box", space=False)
            )
    if name == "LineBox":
        _check_line(box, parent, page, item, findings, spans)
        return
    for child in children:
        _walk(child, page, item, in_body, walk, box)


@dataclass(frozen=True)
class _Anatomy:
    """The parts of one item's element that copy-fit tells apart."""

    head: object = None  # the headline's element
    body: object = None  # the element whose children are the story's blocks
    parts: frozenset[int] = frozenset()  # ids of the elements that hold the story's text
    kinds: Mapping[int, str] = field(default_factory=dict)  # id of a block's element -> kind

    def opens_body(self, element) -> bool:
        return element is not None and id(element) in self.parts


NOTHING = _Anatomy()
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Anatomies:
    """Each item's parts, read from its element once (`_anatomy`), and which
    items the laid-out pages hold."""

    def __init__(self, items: Mapping[str, Item]):
        self.items = items
        self.found: dict[str, _Anatomy] = {}
        self.seen: set[str] = set()
        self.headless: list[str] = []  # stories whose element holds no headline to find

    def read(self, item: str, element) -> None:
        self.seen.add(item)
        if item not in self.found:
            placed = self.items.get(item)
            self.found[item] = _anatomy(element, placed) if placed else NOTHING
            if placed and placed.role != "box" and self.found[item].head is None:
                self.headless.append(item)

    def get(self, item: str | None) -> _Anatomy:
        return self.found.get(item or "", NOTHING)


def _anatomy(root, item: Item) -> _Anatomy:
    """Where a story's headline and text are in its element `root`.

    The headline is the element with the item's anchor id (a heading of the
    story's own when the id is on `root` itself); the text is what follows
    the part that holds the headline, at the first level down from `root`
    where anything does: one element, whose children are the blocks, or
    several, each a block. Of those blocks, a <figure> is the photo; the
    others are the blocks of Markdown in order, except the pull quote (after
    `item.quote_after` of them) and whatever follows the last (the jump or
    read-more line). A box has no headline or text to tell apart: copy-fit
    names it, and checks its lines and columns.
    """
    if item.role == "box":
        return NOTHING
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    head = next((e for e in elements[1:] if e.get("id") == item.anchor), None)
    if head is None:
        head = next((e for e in elements[1:] if e.tag in HEADINGS), None)
    if head is None:
        return NOTHING
    parent, node, parts = root, root, []
    while not parts and node is not head:  # down to the first level with more after the head
        children = [c for c in node if isinstance(c.tag, str)]
        holder = next(i for i, c in enumerate(children) if any(e is head for e in c.iter()))
        parent, node, parts = node, children[holder], children[holder + 1 :]
    if not parts:
        return _Anatomy(head)
    body, blocks = (parts[0], list(parts[0])) if len(parts) == 1 else (parent, parts)
    kinds, text, quote = {}, 0, item.quote_after
    for block in (b for b in blocks if isinstance(b.tag, str)):
        if block.tag == "figure":
            kinds[id(block)] = "figure"
        elif quote and text == quote:
            kinds[id(block)], quote = "extra", 0
        elif text >= item.blocks:
            kinds[id(block)] = "extra"
        else:
            kinds[id(block)] = "text"
            text += 1
    return _Anatomy(head, body, frozenset(id(p) for p in parts), kinds)


def _unseen(issue: Issue, anatomies: _Anatomies, spans) -> list[_Finding]:
    """What the layout hid from copy-fit, said rather than left out of the
    report: a story or box the pages hold no marked element of (its issue
    template places it without the `item` filter, or its partial writes no
    element to mark), and a story whose element holds no headline (no
    element with its id, nor a heading)."""
    unseen = [item.id for item in (*issue.articles, *issue.boxes) if item.id not in anatomies.seen]
    said = {
        "unseen": "copy-fit cannot find it on the pages: no element carries its data-item"
        " (the issue template places each story and box with `{% filter item(...) %}`,"
        " which marks the first element its partial writes)",
        "headless": "copy-fit cannot find its headline (the element with its id, or a"
        " heading): a headline left at the foot of a page goes unreported",
    }
    return [
        _Finding(None, warning(spans[item][0], f"{spans[item][1]}: {said[why]}"), space=False)
        for why, items in (("unseen", unseen), ("headless", anatomies.headless))
        for item in items
    ]


OVERLAP = 1.5  # px in both directions: more than rounding


def _record_ink(box, name: str, page: _Page, item: str | None) -> None:
    """The rectangle a line's glyphs or a picture cover, for the overlap check."""
    if name == "LineBox":
        marks = list(_marks(box))
        if not marks:
            return
        left = min(mark.position_x for mark in marks)
        right = max(mark.position_x + mark.margin_width() for mark in marks)
        top, bottom = box.position_y, box.position_y + box.height
    else:
        left, top = box.border_box_x(), box.border_box_y()
        right, bottom = left + box.border_width(), top + box.border_height()
    if right - left > OVERLAP and bottom - top > OVERLAP:
        page.inks.append((left, top, right, bottom, item))


def _overlaps(page: _Page, spans) -> list[_Finding]:
    """Text or pictures printed over each other (a negative margin, a
    misplaced float or absolute box): one finding per item and page."""
    inks = sorted(page.inks, key=lambda ink: ink[1])
    found: dict[str | None, None] = {}
    for index, (left, _top, right, bottom, item) in enumerate(inks):
        for other in inks[index + 1 :]:
            if other[1] > bottom - OVERLAP:
                break
            if min(right, other[2]) - max(left, other[0]) > OVERLAP:
                found.setdefault(item if item else other[4])
    return [
        _finding(spans, item, f"page {page.number}: text or a photo is printed over other content")
        for item in found
    ]


def _record_blocks(body, blocks: list[_Block], anatomy: _Anatomy) -> None:
    for child in body.children:
        parts = child.children if getattr(child, "is_column", False) else [child]
        for part in parts:
            element = getattr(part, "element", None)
            if element is None:
                continue
            if part.element_tag == "figure":
                kind = "figure"
            elif id(element) in anatomy.kinds:
                kind = anatomy.kinds[id(element)]
            elif len(anatomy.parts) != 1:
                continue  # the story's element itself: only its text parts are blocks
            else:
                kind = "text"
            blocks.append(_Block(element, part.position_y, part.margin_height(), kind))


def _photo_moves(pages: list[_Page]) -> dict[str, int]:
    """Where to set the photos of stories that left a hole on the page before.

    A photo pushed onto the page after its head took the text after it
    along; a story whose head and photo together did not fit moved whole to
    the next page. Either way the foot of the page before is empty. Setting
    the photo after the blocks that can fill that hole (up to and including
    the one that reaches past it) lets the text fill it and the photo head
    the next page.
    """
    moves = {}
    for item, number, start in _photos_pushed(pages):
        if number == start + 1:
            head_page = pages[start - 1]
            blocks = [b for p in pages[start - 1 : number] for b in p.blocks.get(item, [])]
            moves[item] = _blocks_to_fill(blocks, head_page.bottom - head_page.lowest)
    for before, page in itertools.pairwise(pages):
        item = page.first_item
        blocks = page.blocks.get(item or "", [])
        if item in moves or item not in page.heads or not _has_photo(blocks):
            continue
        text = [b for b in blocks if b.kind == "text"]
        if text:
            room = (before.bottom - before.lowest) - (text[0].top - page.top)
            moves[item] = max(_blocks_to_fill(blocks, room, count_all=True), 1)
    return {item: count for item, count in moves.items() if count}


def _has_photo(blocks: list[_Block]) -> bool:
    return any(block.kind == "figure" for block in blocks)


def _blocks_to_fill(blocks: list[_Block], room: float, count_all: bool = False) -> int:
    """How many Markdown blocks to set before the photo so that those after
    it (or, with `count_all`, all of them) fill `room`."""
    before: list[object] = []
    after = 0
    filled = 0.0
    passed_photo = count_all
    for block in blocks:
        if block.kind == "figure":
            passed_photo = True
        elif block.kind != "text" or any(block.element is e for e in before):
            continue
        elif not passed_photo:
            before.append(block.element)
        elif filled <= room:
            filled += block.height
            after += 1
    return len(before) + after if after else 0


def _check_line(line, block, page: _Page, item, findings, spans) -> None:
    """A line whose content reaches past its block (a long address or number).

    The block's border box is the limit: a label hung into the padding on
    purpose is not an overflow.
    """
    if not line.children or not item or block is None:
        return
    marks = list(_marks(line))
    if not marks:
        return
    left = min(mark.position_x for mark in marks)
    right = max(mark.position_x + mark.margin_width() for mark in marks)
    start, end = block.border_box_x(), block.border_box_x() + block.border_width()
    if line.style["direction"] == "rtl":
        # A right-to-left line keeps the width of the space it broke at, on
        # its left end, where nothing is drawn: allow a space's width there.
        start -= _space_allowance(marks)
    if right > end + EPSILON or left < start - EPSILON:
        over = max(right - end, start - left) / PX_PER_MM
        text = "".join(getattr(c, "text", "") for c in line.children)[:40]
        findings.append(
            _finding(
                spans,
                item,
                f"page {page.number}: a line is {over:.1f} mm wider than its column ({text!r})",
                space=False,
            )
        )


def _space_allowance(marks) -> float:
    """About the widest space of the line's type (a space is a quarter to a
    third of an em in text faces)."""
    return max(mark.style["font_size"] for mark in marks) * 0.4


def _marks(box):
    """What a line prints: its text and atomic boxes (pictures, inline blocks).
    Measured instead of the inline boxes around them, whose positions
    WeasyPrint 70 leaves unmirrored in right-to-left lines (a contents entry's
    leader box keeps its left-to-right x), though the text itself is placed right.
    Text of spaces alone prints nothing, wherever the engine left it."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            if child.text.strip():
                yield child
        elif isinstance(child, boxes.AtomicInlineLevelBox):
            yield child
        elif isinstance(child, boxes.ParentBox):
            yield from _marks(child)


def _check_columns(box, columns, page: _Page, item, findings, spans) -> None:
    """In a run of columns, one much shorter than the tallest is a hole in the
    page; and so is one left out, where the text had lines enough for two in
    each (a photo balanced beside all the text leaves the last column
    bare, and the engine makes no box for it)."""
    heights, lines = [], 0
    for column in columns:
        if not getattr(column, "is_column", False):
            continue
        bottoms = [c.position_y + c.margin_height() for c in column.children]
        heights.append((max(bottoms) if bottoms else column.position_y) - column.position_y)
        lines += _text_lines(column)
    count = box.style["column_count"]
    if isinstance(count, int) and len(heights) < count and lines >= 2 * count:
        heights += [0.0] * (count - len(heights))
    if len(heights) < 2:
        return
    tallest = max(heights)
    if tallest < 40 * PX_PER_MM:
        return
    for index, height in enumerate(heights, start=1):
        if height < tallest / 2 and item:
            findings.append(
                _finding(
                    spans,
                    item,
                    f"page {page.number}: column {index} is mostly empty "
                    f"({height / PX_PER_MM:.0f} mm of {tallest / PX_PER_MM:.0f} mm)",
                )
            )


def _text_lines(box) -> int:
    """The lines of text under `box`, not a photo's caption."""
    if getattr(box, "element_tag", None) == "figure":
        return 0
    if isinstance(box, boxes.LineBox):
        return 1
    return sum(_text_lines(child) for child in getattr(box, "children", ()))


def _head_pages(pages: list[_Page]) -> dict[str, int]:
    """The page each story's headline is on."""
    found: dict[str, int] = {}
    for page in pages:
        for item in page.heads:
            found.setdefault(item, page.number)
    return found


def _photos_pushed(pages: list[_Page]):
    """(item, page with the photo, page with the head) for each photo set apart from its head."""
    head_page = _head_pages(pages)
    for page in pages:
        for item in [i for i, blocks in page.blocks.items() if _has_photo(blocks)]:
            start = head_page.get(item)
            if start is not None and start != page.number:
                yield item, page.number, start


def _page_findings(pages: list[_Page], spans, issue: Issue) -> list[_Finding]:
    findings = []
    total_lines: dict[str, int] = defaultdict(int)
    for page in pages:
        for item, lines in page.body_lines.items():
            total_lines[item] += lines
    for page in pages:
        for item in page.heads:
            lines = page.body_lines.get(item, 0)
            # A story shorter than the minimum is stranded only if it runs on.
            if lines < min(MIN_LINES_UNDER_HEAD, total_lines[item]):
                finding = _finding(
                    spans,
                    item,
                    f"page {page.number}: the headline is left at the foot of the "
                    f"page with {lines} line{'s' * (lines != 1)} of its story under it",
                )
                findings.append(replace(finding, stranded=lines == 0))
    fragments: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for page in pages:
        for item, blocks in page.blocks.items():
            for block in blocks:
                if block.kind == "figure":
                    fragments[id(block.element)].append((item, page.number))
    for parts in fragments.values():
        if len(parts) > 1:
            (item, number), *_ = parts
            findings.append(
                _finding(spans, item, f"page {number}: the photo is split from its caption")
            )
    for item, number, start in _photos_pushed(pages):
        if pages[number - 1].body_lines.get(item, 0) == 0:
            findings.append(
                _finding(
                    spans,
                    item,
                    f"page {number}: the photo is pushed away from its story, "
                    f"which starts on page {start} and has no text on this page",
                )
            )
    for page, following in itertools.pairwise(pages):
        white = (page.bottom - page.lowest) / PX_PER_MM
        if white > EMPTY_FOOT_SHARE * (page.bottom - page.top) / PX_PER_MM:
            cause = following.first_item
            said = f"page {page.number}: {white:.0f} mm left empty at the foot"
            finding = _finding(spans, cause, said + _not_fitting(following, white, issue), issue)
            cut = _cut_by_hand(page, issue)
            if cut is not None:
                # The editor's own cut ends the page: say so at that story,
                # where the fix is (the finding still concerns what follows).
                said += (
                    f", where `jump_after: {cut.jump_after}` cuts this story; cut it after"
                    " more blocks to fill the page"
                )
                finding = replace(finding, diagnostic=warning(cut.span, f"{cut.title!r}: {said}"))
            findings.append(finding)
    last = pages[-1]
    if len(pages) > 1 and _used(last) < TAIL_SHARE:
        held = (last.lowest - last.top) / PX_PER_MM
        findings.append(
            _finding(
                spans,
                last.first_item,
                f"page {last.number} holds only {held:.0f} mm; "
                "cut about that much to save the page",
                issue,
            )
        )
    return findings


def _not_fitting(following: _Page, white: float, issue: Issue) -> str:
    """Why the white is left: what follows does not fit there; for what is
    kept whole (a brief, a box), how much it needs and how much to cut."""
    if following.first_item is None:
        return ""
    tall = following.first_whole / PX_PER_MM
    if tall <= white:  # not what keeps it off the page (a break the theme forces)
        return " (what follows does not fit there)"
    said = (
        f" (what follows is kept whole and stands {tall:.0f} mm tall, about"
        f" {max(1.0, tall - white):.0f} mm too tall for it: shorten it"
    )
    story = any(article.id == following.first_item for article in issue.articles)
    if story and not issue.order_flexible:
        said += ", or let a brief move there with `order: flexible`"
    return said + ")"


def _cut_by_hand(page: _Page, issue: Issue):
    """The article whose first part ends the page, cut there by the editor's
    `jump_after` (its rest elsewhere), or None."""
    last = next(reversed(page.blocks), None)
    article = next((a for a in issue.articles if a.id == last), None)
    if article is None or not article.jump_after or article.continued_id in page.blocks:
        return None
    return article


def _used(page: _Page) -> float:
    """The share of the page's text block its content reaches down to, 0 to 1."""
    used = (page.lowest - page.top) / max(page.bottom - page.top, 1)
    return max(0.0, min(used, 1.0))


def _finding(
    spans, item: str | None, message: str, issue: Issue | None = None, space: bool = True
) -> _Finding:
    span, name = spans.get(item or "", (issue.span if issue else None, "the issue"))
    return _Finding(item if item in spans else None, warning(span, f"{name}: {message}"), space)
