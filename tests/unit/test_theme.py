"""Where a theme's stylesheets come from: the shared base first, then the
theme's own look, each file from the project when it has one."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.errors import ContentError
from broadsheet.theme import BASE, BUNDLED, Theme, available

BUNDLED_THEMES = ("bulletin", "classic", "modern")


def names(paths: list[Path]) -> list[str]:
    return [f"{path.parent.name}/{path.name}" for path in paths]


@pytest.mark.parametrize("name", BUNDLED_THEMES)
def test_the_base_comes_first_then_the_theme_each_in_name_order(tmp_path, name):
    found = names(Theme(name, tmp_path).stylesheets())
    base = sorted(f"{BASE}/{p.name}" for p in (BUNDLED / "styles" / BASE).glob("*.css"))
    own = sorted(f"{name}/{p.name}" for p in (BUNDLED / "styles" / name).glob("*.css"))
    assert base and own
    assert found == base + own


def test_a_project_file_replaces_the_bundled_base_file_of_that_name(tmp_path):
    bundled = sorted((BUNDLED / "styles" / BASE).glob("*.css"))
    mine = tmp_path / "styles" / BASE / bundled[0].name
    mine.parent.mkdir(parents=True)
    mine.write_text("h2.headline { bookmark-level: none; }\n")
    found = Theme("classic", tmp_path).stylesheets()
    assert found[0] == mine
    assert found[1 : len(bundled)] == bundled[1:]
    assert all(path.is_relative_to(BUNDLED) for path in found[1:])


def test_a_project_base_file_of_a_new_name_is_added_to_the_base_layer(tmp_path):
    mine = tmp_path / "styles" / BASE / "99-house.css"
    mine.parent.mkdir(parents=True)
    mine.write_text("p { color: black; }\n")
    found = Theme("modern", tmp_path).stylesheets()
    base = len(list((BUNDLED / "styles" / BASE).glob("*.css")))
    assert found[base] == mine  # after the bundled base, before every file of the theme
    assert found[base + 1].parent.name == "modern"


def test_a_base_file_that_leads_out_of_the_project_is_a_located_error(tmp_path):
    outside = tmp_path / "elsewhere.css"
    outside.write_text("p { color: red; }\n")
    root = tmp_path / "project"
    link = root / "styles" / BASE / "35-text.css"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    with pytest.raises(ContentError) as raised:
        Theme("classic", root).stylesheets()
    (problem,) = raised.value.diagnostics
    assert problem.span.path == link
    assert "outside the project folder" in problem.message


def test_the_base_is_not_a_theme_to_pick(tmp_path):
    (tmp_path / "styles" / BASE).mkdir(parents=True)
    (tmp_path / "styles" / BASE / "99-house.css").write_text("p { color: black; }\n")
    (tmp_path / "styles" / "harbour").mkdir()
    (tmp_path / "styles" / "harbour" / "10-page.css").write_text("p { color: navy; }\n")
    assert available(tmp_path) == sorted([*BUNDLED_THEMES, "harbour"])


def test_find_style_looks_in_the_theme_not_the_base(tmp_path):
    assert Theme("bulletin", tmp_path).find_style("00-fonts.css").parent.name == "bulletin"
    with pytest.raises(FileNotFoundError):
        Theme("bulletin", tmp_path).find_style("20-front.css")  # a base file only
