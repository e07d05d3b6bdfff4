"""The jump-line lever on measures made by hand: a story cut in two parts,
and the planner cutting a brief that leaves a hole where it does not fit."""

from __future__ import annotations

from dataclasses import replace

from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit
from broadsheet.planner.jumps import cuts, jumped, parts, with_rests
from broadsheet.planner.pages import scaled_units, simulate
from broadsheet.planner.search import plan

LINE = 18.0


def paragraphs(*counts: int, first_block: int = 0) -> list[Unit]:
    """Paragraphs of `counts` lines, each its own block of Markdown."""
    units = []
    for text, count in enumerate(counts):
        for line in range(count):
            breakable = (line >= 2 and count - line >= 2) or (line == 0 and bool(units))
            gap = 9.0 if line == 0 and units else 0.0
            units.append(Unit(LINE, gap, breakable, block=first_block + text, text=text))
    return units


def story(item_id: str, *counts: int, whole: bool = False, columns: int = 1) -> ItemGauge:
    return ItemGauge(
        item_id,
        "story",
        head=60.0,
        units=tuple(paragraphs(*counts)),
        columns=columns,
        whole=whole,
        space=30.0,
        space_at_top=10.0,
    )


def test_a_cut_story_keeps_its_first_blocks_and_photo_and_sends_the_rest_on():
    figure = Unit(200.0, 9.0, True, 180.0, block=1)
    quote = Unit(50.0, 9.0, True, block=3)
    read_more = Unit(15.0, 6.0, False, block=5)
    text = paragraphs(4, 5, 6)
    units = (*text[:4], figure, *text[4:9], quote, *text[9:], read_more)
    item = ItemGauge("s", "story", 60.0, units, photo_id="s")
    assert list(cuts(item)) == [1, 2]
    front, rest = parts(item, 1)
    assert front.units == (*text[:4], figure)
    assert front.jump == Unit(15.0, 6.0, False, block=5)  # measured as the read-more line
    assert not front.whole and front.cut == 1
    assert rest.id == "s-continued" and rest.role == "continued"
    assert [u.text for u in rest.units] == [1] * 5 + [-1] + [2] * 6 + [-1]
    assert rest.units[-1] == read_more
    assert rest.photo_id is None


def test_the_rests_go_after_the_last_story_before_the_boxes():
    box = ItemGauge("box", "box", 40.0, tuple(paragraphs(3)))
    measured = Gauges(
        (story("a", 3, 3), story("b", 3, 3), box), Frame(0.0, 900.0), Frame(0.0, 900.0), 1
    )
    cut, rests = jumped(measured, {"a": 1})
    assert rests == ("a-continued",)
    assert with_rests(("a", "b", "box"), rests, cut) == ("a", "b", "a-continued", "box")
    assert cut.item("a").jump is not None
    assert len(cut.item("a").units) == 3


def test_a_brief_that_leaves_a_hole_is_cut_by_a_jump_line():
    lead = story("lead", 8, 8, 8)  # about 520 px of the first page's 700
    brief = story("brief", 5, 5, 5, whole=True)  # too tall for what is left
    after = story("after", 12, 12, 12, 12)
    measured = Gauges((lead, brief, after), Frame(200.0, 900.0, 0.0), Frame(0.0, 900.0), 2)
    order = ["lead", "brief", "after"]
    before = simulate(measured, order, scaled_units({}))
    assert before.starts["brief"] == 2 and before.fills[0] < 0.85

    chosen = plan(measured)

    assert dict(chosen.levers.jumps) == {"brief": 1}
    assert chosen.pages.starts["brief"] == 1
    assert chosen.pages.starts["brief-continued"] > 1
    assert all(fill >= 0.85 for fill in chosen.pages.fills[:-1])
    assert chosen.changed
    assert ("brief", "jump", chosen.pages.starts["brief-continued"]) in chosen.changes


def test_a_story_that_fits_is_not_cut():
    measured = Gauges(
        (story("a", 8, 8), story("b", 3, 3, whole=True)), Frame(0.0, 900.0), Frame(0.0, 900.0), 1
    )
    assert plan(measured).levers.jumps == ()


def test_a_jump_line_is_measured_as_the_first_line_of_the_read_more_line():
    """The read-more line of a story with a link: 7 px of margin, its label
    on a line of 13 px and its address on two more. The jump line is a line
    in the label's style under the same margin, which collapses with the
    paragraph's above it as a paragraph's does."""
    read_more = Unit(46.0, 0.0, False, block=3, first_line=13.0, after_first=26.0)
    text = paragraphs(4, 5)
    item = ItemGauge("s", "story", 60.0, (*text, read_more))
    front, _ = parts(item, 1)
    assert front.jump == Unit(13.0, 0.0, False, block=3, orphans=1, above=7.0)
    last = replace(text[3], below=5.0, orphans=2)
    assert front.jump.placed_after(last).gap == 7.0
    assert front.jump.placed_after(replace(last, below=9.0)).gap == 9.0
