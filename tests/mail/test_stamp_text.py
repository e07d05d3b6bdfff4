"""A stamp's line in visual order, with the theme's real fonts: the direction
runs of a right-to-left line read from the right, each face drawing what it has."""

from __future__ import annotations

from broadsheet.mail.stamp_font import Coverage, StampFont
from broadsheet.mail.stamp_text import faces_of, shape
from broadsheet.theme import Theme

FAMILIES = ("Modern Inter", "Modern Arabic", "Modern Hebrew")


def glyphs_of(text: str, right_to_left: bool, tmp_path):
    coverage = Coverage(Theme("modern", tmp_path), FAMILIES, 400, False)
    faces = faces_of(text, coverage)
    used = {}
    for character, face in zip(text, faces, strict=True):
        used.setdefault(face, set()).add(character)
    fonts = {face: StampFont(coverage.faces[face], "".join(sorted(c))) for face, c in used.items()}
    return shape(text, right_to_left, faces, fonts), coverage


def test_a_right_to_left_line_reads_from_the_right_with_its_digits_left_to_right(tmp_path):
    glyphs, _ = glyphs_of("عضو 42", True, tmp_path)
    # Left to right on the page: the number first, in its own order, then the word reversed.
    assert [g.text for g in glyphs] == ["4", "2", " ", "و", "ض", "ع"]


def test_a_left_to_right_line_keeps_a_right_to_left_name_in_its_order(tmp_path):
    glyphs, _ = glyphs_of("for دن, 9", False, tmp_path)
    assert [g.text for g in glyphs] == ["f", "o", "r", " ", "ن", "د", ",", " ", "9"]


def test_each_character_is_drawn_by_the_first_face_that_has_it(tmp_path):
    glyphs, coverage = glyphs_of("سارا · (x)", True, tmp_path)
    by_text = {g.text: coverage.faces[g.font].family for g in glyphs if g.text.strip()}
    assert by_text["س"] == "Modern Arabic"
    assert by_text["·"] == "Modern Inter" and by_text["x"] == "Modern Inter"
    assert coverage.missing("山") == "山" and coverage.missing("a\u200cb ") == ""
