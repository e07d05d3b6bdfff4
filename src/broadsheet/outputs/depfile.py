"""The make rule `--depfile` writes, and its reading back for `broadsheet mail`.

The rule names every file a build read, so that make remakes the PDF when
one of them changes, and an empty rule for each so that a deleted file does
not stop make. make reads file names in its own syntax: a space separates
names, `#` starts a comment, `$` a variable, `:` ends the targets, `*`, `?`
and `[` are wildcards, `|` alone starts order-only prerequisites and `%` in
a target makes a pattern rule. Each is escaped the way GNU make unescapes
it (measured with make 4.3, and checked by the tests with real make):

- `$` is written `$$`, everywhere;
- space, `#`, `:`, `*`, `?` and `[` get a backslash, everywhere; `|` gets
  one in a prerequisite (in a target make keeps the backslash), `%` in a
  target (in a prerequisite make keeps it);
- backslashes just before a character escaped with a backslash are
  doubled (`a\\#b` for the file `a\\#b`); other backslashes stay as they are;
- a path that starts with `~` is written `./~...`, so make does not read
  it as a home folder.

Some names make cannot express at all: a line break or any other control
character, `;` (it starts a recipe), `=` (a target-specific variable) or a
backslash at the end. Such a file is left out of the rule and reported as
a warning: a picture named `photo #1.png` once broke every later `make`
with "missing separator".
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from broadsheet.errors import Diagnostic, UsageError, error, warning
from broadsheet.source import display_path

BACKSLASHED = frozenset(" #:*?[")
IN_PREREQUISITES = BACKSLASHED | {"|"}
IN_TARGETS = BACKSLASHED | {"%"}
NOT_EXPRESSIBLE = frozenset(";=")


class Unexpressible(ValueError):
    """A file name make has no way to spell."""


def make_rule(target: Path, dependencies: Iterable[Path]) -> tuple[str, list[Path]]:
    """The rule `target: dependencies...` with an empty rule for each
    dependency, and the dependencies left out because make cannot name
    them. Raises Unexpressible when the target itself cannot be named."""
    head = escape(_shown(target), IN_TARGETS)
    named, left_out = [], []
    for path in dependencies:
        shown = _shown(path)
        try:
            named.append((escape(shown, IN_PREREQUISITES), escape(shown, IN_TARGETS)))
        except Unexpressible:
            left_out.append(path)
    lines = [f"{head}: \\"] + [f"  {prerequisite} \\" for prerequisite, _ in named]
    lines[-1] = lines[-1].removesuffix(" \\")
    phony = [f"{as_target}:" for _, as_target in named]  # a deleted file must not break make
    return "\n".join([*lines, "", *phony]) + "\n", left_out


def require_expressible(output: Path) -> None:
    """A depfile's rule is for the PDF: make must be able to name it."""
    try:
        make_rule(output, ())
    except Unexpressible:
        message = f"--depfile: make cannot name the output {str(output)!r}; rename it"
        raise UsageError([error(None, message)]) from None


def rule_for(
    output: Path, dependencies: Iterable[Path], depfile: Path
) -> tuple[str, list[Diagnostic]]:
    """The depfile's rule, and a warning for each file it had to leave out."""
    rule, unnamed = make_rule(output, dependencies)
    left_out = [
        warning(
            None,
            f"{depfile}: left out {display_path(path)!r}, a file name make cannot express"
            " (a line break, another control character, ';', '=' or a final backslash);"
            " make will not rebuild when it changes",
        )
        for path in unnamed
    ]
    return rule, left_out


def escape(name: str, special: frozenset[str]) -> str:
    """`name` as make reads it back, where `special` are the characters
    escaped with a backslash (IN_PREREQUISITES or IN_TARGETS)."""
    if (
        not name
        or name.endswith("\\")
        or any(ord(c) < 32 or ord(c) == 127 or c in NOT_EXPRESSIBLE for c in name)
    ):
        raise Unexpressible(name)
    if name.startswith("~"):
        name = "./" + name
    out, backslashes = [], 0
    for c in name:
        if c == "\\":
            backslashes += 1
            continue
        if c in special:
            out.append("\\" * (2 * backslashes) + "\\" + c)
        else:
            out.append("\\" * backslashes + ("$$" if c == "$" else c))
        backslashes = 0
    return "".join(out)


def rule_dependencies(rule: str) -> list[Path]:
    """The files a rule written by `make_rule` names, as written (relative ones
    are relative to where the build ran): its inverse, for `broadsheet mail`."""
    words = _words(rule.split("\n\n", 1)[0])
    after = words.index(None) + 1 if None in words else 0
    return [Path(word) for word in words[after:] if word is not None]


def _words(text: str) -> list[str | None]:
    """make's words in `text`, unescaped; None where an unescaped `:` is."""
    words: list[str | None] = []
    word, i = "", 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            end = i
            while end < len(text) and text[end] == "\\":
                end += 1
            run, following = end - i, text[end : end + 1]
            if following == "\n":  # a continued line
                i = end
                continue
            if following in IN_PREREQUISITES | IN_TARGETS and following:
                word += "\\" * (run // 2)
                if run % 2:
                    word += following
                    end += 1
            else:
                word += "\\" * run
            i = end
            continue
        if c == "$" and text[i + 1 : i + 2] == "$":
            word, i = word + "$", i + 2
            continue
        if c.isspace() or c == ":":
            if word:
                words.append(word)
            word = ""
            if c == ":":
                words.append(None)
        else:
            word += c
        i += 1
    if word:
        words.append(word)
    return words


def _shown(path: Path) -> str:
    """Relative to the working folder when inside it (where make runs), else absolute."""
    absolute = path.absolute()
    if absolute.is_relative_to(Path.cwd()):
        return str(absolute.relative_to(Path.cwd()))
    return str(absolute)
