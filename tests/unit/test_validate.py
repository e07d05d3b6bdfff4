"""Stage 2: defaults, types as intended, the newsletter.yaml rules, derived ids."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.errors import ContentError

REPO = Path(__file__).resolve().parents[2]


def issue_from(tmp_path: Path, text: str, newsletter: str | None = None):
    folder = tmp_path / "issues"
    folder.mkdir(exist_ok=True)
    if newsletter is not None:
        (folder / "newsletter.yaml").write_text(textwrap.dedent(newsletter))
    path = folder / "x.yaml"
    path.write_text(textwrap.dedent(text))
    return validate(load(path), tmp_path)


def messages(exc: pytest.ExceptionInfo) -> list[str]:
    return [
        f"{d.span.path.name}:{d.span.line}:{d.span.col}: {d.message}" for d in exc.value.diagnostics
    ]


def test_defaults(tmp_path):
    issue = issue_from(
        tmp_path,
        """\
        name: Gazette
        issue: {number: 1, date: 2026-01-31}
        articles: [{title: One, body: Text.}]
    """,
    )
    assert (issue.lang, issue.theme, issue.page_size) == ("en", "classic", "A4")
    assert issue.articles[0].toc is True and issue.articles[0].id == "one"
    assert issue.volume is None and issue.boxes == () and issue.contact is None
    assert issue.date == dt.date(2026, 1, 31)


def test_values_keep_their_intended_types(tmp_path):
    issue = issue_from(
        tmp_path,
        """\
        name: NO
        tagline: 1.10
        issue: {number: 012345, date: 2026-01-05}
        articles: [{title: null thoughts, author: Yes, body: 2026-01-05}]
    """,
    )
    assert issue.name == "NO" and issue.tagline == "1.10" and issue.number == 12345
    assert issue.articles[0].author == "Yes" and issue.articles[0].body.text == "2026-01-05"


def test_newsletter_yaml_supplies_publication_keys(tmp_path):
    issue = issue_from(
        tmp_path,
        """\
        tagline: This issue's line
        issue: {number: 4, date: 2026-04-01}
        articles: [{title: One, body: Text.}]
        boxes: [{title: Diary}]
        """,
        newsletter="""\
        name: Gazette
        tagline: The usual line
        page_size: letter
        boxes: [{title: About us, contact: true}]
        contact: {email: a@gazette.example, address: "1 Road\\nTown"}
        """,
    )
    assert issue.name == "Gazette" and issue.tagline == "This issue's line"
    assert issue.page_size == "Letter"
    assert [b.title for b in issue.boxes] == ["Diary", "About us"]
    assert issue.contact.address == ("1 Road", "Town")
    assert [p.name for p in issue.sources] == ["x.yaml", "newsletter.yaml"]


def test_issue_keys_do_not_belong_in_newsletter_yaml(tmp_path):
    with pytest.raises(ContentError) as exc:
        issue_from(
            tmp_path,
            "name: G\nissue: {number: 1, date: 2026-01-01}\narticles: [{title: A, body: b}]\n",
            newsletter="name: G\narticles: []\n",
        )
    assert messages(exc) == [
        "newsletter.yaml:2:1: 'articles' belongs in an issue file, not in newsletter.yaml"
    ]


def test_a_problem_in_newsletter_yaml_names_that_file(tmp_path):
    with pytest.raises(ContentError) as exc:
        issue_from(
            tmp_path,
            "issue: {number: 1, date: 2026-01-01}\narticles: [{title: A, body: b}]\n",
            newsletter="name: G\nlang: 'english please'\n",
        )
    assert messages(exc) == [
        "newsletter.yaml:2:7: lang: expected a language tag like 'en' or 'pt-BR', "
        "got 'english please'"
    ]


def test_labels_override(tmp_path):
    issue = issue_from(
        tmp_path,
        """\
        name: G
        labels: {read_more: "Full story:"}
        issue: {number: 1, date: 2026-01-31}
        articles: [{title: One, body: Text.}]
    """,
    )
    assert issue.labels == {"read_more": "Full story:"}


def test_every_problem_is_reported_in_file_order(tmp_path):
    with pytest.raises(ContentError) as exc:
        issue_from(
            tmp_path,
            """\
            name: G
            issue: {number: 0, date: tomorrow}
            articles:
              - {body: no title}
              - {title: T, body: b, toc: perhaps}
        """,
        )
    assert messages(exc) == [
        "x.yaml:2:17: issue.number: expected a whole number of 1 or more, got '0'",
        "x.yaml:2:26: issue.date: expected a date like 2026-01-31, got 'tomorrow'",
        "x.yaml:4:5: articles[0]: missing required key 'title'",
        "x.yaml:5:30: articles[1].toc: expected true or false, got 'perhaps'",
    ]


def test_page_multiple_is_a_publication_key_an_issue_may_override(tmp_path):
    text = "issue: {number: 1, date: 2026-01-01}\narticles: [{title: A, body: b}]\n"
    issue = issue_from(tmp_path, text, newsletter="name: G\npage_multiple: 4\n")
    assert issue.page_multiple == 4
    issue = issue_from(tmp_path, "page_multiple: 2\n" + text, newsletter="name: G\n")
    assert issue.page_multiple == 2
    newsletter = "name: G\npage_multiple: 4\n"
    assert issue_from(tmp_path, "page_multiple: 2\n" + text, newsletter).page_multiple == 2
    assert issue_from(tmp_path, text, newsletter="name: G\n").page_multiple is None


@pytest.mark.parametrize("value", ["3", "1", "8", "0", "four", "2.0", "[2, 4]"])
def test_page_multiple_is_2_or_4(tmp_path, value):
    with pytest.raises(ContentError) as exc:
        issue_from(
            tmp_path,
            "issue: {number: 1, date: 2026-01-01}\narticles: [{title: A, body: b}]\n",
            newsletter=f"name: G\npage_multiple: {value}\n",
        )
    got = "a list" if value.startswith("[") else repr(value)
    assert messages(exc) == [f"newsletter.yaml:2:16: page_multiple: expected 2 or 4, got {got}"]


def test_order_is_fixed_unless_the_issue_says_flexible(tmp_path):
    text = "name: G\nissue: {number: 1, date: 2026-01-01}\narticles: [{title: A, body: b}]\n"
    issue = issue_from(tmp_path, text)
    assert (issue.order, issue.order_flexible) == ("fixed", False)
    issue = issue_from(tmp_path, text + "order: Flexible\n")
    assert (issue.order, issue.order_flexible) == ("flexible", True)
    with pytest.raises(ContentError) as exc:
        issue_from(tmp_path, text + "order: any\n")
    assert messages(exc) == ["x.yaml:4:8: order: expected fixed or flexible, got 'any'"]


def test_order_belongs_in_the_issue_file(tmp_path):
    with pytest.raises(ContentError) as exc:
        issue_from(
            tmp_path,
            "issue: {number: 1, date: 2026-01-01}\narticles: [{title: A, body: b}]\n",
            newsletter="name: G\norder: flexible\n",
        )
    assert messages(exc) == [
        "newsletter.yaml:2:1: 'order' belongs in an issue file, not in newsletter.yaml"
    ]


@pytest.mark.parametrize(
    ("written", "point"),
    [
        ("center", (50, 50)),
        ("top", (50, 0)),
        ("bottom", (50, 100)),
        ("left", (0, 50)),
        ("Right", (100, 50)),
        ("top left", (0, 0)),
        ("left top", (0, 0)),
        ("bottom right", (100, 100)),
        ("center top", (50, 0)),
        ("top center", (50, 0)),
        ("center center", (50, 50)),
        ("50% 30%", (50, 30)),
        ("0% 100%", (0, 100)),
        ("12.5%   87.25%", (12.5, 87.25)),
        ("left 30%", (0, 30)),
        ("25% bottom", (25, 100)),
    ],
)
def test_a_focal_point_in_keywords_or_percentages(tmp_path, written, point):
    with_photo(tmp_path)
    issue = issue_from(tmp_path, PICTURED.format(focus=f"'{written}'"))
    assert issue.articles[0].image.focus == point
    assert issue.articles[0].image.focal_point == point


def test_a_photo_without_a_focus_keeps_its_centre(tmp_path):
    with_photo(tmp_path)
    photo = issue_from(tmp_path, PICTURED.format(focus="null")).articles[0].image
    assert (photo.focus, photo.focal_point, photo.object_position) == (None, (50, 50), None)


@pytest.mark.parametrize(
    "written",
    [
        "middle",
        "50%",
        "top bottom",
        "left right",
        "top 30%",
        "30% left",
        "101% 50%",
        "-5% 50%",
        "50 30",
        "50% 30% 10%",
        "50%,30%",
        "12",
    ],
)
def test_a_focal_point_that_is_neither_is_an_error_at_its_line(tmp_path, written):
    with_photo(tmp_path)
    with pytest.raises(ContentError) as exc:
        issue_from(tmp_path, PICTURED.format(focus=f"'{written}'"))
    assert messages(exc) == [
        "x.yaml:6:56: articles[0].image.focus: expected a focal point like 'top', 'top left'"
        f" or '50% 30%' (x then y), got {written!r}"
    ]


PICTURED = """\
name: G
issue: {{number: 1, date: 2026-01-01}}
articles:
  - title: A
    body: b
    image: {{src: images/a.png, alt: A picture., focus: {focus}}}
"""


def with_photo(tmp_path: Path) -> None:
    (tmp_path / "issues" / "images").mkdir(parents=True)
    shutil.copyfile(REPO / "issues" / "images" / "coffee.png", tmp_path / "issues/images/a.png")


ISSUE_ONLY = """\
issue: {number: 1, date: 2026-01-31}
articles: [{title: One, body: Text.}]
"""


@pytest.mark.parametrize(
    ("newsletter", "web_base"),
    [
        ("site_url: https://gazette.example/news/\n", "https://gazette.example/news"),
        (
            "site_url: https://gazette.example/news/\nmail: {web_base: https://cdn.example/n}\n",
            "https://cdn.example/n",
        ),
        ("site_url: http://gazette.example/news/\n", None),
        ("site_url: https://gazette.example/?edition=web\n", None),
        ("", None),
    ],
    ids=["site_url", "its own web_base", "http site_url", "site_url with a query", "neither"],
)
def test_web_base_defaults_to_site_url(tmp_path, newsletter, web_base):
    """One key says where build/site/ is served: the email links under
    `site_url` unless `mail.web_base` says otherwise, and only to https."""
    issue = issue_from(tmp_path, ISSUE_ONLY, "name: Gazette\n" + newsletter)
    assert issue.mail.web_base == web_base
    assert issue.site_url == (newsletter.split("\n")[0].removeprefix("site_url: ") or None)


def test_attach_false_links_under_site_url(tmp_path):
    newsletter = "name: Gazette\nsite_url: https://gazette.example\nmail: {attach: false}\n"
    issue = issue_from(tmp_path, ISSUE_ONLY, newsletter)
    assert (issue.mail.attach, issue.mail.web_base) == (False, "https://gazette.example")
    with pytest.raises(ContentError) as exc:
        issue_from(tmp_path, ISSUE_ONLY, newsletter.replace("https:", "http:"))
    assert "set `web_base:` under `mail:` (or an https `site_url`)" in messages(exc)[0]
