"""The issue format's vocabulary: how a key is declared, and the tables read off the model.

Every key is written once, on the model field it fills (model.py):
`title: str = key("text", "the headline", required=True)`. `keys_of(Article)`
reads the key table of a class off its fields, in order; validation walks
these tables (validate.py), assembly fills the classes from the checked values
(assemble.py), and the documentation test holds docs/format.md's key tables to
them. A key's kind names the checker that reads it (validate.CHECKERS).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

PAGE_SIZES = {"a4": "A4", "letter": "Letter", "a5": "A5"}

# Words editors reach for, mapped to the key the format uses; "did you mean" offers them.
SYNONYMS = {
    "byline": "author",
    "by": "author",
    "writer": "author",
    "headline": "title",
    "heading": "title",
    "name": "title",
    "deck": "subtitle",
    "standfirst": "subtitle",
    "summary": "subtitle",
    "subhead": "subtitle",
    "text": "body",
    "content": "body",
    "markdown": "body",
    "url": "link",
    "href": "link",
    "source": "link",
    "more": "link",
    "photo": "image",
    "picture": "image",
    "img": "image",
    "quote": "pullquote",
    "pull_quote": "pullquote",
    "dateline": "date",
    "published": "date",
    "caption_text": "caption",
    "description": "alt",
    "alt_text": "alt",
    "language": "lang",
    "locale": "lang",
    "paper": "page_size",
    "size": "page_size",
    "vol": "volume",
    "no": "number",
    "issue_number": "number",
    "web": "website",
    "site": "website",
    "url_site": "website",
    "mail": "email",
    "telephone": "phone",
    "tel": "phone",
    "postal": "address",
}


@dataclass(frozen=True)
class Group:
    """A key whose own keys fill fields of the class that holds it: `issue:`
    (number, date... of the Issue) and `smtp:` (host, port... of the mail settings)."""

    name: str
    meaning: str
    required: bool = False


@dataclass(frozen=True)
class Key:
    """One key as validation reads it: name, kind, meaning, and what its absence means."""

    name: str  # as written in the YAML
    kind: str  # the name of a checker in validate.CHECKERS
    meaning: str
    required: bool = False
    default: object = None  # the value when the key is left out (or empty)
    args: dict = field(default_factory=dict)  # for its checker: choices, a record's keys...
    attr: str = ""  # the model field it fills
    under: Group | None = None  # the key it is written inside, if its field is on the parent


def key(
    kind: str,
    meaning: str,
    *,
    required: bool = False,
    default: object = None,
    name: str = "",
    under: Group | None = None,
    **args: object,
) -> Any:
    """A model field filled from the key of its name (or `name`). `args` go to
    the checker: `choices`; for a record or a list, the `model` of its values,
    and a list's `min` and `max` items. A required key's field has no default."""
    spec = {"key": Key(name, kind, meaning, required, default, args, under=under)}
    if required:
        return field(metadata=spec)
    if isinstance(default, dict):
        return field(default_factory=lambda: copy.copy(default), metadata=spec)
    return field(default=default, metadata=spec)


@functools.cache
def field_keys(model: type) -> tuple[Key, ...]:
    """The key of each field of `model` that has one, in field order, named and complete."""
    keys = []
    for f in dataclasses.fields(model):
        spec = f.metadata.get("key")
        if spec is None:
            continue
        spec = dataclasses.replace(spec, name=spec.name or f.name, attr=f.name)
        if "model" in spec.args:
            keys_inside = keys_of(spec.args["model"])
            spec = dataclasses.replace(spec, args={**spec.args, "keys": keys_inside})
        keys.append(spec)
    return tuple(keys)


@functools.cache
def keys_of(model: type) -> tuple[Key, ...]:
    """The keys of the mapping `model` is filled from, in order: the keys of a
    group become one record key, where its first field stands."""
    keys: list[Key] = []
    for spec in field_keys(model):
        group = spec.under
        if group is None:
            keys.append(spec)
        elif group.name not in (k.name for k in keys):
            inside = tuple(k for k in field_keys(model) if k.under == group)
            keys.append(
                Key(group.name, "record", group.meaning, group.required, args={"keys": inside})
            )
    return tuple(keys)
