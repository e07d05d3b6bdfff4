"""The model from checked values: the last step of validation.

`validate` checks every node against the key tables of the model's classes
and collects every problem; when there are none, `build` fills each class
from the checked values of its keys, the same way for all of them. What no
key says is given here: the ids, and the span of each article, box, picture
and of the mail settings.
"""

from __future__ import annotations

from pathlib import Path

from broadsheet.content.load import Loaded
from broadsheet.content.model import Article, Box, Issue, MailSettings, Picture
from broadsheet.content.schema import field_keys
from broadsheet.content.slugs import slug_of
from broadsheet.source import Mapping, Node, Span


def build(model: type, values: dict | None, **given):
    """`model` from the checked values of its keys (None: no key was written)
    and the fields in `given`. A record key's value becomes its own model."""
    values = values or {}
    fields = {}
    for key in field_keys(model):
        if key.attr in given:
            continue
        written = values if key.under is None else values.get(key.under.name) or {}
        value = written.get(key.name, key.default)
        if key.kind == "record" and value is not None:
            value = build(key.args["model"], value)
        fields[key.attr] = value
    return model(**fields, **given)


def assemble(
    loaded: Loaded,
    root: Path,
    v: dict,
    ids: list[str],
    nodes: list[Node],
    keys: dict[str, Span],
    mail_keys: dict[str, Span] | None = None,
    mail_values: dict[str, Span] | None = None,
) -> Issue:
    """The model from checked values; `keys` says where each top-level key was
    written, `mail_keys` each key under `mail:`, `mail_values` each value."""
    articles = tuple(
        build(
            Article,
            a,
            id=ids[i],
            span=nodes[i].span,
            image=_picture(a["image"], nodes[i]),
            lang=a["lang"] if a["lang"] and a["lang"] != v["lang"] else None,
        )
        for i, a in enumerate(v["articles"])
    )
    boxes = tuple(
        build(Box, b, id=ids[len(articles) + i], span=nodes[len(articles) + i].span)
        for i, b in enumerate(v["boxes"])
    )
    mail_keys = mail_keys or {}
    mail = build(
        MailSettings,
        v["mail"],
        span=keys.get("mail"),
        unsubscribe_span=mail_keys.get("unsubscribe"),
        attach_span=mail_keys.get("attach"),
        personalise_span=(mail_values or {}).get("personalise"),
    )
    return build(
        Issue,
        v,
        articles=articles,
        boxes=boxes,
        mail=mail,
        size_budget_span=keys.get("size_budget_mb"),
        path=loaded.issue_path,
        root=root,
        slug=slug_of(loaded.issue_path, root),
        span=loaded.issue.span,
        sources=loaded.files,
    )


def _picture(values: dict | None, article: Node) -> Picture | None:
    if values is None:
        return None
    assert isinstance(article, Mapping)
    return build(Picture, values, span=article.items["image"].span)
