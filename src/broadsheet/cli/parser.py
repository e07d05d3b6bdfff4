"""The command line's definition: every command, its options, help and examples.

`main.py` runs what this parses; shell completion and the manual page are
generated from it (definitions.py), so they never fall behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from pathlib import Path

from broadsheet import __version__, clock
from broadsheet.cli.editions import EDITIONS
from broadsheet.content.model import MAX_CONNECTIONS
from broadsheet.errors import EVERY_WARNING, EXCEPT_FIT, Diagnostic, UsageError
from broadsheet.profiles import EMAIL, PROFILES

EXAMPLES = {
    "build": """example:
  broadsheet build issues/2026-10.yaml              writes build/2026-10.pdf
  broadsheet build issues/*.yaml                    every issue, one PDF each
  broadsheet build issues/2026-10.yaml -o out.pdf --html out.html
  broadsheet build issues/2026-10.yaml --edition pdf --edition web
                                                    the PDF, then build/site/2026-10/""",
    "check": """example:
  broadsheet check issues/2026-10.yaml              exit 0 when the issue is valid""",
    "inspect": """example:
  broadsheet inspect build/2026-10.pdf              a report to read
  broadsheet inspect build/2026-10.pdf --json       the same for scripts
exit status 1 when a finding is an error (a broken link, a wrong page number,
an unembedded font, a standard claimed but not met)""",
    # The editor's commands (new, import, archive, completion, man).
    "new": """example:
  broadsheet new                                    the next issue, e.g. issues/2026-12.yaml
  broadsheet new 2026-12-special --date 2026-12-15  a name and a date of your own""",
    "import": """example:
  broadsheet import https://example.org/feed.xml --since 2026-10-01
  broadsheet import feed.xml --since 2026-10-01 -o issues/2026-11.yaml --images""",
    "archive": """example:
  broadsheet archive                         build/newsletter.pdf, build/index.html, build/site/""",
    "completion": """example:
  broadsheet completion bash > ~/.local/share/bash-completion/completions/broadsheet
  broadsheet completion zsh > ~/.zfunc/_broadsheet
  broadsheet completion fish > ~/.config/fish/completions/broadsheet.fish""",
    "man": """example:
  broadsheet man -o build/broadsheet.1 && man build/broadsheet.1""",
    "mail": """example:
  broadsheet mail issues/2026-10.yaml --to subscribers.csv --dry-run build/outbox
  broadsheet mail issues/2026-10.yaml --to subscribers.csv --smtp mail.example.org:587
  broadsheet mail issues/2026-10.yaml --to subscribers.csv --connections 3 --per-domain-rate 1
  broadsheet mail issues/2026-10.yaml --to subscribers.csv --smtp localhost:25 --plain --relay
the SMTP user name and password come from BROADSHEET_SMTP_USER and
BROADSHEET_SMTP_PASSWORD; a rerun sends only to those not yet sent.""",
    "bounces": """example:
  broadsheet bounces ~/Maildir/.bounces              bounces and unsubscribes, read once each
  broadsheet bounces unsubscribes.mbox --soft-limit 5
  broadsheet bounces imaps://bounces@mail.example.org/INBOX""",
    "watch": """example:
  broadsheet watch issues/2026-10.yaml              rebuilds build/2026-10.pdf on each change
  broadsheet watch issues/2026-10.yaml --html build/2026-10.html
stop it with Ctrl-C (exit status 0).""",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is raised (exit 2) instead of exiting the process."""

    def error(self, message: str):
        raise UsageError([Diagnostic(None, "error", f"{message} (see '{self.prog} --help')")])


def parser() -> argparse.ArgumentParser:
    """Every command with its options, examples and help."""
    top = _Parser(
        prog="broadsheet",
        description="Typeset newsletters written in YAML and Markdown into linked PDFs.",
        epilog="example:\n  broadsheet build issues/2026-10.yaml\n\n"
        "Run 'broadsheet COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(
        name: str, help_text: str, on_issues: bool = True, epilog: str | None = None
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES[name] if epilog is None else epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if on_issues:
            sub.add_argument("issues", nargs="+", type=Path, metavar="ISSUE.yaml")
            sub.add_argument(
                "--root",
                type=Path,
                default=None,
                help="the project folder; nothing outside it is read (default: .)",
            )
        sub.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        sub.add_argument(
            "--debug",
            action="store_true",
            help="show each stage's time and, on an internal failure, the traceback",
        )
        return sub

    build = command("build", "Typeset each issue to build/<slug>.pdf.")
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT.pdf",
        help="where to write the PDF (only with one issue)",
    )
    build.add_argument(
        "--html",
        type=Path,
        metavar="OUT.html",
        help="also write the HTML that was typeset (only with one issue)",
    )
    build.add_argument(
        "--depfile",
        type=Path,
        metavar="OUT.d",
        help="also write a make rule listing every file the build read",
    )
    _strict_options(
        build,
        "treat every warning (copy-fit, engine, refused file, alt text, verify) as an error",
    )
    build.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=EMAIL.name,
        help="what the PDF is for (default: email): "
        + "; ".join(f"{p.name}: {p.summary}" for p in PROFILES.values())
        + ". print and archive write build/<slug>-print.pdf and build/<slug>-archive.pdf",
    )
    build.add_argument(
        "--edition",
        action="append",
        choices=list(EDITIONS),
        metavar="EDITION",
        help=f"what to make of each issue, repeatable: {', '.join(EDITIONS)} (default: pdf);"
        " web writes build/site/<slug>/index.html with the PDF beside it when it is built,"
        " text build/<slug>.txt (the issue in 72 columns); each is checked against the issue",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="build the issues in N worker processes (default: the number of cores)",
    )
    command("check", "Validate each issue; report every problem as file:line:col: error: ...")
    inspect = command(
        "inspect",
        "Report what a PDF holds: pages, bytes, fonts, images, contents, links, tags, findings.",
        on_issues=False,
    )
    inspect.add_argument("pdf", type=Path, metavar="FILE.pdf")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of a table")
    inspect.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=None,
        help="judge the PDF for this profile (default: guessed from the file)",
    )
    _mail_arguments(
        command(
            "mail",
            "Send a built issue to every subscriber, once each, through an SMTP server.",
            on_issues=False,
        )
    )
    bounces = command(
        "bounces",
        "Read bounces and unsubscribe requests (Maildir or mbox) into the suppression list.",
        on_issues=False,
    )
    bounces.add_argument(
        "mailboxes",
        nargs="+",
        metavar="MAILBOX",
        help="a Maildir, an mbox, or imaps://USER@HOST/FOLDER (password: BROADSHEET_IMAP_PASSWORD)",
    )
    _suppressions_option(bounces)
    bounces.add_argument(
        "--soft-limit",
        type=int,
        default=3,
        metavar="N",
        help="soft bounces (4xx, delayed) that suppress an address (default: 3)",
    )
    _root_option(bounces)
    _watch_arguments(
        command(
            "watch",
            "Build an issue, then rebuild it whenever a file it uses changes.",
            on_issues=False,
        )
    )
    _editor_commands(command)
    return top


def _editor_commands(command) -> None:
    """new, import, archive, completion and man: their options only; each
    command's work is in its own module, imported when it runs."""
    new = command("new", "Start the next issue from the newest one in issues/.", on_issues=False)
    new.add_argument("slug", nargs="?", metavar="SLUG", help="file name (default: YYYY-MM)")
    new.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="default: a month on")
    _root_option(new)
    feed = command("import", "Draft an issue from a website's RSS or Atom feed.", on_issues=False)
    feed.add_argument("feed", metavar="FEED", help="a feed file, or an http(s) address")
    feed.add_argument(
        "--since", type=_date, required=True, metavar="YYYY-MM-DD", help="posts on or after"
    )
    feed.add_argument(
        "-o", "--output", type=Path, metavar="issues/SLUG.yaml", help="default: the next issue"
    )
    feed.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the issue's date")
    feed.add_argument(
        "--images", action="store_true", help="download each post's first image to images/"
    )
    feed.add_argument(
        "--allow-private",
        action="store_true",
        help="also fetch from loopback and private addresses (a feed on your own network)",
    )
    _root_option(feed)
    archive = command(
        "archive",
        "Build every issue and an index of them: build/newsletter.pdf, build/index.html and"
        " build/site/ (a web page and an Atom feed).",
        on_issues=False,
    )
    _root_option(archive)
    shells = command(
        "completion", "Print a shell completion script for broadsheet.", on_issues=False
    )
    shells.add_argument("shell", choices=["bash", "zsh", "fish"])
    man = command("man", "Print broadsheet's manual page (roff).", on_issues=False)
    man.add_argument("-o", "--output", type=Path, metavar="FILE.1", help="write it here")


def _root_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--root", type=Path, default=None, help="the project folder (default: .)")


def _date(text: str):
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-01-31, got {text!r}") from None
    if not clock.in_range(date):
        raise argparse.ArgumentTypeError(f"expected a date {clock.DATE_RANGE}, got {text!r}")
    return date


def _mail_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("issue", type=Path, metavar="ISSUE.yaml")
    sub.add_argument("--to", type=Path, required=True, metavar="SUBSCRIBERS.csv")
    sub.add_argument(
        "--dry-run",
        type=Path,
        metavar="DIR",
        help="write each message to DIR/<n>-<address>.eml instead; connects to nothing",
    )
    sub.add_argument("--smtp", metavar="HOST:PORT", help="the mail server (default: mail: smtp:)")
    security = sub.add_mutually_exclusive_group()
    for flag, meaning in (
        ("starttls", "upgrade to TLS after connecting (the default; port 587)"),
        ("ssl", "TLS from the start (port 465)"),
        ("plain", "no TLS: only for a relay on this machine (port 25)"),
    ):
        security.add_argument(
            f"--{flag}",
            dest="security",
            action="store_const",
            const="none" if flag == "plain" else flag,
            help=meaning,
        )
    sub.add_argument("--from", dest="sender", metavar="ADDRESS", help="the sender's address")
    sub.add_argument(
        "--journal", type=Path, metavar="PATH", help="default: build/<slug>.mail.sqlite"
    )
    sub.add_argument(
        "--rate", type=_rate, default=None, help="messages a second (default: 5; not with --relay)"
    )
    sub.add_argument(
        "--connections",
        type=_connections,
        metavar="N",
        help="connections sending at once (default: mail: smtp: connections:, else 1;"
        " not with --relay)",
    )
    sub.add_argument(
        "--per-domain-connections",
        type=_connections,
        metavar="N",
        help="messages to one recipient domain under way at once"
        " (default: mail: smtp: per_domain:, else 1)",
    )
    sub.add_argument(
        "--per-domain-rate",
        type=_rate,
        metavar="RATE",
        help="messages a second to one recipient domain (default: mail: smtp: per_domain:,"
        " else only --rate)",
    )
    sub.add_argument(
        "--relay",
        action="store_true",
        default=None,
        help="the server is a relay that queues and retries (Postfix): its acceptance is final,"
        " messages go at full speed (default: mail: smtp: relay:)",
    )
    sub.add_argument(
        "--resend-unknown",
        action="store_true",
        help="send again to those whose message went out but was never confirmed",
    )
    sub.add_argument("--yes", action="store_true", help="send without asking first")
    _suppressions_option(sub)
    sub.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the project folder; nothing outside it is read (default: .)",
    )


def _suppressions_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--suppressions",
        type=Path,
        metavar="PATH",
        help="who is never sent again, bounced or unsubscribed (default: mail/suppressions.sqlite)",
    )


def _watch_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("issue", type=Path, metavar="ISSUE.yaml")
    sub.add_argument("-o", "--output", type=Path, metavar="OUT.pdf", help="where to write the PDF")
    sub.add_argument(
        "--html", type=Path, metavar="OUT.html", help="also write the HTML, for a preview"
    )
    sub.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the project folder; nothing outside it is read (default: .)",
    )
    _strict_options(sub, "treat every warning as an error")
    sub.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=EMAIL.name,
        help="what the PDF is for (default: email)",
    )


def _strict_options(sub: argparse.ArgumentParser, every: str) -> None:
    """--strict, and --strict-except-fit (how make builds): one or the other."""
    strict = sub.add_mutually_exclusive_group()
    strict.add_argument(
        "--strict", dest="strict", action="store_const", const=EVERY_WARNING, default="", help=every
    )
    strict.add_argument(
        "--strict-except-fit",
        dest="strict",
        action="store_const",
        const=EXCEPT_FIT,
        default="",
        help="as --strict, but the copy-fit report's findings stay warnings and the PDF is"
        " written (how make builds)",
    )


def _connections(text: str) -> int:
    """A whole number of connections, from 1 to the most a server lets one client have."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_CONNECTIONS):
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_CONNECTIONS}, got {text!r}"
        )
    return int(text)


def _rate(text: str) -> float:
    """Messages a second: a finite number above 0 (`nan` and `inf` are floats
    too, and would make every pause between messages meaningless)."""
    try:
        rate = float(text)
    except ValueError:
        rate = math.nan
    if not (math.isfinite(rate) and rate > 0):
        raise argparse.ArgumentTypeError(
            f"expected a number of messages a second above 0, got {text!r}"
        )
    return rate
