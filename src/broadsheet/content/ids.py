"""Anchor ids: every article and box gets one, unique within the issue.

Contents links, bookmarks and jump lines all point at these names, so two
stories with the same title must still get two ids. Explicit ids must be
unique (a jumped article's `<id>-continued` is reserved too); ids derived from
titles are made unique with -2, -3...
"""

from __future__ import annotations

import re
import unicodedata

from broadsheet.errors import Diagnostic, error
from broadsheet.source import Mapping, Node, Span


def assign_ids(problems: list[Diagnostic], items: list[dict], nodes: list[Node]) -> list[str]:
    """Explicit ids must be unique; ids derived from titles are made unique with -2, -3..."""
    taken: dict[str, Span] = {}
    for item, node in zip(items, nodes, strict=True):
        if item.get("jump_after") and item["id"]:
            taken[f"{item['id']}-continued"] = node.span
    for item, node in zip(items, nodes, strict=True):
        if item["id"]:
            assert isinstance(node, Mapping)
            span = node.items["id"].span
            if item["id"] in taken:
                problems.append(
                    error(
                        span,
                        f"id {item['id']!r} is used twice (first at line {taken[item['id']].line})",
                    )
                )
            taken.setdefault(item["id"], span)
    ids = []
    for n, (item, node) in enumerate(zip(items, nodes, strict=True), start=1):
        if item["id"]:
            ids.append(item["id"])
            continue
        base = slugify(item["title"]) or f"item-{n}"
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        taken[candidate] = node.span
        if item.get("jump_after"):
            taken[f"{candidate}-continued"] = node.span
        ids.append(candidate)
    return ids


def slugify(title: str) -> str:
    """An ASCII anchor name from a title ("Café news!" -> "cafe-news")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
