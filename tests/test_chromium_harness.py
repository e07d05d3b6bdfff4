"""The browser checks catch what they are for, on pages made to fail them."""

from __future__ import annotations


def page(tmp_path, body: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>t</title></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def test_a_plain_page_passes(browser, tmp_path):
    look = browser.look(page(tmp_path, '<p id="a">Hello</p><a href="#a">to a</a>'), 390)
    assert look.problems() == []
    assert look.facts["lang"] == "en"


def test_each_problem_is_found(browser, tmp_path):
    body = (
        '<div style="width:800px">wide</div>'
        '<img src="missing.png" alt="gone">'
        '<a href="#nowhere">x</a>'
        '<p style="position:absolute;top:100px;left:10px">first words</p>'
        '<p style="position:absolute;top:100px;left:10px">second words</p>'
    )
    problems = browser.look(page(tmp_path, body), 390).problems()
    assert any("scrolls sideways" in p for p in problems)
    assert any("picture not loaded: missing.png" in p for p in problems)
    assert any("#nowhere" in p for p in problems)
    assert any("text over text" in p for p in problems)


def test_nothing_is_fetched_from_outside(browser, tmp_path):
    look = browser.look(page(tmp_path, '<img src="http://example.com/a.png" alt="a">'), 600)
    assert look.broken_pictures == ["http://example.com/a.png"]
