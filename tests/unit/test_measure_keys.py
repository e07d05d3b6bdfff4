"""The keys measures are kept under, and the store that keeps them: what
changes a key and what does not, and files that cannot be trusted."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import asdict, replace

from broadsheet.engine.measurement import Store, frames_of, keys
from broadsheet.html.rendered import Item, Rendered
from broadsheet.planner.gauges import Frame, Gauges, ItemGauge, Unit

STORY = '<article class="{kind}" data-item="{id}"><h2>{title}</h2><p>{text}</p></article>'


def issue_html(*stories, contents="One, Two, Three", second="story") -> Rendered:
    """An issue's HTML: a header, then a story per (id, title, text); the
    second story's class is `second`."""
    kinds = {"two": second}
    body = "".join(
        STORY.format(kind=kinds.get(i, "story"), id=i, title=t, text=x) for i, t, x in stories
    )
    html = f"<html><body><header><h1>Gazette</h1><nav>{contents}</nav></header>{body}</body></html>"
    items = {i: Item("story", f"h-{i}") for i, _, _ in stories}
    return Rendered(html, "file:///project/", [], items=items)


THREE = (("one", "One", "Lead text."), ("two", "Two", "Second."), ("three", "Three", "Third."))


def test_a_story_edited_changes_its_own_key_and_no_other():
    before = keys(issue_html(*THREE), "styles")
    edited = keys(issue_html(THREE[0], ("two", "Two", "Second, longer."), THREE[2]), "styles")
    assert edited.items["two"] != before.items["two"]
    assert edited.items["one"] == before.items["one"]
    assert edited.items["three"] == before.items["three"]
    assert edited.frames == before.frames


def test_the_lead_and_the_frames_change_with_the_lead_or_the_contents():
    before = keys(issue_html(*THREE), "styles")
    lead_edited = keys(issue_html(("one", "One", "Lead text, edited."), *THREE[1:]), "styles")
    assert lead_edited.frames != before.frames
    assert lead_edited.items["one"] != before.items["one"]
    assert lead_edited.items["two"] == before.items["two"]
    contents = keys(issue_html(*THREE, contents="One, Two, Three, Four"), "styles")
    assert contents.frames != before.frames and contents.items["one"] != before.items["one"]
    assert contents.items["three"] == before.items["three"]


def test_what_a_selector_sees_around_a_story_is_in_its_key():
    """`article.story + article.story` and `:last-child`: the element before
    it, and whether it is the last of its parent."""
    before = keys(issue_html(*THREE), "styles")
    neighbour = keys(issue_html(*THREE, second="story brief"), "styles")
    assert neighbour.items["three"] != before.items["three"]  # the one before it changed
    assert neighbour.items["two"] != before.items["two"]  # its own markup changed
    shorter = keys(issue_html(*THREE[:2]), "styles")
    assert shorter.items["two"] != before.items["two"]  # now the last of its parent
    assert shorter.frames != before.frames  # page 1 holds what follows the lead


def test_other_stylesheets_change_every_key():
    before = keys(issue_html(*THREE), "styles")
    other = keys(issue_html(*THREE), "other styles")
    assert not set(other.items.values()) & set(before.items.values())
    assert other.frames != before.frames


def gauges_of(*ids: str) -> Gauges:
    items = tuple(
        ItemGauge(
            id=i,
            role="story",
            head=40.5,
            units=(Unit(18.0, orphans=2), Unit(120.25, gap=6.0, photo=100.0, caption_lines=1)),
            columns=2,
            width=300.0,
            photo_id=i,
            jump=Unit(14.0) if i == "two" else None,
        )
        for i in ids
    )
    first, page = Frame(300.0, 1000.0, 80.0), Frame(80.0, 1000.0)
    return Gauges(items, first, page, 3, {ids[0]: 1}, 0, item_tops={ids[0]: 300.0})


def test_measures_kept_on_disk_read_back_as_they_were(tmp_path):
    found = keys(issue_html(*THREE), "styles")
    normal = gauges_of("one", "two", "three")
    tight = replace(normal, items=tuple(replace(i, head=30.0) for i in normal.items))
    Store(OrderedDict(), tmp_path).keep(found, normal, tight)
    known = Store(OrderedDict(), tmp_path).known(found)  # a new process: from the files
    assert known.frames == frames_of(normal)
    assert known.missing(found) == []
    kept_normal, kept_tight = known.gauges(found)
    assert (kept_normal.items, kept_tight.items) == (normal.items, tight.items)
    assert (kept_normal.first, kept_normal.page) == (normal.first, normal.page)
    assert kept_normal.item_pages == {"one": 1}  # where the lead starts: the cover asks


def test_a_kept_file_changed_by_hand_or_leading_out_of_the_project_is_not_read(tmp_path):
    root, outside = tmp_path / "project", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    found = keys(issue_html(*THREE), "styles")
    normal = gauges_of("one", "two", "three")
    Store(OrderedDict(), root).keep(found, normal, normal)
    folder = root / "build" / ".cache" / "measures"
    two = folder / f"{found.items['two']}.json"
    kept = json.loads(two.read_text())
    kept["normal"]["units"][0]["height"] = "tall"
    two.write_text(json.dumps(kept))
    three = folder / f"{found.items['three']}.json"
    (outside / "three.json").write_text(three.read_text())
    three.unlink()
    three.symlink_to(outside / "three.json")
    (folder / f"{found.frames}.json").write_text("{not json")
    known = Store(OrderedDict(), root).known(found)
    assert known.missing(found) == ["two", "three"]
    assert known.frames is None
    frames = asdict(frames_of(normal))
    (folder / f"{found.frames}.json").write_text(json.dumps({**frames, "item_pages": {"one": "1"}}))
    assert Store(OrderedDict(), root).known(found).frames is None
    (folder / f"{found.frames}.json").write_text(json.dumps(frames))
    assert Store(OrderedDict(), root).known(found).frames == frames_of(normal)


def test_a_store_that_cannot_write_still_keeps_its_measures_for_the_session(tmp_path):
    (tmp_path / "build").write_text("a file where the build folder would be")
    found = keys(issue_html(*THREE), "styles")
    normal = gauges_of("one", "two", "three")
    memory: OrderedDict = OrderedDict()
    Store(memory, tmp_path).keep(found, normal, normal)
    assert Store(memory, tmp_path).known(found).gauges(found)[0].items == normal.items
    assert Store(OrderedDict(), tmp_path).known(found).frames is None
