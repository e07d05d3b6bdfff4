"""Docs are tested like code: every key of the format is in docs/format.md's key
tables, with its default and type, and so is every key of `broadsheet inspect
--json`, every profile and every option of `broadsheet mail`."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

from broadsheet.cli import main as cli
from broadsheet.content import schema
from broadsheet.content.model import Issue, Publication
from broadsheet.labels import ENGLISH
from broadsheet.pdf.inspection import inspect_pdf
from broadsheet.profiles import PRINT, PROFILES
from conftest import build_sample

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "format.md"
PROFILES_DOC = REPO / "docs" / "profiles.md"
MAIL_DOC = REPO / "docs" / "mail.md"
README = REPO / "README.md"


# docs/format.md's key tables, by the heading (or the "`name`:" line) above
# them, and the mapping of the issue file whose keys each lists ("" is the
# file itself; a row's dotted key, `issue.number`, is a key inside one).
KEY_TABLES = {
    "Publication keys (`newsletter.yaml`, or the issue file)": "",
    "Issue keys": "",
    "Article": "articles",
    "Box": "boxes",
    "Mail (extension)": "mail",
    "smtp": "mail.smtp",
    "per_domain": "mail.smtp.per_domain",
    "dkim": "mail.dkim",
}

# How the type column starts for each kind of key.
KIND_WORDS = {
    "text": "text",
    "lines": "text",
    "markdown": "Markdown",
    "integer": "whole number",
    "megabytes": "number, like",
    "rate": "number above 0, like",
    "focus": "position: keywords",
    "boolean": "boolean",
    "date": "date",
    "slug": "slug",
    "url": "http(s) address",
    "web_base": "https address",
    "email": "email address",
    "mailbox": "email address, ASCII before the `@`",
    "domain_name": "letters, digits, hyphens and dots",
    "lang": "language tag",
    "page_size": ", ".join(f"`{size}`" for size in schema.PAGE_SIZES.values()),
    "theme": "text",
    "labels": "mapping",
    "image_path": "path",
    "file_path": "path",
    "unsubscribe": "text, or a list",
    "record": "mapping",
}


def every_key() -> dict[str, schema.Key]:
    """Every key of the issue file by its path: "name", "mail.smtp.host", and
    "articles.title" for the title of each article."""
    found = {}

    def walk(path: str, keys: tuple[schema.Key, ...]) -> None:
        for key in keys:
            found[path + key.name] = key
            walk(f"{path}{key.name}.", key.args.get("keys", ()))

    walk("", schema.keys_of(Issue))
    return found


def key_tables() -> Iterator[tuple[str, list[list[str]]]]:
    """(label, rows) for each table of docs/format.md whose columns are key,
    type, default and meaning; a row is its four cells."""
    label, rows = "", None
    for line in DOCS.read_text().splitlines():
        if rows is not None and not line.startswith("|"):
            yield label, rows
            rows = None
        if line.startswith("#"):
            label = line.lstrip("#").strip()
        elif re.fullmatch(r"`(\w+)`.*:", line):
            label = line[1 : line.index("`", 1)]
        elif line == "| key | type | default | meaning |":
            rows = []
        elif rows is not None and not line.startswith("| ---"):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    if rows is not None:
        yield label, rows


def documented_keys() -> dict[str, list[str]]:
    """Each documented key by its full path ("mail.smtp.host"), with its row."""
    found: dict[str, list[str]] = {}
    for label, rows in key_tables():
        assert label in KEY_TABLES, f"a key table under {label!r}: which mapping does it list?"
        for row in rows:
            assert len(row) == 4 and re.fullmatch(r"`[\w.]+`", row[0]), row
            found[f"{KEY_TABLES[label]}.{row[0].strip('`')}".lstrip(".")] = row
    return found


def test_every_key_is_documented_and_every_documented_key_exists():
    keys = every_key()
    documented = documented_keys()
    assert all(key.meaning.strip() for key in keys.values())
    assert sorted(set(keys) - set(documented)) == [], "keys not in docs/format.md's tables"
    assert sorted(set(documented) - set(keys)) == [], "documented keys that do not exist"


def test_publication_keys_are_the_ones_newsletter_yaml_may_hold():
    tables = dict(key_tables())
    heading = "Publication keys (`newsletter.yaml`, or the issue file)"
    documented = {row[0].strip("`") for row in tables[heading] if "." not in row[0]}
    assert documented == {key.name for key in schema.keys_of(Publication)}
    issue_only = {row[0].strip("`") for row in tables["Issue keys"] if "." not in row[0]}
    assert issue_only >= {key.name for key in schema.keys_of(Issue)} - documented


def test_documented_defaults_and_types_agree_with_the_keys():
    keys = every_key()
    for path, (_, kind, default, _) in documented_keys().items():
        key = keys[path]
        empty = not key.required and key.default in (None, (), {})
        if default == "required":
            assert key.required, f"{path} is documented as required"
        elif default == "none":
            assert empty, f"{path} is documented without a default; it has {key.default!r}"
        elif re.fullmatch(r"`[^`]+`", default):
            shown = str(key.default).lower() if isinstance(key.default, bool) else str(key.default)
            assert default == f"`{shown}`", f"{path}: the default is {shown!r}"
        else:  # in words: a default worked out from other keys
            assert empty, f"{path}: documented default {default!r}, but it has {key.default!r}"
        if key.kind == "choice":
            expected = ", ".join(f"`{choice}`" for choice in key.args["choices"])
        elif key.kind == "list":
            expected = f"list of {key.args['model'].__name__.lower()}"
        else:
            expected = KIND_WORDS[key.kind]
        assert kind.startswith(expected), f"{path} is {key.kind}: its type should say {expected!r}"


def test_every_label_is_documented():
    text = DOCS.read_text()
    for label in ENGLISH:
        assert f"`{label}`" in text, label


def json_keys(data) -> Iterator[str]:
    """Every key of a JSON value, at any depth, dicts inside lists included."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from json_keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from json_keys(item)


def test_every_inspect_json_key_is_documented(tmp_path):
    # The archive: the only profile with attachments.
    pdf = build_sample("2026-11", tmp_path / "x.pdf", "--profile", "archive")
    # Judged as a print PDF, the archive has findings (no bleed, no PDF/UA claim),
    # so every list holds entries and the keys of its entries are collected too.
    data = inspect_pdf(pdf, PRINT).as_data()
    empty = [key for key, value in data.items() if isinstance(value, list) and not value]
    assert not empty, f"no entries to collect keys from: {empty}"
    text = PROFILES_DOC.read_text()
    missing = sorted({key for key in json_keys(data) if f"`{key}`" not in text})
    assert not missing, f"inspect --json keys not documented in docs/profiles.md: {missing}"


def test_every_profile_is_documented():
    profiles_doc, readme = PROFILES_DOC.read_text(), README.read_text()
    for name, profile in PROFILES.items():
        assert f"`{name}`" in profiles_doc, f"profile {name} is not in docs/profiles.md"
        assert f"`{name}`" in readme, f"profile {name} is not in README.md"
        assert f"`build/<slug>{profile.suffix}.pdf`" in profiles_doc, name
        if profile.dpi:
            assert f"at most {profile.dpi} dpi" in profiles_doc, name


def mail_options() -> list[str]:
    """Every long option of `broadsheet mail`, as the parser knows them."""
    commands = next(
        action for action in cli.parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    mail = commands.choices["mail"]
    return [
        option
        for action in mail._actions
        for option in action.option_strings
        if option.startswith("--")
    ]


def test_every_mail_option_is_documented():
    options = mail_options()
    assert "--dry-run" in options and "--resend-unknown" in options, options
    text = MAIL_DOC.read_text()
    missing = [o for o in options if not re.search(rf"`{re.escape(o)}(?![\w-])", text)]
    assert not missing, f"broadsheet mail options not documented in docs/mail.md: {missing}"


def command_options(name: str) -> list[str]:
    commands = next(
        action for action in cli.parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    return [
        option
        for action in commands.choices[name]._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]


def test_watch_and_jobs_are_documented():
    text = (REPO / "docs" / "cli.md").read_text()
    readme = README.read_text()
    for option in [*command_options("watch"), "--jobs"]:
        assert re.search(rf"`{re.escape(option)}(?![\w-])", text), option
    assert "broadsheet watch" in readme and "--jobs" in readme


def test_readme_names_every_system_package_ci_installs():
    """A new user installs from the README, CI from .ci/run: the two lists
    must agree, or the first `make test` on a fresh machine fails."""
    ci = (REPO / ".ci" / "run").read_text()
    packages = re.search(r"for pkg in ([^;]+); do", ci).group(1).split()
    readme = README.read_text()
    missing = [name for name in packages if name not in readme]
    assert not missing, f"README does not name {missing}"


def test_dependencies_install_with_build_isolation_and_ci_uses_no_cache():
    """A source-only dependency (dkimpy) needs its build backend in an isolated
    environment: without one it fails on a machine whose pip cache is empty,
    which CI reproduces by turning the cache off."""
    makefile = (REPO / "Makefile").read_text()
    for line in makefile.splitlines():
        if "install" in line and "'.[" in line:
            assert "--no-build-isolation" not in line, line
    assert "PIP_NO_CACHE_DIR=1" in (REPO / ".ci" / "run").read_text()
