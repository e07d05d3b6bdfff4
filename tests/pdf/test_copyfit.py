"""The copy-fit report finds each fault in an issue made to contain it.

Each fixture is an ordinary issue plus a project stylesheet that forces one
fault (a project's `styles/classic/` adds to the bundled theme), so the
report is tested on real layouts rather than on hand-made boxes.
"""

from __future__ import annotations

import re

import pytest

from pdfcheck import Built

SENTENCE = "A sentence of the ordinary kind that newsletters are made of. "


def story(title: str, paragraphs: int, words: int = 6, extra: str = "") -> str:
    body = "\n\n".join([SENTENCE * words] * paragraphs)
    indented = "\n".join(f"      {line}" for line in body.splitlines())
    return f"  - title: {title}\n{extra}    body: |\n{indented}\n"


def issue(*stories: str, head: str = "") -> str:
    return (
        "name: The Fit Gazette\n"
        + head
        + "issue: {number: 1, date: 2026-01-31}\narticles:\n"
        + "".join(stories)
    )


def found(pattern: str, stderr: str) -> bool:
    """A located warning: `issues/fit.yaml:LINE:5: warning: ` then `pattern`."""
    return re.search(r"^issues/fit\.yaml:\d+:5: warning: " + pattern, stderr, re.M) is not None


def build(project, text: str, css: str = "", *args: str):
    project.write("issues/fit.yaml", text)
    if css:
        project.write("styles/classic/99-fault.css", css)
    return project.run("build", "issues/fit.yaml", *args)


def test_a_clean_issue_has_no_findings_and_a_summary(project):
    run = build(project, issue(story("Lead", 2), story("Second", 2)))
    assert run.code == 0
    (line,) = run.stderr.splitlines()
    assert re.fullmatch(r"issues/fit\.yaml: 1 page; the last page is \d+% full; \d+ KB", line)


def test_page_count_against_the_target(project):
    run = build(project, issue(story("Lead", 2), head="pages: 2\n"))
    assert "issues/fit.yaml:1:1: warning: 1 page, the target is 2" in run.stderr
    assert "issues/fit.yaml: 1 page (target 2); the last page is" in run.stderr


def test_headline_left_at_the_foot_of_a_page(project):
    css = ".story-head { break-after: auto } .story + .story .story-body { break-before: page }"
    run = build(project, issue(story("Lead", 3), story("Stranded", 3)), css)
    assert found(
        r"'Stranded': page \d: the headline is left at the foot of the page with 0 lines "
        r"of its story under it$",
        run.stderr,
    )


def test_photo_pushed_to_another_page(project):
    project.photo("coffee.png")
    css = "figure.photo img { height: 230mm !important; max-height: none !important }"
    extra = "    image: {src: images/coffee.png, caption: A cup.}\n"
    run = build(project, issue(story("Lead", 2), story("Pictured", 1, words=45, extra=extra)), css)
    match = re.search(
        r"^issues/fit\.yaml:\d+:5: warning: 'Pictured': page (\d): the photo is pushed away "
        r"from its story, which starts on page (\d) and has no text on this page$",
        run.stderr,
        re.M,
    )
    assert match and match.group(1) != match.group(2), run.stderr


def test_photo_split_from_its_caption(project):
    project.photo("coffee.png")
    css = (
        "figure.photo { break-inside: auto !important }"
        " figure.photo figcaption { break-before: column !important }"
    )
    extra = "    image: {src: images/coffee.png, caption: A cup.}\n"
    run = build(project, issue(story("Lead", 2), story("Pictured", 4, words=20, extra=extra)), css)
    assert found(r"'Pictured': page \d: the photo is split from its caption$", run.stderr)


def test_text_printed_over_other_content(project):
    css = ".story + .story .story-head { margin-bottom: -12mm !important }"
    run = build(project, issue(story("Lead", 2), story("Overprinted", 3)), css)
    assert found(
        r"'Overprinted': page 1: text or a photo is printed over other content$", run.stderr
    )


def test_page_left_mostly_empty(project):
    css = ".story + .story { break-before: page }"
    run = build(project, issue(story("Lead", 1), story("Next page", 6, words=10)), css)
    assert found(
        r"'Next page': page 1: \d+ mm left empty at the foot \(what follows does not fit there\)$",
        run.stderr,
    )


def test_white_before_what_is_kept_whole_says_how_much_too_tall_it_is(project):
    """Corpus case 243: a brief kept whole does not fit the white after the
    lead. The warning says how tall it stands and by how much it misses, so
    the editor knows how much to cut, and names the order that would let
    another brief move there."""
    css = "article.story--short { min-height: 200mm }"
    text = issue(story("Lead", 1), story("Next page", 1))
    run = build(project, text, css)
    said = re.search(
        r"^issues/fit\.yaml:\d+:5: warning: 'Next page': page 1: (\d+) mm left empty at the"
        r" foot \(what follows is kept whole and stands (\d+) mm tall, about (\d+) mm too tall"
        r" for it: shorten it, or let a brief move there with `order: flexible`\)$",
        run.stderr,
        re.M,
    )
    assert said, run.stderr
    white, tall, over = (int(n) for n in said.groups())
    assert tall >= 200 and abs(tall - white - over) <= 1
    flexible = build(
        project, issue(story("Lead", 1), story("Next page", 1), head="order: flexible\n"), css
    )
    assert found(
        r"'Next page': page 1: \d+ mm left empty .* too tall for it: shorten it\)$", flexible.stderr
    )


def test_white_under_a_cut_made_by_hand_is_reported_at_the_cut(project):
    """Corpus case 49: the lead, cut by the editor's `jump_after`, ends page
    1 over white that what follows does not fit. The fix is the editor's
    cut, so the finding names it, at the story it cuts."""
    css = ".story + .story { break-before: page }"
    lead = story("Lead", 3, extra="    jump_after: 1\n")
    run = build(project, issue(lead, story("Next page", 1)), css)
    assert found(
        r"'Lead': page 1: \d+ mm left empty at the foot, where `jump_after: 1` cuts this"
        r" story; cut it after more blocks to fill the page$",
        run.stderr,
    )
    assert "'Next page': page 1" not in run.stderr


def test_a_few_lines_on_a_last_page_of_their_own(project):
    css = ".story + .story { break-before: page }"
    run = build(project, issue(story("Lead", 6, words=10), story("Tail", 1, words=1)), css)
    assert found(
        r"'Tail': page 2 holds only \d+ mm; cut about that much to save the page$", run.stderr
    )


def test_column_left_mostly_empty(project):
    css = ".story-body { column-fill: auto } .story-body p.first { break-after: column }"
    run = build(project, issue(story("Lead", 1), story("Holed", 8, words=8)), css)
    assert found(r"'Holed': page 1: column 1 is mostly empty \(\d+ mm of \d+ mm\)$", run.stderr)


def test_column_left_bare(project):
    """Text enough for every column set in the first: the engine makes no
    box for the others, and the report counts them as empty."""
    css = "article + article .story-body { column-fill: auto; height: 150mm }"
    run = build(project, issue(story("Lead", 1), story("Bare", 3, words=6)), css)
    assert found(r"'Bare': page \d: column 2 is mostly empty \(0 mm of \d+ mm\)$", run.stderr)


def test_text_overflowing_its_box(project):
    css = ".box { height: 8mm }"
    text = issue(story("Lead", 1)) + "boxes:\n  - title: Tight\n    body: " + SENTENCE * 8 + "\n"
    run = build(project, text, css)
    assert "warning: box 'Tight': page 1: text overflows its box" in run.stderr


def test_line_wider_than_its_column(project):
    css = ".story-body p { overflow-wrap: normal; hyphens: manual }"
    long_number = "1234567890" * 12
    text = issue(story("Lead", 1), f"  - title: Wide\n    body: Call {long_number} today.\n")
    run = build(project, text, css)
    assert found(
        r"'Wide': page 1: a line is [\d.]+ mm wider than its column \('1234567890", run.stderr
    )


@pytest.mark.parametrize("flag", ["--strict"])
def test_strict_makes_findings_errors_and_writes_nothing(project, flag):
    run = build(project, issue(story("Lead", 2), head="pages: 3\n"), "", flag)
    assert run.code == 1
    assert "issues/fit.yaml:1:1: error: 1 page, the target is 3" in run.stderr
    assert not (project.root / "build" / "fit.pdf").exists()


def test_strict_except_fit_prints_findings_and_writes_the_pdf(project):
    """How make builds: the copy-fit report's findings stay warnings."""
    run = build(project, issue(story("Lead", 2), head="pages: 3\n"), "", "--strict-except-fit")
    assert run.code == 0, run.stderr
    assert "issues/fit.yaml:1:1: warning: 1 page, the target is 3" in run.stderr
    assert "error" not in run.stderr
    assert run.stdout == "build/fit.pdf\n"
    assert (project.root / "build" / "fit.pdf").read_bytes().startswith(b"%PDF-")


def test_strict_except_fit_still_stops_at_any_other_warning(project):
    """A photo without alt text is no copy-fit finding: an error, nothing
    written; the findings of the report are still said, as warnings."""
    project.photo("coffee.png")
    photo = "    image: {src: images/coffee.png}\n"
    text = issue(story("Lead", 2), story("Pictured", 1, extra=photo), head="pages: 3\n")
    run = build(project, text, "", "--strict-except-fit")
    assert run.code == 1
    assert re.search(
        r"^issues/fit\.yaml:\d+:12: error: articles\[1\]\.image: no alt text", run.stderr, re.M
    )
    assert "issues/fit.yaml:1:1: warning: 1 page, the target is 3" in run.stderr
    assert not (project.root / "build" / "fit.pdf").exists()


def test_strict_and_strict_except_fit_are_one_or_the_other(project):
    run = build(project, issue(story("Lead", 1)), "", "--strict", "--strict-except-fit")
    assert run.code == 2
    assert "not allowed with argument" in run.stderr


HOLED = issue(
    story("Lead", 3),
    story("Stranded", 3),
    story("Pictured", 1, words=45, extra="    image: {src: images/coffee.png, caption: A cup.}\n"),
) + ("boxes:\n  - title: Notes\n    body: " + SENTENCE * 4 + "\n")
HOLES = (
    ".story-head { break-after: auto } .story + .story .story-body { break-before: page }"
    " figure.photo img { height: 150mm !important; max-height: none !important }"
)
JINJA = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\})", re.S)
TAGS = {"article": "section", "aside": "div", "header": "div"}


def _outside_jinja(text: str, change) -> str:
    parts = JINJA.split(text)
    return "".join(part if JINJA.fullmatch(part) else change(part) for part in parts)


def own_layout(project, css: str) -> None:
    """Every partial replaced by one with other class names (each `x` is
    `our-x`) and other elements (no <article>, <aside> or <header>), and the
    theme's stylesheets with their selectors changed to match: the same
    pages, from markup copy-fit has never seen."""
    from broadsheet.theme import BUNDLED

    partials = sorted((BUNDLED / "layout" / "partials").glob("*.j2"))
    html = [p for p in partials if p.name.endswith(".html.j2")]
    classes = set()
    for path in html:
        for value in re.findall(r'class="([^"]*)"', path.read_text()):
            classes.update(_outside_jinja(value, lambda t: t).split())
    classes = {c for c in classes if re.fullmatch(r"[a-z][\w-]*", c)}
    names = "|".join(sorted(map(re.escape, classes), key=len, reverse=True))
    in_css = re.compile(rf"\.({names})(?![\w-])")

    def css_of(text: str) -> str:
        text = in_css.sub(r".our-\1", text)
        return re.sub(r"\b(article|aside)\.", lambda m: TAGS[m.group(1)] + ".", text)

    def markup_of(text: str) -> str:
        def rename(value: str) -> str:
            return re.sub(rf"(?<![\w-])({names})(?![\w-])", r"our-\1", value)

        text = re.sub(
            r'class="([^"]*)"',
            lambda m: 'class="' + _outside_jinja(m.group(1), rename) + '"',
            text,
        )
        return re.sub(r"<(/?)(article|aside|header)\b", lambda m: f"<{m[1]}{TAGS[m[2]]}", text)

    for path in partials:
        text = path.read_text()
        changed = markup_of(text) if path in html else _outside_jinja(text, css_of)
        assert changed != text or path not in html, path.name
        project.write(f"layout/partials/{path.name}", changed)
    for layer in ("base", "classic"):  # the structure every theme shares, then the look
        for path in sorted((BUNDLED / "styles" / layer).glob("*.css")):
            project.write(f"styles/{layer}/{path.name}", css_of(path.read_text()))
    project.write("styles/classic/99-fault.css", css_of(css))


def test_a_project_with_its_own_partials_gets_the_same_report(project):
    """Copy-fit reads no class name: the report on partials that share no
    class or element name with the bundled ones is the bundled one's."""
    project.photo("coffee.png")
    bundled = build(project, HOLED, HOLES)
    assert found(r"'Stranded': page \d: the headline is left at the foot", bundled.stderr)
    assert found(r"'Pictured': page \d: \d+ mm left empty at the foot", bundled.stderr)
    own_layout(project, HOLES)
    ours = build(project, HOLED)
    html = (project.root / "layout" / "partials" / "story.html.j2").read_text()
    assert "story-body" not in html.replace("our-story-body", "")
    assert ours.stderr.split("; ")[:-1] == bundled.stderr.split("; ")[:-1]


def test_an_issue_template_that_marks_no_story_is_said(project):
    """An issue template of its own that places the partials without the
    `item` filter leaves copy-fit blind: it says so for each story and box."""
    from broadsheet.theme import BUNDLED

    template = (BUNDLED / "layout" / "issue.html.j2").read_text()
    unmarked = re.sub(r"\{% filter item\(.*?\) %\}(.*?)\{% endfilter %\}", r"\1", template)
    assert unmarked != template
    project.write("layout/issue.html.j2", unmarked)
    run = build(project, issue(story("Lead", 1)) + "boxes:\n  - title: Bare\n    body: Text.\n")
    assert run.code == 0, run.stderr
    for name in ("'Lead'", "box 'Bare'"):
        assert f"warning: {name}: copy-fit cannot find it on the pages" in run.stderr


QUOTE = "Quoted words that stand out from the story and catch the eye of a reader"


@pytest.mark.parametrize(
    ("paragraphs", "words", "outcome"),
    [(5, 6, "kept"), (6, 6, "moved"), (2, 18, "left out")],
)
def test_a_pull_quote_is_moved_to_save_a_page_and_left_out_only_with_a_warning(
    project, paragraphs, words, outcome
):
    """Six paragraphs and the quote after the third run on to page 2 (five
    leave room for it); after the second, the columns balance on page 1.
    A story of two paragraphs has nowhere else for its quote: left out, it
    saves the page, and says so."""
    second = story("Second", paragraphs, words, extra=f"    pullquote: {QUOTE}\n")
    run = build(project, issue(story("Lead", 3), second), "", "-o", "fit.pdf")
    assert run.code == 0, run.stderr
    left_out = outcome == "left out"
    said = found(r"'Second': its pull quote is left out to fill the pages", run.stderr)
    assert said is left_out
    assert ("planned: pull quote of 'Second' left out" in run.stderr) is left_out
    assert ("planned: pull quote of 'Second' after 2 blocks" in run.stderr) is (outcome == "moved")
    assert "1 page;" in run.stderr
    text = " ".join(" ".join(Built.open(project.root / "fit.pdf").texts).split())
    assert ("Quoted words that stand out" in text) is not left_out
