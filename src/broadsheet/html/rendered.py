"""What the render stage hands the engine (`Rendered`) and what copy-fit may
ask of it (`Fitting`).

Kept apart from render.py so the engine's side of a build (typeset.py,
measurement.py) can hold them without importing Jinja2 and Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Fitting:
    """What the page planner and the copy-fit pass may change between two
    layouts of an issue (see engine/copyfit.py): the height of some photos,
    the order of the stories, where some photos go, a tighter spacing,
    stories cut by a jump line (as `jump_after` cuts one by hand), pull
    quotes left out or moved, photos set across all the columns of their story's body
    (at the height `photo_heights` gives), items started on a new page
    (a headline the engine left at a page foot), and the contents list
    spread over a page 1 that holds no story."""

    photo_heights: Mapping[str, float] = field(default_factory=dict)  # article id -> mm
    # article id -> mm: the width of a photo's box at its planned height, where
    # narrower than its column (a picture the theme drew narrower, kept so)
    photo_widths: Mapping[str, float] = field(default_factory=dict)
    order: tuple[str, ...] = ()  # article ids in print order (empty: as written)
    photo_after: Mapping[str, int] = field(default_factory=dict)  # article id -> blocks before
    tight: bool = False  # the theme's `html.fit-tight` rules apply
    jumps: Mapping[str, int] = field(default_factory=dict)  # article id -> blocks before its jump
    new_page: frozenset[str] = frozenset()  # ids of stories and boxes set at the top of a page
    unquoted: frozenset[str] = frozenset()  # ids of stories whose pull quote is left out
    quote_after: Mapping[str, int] = field(default_factory=dict)  # article id -> blocks before
    spanned: frozenset[str] = frozenset()  # ids of stories whose photo spans their columns
    # ids of stories whose first paragraph keeps the next one's first lines
    # with it (shorter than the lines a head keeps, outside columns)
    first_kept: frozenset[str] = frozenset()
    # On a page 1 that holds no story (a cover: the masthead and the contents
    # list): the space added between its entries, in mm, to fill the page.
    contents_spread: float = 0.0
    # The contents list under the masthead, on its own, however short: the
    # lead's head with the list beside it did not start on page 1.
    contents_apart: bool = False


@dataclass(frozen=True)
class Item:
    """A story, the rest of a jumped story, or a box, as the render stage
    placed it: its element in the HTML carries `data-item` with its id.

    What copy-fit needs to read its laid-out boxes without knowing the
    templates' markup: the id of its headline (the contents' destination),
    and how many blocks of Markdown it holds, the pull quote after how many
    of them (render.py decides both; the templates place what they are given).
    """

    role: str  # "story", "continued" (the rest of a jumped story) or "box"
    anchor: str  # the id of its headline
    blocks: int = 0  # blocks of Markdown
    quote_after: int = 0  # the pull quote follows this many of them (0: none here)
    lang: str | None = None  # a story's language when it is not the issue's
    article: bool = False  # its element is an <article>, which the PDF tags /Art


@dataclass(frozen=True)
class Rendered:
    html: str
    base_url: str
    stylesheets: list[Path]
    templates: list[Path] = field(default_factory=list)  # every template file used
    items: Mapping[str, Item] = field(default_factory=dict)  # by id, in the HTML's order
    # A measurement (engine/measurement.py): the items laid out, every other
    # one hollow (its element kept, its contents left out but its headline's
    # anchor), and every link in the document to the first item's headline,
    # so that a page number (target-counter) prints the same whichever items
    # are laid out. None: a layout of the issue.
    measured: frozenset[str] | None = None
    contents_beside_lead: bool = False  # the contents list stands in the lead's head

    @property
    def languages(self) -> tuple[str | None, ...]:
        """Per <article> of the HTML, in order: its language when it is not
        the issue's, for the PDF's structure tags (from the model, not read
        back out of the HTML)."""
        return tuple(item.lang for item in self.items.values() if item.article)
