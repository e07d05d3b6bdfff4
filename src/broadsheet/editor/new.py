"""`broadsheet new`: start the next issue from the newest one in `issues/`.

The next number, the volume carried over and the next date are read from the
issue files as written (their YAML nodes, not a full validation), so a
half-finished previous issue, or one whose photo is missing, does not stop an
editor from starting the next. The article skeleton is deliberately left
empty: as written it fails `broadsheet check` with a located message at the
empty headline and body, so an unfilled draft can never be built and sent by
accident; once they are filled it validates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from broadsheet import clock
from broadsheet.content.load import NEWSLETTER_FILE, load_mapping
from broadsheet.content.slugs import refusal
from broadsheet.errors import ContentError, UsageError, error
from broadsheet.outputs.writing import write_atomically
from broadsheet.source import Mapping, Scalar, Span, display_path

ISSUES = Path("issues")


@dataclass(frozen=True)
class Previous:
    """What the next issue carries over from the existing ones."""

    path: Path
    number: int  # the highest number of any issue
    volume: int | None  # the newest issue's
    date: dt.date  # the newest issue's


def issue_files(folder: Path) -> list[Path]:
    """Every issue file in `folder`, by name (newsletter.yaml is not an issue)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if p.name != NEWSLETTER_FILE and p.is_file())


def newest(folder: Path) -> Previous | None:
    """The newest issue (by date, then number) and the highest number, or None."""
    found = []
    for path in issue_files(folder):
        issue = load_mapping(path).items.get("issue")
        if not isinstance(issue, Mapping):
            continue
        number = _integer(issue.items.get("number"))
        date = _date(issue.items.get("date"))
        if number is not None and date is not None:
            found.append((date, number, _integer(issue.items.get("volume")), path))
    if not found:
        return None
    date, _, volume, path = max(found, key=lambda item: (item[0], item[1]))
    return Previous(path, max(item[1] for item in found), volume, date)


def next_date(previous: dt.date) -> dt.date:
    """One month on, the same day (the month's last day when it is shorter)."""
    year, month = (
        (previous.year + 1, 1) if previous.month == 12 else (previous.year, previous.month + 1)
    )
    return previous.replace(
        year=year, month=month, day=min(previous.day, calendar.monthrange(year, month)[1])
    )


def slug_for(date: dt.date) -> str:
    """The repository's naming: one issue a month, `YYYY-MM`."""
    return date.strftime("%Y-%m")


def new_issue(
    root: Path, slug: str | None, date: dt.date | None, today: dt.date | None = None
) -> Path:
    """Write `issues/<slug>.yaml` for the next issue and return its path; refuse
    a slug that is not a plain file name (UsageError, see slugs.refusal) and
    to replace an existing file (ContentError: the editor chooses another slug)."""
    folder = root / ISSUES
    previous = newest(folder)
    if date is None:
        date = next_date(previous.date) if previous else (today or dt.date.today())
    slug = slug or slug_for(date)
    if problem := refusal(slug):
        shown = repr(slug[:40]) + ("..." if len(slug) > 40 else "")
        message = f"SLUG {shown} cannot name an issue file: {problem} (give one like 2026-12)"
        raise UsageError([error(None, message)])
    target = folder / f"{slug.removesuffix('.yaml')}.yaml"
    if target.exists():
        raise ContentError(
            [
                error(
                    Span(target, 1, 1),
                    "this issue already exists; nothing was written (give another SLUG,"
                    " or remove the file first)",
                )
            ]
        )
    text = skeleton(
        number=previous.number + 1 if previous else 1,
        volume=previous.volume if previous else None,
        date=date,
        named=(folder / NEWSLETTER_FILE).is_file(),
        check=display_path(target),
    )
    write_atomically(target, text.encode())
    return target


def skeleton(number: int, volume: int | None, date: dt.date, named: bool, check: str) -> str:
    """The new issue's YAML: the issue keys set, one article to fill, the
    optional keys as comments to uncomment."""
    name = (
        "" if named else "name: The Newsletter   # the name; or set it in issues/newsletter.yaml\n"
    )
    volume_line = f"  volume: {volume}\n" if volume else "  # volume: 1\n"
    return f"""\
# Issue {number}, written by `broadsheet new`. Fill in the headline and the
# body of the article (copy the whole `- title:` block for each story), then
# check it with: broadsheet check {check}
{name}issue:
  number: {number}
{volume_line}  date: {date.isoformat()}
  # title: A special edition's title

articles:
  - title:                      # the headline (required)
    # subtitle: One line under the headline
    # date: {date.isoformat()}
    # author: Name, role
    # image:
    #   src: images/photo.jpg   # relative to this file
    #   alt: What the photo shows, for screen readers
    #   caption: A caption
    #   credit: "Photo: name"
    # link: https://example.org/the-full-story
    body: |                     # the story in Markdown (required), on the lines below

# boxes:
#   - title: Dates for your diary
#     body: |
#       - **1 December**: open evening
"""


def _integer(node) -> int | None:
    if isinstance(node, Scalar) and node.tag == "int":
        try:
            return int(node.text)
        except ValueError:
            return None
    return None


def _date(node) -> dt.date | None:
    """The issue's date, or None when it has none that validation would take
    (then it is not the newest issue to count on from)."""
    if isinstance(node, Scalar):
        try:
            date = dt.date.fromisoformat(node.text.strip())
        except ValueError:
            return None
        return date if clock.in_range(date) else None
    return None
