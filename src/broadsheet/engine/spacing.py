"""The theme's tighter spacing (its `html.fit-tight` rules), as the planner
needs it: how much each element's margins, padding and rules change, and how
tall a photo may be, read from the stylesheets' cascade of both versions of
the HTML, without laying either out.

The cascade costs a small part of a layout, so the planner can weigh the
tighter spacing as one more lever instead of trying it in a layout of its own.
The same cascade gives the style of a jump line ("Continued on page N"),
and of the head of a jumped story's rest (its headline, and "Continued from
page M" under it), which no story of the issue as written has: they are
added after everything else in the document, inside the wrappers a story
has (layout/partials/story.html.j2, story-continued.html.j2), so the
elements before them keep their places.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import SubElement

from weasyprint.css import get_all_computed_styles

from broadsheet.engine.fetcher import ProjectFetcher
from broadsheet.engine.session import Session
from broadsheet.engine.typeset import parsed, profile_css
from broadsheet.html.rendered import Rendered
from broadsheet.profiles import Profile

EDGES = (
    ("margin_top",),
    ("border_top_width", "padding_top"),
    ("padding_bottom", "border_bottom_width"),
    ("margin_bottom",),
)


class Spacing:
    """Differences between the normal and the tighter spacing, per element of
    the laid-out document (found by its place in document order)."""

    def __init__(
        self,
        laid_out_root,
        normal: list,
        tight: list,
        jump_line=(0.0, 0.0, 0.0),
        continued_from=(0.0, 0.0, 0.0),
    ):
        self.place = {id(element): n for n, element in enumerate(laid_out_root.iter())}
        self.normal, self.tight = normal, tight
        # A jump line's line height and margins above and below it, px (0: not known)
        self.jump_line: tuple[float, float, float] = jump_line
        # A rest's "Continued from" line: its line height, the space above it
        # under the headline (their margins collapsed) and its bottom margin,
        # px (0: not known)
        self.continued_from: tuple[float, float, float] = continued_from

    def _styles(self, element):
        n = self.place.get(id(element))
        if n is None or n >= len(self.normal) or n >= len(self.tight):
            return None
        return self.normal[n], self.tight[n]

    def edges(self, element) -> tuple[float, float, float, float]:
        """The change of its top margin, of its rule and padding above, of
        those below, and of its bottom margin, in px."""
        styles = self._styles(element)
        if styles is None or styles[0] is None or styles[1] is None:
            return (0.0, 0.0, 0.0, 0.0)
        normal, tight = styles
        return tuple(sum(_px(tight[key]) - _px(normal[key]) for key in keys) for keys in EDGES)

    def subtree(self, element) -> float:
        """The change of its height from the spacing of it and everything in it."""
        return sum(sum(self.edges(child)) for child in element.iter())

    def cap(self, picture, height: float) -> float:
        """A photo's height under the tighter spacing's `max-height`."""
        styles = self._styles(picture)
        if styles is None or styles[1] is None:
            return height
        limit = styles[1]["max_height"]
        return min(height, _px(limit)) if getattr(limit, "unit", None) == "px" else height


def spacing(
    normal: Rendered, tight: Rendered, laid_out_root, root: Path, profile: Profile, session: Session
) -> Spacing:
    """Both versions' computed styles; `laid_out_root` is the <html> element
    of the normal version's layout."""
    styles = session.styles(normal.stylesheets, root, profile_css(profile))
    computed, (jump_to, title, jump_from) = _computed(normal, root, styles, probe=True)
    height, above, below = _line_and_margins(jump_from)
    title_below = _px(title["margin_bottom"]) if title is not None else 0.0
    continued_from = (height, max(above, title_below), below) if height else (0.0, 0.0, 0.0)
    return Spacing(
        laid_out_root,
        computed,
        _computed(tight, root, styles)[0],
        _line_and_margins(jump_to),
        continued_from,
    )


def _computed(rendered: Rendered, root: Path, styles, probe: bool = False) -> tuple[list, list]:
    """Every element's computed style, in document order; with `probe`, a
    jump line's after them (its article, body, paragraph and link), and a
    rest's head (its article, head, headline, "Continued from" and link),
    and the styles of the jump line, that headline and "Continued from"."""
    html = parsed(rendered, ProjectFetcher(root))
    probes = []
    if probe:
        body = html.etree_element.find("body")
        article = SubElement(body, "article", {"class": "story"})
        story_body = SubElement(article, "div", {"class": "story-body"})
        line = SubElement(story_body, "p", {"class": "jump jump--to"})
        SubElement(line, "a", {"class": "jump-link", "href": "#"}).text = "0"
        rest = SubElement(body, "article", {"class": "story story--continued"})
        head = SubElement(rest, "header", {"class": "story-head"})
        title = SubElement(head, "h2", {"class": "headline headline--continued"})
        title.text = "0"
        continued = SubElement(head, "p", {"class": "jump jump--from"})
        SubElement(continued, "a", {"class": "jump-link", "href": "#"}).text = "0"
        probes = [line, title, continued]
    style_for = get_all_computed_styles(html, styles.stylesheets, False, styles.fonts)
    computed = [style_for(element) for element in html.etree_element.iter()]
    return computed, [style_for(element) for element in probes]


def _line_and_margins(style) -> tuple[float, float, float]:
    """The height of a line of one font in `style` (its `line-height`), and
    its top and bottom margins, px; zeros where the line's height is the
    font's own (`normal`), which only a layout tells."""
    if style is None:
        return 0.0, 0.0, 0.0
    line_height = style["line_height"]
    if isinstance(line_height, (int, float)):
        height = float(line_height) * style["font_size"]
    else:
        height = _px(line_height)
    if not height:
        return 0.0, 0.0, 0.0
    return height, _px(style["margin_top"]), _px(style["margin_bottom"])


def _px(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if getattr(value, "unit", None) == "px":
        return float(value.value)
    return 0.0
