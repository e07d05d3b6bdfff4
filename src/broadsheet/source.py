"""Where a value came from, so that every problem can be reported at its place.

Every node the loader produces carries a `Span`: the file, line and column of
the value in the YAML that the user wrote. Validation and rendering keep those
spans, so that even a problem found late (a picture that fails to decode, a
template that trips on a value) points the editor at the line to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Span:
    """A position in a source file; lines and columns count from 1."""

    path: Path
    line: int
    col: int

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.col}"


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Scalar:
    """A plain value as written, before the schema decides its type.

    `text` is the characters of the value exactly as YAML read them, so that a
    title of `NO` stays the word "NO" rather than YAML 1.1's false; `tag` is
    what YAML alone would have made of it (str, int, bool, null, float, timestamp).
    """

    span: Span
    text: str
    tag: str
    block: bool = False  # a `|` or `>` block scalar, whose text starts on the next line
    indent: int = 0  # for a block scalar: the column where its lines start

    @property
    def is_null(self) -> bool:
        return self.tag == "null"


@dataclass(frozen=True)
class Sequence:
    span: Span
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Mapping:
    """A YAML mapping; `keys` holds each key's own span, for "unknown key" errors."""

    span: Span
    items: dict[str, Node] = field(default_factory=dict)
    keys: dict[str, Span] = field(default_factory=dict)


Node = Scalar | Sequence | Mapping


def kind_name(node: Node) -> str:
    """How a node is named in messages: 'a list', 'a mapping', or the scalar's text."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    if node.is_null:
        return "nothing"
    return repr(node.text)
