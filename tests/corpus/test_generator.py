"""The corpus generator, without the engine: the same cases on every run, as
many and as varied as the planner's targets need, and every one a valid
issue (`broadsheet check`), so a planner's failure on one is about fit."""

from __future__ import annotations

import itertools

from broadsheet.content.check import check

from .generate import KINDS, SETTINGS, case, corpus, write_project


def test_the_same_cases_every_time_and_whatever_the_count():
    first, second = corpus(), corpus()
    assert [c.files() for c in first] == [c.files() for c in second]
    assert corpus(8)[5].files() == first[5].files() == case(5).files()
    assert len({c.name for c in first}) == len(first)


def test_at_least_sixty_cases_of_every_kind_in_every_theme_size_and_language():
    cases = corpus()
    assert len(cases) >= 60
    made = {(c.kind, c.theme, c.page_size) for c in cases}
    wanted = {(kind, theme, size) for kind, (theme, size) in itertools.product(KINDS, SETTINGS)}
    assert wanted <= made
    assert {c.lang for c in cases} == {"en", "fr", "fa"}
    for lang in ("fr", "fa"):
        assert {c.theme for c in cases if c.lang == lang} == {"classic", "modern", "bulletin"}


def test_the_kinds_are_what_they_say():
    for item in corpus():
        articles = item.issue["articles"]
        photos = sum("image" in a for a in articles)
        if item.kind == "digest":
            assert 5 <= len(articles) <= 9 and photos <= 2
            assert all("date" in a for a in articles)
            assert any(box.get("contact") for box in item.newsletter["boxes"])
        elif item.kind == "feature":
            assert 2 <= len(articles) <= 4
        elif item.kind == "photos":
            assert photos == len(articles)
        elif item.kind == "text":
            assert photos == 0
        elif item.kind == "boxes":
            assert len(item.issue["boxes"]) > len(articles)
    everything = [a for item in corpus() for a in item.issue["articles"]]
    assert any("pullquote" in a for a in everything)
    assert any("link" in a for a in everything)
    assert any("](https://" in a["body"] for a in everything)


def test_every_case_is_a_valid_issue(tmp_path):
    cases = corpus()
    issues = write_project(cases, tmp_path)
    for item in cases:
        issue = check(issues[item.name], tmp_path)
        assert not issue.notes, (item.name, [str(note) for note in issue.notes])
        assert (issue.lang, issue.theme) == (item.lang, item.theme)
        assert issue.page_size.lower() == item.page_size.lower()
        assert len(issue.articles) == len(item.issue["articles"])
