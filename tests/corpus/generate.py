"""The corpus: varied issues, each seeded by its index, written as a project.

The cases are made to be hard to fit, as real issues are: a digest of short
dated briefs, a few long features with pull quotes, a photo on every story,
no photo at all, more boxes than stories, and a mix, in English, French and
Persian, in every theme at A4, Letter and A5. Story counts and lengths are
drawn at random within each kind, so most issues end where they happen to
end rather than on a page boundary someone chose.

The kind and the theme and size come from the index (the first 54 cases are
every kind in every theme and size), the language from the index too, and
everything else from a generator seeded by the index: case 17 is the same
issue on every machine and in every run, whatever the corpus's size.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .english import English
from .french import French
from .persian import Persian
from .prose import PHOTOS, Prose

REPO = Path(__file__).resolve().parents[2]
PHOTO_FOLDER = REPO / "issues" / "images"  # the sample issues' photographs, inside the project
SEED = 2026
DEFAULT_COUNT = 64
KINDS = ("digest", "feature", "photos", "text", "boxes", "mixed")
THEMES = ("classic", "modern", "bulletin")
SIZES = ("A4", "Letter", "A5")
SETTINGS = tuple((theme, size) for theme in THEMES for size in SIZES)
WRITERS: dict[str, type[Prose]] = {"en": English, "fr": French, "fa": Persian}


@dataclass(frozen=True)
class Case:
    """One generated issue: its publication (newsletter.yaml) and the issue file."""

    index: int
    kind: str
    lang: str
    theme: str
    page_size: str
    newsletter: dict = field(compare=False, repr=False)
    issue: dict = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.index:02d}-{self.kind}-{self.lang}-{self.theme}-{self.page_size.lower()}"

    def files(self) -> dict[str, str]:
        """The YAML text of each file of its folder, by file name."""
        return {"newsletter.yaml": to_yaml(self.newsletter), "issue.yaml": to_yaml(self.issue)}


def corpus(count: int = DEFAULT_COUNT) -> list[Case]:
    """The first `count` cases; case i is the same whatever `count` is."""
    return [case(index) for index in range(count)]


def case(index: int) -> Case:
    kind = KINDS[index % len(KINDS)]
    theme, size = SETTINGS[(index // len(KINDS)) % len(SETTINGS)]
    lang = {3: "fr", 6: "fa"}.get(index % 8, "en")
    rng = random.Random(SEED * 1000 + index)
    writer = WRITERS[lang](rng)
    masthead = rng.choice(writer.mastheads)
    date = dt.date(2025 + index // 12, index % 12 + 1, 1)
    maker = _Issue(rng, writer, date, f"https://{masthead.domain}")
    articles, boxes, about = KIND_MAKERS[kind](maker)
    newsletter = {
        "name": masthead.name,
        "tagline": masthead.tagline,
        "lang": lang,
        "theme": theme,
        "page_size": size,
        "contact": {
            "address": masthead.address + "\n",
            "email": f"hello@{masthead.domain}",
            "website": f"https://{masthead.domain}",
            "phone": masthead.phone,
        },
    }
    if about:
        title, body = writer.about()
        newsletter["boxes"] = [{"title": title, "contact": True, "body": body}]
    issue = {
        "issue": {"number": index + 1, "volume": 1 + index // 12, "date": date},
        "articles": articles,
    }
    if boxes:
        issue["boxes"] = boxes
    if kind in ("digest", "mixed") and (index // len(KINDS)) % 2:  # briefs may move
        issue["order"] = "flexible"
    return Case(index, kind, lang, theme, size, newsletter, issue)


def write_project(cases: list[Case], root: Path) -> dict[str, Path]:
    """Write every case into one project at `root`, each a publication of its
    own in `issues/<name>/` beside the shared `issues/images/` (as the French
    and Persian samples sit in the repository); the issue file of each, by name."""
    images = root / "issues" / "images"
    images.mkdir(parents=True, exist_ok=True)
    for photo in PHOTOS:
        shutil.copyfile(PHOTO_FOLDER / photo.file, images / photo.file)
    written = {}
    for item in cases:
        folder = root / "issues" / item.name
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in item.files().items():
            (folder / name).write_text(text, encoding="utf-8")
        written[item.name] = folder / "issue.yaml"
    return written


class _Issue:
    """Makes the articles and boxes of one issue from its seeded generator."""

    def __init__(self, rng: random.Random, writer: Prose, date: dt.date, site: str):
        self.rng, self.writer, self.date, self.site = rng, writer, date, site
        self.links = 0

    def url(self) -> str:
        self.links += 1
        return f"{self.site}/news/{self.date:%Y-%m}/{self.links}"

    def article(
        self,
        paragraphs: int,
        sentences: tuple[int, int] = (2, 6),
        photo: bool = False,
        pullquote: bool = False,
        subtitle: bool = False,
        author: bool = True,
    ) -> dict:
        rng, writer = self.rng, self.writer
        story: dict = {"title": writer.title()}
        if subtitle:
            story["subtitle"] = writer.subtitle()
        story["date"] = self.date - dt.timedelta(days=rng.randint(1, 30))
        if author:
            story["author"] = writer.person()
        if pullquote:
            story["pullquote"] = writer.pullquote()
        if photo:
            chosen = rng.choice(PHOTOS)
            caption, alt, credit = writer.photo_words(chosen)
            story["image"] = {
                "src": f"../images/{chosen.file}",
                "alt": alt,
                "caption": caption,
                "credit": credit,
            }
        if rng.random() < 0.5:
            story["link"] = self.url()
        inline = self.url() if rng.random() < 0.3 else None
        story["body"] = writer.body(paragraphs, *sentences, url=inline)
        return story

    def diary_box(self) -> dict:
        days = sorted(
            self.date + dt.timedelta(days=self.rng.randint(3, 60))
            for _ in range(self.rng.randint(3, 7))
        )
        return {"title": self.writer.box_title(), "body": self.writer.diary(days)}

    def notice_box(self) -> dict:
        body = self.writer.paragraph(self.rng.randint(2, 5))
        return {"title": self.writer.box_title(), "body": body}

    def contact_box(self) -> dict:
        title, body = self.writer.about()
        return {"title": title, "contact": True, "body": body.split("\n\n")[0]}

    def some_boxes(self, low: int, high: int) -> list[dict]:
        makers = (self.diary_box, self.notice_box)
        return [self.rng.choice(makers)() for _ in range(self.rng.randint(low, high))]


def _digest(make: _Issue):
    """5-9 short dated briefs, 0-2 photos, the About box with contact details."""
    rng = make.rng
    count = rng.randint(5, 9)
    photos = set(rng.sample(range(count), rng.randint(0, 2)))
    articles = [
        make.article(rng.randint(1, 2), (2, 4), photo=n in photos, author=rng.random() < 0.5)
        for n in range(count)
    ]
    return articles, make.some_boxes(0, 1), True


def _feature(make: _Issue):
    """2-4 long stories with subtitles and pull quotes; sometimes the lead jumps."""
    rng = make.rng
    articles = [
        make.article(
            rng.randint(7, 16),
            (3, 6),
            photo=rng.random() < 0.4,
            pullquote=rng.random() < 0.8,
            subtitle=True,
        )
        for _ in range(rng.randint(2, 4))
    ]
    if len(articles) > 2 and rng.random() < 0.25:
        articles[0]["jump_after"] = 2
    return articles, make.some_boxes(0, 1), rng.random() < 0.5


def _photos(make: _Issue):
    """A photo on every story."""
    rng = make.rng
    articles = [
        make.article(rng.randint(2, 6), photo=True, pullquote=rng.random() < 0.3)
        for _ in range(rng.randint(4, 7))
    ]
    return articles, make.some_boxes(1, 1), rng.random() < 0.5


def _text(make: _Issue):
    """No photo at all, stories from a paragraph to ten."""
    rng = make.rng
    articles = [
        make.article(rng.randint(1, 10), pullquote=rng.random() < 0.3, subtitle=rng.random() < 0.5)
        for _ in range(rng.randint(3, 8))
    ]
    return articles, make.some_boxes(1, 2), rng.random() < 0.5


def _boxes(make: _Issue):
    """More boxes than stories: diaries, notices and a contact box."""
    rng = make.rng
    count = rng.randint(2, 5)
    photo = rng.randrange(count) if rng.random() < 0.5 else None
    articles = [make.article(rng.randint(2, 6), photo=n == photo) for n in range(count)]
    boxes = [*make.some_boxes(max(3, count), 7), make.contact_box()]
    rng.shuffle(boxes)
    return articles, boxes, False


def _mixed(make: _Issue):
    """Anything: lengths from a paragraph to a dozen, photos and quotes by chance."""
    rng = make.rng
    articles = []
    for _ in range(rng.randint(3, 9)):
        paragraphs = rng.choice((1, 2, 3, 4, 6, 9, 12))
        articles.append(
            make.article(
                paragraphs,
                photo=rng.random() < 0.35,
                pullquote=paragraphs >= 4 and rng.random() < 0.3,
                subtitle=rng.random() < 0.4,
                author=rng.random() < 0.7,
            )
        )
    return articles, make.some_boxes(0, 3), rng.random() < 0.5


KIND_MAKERS = {
    "digest": _digest,
    "feature": _feature,
    "photos": _photos,
    "text": _text,
    "boxes": _boxes,
    "mixed": _mixed,
}


class _Dumper(yaml.SafeDumper):
    """Text with line breaks, or long, as a `|` block, the way an editor writes a body."""


def _text_style(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text or len(text) > 80 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text_style)


def to_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
