"""`broadsheet man`: the manual page, broadsheet(1), in roff, made from the parser.

Generated from `cli.parser()` through `clidefs`, like the completion
scripts, so every command and option that `--help` shows is in the page,
with the same words and examples. The page carries no date, so the same
version always gives the same bytes.
"""

from __future__ import annotations

import argparse

from broadsheet import __version__
from broadsheet.cli.definitions import Option, commands, top_options

EXIT_STATUS = (
    ("0", "success"),
    ("1", "content errors: the input is wrong (each reported as file:line:col: error: ...)"),
    ("2", "usage errors: the command line is wrong"),
    ("3", "an internal failure; rerun with --debug for the traceback"),
)
ENVIRONMENT = (
    ("NO_COLOR", "no colour in diagnostics, even on a terminal"),
    ("SOURCE_DATE_EPOCH", "the creation date written into PDFs, for reproducible builds"),
    ("BROADSHEET_BUILD_SECONDS", "the time limit of one build (default 300)"),
    ("BROADSHEET_MEMORY_MB", "the memory limit of the process (default 4096)"),
    ("BROADSHEET_SMTP_USER, BROADSHEET_SMTP_PASSWORD", "the mail server's login (mail)"),
    ("BROADSHEET_DKIM_KEY, BROADSHEET_DKIM_SELECTOR", "the DKIM signing key and selector (mail)"),
    ("BROADSHEET_UNSUBSCRIBE_SECRET", "the secret behind the unsubscribe tokens (mail)"),
    ("BROADSHEET_IMAP_PASSWORD", "the password of an IMAP mailbox (bounces)"),
)


def escape(text: str) -> str:
    """Text safe in roff: backslashes and hyphens escaped, no line read as a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(
        f"\\&{line}" if line.startswith((".", "'")) else line for line in text.splitlines()
    )


def manpage(parser: argparse.ArgumentParser) -> str:
    out = [
        f'.TH BROADSHEET 1 "" "broadsheet {__version__}" "User Commands"',
        ".SH NAME",
        f"broadsheet \\- {escape(_first_lower(parser.description or ''))}",
        ".SH SYNOPSIS",
        ".B broadsheet",
        "[\\-\\-version] [\\-\\-help]",
        ".I COMMAND",
        "[\\fIoptions\\fR]",
        ".SH DESCRIPTION",
        escape(parser.description or ""),
        "Each command is described below; "
        "\\fBbroadsheet \\fICOMMAND\\fB \\-\\-help\\fR shows the same.",
        ".SH OPTIONS",
    ]
    for option in top_options(parser):
        out += _option(option)
    out.append(".SH COMMANDS")
    for command in commands(parser):
        out += [f'.SS "{escape(command.name)}"', ".B", escape(command.usage), ".PP"]
        out.append(escape(command.help))
        for option in command.options:
            out += _option(option)
        if command.epilog:
            out += [".PP", ".nf", escape(command.epilog), ".fi"]
    out.append('.SH "EXIT STATUS"')
    for code, meaning in EXIT_STATUS:
        out += [".TP", f".B {code}", escape(meaning)]
    out.append(".SH ENVIRONMENT")
    for name, meaning in ENVIRONMENT:
        out += [".TP", f".B {escape(name)}", escape(meaning)]
    out += [
        '.SH "SEE ALSO"',
        "The README and docs/ of broadsheet: the issue format (docs/format.md) and the"
        " commands (docs/cli.md).",
    ]
    return "\n".join(out) + "\n"


def _option(option: Option) -> list[str]:
    if option.flags:
        names = ", ".join(f"\\fB{escape(flag)}\\fR" for flag in option.flags)
    else:
        names = f"\\fI{escape(option.metavar or '')}\\fR" + ("..." if option.many else "")
    if option.flags and option.metavar:
        names += f" \\fI{escape(option.metavar)}\\fR"
    text = option.help
    if option.choices:
        text = f"{text} (one of: {', '.join(option.choices)})".strip()
    if option.required and option.flags:
        text = f"{text} (required)"
    return [".TP", names, escape(text or " ")]


def _first_lower(text: str) -> str:
    first = text.rstrip(".").split(". ")[0]
    return first[:1].lower() + first[1:]
