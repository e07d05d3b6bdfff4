"""Stage 2: defaults, types as intended, the newsletter.yaml rules, derived ids."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.errors import ContentError


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
