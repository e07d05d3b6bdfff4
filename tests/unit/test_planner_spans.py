"""The page planner's photo across the columns (planner/spans.py) on
measures made by hand: the spanned body, its columns, and the search that
takes it where a tall photo leaves a column mostly empty, and only there."""

from __future__ import annotations

from dataclasses import replace

from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit
from broadsheet.planner.pages import Memo, scaled_units, simulate
from broadsheet.planner.search import Levers, plan, score
from broadsheet.planner.spans import caption_height, picture_height, spanned_units

LINE = 18.0
PHOTO = 380.0  # the picture's height in a column
CAPTION = 20.0  # the figure's caption and margins


def brief(item_id: str = "brief", count: int = 6, width: float = 600.0) -> ItemGauge:
    """A brief whose photo heads its body and is far taller than its text."""
    figure = Unit(PHOTO + CAPTION, 0.0, False, PHOTO, block=0)
    text = [Unit(LINE, 0.0, i in (0, 3), block=1, text=0, orphans=2) for i in range(count)]
    return ItemGauge(
        item_id,
        "story",
        head=60.0,
        units=(figure, *text),
        columns=2,
        width=width,
        whole=True,
        space=30.0,
        space_at_top=10.0,
        photo_id=item_id,
    )


def gauges(*items: ItemGauge, height: float = 900.0) -> Gauges:
    return Gauges(items, Frame(200.0, height), Frame(0.0, height), 1)


def test_the_picture_is_cropped_no_thinner_than_a_strip_nor_taller_than_in_a_column():
    item = brief(width=600.0)  # a strip of this body is 150 px tall
    assert picture_height(item, 1.0) == PHOTO
    assert picture_height(item, 0.6) == PHOTO * 0.6
    assert picture_height(replace(item, width=2000.0), 0.6) == PHOTO  # the strip is taller
    assert picture_height(replace(item, width=800.0), 0.1) == 200.0


def test_the_spanned_body_starts_with_the_photo_and_its_caption_then_the_text():
    units = spanned_units(brief(), 0.6)
    across, *text = units
    assert (across.height, across.photo) == (PHOTO * 0.6 + CAPTION, PHOTO * 0.6)
    assert not across.breakable
    assert len(text) == 6 and not any(u.photo for u in text)


def test_text_that_followed_the_photo_gets_the_space_of_a_block_not_the_photos():
    """Units as the gauge measures them: a paragraph's margins are its lines'
    `above` and `below`; the photo holds its own (5 px) in its height, and
    the paragraph after it had only what its 12 px margin adds to them.
    Spanned, that paragraph meets the one before it: 12 px, as between any
    two paragraphs, not the 7 px it had under the photo, nor the space of
    some other block of the story (the heading's 20 px)."""

    def paragraph(block: int, text: int, gap: float, above: float = 12.0, lines: int = 2):
        return [
            Unit(
                LINE,
                gap if i == 0 else 0.0,
                i == 0,
                block=block,
                text=text,
                orphans=2,
                above=above if i == 0 else 0.0,
                below=12.0 if i == lines - 1 else 0.0,
            )
            for i in range(lines)
        ]

    before = paragraph(0, 0, 0.0)
    figure = Unit(PHOTO + CAPTION, 7.0, True, PHOTO, block=1, above=5.0, below=5.0)
    after = paragraph(2, 1, 7.0)
    heading = paragraph(3, 2, 20.0, above=20.0, lines=1)
    item = replace(brief(), units=(*before, figure, *after, *heading))
    units = spanned_units(item, 1.0)
    assert units[0].photo and units[3] == replace(after[0], gap=12.0)
    # A paragraph that ends with a larger margin (a list's) keeps it.
    wide = [*before[:-1], replace(before[-1], below=16.0)]
    units = spanned_units(replace(item, units=(*wide, figure, *after, *heading)), 1.0)
    assert units[3].gap == 16.0


def test_the_spanned_body_is_the_photo_then_its_text_balanced_and_no_column_left_empty():
    item = brief()
    plain = scaled_units({})
    spanned = scaled_units({}, spans={"brief": 1.0})
    room = 1000.0
    assert plain.lopsided(item, 0, plain.balanced(item, 0, room))
    assert spanned.balanced(item, 0, room) == PHOTO + CAPTION + 3 * LINE
    assert not spanned.lopsided(item, 0, spanned.balanced(item, 0, room))
    # From the top, the photo comes with the text's first lines or not at all.
    assert spanned.fill(item, 0, PHOTO + CAPTION + 2 * LINE) == (0, 0.0)
    assert spanned.fill(item, 0, PHOTO + CAPTION + 3 * LINE) == (7, PHOTO + CAPTION + 3 * LINE)


def test_the_memo_tells_a_spanned_body_from_the_same_body_in_its_columns():
    memo = Memo()
    item = brief()
    measured = gauges(item)
    before = simulate(measured, ["brief"], scaled_units({}, memo=memo))
    after = simulate(measured, ["brief"], scaled_units({}, memo=memo, spans={"brief": 1.0}))
    assert before.lopsided == (1,) and after.lopsided == ()


def test_the_search_spans_a_photo_that_leaves_a_column_mostly_empty():
    chosen = plan(gauges(brief()))
    assert chosen.measured.lopsided == (1,)
    assert chosen.levers.spans == (("brief", 1.0),)
    assert chosen.pages.lopsided == ()
    assert chosen.changed  # worth a layout though no page is fuller
    assert ("brief", "span", 1.0) in chosen.changes


def test_the_span_never_costs_a_page():
    """A body as wide as four pictures' heights crops no shorter than in its
    column: spanned, the brief grows by its text's first column and the
    story after it no longer fits the page."""
    wide = brief(width=4 * PHOTO)
    after = replace(brief("after"), units=brief().units[1:], photo_id=None, whole=True)
    order = ["brief", "after"]
    for height in range(600, 1400, 6):
        measured = gauges(wide, after, height=float(height))
        one = simulate(measured, order, scaled_units({}))
        two = simulate(measured, order, scaled_units({}, spans={"brief": 1.0}))
        if one.count == 1 and two.count == 2:
            break
    else:
        raise AssertionError("no page height where the span costs a page")
    chosen = plan(measured)
    assert chosen.pages.count == 1
    assert not chosen.levers.spans


def test_a_column_left_empty_is_weighed_as_copy_fit_reports_it():
    """A column left mostly empty is a finding the editor is shown, as a hole
    at a page's foot is: it weighs more than a page a little short of full,
    never more than a page. The search's other way (pages first) weighs it
    with the levers' cost."""
    from broadsheet.planner.pages import Pages

    full, lopsided = Pages([0.95, 0.5]), Pages([0.95, 0.5], lopsided=(1,))
    spanned = Levers(spans=(("s", 1.0),))
    assert score(full, None, None, spanned) < score(lopsided, None, None, Levers())
    assert score(Pages([0.95], lopsided=(1,)), None, None, Levers()) < score(
        full, None, None, Levers()
    )
    a_little_short = Pages([0.88, 0.5])
    assert score(a_little_short, None, None, Levers()) < score(lopsided, None, None, Levers())
    holed = Pages([0.75, 0.5])
    assert score(holed, None, None, Levers())[1] == score(lopsided, None, None, Levers())[1]
    pages_first = score(lopsided, None, None, Levers(), findings_first=False)
    assert pages_first[:3] == score(full, None, None, spanned, findings_first=False)[:3]


def test_across_the_columns_the_caption_takes_the_lines_its_text_needs_there():
    # Two caption lines of 13 px whose words took 367 px in a 212 px column.
    figure = Unit(
        PHOTO + CAPTION + 26.0, photo=PHOTO, caption=26.0, caption_width=367.0, caption_lines=2
    )
    assert caption_height(figure, 680.0) == 13.0  # one line across a wide body
    assert caption_height(figure, 400.0) == 26.0  # a line that full might not hold the last word
    assert caption_height(figure, 150.0) == 26.0  # never more lines than it had
    item = replace(brief(width=680.0), units=(figure, *brief().units[1:]))
    across = spanned_units(item, 1.0)[0]
    assert across.height == figure.height - 13.0 and across.caption == 13.0


def test_a_caption_wrapped_anew_ends_with_a_line_as_tall_as_its_last_was():
    # Three lines whose last, holding the credit, is half a pixel taller.
    figure = Unit(
        PHOTO + CAPTION + 40.0,
        photo=PHOTO,
        caption=40.0,
        caption_width=540.0,
        caption_lines=3,
        caption_last=13.5,
    )
    assert caption_height(figure, 680.0) == 13.5  # one line: the credit's
    assert caption_height(figure, 400.0) == 13.25 + 13.5  # two: one of the others, and the last
    assert caption_height(figure, 150.0) == 40.0
