"""The model from checked values: the last step of validation.

`validate` checks every node against the schema and collects every problem;
when there are none, this turns the checked values into the frozen `Issue`
(model.py), keeping the span of each article, box and picture.
"""

from __future__ import annotations

from pathlib import Path

from broadsheet.content.load import Loaded
from broadsheet.content.model import Article, Box, Contact, Dkim, Issue, MailSettings, Picture
from broadsheet.content.slugs import slug_of
from broadsheet.source import Mapping, Node, Span


def _mail(values: dict | None, span: Span | None, keys: dict[str, Span]) -> MailSettings:
    """The `mail:` settings, or their defaults when there are none; `keys`
    says where each of its keys was written."""
    if not values:
        return MailSettings(span=span)
    smtp, dkim = values["smtp"] or {}, values["dkim"]
    return MailSettings(
        sender=values["from"],
        sender_name=values["from_name"],
        reply_to=values["reply_to"],
        subject=values["subject"],
        host=smtp.get("host"),
        port=smtp.get("port"),
        security=smtp.get("security") or "starttls",
        unsubscribe=values["unsubscribe"] or (),
        max_message_mb=values["max_message_mb"],
        dkim=Dkim(dkim["selector"], dkim["key"], dkim["domain"]) if dkim else None,
        span=span,
        unsubscribe_span=keys.get("unsubscribe"),
    )


def _picture(values: dict | None, node: Node) -> Picture | None:
    if values is None:
        return None
    return Picture(values["src"], values["alt"], values["caption"], values["credit"], node.span)


def assemble(
    loaded: Loaded,
    root: Path,
    v: dict,
    ids: list[str],
    nodes: list[Node],
    keys: dict[str, Span],
    mail_keys: dict[str, Span] | None = None,
) -> Issue:
    """The model from checked values; `keys` says where each top-level key was
    written, `mail_keys` each key under `mail:`."""
    n_articles = len(v["articles"])
    articles = tuple(
        Article(
            title=a["title"],
            id=ids[i],
            body=a["body"],
            span=nodes[i].span,
            subtitle=a["subtitle"],
            date=a["date"],
            author=a["author"],
            pullquote=a["pullquote"],
            image=_picture(
                a["image"],
                nodes[i].items.get("image") if isinstance(nodes[i], Mapping) else nodes[i],
            ),
            link=a["link"],
            toc=a["toc"],
            jump_after=a["jump_after"],
            lang=a["lang"] if a["lang"] and a["lang"] != v["lang"] else None,
        )
        for i, a in enumerate(v["articles"])
    )
    boxes = tuple(
        Box(
            title=b["title"],
            id=ids[n_articles + i],
            span=nodes[n_articles + i].span,
            body=b["body"],
            contact=b["contact"],
            toc=b["toc"],
        )
        for i, b in enumerate(v["boxes"] or [])
    )
    c = v["contact"]
    contact = None
    if c:
        address = tuple(line.strip() for line in (c["address"] or "").splitlines() if line.strip())
        contact = Contact(address, c["email"], c["website"], c["phone"])
    issue = v["issue"]
    return Issue(
        mail=_mail(v["mail"], keys.get("mail"), mail_keys or {}),
        path=loaded.issue_path,
        root=root,
        slug=slug_of(loaded.issue_path, root),
        name=v["name"],
        number=issue["number"],
        date=issue["date"],
        articles=articles,
        span=loaded.issue.span,
        tagline=v["tagline"],
        logo=v["logo"],
        lang=v["lang"],
        theme=v["theme"],
        page_size=v["page_size"],
        toc_title=v["toc_title"],
        pages=v["pages"],
        size_budget_mb=v["size_budget_mb"],
        size_budget_span=keys.get("size_budget_mb"),
        labels=v["labels"] or {},
        digits=v["digits"],
        contact=contact,
        boxes=boxes,
        volume=issue["volume"],
        title=issue["title"],
        sources=loaded.files,
    )
