"""The newsletter email: its HTML part as mail programs need it (inline styles,
nothing fetched, small), a contents teaser that names every story in the
order printed with its page and its link into the web edition, a plain-text
part that says the same, `attach: false`, the two keys' errors, and what a
reader sees of it in Chromium, light and dark, at 600 and 390 px.
"""

from __future__ import annotations

import dataclasses
import re
import time
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mailing import NOW, people, run_mail, smtp_args, subscribers
from smtp_sink import SmtpSink

from broadsheet.content.check import check
from broadsheet.mail.message import compose, email_parts
from broadsheet.mail.palette import PALETTES
from broadsheet.mail.prepare import cover_templates, letter_for
from broadsheet.mail.subscribers import Subscriber
from broadsheet.pdf.reading import destinations, reader
from conftest import REPO

WEB_BASE = "https://lanternhill.example/issues"
SHOTS = Path("/tmp/email-shots")  # screenshots to look at after a run


def with_mail_keys(root: Path, *lines: str) -> None:
    """Add keys under `mail:` in the project's newsletter.yaml (its last section)."""
    path = root / "issues" / "newsletter.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.rstrip().splitlines()[-1].startswith("    - mailto:")  # `mail:` comes last
    path.write_text(text + "".join(f"  {line}\n" for line in lines), encoding="utf-8")


def dry_run_message(root: Path, outbox: Path):
    csv = subscribers(root, people(1))
    run = run_mail(root, "--to", str(csv), "--dry-run", str(outbox))
    assert run.code == 0, run.stderr
    (eml,) = outbox.glob("*.eml")
    return BytesParser(policy=policy.default).parsebytes(eml.read_bytes())


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    return text, html


def stories_printed(root: Path, slug: str) -> list[tuple[str, int]]:
    """(id, page) of every story and box, in the order printed: these samples
    keep their written order, and their pages come from the PDF's own
    destinations, not from the bookmarks the email reads."""
    issue = check(root / "issues" / f"{slug}.yaml", root)
    pages = destinations(reader((root / "build" / f"{slug}.pdf").read_bytes()))
    return [(item.id, pages[item.id] + 1) for item in (*issue.articles, *issue.boxes)]


@pytest.fixture(scope="module")
def linked(tmp_path_factory, mail_ready):
    """The November sample's email with `web_base` set, as a dry run writes it."""
    import shutil

    root = tmp_path_factory.mktemp("linked") / "project"
    shutil.copytree(mail_ready, root)
    with_mail_keys(root, f"web_base: {WEB_BASE}/")  # a trailing slash is dropped
    return root, dry_run_message(root, root / "out")


# -- the HTML part as mail programs need it ----------------------------------------------------


class Tags(HTMLParser):
    """Every tag with its attributes, and the text of <style>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def tags_of(html: str) -> Tags:
    found = Tags()
    found.feed(html)
    return found


def test_the_html_part_has_inline_styles_only_and_nothing_from_outside(linked):
    _, message = linked
    _, html = parts(message)
    assert len(html.encode("utf-8")) < 100_000
    found = tags_of(html)
    names = [tag for tag, _ in found.tags]
    assert not {"link", "img", "script", "iframe", "object", "embed", "video", "audio"} & set(names)
    for tag, attrs in found.tags:
        assert "src" not in attrs and "background" not in attrs, tag
        assert "url(" not in attrs.get("style", ""), tag
    assert names.count("style") == 1
    # The one <style> holds the colour scheme and the dark-mode colours, nothing the
    # layout needs: with it dropped, every element still has its look inline.
    style = re.sub(r"\s+", " ", found.style)
    assert "@import" not in style and "url(" not in style
    outside_dark = style.split("@media (prefers-color-scheme: dark)")[0]
    assert outside_dark.strip() == (
        ":root { color-scheme: light dark; supported-color-schemes: light dark; }"
    )
    styled = [tag for tag, attrs in found.tags if tag in ("td", "p", "h1", "h2", "h3", "a")]
    assert styled and all(
        "style" in attrs for tag, attrs in found.tags if tag in ("td", "p", "h1", "h2", "h3")
    )
    assert ("meta", {"name": "color-scheme", "content": "light dark"}) in found.tags
    assert "max-width: 600px" in html


def test_every_story_is_in_the_teaser_in_order_with_its_link_and_page(linked):
    root, message = linked
    _, html = parts(message)
    expected = stories_printed(root, "2026-11")
    assert len(expected) == 6
    web = f"{WEB_BASE}/2026-11/index.html"
    links = re.findall(rf'href="{re.escape(web)}#([^"]+)"', html)
    assert links == [story for story, _ in expected]
    # Each story's page follows its link, before the next story's.
    rows = html.split(f'href="{web}#')[1:]
    for (story, page), row in zip(expected, rows, strict=True):
        assert f"page {page}</p>" in row, story
    assert html.count(f'href="{web}"') == 1  # "Read this issue in your browser"


def test_the_plain_text_part_has_the_same_stories_pages_and_links(linked):
    root, message = linked
    text, html = parts(message)
    expected = stories_printed(root, "2026-11")
    web = f"{WEB_BASE}/2026-11/index.html"
    assert re.findall(rf"^    {re.escape(web)}#(\S+)$", text, re.M) == [s for s, _ in expected]
    pages = [int(page) for page in re.findall(r"^  \S.* page (\d+)$", text, re.M)]
    assert pages == [page for _, page in expected]
    # The same titles as the HTML part, in the same order.
    titles_html = re.findall(r"#[^\"]+\" [^>]*>([^<]+)</a></h3>", html)
    titles_text = re.findall(r"^  (\S.*?) +page \d+$", text, re.M)
    assert [t.replace("&amp;", "&") for t in titles_html] == titles_text
    assert f"\n{web}\n" in text.replace(": ", "\n")  # the web edition, bare
    assert "Vol. 3 · No. 18 · November 2026" in text and "Vol. 3 · No. 18 · November 2026" in html


def test_a_story_without_a_deck_is_teased_by_its_first_sentence(linked):
    text, _ = parts(linked[1])
    # "About the Trust" has no deck: its first sentence, which holds "no." and a number.
    about = text.split("About the Trust")[1].split("\n\n")[0]
    assert "is a registered charity (no. 1174859), formed in 2017" in " ".join(about.split())


def test_the_pdf_is_attached_by_default(linked):
    message = linked[1]
    assert message.get_content_type() == "multipart/mixed"
    assert [part.get_content_type() for part in message.iter_attachments()] == ["application/pdf"]


# -- attach: false ------------------------------------------------------------------------------


def test_attach_false_sends_a_link_to_the_hosted_pdf_and_no_pdf(mail_project, tmp_path):
    with_mail_keys(mail_project, f"web_base: {WEB_BASE}", "attach: false")
    csv = subscribers(mail_project, people(2))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 0, run.stderr
    assert len(sink.received) == 2
    pdf_link = f"{WEB_BASE}/2026-11/2026-11.pdf"
    for received in sink.received:
        message = BytesParser(policy=policy.default).parsebytes(received.data)
        assert message.get_content_type() == "multipart/alternative"
        assert not [part for part in message.walk() if "pdf" in part.get_content_type()]
        text, html = parts(message)
        assert f'href="{pdf_link}"' in html and "Download the PDF" in html
        assert f"Download the PDF: {pdf_link}\n" in text
        assert "attached" not in text and "attached" not in html
        assert len(received.data) < 100_000  # a large list's messages stay small


# -- the keys' errors ---------------------------------------------------------------------------


def key_line(root: Path, key: str) -> int:
    lines = (root / "issues" / "newsletter.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"  {key}:"))


@pytest.mark.parametrize(
    ("lines", "key", "column", "words"),
    [
        (["web_base: http://lanternhill.example"], "web_base", 13, "expected an https address"),
        (["web_base: https://lanternhill.example/?a=1"], "web_base", 13, "no ? or #"),
        (["web_base: lanternhill.example"], "web_base", 13, "expected an https address"),
        (["attach: false"], "attach", 11, "no web_base is set"),
        (["attach: maybe"], "attach", 11, "expected true or false"),
    ],
    ids=["http", "query", "no scheme", "attach without web_base", "not a boolean"],
)
def test_a_bad_key_is_a_located_error_and_nothing_is_sent(mail_project, lines, key, column, words):
    with_mail_keys(mail_project, *lines)
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1, run.stderr
    where = f"{mail_project / 'issues' / 'newsletter.yaml'}:{key_line(mail_project, key)}:{column}"
    assert f"{where}: error: mail.{key}: " in run.stderr
    assert words in run.stderr
    assert "Traceback" not in run.stderr
    assert sink.connections == 0


# -- what a reader sees --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def october(sample_pdf) -> dict[str, str]:
    """The October sample's HTML part in each bundled theme, made in-process
    from the sample's PDF (classic's): only the email's palette differs."""
    issue = check(REPO / "issues" / "2026-10.yaml", REPO)
    issue = dataclasses.replace(issue, mail=dataclasses.replace(issue.mail, web_base=WEB_BASE))
    reader_ = Subscriber(email="ada@example.org", name="Ada Lovelace", line=2, fields={})
    found = {}
    for theme in PALETTES:
        themed = dataclasses.replace(issue, theme=theme)
        letter = letter_for(themed, sample_pdf.read_bytes(), "news@lanternhill.example", NOW)
        data = compose(letter, reader_, cover_templates(REPO), "tok1")
        found[theme] = parts(BytesParser(policy=policy.default).parsebytes(data))[1]
    return found


@pytest.mark.parametrize("theme", sorted(PALETTES))
@pytest.mark.parametrize("width", [600, 390])
def test_the_october_email_shows_right_at_600_and_390_px(browser, october, tmp_path, theme, width):
    page = tmp_path / f"email-{theme}.html"
    page.write_text(october[theme], encoding="utf-8")
    look = browser.look(page, width)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"october-{theme}-{width}.png").write_bytes(look.screenshot)
    assert look.problems() == []
    assert look.facts["scrollWidth"] <= width
    assert look.facts["lang"] == "en"


def luminance(hex_colour: str) -> float:
    """WCAG's relative luminance of `#rrggbb`."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_text_colour_is_readable_on_its_ground_light_and_dark(name):
    c = PALETTES[name]
    for prefix in ("", "dark_"):
        pairs = [
            ("ink", "paper"),
            ("muted", "paper"),
            ("accent", "paper"),
            ("ink", "tint"),
            ("muted", "tint"),
            ("accent", "tint"),
            ("on_band", "band"),
            ("on_band_soft", "band"),
        ]
        for text, ground in pairs:
            ratio = contrast(getattr(c, prefix + text), getattr(c, prefix + ground))
            assert ratio >= 4.5, (name, prefix, text, ground, ratio)
    assert contrast(c.button_text, c.accent) >= 4.5
    assert contrast(c.dark_paper, c.dark_accent) >= 4.5  # the button in dark mode


def screenshot_pixels(png: bytes):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB")


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_in_dark_mode_the_email_turns_dark_and_its_text_stays_readable(
    browser, october, tmp_path, theme
):
    page = tmp_path / f"email-{theme}.html"
    page.write_text(october[theme], encoding="utf-8")
    light = browser.look(page, 600)
    dark = browser.look(page, 600, color_scheme="dark")
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"october-{theme}-600-dark.png").write_bytes(dark.screenshot)
    assert dark.problems() == []
    palette = PALETTES[theme]
    light_image = screenshot_pixels(light.screenshot)
    dark_image = screenshot_pixels(dark.screenshot)
    # The card's ground, a little below the masthead: the paper, light and then dark.
    point = (300, light_image.height // 2)
    assert "#{:02x}{:02x}{:02x}".format(*light_image.getpixel((30, point[1]))) == palette.paper
    assert "#{:02x}{:02x}{:02x}".format(*dark_image.getpixel((30, point[1]))) == palette.dark_paper
    # Text pixels on that ground: the darkest of a light page against the lightest of the dark.
    for image, ground in ((dark_image, palette.dark_paper),):
        band = image.crop((24, 0, 576, image.height)).getcolors(1 << 20)
        brightest = max(band, key=lambda count_colour: sum(count_colour[1]))[1]
        assert contrast("#{:02x}{:02x}{:02x}".format(*brightest), ground) >= 7


def test_the_email_of_a_four_page_issue_is_made_in_well_under_a_fifth_of_a_second(sample_pdf):
    """The HTML and text parts for one subscriber, from the issue and its PDF:
    the letter (the PDF's title, bookmarks and anchors read, the teaser made)
    and both templates rendered; best of five runs."""
    issue = check(REPO / "issues" / "2026-10.yaml", REPO)
    issue = dataclasses.replace(issue, mail=dataclasses.replace(issue.mail, web_base=WEB_BASE))
    pdf = sample_pdf.read_bytes()
    templates = cover_templates(REPO)
    reader_ = Subscriber(email="ada@example.org", name="Ada Lovelace", line=2, fields={})

    def make() -> tuple[str, str]:
        letter = letter_for(issue, pdf, "news@lanternhill.example", NOW)
        return email_parts(letter, reader_, templates, [])

    text, html = make()  # templates compiled, parsers built
    assert "index.html#deep-field" in text and "index.html#deep-field" in html
    times = []
    for _ in range(5):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    assert min(times) < 0.1, times


def test_with_links_and_no_pdf_a_dry_run_still_writes_what_the_server_receives(
    mail_project, tmp_path
):
    with_mail_keys(mail_project, f"web_base: {WEB_BASE}", "attach: false")
    csv = subscribers(mail_project, people(2))
    outbox = tmp_path / "outbox"
    dry = run_mail(mail_project, "--to", str(csv), "--dry-run", str(outbox))
    assert dry.code == 0, dry.stderr
    written = sorted(outbox.iterdir())
    assert not (mail_project / "build" / "2026-11.mail.sqlite").exists()
    with SmtpSink() as sink:
        sent = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert sent.code == 0, sent.stderr
    assert [m.data for m in sink.received] == [p.read_bytes() for p in written]
    again = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert "already sent to all 2 subscribers" in again.stderr  # the journal kept them
