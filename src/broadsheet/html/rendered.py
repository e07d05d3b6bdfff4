"""What the render stage hands the engine (`Rendered`) and what copy-fit may
ask of it (`Fitting`).

Kept apart from render.py so the engine's side of a build (typeset.py, and a
build whose companion process renders, see companion.py) can hold them
without importing Jinja2 and Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Fitting:
    """What the copy-fit pass may change between two layouts of an issue
    (see layouts.lay_out): where some photos go, and a tighter spacing."""

    photo_after: Mapping[str, int] = field(default_factory=dict)  # article id -> blocks before
    tight: bool = False  # the theme's `html.fit-tight` rules apply


@dataclass(frozen=True)
class Rendered:
    html: str
    base_url: str
    stylesheets: list[Path]
    templates: list[Path] = field(default_factory=list)  # every template file used
