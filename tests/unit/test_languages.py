"""Languages and directions at the text stage: digits, left-to-right isolates in
right-to-left text, French spacing, quotation marks and the drop cap."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from broadsheet.content.bodies import render_blocks, render_inline
from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.html.render import render
from broadsheet.labels import LATIN_DIGITS, comma, digits_for, localise_digits
from broadsheet.limits import alarm
from broadsheet.theme import Theme

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9, EXTENDED ARABIC-INDIC
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669, ARABIC-INDIC
NBSP, NNBSP = "\u00a0", "\u202f"


def html(text: str, lang: str) -> str:
    return "".join(render_blocks(text, lang, "story", lambda src: f"file:///project/{src}"))


# -- digits -----------------------------------------------------------------------------------


def test_the_digit_tables_are_the_unicode_ones():
    assert [ord(d) for d in PERSIAN_DIGITS] == list(range(0x06F0, 0x06FA))
    assert [ord(d) for d in ARABIC_DIGITS] == list(range(0x0660, 0x066A))
    assert LATIN_DIGITS == "0123456789"


@pytest.mark.parametrize(
    ("lang", "digits"),
    [
        ("fa", PERSIAN_DIGITS),
        ("ps", PERSIAN_DIGITS),
        ("ar", ARABIC_DIGITS),  # bare Arabic: the Arabic-Indic custom of most Arabic print
        ("ar-EG", ARABIC_DIGITS),
        ("ar-SA", ARABIC_DIGITS),
        ("ar-MA", LATIN_DIGITS),  # Moroccan Arabic prints 0-9
        ("he", LATIN_DIGITS),
        ("ur", LATIN_DIGITS),
        ("en", LATIN_DIGITS),
        ("fr", LATIN_DIGITS),
    ],
)
def test_auto_digits_follow_the_language(lang, digits):
    assert digits_for(lang) == digits
    assert digits_for(lang, "auto") == digits


@pytest.mark.parametrize("lang", ["fa", "ar", "ar-EG", "ar-MA", "he", "en"])
def test_latin_is_always_zero_to_nine(lang):
    assert digits_for(lang, "latin") == LATIN_DIGITS


@pytest.mark.parametrize(
    ("lang", "digits"),
    [
        ("fa", PERSIAN_DIGITS),
        ("ar", ARABIC_DIGITS),
        ("ar-MA", ARABIC_DIGITS),  # the script's own digits, whatever the custom
        ("he", LATIN_DIGITS),  # Hebrew has no decimal digits of its own
        ("en", LATIN_DIGITS),
    ],
)
def test_native_asks_for_the_scripts_own_digits(lang, digits):
    assert digits_for(lang, "native") == digits


def test_localise_digits_rewrites_ascii_digits_only():
    assert localise_digits("Page 12 of 30", PERSIAN_DIGITS) == "Page ۱۲ of ۳۰"
    assert localise_digits("No. 7, 2026", ARABIC_DIGITS) == "No. ٧, ٢٠٢٦"
    assert localise_digits("شمارهٔ 7", PERSIAN_DIGITS) == "شمارهٔ ۷"
    assert localise_digits("Page 12 of 30", LATIN_DIGITS) == "Page 12 of 30"
    assert localise_digits("۱۲ already", LATIN_DIGITS) == "۱۲ already"  # never back to Latin
    assert localise_digits("no digits", PERSIAN_DIGITS) == "no digits"


# -- left-to-right isolates in right-to-left text ---------------------------------------------

PERSIAN_PARAGRAPH = (
    "برای آماده کردن جا لطفاً از راه نشانی https://example.org/yalda/ یا"
    " yalda@ashcombe-iranians.example یا تلفن 01632 960 412 خبر دهید."
)


def test_a_url_with_its_trailing_slash_is_one_left_to_right_isolate():
    out = html(PERSIAN_PARAGRAPH, "fa")
    assert 'نشانی <span dir="ltr">https://example.org/yalda/</span> یا' in out


def test_an_email_address_is_a_left_to_right_isolate():
    out = html(PERSIAN_PARAGRAPH, "fa")
    assert '<span dir="ltr">yalda@ashcombe-iranians.example</span>' in out


def test_a_grouped_number_is_an_isolate_held_together_by_no_break_spaces():
    out = html(PERSIAN_PARAGRAPH, "fa")
    assert f'تلفن <span dir="ltr">01632{NBSP}960{NBSP}412</span> خبر' in out
    assert "01632 960" not in out


def test_a_sentence_end_stays_outside_the_url():
    out = html("نشانی ما https://example.org/yalda است.", "fa")
    assert '<span dir="ltr">https://example.org/yalda</span> است.' in out


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_every_right_to_left_language_isolates(lang):
    body = {
        "ar": "اتصلوا على 01632 960 412 أو https://example.org/",
        "he": "בקרו ב https://example.org/",
    }
    assert '<span dir="ltr">' in html(body[lang], lang)


def test_a_link_whose_text_has_no_right_to_left_letter_runs_left_to_right():
    out = html(
        "از [Ashcombe Players](https://players.example) و [کتابخانه](https://k.example).", "fa"
    )
    assert '<a href="https://players.example" dir="ltr">Ashcombe Players</a>' in out
    assert '<a href="https://k.example">کتابخانه</a>' in out


def test_a_dead_latin_link_is_still_isolated():
    out = html("متن [Some Page](javascript:alert(1)) متن", "fa")
    assert '<span dir="ltr">Some Page</span>' in out
    assert "<a " not in out


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_nothing_is_added_in_a_left_to_right_language(lang):
    text = "See https://example.org/yalda/ or a@b.example or 01632 960 412 [Lib](https://l.example)"
    out = html(text, lang)
    assert "dir=" not in out and "<span" not in out
    assert "https://example.org/yalda/" in out
    assert "01632 960 412" in out
    assert '<a href="https://l.example">Lib</a>' in out


# -- French spacing ---------------------------------------------------------------------------


def test_french_guillemets_hold_their_words_with_no_break_spaces():
    assert render_inline('"Salut"', "fr") == f"«{NBSP}Salut{NBSP}»"
    assert render_inline("« Salut »", "fr") == f"«{NBSP}Salut{NBSP}»"


def test_french_colon_takes_a_no_break_space_and_semicolon_and_marks_a_narrow_one():
    assert render_inline("Programme : vraiment ; oui ! quoi ?", "fr") == (
        f"Programme{NBSP}: vraiment{NNBSP}; oui{NNBSP}! quoi{NNBSP}?"
    )


def test_french_spacing_in_a_regional_tag_and_in_the_body():
    assert render_inline("Quoi ?", "fr-CA") == f"Quoi{NNBSP}?"
    out = html("Le résultat : les Géminides ; « vraiment » !", "fr")
    assert f"résultat{NBSP}:" in out and f"Géminides{NNBSP};" in out
    assert f"«{NBSP}vraiment{NBSP}»{NNBSP}!" in out


@pytest.mark.parametrize("lang", ["en", "de"])
def test_other_languages_keep_their_spaces(lang):
    text = "He said : yes ; really ? Yes !"
    assert render_inline(text, lang) == text
    assert NBSP not in html(text, lang) and NNBSP not in html(text, lang)


# -- quotation marks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "quoted"),
    [
        ("he", "”עברית”"),  # Hebrew opens and closes with the same mark
        ("fa", "«فارسی»"),
        ("ar", "«عربي»"),
        ("de", "„Deutsch“"),
        ("en", "“English”"),
    ],
)
def test_quotation_marks_follow_the_language(lang, quoted):
    word = quoted[1:-1]
    assert render_inline(f'"{word}"', lang) == quoted


def test_inner_quotes_follow_the_language_too():
    assert render_inline("\"بیرون 'درون' بیرون\"", "fa") == "«بیرون “درون” بیرون»"
    assert render_inline("\"חוץ 'פנים' חוץ\"", "he") == "”חוץ ’פנים’ חוץ”"


# -- the drop cap -----------------------------------------------------------------------------


def rendered_html(tmp_path: Path, text: str) -> str:
    (tmp_path / "issues").mkdir(exist_ok=True)
    path = tmp_path / "issues" / "x.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    issue = validate(load(path), tmp_path)
    return render(issue, Theme(issue.theme, tmp_path)).html


def lead_issue(lang: str, body: str) -> str:
    return f"""\
        name: Gazette
        lang: {lang}
        issue: {{number: 2, date: 2026-03-01}}
        articles:
          - {{title: Lead, body: '{body}'}}
          - {{title: Second, body: '{body}'}}
        """


def test_an_english_lead_gets_a_drop_cap(tmp_path):
    out = rendered_html(tmp_path, lead_issue("en", "Every year the Earth crosses the dust."))
    assert (
        '<p class="first has-dropcap"><span class="dropcap" data-letter="E" aria-hidden="true">'
        '</span><span class="initial">E</span>very year'
    ) in out
    assert out.count('class="dropcap"') == 1  # the lead only


@pytest.mark.parametrize(
    "body", ["امسال جشن شب یلدا را برگزار می‌کنیم.", "«امسال» جشن شب یلدا را برگزار می‌کنیم."]
)
def test_a_persian_lead_gets_no_drop_cap(tmp_path, body):
    out = rendered_html(tmp_path, lead_issue("fa", body))
    assert "dropcap" not in out
    assert f'<p class="first">{body[:5]}' in out


def test_an_arabic_lead_in_an_english_issue_gets_no_drop_cap(tmp_path):
    out = rendered_html(
        tmp_path,
        """\
        name: Gazette
        issue: {number: 2, date: 2026-03-01}
        articles:
          - title: Lead
            lang: ar
            body: يقيم النادي أمسية للقراءة في المكتبة.
          - {title: Second, body: Words.}
        """,
    )
    assert "dropcap" not in out
    assert '<p class="first">يقيم' in out


@pytest.mark.parametrize(
    ("lang", "expected"), [("fa", "،"), ("ar-EG", "،"), ("he", ","), ("en", ",")]
)
def test_the_layouts_comma_is_the_scripts_own(lang, expected):
    assert comma(lang) == expected


@pytest.mark.parametrize(
    "body",
    ["1" * 100_000, "a" * 100_000, "a." * 50_000, "a@" * 50_000, "http://" * 14_000, "1 " * 50_000],
    ids=["digits", "letters", "dotted", "at-signs", "urls", "grouped"],
)
def test_the_longest_body_isolates_in_one_pass(body):
    """The left-to-right runs are found in one linear scan: a body at the length
    limit made of one long run took minutes when each position began a new scan.
    The alarm is a hang guard, far above the milliseconds it takes."""
    with alarm(20, lambda: AssertionError("still isolating after 20 s")):
        html = render_blocks(body, "fa", "x", lambda src: None)[0]
    assert html.startswith("<p>")
