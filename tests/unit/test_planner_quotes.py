"""The pull-quote levers on measures made by hand: a quote left out closes up
its story, and the planner leaves one out only where nothing else saves a
page; a quote moved a block stands where the template would set it there."""

from __future__ import annotations

from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit
from broadsheet.planner.pages import Pages, moved_quote, quote_place
from broadsheet.planner.quotes import quoted, unquoted, without_quotes
from broadsheet.planner.search import Levers, plan, score

LINE = 18.0


def paragraphs(*counts: int) -> list[Unit]:
    """Paragraphs of `counts` lines, each its own block of Markdown."""
    units = []
    for text, count in enumerate(counts):
        for line in range(count):
            breakable = (line >= 2 and count - line >= 2) or (line == 0 and bool(units))
            gap = 9.0 if line == 0 and units else 0.0
            units.append(Unit(LINE, gap, breakable, block=text, text=text))
    return units


def quoted_story(item_id: str, quote: float, *counts: int) -> ItemGauge:
    """A one-column story with its pull quote after its first paragraph and a read-more line."""
    text = paragraphs(*counts)
    first = counts[0]
    units = (
        *text[:first],
        Unit(quote, 9.0, True, block=len(counts)),
        *text[first:],
        Unit(15.0, 6.0, False, block=len(counts) + 1),
    )
    return ItemGauge(item_id, "story", 60.0, units, space=30.0, space_at_top=10.0)


def test_a_story_without_its_quote_keeps_its_text_and_read_more_line():
    item = quoted_story("s", 100.0, 4, 5, 6)
    assert quoted(item)
    bare = unquoted(item)
    assert len(bare.units) == len(item.units) - 1
    assert [u.text for u in bare.units] == [0] * 4 + [1] * 5 + [2] * 6 + [-1]
    assert bare.units[-1] == Unit(15.0, 6.0, False, block=4)
    assert bare.unquoted and not quoted(bare)


def test_only_a_story_with_a_quote_has_one_to_leave_out():
    plain = ItemGauge("p", "story", 60.0, tuple(paragraphs(4, 4)))
    box = ItemGauge("b", "box", 40.0, quoted_story("b", 50.0, 3, 3).units)
    assert not quoted(plain) and not quoted(box)
    measured = Gauges((plain, box), Frame(0.0, 900.0), Frame(0.0, 900.0), 1)
    assert without_quotes(measured, ("p",)).items[0] == plain


def test_the_planner_leaves_a_quote_out_only_to_save_a_page():
    # 30 lines and two paragraph gaps under a 60 px head fill 638 of the
    # 700 px under the masthead; the 100 px quote sends 2 lines to page 2.
    story = quoted_story("s", 100.0, 10, 10, 10)
    measured = Gauges((story,), Frame(200.0, 900.0), Frame(0.0, 900.0), 2)
    chosen = plan(measured)
    assert chosen.measured.count == 2
    assert chosen.levers.quotes == ("s",)
    assert chosen.pages.count == 1
    assert ("s", "quote", None) in chosen.changes
    # Copy-fit lays out the best plan that keeps the quote against it.
    assert chosen.rival is not None and chosen.rival.levers.quotes == ()
    assert chosen.rival.pages.count == 2

    # With room for it, the quote stays, and there is no rival to weigh.
    roomy = Gauges((story,), Frame(100.0, 900.0), Frame(0.0, 900.0), 1)
    assert plan(roomy).levers.quotes == () and plan(roomy).rival is None


def test_a_quote_left_out_weighs_as_the_warning_copy_fit_gives_for_it():
    """Left out, a quote is a warning in the report: worth a page saved,
    not a page made fuller."""
    left_out = Levers(quotes=("s",))
    a_little_short = Pages([0.82, 0.5])
    assert score(a_little_short, None, None, Levers()) < score(
        Pages([0.97, 0.5]), None, None, left_out
    )
    assert score(Pages([0.97]), None, None, left_out) < score(a_little_short, None, None, Levers())


def test_a_quote_moved_stands_after_the_blocks_asked_and_its_text_closes_up():
    story = quoted_story("s", 100.0, 4, 5, 6)
    assert quote_place(story.units) == 1
    moved = moved_quote(story.units, 2)
    assert quote_place(moved) == 2
    assert [u.text for u in moved] == [0] * 4 + [1] * 5 + [-1] + [2] * 6 + [-1]
    assert moved[4].gap == 9.0  # the second paragraph meets the first as paragraphs do
    assert moved[9].height == 100.0 and moved[9].breakable
    assert moved[10].breakable  # the next paragraph may start a column after it
    assert moved_quote(story.units, 1) == story.units


def test_a_quote_moved_after_a_block_a_photo_follows_stands_after_the_photo():
    """As the story's template sets them: the photo, then the quote."""
    text = paragraphs(3, 3, 3)
    photo = Unit(120.0, 9.0, True, 100.0, block=3)
    quote = Unit(80.0, 9.0, True, block=4)
    units = (*text[:3], photo, *text[3:6], quote, *text[6:])
    moved = moved_quote(units, 1)
    assert [u.photo > 0 for u in moved[3:5]] == [True, False]
    assert moved[4].height == 80.0


def test_the_planner_moves_a_quote_that_does_not_fit_a_page_foot():
    """Two paragraphs of 19 lines under a 60 px head end 147 px above the
    foot of a 900 px page; a 200 px quote after them leaves that white.
    A block earlier or later, the quote stands where it fits and the text
    fills the foot: a cheaper lever than leaving it out, and kept."""
    text = paragraphs(19, 19, 10, 10)
    quote = Unit(200.0, 9.0, True, block=4)
    units = (*text[:38], quote, *text[38:])
    story = ItemGauge("s", "story", 60.0, units, space=30.0, space_at_top=0.0)
    measured = Gauges((story,), Frame(0.0, 900.0), Frame(0.0, 900.0), 2)
    chosen = plan(measured)
    assert chosen.measured.fills[0] < 0.85
    assert chosen.levers.quotes == ()
    ((moved, after),) = chosen.levers.quote_places
    assert moved == "s" and after in (1, 3)
    assert chosen.pages.fills[0] >= 0.95
    assert ("s", "quote after", after) in chosen.changes
