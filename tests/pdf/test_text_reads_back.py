"""Every story reads back from the PDF as its Markdown says, word for word.

Search, copy and paste and screen readers get a PDF's text from its content,
not from its look. This builds every sample (English, French, Persian) in
both bundled themes and reads each PDF back with poppler's `pdftotext` and
with pypdf, and checks that the plain text of each article's Markdown comes
out whole, in order and in the case written: small capitals must not change
the case ("InsIde thIs Issue"), the drop cap must not tear its word apart
("I" ... "n June"), and a word hyphenated at a line end must read back as one
word (the engine's own U+2010 hyphen is never rejoined by poppler:
"observat‐ ory").

A story's text is interleaved in the PDF with running heads and footers,
captions, pull quotes, "Continued" lines and the other stories beside it, so
the comparison works line by line: each extracted line is either a run of
the story's next words, whole and in order, or not the story's at all (and
then skipped). A line of the story that is torn, recased, reordered or
missing a word matches nowhere, and the story's words then never all come
out. "Apart from the hyphenation points": a line may end in the first part
of a word and a hyphen, and a later line of the story must then start with
the rest of it; a hyphen-minus inside a word is ignored on both sides, as
pdftotext also drops a word's own hyphen when it falls at a line end
("second-hand" read back as "secondhand").

pdftotext is read twice: in the order the text is drawn (`-raw`), where the
whole story must come out in order, and in its default reading order, where
poppler guesses the columns and, in `modern`'s three narrow ragged columns,
sometimes takes a paragraph from the next column first; there the runs of
lines may come in another order, each run still the story's words exactly.

Persian is compared word by word but not in order, because neither reader
gives it in an order to compare with. poppler 22 gives logical order, yet
where a line changes direction (a number, a Latin name, a comma) it puts the
space on the wrong side ("۳۰آذر", "Sarah Whitfieldمدیر"), it writes a
ligature's letters reversed (lam-alef "لا" as "ال": "کلاس" reads "کالس"),
and it lifts a word carrying a raised mark (the hamza of "کتابخانهٔ", which
the engine draws with a text rise) out of its line, so that word comes out
on a line of its own, out of place. pypdf (7.1) gives each run of Persian
letters in logical order but a line's runs in visual order wherever the
direction changes: a number reversed ("۳۰" as "۰۳"), a full stop or comma at
the other end of its word or line, brackets swapped, a Latin name at the
wrong end of its line. The PDF's text map itself is in logical order. So a
Persian story is held, in both readers, to every word it has (by its
letters, see `unwritten_words`), as often as written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from broadsheet.cli.main import main
from broadsheet.content.bodies import render_blocks
from broadsheet.content.check import check

REPO = Path(__file__).resolve().parents[2]
SAMPLES = ["2026-10", "2026-11", "fr/2026-12", "fa/2026-12"]
THEMES = ["classic", "modern", "bulletin"]

# A list's bullet or number, drawn by the engine as text at a line's start.
MARKER = re.compile(r"^(?:[•◦▪‣–—-]|[0-9۰-۹]+[.)]?)$")
HYPHENS = str.maketrans("", "", "-\u00ad")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each sample built once per theme, in a copy of issues/ set to that theme."""
    made: dict[tuple[str, str], tuple[Path, Path]] = {}

    def build(slug: str, theme: str) -> tuple[Path, Path]:
        if (slug, theme) not in made:
            root = tmp_path_factory.mktemp(f"{theme}-{slug.replace('/', '-')}")
            shutil.copytree(REPO / "issues", root / "issues")
            issue = root / "issues" / f"{slug}.yaml"
            publication = issue.parent / "newsletter.yaml"
            lines = publication.read_text(encoding="utf-8").splitlines()
            lines = [line for line in lines if not line.startswith("theme:")]
            publication.write_text("\n".join([*lines, f"theme: {theme}", ""]), encoding="utf-8")
            out = root / f"{slug.replace('/', '-')}.pdf"
            command = ["build", str(issue), "-o", str(out), "--root", str(root), "--quiet"]
            assert main(command, environ={}) == 0
            made[slug, theme] = (issue, out)
        return made[slug, theme]

    return build


class _Text(HTMLParser):
    """The text of rendered HTML, each block's words apart."""

    BLOCKS = frozenset({"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote", "tr", "td"})

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def story_words(issue_path: Path, root: Path) -> list[tuple[str, list[str]]]:
    """Each article's title and the words of its Markdown body as rendered."""
    issue = check(issue_path, root)
    stories = []
    for article in issue.articles:
        html = "".join(
            render_blocks(article.body.text, article.lang or issue.lang, article.id, lambda _: None)
        )
        parser = _Text()
        parser.feed(html)
        stories.append((article.title, _normal("".join(parser.parts)).split()))
    return stories


# pdftotext marks right-to-left lines with bidi embeddings (U+202B ... U+202C);
# the zero-width non-joiner of Persian words may or may not survive a reader.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def _normal(text: str) -> str:
    """French spacing is typography, not words: the narrow space before ";"
    is drawn as a gap with no character (Libertine has no U+202F), which
    `pdftotext -raw` reads as no space at all ("demain;")."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return re.sub(r"(«)\s+|\s+([;:!?»])", r"\1\2", text)


def pdftotext_text(pdf: Path, *options: str) -> str:
    command = ["pdftotext", *options, "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def pdftotext_lines(pdf: Path, *options: str) -> list[list[str]]:
    return [_normal(line).split() for line in pdftotext_text(pdf, *options).splitlines()]


def pdftotext_blocks(pdf: Path) -> list[list[list[str]]]:
    """pdftotext's reading order: blocks of lines, a blank line between two."""
    blocks: list[list[list[str]]] = [[]]
    for line in pdftotext_text(pdf).replace("\f", "\n\n").splitlines():
        tokens = _normal(line).split()
        if tokens:
            blocks[-1].append(tokens)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def pypdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def pypdf_lines(pdf: Path) -> list[list[str]]:
    return [_normal(line).split() for line in pypdf_text(pdf).splitlines()]


def unread(words: list[str], lines: list[list[str]]) -> list[str]:
    """The story's words that the lines do not give back whole and in order
    (empty when they all do); see the module's docstring for the rule."""
    wanted = [w.translate(HYPHENS) for w in words]
    at, rest = 0, ""  # the next word wanted; what is left of a word hyphenated at a line end
    for line in lines:
        if at == len(wanted):
            break
        taken = _take(_unmarked(line, wanted[at]), wanted, at, rest)
        if taken is not None:
            at, rest = taken
    return words[at:]


def unread_in_blocks(words: list[str], blocks: list[list[list[str]]]) -> list[str]:
    """Like `unread`, for text whose blocks may come in another order.

    The story goes on at the first line, in the first block that has one,
    that is the story's next words; lines are taken from there while they are
    (a block may hold a pull quote before the story's lines, or a label or a
    caption after them), and each line is taken once. Word order inside each
    run of lines is held strictly; only the order of the runs is free.
    """
    wanted = [w.translate(HYPHENS) for w in words]
    at, rest = 0, ""
    left = [list(block) for block in blocks]
    while at < len(wanted):
        for block in left:
            start = taken = 0
            for start in range(len(block)):
                taken = 0
                while start + taken < len(block) and at < len(wanted):
                    line = _unmarked(block[start + taken], wanted[at])
                    where = _take(line, wanted, at, rest)
                    if where is None:
                        break
                    (at, rest), taken = where, taken + 1
                if taken:
                    break
            if taken:
                del block[start : start + taken]
                break
        else:
            break
    return words[at:]


def _unmarked(line: list[str], word: str) -> list[str]:
    """The line without a list's bullet or number at its start."""
    if line and MARKER.match(line[0]) and line[0].translate(HYPHENS) != word:
        return line[1:]
    return list(line)


def _take(tokens: list[str], wanted: list[str], at: int, rest: str):
    """Where the story stands after `tokens`, if they are its next words; else None."""
    if not tokens:
        return None
    for index, token in enumerate(tokens):
        last = index == len(tokens) - 1
        bare = token.translate(HYPHENS)
        if at == len(wanted):
            return None
        word = rest or wanted[at]
        if bare == word:
            at, rest = at + 1, ""
        elif last and token.endswith("-") and bare and word.startswith(bare):
            rest = word[len(bare) :]  # hyphenated: the rest starts a later line of the story
        else:
            return None
    return at, rest


def _letters(word: str) -> str:
    """A word's letters alone, lam-alef in one order (see `unread_letters`)."""
    return "".join(c for c in word if unicodedata.category(c)[0] == "L").replace("لا", "ال")


def _letter_runs(text: str) -> list[str]:
    """The runs of letters of one script in `text`: "Sarah Whitfieldمدیر" and
    "nowruz@ashcombe-iranians.example" are cut at every other character and
    where the script changes."""
    runs = re.findall(
        r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]+|[^\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]+",
        text,
    )
    return [w for run in runs for w in map(_letters, re.split(r"[^\w]|[\d_]", run)) if w]


def _right_to_left(word: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in word)


def unwritten_words(words: list[str], text: str) -> list[str]:
    """The words of a right-to-left story not among those of `text`, counted.

    Neither reader gives Persian in an order to compare word for word (see
    the module's docstring), so the words are compared as runs of letters of
    one script (digits and punctuation, which the readers misplace, left
    out), lam-alef taken in either order, and a mark that poppler set apart
    with a space ("هفت‌نفر ٔه") put back: every word written must come back, as
    often as written.
    """
    text = re.sub(r"\s+[\u064b-\u065f\u0670](?=\w)", "", _normal(text))  # a mark set apart
    given = Counter(_letter_runs(text))
    return list((Counter(_letter_runs(" ".join(words))) - given).elements())


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("slug", SAMPLES)
def test_every_story_reads_back_with_pdftotext(built, slug, theme):
    """In poppler's reading order, run of lines by run of lines, and for
    left-to-right text also in the order drawn (`-raw`), strictly. The
    reading order is poppler's guess at the columns, and in `modern`'s three
    narrow ragged columns it sometimes takes a paragraph from the next column
    first (the words themselves are right). `-raw` gives a right-to-left
    line's words in visual order, so Persian is read in reading order only."""
    issue, pdf = built(slug, theme)
    drawn = pdftotext_lines(pdf, "-raw")
    blocks = pdftotext_blocks(pdf)
    for title, words in story_words(issue, issue.parents[len(Path(slug).parts)]):
        if not any(_right_to_left(w) for w in words):  # -raw gives right-to-left lines reversed
            missing = unread(words, drawn)
            assert not missing, f"{title!r} (-raw): read back up to {' '.join(missing[:12])!r}"
        if any(_right_to_left(w) for w in words):
            lost = unwritten_words(words, pdftotext_text(pdf))
            assert not lost, f"{title!r}: {lost[:12]}"
            continue
        missing = unread_in_blocks(words, blocks)
        assert not missing, f"{title!r}: read back up to {' '.join(missing[:12])!r}"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("slug", SAMPLES)
def test_every_story_reads_back_with_pypdf(built, slug, theme):
    issue, pdf = built(slug, theme)
    lines = pypdf_lines(pdf)
    for title, words in story_words(issue, issue.parents[len(Path(slug).parts)]):
        if any(_right_to_left(w) for w in words):
            lost = unwritten_words(words, pypdf_text(pdf))
            assert not lost, f"{title!r}: {lost[:12]}"
            continue
        missing = unread(words, lines)
        assert not missing, f"{title!r}: read back up to {' '.join(missing[:12])!r}"


def test_small_capitals_read_back_in_the_case_written(sample_pdf):
    """All small capitals (`c2sc` + `smcp`) used to share one glyph per letter
    between "I" and "i", so the PDF mapped both to whichever came first:
    "InsIde thIs Issue", "About the trust". The contents title and the box
    title are set in all small capitals."""
    text = pypdf_text(sample_pdf)
    assert "Inside this issue" in text
    assert "About the Trust" in text
    # pdftotext splits a word where tracking and kerning open a gap past a
    # tenth of an em ("I nside"), but the letters' case is the same.
    squeezed = re.sub(r"\s+", "", pdftotext_text(sample_pdf))
    assert "Insidethisissue" in squeezed
    assert "AbouttheTrust" in squeezed


@pytest.mark.parametrize(
    "face", ["LinLibertine_R", "LinLibertine_RI", "LinLibertine_RZ", "LinLibertine_RB"]
)
def test_no_small_capital_glyph_is_shared_by_two_letters(face):
    """The shipped Libertine faces, as tools/split_small_caps.py left them:
    no glyph is reached both from a capital (`c2sc`) and a lower-case letter
    (`smcp`), so every small capital maps back to its own letter."""
    from fontTools.ttLib import TTFont

    font = TTFont(REPO / "styles" / "fonts" / f"{face}.otf")
    gsub = font["GSUB"].table
    targets: dict[str, set[str]] = {"smcp": set(), "c2sc": set()}
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag in targets:
            for index in record.Feature.LookupListIndex:
                lookup = gsub.LookupList.Lookup[index]
                for subtable in lookup.SubTable:
                    if lookup.LookupType == 7:
                        subtable = subtable.ExtSubTable
                    targets[record.FeatureTag].update(getattr(subtable, "mapping", {}).values())
    assert targets["smcp"] and targets["c2sc"]
    assert not targets["smcp"] & targets["c2sc"]


def test_the_drop_cap_is_an_artifact_with_no_text(sample_pdf):
    """The big letter is drawn in an "Ornament" family: its glyphs map to no
    text and it is marked `/Artifact`, while the letter itself is in the text
    flow, so the lead reads "In June" and never "I" on a line of its own."""
    reader = PdfReader(sample_pdf)
    page = reader.pages[0]
    ornaments = {
        name: font.get_object()
        for name, font in page["/Resources"]["/Font"].items()
        if str(font.get_object()["/BaseFont"]).split("+")[-1].startswith("Ornament-")
    }
    assert len(ornaments) == 1
    ((name, font),) = ornaments.items()
    cmap = font["/ToUnicode"].get_object().get_data().decode()
    assert re.findall(r"<[0-9a-f]{4}> <>", cmap) and not re.findall(
        r"<[0-9a-f]{4}> <[0-9a-f]+>", cmap
    )
    content = page.get_contents().get_data().decode("latin-1")
    drawn = content.index(f"{name} ")
    assert content.rfind("/Artifact\nBMC", 0, drawn) > content.rfind("EMC", 0, drawn)
    assert "In June we set" in page.extract_text()
    assert not page.extract_text().startswith("I\n")
