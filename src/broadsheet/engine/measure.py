"""The copy-fit report: how the issue fits its pages, read from WeasyPrint's layout.

Editors fix fit by changing text, so every finding names the YAML of the
story concerned. The checks walk the laid-out boxes of each page: a headline
left at the foot of a page with too few lines of its story under it, a photo
pushed to another page than its story's head, a column or page left mostly
empty, content overflowing its box or the page, and a line wider than its
column. `--strict` makes them errors.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes

from broadsheet.content.model import Issue
from broadsheet.errors import Diagnostic, warning
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

    def summary(self) -> str:
        target = f" (target {self.target})" if self.target else ""
        return (
            f"{self.pages} page{'s' * (self.pages != 1)}{target}; "
            f"the last page is {round(self.last_page_full * 100)}% full"
        )


@dataclass
class _Page:
    number: int  # 1-based
    top: float
    bottom: float
    lowest: float = 0.0  # the bottom of the lowest content on the page
    first_item: str | None = None  # the story or box that the page starts with
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


def measure(document, issue: Issue, target: int | None = None) -> Fit:
    """Walk every laid-out page of `document` and report what an editor should fix."""
    spans = _spans(issue)
    findings: list[_Finding] = []
    pages = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        state = _Page(number, box.content_box_y(), box.content_box_y() + box.height)
        state.lowest = state.top
        for child in box.children:
            if type(child).__name__ != "MarginBox":
                _walk(child, state, None, False, findings, spans)
        pages.append(state)
        findings += _overlaps(state, spans)
    findings += _page_findings(pages, spans, issue)
    if target and target != len(pages):
        count = f"{len(pages)} page{'s' * (len(pages) != 1)}"
        message = warning(issue.span, f"{count}, the target is {target}")
        findings.insert(0, _Finding(None, message, space=len(pages) > target))
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
    )


@dataclass(frozen=True)
class _Finding:
    item: str | None  # the story or box it is about
    diagnostic: Diagnostic
    space: bool = True  # about space on the page (not an overflow or a too-wide line)


def _spans(issue: Issue) -> dict[str, tuple[Span, str]]:
    spans = {}
    for article in issue.articles:
        spans[article.id] = (article.span, f"{article.title!r}")
        spans[article.continued_id] = (article.span, f"{article.title!r} (continued)")
    for box in issue.boxes:
        spans[box.id] = (box.span, f"box {box.title!r}")
    return spans


def _walk(box, page: _Page, item: str | None, in_body: bool, findings, spans, parent=None) -> None:
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    if element is not None and element.get("data-item"):
        item = element.get("data-item")
        if page.first_item is None:
            page.first_item = item
    # Caption lines are not story text: a photo alone on a page is pushed away.
    in_body = (in_body or "story-body" in classes) and box.element_tag != "figure"
    if "story-body" in classes and item and not getattr(box, "is_column", False):
        _record_blocks(box, page.blocks.setdefault(item, []))
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
    if "headline" in classes and item and box.element_tag == "h2":
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
        _walk(child, page, item, in_body, findings, spans, box)


EXTRAS = {"pullquote", "jump", "read-more"}
OVERLAP = 1.5  # px in both directions: more than rounding


def _record_ink(box, name: str, page: _Page, item: str | None) -> None:
    """The rectangle a line's glyphs or a picture cover, for the overlap check."""
    if name == "LineBox":
        if not box.children:
            return
        left = min(child.position_x for child in box.children)
        right = max(child.position_x + child.margin_width() for child in box.children)
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


def _record_blocks(body, blocks: list[_Block]) -> None:
    for child in body.children:
        parts = child.children if getattr(child, "is_column", False) else [child]
        for part in parts:
            element = getattr(part, "element", None)
            if element is None:
                continue
            if part.element_tag == "figure":
                kind = "figure"
            elif EXTRAS & set((element.get("class") or "").split()):
                kind = "extra"
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
    leader box keeps its left-to-right x), though the text itself is placed right."""
    for child in getattr(box, "children", ()):
        if isinstance(child, (boxes.TextBox, boxes.AtomicInlineLevelBox)):
            yield child
        elif isinstance(child, boxes.ParentBox):
            yield from _marks(child)


def _check_columns(box, columns, page: _Page, item, findings, spans) -> None:
    """In a run of columns, one much shorter than the tallest is a hole in the page."""
    heights = []
    for column in columns:
        if not getattr(column, "is_column", False):
            continue
        bottoms = [c.position_y + c.margin_height() for c in column.children]
        heights.append((max(bottoms) if bottoms else column.position_y) - column.position_y)
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
                findings.append(
                    _finding(
                        spans,
                        item,
                        f"page {page.number}: the headline is left at the foot of the "
                        f"page with {lines} line{'s' * (lines != 1)} of its story under it",
                    )
                )
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
            findings.append(
                _finding(
                    spans,
                    cause,
                    f"page {page.number}: {white:.0f} mm left empty at the foot"
                    + (" (what follows does not fit there)" if cause else ""),
                    issue,
                )
            )
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


def _used(page: _Page) -> float:
    """The share of the page's text block its content reaches down to, 0 to 1."""
    used = (page.lowest - page.top) / max(page.bottom - page.top, 1)
    return max(0.0, min(used, 1.0))


def _finding(
    spans, item: str | None, message: str, issue: Issue | None = None, space: bool = True
) -> _Finding:
    span, name = spans.get(item or "", (issue.span if issue else None, "the issue"))
    return _Finding(item if item in spans else None, warning(span, f"{name}: {message}"), space)
