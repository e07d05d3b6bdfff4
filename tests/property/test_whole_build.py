"""The whole build, load to PDF, on generated issues: few examples, each a real typesetting run.

Each example is a fresh project folder (the `project` fixture is made once per
test, not per example) built through the command line in-process, with
absolute paths and `--root`, so nothing depends on the working directory.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from pathlib import Path

import htmlfacts
import pikepdf
import pypdfium2
import strategies
from hypothesis import example, given, settings

from broadsheet.cli.main import main
from broadsheet.content.check import check
from broadsheet.labels import right_to_left
from pdfcheck import Built

SLACK = 12  # points: how far past its link box a contents number may be drawn


def _rect(annotation) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def printed_numbers(built: Built, pdf: Path, rtl: bool) -> dict[str, int | None]:
    """The page number printed at the end of each contents entry on page 1, by
    where the characters are, not by text order: on the entry's last line (the
    lowest of its link boxes), the digits at the line's end, which is the right
    in a left-to-right issue and the left in a right-to-left one.

    (pdfcheck's `contents_numbers` reads "No. 1" in a masthead as a contents
    line; text order also puts a right-to-left entry's number first.)"""
    boxes: dict[str, list[tuple[float, float, float, float]]] = {}
    for annotation in built.annotations(0):
        dest = annotation.get("/Dest")
        action = annotation.get("/A")
        if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
            dest = action.get_object()["/D"]
        if dest is not None:
            boxes.setdefault(str(dest), []).append(_rect(annotation))
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        text = document[0].get_textpage()
        chars = []
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if char.strip():
                chars.append((char, text.get_charbox(i)))
    finally:
        document.close()
    found: dict[str, int | None] = {}
    for dest, rects in boxes.items():
        bottom = min(r[1] for r in rects)
        last = [r for r in rects if r[1] - bottom < 1]
        top = max(r[3] for r in last)
        left, right = min(r[0] for r in rects) - SLACK, max(r[2] for r in rects) + SLACK
        line = sorted(
            (box[0], char)
            for char, box in chars
            if bottom <= (box[1] + box[3]) / 2 <= top and left <= box[0] and box[2] <= right
        )
        words = "".join(char for _, char in line)
        number = re.match(r"(\d+)", words) if rtl else re.search(r"(\d+)$", words)
        found[dest] = int(number.group(1)) if number else None
    return found


# Found by this property (shrunk to a title "0"): in a right-to-left issue set
# in the modern theme, a headline made only of digits (a year) fails the build
# (exit 3, "'1' says page 2026 but leads to page 1"). The contents are right;
# the verify stage misreads them (see the report on compliance._numbered).
RTL_YEAR_TITLE = {
    "name": "העלון",
    "lang": "he",
    "theme": "modern",
    "issue": {"number": 3, "date": dt.date(2026, 5, 1)},
    "articles": [{"title": "2026", "body": "טקסט קצר על השנה."}],
}
# The same shrunk case left to right builds; it stays as a check on this test's
# own reading of the PDF, which once took the masthead's "No. 1" for a number.
LTR_DIGIT_TITLE = {
    "name": "0",
    "theme": "modern",
    "issue": {"number": 1, "date": dt.date(2000, 1, 1)},
    "articles": [{"title": "0", "body": "0", "id": "0"}],
}


@settings(
    max_examples=strategies.examples(6),
    deadline=None,
    suppress_health_check=strategies.SUPPRESSED,
)
@example(doc=LTR_DIGIT_TITLE)
@example(doc=RTL_YEAR_TITLE)
@given(doc=strategies.issues(min_articles=1, max_articles=4, max_blocks=3))
def test_any_valid_issue_builds_a_pdf_whose_contents_and_bookmarks_are_right(doc):
    """Any valid issue (1 to 4 articles, short bodies, any optional keys, any
    language, theme and paper size) builds with exit status 0, and in the PDF:
    each contents entry links to its item's destination and prints the number
    of the page that destination is on; every article and box has a top-level
    bookmark, in reading order, on its heading's page, saying its title; and
    qpdf finds the file's structure clean. Why: the contents numbers and
    bookmarks are how a reader finds a story, and they are computed late
    (target-counter, after layout), so only a built PDF can show them right."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = strategies.write_issue(root, strategies.to_yaml(doc))
        out = root / "build" / "x.pdf"
        stdout, stderr = io.StringIO(), io.StringIO()
        code = main(
            ["build", str(path), "-o", str(out), "--root", str(root)],
            stdout=stdout,
            stderr=stderr,
            environ={},
        )
        assert code == 0, stderr.getvalue()
        issue = check(path, root)
        built = Built.open(out)
        with pikepdf.open(out) as pdf:
            assert pdf.check_pdf_syntax() == []

        items = [*issue.articles, *issue.boxes]
        dests = built.destinations()
        for item in items:
            assert item.id in dests, f"no destination for {item.id!r}"

        listed = [item.id for item in items if item.toc]
        assert built.internal_links(0)[: len(listed)] == listed
        rtl = right_to_left(issue.lang)
        printed = printed_numbers(built, out, rtl)
        for ident in listed:
            number, page = printed[ident], dests[ident] + 1
            assert number == page, f"contents entry {ident!r}: printed {number}, lands on {page}"

        outline = built.outline()
        assert len(outline) == len(items), (outline, [i.title for i in items])
        for item, (title, page) in zip(items, outline, strict=True):
            assert page == dests[item.id], (
                f"{item.title!r}: bookmark on {page}, not {dests[item.id]}"
            )
            assert htmlfacts.fold(title) == htmlfacts.fold(item.title)
