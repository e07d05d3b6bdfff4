"""Plans kept by what they were planned from (engine/plans.py), on real
builds: a rebuild of an unchanged issue takes the plan kept under
build/.cache/plans and writes the very bytes a build that plans afresh
writes; a kept plan is read, and one changed by hand is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from broadsheet import pipeline
from broadsheet.engine import Session
from broadsheet.engine.plans import PLAN_CACHE
from tests.corpus.generate import case, write_project

PLANNED = 1  # corpus case 01: a feature issue whose plan moves photos and spacing
RIVAL = 323  # a plan that leaves a pull quote out, weighed against a rival that does not


def build(root: Path, issue: Path) -> tuple[bytes, list[str]]:
    """The PDF of `issue` built in a fresh session, and what the build said."""
    said: list[str] = []
    out = root / "build" / "out.pdf"
    pipeline.build(pipeline.Job(issue, out), pipeline.Settings(root), Session(), said.append)
    return out.read_bytes(), said


def kept_plans(root: Path) -> list[Path]:
    return sorted((root / PLAN_CACHE).glob("*.json"))


def planned(said: list[str]) -> list[str]:
    """What the build said it planned (the copy-fit line's changes)."""
    return [line for line in said if line.startswith("plan: ") and not line.endswith(" s")]


@pytest.mark.parametrize("index", [PLANNED, RIVAL])
def test_a_kept_plan_writes_the_bytes_a_fresh_plan_writes(index, tmp_path):
    (issue,) = write_project([case(index)], tmp_path).values()
    first, said = build(tmp_path, issue)
    assert planned(said), "the case should need a plan"
    assert len(kept_plans(tmp_path)) == 1
    kept, said_again = build(tmp_path, issue)  # the plan read from its file
    assert kept == first and planned(said_again) == planned(said)
    shutil.rmtree(tmp_path / PLAN_CACHE)
    fresh, _ = build(tmp_path, issue)
    assert fresh == first


def test_a_kept_plan_is_read_and_one_changed_by_hand_is_refused(tmp_path):
    """Levers written into the kept file are the plan a rebuild sets: the
    file is read, not planned over. A file whose levers are not what the
    planner writes (a scale as text, a lever that names no story) is
    planned afresh, into the bytes a first build writes."""
    (issue,) = write_project([case(PLANNED)], tmp_path).values()
    first, said_first = build(tmp_path, issue)
    (path,) = kept_plans(tmp_path)
    found = json.loads(path.read_text(encoding="utf-8"))
    assert found["levers"]["scales"] or found["levers"]["places"] or found["levers"]["tight"]

    unchanged = {**found["levers"], "scales": [], "places": [], "tight": False}
    unchanged |= {"jumps": [], "quotes": [], "spans": [], "quote_places": []}
    path.write_text(json.dumps({**found, "levers": unchanged}), encoding="utf-8")
    _, said = build(tmp_path, issue)
    assert not planned(said)  # the levers read: nothing changed, nothing to lay out again

    refused = [
        {**found, "levers": {**found["levers"], "scales": [["x", "0.8"]]}},
        {**found, "levers": {**found["levers"], "scales": [["no-such-story", 0.8]]}},
        {**found, "levers": {**found["levers"], "scales": [[found["levers"]["order"][0], 0.1]]}},
        {**found, "levers": {**found["levers"], "order": found["levers"]["order"][1:]}},
        {**found, "fewest": "3"},
        {"levers": found["levers"]},
    ]
    for kept in refused:
        path.write_text(json.dumps(kept), encoding="utf-8")
        again, said_again = build(tmp_path, issue)
        assert again == first and planned(said_again) == planned(said_first), kept
