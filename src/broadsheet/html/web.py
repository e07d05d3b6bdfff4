"""The web edition: an issue as one responsive page, with no engine and no script.

The same validated `Issue` the PDF is typeset from, rendered through
`layout/web/page.html.j2` (a project's `layout/web/` overrides it file by
file, as for print) with the theme's screen stylesheet (site_styles.py).
Python decides what the markup contract asks, so a project's templates
cannot break it: a story is one `<article id>` (a story the PDF continues on
a later page is whole here), its body headings start at `<h3>` under the
title's `<h2>`, and every picture gets both widths of site_pictures.py in
`srcset`, whatever template wrote its `<img>`.

`web_page` returns the files of the page's folder, by name, and writes
nothing: the caller writes them together (outputs/writing.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from broadsheet import __version__
from broadsheet.content.model import Issue
from broadsheet.html.pictures import PICTURE_CACHE
from broadsheet.html.render import (
    BoxView,
    TemplateCache,
    environment,
    issue_heading,
    markdown_blocks,
    render_template,
    story_view,
)
from broadsheet.html.rendered import Fitting
from broadsheet.html.site_fonts import FONT_CACHE
from broadsheet.html.site_pictures import FOLDER as PICTURES
from broadsheet.html.site_pictures import SitePictures
from broadsheet.html.site_styles import ASSETS, FONTS, STYLESHEET, site_styles
from broadsheet.theme import Theme

PAGE_TEMPLATE = "web/page.html.j2"
PAGE = "index.html"
WEB_FOLDERS = (FONTS, PICTURES, ASSETS)  # of the page's folder: only ever hold what it names
# What a picture is shown at: the text column on a wide screen (40rem), the
# window's width less its margins on a phone.
SIZES = "(min-width: 48rem) 40rem, calc(100vw - 2rem)"
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_FILE_IMAGE = re.compile(r'<img src="(file:[^"]+)"')
_TAG = re.compile(r"<[^>]*>")


@dataclass
class WebPage:
    """The files of an issue's folder in the site, by name (`index.html`
    first), and every source file read, for a depfile or a watcher."""

    files: dict[str, bytes] = field(default_factory=dict)
    read: list[Path] = field(default_factory=list)


def web_page(issue: Issue, theme: Theme, pdf: tuple[str, bytes] | None = None) -> WebPage:
    """The issue's web page, its stylesheet, fonts and pictures, and the PDF
    (`pdf`: its name in the folder and its bytes) when there is one to link."""
    pictures = SitePictures(issue.root / PICTURE_CACHE)
    env = _environment(issue, theme)
    text = render_template(env, PAGE_TEMPLATE, _context(issue, pdf[0] if pdf else None))
    text = _with_srcset(text, pictures)
    styles = site_styles(theme, _characters(text), issue.root / FONT_CACHE)
    styles.css = styles.css.replace("\r\n", "\n")
    page = WebPage()
    page.files[PAGE] = text.encode("utf-8")
    page.files[STYLESHEET] = styles.css.encode("utf-8")
    page.files.update(styles.files)
    page.files.update((name, source.read_bytes()) for name, source in pictures.files.items())
    if pdf is not None:
        page.files[pdf[0]] = pdf[1]
    used = sorted({Path(t) for t in env.loaded_files})  # type: ignore[attr-defined]
    page.read = [*issue.sources, *used, *styles.read, *pictures.sources]
    return page


def _environment(issue: Issue, theme: Theme) -> jinja2.Environment:
    """The print layout's environment (loader, filters), each picture named by
    its source file: `_with_srcset` replaces it by the site's files."""
    compiled = TemplateCache().in_project(issue.root)
    return environment(issue, theme, lambda path: path, compiled)


def _context(issue: Issue, pdf: str | None) -> dict:
    heading = issue_heading(issue)
    whole = [replace(article, jump_after=None) for article in issue.articles]
    stories = [
        _web_story(story_view(issue, article, i == 0, Fitting(), lambda path: path))
        for i, article in enumerate(whole)
    ]
    boxes = [
        BoxView(box, _body_headings(markdown_blocks(issue, box.body, box.id, lambda path: path)))
        for box in issue.boxes
    ]
    return {
        "issue": issue,
        "heading": heading,
        "stories": stories,
        "boxes": boxes,
        "contents": [item for item in (*issue.articles, *issue.boxes) if item.toc],
        "labels": heading.labels,
        "toc_title": heading.toc_title,
        "direction": heading.direction,
        "pdf": pdf,
        "version": __version__,
    }


def _web_story(story):
    return replace(story, blocks=_body_headings(story.blocks))


def _body_headings(blocks: list[Markup]) -> list[Markup]:
    """A body's Markdown headings under the story's `<h2>`: `#` is `<h3>`, and
    so on down to `<h6>`, so that the page's headings never skip a level."""

    def lower(match: re.Match) -> str:
        return f"<{match.group(1)}h{min(int(match.group(2)) + 2, 6)}"

    return [Markup(_HEADING.sub(lower, str(block))) for block in blocks]


def _with_srcset(text: str, pictures: SitePictures) -> str:
    """Every `<img>` of a picture file gets the site's copies: `src` the
    narrow one, `srcset` both, and its size, so the page does not jump as
    pictures arrive."""

    def responsive(match: re.Match) -> str:
        picture = pictures(Path(unquote(urlsplit(match.group(1)).path)))
        return (
            f'<img src="{picture.src}" srcset="{picture.srcset}" sizes="{SIZES}"'
            f' width="{picture.width}" height="{picture.height}"'
        )

    return _FILE_IMAGE.sub(responsive, text)


def _characters(text: str) -> str:
    """Every character the page shows (its text without the markup)."""
    return "".join(sorted(set(html.unescape(_TAG.sub(" ", text)))))
