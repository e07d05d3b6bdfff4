"""The content stages together: an issue file loaded and validated into the
model, or every problem it has (`broadsheet check`, and the first stage of
every build)."""

from __future__ import annotations

from pathlib import Path

from broadsheet.content.load import load, require_issue_file
from broadsheet.content.model import Issue
from broadsheet.content.validate import validate


def check(issue_path: Path, root: Path) -> Issue:
    """Load and validate: the Issue, or a ContentError with every problem."""
    require_issue_file(issue_path)
    return validate(load(issue_path, root), root)
