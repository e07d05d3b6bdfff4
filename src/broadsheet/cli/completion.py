"""`broadsheet completion bash|zsh|fish`: a completion script made from the parser.

Each script is generated from `cli.parser()` through `clidefs`, so a new
command or option completes as soon as it is defined. The scripts complete
the commands, each command's options, the choices of an option that has
them (`--profile`), and file names where a value is a path.
"""

from __future__ import annotations

import argparse

from broadsheet.cli.definitions import Command, Option, commands, top_options

PROG = "broadsheet"


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    make = {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell]
    return make(commands(parser), top_options(parser))


def _bash(found: list[Command], top: list[Option]) -> str:
    names = " ".join(c.name for c in found)
    top_flags = " ".join(f for o in top for f in o.flags)
    cases = []
    for command in found:
        values = []
        for option in command.options:
            if not option.flags or option.metavar is None:
                continue
            pattern = "|".join(option.flags)
            if option.choices:
                action = f'COMPREPLY=($(compgen -W "{" ".join(option.choices)}" -- "$cur"))'
            elif option.takes_file:
                action = 'COMPREPLY=($(compgen -f -- "$cur"))'
            else:
                action = "COMPREPLY=()"
            values.append(f"                {pattern}) {action}; return ;;")
        positional = command.positionals
        if positional and positional[0].choices:
            words = f'COMPREPLY=($(compgen -W "{" ".join(positional[0].choices)}" -- "$cur"))'
        elif any(p.takes_file for p in positional):
            words = 'COMPREPLY=($(compgen -f -- "$cur"))'
        else:
            words = "COMPREPLY=()"
        value_case = "".join(f"{line}\n" for line in values)
        cases.append(
            f"""        {command.name})
            case "$prev" in
{value_case}            esac
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "{" ".join(command.flags)}" -- "$cur"))
            else
                {words}
            fi
            ;;"""
        )
    body = "\n".join(cases)
    return f"""# bash completion for {PROG}, generated from its command-line definitions
# ({PROG} completion bash). Source it, or put it in your bash-completion folder.
_{PROG}() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}"
    local prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ "${{COMP_WORDS[i]}}" != -* ]]; then
            command="${{COMP_WORDS[i]}}"
            break
        fi
    done
    if [[ -z "$command" ]]; then
        COMPREPLY=($(compgen -W "{names} {top_flags}" -- "$cur"))
        return
    fi
    case "$command" in
{body}
    esac
}}
complete -o filenames -F _{PROG} {PROG}
"""


def _zsh_text(text: str) -> str:
    """Text inside a single-quoted `_arguments` spec: no quote, bracket or colon left bare."""
    text = " ".join(text.split()).replace("[", "(").replace("]", ")")
    return text.replace("'", "'\\''").replace(":", "\\:")


def _zsh(found: list[Command], top: list[Option]) -> str:
    described = "\n".join(f"    '{c.name}:{_zsh_text(c.help)}'" for c in found)
    cases = []
    for command in found:
        specs = []
        for option in command.options:
            help_text = _zsh_text(option.help)
            if option.choices:
                value = f":{_zsh_text(option.metavar or 'value')}:({' '.join(option.choices)})"
            elif option.metavar is None:
                value = ""
            elif option.takes_file:
                value = f":{_zsh_text(option.metavar)}:_files"
            else:
                value = f":{_zsh_text(option.metavar)}: "
            if option.flags:
                specs += [f"'{flag}[{help_text}]{value}'" for flag in option.flags]
            else:
                star = "*" if option.many else ""
                specs.append(f"'{star}{value or ':value: '}'")
        joined = " \\\n                ".join(specs)
        head = f"        {command.name})\n            _arguments \\\n"
        cases.append(f"{head}                {joined}\n            ;;")
    body = "\n".join(cases)
    top_specs = " ".join(f"'{f}'" for o in top for f in o.flags)
    return f"""#compdef {PROG}
# zsh completion for {PROG}, generated from its command-line definitions
# ({PROG} completion zsh > ~/.zfunc/_{PROG}, with ~/.zfunc in fpath).
_{PROG}() {{
  local -a commands
  commands=(
{described}
  )
  local state
  _arguments -C {top_specs} '1: :->command' '*:: :->args'
  case $state in
    command)
      _describe -t commands '{PROG} command' commands
      ;;
    args)
      case $words[1] in
{body}
      esac
      ;;
  esac
}}
_{PROG} "$@"
"""


def _fish_text(text: str) -> str:
    return "'" + " ".join(text.split()).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(found: list[Command], top: list[Option]) -> str:
    lines = [
        f"# fish completion for {PROG}, generated from its command-line definitions",
        f"# ({PROG} completion fish > ~/.config/fish/completions/{PROG}.fish).",
        f"complete -c {PROG} -f",
    ]
    names = " ".join(c.name for c in found)
    for command in found:
        lines.append(
            f"complete -c {PROG} -n 'not __fish_seen_subcommand_from {names}'"
            f" -a {command.name} -d {_fish_text(command.help)}"
        )
    for command in found:
        when = f"-n '__fish_seen_subcommand_from {command.name}'"
        for option in command.options:
            if not option.flags:
                if option.choices:
                    lines.append(
                        f"complete -c {PROG} {when} -a {_fish_text(' '.join(option.choices))}"
                    )
                elif option.takes_file:
                    lines.append(f"complete -c {PROG} {when} -F")
                continue
            parts = [f"complete -c {PROG}", when]
            for flag in option.flags:
                parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
            if option.choices:
                parts.append(f"-x -a {_fish_text(' '.join(option.choices))}")
            elif option.takes_file:
                parts.append("-r -F")
            elif option.metavar is not None:
                parts.append("-x")
            if option.help:
                parts.append(f"-d {_fish_text(option.help)}")
            lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"
