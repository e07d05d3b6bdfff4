"""The page planner's jump line on real copy: November in the modern theme on
Letter paper has a brief ('Dome appeal passes £40,000') that does not fit
the foot of page 2. Kept whole, it left 64 mm empty there; the planner cuts
it with a jump line instead, and the numbers and links of both lines are
the engine's own."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from broadsheet.cli.main import main
from pdfcheck import Built

REPO = Path(__file__).resolve().parents[2]


def test_a_brief_that_leaves_a_hole_is_cut_by_a_jump_line(tmp_path):
    shutil.copytree(REPO / "issues", tmp_path / "issues")
    with (tmp_path / "issues" / "newsletter.yaml").open("a", encoding="utf-8") as f:
        f.write("theme: modern\npage_size: Letter\n")
    out = tmp_path / "2026-11.pdf"
    issue = str(tmp_path / "issues" / "2026-11.yaml")
    err = io.StringIO()
    command = ["build", "--strict", issue, "-o", str(out), "--root", str(tmp_path)]
    code = main(command, stdout=io.StringIO(), stderr=err, environ={})
    assert code == 0, err.getvalue()
    assert "planned: 'Dome appeal passes £40,000' continued on page 3" in err.getvalue()

    built = Built.open(out)
    texts = [" ".join(text.split()) for text in built.texts]
    on = [i for i, text in enumerate(texts) if re.search(r"continued on page\s*3", text, re.I)]
    back = [i for i, text in enumerate(texts) if re.search(r"continued from page\s*2", text, re.I)]
    assert (on, back) == ([1], [2])
    dests = built.destinations()
    assert dests["dome-appeal-update"] == 1
    assert dests["dome-appeal-update-continued"] == 2
    assert "dome-appeal-update-continued" in built.internal_links(1)
    assert "dome-appeal-update" in built.internal_links(2)
