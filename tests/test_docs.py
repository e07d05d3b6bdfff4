"""Docs are tested like code: every key of the schema is documented and described,
every key of `broadsheet inspect --json`, every profile and every option of
`broadsheet mail` too."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

from broadsheet.cli import main as cli
from broadsheet.content import schema
from broadsheet.content.model import Issue
from broadsheet.labels import ENGLISH
from broadsheet.pdf.inspection import inspect_pdf
from broadsheet.profiles import PRINT, PROFILES
from conftest import build_sample

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "format.md"
PROFILES_DOC = REPO / "docs" / "profiles.md"
MAIL_DOC = REPO / "docs" / "mail.md"
README = REPO / "README.md"


def all_keys():
    found = []

    def walk(keys):
        for key in keys:
            found.append(key)
            walk(key.args.get("keys", ()))

    walk(schema.keys_of(Issue))
    return found


def test_every_key_has_a_meaning_and_is_in_the_format_page():
    text = DOCS.read_text()
    for key in all_keys():
        assert key.meaning.strip(), key.name
        assert f"`{key.name}`" in text, f"{key.name} is not documented in docs/format.md"


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
