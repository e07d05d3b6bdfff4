"""What the templates cost the engine: the same HTML laid out by WeasyPrint
with one stylesheet rule overridden at a time.

Each variant adds a stylesheet after the theme's (rules marked `!important`
so they win over the page strings in the document's head). The time is the
engine's layout alone, measured inside a fresh process (`raw_weasyprint.py
--layout-only`), so imports and PDF writing do not blur the difference;
pages laid out counts the pages the engine made, re-made pages included.
"""

from __future__ import annotations

from dataclasses import dataclass

# (key, what it changes, extra CSS)
VARIANTS = (
    (
        "theme",
        "the theme as shipped (balanced story columns, Page X of Y, contents page numbers)",
        "",
    ),
    (
        "no-balance",
        "`column-fill: auto` on story bodies (columns filled in turn, not balanced)",
        ".story-body { column-fill: auto !important }",
    ),
    (
        "one-column",
        "story bodies in one column (no multi-column box at all): the floor",
        ".story-body { columns: auto !important; column-count: auto !important }",
    ),
    (
        "no-pages",
        "footer `counter(page)` only, without `counter(pages)` (Page X, not Page X of Y)",
        "@page { @bottom-right { content: counter(page) !important } }",
    ),
    (
        "no-targets",
        "no `target-counter()`: contents and jump lines without page numbers",
        ".toc-list a::after, .jump-link::after { content: none !important }",
    ),
    (
        "cheapest",
        "no-balance, no-pages and no-targets together",
        ".story-body { column-fill: auto !important }"
        " @page { @bottom-right { content: counter(page) !important } }"
        " .toc-list a::after, .jump-link::after { content: none !important }",
    ),
)


@dataclass(frozen=True)
class Outcome:
    """One variant's medians: layout seconds, pages, pages laid out, passes."""

    key: str
    change: str
    layout: list[float]
    pages: int
    laid_out: int
    passes: int
