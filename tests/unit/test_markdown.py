"""Stage 3's Markdown: raw HTML off, typographic quotes, tables, footnotes, live schemes."""

from __future__ import annotations

from broadsheet.content.bodies import image_refs, is_live_link, render_blocks, render_inline


def html(text: str, lang: str = "en", doc_id: str = "story") -> str:
    return "".join(render_blocks(text, lang, doc_id, lambda src: f"file:///project/{src}"))


def test_raw_html_is_shown_as_text():
    out = html(
        '<script>alert(1)</script> <link rel="attachment" href="/etc/hostname">\n\n'
        "<img src=x onerror=alert(1)>"
    )
    assert "<script>" not in out and "<link" not in out and "<img src=x" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_only_http_https_and_mailto_links_are_live():
    out = html(
        "[a](https://x.example) [b](http://x.example) [c](mailto:a@x.example) "
        "[d](javascript:alert(1)) [e](data:text/html,x) [f](file:///etc/passwd) [g](rel.html)"
    )
    assert out.count("<a ") == 3
    assert '<a href="https://x.example">a</a>' in out
    assert '<a href="mailto:a@x.example">c</a>' in out
    for text in "defg":
        assert f" {text}" in out or f">{text}" not in out


def test_typographic_quotes_follow_the_language():
    assert render_inline('"Hello" -- it\'s', "en") == "“Hello” – it’s"
    assert render_inline('"Hallo"', "de") == "„Hallo“"
    assert render_inline('"Salut"', "fr") == "«\u00a0Salut\u00a0»"  # no-break inside


def test_numbers_keep_their_units():
    assert render_inline("at 8 am, 1,300 light years", "en") == (
        "at 8\u00a0am, 1,300\u00a0light years"
    )


def test_titles_are_text_not_markdown():
    assert render_inline("5 * 3 *is* <b>", "en") == "5 * 3 *is* &lt;b&gt;"


def test_tables_and_footnotes():
    out = html("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^n].\n\n[^n]: A note.", doc_id="budget")
    assert "<table>" in out and "<td>1</td>" in out
    assert 'href="#fn_budget_1"' in out and 'id="fn_budget_1"' in out
    assert "footnote-backref" not in out


def test_footnote_ids_differ_between_articles():
    first = html("A[^1].\n\n[^1]: x", doc_id="one")
    second = html("B[^1].\n\n[^1]: y", doc_id="two")
    assert 'id="fn_one_1"' in first and 'id="fn_two_1"' in second


def test_blocks_are_split_at_the_top_level():
    blocks = render_blocks("One.\n\n- a\n- b\n\nTwo.", "en", "x", lambda s: None)
    assert [b.split(">")[0] for b in blocks] == ["<p", "<ul", "<p"]


def test_images_are_found_with_their_place():
    refs = image_refs("Intro.\n\nSee ![cat](images/cat.png) here.\n")
    assert [(r.src, r.line, r.col) for r in refs] == [("images/cat.png", 2, 11)]


def test_unresolvable_image_is_dropped_to_its_alt_text():
    out = "".join(render_blocks("![a cat](/etc/passwd)", "en", "x", lambda src: None))
    assert "<img" not in out and "a cat" in out


def test_is_live_link():
    assert is_live_link("https://a.example/x")
    assert not is_live_link("https://")
    assert not is_live_link(" javascript:alert(1)")
