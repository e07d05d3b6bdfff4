"""Stage 3, render: an `Issue` and its theme become one HTML document.

Templates come from the project's `layout/`, then the bundled one (each file
found separately; `bundled/NAME` always reaches the bundled file, for a
project template that wants to extend the one it replaces). Autoescape is on
and undefined names are errors. Python decides what the layout rules need
(which story is the lead, which are briefs, where the photo and the pull
quote go); templates only place what they are given.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from broadsheet import __version__, labels
from broadsheet.clock import source_date
from broadsheet.content import bodies
from broadsheet.content.model import Article, Box, Issue
from broadsheet.errors import LayoutError, error
from broadsheet.html.codes import link_code
from broadsheet.html.rendered import Fitting, Item, Rendered
from broadsheet.paths import PathRefused, outside_error, project_file
from broadsheet.source import Span
from broadsheet.theme import Theme, contained

BRIEF_WORDS = 250
# More entries than this do not fit beside the lead's head: the contents then
# stand under the masthead, full width, in columns (and may run over a page).
CONTENTS_BESIDE_LEAD = 10
PAGE_SIZES_CSS = {"A4": "A4", "Letter": "letter", "A5": "A5"}
ENTRY_TEMPLATE = "issue.html.j2"
TEMPLATE_CACHE = Path("build/.cache/templates")  # under the project root: compiled templates
# The counter style page numbers are printed in: page-strings.css.j2 defines it
# with the issue's digits (Persian ۱۲۳ in a Persian issue); a theme writes
# target-counter(..., page, issue-digits) to use it.
DIGITS_STYLE = "issue-digits"


@dataclass(frozen=True)
class StoryView:
    """An article as the layout places it."""

    article: Article
    lead: bool
    brief: bool
    blocks: list[Markup]  # set in the article's place
    figure_after: int  # the photo follows this many blocks (0: before the first)
    quote_after: int  # the pull quote follows this many blocks (0: not in this part)
    continuation: list[Markup] = field(default_factory=list)  # after a jump, set later
    continuation_quote_after: int = 0
    lang: str = "en"  # the article's language: its own, or the issue's
    words: Mapping[str, str] = field(default_factory=dict)  # "By", "Read more:" in that language
    photo_height: float | None = None  # mm, when the planner sets it (cropped to fit)
    photo_width: float | None = None  # mm, when the planner sets it narrower than the column
    photo_spans: bool = False  # the photo heads the body across all its columns
    link_code: Markup | None = None  # the link's QR code, beside "Read more" (print only)

    @property
    def dir(self) -> str:
        return "rtl" if labels.right_to_left(self.lang) else "ltr"

    @property
    def photo_closes(self) -> bool:
        """Whether the photo stands after the last of the story's text (of
        its first part, when it is cut by a jump line): outside columns the
        theme keeps it from starting a page alone (`figure.photo.closing`)."""
        return 0 < self.figure_after >= len(self.blocks)


@dataclass(frozen=True)
class BoxView:
    box: Box
    blocks: list[Markup]


def render(
    issue: Issue,
    theme: Theme,
    fitting: Fitting = Fitting(),
    pictures: Callable[[Path], Path] = lambda path: path,
    compiled: jinja2.BytecodeCache | None = None,
    link_codes: bool = False,
) -> Rendered:
    """The issue as HTML, as `fitting` asks.

    By default a photo follows its story's first paragraph; `fitting` can set
    it after more or fewer blocks of Markdown (0: straight under the
    headline) and tighten the spacing, when the copy-fit report shows that
    the usual layout leaves a hole. `pictures` gives the file to typeset for
    each picture (see pictures.py); `compiled` keeps compiled templates
    between builds (session.py). `link_codes` sets each story's link as a
    QR code beside its "Read more" line, for a printed copy (codes.py).
    """
    issue = issue.printed_in(fitting.order)  # the stories and the contents as printed
    env = environment(issue, theme, pictures, compiled)
    stories = [
        story_view(issue, article, i == 0, fitting, pictures, link_codes)
        for i, article in enumerate(issue.articles)
    ]
    boxes = [
        BoxView(box, markdown_blocks(issue, box.body, box.id, pictures)) for box in issue.boxes
    ]
    heading = issue_heading(issue)
    words, digits = heading.labels, heading.digits
    contents = [item for item in (*issue.articles, *issue.boxes) if item.toc]
    beside = bool(contents) and len(contents) <= CONTENTS_BESIDE_LEAD and not fitting.contents_apart
    context = {
        "issue": issue,
        "stories": stories,
        "boxes": boxes,
        "contents": contents,
        "contents_beside_lead": beside,
        "labels": words,
        "toc_title": heading.toc_title,
        "issue_month": heading.month,
        "volume_number": heading.volume_number,
        "footer_text": heading.footer,
        "page_label_css": Markup(_page_label_css(words["page"])),
        "digits_css": Markup(" ".join(css_string(d) for d in digits)),
        "quotes_css": Markup(" ".join(css_string(q) for q in bodies.quotes_for(issue.lang))),
        "page_size_css": PAGE_SIZES_CSS[issue.page_size],
        "fit_tight": fitting.tight,
        # By the `data-item` every story and box carries, whatever a project's partials write.
        "new_page_css": Markup(
            " ".join(
                f"[data-item={css_string(item)}] {{ break-before: page; }}"
                for item in sorted(fitting.new_page)
            )
        ),
        "contents_css": Markup(_contents_css(fitting.contents_spread)),
        "pdf_title": heading.title,
        "direction": heading.direction,
        "arabic_script": sorted(labels.ARABIC_SCRIPT),  # scripts.css.j2: no tracking
        "right_to_left": sorted(labels.RIGHT_TO_LEFT),  # scripts.css.j2: no caps or italics
        "created": creation_time(issue.date).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "version": __version__,
    }
    placed: dict[str, Item] = {}
    env.filters["item"] = lambda html, view, continued=False: _place(
        html, view, continued, issue.lang, placed
    )
    html = render_template(env, ENTRY_TEMPLATE, context)
    used = sorted({Path(t) for t in env.loaded_files})  # type: ignore[attr-defined]
    base_url = issue.path.parent.resolve().as_uri() + "/"
    return Rendered(html, base_url, theme.stylesheets(), used, placed, contents_beside_lead=beside)


@dataclass(frozen=True)
class IssueHeading:
    """The words the layout writes about the issue itself, in its language and
    digits: the masthead's issue line, the footer, the document's title. Every
    edition (the PDF's, the web page) says them the same way."""

    labels: Mapping[str, str]
    digits: str
    month: str
    volume_number: str
    footer: str
    title: str
    toc_title: str
    direction: str


def issue_heading(issue: Issue) -> IssueHeading:
    words = labels.labels_for(issue.lang, issue.labels)
    digits = labels.digits_for(issue.lang, issue.digits)

    def ours(text: str) -> str:
        """A string the layout writes (not the editor), in the issue's digits."""
        return labels.localise_digits(text, digits)

    month = ours(labels.month_year(issue.date, issue.lang))
    comma = labels.comma(issue.lang)
    volume_number = ours(f"{words['number']} {issue.number}")
    if issue.volume:
        volume_number = ours(f"{words['volume']} {issue.volume} · ") + volume_number
    footer = (
        f"{issue.name} · "
        + (ours(f"{words['volume']} {issue.volume}{comma} ") if issue.volume else "")
        + ours(f"{words['number']} {issue.number}")
        + f" · {month}"
    )
    title = f"{issue.name} — {ours(words['number'] + ' ' + str(issue.number))}{comma} {month}"
    if issue.title:
        title += f": {issue.title}"
    return IssueHeading(
        labels=words,
        digits=digits,
        month=month,
        volume_number=volume_number,
        footer=footer,
        title=title,
        toc_title=issue.toc_title or words["toc_title"],
        direction="rtl" if labels.right_to_left(issue.lang) else "ltr",
    )


# The start tag of a partial's root element, after any white space and comments.
_ROOT_TAG = re.compile(r"\s*(?:<!--.*?-->\s*)*<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])", re.S)


def _place(html: str, view: StoryView | BoxView, continued: bool, lang: str, placed) -> Markup:
    """A story, the rest of a jumped story or a box as its partial wrote it,
    its root element marked with the item's id (`data-item`), and the item
    recorded for copy-fit and the PDF's tags.

    The one place the HTML says which element is which item: the issue
    template places each story and box through this filter
    (`{% filter item(story) %}{% include ... %}{% endfilter %}`), so a
    project's own partials, whatever their markup and class names, keep
    their copy-fit report. A partial that writes no element has nothing to
    mark; copy-fit then says it cannot see the item.
    """
    if isinstance(view, BoxView):
        item = Item("box", view.box.id, len(view.blocks))
    elif continued:
        quote = view.continuation_quote_after if view.article.pullquote else 0
        item = Item("continued", view.article.continued_id, len(view.continuation), quote)
    else:
        quote = view.quote_after if view.article.pullquote else 0
        item = Item("story", view.article.id, len(view.blocks), quote)
    root = _ROOT_TAG.match(html)
    if root is None:
        return Markup(html)
    if item.role != "box":
        own = view.lang if view.lang != lang else None
        item = replace(item, lang=own, article=root.group(1).lower() == "article")
    placed[item.anchor] = item
    mark = Markup(' data-item="{}"').format(item.anchor)
    return Markup(html[: root.end()]) + mark + Markup(html[root.end() :])


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """The template `name` rendered; an error in a template is a LayoutError
    at the template's file and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        span = Span(Path(exc.filename or exc.name or "?"), exc.lineno or 1, 1)
        raise LayoutError([error(span, f"template syntax: {exc.message}")]) from None
    except jinja2.TemplateError as exc:
        raise LayoutError([error(_template_span(exc), f"template: {exc}")]) from None


def creation_time(date: dt.date) -> dt.datetime:
    """The PDF's dates: SOURCE_DATE_EPOCH when set (reproducible builds), else the issue date."""
    return source_date(os.environ) or dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


def _template_span(exc: Exception) -> Span | None:
    """The template line an exception was raised on, from its traceback."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = Span(Path(name), tb.tb_lineno, 1)
        tb = tb.tb_next
    return found


def story_view(
    issue: Issue,
    article: Article,
    lead: bool,
    fitting: Fitting,
    pictures,
    link_codes: bool = False,
) -> StoryView:
    photo_after = fitting.photo_after.get(article.id)
    height = fitting.photo_heights.get(article.id)
    width = fitting.photo_widths.get(article.id)
    lang = article.lang or issue.lang
    # An article in another language prints its own "By" and "Read more:"; the
    # editor's `labels:` are words of the issue's language.
    words = labels.labels_for(lang, issue.labels if lang == issue.lang else {})
    blocks = markdown_blocks(issue, article.body, article.id, pictures, lang)
    if blocks and blocks[0].startswith("<p>"):
        keeps = article.id in fitting.first_kept
        blocks[0] = Markup(_first_paragraph(str(blocks[0]), dropcap=lead, keeps_next=keeps))
    brief = not lead and article.body.words <= BRIEF_WORDS and not article.jump_after
    # The code's alt text is the line it stands beside: a screen reader hears
    # where it leads, in the story's language.
    code = (
        link_code(article.link, f"{words['read_more']} {article.link}")
        if link_codes and article.link
        else None
    )
    # A brief the page planner cut by a jump line keeps its photo where it was
    # measured, at its head: the plan was made from that layout.
    jump = fitting.jumps.get(article.id) or article.jump_after
    quoted = article.id not in fitting.unquoted  # the plan may leave the pull quote out
    quote_after = fitting.quote_after.get(article.id, max(1, len(blocks) // 2))  # or move it
    # A photo set across the columns heads the body: a spanning block may
    # only stand among the multi-column body's own children.
    spans = article.id in fitting.spanned and article.image is not None
    if spans:
        photo_after = 0
    if jump:
        front, rest = blocks[:jump], blocks[jump:]
        place = photo_after if photo_after is not None else 0 if brief else 1
        return StoryView(
            article=article,
            lead=lead,
            brief=False,
            blocks=front,
            figure_after=min(place, len(front)),
            quote_after=0,
            continuation=rest,
            continuation_quote_after=max(1, len(rest) // 2) if quoted else 0,
            lang=lang,
            words=words,
            photo_height=height,
            photo_width=width,
            photo_spans=spans,
            link_code=code,
        )
    return StoryView(
        article=article,
        lead=lead,
        brief=brief,
        blocks=blocks,
        figure_after=(
            min(photo_after, len(blocks)) if photo_after is not None else 0 if brief else 1
        ),
        quote_after=quote_after if quoted else 0,
        lang=lang,
        words=words,
        photo_height=height,
        photo_width=width,
        photo_spans=spans,
        link_code=code,
    )


def markdown_blocks(
    issue: Issue, body, doc_id: str, pictures, lang: str | None = None
) -> list[Markup]:
    if body is None:
        return []

    def resolve(src: str) -> str | None:
        try:
            # Containment only: validation has already read each picture's header.
            return pictures(project_file(src, body.span.path.parent, issue.root)).as_uri()
        except PathRefused:
            return None

    blocks = bodies.render_blocks(body.text, lang or issue.lang, doc_id, resolve)
    return [Markup(b) for b in blocks]


_OPENING = re.compile(r"<p>((?:[\"'“‘«„(]|&quot;)*\w)", re.UNICODE)


def _first_paragraph(html: str, dropcap: bool, keeps_next: bool = False) -> str:
    """Mark the first paragraph (and, with `keeps_next`, as keeping the next
    one's first lines with it); in the lead, wrap its first letter for the
    drop cap.

    A floated span, not `::first-letter`: WeasyPrint 70 crashes on a floated
    first-letter inside a multi-column box. The span is empty: a theme that
    sets a drop cap draws its letter from `data-letter`, as an ornament, while
    the letter stays in the text in `span.initial`, so that the word reads
    back whole ("In June", not "I" and "n June") and a theme that sets no
    drop cap shows the paragraph as written.
    """
    first = "first keeps-next" if keeps_next else "first"
    if not dropcap:
        return html.replace("<p>", f'<p class="{first}">', 1)
    match = _OPENING.match(html)
    if match is None or _joins(match.group(1)[-1]):
        return html.replace("<p>", f'<p class="{first}">', 1)
    letter = match.group(1)
    return (
        f'<p class="{first} has-dropcap"><span class="dropcap" data-letter="{letter}"'
        f' aria-hidden="true"></span><span class="initial">{letter}</span>' + html[match.end() :]
    )


def _joins(letter: str) -> bool:
    """Whether a letter joins the next in its word (Arabic script: bidi class
    AL). Such a word has no first letter to set apart, so it gets no drop cap:
    cutting the letter off would change its shape and break the word."""
    return unicodedata.bidirectional(letter) == "AL"


class _ContainedLoader(jinja2.FileSystemLoader):
    """Templates from the project's `layout/` or the bundled one, refusing a
    file whose links lead outside both (a located error at the template)."""

    def __init__(self, searchpath, root: Path):
        super().__init__(searchpath)
        self.root = root

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not contained(Path(filename), self.root):
            raise LayoutError([outside_error(Path(filename))])
        return source, filename, uptodate


def environment(
    issue: Issue, theme: Theme, pictures, compiled: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    dirs = [str(d) for d in theme.layout_dirs if d.is_dir()]
    bundled = str(theme.layout_dirs[-1])
    loader = jinja2.ChoiceLoader(
        [
            _ContainedLoader(dirs, theme.root),
            jinja2.PrefixLoader({"bundled": _ContainedLoader(bundled, theme.root)}),
        ]
    )
    env = _RecordingEnvironment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        bytecode_cache=compiled,
    )
    env.filters.update(
        typeset=lambda text, lang=None: Markup(bodies.render_inline(str(text), lang or issue.lang)),
        long_date=lambda date, lang=None: labels.localise_digits(
            labels.long_date(date, lang or issue.lang),
            labels.digits_for(lang or issue.lang, issue.digits),
        ),
        file_url=lambda path: pictures(Path(path)).as_uri(),
        host=lambda url: urlsplit(url).netloc.removeprefix("www.") + urlsplit(url).path.rstrip("/"),
        css_string=lambda text: Markup(css_string(str(text))),
    )
    return env


class _RecordingEnvironment(jinja2.Environment):
    """Remembers every template file it loaded, for make's dependency files."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.loaded_files: set[str] = set()

    def _load_template(self, name, globals):
        template = super()._load_template(name, globals)
        if template.filename:
            self.loaded_files.add(template.filename)
        return template


def css_string(text: str) -> str:
    """A quoted CSS string in which only letters, digits and spaces stand for themselves.

    Everything else is a hex escape, so no value from the YAML can close the
    string or the rule it sits in. Each escape ends with a space, which CSS
    consumes as the escape's terminator, so a real space after it survives.
    """
    out = []
    for char in text:
        if char.isalnum() or char == " ":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x} ")
    return '"' + "".join(out) + '"'


def _page_label_css(pattern: str) -> str:
    """`Page {page} of {pages}` as CSS content: strings around the two counters."""
    parts = re.split(r"(\{page\}|\{pages\})", pattern)
    out = []
    for part in parts:
        if part == "{page}":
            out.append(f"counter(page, {DIGITS_STYLE})")
        elif part == "{pages}":
            out.append(f"counter(pages, {DIGITS_STYLE})")
        elif part:
            out.append(css_string(part))
    return " ".join(out) or f"counter(page, {DIGITS_STYLE})"


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in memory, for the next build in this process; Jinja
    reuses one only when its source's checksum is the same."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()

    def in_project(self, root: Path) -> jinja2.BytecodeCache:
        """These compiled templates, and the project's own cache of them
        (`TEMPLATE_CACHE`) for the next process: compiling a theme's
        templates costs more than rendering a short issue with them."""
        folder = root / TEMPLATE_CACHE
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:  # a project that cannot be written to is only slower
            return self
        return _ProjectTemplates(self, jinja2.FileSystemBytecodeCache(str(folder)))


class _ProjectTemplates(jinja2.BytecodeCache):
    """A process's compiled templates (`TemplateCache`) first, then the
    project's cache on disk, written as Jinja writes it: to a temporary
    file renamed into place, so builds running side by side never read one
    half written."""

    def __init__(self, memory: TemplateCache, disk: jinja2.FileSystemBytecodeCache) -> None:
        self.memory, self.disk = memory, disk

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory.load_bytecode(bucket)
        if bucket.code is None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self.memory.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory.dump_bytecode(bucket)
        with contextlib.suppress(OSError):  # a full disk, a folder made read-only: only slower
            self.disk.dump_bytecode(bucket)


def _contents_css(spread: float) -> str:
    """The white of a cover page shared out between the contents entries,
    so the list fills the page as a contents page does, instead of leaving
    a hole at its foot: the space between entries (engine/copyfit.cover_spread,
    the theme's own and the share of the white), over the theme's rules."""
    if spread <= 0:
        return ""
    return f"html nav.toc .toc-list > li + li {{ margin-top: {spread:.2f}mm; }}"
