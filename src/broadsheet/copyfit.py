"""The copy-fit report: how the issue fits its pages, read from WeasyPrint's layout.

Editors fix fit by changing text, so every finding names the YAML of the
story concerned. The checks walk the laid-out boxes of each page: a headline
left at the foot of a page with too few lines of its story under it, a photo
pushed to another page than its story's head, a column or page left mostly
empty, content overflowing its box or the page, and a line wider than its
column. `--strict` makes them errors.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from broadsheet.errors import Diagnostic, warning
from broadsheet.model import Issue
from broadsheet.source import Span

PX_PER_MM = 96 / 25.4
EMPTY_FOOT_MM = 25  # white at the foot of a page (not the last) worth telling the editor
MIN_LINES_UNDER_HEAD = 3
EPSILON = 1.0  # px: rounding in the layout


@dataclass(frozen=True)
class Fit:
    pages: int
    target: int | None
    last_page_full: float  # the share of the last page's text block that is used, 0 to 1
    findings: tuple[Diagnostic, ...]

    def summary(self) -> str:
        target = f" (target {self.target})" if self.target else ""
        return (
            f"{self.pages} page{'s' * (self.pages != 1)}{target}; "
            f"the last page is {round(self.last_page_full * 100)}% full"
        )


@dataclass
class _Page:
    number: int  # 1-based
    top: float
    bottom: float
    lowest: float = 0.0  # the bottom of the lowest content on the page
    first_item: str | None = None  # the story or box that the page starts with
    heads: dict[str, float] = field(default_factory=dict)  # item id -> bottom of its headline
    body_lines: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    figures: list[str] = field(default_factory=list)


def measure(document, issue: Issue, target: int | None = None) -> Fit:
    """Walk every laid-out page of `document` and report what an editor should fix."""
    spans = _spans(issue)
    findings: list[Diagnostic] = []
    pages = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        state = _Page(number, box.content_box_y(), box.content_box_y() + box.height)
        state.lowest = state.top
        for child in box.children:
            if type(child).__name__ != "MarginBox":
                _walk(child, state, None, False, findings, spans)
        pages.append(state)
    findings += _page_findings(pages, spans, issue)
    if target and target != len(pages):
        count = f"{len(pages)} page{'s' * (len(pages) != 1)}"
        findings.insert(0, warning(issue.span, f"{count}, the target is {target}"))
    last = pages[-1]
    used = (last.lowest - last.top) / max(last.bottom - last.top, 1)
    return Fit(len(pages), target, max(0.0, min(used, 1.0)), tuple(findings))


def _spans(issue: Issue) -> dict[str, tuple[Span, str]]:
    spans = {}
    for article in issue.articles:
        spans[article.id] = (article.span, f"{article.title!r}")
        spans[article.continued_id] = (article.span, f"{article.title!r} (continued)")
    for box in issue.boxes:
        spans[box.id] = (box.span, f"box {box.title!r}")
    return spans


def _walk(box, page: _Page, item: str | None, in_body: bool, findings, spans, parent=None) -> None:
    element = getattr(box, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    if element is not None and element.get("data-item"):
        item = element.get("data-item")
        if page.first_item is None:
            page.first_item = item
    in_body = in_body or "story-body" in classes
    name = type(box).__name__
    bottom = box.position_y + box.margin_height()
    if name == "LineBox" or name.endswith("ReplacedBox"):
        page.lowest = max(page.lowest, bottom)
        if bottom > page.bottom + EPSILON and item:
            findings.append(_finding(spans, item, f"page {page.number}: runs off the page"))
    if name == "LineBox" and in_body and item:
        page.body_lines[item] += 1
    if "headline" in classes and item and box.element_tag == "h2":
        page.heads[item] = bottom
    if box.element_tag == "figure" and item and item not in page.figures:
        page.figures.append(item)
    children = getattr(box, "children", None) or []
    if any(getattr(child, "is_column", False) for child in children):
        _check_columns(box, children, page, item, findings, spans)
    if name != "LineBox" and box.style["height"] != "auto" and children:
        lowest_child = max(c.position_y + c.margin_height() for c in children)
        if lowest_child > box.content_box_y() + box.height + EPSILON and item:
            findings.append(_finding(spans, item, f"page {page.number}: text overflows its box"))
    if name == "LineBox":
        _check_line(box, parent, page, item, findings, spans)
        return
    for child in children:
        _walk(child, page, item, in_body, findings, spans, box)


def _check_line(line, block, page: _Page, item, findings, spans) -> None:
    """A line whose content reaches past its block (a long address or number).

    The block's border box is the limit: a label hung into the padding on
    purpose is not an overflow.
    """
    if not line.children or not item or block is None:
        return
    left = min(child.position_x for child in line.children)
    right = max(child.position_x + child.margin_width() for child in line.children)
    start, end = block.border_box_x(), block.border_box_x() + block.border_width()
    if right > end + EPSILON or left < start - EPSILON:
        over = max(right - end, start - left) / PX_PER_MM
        text = "".join(getattr(c, "text", "") for c in line.children)[:40]
        findings.append(
            _finding(
                spans,
                item,
                f"page {page.number}: a line is {over:.1f} mm wider than its column ({text!r})",
            )
        )


def _check_columns(box, columns, page: _Page, item, findings, spans) -> None:
    """In a run of columns, one much shorter than the tallest is a hole in the page."""
    heights = []
    for column in columns:
        if not getattr(column, "is_column", False):
            continue
        bottoms = [c.position_y + c.margin_height() for c in column.children]
        heights.append((max(bottoms) if bottoms else column.position_y) - column.position_y)
    if len(heights) < 2:
        return
    tallest = max(heights)
    if tallest < 40 * PX_PER_MM:
        return
    for index, height in enumerate(heights, start=1):
        if height < tallest / 2 and item:
            findings.append(
                _finding(
                    spans,
                    item,
                    f"page {page.number}: column {index} is mostly empty "
                    f"({height / PX_PER_MM:.0f} mm of {tallest / PX_PER_MM:.0f} mm)",
                )
            )


def _page_findings(pages: list[_Page], spans, issue: Issue) -> list[Diagnostic]:
    findings = []
    head_page: dict[str, int] = {}
    for page in pages:
        for item in page.heads:
            head_page.setdefault(item, page.number)
            if page.body_lines.get(item, 0) < MIN_LINES_UNDER_HEAD:
                lines = page.body_lines.get(item, 0)
                findings.append(
                    _finding(
                        spans,
                        item,
                        f"page {page.number}: the headline is left at the foot of the "
                        f"page with {lines} line{'s' * (lines != 1)} of its story under it",
                    )
                )
    for page in pages:
        for item in page.figures:
            start = head_page.get(item)
            if start is not None and start != page.number:
                findings.append(
                    _finding(
                        spans,
                        item,
                        f"page {page.number}: the photo is pushed away from its story, "
                        f"which starts on page {start}",
                    )
                )
    for page, following in itertools.pairwise(pages):
        white = (page.bottom - page.lowest) / PX_PER_MM
        if white > EMPTY_FOOT_MM:
            cause = following.first_item
            findings.append(
                _finding(
                    spans,
                    cause,
                    f"page {page.number}: {white:.0f} mm left empty at the foot"
                    + (" (what follows does not fit there)" if cause else ""),
                    issue,
                )
            )
    return findings


def _finding(spans, item: str | None, message: str, issue: Issue | None = None) -> Diagnostic:
    span, name = spans.get(item or "", (issue.span if issue else None, "the issue"))
    return warning(span, f"{name}: {message}")
