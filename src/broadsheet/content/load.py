"""Stage 1, load: a YAML file becomes span-carrying nodes, merged with newsletter.yaml.

YAML is composed, never constructed: the composer builds a graph of nodes with
their positions and runs no constructor, so a tag such as
`!!python/object/apply:os.system` can only ever be reported, not executed. The
walk that turns the graph into `source` nodes enforces the limits: document
size, nesting depth, and the number of values once aliases are expanded (a
"billion laughs" document is a few hundred bytes that alias into billions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from broadsheet.errors import ContentError, Diagnostic, UsageError, error
from broadsheet.paths import inside, outside_error, unreadable
from broadsheet.source import Mapping, Node, Scalar, Sequence, Span

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 24
MAX_VALUES = 200_000
NEWSLETTER_FILE = "newsletter.yaml"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{t}": t for t in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Loaded:
    """An issue file and, when present, its folder's newsletter.yaml, as nodes."""

    issue_path: Path
    issue: Mapping
    publication: Mapping | None

    @property
    def files(self) -> tuple[Path, ...]:
        pub = (self.publication.span.path,) if self.publication else ()
        return (self.issue_path, *pub)

    def merged(self) -> Mapping:
        """The issue's keys over the publication's, except `boxes`: the issue's come first."""
        if self.publication is None:
            return self.issue
        items = dict(self.publication.items)
        keys = dict(self.publication.keys)
        items.update(self.issue.items)
        keys.update(self.issue.keys)
        own, standing = self.issue.items.get("boxes"), self.publication.items.get("boxes")
        if isinstance(own, Sequence) and isinstance(standing, Sequence):
            items["boxes"] = Sequence(own.span, own.items + standing.items)
        return Mapping(self.issue.span, items, keys)


def load(issue_path: Path, root: Path | None = None) -> Loaded:
    """Read an issue and its newsletter.yaml; raise ContentError with every problem found.

    The issue is the file the editor named; its newsletter.yaml is found, so
    with a project `root` it must lie inside it, its links followed, like
    every other file a build reads."""
    issue = load_mapping(issue_path)
    publication_path = issue_path.parent / NEWSLETTER_FILE
    publication = None
    if publication_path.is_file() and publication_path.resolve() != issue_path.resolve():
        if root is not None and not inside(publication_path.resolve(), root.resolve()):
            raise ContentError([outside_error(publication_path)])
        publication = load_mapping(publication_path)
    return Loaded(issue_path, issue, publication)


def require_issue_file(path: Path) -> None:
    """A usage error unless `path` is a readable issue file: `newsletter.yaml`
    holds what every issue shares and is never an issue (so no issue's PDF
    is ever called build/newsletter.pdf, the archive's)."""
    reason = unreadable(path)
    if reason == "no such file":
        raise UsageError([error(None, f"no such issue file: {path}")])
    if reason:
        raise UsageError([error(None, f"cannot read the issue {path}: {reason}")])
    if path.name == NEWSLETTER_FILE:
        message = f"{path} holds what every issue shares; it is not an issue"
        raise UsageError([error(None, message)])


def load_mapping(path: Path) -> Mapping:
    """Load one YAML file whose document must be a mapping."""
    node = load_document(path)
    if not isinstance(node, Mapping):
        raise ContentError([error(node.span, "expected a mapping of keys at the top of the file")])
    return node


def load_document(path: Path) -> Node:
    text = _read_text(path)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if "single document" in f"{exc.problem} {exc.context}":
            raise ContentError(
                [error(_span(path, exc.problem_mark), "expected one YAML document, found several")]
            ) from None
        raise ContentError([_yaml_error(path, text, exc)]) from None
    except yaml.YAMLError as exc:  # errors without a position (rare: reader errors)
        raise ContentError([error(Span(path, 1, 1), f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if root is None:
        raise ContentError([error(Span(path, 1, 1), "the file is empty")])
    explosion = _explosion(root)  # refused before a single value is made
    if explosion is not None:
        message = f"more than {MAX_VALUES:,} values once aliases are expanded"
        raise ContentError([error(_span(path, explosion.start_mark), message)])
    walk = _Walk(path, text)
    node = walk.convert(root, 0)
    if walk.problems:
        raise ContentError(walk.problems)
    return node


def _explosion(root: yaml.Node) -> yaml.Node | None:
    """The node where expanding aliases passes MAX_VALUES, or None.

    Counted on the composed graph, where an alias is one shared node, so a
    "billion laughs" document of 500 bytes is measured in microseconds instead
    of expanded. The node named is the smallest whose expansion is too large:
    the line where the laughter starts. A node met again while it is being
    counted (a recursive alias) is too large too."""
    sizes: dict[int, int] = {}

    def children(node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return node.value
        if isinstance(node, yaml.MappingNode):
            return [child for pair in node.value for child in pair]
        return []

    def size(node: yaml.Node) -> int:
        if id(node) not in sizes:
            sizes[id(node)] = MAX_VALUES + 1  # in progress: a cycle back here is too many
            total = 1
            for child in children(node):
                total += size(child)
                if total > MAX_VALUES:
                    break
            sizes[id(node)] = total
        return sizes[id(node)]

    try:
        if size(root) <= MAX_VALUES:
            return None
    except RecursionError:  # nesting far past MAX_DEPTH: the walk below says so
        return None
    node, seen = root, set()
    while id(node) not in seen:
        seen.add(id(node))
        larger = [child for child in children(node) if sizes.get(id(child), 0) > MAX_VALUES]
        if not larger:
            break
        node = larger[0]
    return node


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentError(
                [error(Span(path, 1, 1), f"the file is {size:,} bytes; the limit is 2 MiB")]
            )
        if not path.is_file():
            raise ContentError([error(Span(path, 1, 1), "not a regular file")])
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as exc:
        raise ContentError([error(Span(path, 1, 1), f"cannot read: {exc.strerror}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            [error(Span(path, line, col), f"not UTF-8: byte 0x{data[exc.start]:02x} here")]
        ) from None
    return text.removeprefix("\ufeff")  # a BOM is harmless; editors on Windows add it


def _span(path: Path, mark) -> Span:
    return Span(path, mark.line + 1, mark.column + 1)


def _yaml_error(path: Path, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        problem = "a tab character here; YAML indents with spaces only"
        exc.context = None
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    span = _span(path, mark) if mark else Span(path, 1, 1)
    return error(span, f"invalid YAML: {problem}{context}")


class _Walk:
    """Turn a composed YAML graph into source nodes, collecting every problem."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.values = 0
        self.problems: list = []

    def indent(self, node: yaml.ScalarNode) -> int:
        """The column of a block scalar's first content line (1-based)."""
        for line in self.lines[node.start_mark.line + 1 :]:
            if line.strip():
                return len(line) - len(line.lstrip(" ")) + 1
        return node.start_mark.column + 1

    def convert(self, node: yaml.Node, depth: int) -> Node:
        span = _span(self.path, node.start_mark)
        self.values += 1
        if self.values > MAX_VALUES:
            raise ContentError(
                [error(span, f"more than {MAX_VALUES:,} values once aliases are expanded")]
            )
        if depth > MAX_DEPTH:
            raise ContentError([error(span, f"nested deeper than {MAX_DEPTH} levels")])
        if isinstance(node, yaml.ScalarNode):
            tag = _SCALAR_TAGS.get(node.tag)
            if tag is None:
                self.problems.append(error(span, f"unsupported YAML tag {node.tag!r}"))
                tag = "str"
            block = node.style in ("|", ">")
            return Scalar(span, node.value, tag, block, self.indent(node) if block else 0)
        if node.tag not in (f"{_YAML}seq", f"{_YAML}map"):
            self.problems.append(error(span, f"unsupported YAML tag {node.tag!r}"))
        if isinstance(node, yaml.SequenceNode):
            return Sequence(span, tuple(self.convert(item, depth + 1) for item in node.value))
        items: dict[str, Node] = {}
        keys: dict[str, Span] = {}
        for key_node, value_node in node.value:
            key_span = _span(self.path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == f"{_YAML}merge":
                self.problems.append(error(key_span, "a key must be a plain word"))
                continue
            key = key_node.value
            if key in items:
                first = keys[key]
                self.problems.append(
                    error(key_span, f"duplicate key {key!r} (first set at line {first.line})")
                )
                continue
            keys[key] = key_span
            items[key] = self.convert(value_node, depth + 1)
        return Mapping(span, items, keys)
