"""Where a build may write: never over one of its own inputs.

`-o issues/2026-10.yaml` once replaced the issue with its own PDF, and
`--html styles/classic/10-base.css` would replace a stylesheet with HTML.
Every file a command writes (the PDF, `--html`, `--depfile`, mail's
`--journal` and `--dry-run` folder) is checked here, by the file itself
rather than by how it is spelled: symbolic links are followed and an
existing file is compared by device and inode, so a hard link, `./`, `..`
or an absolute path to an input is refused too. A target must also be a
regular file or not exist yet: writing "to" a folder, a FIFO or a device
is refused rather than attempted.

The check runs three times in a build (pipeline.py). Before any work,
against what is known without reading the issue (the issue, newsletter.yaml
beside it, every template, stylesheet and font in the project's and the
bundled `layout/` and `styles/`); once the issue is validated and before
anything is rendered, against the pictures it names; and just before
writing, against every file the build read (fonts found by the engine
included), so nothing discovered during the build is ever overwritten
either. A refusal is a usage error (exit status 2).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.content.load import NEWSLETTER_FILE
from broadsheet.errors import UsageError, error
from broadsheet.theme import BUNDLED

if TYPE_CHECKING:
    from broadsheet.content.model import Issue

THEME_FOLDERS = ("layout", "styles")

Target = tuple[str, Path]  # (the option that named it, the path), e.g. ("-o", build/x.pdf)


def project_inputs(issue_path: Path, root: Path) -> list[Path]:
    """The inputs known before the issue is read: the issue and the
    newsletter.yaml beside it, and every file of the project's and the
    bundled templates and stylesheets (fonts included)."""
    found = [issue_path, issue_path.parent / NEWSLETTER_FILE]
    for base in (root, BUNDLED):
        for folder in THEME_FOLDERS:
            if (base / folder).is_dir():
                found += [p for p in (base / folder).rglob("*") if p.is_file()]
    return found


def refuse_before_build(targets: Sequence[Target], issue_path: Path, root: Path) -> None:
    """The check before any work, against what is known before the issue is
    read (the pictures it names are checked once it is validated, before
    rendering). Only a target that already exists can be an input, so a
    first build into a fresh folder looks at nothing more."""
    existing = any(os.path.lexists(path) for _, path in targets if path is not None)
    refuse_unsafe(targets, project_inputs(issue_path, root) if existing else [])


def issue_inputs(issue: Issue) -> list[Path]:
    """The files the validated issue names: its YAML sources, the logo, the
    pictures (an image's `src`, and those in the Markdown)."""
    found = [*issue.sources]
    if issue.logo is not None:
        found.append(issue.logo)
    found += [article.image.src for article in issue.articles if article.image is not None]
    bodies = [article.body for article in issue.articles]
    bodies += [box.body for box in issue.boxes if box.body is not None]
    for body in bodies:
        if "![" in body.text:  # a Markdown picture, relative to the issue's folder
            found += [issue.path.parent / name for name in MARKDOWN_PICTURE.findall(body.text)]
    return found


MARKDOWN_PICTURE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def refuse_unsafe(targets: Sequence[Target], inputs: Iterable[Path]) -> None:
    """Raise a UsageError naming every target that is an input, a folder or
    not a regular file, or that two options both name."""
    named = [(option, path) for option, path in targets if path is not None]
    identities, resolved = _identify(inputs)
    problems = []
    seen: dict[Path, str] = {}
    for option, path in named:
        problem = _problem(path, identities, resolved)
        where = path.resolve()
        if problem is None and where in seen:
            problem = f"{seen[where]} names the same file"
        seen.setdefault(where, option)
        if problem:
            problems.append(error(None, f"{option} {path}: {problem}; nothing was written"))
    if problems:
        raise UsageError(problems)


def refuse_unsafe_folder(option: str, folder: Path, inputs: Iterable[Path]) -> None:
    """A folder to write files into (mail's --dry-run): a folder, or not there yet."""
    identities, resolved = _identify(inputs)
    try:
        status = folder.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise UsageError([error(None, f"{option} {folder}: {exc.strerror}")]) from None
    if status is not None and not stat.S_ISDIR(status.st_mode):
        problem = (
            "is one of the inputs"
            if (status.st_dev, status.st_ino) in identities or folder.resolve() in resolved
            else "is not a folder"
        )
        raise UsageError([error(None, f"{option} {folder}: {problem}; nothing was written")])


def _identify(inputs: Iterable[Path]) -> tuple[set[tuple[int, int]], set[Path]]:
    """Each input's (device, inode), and its resolved path (for one that is gone)."""
    identities, resolved = set(), set()
    for path in inputs:
        resolved.add(path.resolve())
        try:
            status = path.stat()
        except OSError:
            continue
        identities.add((status.st_dev, status.st_ino))
    return identities, resolved


def _problem(path: Path, identities: set, resolved: set) -> str | None:
    try:
        status = path.stat()  # follows a symbolic link to what it names
    except OSError:
        # Not there yet (or a link to nothing): it will be made. A folder that
        # cannot be made or written is the writer's to report (exit status 3).
        status = None
    if status is not None:
        if stat.S_ISDIR(status.st_mode):
            return "is a folder; give a file name"
        if not stat.S_ISREG(status.st_mode):
            return "is not a regular file (a FIFO, a device or a socket)"
        if (status.st_dev, status.st_ino) in identities:
            return "is one of the build's inputs"
    if path.resolve() in resolved:
        return "is one of the build's inputs"
    return None
