"""What the planner knows of an issue: the measured parts of every story and
box, and the pages' text blocks, in CSS pixels.

A story's body is a stream of units in reading order: each line of a
paragraph, and each block the engine never splits (a photo with its caption,
a pull quote, a table row). A unit says whether a column or page may break
before it, which already folds in the break rules the engine keeps: orphans
and widows, a head kept with what follows, "Read more" kept with its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property


@dataclass(frozen=True)
class Unit:
    height: float
    gap: float = 0.0  # space above it, dropped at the top of a column
    breakable: bool = True  # a column may end just before it
    photo: float = 0.0  # the height of the picture in it, for a photo
    block: int = 0  # which top-level block of the body it belongs to
    # Which block of the Markdown it is part of (-1: the photo, the pull quote,
    # the read-more line): where a jump line may cut the story.
    text: int = -1
    # For a line: the fewest lines of its paragraph a column may end with
    # (CSS `orphans`), which holds for a column that starts in the paragraph
    # too (0: a block kept whole).
    orphans: int = 0
    # The bottom margin of the block this unit ends. A block kept whole holds
    # it in `height`: it must fit in a column, but a column that ends with it
    # is only as tall as the block's border. A paragraph's is in the gap of
    # what follows. Either way the engine counts it as used when it weighs
    # how much taller to make balanced columns.
    below: float = 0.0
    # The top margin of the paragraph a line starts: in place of `gap` at the
    # top of a column, where the engine keeps it. A block kept whole holds
    # its own in its height: where a plan sets it after another, the two
    # margins collapse (`placed_after`); and what the engine finds a photo
    # needs is its margin and its picture (columns._first_line).
    above: float = 0.0
    # For a photo: the lines of its caption, their height and the width
    # their text takes, how many, and the height of the last, which holds
    # the credit (planner/spans.py wraps them anew at the width of the body).
    caption: float = 0.0
    caption_width: float = 0.0
    caption_lines: int = 0
    caption_last: float = 0.0
    # For a block kept whole of lines one under the other (the read-more
    # line): the height of its first line and of the others (planner/jumps.py
    # measures a jump line in its style from them).
    first_line: float = 0.0
    after_first: float = 0.0
    # For a block kept whole with lines in it (a pull quote): from its top
    # margin down to the foot of its first line, which is what the engine's
    # column balancing finds it needs (columns._first_line).
    opening: float = 0.0
    # For a block kept whole: the room it needs under its border at a page's
    # foot, outside columns, beyond its height (engine/gauge._doubled_foot).
    foot_room: float = 0.0
    # For the first line of a paragraph that opens with a floated drop cap:
    # the cap's height. Balancing columns, the engine sets the cap alone at
    # the top of a column too short for the paragraph's first lines, and
    # then raises the columns by a line (columns.balanced).
    dropcap: float = 0.0

    def placed_after(self, previous: Unit) -> Unit:
        """This unit set after `previous` where a plan brings them together
        (a photo moved or spanned, a pull quote moved, a jump line): the
        margins between collapse into the larger. A line's own top margin
        is `above`, and the margin under a paragraph is `below` of its last
        line; a block kept whole holds its margins in its height, so two of
        them one after the other overlap by the smaller of the two margins
        (a pull quote under a photo)."""
        if self.orphans:  # a line
            if previous.orphans:
                return replace(self, gap=max(previous.below, self.above))
            return replace(self, gap=max(0.0, self.above - previous.below))
        if previous.orphans:  # a block kept whole after a line
            return replace(self, gap=max(0.0, previous.below - self.above))
        if self.above:  # two blocks kept whole
            return replace(self, gap=-min(previous.below, self.above))
        return replace(self, gap=max(0.0, self.gap - previous.below))  # no margin: the space it had

    def under_head(self, margin: float) -> float:
        """The space between a head whose bottom margin is `margin` and this
        unit, first in a body outside columns, beyond what its height holds:
        the two margins collapse into the larger, and a block kept whole
        holds its own in its height."""
        return max(margin, self.above) - (0.0 if self.orphans else self.above)

    def under_end(self, margin: float) -> float:
        """The space between this unit, last in a body outside columns, and
        the end of an item whose own bottom margin is `margin`: the two
        collapse into the larger, and a block kept whole holds its own in
        its height."""
        return max(margin, self.below) - (0.0 if self.orphans else self.below)


@dataclass(frozen=True)
class ItemGauge:
    """One story, rest of a jumped story, or box, as measured."""

    id: str
    role: str  # "story", "continued" or "box"
    head: float  # everything above the body: the headline, deck and meta, or the front band
    units: tuple[Unit, ...]
    columns: int = 1  # columns of the body
    width: float = 0.0  # of the body, when it has columns: what a photo across them spans
    pixels: int = 0  # the width of its photo's picture in pixels (0: not known)
    picture_ratio: float = 0.0  # that picture's width over its height (0: not known)
    photo_width: float = 0.0  # the width of the photo's box in its column, px (0: not known)
    whole: bool = False  # never split across pages (a brief)
    space: float = 0.0  # above it, after another item on the same page
    space_at_top: float = 0.0  # above it at the top of a page (its margin is dropped there)
    # Its own top margin, in `space`: it collapses with the margin the item
    # before it ends with, where that is a block's inside a body outside
    # columns (planner/pages._margin_below).
    margin_top: float = 0.0
    tail: float = 0.0  # below its body
    foot: float = 0.0  # of that, its padding and rule, which end the page it ends on
    photo_id: str | None = None  # the article whose photo it holds
    cut: int = 0  # for a jumped story's parts: the blocks of Markdown set before the jump
    jump: Unit | None = None  # for a jumped story's first part: its "Continued on page N" line
    unquoted: bool = False  # its pull quote left out by the plan (quotes.py)
    # For a story: the head of its rest after a jump line (its headline and
    # "Continued from"; 0: as its own head).
    rest_head: float = 0.0
    # Outside columns the head's bottom margin collapses with the top margin
    # of the body's first block: the head's own, and the space between them
    # `head` holds as measured (Unit.under_head of the first unit measured).
    # A plan that sets another block first makes that space anew.
    head_below: float = 0.0
    head_margin: float = 0.0
    # A story's body outside columns in a document whose page breaks are
    # unforced (engine/gauge._margins_kept): the block that opens a page
    # there loses its top margin, as the engine truncates a margin at such
    # a break (columns.Stream.tops).
    drops_margins: bool = False
    # Outside columns: its own bottom margin, in `tail`, which collapses with
    # the margin under the body's last block; and what of `tail` that
    # collapse left under the block measured last (pages.Bodies.tail).
    margin_bottom: float = 0.0
    tail_margin: float = 0.0
    # Outside columns, a story whose first two blocks of Markdown are
    # paragraphs, the first in fewer lines than a head keeps under it: the
    # plan marks the first to keep the second's first lines with it where
    # they meet (`p.keeps-next + p`, html.rendered.Fitting.first_kept), so
    # that its head is never left over a line or two at a page's foot; a
    # plan may set its photo or pull quote between them, or take it away
    # (pages.first_paragraph_kept).
    first_keeps: bool = False

    @cached_property
    def picture(self) -> float:
        """The height of its photo's picture as measured, px (0: no photo):
        asked for each height the search weighs the photo at."""
        return max((unit.photo for unit in self.units), default=0.0)


@dataclass(frozen=True)
class Frame:
    """The text block of a page: where content may start and end."""

    top: float
    bottom: float
    block_top: float = -1.0  # the text block's top, above `top` on page 1 (the masthead)

    def __post_init__(self):
        if self.block_top < 0:
            object.__setattr__(self, "block_top", self.top)

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        """Hashed with every step the planner keeps (planner/pages.py): once."""
        return hash((self.top, self.bottom, self.block_top))

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Gauges:
    items: tuple[ItemGauge, ...]  # in the order of the HTML
    first: Frame  # the first story's page, below the masthead and contents (page 1 unless `front`)
    page: Frame  # every later page
    pages: int  # what the measured layout took (0: measured item by item, engine/measurement.py)
    item_pages: dict[str, int] = field(default_factory=dict)  # item id -> the page it starts on
    # Pages before `first`'s, holding no story: the masthead and a contents
    # list too long for page 1 (a long issue's), set as they are.
    front: int = 0
    # On a page 1 that holds no story (front 1): the white under the
    # masthead and the contents list, which copy-fit spreads the list over.
    cover_white: float = 0.0
    # The gaps between the entries of the longest column of page 1's contents
    # list, where copy-fit adds space (engine/gauge._gaps).
    cover_gaps: int = 0
    item_tops: dict[str, float] = field(default_factory=dict)  # item id -> its top on that page
    cover_margin: float = 0.0  # the space the theme sets in each of those gaps
    cover_slack: float = 0.0  # the white kept for a list in columns balanced anew (_gaps)
    # A jump line ("Continued on page N"), from the theme's styles: the height
    # of its line and its margins above and below it (0: not known; jumps.py).
    jump_line: float = 0.0
    jump_margin: float = 0.0
    jump_below: float = 0.0
    # The digest of what the measures were made from (engine/measurement.py),
    # which a plan is kept by (engine/plans.py); "" when not kept by content.
    made_from: str = ""

    def item(self, item_id: str) -> ItemGauge:
        return self._by_id[item_id]

    @property
    def contents_apart(self) -> bool:
        """Whether page 1 holds a contents list of its own, outside the
        stories, which may make a cover of it. A short list stands beside
        the lead, in its head, and goes wherever the lead goes."""
        return self.cover_gaps > 0

    @cached_property
    def _by_id(self) -> dict[str, ItemGauge]:
        return {item.id: item for item in self.items}
