"""The editor's commands: `new` (the next issue's file), `import` (an issue
drafted from a feed) and `archive` (every issue built, and an index)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from broadsheet.editor.archive import build_archive
from broadsheet.editor.feed import import_feed
from broadsheet.editor.new import new_issue
from broadsheet.source import display_path


def run(args, root: Path, stdin: TextIO, stdout: TextIO, report, environ: dict[str, str]) -> int:
    if args.command == "new":
        written = [new_issue(root, args.slug, args.date)]
    elif args.command == "import":
        result = import_feed(
            args.feed, args.since, root, args.output, args.date, args.images, args.allow_private
        )
        report.diagnostics(result.warnings, summary=False)
        written = result.written
    else:
        written = build_archive(root, report.progress)
    for path in written:
        print(display_path(path), file=stdout)
    return 0
