"""A deterministic synthetic newsletter at a chosen length, as a project folder.

Every contender sets the same words and pictures, so the text comes from a
seeded generator (no dictionary file, no network) and the pictures are the
sample issue's photographs plus camera-sized ones drawn with Pillow. The
article counts per size were calibrated by building and counting pages
(`SIZES`); the report prints the pages each contender actually made.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SEED = 2026
# Articles per issue for about 4, 40 and 160 A4 pages of the classic theme.
SIZES = {4: 3, 40: 41, 160: 165}
SAMPLE_PICTURES = ("hubble_deep_field.jpg", "coffee.png", "chelsea.png", "rocket.jpg")
CAMERA_PICTURES = 4  # drawn, 2400 x 1600 JPEGs: the size a phone sends

VOCABULARY = (
    "observatory telescope volunteers school evening winter dome shutter copper ring wheel "
    "members trust appeal garden harbour village museum council meeting pupils teachers "
    "children families visitors weather clouds stars planets moon comet galaxy camera lens "
    "mirror drive repairs workshop bakery coffee cake table chairs hall station market road "
    "river bridge hill lane footpath season spring summer autumn report survey budget plan "
    "project ticket booking talk tour guide map bench lamp torch filter paint timber stone "
    "roof window door garden orchard walk ramble quiz prize raffle concert choir band "
    "the a of and to in for on with at by from after before while during every each many few "
    "small large quiet bright dark early late new old careful patient local public free open"
)
WORDS = tuple(VOCABULARY.split())
FIRST = ("Amara", "Kwame", "Rosie", "Helen", "Peg", "Chloe", "Sheila", "Tomasz", "Ines", "Ravi")
LAST = ("Osei", "Asante", "Maddox", "Marchbank", "Dunmore", "Barnard", "Pryce", "Nowak", "Silva")


@dataclass(frozen=True)
class Project:
    """A project folder with `issues/newsletter.yaml`, issues and pictures."""

    root: Path
    issues: tuple[Path, ...]


def make_project(root: Path, pages: int, copies: int = 1) -> Project:
    """Write a project for an issue of about `pages` pages, `copies` times over
    (issue files `bench-<pages>-<n>.yaml`, same content, different numbers)."""
    folder = root / "issues"
    images = folder / "images"
    images.mkdir(parents=True, exist_ok=True)
    pictures = _pictures(images)
    (folder / "newsletter.yaml").write_text(_NEWSLETTER, encoding="utf-8")
    text = _issue(random.Random(SEED * 1000 + pages), SIZES[pages], pictures)
    issues = []
    for n in range(1, copies + 1):
        path = folder / f"bench-{pages}-{n}.yaml"
        path.write_text(text.replace("number: 1\n", f"number: {n}\n", 1), encoding="utf-8")
        issues.append(path)
    return Project(root, tuple(issues))


def articles_for(pages: int) -> int:
    return SIZES[pages]


_NEWSLETTER = """\
name: The Bench Gazette
tagline: A synthetic newsletter, the same on every run
lang: en
contact:
  address: |
    1 Synthetic Row
    Testborough TB1 1AA
  email: hello@bench.example
  website: https://bench.example
boxes:
  - title: About the Gazette
    contact: true
    body: |
      The Gazette is made up by a seeded generator so that every engine sets the same words.

      - published monthly;
      - free to members.
mail:
  from: news@bench.example
  subject: "{name} No. {number}: {date}"
  smtp:
    host: 127.0.0.1
    port: 25
    security: none
"""


def _pictures(images: Path) -> list[str]:
    """The sample photographs, then drawn camera-sized JPEGs; names relative to issues/."""
    sample = Path(__file__).resolve().parents[1] / "issues" / "images"
    names = []
    for name in SAMPLE_PICTURES:
        if (sample / name).is_file():
            shutil.copyfile(sample / name, images / name)
            names.append(f"images/{name}")
    for n in range(CAMERA_PICTURES):
        path = images / f"camera-{n}.jpg"
        if not path.exists():
            _draw_photo(random.Random(SEED + n)).save(path, quality=90)
        names.append(f"images/{path.name}")
    return names


def _draw_photo(rng: random.Random) -> Image.Image:
    """A smooth, photo-like 2400 x 1600 picture: sky gradient, hills, discs, slight blur."""
    width, height = 2400, 1600
    top = tuple(rng.randrange(40, 200) for _ in range(3))
    bottom = tuple(rng.randrange(100, 255) for _ in range(3))
    image = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(
        Image.new("RGB", image.size, bottom), Image.new("RGB", image.size, top), image
    )
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, 300)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    hills = [(0, height)] + [
        (x, height - rng.randrange(200, 700)) for x in range(0, width + 1, 200)
    ]
    draw.polygon([*hills, (width, height)], fill=tuple(rng.randrange(20, 120) for _ in range(3)))
    return image.filter(ImageFilter.GaussianBlur(3))


def _issue(rng: random.Random, articles: int, pictures: list[str]) -> str:
    start = dt.date(2026, 1, 1)
    lines = ["issue:", "  number: 1", "  volume: 1", "  date: 2026-10-01", "articles:"]
    for n in range(articles):
        title = _sentence(rng, 4, 8, end="").capitalize()
        lines += [
            f"  - title: {_quoted(f'{title} ({n + 1})')}",
            f"    subtitle: {_quoted(_sentence(rng, 10, 18))}",
            f"    date: {start + dt.timedelta(days=n % 270)}",
            f"    author: {rng.choice(FIRST)} {rng.choice(LAST)}",
        ]
        if n % 4 != 3:
            src = pictures[n % len(pictures)]
            lines += [
                "    image:",
                f"      src: {src}",
                f"      alt: {_quoted(_sentence(rng, 8, 14))}",
                f"      caption: {_quoted(_sentence(rng, 8, 16))}",
                '      credit: "Photo: the bench, CC0"',
            ]
        if n % 2 == 0:
            lines.append(f"    pullquote: {_quoted(_sentence(rng, 10, 16))}")
        lines.append(f"    link: https://bench.example/news/{n + 1}")
        lines.append("    body: |")
        for p in range(rng.randrange(5, 9)):
            lines += [f"      {_paragraph(rng, n, p)}", ""]
        lines.pop()
    lines.append("boxes:")
    for n in range(max(1, articles // 8)):
        lines += [
            f"  - title: {_quoted(_sentence(rng, 2, 4, end='').capitalize() + f' box {n + 1}')}",
            "    body: |",
            f"      {_sentence(rng, 20, 30)}",
            "",
            *(f"      - **{_word(rng)}**: {_sentence(rng, 4, 9)}" for _ in range(4)),
        ]
    return "\n".join(lines) + "\n"


def _paragraph(rng: random.Random, article: int, index: int) -> str:
    sentences = [_sentence(rng, 9, 24).capitalize() for _ in range(rng.randrange(3, 7))]
    if index % 3 == 1:  # a link and some emphasis every third paragraph
        where = rng.randrange(len(sentences))
        sentences[where] += f" See [the notes](https://bench.example/notes/{article}-{index})."
        sentences[0] = f"*{sentences[0]}*"
    return " ".join(sentences)


def _sentence(rng: random.Random, low: int, high: int, end: str = ".") -> str:
    return " ".join(_word(rng) for _ in range(rng.randrange(low, high + 1))) + end


def _word(rng: random.Random) -> str:
    return rng.choice(WORDS)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
