"""Stage 3: the HTML given to the engine (ids, escaping, layout decisions)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from broadsheet.content.ids import slugify
from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.html.render import css_string, render
from broadsheet.theme import Theme


def rendered_html(tmp_path: Path, text: str) -> str:
    (tmp_path / "issues").mkdir(exist_ok=True)
    path = tmp_path / "issues" / "x.yaml"
    path.write_text(textwrap.dedent(text))
    issue = validate(load(path), tmp_path)
    return render(issue, Theme(issue.theme, tmp_path)).html


BASE = """\
name: Gazette
issue: {number: 2, volume: 1, date: 2026-03-01}
articles:
"""


def test_equal_titles_get_distinct_ids_and_links(tmp_path):
    out = rendered_html(
        tmp_path,
        BASE
        + """\
  - {title: News, body: One.}
  - {title: News, body: Two.}
  - {title: Other, id: news-2, body: Three.}
""",
    )
    assert 'id="news"' in out and 'id="news-3"' in out and 'id="news-2"' in out
    assert 'href="#news"' in out and 'href="#news-3"' in out


def test_titles_are_escaped(tmp_path):
    out = rendered_html(tmp_path, BASE + "  - {title: '<script>x</script>', body: One.}\n")
    assert "<script>x" not in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out


def test_lead_gets_the_drop_cap_and_briefs_are_marked(tmp_path):
    long_body = " ".join(["word"] * 300)
    out = rendered_html(
        tmp_path,
        BASE
        + f"""\
  - {{title: Lead, body: '"After all," she said.'}}
  - {{title: Long, body: '{long_body}'}}
  - {{title: Brief, body: Short one.}}
""",
    )
    # The drop cap is drawn from data-letter in an empty span; the letter
    # stays in the text, so the word reads back whole ("“After").
    assert (
        '<p class="first has-dropcap"><span class="dropcap" data-letter="“A" aria-hidden="true">'
        '</span><span class="initial">“A</span>fter all,”'
    ) in out
    assert 'class="story story--lead"' in out
    assert out.count("story--short") == 1


def test_pull_quote_goes_after_the_middle_paragraph(tmp_path):
    paragraphs = "\\n\\n".join(f"Paragraph {n}." for n in range(1, 7))
    out = rendered_html(
        tmp_path,
        BASE
        + f"""\
  - {{title: Lead, body: "Lead."}}
  - {{title: Quoted, pullquote: Quote me, body: "{paragraphs}"}}
""",
    )
    assert out.index("Paragraph 3.") < out.index("pullquote") < out.index("Paragraph 4.")


def test_metadata_in_the_head(tmp_path):
    out = rendered_html(tmp_path, BASE + "  - {title: Lead, body: x}\n")
    assert "<title>Gazette — No. 2, March 2026</title>" in out
    assert '<meta name="dcterms.created" content="2026-03-01T00:00:00Z">' in out
    assert '<html lang="en" dir="ltr"' in out


def test_source_date_epoch_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = rendered_html(tmp_path, BASE + "  - {title: Lead, body: x}\n")
    assert 'content="2023-11-14T22:13:20Z"' in out


@pytest.mark.parametrize("text", ['a"b', "x}body{color:red", "a\\\nb", "</style><script>"])
def test_css_strings_cannot_break_out(text):
    quoted = css_string(text)
    inner = quoted[1:-1]
    assert quoted.startswith('"') and quoted.endswith('"')
    assert not set(inner) & set('"{}<>;\n\r')


def test_slugify():
    assert slugify("Café news: 2026!") == "cafe-news-2026"
    assert slugify("خبرها") == ""


def test_css_string_keeps_spaces_after_escapes():
    """CSS swallows one space after a hex escape: "A · B" must not print as "A ·B"."""
    assert css_string("A · B.") == '"A \\0000b7  B\\00002e "'


def test_a_focal_point_is_written_on_the_img_only_when_given(tmp_path):
    (tmp_path / "issues" / "images").mkdir(parents=True)
    photo = Path(__file__).resolve().parents[2] / "issues" / "images" / "coffee.png"
    (tmp_path / "issues" / "images" / "a.png").write_bytes(photo.read_bytes())
    story = "  - {{title: A, body: b, image: {{src: images/a.png, alt: A cup.{focus}}}}}\n"
    out = rendered_html(tmp_path, BASE + story.format(focus=", focus: top left"))
    assert re.search(r'<img src="[^"]+" alt="A cup\." style="object-position: 0% 0%">', out)
    out = rendered_html(tmp_path, BASE + story.format(focus=", focus: 12.5% 80%"))
    assert 'alt="A cup." style="object-position: 12.5% 80%">' in out
    out = rendered_html(tmp_path, BASE + story.format(focus=""))
    assert re.search(r'<img src="[^"]+" alt="A cup\.">', out)
    assert "object-position" not in out
