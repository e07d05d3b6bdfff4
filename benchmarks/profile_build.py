"""Where a build's time goes: one `pipeline.build` under pyinstrument, in a
fresh process, summed into the regions the templates and the code decide.

Two ways to build, side by side: `cold` (the build `broadsheet build` runs:
every stage in this one process, imports included) and `warm` (the second
build in a process that keeps a `Session`, the watch path; the first is not
profiled).

Each region is the time of the outermost frames of its functions (a region
is never counted twice when it recurses); regions may nest (multi-column
layout is part of page layout). WeasyPrint's progress log is counted too:
how many pages it laid out against how many the document has (a page laid
out twice was re-made by a repagination pass: `counter(pages)`,
`target-counter()`), and how many passes it made.

    python profile_build.py ROOT ISSUE.yaml OUT.pdf PROFILE.txt cold|warm

Prints one JSON object: total seconds, seconds per region, pages, pages laid out, passes.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from raw_weasyprint import PageLog  # run as a script beside it (run.py)

# (label, file path fragment, function name)
REGIONS = (
    ("imports", "", "<module>"),
    ("load + validate", "broadsheet/pipeline", "check"),
    ("render (Jinja2, Markdown)", "broadsheet/html/render", "render"),
    ("pictures (prepare, cache)", "broadsheet/html/pictures", ""),
    ("typeset, every layout (engine)", "broadsheet/engine/typeset", "typeset"),
    ("  font faces loaded (@font-face)", "weasyprint/text/fonts", "add_font_face"),
    ("  style cascade", "weasyprint/css/__init__", "get_all_computed_styles"),
    ("  box tree", "weasyprint/formatting_structure/build", "build_formatting_structure"),
    ("  page layout (all passes)", "weasyprint/layout/__init__", "layout_document"),
    ("    multi-column boxes", "weasyprint/layout/column", "columns_layout"),
    ("measures (kept or laid out)", "broadsheet/engine/measurement", "measures"),
    ("plan (the page planner)", "broadsheet/engine/plans", "planned"),
    ("copy-fit measure", "broadsheet/engine/measure", "measure"),
    ("write PDF (engine + finisher)", "broadsheet/engine/typeset", "to_pdf"),
    ("verify (read back, checks)", "broadsheet/pipeline", "verified"),
    ("write the files", "broadsheet/outputs/writing", "write_together"),
)
MODES = ("cold", "warm")


def _outermost(frame, matches, inside: bool = False) -> float:
    here = matches(frame)
    if here and not inside:
        return frame.time
    return sum(_outermost(child, matches, inside or here) for child in frame.children)


def _matcher(fragment: str, function: str):
    def matches(frame) -> bool:
        path = (frame.file_path or "").replace("\\", "/")
        return (not fragment or fragment in path) and (not function or frame.function == function)

    return matches


def main() -> None:
    root, issue, output, text = (Path(arg) for arg in sys.argv[1:5])
    mode = sys.argv[5] if len(sys.argv) > 5 else "cold"
    if mode not in MODES:
        raise SystemExit(f"mode: one of {', '.join(MODES)}")
    from pyinstrument import Profiler

    counter = PageLog()
    progress = logging.getLogger("weasyprint.progress")
    progress.addHandler(counter)
    progress.setLevel(logging.INFO)
    profiler = Profiler(interval=0.001)
    build = _warmed(issue, output, root) if mode == "warm" else None
    counter.__init__()  # count the profiled build's layouts only
    started = time.perf_counter()
    profiler.start()
    from broadsheet import pipeline

    if build is not None:
        result = build()
    else:
        result = pipeline.build(_job(issue, output), _settings(root), progress=_quiet)
    profiler.stop()
    total = time.perf_counter() - started
    # The call tree with the engine's frames shown, then the functions by their own time.
    tree = profiler.output_text(unicode=True, show_all=True)
    flat = profiler.output_text(unicode=True, flat=True)
    text.write_text(tree + "\n\nBy own time:\n" + flat, encoding="utf-8")
    top = profiler.last_session.root_frame()
    regions = {
        label: _outermost(top, _matcher(fragment, function))
        for label, fragment, function in REGIONS
    }
    print(
        json.dumps(
            {
                "mode": mode,
                "total": total,
                "profiled": top.time,
                "regions": regions,
                "pages": result.pages,
                "layouts": counter.documents,
                "pages_laid_out": counter.laid_out,
                "repagination_passes": counter.passes,
            }
        )
    )


def _warmed(issue: Path, output: Path, root: Path):
    """The watch path: one build with a `Session` (not profiled), then the
    build to profile, after the issue's YAML is saved again."""
    from broadsheet import pipeline
    from broadsheet.engine.session import Session

    session = Session()
    job, settings = _job(issue, output), _settings(root)
    pipeline.build(job, settings, session, _quiet)
    original = issue.read_text(encoding="utf-8")

    def again():
        issue.write_text(original + "# saved again\n", encoding="utf-8")
        try:
            return pipeline.build(job, settings, session, _quiet)
        finally:
            issue.write_text(original, encoding="utf-8")

    return again


def _job(issue: Path, output: Path):
    from broadsheet import pipeline

    return pipeline.Job(issue, output)


def _settings(root: Path):
    from broadsheet import pipeline

    return pipeline.Settings(root.resolve())


def _quiet(text: str) -> None:
    """No progress lines: `broadsheet build -q` shows none either."""


if __name__ == "__main__":
    main()
