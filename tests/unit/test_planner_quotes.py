"""The pull-quote lever on measures made by hand: a quote left out closes up
its story, and the planner leaves one out only where nothing else saves a page."""

from __future__ import annotations

from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit
from broadsheet.planner.pages import Pages
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

    # With room for it, the quote stays.
    roomy = Gauges((story,), Frame(100.0, 900.0), Frame(0.0, 900.0), 1)
    assert plan(roomy).levers.quotes == ()


def test_a_quote_left_out_weighs_as_the_warning_copy_fit_gives_for_it():
    """Left out, a quote is a warning in the report: worth a page saved,
    not a page made fuller."""
    left_out = Levers(quotes=("s",))
    a_little_short = Pages([0.82, 0.5])
    assert score(a_little_short, None, None, Levers()) < score(
        Pages([0.97, 0.5]), None, None, left_out
    )
    assert score(Pages([0.97]), None, None, left_out) < score(a_little_short, None, None, Levers())
