"""The page planner on measures made by hand: the column filling, the page
simulation and the choice of levers, without the engine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from broadsheet.planner import search as search_module
from broadsheet.planner.columns import Stream, balanced, fill, lopsided, reach
from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit
from broadsheet.planner.jumps import continued_id
from broadsheet.planner.pages import (
    first_paragraph_kept,
    moved_photo,
    photo_kept_with_text,
    scaled_units,
    simulate,
)
from broadsheet.planner.search import (
    PLACES,
    SCALES,
    Levers,
    _candidates,
    _jumps,
    _ranked,
    _sharp,
    covered,
    photo_width,
    plan,
    score,
)

LINE = 18.0


def lines(count: int, orphans: int = 2, widows: int = 2, block: int = 0) -> list[Unit]:
    """A paragraph's lines: block `block` of the body, and of its Markdown."""
    return [
        Unit(
            LINE,
            0.0,
            i == 0 or (i >= orphans and count - i >= widows),
            block=block,
            text=block,
            orphans=orphans,
        )
        for i in range(count)
    ]


def story(item_id: str, count: int, whole: bool = False, photo: float = 0.0) -> ItemGauge:
    units = lines(count // 2, block=0)
    if photo:
        units.append(Unit(photo + 20, 4.0, True, photo, block=1))
    units += lines(count - count // 2, block=2)
    return ItemGauge(
        item_id,
        "story",
        head=60.0,
        units=tuple(units),
        columns=2,
        whole=whole,
        space=30.0,
        space_at_top=10.0,
        photo_id=item_id if photo else None,
    )


def gauges(*items: ItemGauge, height: float = 900.0) -> Gauges:
    return Gauges(items, Frame(200.0, height), Frame(0.0, height), 1)


def test_a_column_breaks_only_where_its_units_allow():
    units = lines(6, orphans=3, widows=3)  # one paragraph: a break only before line 4
    assert fill(units, 0, 5 * LINE, 1) == (3, 3 * LINE)
    assert fill(units, 0, 2 * LINE, 1) == (0, 0.0)  # not even the orphans: nothing placed


def test_an_empty_column_with_units_left_over_places_nothing():
    units = [*lines(2), Unit(300.0, 0.0, True, 280.0), *lines(2)]
    assert fill(units, 0, 100.0, 2) == (0, 0.0)


def test_columns_are_balanced_as_the_engine_balances_them():
    """WeasyPrint starts at the average column and raises it by the least
    space a cut block still lacked; a paragraph cut at a column's foot
    reaches down to it, so the columns are as tall as the height landed on."""
    assert balanced(lines(10), 0, 2) == 5 * LINE
    # 99 px leaves a line over; the next try is a whole line taller, not the
    # 108 px that would hold them.
    assert balanced(lines(11), 0, 2) == 6.5 * LINE
    # Columns that end between paragraphs end where their text ends.
    two = [*lines(5, block=0), *lines(4, block=1)]
    assert balanced(two, 0, 2) == 5 * LINE
    # Never taller than the room; nothing when it does not fit in it.
    assert balanced(lines(11), 0, 2, room=6 * LINE) == 6 * LINE
    assert balanced(lines(11), 0, 2, room=5 * LINE) == float("inf")


@pytest.mark.parametrize(("opening", "landed"), [(43.0, 548.7), (0.0, 649.6)])
def test_a_pull_quote_left_over_asks_a_column_for_its_first_line_only(opening, landed):
    """Balancing, the engine raises the columns by what the next block
    needs: its first line, and for a pull quote kept whole that is its top
    edges and first line (43 px), not all of its 114 px. A story of a
    160-page issue (the photo, 13 lines, the quote, 23 lines, the read-more
    line) lands at 548.7 px in the engine; counted whole, the quote would
    have raised the columns until the first took it too."""
    photo = Unit(312.6, 0.0, True, 253.4, block=0, below=11.3, above=5.7)
    quote = Unit(114.4, 0.0, True, block=2, below=11.3, opening=opening)
    read_more = Unit(14.7, 5.7, False, block=7, orphans=1, above=5.7)
    units = [photo, *lines(13, block=1), quote, *lines(4, block=3), *lines(12, block=4)]
    units += [*lines(7, block=5), read_more]
    assert balanced(units, 0, 2, room=971.3) == pytest.approx(landed, abs=0.2)  # rounded units


def test_a_line_a_hair_below_a_columns_foot_goes_on_to_the_next():
    """The engine allows a line no more below the foot than float rounding
    (WeasyPrint 70: a millionth of a pixel); a thousandth is a line too many."""
    assert fill(lines(4), 0, 4 * LINE, 1) == (4, 4 * LINE)
    assert fill(lines(4), 0, 4 * LINE - 0.001, 1) == (2, 2 * LINE)


def test_a_column_that_starts_inside_a_paragraph_holds_its_orphans():
    units = [replace(u, orphans=3) for u in lines(8, orphans=3, widows=3)]
    assert fill(units, 3, 2 * LINE, 1) == (3, 0.0)  # two lines, then a break: too few
    assert fill(units, 0, 3 * LINE, 1) == (3, 3 * LINE)


def test_a_column_ending_with_a_photo_is_as_tall_as_its_border():
    """The photo's margin below must fit, but the column ends at its border."""
    photo = Unit(200.0, 0.0, True, 180.0, block=1, below=15.0)
    units = [*lines(4, block=0), photo, *lines(4, block=2)]
    assert fill(units, 0, 4 * LINE + 200.0, 1) == (5, 4 * LINE + 185.0)
    assert fill(units, 0, 4 * LINE + 199.0, 1) == (4, 4 * LINE)


def test_the_simulation_moves_a_brief_that_does_not_fit_and_flows_a_long_story():
    long = story("long", 80)
    brief = story("brief", 20, whole=True)
    pages = simulate(gauges(long, brief), ["long", "brief"], scaled_units({}))
    assert pages.starts == {"long": 1, "brief": 2}
    assert pages.count == 2


def test_the_photo_levers_bring_a_brief_back_to_the_page():
    first = story("first", 40, photo=300.0)
    brief = story("brief", 16, whole=True)
    measured = gauges(first, brief, height=1120.0)
    before = simulate(measured, ["first", "brief"], scaled_units({}))
    assert before.starts["brief"] == 2
    chosen = plan(measured)
    assert chosen.pages.starts["brief"] == 1
    assert chosen.pages.count == 1
    assert chosen.changed
    smaller = simulate(measured, ["first", "brief"], scaled_units({"first": 0.75}))
    assert smaller.starts["brief"] == 1  # a photo at 75 % would do it too


def test_a_flexible_issue_moves_a_brief_into_a_hole():
    lead = story("lead", 40)
    big = story("big", 60, whole=True)
    small = story("small", 8, whole=True)
    measured = gauges(lead, big, small, height=800.0)
    fixed = plan(measured)
    flexible = plan(measured, flexible=True, briefs=frozenset({"big", "small"}))
    assert fixed.levers.order == ("lead", "big", "small")
    assert flexible.levers.order == ("lead", "small", "big")
    assert flexible.score < fixed.score
    assert ("small", "moved", 1) in flexible.changes


def test_a_photo_moves_after_the_text():
    units = tuple(story("s", 8, photo=100.0).units)
    first = moved_photo(units, 0)
    assert first[0].photo and not any(u.photo for u in first[1:])
    last = moved_photo(units, 2)
    assert last[-1].photo


def test_a_photo_moves_after_blocks_of_the_markdown_not_after_a_pull_quote():
    """The template sets a photo after the n-th block of the Markdown, and
    before a pull quote set after the same block; the quote is no block of
    the Markdown to count."""
    quote = Unit(80.0, 9.0, True, block=1)
    units = (*lines(3, block=0), quote, *lines(3, block=2), Unit(120.0, 4.0, True, 100.0, block=3))
    moved = moved_photo(units, 1)
    assert [u.photo > 0 for u in moved].index(True) == 3 and moved[4] == quote
    moved = moved_photo(units, 2)
    assert moved[-1].photo


def test_two_blocks_kept_whole_set_together_overlap_by_the_smaller_margin():
    """Corpus case 116: a photo moved after the block its story's pull
    quote follows. Each holds its margins in its height, and the engine
    collapses the photo's bottom margin with the quote's top one into the
    larger: the quote starts the smaller of the two above the photo's foot.
    Counted apart, a column held 11 px less than the engine's, and the
    simulation started the next story that much lower."""
    photo = Unit(351.4, 0.0, True, 280.0, below=15.1, above=7.6)
    quote = Unit(97.9, 0.0, True, below=15.1, above=11.3, opening=46.8)
    line = Unit(18.0, 0.0, True, orphans=2, above=6.0)
    last = replace(line, below=6.0)
    assert quote.placed_after(photo).gap == -11.3
    assert quote.placed_after(last).gap == 0.0  # the paragraph's margin, inside the quote's
    assert photo.placed_after(replace(last, below=10.0)).gap == pytest.approx(2.4)
    assert line.placed_after(quote).gap == 0.0  # the quote's margin, inside its height
    assert line.placed_after(last).gap == 6.0


def test_the_planner_is_deterministic_and_leaves_a_full_issue_alone():
    measured = gauges(story("a", 30), story("b", 30))
    one, two = plan(measured), plan(measured)
    assert one == two
    assert not one.changed


def test_the_score_prefers_fewer_pages_then_fuller_ones():
    from broadsheet.planner.pages import Pages
    from broadsheet.planner.search import Levers

    fewer = Pages([0.95, 0.5])
    more = Pages([0.95, 0.95, 0.2])
    short = Pages([0.6, 0.95])
    assert score(fewer, None, None, Levers()) < score(more, None, None, Levers())
    assert score(fewer, None, None, Levers()) < score(short, None, None, Levers())
    assert score(more, 3, None, Levers()) < score(fewer, 3, None, Levers())


def test_a_story_is_cut_by_a_jump_line_to_close_a_short_page_not_one_nearly_full():
    from broadsheet.planner.pages import Pages

    cut = Levers(jumps=(("second", 3),))
    starts = {"first": 1, "second": 1, continued_id("second"): 2}
    filled = Pages([0.95, 0.5], starts)  # the cut fills page 1
    nearly_full = Pages([0.87, 0.5], {"first": 1, "second": 1})
    short = Pages([0.82, 0.5], {"first": 1, "second": 1})
    # The search weighs a page short of 90 % as a fault and the cut as a
    # lever's cost: it takes the cut, which is how it finds those that
    # close holes.
    assert score(filled, None, None, cut) < score(nearly_full, None, None, Levers())
    # Of the plans it ends with, the story read in one piece on a page 87 %
    # full comes first; on a page 82 % full, the cut does.
    assert _ranked(Levers(), nearly_full, None, None) < _ranked(cut, filled, None, None)
    assert _ranked(cut, filled, None, None) < _ranked(Levers(), short, None, None)


def test_a_hole_weighs_as_much_in_the_final_choice_as_in_the_score():
    from broadsheet.planner.pages import Pages

    pushed = Pages([0.95, 0.95, 0.5], pushed=1)  # a finding, counted twice
    holed = Pages([0.3, 0.95, 0.5])  # a page short and a hole: twice, and shorter
    assert score(pushed, None, None, Levers()) < score(holed, None, None, Levers())
    assert _ranked(Levers(), pushed, None, None) < _ranked(Levers(), holed, None, None)


def test_a_last_page_of_a_few_lines_counts_twice_like_a_hole():
    """Copy-fit warns of both; a page a little short is no finding."""
    from broadsheet.planner.pages import Pages

    tail = Pages([0.95, 0.95, 0.1])
    holed = Pages([0.95, 0.7, 0.5])
    short = Pages([0.95, 0.87, 0.5])
    assert score(tail, None, None, Levers())[1] == score(holed, None, None, Levers())[1] == 2
    assert score(short, None, None, Levers())[1] == 1


def test_a_last_page_of_a_few_lines_makes_every_photo_a_candidate():
    """A photo three pages back may save the last page or send more onto
    it; on a last page merely short of 30 % it may save the page, made
    smaller; on a last page worth printing the search stays near it."""
    from broadsheet.planner.pages import Pages

    measured = gauges(story("photo", 20, photo=200.0), story("long", 200))
    levers = Levers(order=("photo", "long"))
    starts = {"photo": 1, "long": 1}

    def scales_tried(last: float, before_last: float = 0.95) -> set[float]:
        pages = Pages([0.95, 0.95, 0.95, before_last, last], starts)
        found = _candidates(measured, levers, pages, False, frozenset(), False, False)
        return {dict(candidate.scales)["photo"] for candidate in found if candidate.scales}

    assert scales_tried(0.1) == set(SCALES)
    # Short of 30 %, a photo made smaller may still save the page.
    assert scales_tried(0.2) == {scale for scale in SCALES if scale < 1}
    assert scales_tried(0.5, before_last=0.85) == set()  # the search stays near page 4


def test_a_head_stranded_on_a_full_page_makes_the_photos_there_candidates():
    """A head left at the foot of a page full enough is a finding all the
    same: the photos of the items on its page and the page before may mend
    it (bring its lines up under it, or send it on), however far from the
    short pages."""
    from broadsheet.planner.pages import Pages

    measured = gauges(story("earlier", 20, photo=200.0), story("stranded", 20, photo=200.0))
    levers = Levers(order=("earlier", "stranded"))
    starts = {"earlier": 1, "stranded": 2}

    def photos_tried(stranded: tuple[int, ...]) -> set[str]:
        pages = Pages([0.95, 0.95, 0.95, 0.95, 0.5, 0.5], starts, stranded=stranded)
        found = _candidates(measured, levers, pages, False, frozenset(), False, False)
        return {photo for candidate in found for photo, _ in candidate.scales}

    assert photos_tried(()) == set()  # the search stays near page 5
    assert photos_tried((2,)) == {"earlier", "stranded"}
    assert photos_tried((3,)) == {"stranded"}


def test_a_photo_is_never_planned_softer_than_the_build_allows():
    """A planned height crops a picture to cover its box. A picture the
    theme drew narrower than its column (its height capped, white at its
    sides) keeps the width it was drawn at when cropped shorter, and so its
    sharpness; made taller, it is drawn wider, up to the column, and
    coarser. A 300 px picture (3:2) drawn 189 px tall and 283.5 px wide
    (102 dpi) in a column of 461 px may be cropped, not grown, where the
    build refuses pictures below 100 dpi."""
    from broadsheet.planner.pages import Pages

    units = (Unit(209.0, 0.0, True, 189.0, block=0), *lines(10, block=1))
    narrow = dict(pixels=300, picture_ratio=1.5, photo_width=461.0)
    item = ItemGauge("cat", "story", 60.0, units, photo_id="cat", space=30.0, **narrow)
    shorter = [scale for scale in SCALES if scale < 1]
    assert [scale for scale in SCALES if _sharp(item, scale, 100)] == shorter
    assert all(photo_width(item, scale) == pytest.approx(283.5) for scale in shorter)
    assert photo_width(item, 1.25) == pytest.approx(354.375)
    assert photo_width(item, 2.0) == 461.0  # never wider than its column
    assert all(_sharp(item, scale, 0) for scale in SCALES)  # no floor: any height
    assert all(_sharp(replace(item, pixels=1200), scale, 100) for scale in SCALES)
    # Drawn across the column already (62 dpi), it may be cropped, not grown.
    filling = replace(item, units=(replace(units[0], photo=308.0), *units[1:]))
    assert photo_width(filling, 0.75) == 461.0
    assert [scale for scale in SCALES if _sharp(filling, scale, 100)] == shorter
    pages = Pages([0.5, 0.2], {"cat": 1})
    levers = Levers(order=("cat",))
    found = _candidates(gauges(item), levers, pages, False, frozenset(), False, False, 100)
    scales = [scale for candidate in found for _, scale in candidate.scales]
    assert scales and all(scale < 1 for scale in scales)


def test_the_fewest_pages_are_with_every_photo_at_its_smallest():
    first = story("first", 40, photo=300.0)
    brief = story("brief", 16, whole=True)
    measured = gauges(first, brief, height=1120.0)
    assert plan(measured).fewest_pages == 1
    assert plan(gauges(story("a", 200))).fewest_pages == plan(gauges(story("a", 200))).pages.count


def test_a_story_that_does_not_fit_under_the_masthead_starts_on_page_2():
    """Page 1 already holds the masthead (and perhaps a long contents list):
    a lead whose head and first lines do not fit there goes to page 2."""
    lead = story("lead", 40)
    measured = Gauges((lead,), Frame(850.0, 900.0, 0.0), Frame(0.0, 900.0), 2)
    pages = simulate(measured, ["lead"], scaled_units({}))
    assert pages.starts == {"lead": 2}


def test_pages_of_contents_before_the_first_story_are_counted_and_kept():
    """A long issue's contents list runs on past page 1: the stories start
    on the page the first layout started them on, and every page after it
    is numbered as the engine numbers it."""
    lead, second = story("lead", 40), story("second", 10)
    measured = Gauges((lead, second), Frame(300.0, 900.0, 0.0), Frame(0.0, 900.0), 4, front=2)
    pages = simulate(measured, ["lead", "second"], scaled_units({}))
    assert pages.starts == {"lead": 3, "second": 3}
    assert pages.fills[:2] == [1.0, 1.0]
    assert plan(measured).pages.starts["lead"] == 3


def test_a_page_multiple_prefers_the_multiple_above_to_a_page_short_of_it():
    from broadsheet.planner.pages import Pages
    from broadsheet.planner.search import Levers

    three, four, two = Pages([0.95, 0.95, 0.5]), Pages([0.95] * 3 + [0.4]), Pages([0.95, 0.9])
    assert score(four, None, 2, Levers()) < score(three, None, 2, Levers())
    assert score(two, None, 2, Levers()) < score(four, None, 2, Levers())
    assert score(three, None, None, Levers()) < score(four, None, None, Levers())


def test_the_simulation_finds_a_column_left_mostly_empty():
    tall_photo = [Unit(400.0, 0.0, True, 380.0, block=0), *lines(6, block=1)]
    assert lopsided(tall_photo, 0, 400.0, 2)  # the photo in one column, six lines in the next
    assert not lopsided(lines(40), 0, 20 * LINE, 2)
    assert not lopsided(lines(6), 0, 3 * LINE, 2)  # level, and too short to matter
    item = ItemGauge("s", "story", 60.0, tuple(tall_photo), columns=2)
    pages = simulate(gauges(item), ["s"], scaled_units({}))
    assert pages.lopsided == (1,)  # the page whose photos the search may then change


def test_a_photo_beside_too_little_text_is_moved_and_resized_at_once():
    """Two columns: two lines, a photo 240 px tall with its caption, four
    lines. Wherever the photo stands at its height, and at whatever height
    where it stands, a column is left mostly empty; set first and smaller,
    it stands beside the six lines balanced in the next column."""
    photo = Unit(240.0, 0.0, True, 200.0, block=1, below=12.0)
    units = (*lines(2, orphans=3, block=0), photo, *lines(4, block=2))
    item = ItemGauge("s", "story", 80.0, units, columns=2, photo_id="s", space=30.0)
    measured = gauges(item)

    def lopsided_with(scales: dict, places: dict) -> bool:
        return bool(simulate(measured, ["s"], scaled_units(scales, places)).lopsided)

    assert all(lopsided_with({"s": scale}, {}) for scale in SCALES)
    assert all(lopsided_with({}, {"s": place}) for place in PLACES)
    chosen = plan(measured)
    assert dict(chosen.levers.places) == {"s": 0} and dict(chosen.levers.scales)["s"] < 1
    assert not chosen.pages.lopsided


def test_a_column_left_bare_beside_text_enough_for_it_is_mostly_empty():
    """A photo as tall as all the text beside it: the engine balances the
    columns at the photo's height, sets all eleven lines in the second
    column and makes no box for the third."""
    photo = Unit(230.0, 0.0, True, 190.0, block=0, below=15.0)
    units = [photo, *lines(11, block=1)]
    assert lopsided(units, 0, 230.0, 3)
    assert not lopsided(units, 0, 230.0, 2)  # in two columns, level


def test_a_column_is_as_tall_as_copy_fit_measures_it_with_its_last_margin():
    """Copy-fit measures a column to the foot of its last block's margin: a
    photo 360 px tall with 20 px under it, beside 10 lines (180 px), leaves
    a column mostly empty, though 180 px is half the photo alone."""
    photo = Unit(380.0, 0.0, True, 360.0, block=0, below=20.0)
    assert lopsided([photo, *lines(10, block=1)], 0, 400.0, 2)
    bare = replace(photo, height=360.0, below=0.0)  # alone in a column of 370 px, as above
    assert not lopsided([bare, *lines(10, block=1)], 0, 370.0, 2)


def test_a_body_reaches_its_lowest_line_not_the_height_its_columns_were_balanced_at():
    """The engine may balance columns taller than their lines (it raises
    them a step at a time): 13 lines at 135 px are 7 and 6, the first
    column's last line 126 px down. Copy-fit measures a page to its lowest
    line, and so must the plan."""
    assert reach(lines(13), 0, 135.0, 2) == 7 * LINE
    photo = Unit(380.0, 0.0, True, 360.0, block=0, below=20.0)
    assert reach([photo, *lines(10, block=1)], 0, 400.0, 2) == 360.0  # not its margin
    # Five lines balance at three and a half (63 px), and reach 54 px down.
    item = ItemGauge("short", "story", 60.0, tuple(lines(5)), columns=2, space_at_top=10.0)
    measured = gauges(item)
    pages = simulate(measured, ["short"], scaled_units({}))
    first = measured.first
    ink = first.top + 10.0 + 60.0 + 3 * LINE
    block = first.bottom - first.block_top
    assert pages.fills == [pytest.approx((ink - first.block_top) / block)]


def _figure_story(item_id: str) -> ItemGauge:
    """A one-column story kept whole: a 400 px photo and ten lines, 620 px
    with its head; at 75 % the photo gives back 100 px."""
    units = (Unit(400.0, 0.0, True, 400.0, block=0), *lines(10, block=1))
    return ItemGauge(item_id, "story", 40.0, units, whole=True, space=30.0, photo_id=item_id)


def _box(item_id: str) -> ItemGauge:
    return ItemGauge(item_id, "box", 20.0, tuple(lines(14)), whole=True, space=30.0)


def test_holes_on_pages_of_their_own_are_filled_in_one_round(monkeypatch):
    """Eight pages that each need their photo smaller, for the box after it
    to fit: changes on pages of their own add up, so one round makes them
    all. One change a round would leave most of the pages short."""
    import broadsheet.planner.search as search

    monkeypatch.setattr(search, "ROUNDS", 1)
    items = [part for n in range(8) for part in (_figure_story(f"s{n}"), _box(f"b{n}"))]
    measured = Gauges(tuple(items), Frame(0.0, 900.0), Frame(0.0, 900.0), 1)
    before = simulate(measured, [item.id for item in items], scaled_units({}))
    assert before.count > 8
    chosen = plan(measured)
    assert chosen.pages.count == 8
    assert all(fill >= search.FULL for fill in chosen.pages.fills[:-1])
    assert {item_id for item_id, _ in chosen.levers.scales} == {f"s{n}" for n in range(8)}


def test_a_simulation_started_from_another_ends_as_one_run_from_the_start():
    """The search starts each candidate from the pages of the levers last
    chosen, takes that trace's items as it set them wherever the two runs
    meet between the changed items, its outcome once they meet after the
    last: the outcome must be the one a whole simulation gives, whatever
    the levers, with one photo changed or two far apart, and with an item
    put in (as the rest of a jumped story is)."""
    import random

    from broadsheet.planner.pages import resimulate, trace

    rng = random.Random(7)
    met_between = 0
    for _ in range(60):
        items = []
        for n in range(rng.randint(3, 14)):
            photo = rng.choice([0.0, 150.0, 300.0])
            items.append(story(f"s{n}", rng.randint(4, 60), rng.random() < 0.4, photo))
        extra = story("extra", rng.randint(4, 40), rng.random() < 0.5)
        measured = gauges(*items, extra, height=rng.choice([700.0, 900.0, 1100.0]))
        order = [item.id for item in items]
        photos = [item.id for item in items if item.photo_id]
        base = trace(measured, order, scaled_units({}))
        assert base.pages == simulate(measured, order, scaled_units({}))
        for _ in range(4):
            picked = rng.sample(photos, min(len(photos), rng.choice([1, 2])))
            scales = {item_id: rng.choice([0.75, 0.9, 1.1, 1.25]) for item_id in picked}
            sequence = list(order)
            if rng.random() < 0.3:
                sequence.insert(rng.randint(1, len(order)), "extra")
            changed = {sequence.index(item_id) for item_id in picked}
            if "extra" in sequence:  # the item put in, and the one after it now
                changed |= {sequence.index("extra"), sequence.index("extra") + 1}
            changed = sorted(n for n in changed if n < len(sequence))
            if not changed:
                continue
            again, met = resimulate(base, measured, sequence, scaled_units(scales), changed)
            whole = simulate(measured, sequence, scaled_units(scales))
            assert again.starts == whole.starts
            assert again.stranded == whole.stranded and again.lopsided == whole.lopsided
            assert again.fills == pytest.approx(whole.fills)
            assert again.tops == pytest.approx(whole.tops)
            assert changed[0] < met <= len(sequence)
            met_between += len(changed) > 1 and met > changed[-1]
    assert met_between  # the runs met between changes, and the test saw it


def test_columns_found_by_bisection_are_those_poured_line_by_line():
    """The column model bisects on the heights of its units: it must end
    each column where pouring unit by unit would."""
    import random

    from broadsheet.planner.columns import EPSILON, Stream

    def poured(units, start, height):
        used, last_break = 0.0, (start, 0.0)
        for index in range(start, len(units)):
            unit = units[index]
            gap = unit.gap if index > start else 0.0
            if index > start and unit.breakable:
                last_break = (index, used)
            if used + gap + unit.height > height + EPSILON:
                return (index, used) if unit.breakable and index > start else last_break
            used += gap + unit.height
        return len(units), used

    rng = random.Random(3)
    for _ in range(3000):
        units = [
            Unit(
                rng.choice([18.0, 22.5, rng.uniform(5, 400)]),
                rng.choice([0.0, 6.0]),
                rng.random() < 0.6,
            )
            for _ in range(rng.randint(1, 30))
        ]
        start, height = rng.randrange(len(units)), rng.uniform(0, 600)
        end, used = Stream(units).column(start, height)
        expected = poured(units, start, height)
        assert end == expected[0] and used == pytest.approx(expected[1])


def test_a_head_over_its_photo_alone_at_a_page_foot_is_stranded():
    """Copy-fit reports a head with none of its story's lines under it; a
    photo that fits under the head while the first line does not is that."""
    photo = Unit(200.0, 0.0, False, 180.0, block=0)
    pages = _after_a_story(photo, *lines(20, block=1))
    assert pages.starts["pictured"] == 1
    assert pages.stranded == (1,)


def _after_a_story(*units: Unit, columns: int = 1):
    """A story of `units` with its photo, simulated after one that ends
    306 px above the foot of page 1."""
    item = ItemGauge(
        "pictured",
        "story",
        head=60.0,
        units=units,
        columns=columns,
        space=30.0,
        space_at_top=10.0,
        photo_id="pictured",
    )
    measured = gauges(story("before", 36), item, height=900.0)
    return simulate(measured, ["before", "pictured"], scaled_units({}))


@pytest.mark.parametrize(("after", "pushed"), [(0, 1), (6, 0)])
def test_a_photo_set_on_a_page_without_its_storys_text_is_pushed_away(after, pushed):
    """A story in columns whose text ends at the foot of page 1 and whose
    photo, after it, does not fit there: the photo opens page 2 alone, which
    copy-fit reports as pushed away from its story; with lines of the story
    after it on page 2, it is only set on the next page."""
    photo = Unit(250.0, 4.0, True, 230.0, block=1)
    pages = _after_a_story(*lines(16, block=0), photo, *lines(after, block=2), columns=2)
    assert pages.starts["pictured"] == 1 and pages.count == 2
    assert pages.pushed == pushed and not pages.stranded


def test_a_photo_that_ends_its_story_outside_columns_takes_its_last_lines_along():
    """Outside columns the theme never lets a photo after the last of its
    story's text start a page alone (`figure.photo.closing`): the page
    breaks before the paragraph's last lines, as many as its widows, and
    they go on with the photo, which is not pushed away from its story."""
    photo = Unit(250.0, 4.0, True, 230.0, block=1)
    pages = _after_a_story(*lines(8, block=0), photo)
    assert pages.starts["pictured"] == 1 and pages.count == 2
    assert pages.pushed == 0 and not pages.stranded
    assert pages.fills[1] == pytest.approx((2 * LINE + 4.0 + 250.0) / 900.0)


def test_only_a_photo_after_the_last_of_its_storys_text_is_kept_with_it():
    """Wherever a plan moves a photo: after the last text, no break before
    it; with text after it, or first in the body, as it was."""
    photo = Unit(250.0, 4.0, True, 230.0)
    text = lines(4, block=0)
    assert not photo_kept_with_text((*text, photo))[-1].breakable
    assert photo_kept_with_text((*text, photo, *lines(2, block=1)))[4].breakable
    assert photo_kept_with_text((photo, *text)) == (photo, *text)


@pytest.mark.parametrize(("first_lines", "stranded"), [(2, (1,)), (3, ())])
def test_a_head_over_fewer_lines_than_it_keeps_at_a_page_foot_is_stranded(first_lines, stranded):
    """A head keeps three lines under it, but a first paragraph of two is
    all the engine can keep with it when the next one's orphans do not fit
    under them: copy-fit reports that head as left at the foot, and so
    must the plan."""
    room = first_lines * LINE + 4.0  # under the head, at the foot of page 1
    item = ItemGauge(
        "short-start",
        "story",
        head=306.0 - 30.0 - room,
        units=(*lines(first_lines, orphans=3, block=0), *lines(12, block=1)),
        space=30.0,
        space_at_top=10.0,
    )
    before = story("before", 36)  # ends 306 px above the foot of page 1
    measured = gauges(before, item, height=900.0)
    pages = simulate(measured, ["before", "short-start"], scaled_units({}))
    assert pages.starts["short-start"] == 1
    assert pages.stranded == stranded


def test_a_first_paragraph_kept_with_the_next_sends_a_head_over_two_lines_on():
    """Corpus case 257: outside columns the theme keeps the second
    paragraph's first lines with a first of two (`p.first + p`), so the
    engine sends the head on rather than strand it, and so must the plan."""
    room = 2 * LINE + 4.0  # under the head, at the foot of page 1
    item = ItemGauge(
        "short-start",
        "story",
        head=306.0 - 30.0 - room,
        units=(*lines(2, orphans=3, block=0), *lines(12, block=1)),
        space=30.0,
        space_at_top=10.0,
        first_keeps=True,
    )
    measured = gauges(story("before", 36), item, height=900.0)
    pages = simulate(measured, ["before", "short-start"], scaled_units({}))
    assert pages.starts["short-start"] == 2
    assert pages.stranded == ()


def test_the_first_paragraph_keeps_the_next_only_where_they_meet():
    """Wherever a plan sets the photo or pull quote: between the two
    paragraphs, a break before the second; taken away, none."""
    photo = Unit(250.0, 4.0, True, 230.0)
    first, second = lines(3, orphans=3, block=0), lines(4, block=1)
    kept = first_paragraph_kept((*first, *second))
    assert not kept[3].breakable and kept[4:] == tuple(second[1:])
    measured_together = [replace(second[0], breakable=False), *second[1:]]
    apart = first_paragraph_kept((*first, photo, *measured_together))
    assert apart[4].breakable
    assert first_paragraph_kept((photo, *first, *second))[4].breakable is False
    assert first_paragraph_kept(tuple(first)) == tuple(first)


def test_a_lead_whose_first_lines_do_not_fit_under_the_masthead_starts_page_2_under_a_cover():
    """Page 1 then holds the masthead and the contents alone, which copy-fit
    spreads over it (engine/copyfit.py): a full page, and a change the plan
    makes, since the engine would leave the head alone at the foot."""
    lead = ItemGauge("lead", "story", head=120.0, units=tuple(lines(30)), space=0.0)
    on_page_1 = {"lead": 1}
    masthead = Frame(760.0, 900.0, 0.0)  # 140 px under the masthead: the head and one line
    measured = Gauges((lead,), masthead, Frame(0.0, 900.0), 2, on_page_1, cover_gaps=5)
    pages = simulate(measured, ["lead"], scaled_units({}))
    assert pages.starts == {"lead": 2}
    assert pages.fills[0] == 1.0
    assert covered(measured, pages) == "lead"
    # A contents list short enough to stand beside the lead goes with it:
    # page 1 would hold the masthead alone, as empty as it looks.
    beside = simulate(replace(measured, cover_gaps=0), ["lead"], scaled_units({}))
    assert beside.fills[0] == pytest.approx(760.0 / 900.0)
    # Where its lines fit, it stays; and where the engine itself set it on
    # page 2 (a contents list that runs on), page 1 is no change of the plan's.
    roomy = replace(measured, first=Frame(600.0, 900.0, 0.0))
    assert simulate(roomy, ["lead"], scaled_units({})).starts == {"lead": 1}
    assert covered(replace(measured, item_pages={"lead": 2}), pages) is None


def test_a_page_is_as_full_as_its_lowest_line_not_the_white_under_its_last_story():
    """Copy-fit measures a page to its lowest line (engine/measure.py): the
    space under a story's body (its tail), and a box's padding at the foot,
    fill nothing. A story that runs on to the next page fills its page to
    its columns' foot."""
    bare = story("one", 10)
    ink = simulate(gauges(bare), ["one"], scaled_units({})).fills[0]
    assert ink * 700.0 > bare.head  # page 1's text block: 200 to 900 px
    for tailed in (replace(bare, tail=40.0), replace(bare, tail=40.0, foot=12.0)):
        assert simulate(gauges(tailed), ["one"], scaled_units({})).fills[0] == ink
    long = replace(story("long", 120), tail=40.0)
    pages = simulate(gauges(long), ["long"], scaled_units({}))
    assert pages.count == 2 and pages.fills[0] == pytest.approx(1.0, abs=LINE / 700.0)


def test_a_short_last_page_is_no_fault_but_the_search_looks_for_a_page_to_save():
    from broadsheet.planner.pages import Pages
    from broadsheet.planner.search import Levers

    assert score(Pages([0.95, 0.2]), None, None, Levers())[1] == 0
    assert score(Pages([0.95, 0.2]), None, None, Levers()) > score(
        Pages([0.95, 0.5]), None, None, Levers()
    )
    # Page 1 full enough, and a last page of a few lines, no finding: the
    # search still looks for the page to save, and finds it by setting the
    # photo at the top of its story.
    first, second = story("first", 32, photo=250.0), story("second", 10)
    measured = gauges(first, second)
    before = simulate(measured, ["first", "second"], scaled_units({}))
    assert before.count == 2 and before.fills[0] >= 0.9 and 0.15 < before.fills[-1] < 0.3
    chosen = plan(measured)
    assert chosen.pages.count == 1


def test_a_column_a_paragraph_runs_down_is_as_tall_as_the_page_lets_it_be():
    """At a page's foot a paragraph cut at the first column's foot is
    stretched down to it, and copy-fit measures the column to there: the
    second, its last two lines (the photo after them does not fit), is
    mostly empty beside it, though the first column's lines alone are
    short of a tall column."""
    units = [*lines(9), Unit(270.0, 0.0, True, 250.0, block=1), *lines(4, block=2)]
    room = 160.0  # above copy-fit's tall column (40 mm), and 8 lines: 7 stay, for the widows
    assert fill(units, 0, room, 2) == (9, 7 * LINE)
    assert lopsided(units, 0, room, 2)


def test_the_plans_with_and_without_the_tighter_spacing_share_only_what_they_have_in_common():
    """`plan` makes the plan without the tighter spacing and the plan with
    it on one store of simulations: each must come out as it does alone,
    and the better of the two be kept (the one without, on a tie)."""
    import random

    from broadsheet.planner.search import _Known, _plan

    rng = random.Random(11)
    compared = tightened = 0
    for _ in range(12):
        items = [
            story(f"s{n}", rng.randint(6, 70), rng.random() < 0.3, rng.choice([0.0, 200.0, 320.0]))
            for n in range(rng.randint(4, 10))
        ]
        height = rng.choice([700.0, 900.0])
        measured = gauges(*items, height=height)
        tight = gauges(*(replace(i, space=18.0, head=52.0) for i in items), height=height)
        shared = plan(measured, tight=tight)
        alone = [
            _plan(measured, None, None, False, frozenset(), spacing, 0, _Known())
            for spacing in (None, tight)
        ]
        if alone[0].measured.count > 1:
            expected = min(alone, key=lambda found: found.score)
            compared += 1
        else:
            expected = alone[0]
        assert (shared.levers, shared.score) == (expected.levers, expected.score)
        assert shared.pages.starts == expected.pages.starts
        assert shared.pages.fills == expected.pages.fills
        tightened += shared.levers.tight
    assert compared and tightened  # both plans were made, and the tighter spacing was chosen


def test_a_story_cut_by_a_jump_line_is_also_tried_with_its_photo_ahead_of_its_text():
    """Cut after a block, a story whose photo follows its text would end
    its first part with the photo, which a page foot pushes on alone: each
    cut is also tried with the photo first. A story whose photo already
    comes first is cut as it is."""
    after_text = story("after-text", 30, photo=150.0)  # the photo after its first half
    photo_first = replace(
        after_text,
        id="photo-first",
        photo_id="photo-first",
        units=(after_text.units[15], *after_text.units[:15], *after_text.units[16:]),
    )
    measured = gauges(story("lead", 40), after_text, photo_first, story("last", 60))
    start = Levers((), tuple(item.id for item in measured.items))
    pages = simulate(measured, start.order, scaled_units({}))
    candidates = list(_jumps(measured, start, pages, set(range(1, pages.count + 1))))
    for item in (after_text, photo_first):
        cut = [c for c in candidates if dict(c.jumps).get(item.id)]
        assert cut, item.id
        moved = [c for c in cut if dict(c.places).get(item.id) == 0]
        if item is after_text:
            assert {dict(c.jumps)[item.id] for c in moved} == {dict(c.jumps)[item.id] for c in cut}
        else:
            assert not moved


def test_two_changes_at_once_mend_a_page_where_no_one_change_helps(monkeypatch):
    """A photo leaves a column of page 1 mostly empty beside too little of
    its story's text. Set after more of the text, the photo leaves less
    room for what follows, and taller it takes more: neither helps alone,
    so the rounds stop there. Tried together (`_Search.paired`), the two
    changes mend the column on as many pages."""
    measured = gauges(
        story("s0", 39), story("s1", 28, photo=150.0), story("s2", 44), story("s3", 24, photo=220.0)
    )
    monkeypatch.setattr(search_module, "PAIRS", 0)
    alone = plan(measured)
    assert alone.score[:2] == (3, 2) and alone.pages.lopsided == (1,)
    monkeypatch.undo()
    paired = plan(measured)
    assert paired.score[:2] == (3, 0) and paired.pages.lopsided == ()
    assert dict(paired.levers.places) == {"s1": 2} and "s1" in dict(paired.levers.scales)


def test_a_photo_moved_off_the_top_of_a_body_outside_columns_leaves_the_heads_margin_whole():
    """Corpus case 284: outside columns a photo measured first in its body
    took its top margin out of the head's bottom margin (the two collapse
    into the larger), and holds it in its own height. Moved after the text,
    the first line stands under the head's whole margin."""
    photo = Unit(200.0, 0.0, True, 180.0, above=5.67, below=11.34)
    item = ItemGauge(
        "s",
        "story",
        head=50.0,
        units=(photo, *lines(4, block=0)),
        photo_id="s",
        head_below=9.45,
        head_margin=photo.under_head(9.45),
    )
    assert item.head_margin == pytest.approx(9.45 - 5.67)
    moved = scaled_units({}, {"s": 1}).units(item).units
    assert moved[0].orphans and moved[0].height == pytest.approx(LINE + 5.67)
    assert scaled_units({}).units(item).units[0] == photo  # as measured: as it was


def test_outside_columns_only_a_body_going_on_after_its_first_block_holds_that_ones_margin():
    """Outside columns the margin inside a block's height runs into the
    page's foot, except that of the body's first block when more of the
    body follows (the engine sends a photo heading a brief on with its
    head, its margin not fitting: corpus case 284)."""
    photo = Unit(200.0, 0.0, True, 180.0, above=5.67, below=11.34)
    assert Stream((photo, *lines(4)), columned=False).fitting(0, 195.0) == 0
    assert Stream((photo,), columned=False).fitting(0, 195.0) == 1
    after_text = Stream((*lines(2), photo, *lines(2)), columned=False)
    assert after_text.fitting(0, 2 * LINE + 195.0) == 3


def _photo_story(item_id: str, head: float = 60.0) -> ItemGauge:
    """A story outside columns: four lines, its photo (150 px tall), and
    nothing after it."""
    units = (*lines(4), Unit(170.0, 4.0, True, 150.0, block=1))
    return ItemGauge(
        item_id, "story", head=head, units=units, space=30.0, space_at_top=10.0, photo_id=item_id
    )


def test_a_page_saved_only_by_every_photo_made_smaller_together_is_found():
    """Corpus case 246: three photos on a page a little over full. Each made
    smaller alone, or two together, leaves the last lines on a page of their
    own, emptier than before, so no one or two changes help; all three at
    once save the page. The search starts from every photo at its smallest
    too, where that saves a page, and grows them back where there is room."""
    lead = ItemGauge("lead", "story", head=60.0, units=tuple(lines(35)), space=0.0)
    stories = [_photo_story("b", head=64.0), _photo_story("c"), _photo_story("d")]
    measured = gauges(lead, *stories, height=900.0)
    as_written = simulate(measured, ["lead", "b", "c", "d"], scaled_units({}))
    assert as_written.count == 3
    chosen = plan(measured)
    assert chosen.pages.count == 2
    assert all(dict(chosen.levers.scales).get(item.id, 1.0) < 1.0 for item in stories)
