"""The command line's argparse definitions read back as plain records.

Shell completion (`completion.py`) and the manual page (`manpage.py`) are
both generated from these, so neither can fall behind a new command or
option: whatever `cli.parser()` defines is what they describe.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]  # ("-o", "--output"); empty for a positional
    metavar: str | None  # None: a flag that takes no value
    help: str
    choices: tuple[str, ...] = ()
    takes_file: bool = False  # complete file names for its value
    required: bool = False
    many: bool = False  # a positional that takes several values


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    usage: str  # "broadsheet build [-h] ... ISSUE.yaml ..."
    epilog: str
    options: tuple[Option, ...]

    @property
    def flags(self) -> list[str]:
        return [flag for option in self.options for flag in option.flags]

    @property
    def positionals(self) -> list[Option]:
        return [option for option in self.options if not option.flags]


def commands(parser: argparse.ArgumentParser) -> list[Command]:
    """Every subcommand of `parser`, in the order they are defined."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                usage = " ".join(sub.format_usage().removeprefix("usage: ").split())
                options = tuple(_option(a) for a in sub._actions)
                found.append(Command(name, helps.get(name, ""), usage, sub.epilog or "", options))
    return found


def top_options(parser: argparse.ArgumentParser) -> list[Option]:
    """The options before the command (--help, --version)."""
    return [_option(a) for a in parser._actions if a.option_strings]


def _option(action: argparse.Action) -> Option:
    takes_value = action.nargs != 0
    metavar = None
    if takes_value:
        metavar = action.metavar or (
            action.dest if not action.option_strings else action.dest.upper()
        )
        if isinstance(metavar, tuple):
            metavar = " ".join(metavar)
    text = "" if action.help in (None, argparse.SUPPRESS) else str(action.help)
    if "%(" in text:
        text = text % {**vars(action), "prog": "broadsheet"}
    choices = tuple(str(c) for c in action.choices or ()) if action.choices else ()
    return Option(
        flags=tuple(action.option_strings),
        metavar=metavar,
        help=text,
        choices=choices,
        takes_file=takes_value and not choices and _file_like(action),
        required=bool(action.required),
        many=action.nargs in ("+", "*"),
    )


def _file_like(action: argparse.Action) -> bool:
    """A value that names a file or folder: typed as a Path, or spelt like one."""
    if action.type is Path:
        return True
    return action.dest in ("feed",)
